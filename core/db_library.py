"""The admission-list library in a team database (PostgreSQL 15 + PostGIS 3), through psycopg2.

`DatabaseStore` loads the library into the same `Library` objects as the folder library and saves what changed:
each clause row carries a row version, and a save updates only rows still at the version that was loaded —
anything else is a `ClauseConflictError` naming who changed the clause and when, and nothing is written. The
whole save is one transaction: if the server goes away half-way, nothing of it is kept, and the edits are still
in memory. The database enforces who may write what (row-level security, core/db_migrations.py); the store asks
the database first so it can say which clauses the role may not change (`PermissionRefusedError`). Every change is in
the `history` table (trigger) and announced on the `ecozoning_library` channel; `Listener` is the dedicated
connection that listens for it and `refresh` brings other people's saves into a library open here.

`connection_params` are psycopg2 keywords (host, port, dbname, user, password, sslmode, service, …).
"""

from __future__ import annotations

import copy
import json
import os
import select
from dataclasses import dataclass, field
from typing import Optional

from .db_migrations import CHANNEL, EDITOR_ROLE, LOCK_KEY, READER_ROLE, SCHEMA_VERSION, database_version, pending
from .library_store import (
    ClauseConflict,
    ClauseConflictError,
    DatabaseConnectionError,
    HistoryEntry,
    LibraryStore,
    PermissionRefusedError,
    Permissions,
    RefusedWrite,
    RemoteChange,
    SchemaTooNewError,
    StoreError,
)
from .lists import (
    DEFAULT_DIMENSION_LABELS,
    LEVELS,
    Clause,
    Library,
    city_of,
    file_document,
    library_document,
)

APPLICATION = "EcoZoning"
VALUE_FIELDS = ("clause_id", "dimension", "kind", "text", "classes", "subtypes", "industries", "replaces", "source")
_COLUMNS = ", ".join(VALUE_FIELDS)
_SLOTS = ", ".join(["%s"] * len(VALUE_FIELDS))
_SETS = ", ".join(f"{name} = %s" for name in VALUE_FIELDS)
_RETURNING = "RETURNING uid, position, row_version, updated_by, updated_at"
# column names from the constants above; every value is a query parameter
INSERT_CLAUSE = f"INSERT INTO ecozoning.clauses (level, scope, position, {_COLUMNS}, extra) VALUES (%s, %s, %s, {_SLOTS}, %s) {_RETURNING}"  # noqa: E501  # nosec B608
UPDATE_CLAUSE = f"UPDATE ecozoning.clauses SET level = %s, scope = %s, position = %s, {_SETS}, extra = %s WHERE uid = %s AND row_version = %s {_RETURNING}"  # noqa: E501  # nosec B608


def _psycopg2():
    try:
        import psycopg2
        import psycopg2.extensions
    except ImportError as exc:  # pragma: no cover - Debian's python3-qgis depends on python3-psycopg2
        raise DatabaseConnectionError(
            "other", "psycopg2 is not installed: install python3-psycopg2 (Debian) or psycopg2 (pip)"
        ) from exc
    return psycopg2


def describe(params: dict) -> str:
    """user@host:port/dbname (never the password)."""
    if params.get("service"):
        return f"service={params['service']}"
    host = params.get("host") or "localhost"
    port = params.get("port") or 5432
    user = params.get("user") or os.environ.get("PGUSER", "")
    return f"{user + '@' if user else ''}{host}:{port}/{params.get('dbname', '')}"


def connect(params: dict, application: str = APPLICATION, autocommit: bool = False):
    """A psycopg2 connection; a failure is a DatabaseConnectionError saying which failure and what to do."""
    psycopg2 = _psycopg2()
    keywords = {k: v for k, v in params.items() if v not in (None, "")}
    keywords.setdefault("connect_timeout", 10)
    # PostgreSQL keeps only printable ASCII of an application name (the history records it)
    keywords["application_name"] = "".join(c if " " <= c <= "~" else "_" for c in application)[:63]
    where = describe(params)
    try:
        conn = psycopg2.connect(**keywords)
    except psycopg2.OperationalError as exc:
        raise connection_error(exc, where) from exc
    conn.autocommit = autocommit
    return conn


def connection_error(exc, where: str) -> DatabaseConnectionError:
    text = str(exc).strip()
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return DatabaseConnectionError(
            "wrong_password",
            f"{where}: the server refused the user name or password ({text.splitlines()[0]}). Check the user and "
            f"password of the saved connection (its authentication configuration) or ask the database admin.",
        )
    if "database" in low and "does not exist" in low:
        return DatabaseConnectionError(
            "no_database",
            f"{where}: the database does not exist. Check the database name of the connection, or create it and "
            f"publish a library into it with ecozoning:publishlibrary.",
        )
    if "connection refused" in low or "could not connect" in low or "timeout expired" in low or "no route" in low:
        return DatabaseConnectionError(
            "server_down",
            f"{where}: no PostgreSQL server answers ({text.splitlines()[-1] if text else 'no answer'}). Check that "
            f"the server is running and that host and port of the connection are right.",
        )
    if "pg_hba.conf" in low:
        return DatabaseConnectionError(
            "no_rights",
            f"{where}: the server does not accept this user from this computer (pg_hba.conf). Ask the database "
            f"admin to allow it.",
        )
    return DatabaseConnectionError("other", f"{where}: {text or type(exc).__name__}")


