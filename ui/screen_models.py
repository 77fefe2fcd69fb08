"""The quick-screen dock's result views: the verdict (with the reviewer's decision), the units or zones hit,
the applicable clauses by dimension."""

from __future__ import annotations

import html
from typing import Optional

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from ..core.lists import DEFAULT_DIMENSION_LABELS, DIMENSIONS, Library
from ..core.report import Decision, chinese_part, note_zh
from ..core.schema import CLASS_LABELS
from ..core.screening import Result
from ..processing.algorithms.base import user_language
from .list_model import KIND_COLORS, clause_details, kind_item, level_badge, tr

# bandit reads the key "pass" as a password
VERDICT_COLORS = {"pass": "#2e7d32", "conditional": "#e65100", "fail": "#b71c1c", "need_info": "#1565c0"}  # nosec B105


def verdict_title(verdict: str) -> str:
    return {
        "pass": tr("判定通过 Pass"),
        "conditional": tr("受限准入 Conditional admission"),
        "fail": tr("判定不通过 Fail"),
        "need_info": tr("待补充信息 Information needed"),
    }.get(verdict, verdict)


class HitTableModel(QAbstractTableModel):
    """The units (or element zones) a footprint touches: measure and shares."""

    CODE, NAME, CLASS, TYPE, MEASURE, HECTARES, SHARE_PROJECT, SHARE_TARGET = range(8)

    def __init__(self, parent=None, taxonomy=None):
        super().__init__(parent)
        self.taxonomy = taxonomy
        self._hits = []
        self._kind = "area"

    def set_hits(self, hits, kind: str):
        self.beginResetModel()
        self._hits = list(hits)
        self._kind = kind
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def hits(self):
        return list(self._hits)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 8

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt API)
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        measure = {"area": tr("面积 m²"), "length": tr("长度 m"), "point": tr("点数 Points")}.get(self._kind, "")
        labels = [
            tr("编码 Code"),
            tr("名称 Name"),
            tr("类别 Class"),
            tr("类型 Type"),
            measure,
            tr("公顷 ha"),
            tr("占项目 Share of project"),
            tr("占单元 Share of unit"),
        ]
        return labels[section] if 0 <= section < len(labels) else None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._hits):
            return None
        hit, column = self._hits[index.row()], index.column()
        target = hit.target
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CODE:
                return target.code
            if column == self.NAME:
                return target.name
            if column == self.CLASS:
                return CLASS_LABELS.get(target.target_class, tr("类别不明 Class unknown"))
            if column == self.TYPE:
                return self.taxonomy.subtype_label(target.key) if self.taxonomy and target.key else target.key
            if column == self.MEASURE:
                return f"{hit.measure:,.0f}" if self._kind == "point" else f"{hit.measure:,.1f}"
            if column == self.HECTARES:
                return f"{hit.measure / 10000:,.4f}" if self._kind == "area" else ""
            if column == self.SHARE_PROJECT:
                return f"{100 * hit.share_project:.2f} %"
            if column == self.SHARE_TARGET:
                return f"{100 * hit.share_target:.3f} %" if hit.share_target is not None else ""
        if role == Qt.ItemDataRole.DecorationRole and column == self.CLASS and self.taxonomy is not None:
            color = self.taxonomy.class_labels.get(target.target_class, {}).get("color")
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.CODE, self.NAME):
            return f"{target.code} {target.name} · {target.county}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.MEASURE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ClauseTreeModel(QStandardItemModel):
    """The applicable clauses grouped by the four dimensions: level badge, kind, id, industry match, unit, text."""

    LEVEL, KIND, ID, MATCH, UNIT, TEXT = range(6)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._headers()

    def _headers(self):
        self.setHorizontalHeaderLabels(
            [
                tr("层级 Level"),
                tr("类型 Kind"),
                tr("编号 Id"),
                tr("行业适用 Industry"),
                tr("单元 Unit"),
                tr("条款 Clause"),
            ]
        )

    def set_result(self, result: Optional[Result], library: Optional[Library]):
        self.clear()
        self._headers()
        if result is None:
            return
        groups = {d: [] for d in DIMENSIONS}
        others = []
        for row in result.clauses:
            groups.get(row.clause.dimension, others).append(row)
        for dimension in DIMENSIONS:
            if library is not None:
                label = f"{library.dimension_label(dimension)} {library.dimension_label(dimension, 'en')}"
            else:
                labels = DEFAULT_DIMENSION_LABELS[dimension]
                label = f"{labels['zh']} {labels['en']}"
            self._group(label, groups[dimension])
        if others:
            self._group(tr("其他（维度未知） Other (unknown dimension)"), others)

    def _group(self, label: str, rows):
        group = QStandardItem(f"{label} ({len(rows)})")
        font = group.font()
        font.setBold(True)
        group.setFont(font)
        for row in rows:
            group.appendRow(self._row(row))  # noqa: QGS202 (QStandardItem.appendRow returns nothing)
        self.appendRow([group, *(QStandardItem() for _ in range(5))])  # noqa: QGS202 (returns nothing)

    @staticmethod
    def _row(row) -> list[QStandardItem]:
        clause = row.clause
        badge = level_badge(row.level, row.scope)
        kind = kind_item(clause.kind)
        if row.industry_match is None:
            match = QStandardItem("—")
            match.setToolTip(tr("条款不按行业区分 The clause applies to every industry"))
        else:
            match = QStandardItem(tr("是 yes") if row.industry_match else tr("否 no"))
            match.setToolTip(tr("适用行业 Industries: {}").format(", ".join(clause.industries)))
            if row.industry_match and clause.kind in ("prohibit", "restrict"):
                match.setForeground(QBrush(QColor(KIND_COLORS[clause.kind])))
                font = match.font()
                font.setBold(True)
                match.setFont(font)
        text = QStandardItem(clause.text)
        text.setToolTip(clause_details(clause))
        items = [badge, kind, QStandardItem(clause.id), match, QStandardItem(row.unit_code), text]
        for item in items:
            item.setEditable(False)  # noqa: QGS202 (QStandardItem.setEditable returns nothing)
        return items


