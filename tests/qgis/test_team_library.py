"""The team library on a real throwaway PostgreSQL 15 + PostGIS server: publish and export, migrations, row
versions and conflicts, roles enforced by the database, history, notifications, a server that goes away
mid-save, and connections that fail."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg2
import pytest

from ecozoning.core import db_library as db
from ecozoning.core.db_migrations import SCHEMA_VERSION
from ecozoning.core.library_store import (
    ClauseConflictError,
    DatabaseConnectionError,
    PermissionRefusedError,
    SchemaTooNewError,
)
from ecozoning.core.lists import load_library
from ecozoning.core.taxonomy import load_taxonomy

SAMPLE_LIBRARY = Path(__file__).resolve().parents[2] / "resources" / "sample" / "library"


def effective_lists(library, codes, subtype_sets):
    """{(unit, subtypes): [(level, scope, id, dimension, kind, text, classes, industries, replaces, source)]}"""
    out = {}
    for code in codes:
        for subtypes in subtype_sets:
            out[(code, subtypes)] = [
                (
                    e.level,
                    e.scope,
                    e.clause.id,
                    e.clause.dimension,
                    e.clause.kind,
                    e.clause.text,
                    tuple(e.clause.classes),
                    tuple(e.clause.subtypes),
                    tuple(e.clause.industries),
                    e.clause.replaces,
                    e.clause.source,
                )
                for e in library.effective(code, None, subtypes)
            ]
    return out


def clause_row(params, clause_id):
    conn = psycopg2.connect(**params)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT text, row_version, updated_by FROM ecozoning.clauses WHERE clause_id = %s", (clause_id,)
            )
            return cursor.fetchone()
    finally:
        conn.close()


def find(library, clause_id):
    found = library.find(clause_id)
    assert found is not None, clause_id
    return found[0]


def test_round_trip_gives_the_same_effective_list_for_every_unit(team_db, tmp_path):
    folder = load_library(str(SAMPLE_LIBRARY))
    written, revision = db.export_library(team_db["admin"], str(tmp_path / "exported"))
    assert "library.yaml" in written and "province.yaml" in written
    assert int(revision.split("#")[1]) > 0
    back = load_library(str(tmp_path / "exported"))
    assert back.load_problems == []
    codes = sorted(set(folder.unit_codes()) | {"ZH23010220001", "ZH23060030001", "ZH23990010001"})
    subtype_sets = [(), *((key,) for key in load_taxonomy().zones)]
    assert effective_lists(back, codes, subtype_sets) == effective_lists(folder, codes, subtype_sets)
    assert (back.name, back.version, back.province, back.regions) == (
        folder.name,
        folder.version,
        folder.province,
        folder.regions,
    )
    assert sum(1 for _ in back.iter_clauses()) == sum(1 for _ in folder.iter_clauses()) > 100
    # a unit with an empty list of its own keeps it
    assert sorted(back.unit_codes()) == sorted(folder.unit_codes())


def test_migrations_run_once_and_a_newer_schema_is_refused(team_db):
    conn = db.connect(team_db["admin"])
    try:
        assert db.migrate(conn) == []  # the publish migrated already: nothing changes
        assert db.migrate(conn) == []
        with conn.cursor() as cursor:
            cursor.execute("SELECT version FROM ecozoning.schema_migrations ORDER BY version")
            assert [r[0] for r in cursor.fetchall()] == list(range(1, SCHEMA_VERSION + 1))
            cursor.execute("SELECT count(*) FROM ecozoning.levels")
            assert cursor.fetchone()[0] == 4
            cursor.execute("INSERT INTO ecozoning.schema_migrations (version, description) VALUES (99, 'future')")
        conn.commit()
        with pytest.raises(SchemaTooNewError) as refused:
            db.migrate(conn)
        assert "99" in str(refused.value) and str(SCHEMA_VERSION) in str(refused.value)
    finally:
        conn.close()
    store = db.DatabaseStore(team_db["harbin_230100"])
    with pytest.raises(SchemaTooNewError, match="version 99.*version 2"):
        store.load()


def test_a_conflict_keeps_both_texts_and_says_who_and_when(team_db):
    first = db.DatabaseStore(team_db["harbin_230100"], "EcoZoning A")
    second = db.DatabaseStore(team_db["harbin_230100"], "EcoZoning B")
    lib_a, lib_b = first.load(), second.load()
    find(lib_a, "C-230100-002").text = "A 的文本：禁止新建化工项目。"
    assert first.save(lib_a) == ["C-230100-002"]
    find(lib_b, "C-230100-002").text = "B 的文本：限制化工项目。"
    with pytest.raises(ClauseConflictError) as conflict:
        second.save(lib_b)
    (item,) = conflict.value.conflicts
    assert item.clause_id == "C-230100-002"
    assert item.theirs["text"] == "A 的文本：禁止新建化工项目。"
    assert item.mine["text"] == "B 的文本：限制化工项目。"
    assert item.by == "harbin_230100" and item.at[:2] == "20"
    # nothing was overwritten: the database has A's text, B's dock still has B's
    assert clause_row(team_db["admin"], "C-230100-002")[0] == "A 的文本：禁止新建化工项目。"
    assert find(lib_b, "C-230100-002").text == "B 的文本：限制化工项目。"
    # B merges by hand: the merge is saved over A's version, and both texts stay in the history
    second.resolve(lib_b, item, "merge", {"text": "合并：禁止新建、限制扩建化工项目。"})
    assert second.save(lib_b) == ["C-230100-002"]
    assert clause_row(team_db["admin"], "C-230100-002")[0] == "合并：禁止新建、限制扩建化工项目。"
    texts = [e.after["text"] for e in second.history(clause_uid=item.uid) if e.op == "update"]
    assert texts == ["合并：禁止新建、限制扩建化工项目。", "A 的文本：禁止新建化工项目。"]


def test_take_theirs_and_keep_mine(team_db):
    first = db.DatabaseStore(team_db["hlj_province"])
    second = db.DatabaseStore(team_db["hlj_province"])
    lib_a, lib_b = first.load(), second.load()
    find(lib_a, "P-SL-001").text = "省级新文本"
    first.save(lib_a)
    find(lib_b, "P-SL-001").text = "我的文本"
    with pytest.raises(ClauseConflictError) as conflict:
        second.save(lib_b)
    second.resolve(lib_b, conflict.value.conflicts[0], "theirs")
    assert find(lib_b, "P-SL-001").text == "省级新文本"
    assert second.save(lib_b) == []  # nothing left to write
    find(lib_a, "P-SL-001").text = "第三版"
    first.save(lib_a)
    find(lib_b, "P-SL-001").text = "坚持我的文本"
    with pytest.raises(ClauseConflictError) as conflict:
        second.save(lib_b)
    second.resolve(lib_b, conflict.value.conflicts[0], "mine")
    second.save(lib_b)
    assert clause_row(team_db["admin"], "P-SL-001")[0] == "坚持我的文本"


def test_a_prefecture_may_edit_only_its_own_lists(team_db):
    store = db.DatabaseStore(team_db["harbin_230100"])
    library = store.load()
    perms = store.permissions()
    assert perms.kind == "prefecture" and perms.cities == ["230100"]
    assert perms.can_edit("city", "230100")[0] and perms.can_edit("unit", "ZH23010210001")[0]
    assert not perms.can_edit("province", "province")[0] and not perms.can_edit("city", "230200")[0]
    # its own city clause and its units' clauses: saved
    find(library, "C-230100-001").text = "哈尔滨市修改"
    unit_clause = library.clause_list("unit", "ZH23010210001")[0]
    unit_clause.text = "单元修改"
    assert sorted(store.save(library)) == sorted(["C-230100-001", unit_clause.id])
    # a province clause: refused, nothing written
    find(library, "P-SL-001").text = "哈尔滨改省级条款"
    find(library, "C-230100-001").text = "与被拒条款一起的修改"
    with pytest.raises(PermissionRefusedError) as refused:
        store.save(library)
    assert [(r.clause_id, r.level) for r in refused.value.refused] == [("P-SL-001", "province")]
    assert "province" in refused.value.refused[0].reason
    assert clause_row(team_db["admin"], "P-SL-001")[0] != "哈尔滨改省级条款"
    assert clause_row(team_db["admin"], "C-230100-001")[0] == "哈尔滨市修改"

    # the database itself refuses, whatever the client does: another prefecture's and the province's rows
    qiqihar = db.DatabaseStore(team_db["qiqihar_230200"])
    other = qiqihar.load()
    find(other, "C-230100-003").text = "齐齐哈尔改哈尔滨"
    with pytest.raises(PermissionRefusedError, match="prefecture 230100"):
        qiqihar.save(other)
    conn = psycopg2.connect(**team_db["qiqihar_230200"])
    with conn.cursor() as cursor:
        cursor.execute("UPDATE ecozoning.clauses SET text = 'x' WHERE clause_id = 'C-230100-003'")
        assert cursor.rowcount == 0  # row-level security: the row is not there for this role
        cursor.execute("UPDATE ecozoning.clauses SET text = 'x' WHERE level = 'province'")
        assert cursor.rowcount == 0
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="row-level security"):
            cursor.execute(
                "INSERT INTO ecozoning.clauses (clause_id, level, scope, dimension, kind, text) "
                "VALUES ('C-230100-999', 'city', '230100', 'spatial_layout', 'require', 'x')"
            )
    conn.rollback()
    conn.close()
    conn = psycopg2.connect(**team_db["reviewer"])
    with conn.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cursor.execute("UPDATE ecozoning.clauses SET text = 'x'")
    conn.close()
    assert clause_row(team_db["admin"], "C-230100-003")[0] != "齐齐哈尔改哈尔滨"


def test_the_history_of_an_edit_says_who_when_before_and_after(team_db):
    store = db.DatabaseStore(team_db["hlj_province"], "EcoZoning test")
    library = store.load()
    before = find(library, "P-SL-002").text
    find(library, "P-SL-002").text = "修改后的省级条款"
    store.save(library)
    uid = store.uid_of(find(library, "P-SL-002"))
    entries = store.history(clause_uid=uid)
    assert [e.op for e in entries] == ["update", "insert"]  # newest first; the insert is the publish
    latest = entries[0]
    assert latest.who == "hlj_province" and latest.application == "EcoZoning test"
    assert latest.before["text"] == before and latest.after["text"] == "修改后的省级条款"
    assert latest.at[:2] == "20"
    assert entries[1].who == "eco_admin"
    revision = store.revision()
    assert int(revision.split("#")[1]) == latest.id


def test_a_save_reaches_a_second_connection_by_notify(team_db):
    writer = db.DatabaseStore(team_db["harbin_230100"])
    reader = db.DatabaseStore(team_db["hlj_province"])
    lib_w, lib_r = writer.load(), reader.load()
    listener = reader.listener()
    try:
        find(lib_w, "C-230100-004").text = "通知测试文本"
        writer.save(lib_w)
        payloads = []
        deadline = time.monotonic() + 20
        while not payloads and time.monotonic() < deadline:
            payloads = listener.wait(1.0)
        assert payloads and payloads[0]["clause"] == "C-230100-004" and payloads[0]["by"] == "harbin_230100"
        changes = reader.refresh(lib_r)
        assert [(c.clause_id, c.op, c.by) for c in changes] == [("C-230100-004", "update", "harbin_230100")]
        assert find(lib_r, "C-230100-004").text == "通知测试文本"
        assert not reader.is_modified(lib_r)
    finally:
        listener.close()


def test_a_server_that_goes_away_mid_save_writes_nothing(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import pgserver

    if not pgserver.postgres_bin() or not pgserver.postgis_installed():
        pytest.skip("PostgreSQL/PostGIS are not installed (CI installs them)")
    with pgserver.ThrowawayServer() as server:
        team = pgserver.seed_team(server, "scheme", str(SAMPLE_LIBRARY))
        store = db.DatabaseStore(team["hlj_province"])
        library = store.load()
        find(library, "P-SL-001").text = "第一条修改"
        find(library, "R-HDS-001").text = "第二条修改（被锁住）"
        blocker = psycopg2.connect(**team["admin"])
        with blocker.cursor() as cursor:  # holds the second row: the save writes the first and waits
            cursor.execute("SELECT 1 FROM ecozoning.clauses WHERE clause_id = 'R-HDS-001' FOR UPDATE")

        def stop_when_waiting():
            watcher = psycopg2.connect(**team["admin"])
            watcher.autocommit = True
            for _ in range(200):
                with watcher.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = 'hlj_province' AND wait_event_type = 'Lock'"
                    )
                    if cursor.fetchone()[0]:
                        break
                time.sleep(0.05)
            watcher.close()
            server.pg_ctl("stop", "immediate")

        thread = threading.Thread(target=stop_when_waiting)
        thread.start()
        with pytest.raises(DatabaseConnectionError) as lost:
            store.save(library)
        thread.join()
        assert lost.value.reason == "lost"
        assert "Nothing was written" in str(lost.value) and "still here" in str(lost.value)
        assert find(library, "P-SL-001").text == "第一条修改"  # the edits are still in memory
        server.pg_ctl("start")
        assert clause_row(team["admin"], "P-SL-001")[0] != "第一条修改"  # nothing half-written
        assert clause_row(team["admin"], "R-HDS-001")[0] != "第二条修改（被锁住）"
        assert sorted(store.save(library)) == ["P-SL-001", "R-HDS-001"]  # saved once the server is back
        assert clause_row(team["admin"], "P-SL-001")[0] == "第一条修改"


def test_failing_connections_say_which_failure_and_what_to_do(pg_server, team_db):
    wrong = {**team_db["harbin_230100"], "password": "wrong"}
    with pytest.raises(DatabaseConnectionError) as failed:
        db.DatabaseStore(wrong).load()
    assert failed.value.reason == "wrong_password" and "password" in str(failed.value)
    assert "harbin_230100@127.0.0.1" in str(failed.value) and "wrong" not in str(failed.value).replace("wrong_", "")

    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import pgserver

    down = {**team_db["harbin_230100"], "port": pgserver.free_port()}
    with pytest.raises(DatabaseConnectionError) as failed:
        db.DatabaseStore(down).load()
    assert failed.value.reason == "server_down" and "server is running" in str(failed.value)

    plain = pg_server.create_database("plain_no_postgis")
    with pytest.raises(DatabaseConnectionError) as failed:
        db.DatabaseStore(plain).load()
    assert failed.value.reason == "no_postgis" and "CREATE EXTENSION postgis" in str(failed.value)

    missing = {**team_db["admin"], "dbname": "no_such_db"}
    with pytest.raises(DatabaseConnectionError) as failed:
        db.DatabaseStore(missing).load()
    assert failed.value.reason == "no_database"