def lost_error(exc, where: str, committing: bool = False) -> DatabaseConnectionError:
    if committing:
        return DatabaseConnectionError(
            "lost",
            f"{where}: the connection broke while the save was being committed ({str(exc).strip()}). Your edits "
            f"are still here; reload once the server is back to see whether the save reached the database.",
        )
    return DatabaseConnectionError(
        "lost",
        f"{where}: the connection to the server was lost during the save ({str(exc).strip() or 'no answer'}). "
        f"Nothing was written (the database rolled the save back); your edits are still here: save again when "
        f"the server is back.",
    )


def check_postgis(cursor, where: str) -> None:
    cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
    if cursor.fetchone() is not None:
        return
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    if cursor.fetchone() is None:
        raise DatabaseConnectionError(
            "no_postgis",
            f"{where}: the server has no PostGIS. Install it on the server (Debian: postgresql-15-postgis-3), then "
            f"publish the library again.",
        )
    raise DatabaseConnectionError(
        "no_postgis",
        f"{where}: PostGIS is not enabled in this database. Publish a library into it with "
        f"ecozoning:publishlibrary (which enables it), or run CREATE EXTENSION postgis as the database owner.",
    )


def migrate(conn) -> list[int]:
    """Bring the schema to SCHEMA_VERSION; returns the versions applied (none when already there). Refuses a
    database whose schema is newer than this plugin's."""
    psycopg2 = _psycopg2()
    where = describe(conn.get_dsn_parameters())
    applied = []
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            version = database_version(cursor)
            if version > SCHEMA_VERSION:
                raise SchemaTooNewError(version, SCHEMA_VERSION)
            if pending(version):
                cursor.execute(
                    "CREATE SCHEMA IF NOT EXISTS ecozoning; CREATE TABLE IF NOT EXISTS ecozoning.schema_migrations ("
                    "version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL "
                    "DEFAULT now(), applied_by text NOT NULL DEFAULT session_user)"
                )
            for number, description, sql in pending(version):
                cursor.execute(sql)
                cursor.execute(
                    "INSERT INTO ecozoning.schema_migrations (version, description) VALUES (%s, %s)",
                    (number, description),
                )
                applied.append(number)
        conn.commit()
    except psycopg2.Error as exc:
        conn.rollback()
        if getattr(exc, "pgcode", None) in ("42501", "0A000") or "permission denied" in str(exc).lower():
            raise DatabaseConnectionError(
                "no_rights",
                f"{where}: this user may not create the EcoZoning schema ({str(exc).strip()}). Publish as the "
                f"database owner (or a user with CREATEROLE who may create extensions).",
            ) from exc
        if "postgis" in str(exc).lower() and "extension" in str(exc).lower():
            raise DatabaseConnectionError(
                "no_postgis",
                f"{where}: PostGIS cannot be enabled ({str(exc).strip()}). Install postgresql-15-postgis-3 on the "
                f"server.",
            ) from exc
        raise StoreError(f"{where}: the schema migration failed, nothing was changed: {exc}") from exc
    except BaseException:
        conn.rollback()
        raise
    return applied


def add_team_role(conn, role: str, kind: str, city: Optional[str] = None, password: Optional[str] = None) -> None:
    """Make a login role a team member (run by the database owner): `province`, `prefecture` of `city`, or
    `reviewer` (read-only). The login role is created when missing (with `password`)."""
    from psycopg2 import sql

    if kind not in ("province", "prefecture", "reviewer"):
        raise StoreError(f"unknown team role kind '{kind}' (province, prefecture or reviewer)")
    if (kind == "prefecture") != bool(city):
        raise StoreError("a prefecture role needs the 6-digit prefecture code; the others none")
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(role)), (password,))
        group = READER_ROLE if kind == "reviewer" else EDITOR_ROLE
        cursor.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(role)))
        cursor.execute(
            "INSERT INTO ecozoning.team_roles (role_name, kind, city) VALUES (%s, %s, %s) "
            "ON CONFLICT (role_name) DO UPDATE SET kind = EXCLUDED.kind, city = EXCLUDED.city",
            (role, kind, city),
        )
    conn.commit()


# --- library <-> rows ------------------------------------------------------------------------------------------
def clause_values(clause: Clause) -> dict:
    return {
        "clause_id": clause.id,
        "dimension": clause.dimension,
        "kind": clause.kind,
        "text": clause.text,
        "classes": list(clause.classes),
        "subtypes": list(clause.subtypes),
        "industries": list(clause.industries),
        "replaces": clause.replaces,
        "source": clause.source,
        "extra": copy.deepcopy(clause.extra),
    }


def apply_values(clause: Clause, values: dict) -> None:
    clause.id = values.get("clause_id", clause.id)
    for name in VALUE_FIELDS[1:]:
        if name in values:
            setattr(clause, name, copy.deepcopy(values[name]))
    if "extra" in values:
        clause.extra = copy.deepcopy(values["extra"] or {})


