"""The team database's schema (PostgreSQL 15 + PostGIS 3), as numbered migrations.

`ecozoning.schema_migrations` records the versions applied. `migrate` applies the missing ones in order, each in
the one transaction that records it, under an advisory lock (two plugins migrating at once wait for each other);
running it again changes nothing. A database whose schema is newer than `SCHEMA_VERSION` is refused, naming both.

Tables (schema `ecozoning`): `library` (one row: name, version, province, dimension labels, regions), `levels`
(province, region, city, unit), `lists` (one row per list: level, scope, header), `clauses` (every field of a
YAML clause, its list position and a row version), `team_roles` (which login role is the province, which a
prefecture, which a reviewer), `history` (every insert, update and delete: who, when, before and after as JSON),
`units` (the control units, PostGIS MultiPolygon in CGCS2000, EPSG:4490).

Who may write what is row-level security keyed on the clause's level and scope (`ecozoning.may_edit`):
members of `ecozoning_editor` listed as `province` edit province and region rows, those listed as `prefecture`
the city list of their prefecture and the lists of its units; `ecozoning_reader` (reviewers) reads only.
"""

from __future__ import annotations

SCHEMA = "ecozoning"
CHANNEL = "ecozoning_library"
READER_ROLE = "ecozoning_reader"
EDITOR_ROLE = "ecozoning_editor"

_BOOTSTRAP = """
CREATE SCHEMA IF NOT EXISTS ecozoning;
CREATE TABLE IF NOT EXISTS ecozoning.schema_migrations (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
);
"""

