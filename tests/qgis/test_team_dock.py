"""The list dock on a team database (a throwaway PostgreSQL + PostGIS), driven as users would: open it from
QGIS's saved connections (passwords in QGIS's authentication database), edit/undo/save, two docks seeing each
other's saves, a role that may not change a list, a conflict merged by hand, history restored as a new edit,
a server that is gone when saving, a wrong password."""

from __future__ import annotations

import time

import psycopg2
import pytest
from qgis.core import QgsApplication, QgsDataSourceUri, QgsProviderRegistry
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from test_list_dock import Answers, layer  # noqa: F401 - the unit layer fixture

from ecozoning.processing.db_connections import connection_params, save_connection, store_basic_auth
from ecozoning.ui.list_dock import ListDock

PASSWORD = "team-secret"


@pytest.fixture()
def connections(team_db, qgis_app):
    """A saved QGIS connection per team role, its credentials in an authentication configuration."""
    auth = QgsApplication.authManager()
    if not auth.masterPasswordIsSet():
        assert auth.setMasterPassword("test-master-password", True)
    names = {}
    for role in ("harbin_230100", "hlj_province", "reviewer"):
        params = team_db[role]
        authcfg = store_basic_auth(f"{params['dbname']} {role}", role, PASSWORD)
        name = f"{params['dbname']}-{role}"
        save_connection(name, params["host"], params["port"], params["dbname"], authcfg)
        names[role] = name
    yield names
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    for name in names.values():
        metadata.deleteConnection(name)


def make_dock(canvas, layer, monkeypatch, connection):  # noqa: F811
    dock = ListDock(canvas)
    answers = Answers()
    answers.install(dock, monkeypatch)
    dock.answers = answers
    dock.layer_combo.setLayer(layer)
    assert dock.open_database(connection, background=False)
    assert dock.library is not None, dock.status.text()
    return dock


def close(dock):
    dock.cleanup()
    dock.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def db_text(params, clause_id):
    conn = psycopg2.connect(**params)
    with conn.cursor() as cursor:
        cursor.execute("SELECT text FROM ecozoning.clauses WHERE clause_id = %s ORDER BY uid", (clause_id,))
        rows = [r[0] for r in cursor.fetchall()]
    conn.close()
    return rows


def select(dock, code, clause_id):
    assert dock.select_unit(code)
    assert dock.select_clause(clause_id), clause_id
    dock._update_actions()


def test_saved_connections_keep_no_password(connections):
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    uri = metadata.connections()[connections["harbin_230100"]].uri()
    assert PASSWORD not in uri and "authcfg=" in uri
    assert QgsDataSourceUri(uri).password() == ""
    assert connection_params(connections["harbin_230100"])["password"] == PASSWORD  # resolved when connecting


def test_the_dock_edits_undoes_and_saves_a_database_library(connections, team_db, qgis_canvas, layer, monkeypatch):  # noqa: F811
    dock = make_dock(qgis_canvas, layer, monkeypatch, connections["harbin_230100"])
    try:
        assert "harbin_230100" in dock.role_label.text() and "230100" in dock.role_label.text()
        assert dock.analysis is not None and dock.analysis.clause_counts["ZH23010210001"] > 0
        select(dock, "ZH23010210001", "U-ZH23010210001-01")
        dock.answers.clause_values = lambda values: {**values, "text": "数据库中编辑的单元条款"}
        dock.edit_clause()
        assert dock.library.find("U-ZH23010210001-01")[0].text == "数据库中编辑的单元条款"
        dock.undo_stack.undo()
        assert dock.library.find("U-ZH23010210001-01")[0].text != "数据库中编辑的单元条款"
        dock.undo_stack.redo()
        assert dock.windowTitle().endswith("*")
        assert dock.save(), dock.status.text()
        assert db_text(team_db["admin"], "U-ZH23010210001-01") == ["数据库中编辑的单元条款"]
        assert not dock.windowTitle().endswith("*")
        # add a unit clause, save, then delete it again: the row comes and goes
        assert dock.choose_level("unit")
        dock.answers.clause_values = lambda values: {**values, "text": "新增的单元条款"}
        dock.add_clause()
        new_id = dock.current_entry().clause.id
        assert dock.save()
        assert db_text(team_db["admin"], new_id) == ["新增的单元条款"]
        assert dock.select_clause(new_id)
        dock.delete_clause()
        assert dock.save()
        assert db_text(team_db["admin"], new_id) == []
        dock.validate()
        assert dock.problem_model.rowCount() == len(dock.analysis.problems)
    finally:
        close(dock)