def _clause_of(row: dict) -> Clause:
    clause = Clause(id="", dimension="", kind="", text="")
    apply_values(clause, row)
    return clause


def library_rows(library: Library):
    """(level, scope, position, clause) of every clause, and {(level, scope): header} of every list."""
    clauses, lists = [], {}
    for relpath in sorted(library.files, key=lambda p: (LEVELS.index(library.files[p].level), p)):
        list_file = library.files[relpath]
        if list_file.level == "unit":
            for code in sorted(list_file.units):
                lists[("unit", code)] = {}
                for position, clause in enumerate(list_file.units[code]):
                    clauses.append(("unit", code, position, clause))
        else:
            header = file_document(list_file)
            header = {k: v for k, v in header.items() if k not in ("level", "clauses")}
            lists[(list_file.level, list_file.scope)] = header
            for position, clause in enumerate(list_file.clauses):
                clauses.append((list_file.level, list_file.scope, position, clause))
    return clauses, lists


def _meta_values(library: Library) -> dict:
    doc = library_document(library)
    extra = {k: v for k, v in doc.items() if k not in ("name", "version", "province", "dimensions", "regions")}
    return {
        "name": doc["name"],
        "version": doc["version"],
        "province": doc["province"],
        "dimensions": doc["dimensions"],
        "regions": doc["regions"],
        "extra": extra,
    }


def _clause_args(level: str, scope: str, position: int, clause: Clause) -> list:
    values = clause_values(clause)
    args = [values[name] for name in VALUE_FIELDS]
    classes = VALUE_FIELDS.index("classes")
    args[classes] = _jsonb(args[classes])  # as JSON: may hold values that are no class (validation names them)
    return [level, scope, position, *args, _jsonb(values["extra"])]


def _meta_args(meta: dict) -> tuple:
    plain = (meta["name"], meta["version"], meta["province"])
    return (*plain, _jsonb(meta["dimensions"]), _jsonb(meta["regions"]), _jsonb(meta["extra"]))


def _jsonb(value):
    from psycopg2.extras import Json

    return Json(value)


@dataclass
class _Tracked:
    clause: Clause
    level: str
    scope: str
    position: int
    values: dict
    row_version: int
    by: str = ""
    at: str = ""


@dataclass
class _TrackedList:
    header: dict
    row_version: int


@dataclass
class _State:
    rows: dict = field(default_factory=dict)  # uid -> _Tracked
    lists: dict = field(default_factory=dict)  # (level, scope) -> _TrackedList
    meta: dict = field(default_factory=dict)
    meta_version: int = 0
    seen: int = 0  # the last history id taken into account