def verdict_html(result: Result, decision: Optional[Decision] = None, number: str = "") -> str:
    esc = html.escape
    color = VERDICT_COLORS.get(result.verdict, "#000000")
    # the rules write reasons as '中文 English': a Chinese QGIS shows the Chinese part, as the reports do
    shown = (lambda text: chinese_part(text)) if user_language() == "zh" else (lambda text: text)
    reasons = "".join(f"<li>{esc(shown(reason))}</li>" for reason in result.verdict_reasons())
    others = "".join(
        f"<li style='color:#666666'>[{esc(verdict_title(v))}] {esc(shown(reason))}</li>"
        for v, _, reason in result.reasons
        if v != result.verdict
    )
    notes = "".join(
        f"<li style='color:#666666'>{esc(note_zh(note) if user_language() == 'zh' else note)}</li>"
        for note in result.notes
    )
    if result.kind == "area":
        size = tr("面积 Area {ha:,.4f} ha ({m2:,.0f} m²)").format(ha=result.total / 10000, m2=result.total)
    elif result.kind == "length":
        size = tr("长度 Length {:,.1f} m").format(result.total)
    elif result.kind == "point":
        size = tr("点数 Points {:,.0f}").format(result.total)
    else:
        size = tr("无有效范围 No usable footprint")
    outside = tr("单元外 Outside the units {:.2f} %").format(100 * result.outside_share)
    return (
        f"<p style='margin:0'><span style='color:{color};font-size:large;font-weight:bold'>"
        f"{esc(verdict_title(result.verdict))}</span>　{esc(result.project.pid)} {esc(result.project.name)}</p>"
        f"<ul style='margin:2px 0 2px -20px;color:{color}'>{reasons}{others}{notes}</ul>"
        f"<p style='margin:0;color:#444444'>{esc(size)} · {esc(outside)}</p>"
        + (
            f"<p style='margin:0;color:#444444'>{esc(tr('报告编号 Report number'))}: {esc(number)}</p>"
            if number
            else ""
        )
        + decision_html(decision)
    )


def decision_html(decision: Optional[Decision]) -> str:
    if decision is None:
        return (
            f"<p style='margin:0;color:#666666'>{html.escape(tr('审查意见：尚未审查 Reviewer: not reviewed yet'))}</p>"
        )
    color = VERDICT_COLORS.get(decision.decision, "#000000")
    return (
        f"<p style='margin:0'>{html.escape(tr('审查意见 Reviewer'))}: <b style='color:{color}'>"
        f"{html.escape(verdict_title(decision.decision))}</b> — {html.escape(decision.reason)}"
        f" ({html.escape(decision.reviewer)}, {html.escape(decision.time)})</p>"
    )