def test_two_docks_see_each_others_saves(connections, team_db, qgis_canvas, layer, monkeypatch):  # noqa: F811
    harbin = make_dock(qgis_canvas, layer, monkeypatch, connections["harbin_230100"])
    province = make_dock(qgis_canvas, layer, monkeypatch, connections["hlj_province"])
    try:
        province.select_unit("ZH23010210001")
        select(harbin, "ZH23010210001", "C-230100-002")
        harbin.answers.clause_values = lambda values: {**values, "text": "哈尔滨刚保存的文本"}
        harbin.edit_clause()
        assert harbin.save()
        deadline = time.monotonic() + 20
        while province.library.find("C-230100-002")[0].text != "哈尔滨刚保存的文本":
            QgsApplication.processEvents()  # the listening connection's socket wakes the dock
            assert time.monotonic() < deadline, "the province's dock never saw the save"
            time.sleep(0.02)
        assert "harbin_230100" in province.status.text()
        assert province.undo_stack.isClean()
    finally:
        close(harbin)
        close(province)


def test_a_role_sees_what_it_may_not_change_greyed_out(connections, team_db, qgis_canvas, layer, monkeypatch):  # noqa: F811
    harbin = make_dock(qgis_canvas, layer, monkeypatch, connections["harbin_230100"])
    reviewer = make_dock(qgis_canvas, layer, monkeypatch, connections["reviewer"])
    try:
        select(harbin, "ZH23010210001", "P-SL-001")
        assert not harbin.edit_action.isEnabled() and not harbin.delete_action.isEnabled()
        assert "province" in harbin.edit_action.toolTip().lower()
        select(harbin, "ZH23010210001", "U-ZH23010210001-01")
        assert harbin.edit_action.isEnabled()
        model = harbin.level_combo.model()
        enabled = {harbin.level_combo.itemData(i)[0]: model.item(i).isEnabled() for i in range(model.rowCount())}
        assert enabled == {"province": False, "region": False, "city": True, "unit": True}
        select(reviewer, "ZH23010210001", "U-ZH23010210001-01")
        assert not reviewer.edit_action.isEnabled() and not reviewer.add_action.isEnabled()
        assert "reviewer" in reviewer.role_label.text()
        # a write the dock would not offer is still refused by the database, and reported
        clause = reviewer.library.find("U-ZH23010210001-01")[0]
        clause.text = "审核员改的"
        assert not reviewer.save()
        assert "refused" in reviewer.status.text() and "U-ZH23010210001-01" in reviewer.status.text()
        assert db_text(team_db["admin"], "U-ZH23010210001-01") != ["审核员改的"]
    finally:
        close(harbin)
        close(reviewer)


def test_a_conflict_is_merged_by_hand_in_the_dock(connections, team_db, qgis_canvas, layer, monkeypatch):  # noqa: F811
    first = make_dock(qgis_canvas, layer, monkeypatch, connections["harbin_230100"])
    second = make_dock(qgis_canvas, layer, monkeypatch, connections["harbin_230100"])
    try:
        for dock, text in ((first, "第一位的文本"), (second, "第二位的文本")):
            select(dock, "ZH23010220001", "C-230100-001")
            dock.answers.clause_values = lambda values, t=text: {**values, "text": t}
            dock.edit_clause()
        assert first.save()
        asked = []

        def ask(conflict):
            asked.append(conflict)
            return "merge", {"text": "合并后的文本"}

        monkeypatch.setattr(second, "ask_clause_conflict", ask)
        assert second.save(), second.status.text()
        (conflict,) = asked
        assert conflict.mine["text"] == "第二位的文本" and conflict.theirs["text"] == "第一位的文本"
        assert conflict.by == "harbin_230100" and conflict.at
        assert db_text(team_db["admin"], "C-230100-001") == ["合并后的文本"]
    finally:
        close(first)
        close(second)


def test_history_is_shown_and_an_old_text_restored_as_a_new_edit(connections, team_db, qgis_canvas, layer, monkeypatch):  # noqa: F811
    dock = make_dock(qgis_canvas, layer, monkeypatch, connections["harbin_230100"])
    try:
        original = dock.library.find("C-230100-003")[0].text
        select(dock, "ZH23010220001", "C-230100-003")
        dock.answers.clause_values = lambda values: {**values, "text": "改过一次"}
        dock.edit_clause()
        assert dock.save()
        seen = []

        def choose(title, entries):
            seen.append((title, entries))
            return next(e for e in entries if e.op == "insert")  # the text as published

        monkeypatch.setattr(dock, "choose_history_entry", choose)
        assert dock.select_clause("C-230100-003")
        assert dock.show_history()
        title, entries = seen[0]
        assert "C-230100-003" in title
        assert [(e.op, e.who) for e in entries] == [("update", "harbin_230100"), ("insert", "eco_admin")]
        assert entries[0].application == "EcoZoning list dock"
        assert dock.library.find("C-230100-003")[0].text == original
        assert not dock.undo_stack.isClean()  # a new edit: undoable, not saved yet
        assert dock.save()
        assert db_text(team_db["admin"], "C-230100-003") == [original]
    finally:
        close(dock)