class DatabaseStore(LibraryStore):
    kind = "database"
    supports_history = True
    supports_notifications = True

    def __init__(self, params: dict, application: str = APPLICATION):
        self.params = dict(params)
        self.application = application
        self.conn = None
        self.state = _State()
        self.library: Optional[Library] = None
        self._permissions: Optional[Permissions] = None

    # --- connection ----------------------------------------------------------------------------------------
    def label(self) -> str:
        return "postgresql://" + describe(self.params)

    def _connection(self):
        if self.conn is None or self.conn.closed:
            self.conn = connect(self.params, self.application)
            self._check_schema()
        return self.conn

    def _check_schema(self):
        where = describe(self.params)
        with self.conn.cursor() as cursor:
            check_postgis(cursor, where)
            version = database_version(cursor)
        self.conn.rollback()
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(version, SCHEMA_VERSION)
        if version == 0:
            raise DatabaseConnectionError(
                "not_a_library",
                f"{where}: this database holds no EcoZoning library. Publish one into it with "
                f"ecozoning:publishlibrary.",
            )
        if version < SCHEMA_VERSION:
            migrate(self.conn)  # raises a clear DatabaseConnectionError when this user may not

    def close(self) -> None:
        if self.conn is not None and not self.conn.closed:
            self.conn.close()
        self.conn = None

    def _cursor(self):
        from psycopg2.extras import RealDictCursor

        return self._connection().cursor(cursor_factory=RealDictCursor)

    # --- reading -------------------------------------------------------------------------------------------
    def load(self) -> Library:
        psycopg2 = _psycopg2()
        try:
            with self._cursor() as cursor:
                library, state = self._read(cursor)
                self._permissions = self._read_permissions(cursor)
            self.conn.rollback()
        except psycopg2.Error as exc:
            self.close()
            raise (
                lost_error(exc, describe(self.params))
                if _is_disconnect(exc)
                else StoreError(f"{describe(self.params)}: cannot read the library: {exc}")
            ) from exc
        self.library, self.state = library, state
        return library

    def _read(self, cursor) -> tuple[Library, _State]:
        state = _State()
        library = Library(root=self.label())
        cursor.execute("SELECT * FROM ecozoning.library WHERE id = 1")
        meta = cursor.fetchone()
        if meta is not None:
            library.name, library.version, library.province = meta["name"], meta["version"], meta["province"]
            for key, labels in (meta["dimensions"] or {}).items():
                if key in DEFAULT_DIMENSION_LABELS and isinstance(labels, dict):
                    library.dimension_labels[key].update({k: str(v) for k, v in labels.items()})
            library.regions = {str(k): dict(v or {}) for k, v in (meta["regions"] or {}).items()}
            library.meta_extra = dict(meta["extra"] or {})
            state.meta_version = meta["row_version"]
        state.meta = _meta_values(library)
        cursor.execute("SELECT coalesce(max(id), 0) AS seen FROM ecozoning.history")
        state.seen = cursor.fetchone()["seen"]
        cursor.execute("SELECT level, scope, header, row_version FROM ecozoning.lists")
        for row in cursor.fetchall():
            self._add_list(library, row["level"], row["scope"], row["header"] or {})
            state.lists[(row["level"], row["scope"])] = _TrackedList(dict(row["header"] or {}), row["row_version"])
        cursor.execute(
            "SELECT c.* FROM ecozoning.clauses c JOIN ecozoning.levels l USING (level) "
            "ORDER BY l.rank, c.scope, c.position, c.uid"
        )
        for row in cursor.fetchall():
            clause = _clause_of(row)
            self._add_list(library, row["level"], row["scope"], None)
            library.clause_list(row["level"], row["scope"]).append(clause)
            state.rows[row["uid"]] = self._track(clause, row)
        # positions as they are in memory now (rows may have gaps or ties in the database)
        for item in state.rows.values():
            item.position = _index(library.clause_list(item.level, item.scope), item.clause)
        return library, state

    @staticmethod
    def _track(clause: Clause, row: dict) -> _Tracked:
        return _Tracked(
            clause,
            row["level"],
            row["scope"],
            row["position"],
            clause_values(clause),
            row["row_version"],
            row["updated_by"],
            _when(row["updated_at"]),
        )

    @staticmethod
    def _add_list(library: Library, level: str, scope: str, header: Optional[dict]) -> None:
        list_file = library.file_for(level, city_of(scope) if level == "unit" else scope)
        list_file.digest = list_file.digest or "db"  # exists in the database: undoing an add never drops it
        if level == "unit":
            list_file.units.setdefault(scope, [])
        elif header is not None:
            list_file.header = {"level": level, **header}

    def _read_permissions(self, cursor) -> Permissions:
        cursor.execute(
            "SELECT current_user AS who, r.rolsuper AS super, "
            "pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'ecozoning.clauses'::regclass), "
            "'MEMBER') AS owner, has_table_privilege('ecozoning.clauses', 'UPDATE') AS can_write "
            "FROM pg_roles r WHERE r.rolname = current_user"
        )
        me = cursor.fetchone()
        if me["super"] or me["owner"]:
            return Permissions("owner", [], me["who"])
        cursor.execute(
            "SELECT t.kind, t.city FROM ecozoning.team_roles t JOIN pg_roles r ON r.rolname = t.role_name "
            "WHERE pg_has_role(current_user, r.oid, 'MEMBER') ORDER BY t.kind, t.city"
        )
        rows = cursor.fetchall()
        if not me["can_write"]:
            return Permissions("reviewer", [], me["who"])
        if any(r["kind"] == "province" for r in rows):
            return Permissions("province", [], me["who"])
        cities = sorted(r["city"] for r in rows if r["kind"] == "prefecture")
        return Permissions("prefecture" if cities else "reviewer", cities, me["who"])

    def permissions(self) -> Permissions:
        return self._permissions or Permissions("reviewer")

    def revision(self) -> str:
        with self._cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) AS last FROM ecozoning.history")
            last = cursor.fetchone()["last"]
        self.conn.rollback()
        return f"{describe({**self.params, 'user': ''})}#{last}"

    def history(self, clause_uid: Optional[int] = None, scope: Optional[str] = None) -> list[HistoryEntry]:
        """History of a clause (by uid) or of the lists of a scope (a unit code: the unit's clauses)."""
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT * FROM ecozoning.history WHERE table_name = 'clauses' AND (%s::bigint IS NULL OR uid = %s) "
                "AND (%s::text IS NULL OR scope = %s) ORDER BY id DESC",
                (clause_uid, clause_uid, scope, scope),
            )
            rows = cursor.fetchall()
        self.conn.rollback()
        return [
            HistoryEntry(
                r["id"],
                _when(r["at"]),
                r["db_role"],
                r["application"],
                r["op"],
                r["clause_id"] or "",
                r["level"] or "",
                r["scope"] or "",
                r["before"],
                r["after"],
            )
            for r in rows
        ]

    def uid_of(self, clause: Clause) -> Optional[int]:
        for uid, item in self.state.rows.items():
            if item.clause is clause:
                return uid
        return None

    # --- saving --------------------------------------------------------------------------------------------
    def changes(self, library: Library) -> list[tuple]:
        """('insert'|'update'|'delete', uid, level, scope, position, clause) of the clauses that differ from
        what was loaded, in library order."""
        rows, _lists = library_rows(library)
        by_object = {id(item.clause): uid for uid, item in self.state.rows.items()}
        ops, seen = [], set()
        for level, scope, position, clause in rows:
            uid = by_object.get(id(clause))
            if uid is None or uid in seen:  # the same object twice cannot happen through the dock; be safe
                ops.append(("insert", None, level, scope, position, clause))
                continue
            seen.add(uid)
            item = self.state.rows[uid]
            if (clause_values(clause), level, scope, position) != (item.values, item.level, item.scope, item.position):
                ops.append(("update", uid, level, scope, position, clause))
        for uid, item in self.state.rows.items():
            if uid not in seen:
                ops.append(("delete", uid, item.level, item.scope, item.position, item.clause))
        return ops

    def is_modified(self, library: Library) -> bool:
        _rows, lists = library_rows(library)
        return bool(self.changes(library)) or _meta_values(library) != self.state.meta or self._list_ops(lists)

    def _list_ops(self, lists: dict) -> list[tuple]:
        ops = []
        for key, header in lists.items():
            tracked = self.state.lists.get(key)
            if tracked is None:
                ops.append(("insert", key, header))
            elif tracked.header != header:
                ops.append(("update", key, header))
        return ops

    def save(self, library: Library, force: bool = False) -> list[str]:
        """Write the changed clauses in one transaction. Raises PermissionRefusedError or ClauseConflictError (nothing
        written) or DatabaseConnectionError (nothing written; the edits stay in `library`)."""
        psycopg2 = _psycopg2()
        where = describe(self.params)
        ops = self.changes(library)
        _rows, lists = library_rows(library)
        list_ops = self._list_ops(lists)
        meta = _meta_values(library)
        meta_changed = meta != self.state.meta
        if not ops and not list_ops and not meta_changed:
            return []
        committing = False
        try:
            with self._cursor() as cursor:
                self._check_rights(cursor, ops, list_ops, meta_changed)
                conflicts: list[ClauseConflict] = []
                done = []
                for op, uid, level, scope, position, clause in ops:
                    result = self._write(cursor, op, uid, level, scope, position, clause)
                    if isinstance(result, ClauseConflict):
                        conflicts.append(result)
                    else:
                        done.append((op, uid, level, scope, position, clause, result))
                list_done = [(key, header, self._write_list(cursor, op, key, header)) for op, key, header in list_ops]
                meta_version = self._write_meta(cursor, meta) if meta_changed else self.state.meta_version
                if meta_version is None:
                    conflicts.append(self._meta_conflict(cursor, meta))
                if conflicts:
                    self.conn.rollback()
                    raise ClauseConflictError(conflicts)
                committing = True
                self.conn.commit()
        except psycopg2.Error as exc:
            self._rollback_quietly()
            if _is_disconnect(exc):
                self.close()
                raise lost_error(exc, where, committing) from exc
            if getattr(exc, "pgcode", None) == "42501":  # RLS or missing privilege: the database refused
                raise PermissionRefusedError(
                    [RefusedWrite("-", "-", "-", f"the database refused the write: {str(exc).strip()}")]
                ) from exc
            raise StoreError(f"{where}: the save failed, nothing was written: {str(exc).strip()}") from exc
        # the transaction is committed: what is in memory is now what the database holds
        written = []
        for op, uid, level, scope, position, clause, row in done:
            if op == "delete":
                self.state.rows.pop(uid, None)
            else:
                self.state.rows[row["uid"]] = self._track(clause, {**row, "level": level, "scope": scope})
                self.state.rows[row["uid"]].position = position
            written.append(clause.id)
        for key, header, version in list_done:
            self.state.lists[key] = _TrackedList(copy.deepcopy(header), version)
        self.state.meta, self.state.meta_version = meta, meta_version
        return written

    def _rollback_quietly(self):
        try:
            if self.conn is not None and not self.conn.closed:
                self.conn.rollback()
        except Exception:  # noqa: BLE001 - the connection is already broken; close() follows  # nosec B110
            pass

    def _check_rights(self, cursor, ops, list_ops, meta_changed) -> None:
        wanted = {(level, scope) for _op, _uid, level, scope, _p, _c in ops}
        for op, uid, _level, _scope, _p, _c in ops:
            if uid is not None and op != "insert":
                item = self.state.rows[uid]
                wanted.add((item.level, item.scope))
        wanted |= {key for _op, key, _h in list_ops}
        if meta_changed:
            wanted.add(("province", "province"))
        if not wanted:
            return
        cursor.execute(
            "SELECT level, scope, ecozoning.may_edit(level, scope) OR "
            "pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'ecozoning.clauses'::regclass), "
            "'MEMBER') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS allowed "
            "FROM unnest(%s::text[], %s::text[]) AS w(level, scope)",
            ([w[0] for w in wanted], [w[1] for w in wanted]),
        )
        allowed = {(r["level"], r["scope"]): r["allowed"] for r in cursor.fetchall()}
        perms = self.permissions()
        refused = []
        for _op, uid, level, scope, _p, clause in ops:
            keys = {(level, scope)}
            if uid is not None:
                keys.add((self.state.rows[uid].level, self.state.rows[uid].scope))
            for key in sorted(keys):
                if not allowed.get(key, False):
                    refused.append(RefusedWrite(clause.id, key[0], key[1], refusal_text(perms, *key)))
        for _op, key, _h in list_ops:
            if not allowed.get(key, False) and not any(r.level == key[0] and r.scope == key[1] for r in refused):
                refused.append(RefusedWrite("-", key[0], key[1], refusal_text(perms, *key)))
        if meta_changed and not allowed.get(("province", "province"), False):
            refused.append(RefusedWrite("library.yaml", "province", "province", refusal_text(perms, "province", "")))
        if refused:
            self.conn.rollback()
            raise PermissionRefusedError(refused)

    def _write(self, cursor, op, uid, level, scope, position, clause):
        if op == "insert":
            cursor.execute(INSERT_CLAUSE, _clause_args(level, scope, position, clause))
            return cursor.fetchone()
        values = clause_values(clause)
        expected = self.state.rows[uid].row_version
        if op == "delete":
            cursor.execute(
                "DELETE FROM ecozoning.clauses WHERE uid = %s AND row_version = %s RETURNING uid", (uid, expected)
            )
        else:
            cursor.execute(UPDATE_CLAUSE, [*_clause_args(level, scope, position, clause), uid, expected])
        row = cursor.fetchone()
        if row is not None:
            return row
        cursor.execute("SELECT * FROM ecozoning.clauses WHERE uid = %s", (uid,))
        theirs = cursor.fetchone()
        mine = None if op == "delete" else values
        return ClauseConflict(
            uid=uid,
            clause_id=clause.id,
            level=self.state.rows[uid].level,
            scope=self.state.rows[uid].scope,
            mine=mine if mine is not None else {},
            theirs=None if theirs is None else {k: theirs[k] for k in (*VALUE_FIELDS, "extra")},
            their_version=theirs["row_version"] if theirs else 0,
            by=theirs["updated_by"] if theirs else self._deleted_by(cursor, uid),
            at=_when(theirs["updated_at"]) if theirs else "",
            clause=clause,
        )

    @staticmethod
    def _deleted_by(cursor, uid) -> str:
        cursor.execute(
            "SELECT db_role, at FROM ecozoning.history WHERE uid = %s AND op = 'delete' ORDER BY id DESC LIMIT 1",
            (uid,),
        )
        row = cursor.fetchone()
        return f"{row['db_role']} ({_when(row['at'])})" if row else ""

    def _write_list(self, cursor, op, key, header) -> int:
        if op == "insert":
            cursor.execute(
                "INSERT INTO ecozoning.lists (level, scope, header) VALUES (%s, %s, %s) "
                "ON CONFLICT (level, scope) DO UPDATE SET header = EXCLUDED.header RETURNING row_version",
                (key[0], key[1], _jsonb(header)),
            )
        else:
            cursor.execute(
                "UPDATE ecozoning.lists SET header = %s WHERE level = %s AND scope = %s RETURNING row_version",
                (_jsonb(header), key[0], key[1]),
            )
        row = cursor.fetchone()
        return row["row_version"] if row else 0

    def _write_meta(self, cursor, meta: dict) -> Optional[int]:
        cursor.execute(
            "UPDATE ecozoning.library SET name = %s, version = %s, province = %s, dimensions = %s, regions = %s, "
            "extra = %s WHERE id = 1 AND row_version = %s RETURNING row_version",
            (*_meta_args(meta), self.state.meta_version),
        )
        row = cursor.fetchone()
        return row["row_version"] if row else None

    def _meta_conflict(self, cursor, meta) -> ClauseConflict:
        cursor.execute("SELECT * FROM ecozoning.library WHERE id = 1")
        row = cursor.fetchone() or {}
        return ClauseConflict(
            0, "library.yaml", "province", "province", meta, None, row.get("row_version", 0),
            row.get("updated_by", ""), _when(row.get("updated_at")),
        )  # fmt: skip

    # --- conflicts -----------------------------------------------------------------------------------------
    def resolve(self, library: Library, conflict: ClauseConflict, choice: str, values: Optional[dict] = None) -> None:
        """After a ClauseConflictError: 'mine' keeps the text here (the next save overwrites theirs, knowingly),
        'theirs' takes theirs into the library, 'merge' puts `values` (the user's merge) in the library."""
        if conflict.uid == 0:  # library metadata
            self.state.meta_version = conflict.their_version
            return
        item = self.state.rows.get(conflict.uid)
        if item is None:
            return
        clause = item.clause
        if conflict.theirs is None:  # they deleted it
            if choice == "theirs":
                clauses = library.clause_list(item.level, item.scope)
                index = _index(clauses, clause)
                if index >= 0:
                    del clauses[index]
            self.state.rows.pop(conflict.uid)  # 'mine' or 'merge': saved again as a new clause
            if choice == "merge" and values:
                apply_values(clause, values)
            return
        if choice == "theirs":
            apply_values(clause, conflict.theirs)
            item.values = clause_values(clause)
        elif choice == "merge" and values is not None:
            apply_values(clause, {**conflict.theirs, **values})
        item.row_version, item.by, item.at = conflict.their_version, conflict.by, conflict.at

    # --- other people's saves ------------------------------------------------------------------------------
    def refresh(self, library: Library) -> list[RemoteChange]:
        """Bring the clauses others saved since the last look into `library`. A clause with unsaved edits here
        is left as it is (`kept_local`): the next save reports the conflict."""
        psycopg2 = _psycopg2()
        try:
            with self._cursor() as cursor:
                cursor.execute(
                    "SELECT id, uid, op, db_role, table_name, level, scope, after FROM ecozoning.history "
                    "WHERE id > %s ORDER BY id",
                    (self.state.seen,),
                )
                entries = cursor.fetchall()
                if not entries:
                    self.conn.rollback()
                    return []
                uids = sorted({e["uid"] for e in entries if e["table_name"] == "clauses" and e["uid"] is not None})
                cursor.execute("SELECT * FROM ecozoning.clauses WHERE uid = ANY(%s)", (uids,))
                current = {row["uid"]: row for row in cursor.fetchall()}
                cursor.execute("SELECT level, scope, header, row_version FROM ecozoning.lists")
                lists = cursor.fetchall()
                cursor.execute("SELECT * FROM ecozoning.library WHERE id = 1")
                meta = cursor.fetchone()
            self.conn.rollback()
        except psycopg2.Error as exc:
            self._rollback_quietly()
            if _is_disconnect(exc):
                self.close()
            raise StoreError(f"{describe(self.params)}: cannot read the others' changes: {exc}") from exc
        self.state.seen = entries[-1]["id"]
        by = {e["uid"]: e["db_role"] for e in entries if e["uid"] is not None}
        changes = []
        for row in lists:
            key = (row["level"], row["scope"])
            if key not in self.state.lists:
                self._add_list(library, row["level"], row["scope"], row["header"] or {})
                self.state.lists[key] = _TrackedList(dict(row["header"] or {}), row["row_version"])
        if meta is not None and meta["row_version"] != self.state.meta_version:
            if _meta_values(library) == self.state.meta:
                library.name, library.version, library.province = meta["name"], meta["version"], meta["province"]
                library.regions = {str(k): dict(v or {}) for k, v in (meta["regions"] or {}).items()}
                self.state.meta, self.state.meta_version = _meta_values(library), meta["row_version"]
        rows_now, _ = library_rows(library)
        placed = {id(c): (lv, sc, p) for lv, sc, p, c in rows_now}
        touched = set()
        for uid in uids:
            row = current.get(uid)
            item = self.state.rows.get(uid)
            if item is not None and row is not None and row["row_version"] == item.row_version:
                continue  # our own save, or already seen
            if item is not None:
                where_now = placed.get(id(item.clause))
                unchanged = (
                    where_now == (item.level, item.scope, item.position) and clause_values(item.clause) == item.values
                )
                if not unchanged:
                    changes.append(RemoteChange(item.values["clause_id"], "update" if row else "delete", by[uid], True))
                    continue
                clauses = library.clause_list(item.level, item.scope)
                del clauses[_index(clauses, item.clause)]
                touched.add((item.level, item.scope))
                if row is None:
                    self.state.rows.pop(uid)
                    changes.append(RemoteChange(item.values["clause_id"], "delete", by[uid]))
                    continue
                clause = item.clause
                apply_values(clause, row)
                op = "update"
            elif row is not None:
                clause = _clause_of(row)
                op = "insert"
            else:
                continue  # inserted and deleted again since
            self._add_list(library, row["level"], row["scope"], None)
            target = library.clause_list(row["level"], row["scope"])
            target.insert(min(row["position"], len(target)), clause)
            touched.add((row["level"], row["scope"]))
            self.state.rows[uid] = self._track(clause, row)
            changes.append(RemoteChange(clause.id, op, by[uid]))
        # an insert or delete shifts the clauses after it: their place in memory is their place now
        placed = {id(c): (lv, sc, p) for lv, sc, p, c in library_rows(library)[0]}
        for item in self.state.rows.values():
            where_now = placed.get(id(item.clause))
            if where_now and where_now[:2] in touched and where_now[:2] == (item.level, item.scope):
                if clause_values(item.clause) == item.values:
                    item.position = where_now[2]
        return changes

    def listener(self) -> Listener:
        return Listener(self.params, self.application)


