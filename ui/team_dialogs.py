"""Dialogs of the list dock for a team library (core/db_library.py): a save conflict (keep mine, take theirs or
merge by hand) and the history of a clause or unit (restore an earlier text as a new edit)."""

from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..core.library_store import ClauseConflict, HistoryEntry
from .list_model import tr


def op_label(op: str) -> str:
    return {
        "insert": tr("新增 added"),
        "update": tr("修改 changed"),
        "delete": tr("删除 deleted"),
    }.get(op, op)


class ConflictDialog(QDialog):
    """Both texts side by side, who saved theirs and when; the merge box starts with both."""

    def __init__(self, conflict: ClauseConflict, parent=None):
        super().__init__(parent)
        self.conflict = conflict
        self.choice: Optional[str] = None
        self.setWindowTitle(tr("保存冲突 Save conflict: {}").format(conflict.clause_id))
        layout = QGridLayout(self)
        theirs = conflict.theirs["text"] if conflict.theirs else ""
        if conflict.theirs is None:
            who = tr("{by} 已删除此条款 {by} deleted this clause").format(by=conflict.by or "?")
        else:
            who = tr("{by} 于 {at} 保存了新版本 {by} saved a newer version at {at}").format(
                by=conflict.by or "?", at=conflict.at or "?"
            )
        header = QLabel(
            tr("条款 {id}（{level} {scope}）在您载入后已被他人修改。 Clause {id} changed since you loaded it.").format(
                id=conflict.clause_id, level=conflict.level, scope=conflict.scope
            )
            + "\n"
            + who
        )
        header.setWordWrap(True)
        layout.addWidget(header, 0, 0, 1, 2)
        layout.addWidget(QLabel(tr("我的文本 My text")), 1, 0)
        layout.addWidget(QLabel(tr("对方的文本 Their text")), 1, 1)
        self.mine_view = QPlainTextEdit(conflict.mine.get("text", ""))
        self.mine_view.setReadOnly(True)
        self.theirs_view = QPlainTextEdit(theirs if conflict.theirs else tr("（已删除） (deleted)"))
        self.theirs_view.setReadOnly(True)
        layout.addWidget(self.mine_view, 2, 0)
        layout.addWidget(self.theirs_view, 2, 1)
        layout.addWidget(QLabel(tr("合并结果（可编辑） Merged text (editable)")), 3, 0, 1, 2)
        merged = conflict.mine.get("text", "") if not theirs else f"{conflict.mine.get('text', '')}\n{theirs}"
        self.merge_edit = QPlainTextEdit(merged)
        layout.addWidget(self.merge_edit, 4, 0, 1, 2)
        buttons = QDialogButtonBox()
        self.keep_button = buttons.addButton(tr("保留我的 Keep mine"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.take_button = buttons.addButton(tr("采用对方的 Take theirs"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button = buttons.addButton(tr("保存合并结果 Use the merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        for button, choice in ((self.keep_button, "mine"), (self.take_button, "theirs"), (self.merge_button, "merge")):
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
        layout.addWidget(buttons, 5, 0, 1, 2)
        self.resize(720, 480)

    def _choose(self, choice: str):
        self.choice = choice
        self.accept()

    def result_values(self) -> Optional[dict]:
        return {"text": self.merge_edit.toPlainText().strip()} if self.choice == "merge" else None


class HistoryDialog(QDialog):
    """Newest first: when, who (role and application), what, the text it left; Restore picks one."""

    WHEN, WHO, WHAT, ID, TEXT = range(5)

    def __init__(self, title: str, entries: list[HistoryEntry], parent=None):
        super().__init__(parent)
        self.entries = entries
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(entries), 5)
        self.table.setHorizontalHeaderLabels(
            [tr("时间 When"), tr("用户 Who"), tr("操作 What"), tr("编号 Id"), tr("条款 Clause")]
        )
        for row, entry in enumerate(entries):
            state = entry.state() or {}
            cells = [
                entry.at,
                f"{entry.who} · {entry.application}",
                op_label(entry.op),
                entry.clause_id,
                state.get("text", ""),
            ]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(tr("恢复为新的修改 Restore as a new edit"))
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        )
        layout.addWidget(buttons)
        self.resize(820, 420)

    def chosen(self) -> Optional[HistoryEntry]:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None