def test_a_server_gone_at_save_keeps_the_edits_and_says_so(qgis_canvas, layer, monkeypatch, qgis_app):  # noqa: F811
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import pgserver

    if not pgserver.postgres_bin() or not pgserver.postgis_installed():
        pytest.skip("PostgreSQL/PostGIS are not installed (CI installs them)")
    with pgserver.ThrowawayServer() as server:
        team = pgserver.seed_team(server, "gone", str(Path(__file__).resolve().parents[2] / "resources/sample/library"))
        auth = QgsApplication.authManager()
        if not auth.masterPasswordIsSet():
            assert auth.setMasterPassword("test-master-password", True)
        authcfg = store_basic_auth("gone harbin", "harbin_230100", PASSWORD)
        save_connection("gone-harbin", "127.0.0.1", server.port, "gone", authcfg)
        dock = make_dock(qgis_canvas, layer, monkeypatch, "gone-harbin")
        try:
            select(dock, "ZH23010210001", "U-ZH23010210001-02")
            dock.answers.clause_values = lambda values: {**values, "text": "服务器停止前的修改"}
            dock.edit_clause()
            server.pg_ctl("stop", "immediate")
            deadline = time.monotonic() + 10
            while dock._notifier is not None and time.monotonic() < deadline:
                QgsApplication.processEvents()  # the listening socket closes: the dock stops listening, once
                time.sleep(0.02)
            assert dock._notifier is None and "No longer following" in dock.status.text()
            assert not dock.save()
            assert "connection was lost" in dock.status.text() or "no PostgreSQL server" in dock.status.text()
            assert dock.library.find("U-ZH23010210001-02")[0].text == "服务器停止前的修改"
            assert not dock.undo_stack.isClean() and dock.windowTitle().endswith("*")
            server.pg_ctl("start")
            assert db_text(team["admin"], "U-ZH23010210001-02") != ["服务器停止前的修改"]
            assert dock.save(), dock.status.text()
            assert db_text(team["admin"], "U-ZH23010210001-02") == ["服务器停止前的修改"]
        finally:
            close(dock)
            QgsProviderRegistry.instance().providerMetadata("postgres").deleteConnection("gone-harbin")


def test_a_wrong_password_says_so(team_db, qgis_canvas, layer, monkeypatch, qgis_app):  # noqa: F811
    auth = QgsApplication.authManager()
    if not auth.masterPasswordIsSet():
        assert auth.setMasterPassword("test-master-password", True)
    params = team_db["harbin_230100"]
    authcfg = store_basic_auth("wrong", "harbin_230100", "not-the-password")
    save_connection("wrong-password", params["host"], params["port"], params["dbname"], authcfg)
    dock = ListDock(qgis_canvas)
    try:
        dock.open_database("wrong-password", background=False)
        assert dock.library is None
        assert "Wrong user or password" in dock.status.text() and "authentication" in dock.status.text()
    finally:
        close(dock)
        QgsProviderRegistry.instance().providerMetadata("postgres").deleteConnection("wrong-password")


def test_the_conflict_and_history_dialogs_show_both_sides_who_and_when(qgis_app):
    from qgis.PyQt.QtWidgets import QLabel

    from ecozoning.core.library_store import ClauseConflict, HistoryEntry
    from ecozoning.ui.team_dialogs import ConflictDialog, HistoryDialog

    conflict = ClauseConflict(
        7, "C-230100-001", "city", "230100", {"text": "我的文本"}, {"text": "对方的文本"}, 3, "harbin_230100",
        "2026-12-02 10:00:00+00:00",
    )  # fmt: skip
    dialog = ConflictDialog(conflict)
    header = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "harbin_230100" in header and "2026-12-02 10:00:00" in header and "C-230100-001" in header
    assert dialog.mine_view.toPlainText() == "我的文本" and dialog.theirs_view.toPlainText() == "对方的文本"
    dialog.merge_edit.setPlainText("合并的文本")
    dialog.merge_button.click()
    assert dialog.choice == "merge" and dialog.result_values() == {"text": "合并的文本"}
    take = ConflictDialog(conflict)
    take.take_button.click()
    assert take.choice == "theirs" and take.result_values() is None

    entries = [
        HistoryEntry(12, "2026-12-02 11:00:00+00:00", "harbin_230100", "EcoZoning list dock", "update",
                     "C-230100-001", "city", "230100", {"text": "旧"}, {"text": "新"}),
        HistoryEntry(3, "2026-12-01 09:00:00+00:00", "eco_admin", "EcoZoning", "delete",
                     "C-230100-009", "city", "230100", {"text": "删掉的"}, None),
    ]  # fmt: skip
    history = HistoryDialog("t", entries)
    cells = [[history.table.item(r, c).text() for c in range(5)] for r in range(2)]
    assert cells[0][1] == "harbin_230100 · EcoZoning list dock" and cells[0][4] == "新"
    assert cells[1][4] == "删掉的"  # a delete shows the text it removed (what a restore brings back)
    assert not history.restore_button.isEnabled()
    history.table.selectRow(1)
    assert history.restore_button.isEnabled() and history.chosen() is entries[1]