class Listener:
    """A dedicated connection listening on the library's channel (autocommit: notifications arrive at once).
    `fileno()` is for a socket notifier; `poll()` returns the payloads that arrived."""

    def __init__(self, params: dict, application: str = APPLICATION):
        self.conn = connect(params, f"{application} listener", autocommit=True)
        with self.conn.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int:
        return self.conn.fileno()

    def poll(self) -> list[dict]:
        if self.conn.closed:
            return []
        self.conn.poll()
        payloads = []
        while self.conn.notifies:
            notify = self.conn.notifies.pop(0)
            try:
                payloads.append(json.loads(notify.payload))
            except ValueError:
                payloads.append({"raw": notify.payload})
        return payloads

    def wait(self, timeout: float) -> list[dict]:
        """Block up to `timeout` seconds for notifications (for scripts and tests; the dock uses fileno())."""
        ready, _, _ = select.select([self.conn], [], [], timeout)
        return self.poll() if ready else []

    def close(self) -> None:
        if not self.conn.closed:
            self.conn.close()


def refusal_text(perms: Permissions, level: str, scope: str) -> str:
    ok, reason = perms.can_edit(level, scope)
    if ok:
        return f"the database refused the role {perms.who or '?'} (its rights changed since the library was opened)"
    return {
        "read_only": f"{perms.who} is a read-only (reviewer) role",
        "prefecture_only": f"{perms.who} is the province: {level} {scope} is edited by its prefecture",
        "province_only": f"{perms.who} is a prefecture: the {level} lists are edited by the province",
        "other_prefecture": f"{perms.who} edits prefecture {', '.join(perms.cities)}: {level} {scope} belongs to "
        f"prefecture {scope if level == 'city' else city_of(scope)}",
    }.get(reason, reason)