_V1 = """
CREATE EXTENSION IF NOT EXISTS postgis;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ecozoning_reader') THEN
        CREATE ROLE ecozoning_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ecozoning_editor') THEN
        CREATE ROLE ecozoning_editor NOLOGIN IN ROLE ecozoning_reader;
    END IF;
END
$$;

CREATE TABLE ecozoning.library (
    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    name text NOT NULL DEFAULT '',
    version text NOT NULL DEFAULT '',
    province text NOT NULL DEFAULT '',
    dimensions jsonb NOT NULL DEFAULT '{}',
    regions jsonb NOT NULL DEFAULT '{}',
    extra jsonb NOT NULL DEFAULT '{}',
    row_version integer NOT NULL DEFAULT 1,
    updated_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ecozoning.levels (
    level text PRIMARY KEY,
    rank integer NOT NULL UNIQUE,
    label_zh text NOT NULL,
    label_en text NOT NULL
);
INSERT INTO ecozoning.levels VALUES
    ('province', 0, '省级', 'Province'), ('region', 1, '区域', 'Region'),
    ('city', 2, '市级', 'Prefecture'), ('unit', 3, '单元', 'Unit');

CREATE TABLE ecozoning.lists (
    level text NOT NULL REFERENCES ecozoning.levels,
    scope text NOT NULL,
    header jsonb NOT NULL DEFAULT '{}',
    row_version integer NOT NULL DEFAULT 1,
    updated_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (level, scope)
);

CREATE TABLE ecozoning.clauses (
    uid bigserial PRIMARY KEY,
    clause_id text NOT NULL,
    level text NOT NULL REFERENCES ecozoning.levels,
    scope text NOT NULL,
    position integer NOT NULL DEFAULT 0,
    dimension text NOT NULL DEFAULT '',
    kind text NOT NULL DEFAULT '',
    text text NOT NULL DEFAULT '',
    classes jsonb NOT NULL DEFAULT '[]',
    subtypes text[] NOT NULL DEFAULT '{}',
    industries text[] NOT NULL DEFAULT '{}',
    replaces text NOT NULL DEFAULT '',
    source text NOT NULL DEFAULT '',
    extra jsonb NOT NULL DEFAULT '{}',
    row_version integer NOT NULL DEFAULT 1,
    updated_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clauses_scope_idx ON ecozoning.clauses (level, scope, position);
CREATE INDEX clauses_id_idx ON ecozoning.clauses (clause_id);

CREATE TABLE ecozoning.team_roles (
    role_name text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('province', 'prefecture', 'reviewer')),
    city text CHECK (city IS NULL OR city ~ '^[0-9]{6}$'),
    CHECK ((kind = 'prefecture') = (city IS NOT NULL))
);

CREATE TABLE ecozoning.history (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    db_role text NOT NULL,
    application text NOT NULL DEFAULT '',
    table_name text NOT NULL,
    op text NOT NULL,
    uid bigint,
    clause_id text,
    level text,
    scope text,
    before jsonb,
    after jsonb
);
CREATE INDEX history_uid_idx ON ecozoning.history (uid);
CREATE INDEX history_scope_idx ON ecozoning.history (scope);

-- may the current role write a row of this level and scope? (the key of the row-level security policies)
CREATE FUNCTION ecozoning.may_edit(p_level text, p_scope text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM ecozoning.team_roles t JOIN pg_roles r ON r.rolname = t.role_name
        WHERE pg_has_role(current_user, r.oid, 'MEMBER')
          AND ((t.kind = 'province' AND p_level IN ('province', 'region'))
            OR (t.kind = 'prefecture' AND ((p_level = 'city' AND p_scope = t.city)
                OR (p_level = 'unit' AND substr(p_scope, 3, 4) || '00' = t.city))))
    )
$$;

-- row versions: every update bumps the version and says who and when
CREATE FUNCTION ecozoning.stamp_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.row_version := OLD.row_version + 1;
    ELSE
        NEW.row_version := 1;
    END IF;
    NEW.updated_by := session_user;
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

-- history and notification: runs as the schema owner, so that a team role cannot write history itself
CREATE FUNCTION ecozoning.record_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    any_row jsonb;
    entry bigint;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    any_row := coalesce(new_row, old_row);
    INSERT INTO ecozoning.history (db_role, application, table_name, op, uid, clause_id, level, scope, before, after)
    VALUES (session_user, coalesce(current_setting('application_name', true), ''), TG_TABLE_NAME, lower(TG_OP),
            (any_row ->> 'uid')::bigint, any_row ->> 'clause_id', any_row ->> 'level', any_row ->> 'scope',
            old_row, new_row)
    RETURNING id INTO entry;
    PERFORM pg_notify('ecozoning_library', json_build_object(
        'history', entry, 'table', TG_TABLE_NAME, 'op', lower(TG_OP), 'uid', any_row ->> 'uid',
        'clause', any_row ->> 'clause_id', 'level', any_row ->> 'level', 'scope', any_row ->> 'scope',
        'by', session_user, 'pid', pg_backend_pid())::text);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ecozoning.record_history() FROM PUBLIC;

CREATE TRIGGER library_stamp BEFORE INSERT OR UPDATE ON ecozoning.library
    FOR EACH ROW EXECUTE FUNCTION ecozoning.stamp_row();
CREATE TRIGGER lists_stamp BEFORE INSERT OR UPDATE ON ecozoning.lists
    FOR EACH ROW EXECUTE FUNCTION ecozoning.stamp_row();
CREATE TRIGGER clauses_stamp BEFORE INSERT OR UPDATE ON ecozoning.clauses
    FOR EACH ROW EXECUTE FUNCTION ecozoning.stamp_row();
CREATE TRIGGER library_history AFTER INSERT OR UPDATE OR DELETE ON ecozoning.library
    FOR EACH ROW EXECUTE FUNCTION ecozoning.record_history();
CREATE TRIGGER lists_history AFTER INSERT OR UPDATE OR DELETE ON ecozoning.lists
    FOR EACH ROW EXECUTE FUNCTION ecozoning.record_history();
CREATE TRIGGER clauses_history AFTER INSERT OR UPDATE OR DELETE ON ecozoning.clauses
    FOR EACH ROW EXECUTE FUNCTION ecozoning.record_history();

ALTER TABLE ecozoning.clauses ENABLE ROW LEVEL SECURITY;
ALTER TABLE ecozoning.lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE ecozoning.library ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON ecozoning.clauses FOR SELECT TO ecozoning_reader USING (true);
CREATE POLICY add_own ON ecozoning.clauses FOR INSERT TO ecozoning_editor
    WITH CHECK (ecozoning.may_edit(level, scope));
CREATE POLICY change_own ON ecozoning.clauses FOR UPDATE TO ecozoning_editor
    USING (ecozoning.may_edit(level, scope)) WITH CHECK (ecozoning.may_edit(level, scope));
CREATE POLICY delete_own ON ecozoning.clauses FOR DELETE TO ecozoning_editor
    USING (ecozoning.may_edit(level, scope));
CREATE POLICY read_all ON ecozoning.lists FOR SELECT TO ecozoning_reader USING (true);
CREATE POLICY add_own ON ecozoning.lists FOR INSERT TO ecozoning_editor
    WITH CHECK (ecozoning.may_edit(level, scope));
CREATE POLICY change_own ON ecozoning.lists FOR UPDATE TO ecozoning_editor
    USING (ecozoning.may_edit(level, scope)) WITH CHECK (ecozoning.may_edit(level, scope));
CREATE POLICY delete_own ON ecozoning.lists FOR DELETE TO ecozoning_editor
    USING (ecozoning.may_edit(level, scope));
CREATE POLICY read_all ON ecozoning.library FOR SELECT TO ecozoning_reader USING (true);
CREATE POLICY province_only ON ecozoning.library FOR UPDATE TO ecozoning_editor
    USING (ecozoning.may_edit('province', 'province'));

GRANT USAGE ON SCHEMA ecozoning TO ecozoning_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA ecozoning TO ecozoning_reader;
GRANT INSERT, UPDATE, DELETE ON ecozoning.clauses, ecozoning.lists TO ecozoning_editor;
GRANT UPDATE ON ecozoning.library TO ecozoning_editor;
GRANT USAGE ON SEQUENCE ecozoning.clauses_uid_seq TO ecozoning_editor;
"""

_V2 = """
CREATE TABLE ecozoning.units (
    code text PRIMARY KEY,
    name text NOT NULL DEFAULT '',
    unit_class integer,
    subtype text NOT NULL DEFAULT '',
    city text NOT NULL DEFAULT '',
    county text NOT NULL DEFAULT '',
    geom geometry(MultiPolygon, 4490),
    row_version integer NOT NULL DEFAULT 1,
    updated_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_geom_idx ON ecozoning.units USING gist (geom);
CREATE TRIGGER units_stamp BEFORE INSERT OR UPDATE ON ecozoning.units
    FOR EACH ROW EXECUTE FUNCTION ecozoning.stamp_row();
GRANT SELECT ON ecozoning.units TO ecozoning_reader;
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "admission-list library: levels, lists, clauses, roles, history", _V1),
    (2, "control units (PostGIS)", _V2),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
LOCK_KEY = 7_230_000_016  # pg_advisory_xact_lock key of the migrations


def database_version(cursor) -> int:
    """The highest migration applied, 0 when the database has none (or no ecozoning schema)."""
    cursor.execute("SELECT to_regclass('ecozoning.schema_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return 0
    cursor.execute("SELECT coalesce(max(version), 0) FROM ecozoning.schema_migrations")
    return int(cursor.fetchone()[0])


def pending(version: int) -> list[tuple[int, str, str]]:
    return [m for m in MIGRATIONS if m[0] > version]