def _index(clauses: list, clause) -> int:
    for row, item in enumerate(clauses):
        if item is clause:
            return row
    return -1


def _when(value) -> str:
    if value is None:
        return ""
    return value.isoformat(sep=" ", timespec="seconds") if hasattr(value, "isoformat") else str(value)


def _is_disconnect(exc) -> bool:
    psycopg2 = _psycopg2()
    return isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError))


# --- publish and export ------------------------------------------------------------------------------------------
def publish_library(library: Library, params: dict, replace: bool = False, application: str = APPLICATION) -> str:
    """Copy a library (loaded from a folder) into a database, creating or migrating its schema. A database that
    already holds clauses is refused unless `replace`: then its lists are replaced in the same transaction (the
    history keeps the old ones). Returns the revision."""
    psycopg2 = _psycopg2()
    conn = connect(params, application)
    where = describe(params)
    try:
        migrate(conn)
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM ecozoning.clauses")
            existing = cursor.fetchone()[0]
            if existing and not replace:
                raise StoreError(
                    f"{where} already holds a library ({existing} clauses): set REPLACE to replace it (its history "
                    f"is kept), or publish into another database."
                )
            cursor.execute("DELETE FROM ecozoning.clauses")
            cursor.execute("DELETE FROM ecozoning.lists")
            meta = _meta_values(library)
            cursor.execute(
                "INSERT INTO ecozoning.library (id, name, version, province, dimensions, regions, extra) "
                "VALUES (1, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
                "version = EXCLUDED.version, province = EXCLUDED.province, dimensions = EXCLUDED.dimensions, "
                "regions = EXCLUDED.regions, extra = EXCLUDED.extra",
                _meta_args(meta),
            )
            rows, lists = library_rows(library)
            for (level, scope), header in lists.items():
                cursor.execute(
                    "INSERT INTO ecozoning.lists (level, scope, header) VALUES (%s, %s, %s)",
                    (level, scope, _jsonb(header)),
                )
            for level, scope, position, clause in rows:
                cursor.execute(INSERT_CLAUSE, _clause_args(level, scope, position, clause))
            cursor.execute("SELECT coalesce(max(id), 0) FROM ecozoning.history")
            last = cursor.fetchone()[0]
        conn.commit()
    except psycopg2.Error as exc:
        conn.rollback()
        raise StoreError(f"{where}: publishing failed, nothing was changed: {str(exc).strip()}") from exc
    finally:
        conn.close()
    return f"{describe({**params, 'user': ''})}#{last}"


def publish_units(params: dict, units: list[dict], application: str = APPLICATION) -> int:
    """Replace the units table: dicts with code, name, unit_class, subtype, city, county and wkb (MultiPolygon in
    EPSG:4490). One transaction."""
    psycopg2 = _psycopg2()
    conn = connect(params, application)
    try:
        migrate(conn)
        with conn.cursor() as cursor:
            cursor.execute("DELETE FROM ecozoning.units")
            for unit in units:
                cursor.execute(
                    "INSERT INTO ecozoning.units (code, name, unit_class, subtype, city, county, geom) VALUES "
                    "(%s, %s, %s, %s, %s, %s, ST_Multi(ST_GeomFromWKB(%s, 4490)))",
                    (
                        unit["code"],
                        unit.get("name", ""),
                        unit.get("unit_class"),
                        unit.get("subtype", ""),
                        unit.get("city", ""),
                        unit.get("county", ""),
                        psycopg2.Binary(unit["wkb"]),
                    ),
                )
        conn.commit()
    except psycopg2.Error as exc:
        conn.rollback()
        raise StoreError(f"{describe(params)}: publishing the units failed, nothing was changed: {exc}") from exc
    finally:
        conn.close()
    return len(units)


def export_library(params: dict, root: str, application: str = APPLICATION) -> tuple[list[str], str]:
    """Write the database's library as a folder (atomic writes; existing files are kept as .bak). Returns the
    files written and the revision exported."""
    from .list_table import write_library_to

    store = DatabaseStore(params, application)
    try:
        library = store.load()
        revision = store.revision()
    finally:
        store.close()
    for list_file in library.files.values():
        list_file.digest = ""
    written = write_library_to(library, root)
    return written, revision


__all__ = [
    "DatabaseStore",
    "Listener",
    "add_team_role",
    "connect",
    "export_library",
    "migrate",
    "publish_library",
    "publish_units",
]
