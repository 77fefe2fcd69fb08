"""快速研判 Quick screen: one project screened on the map, as the reviewer draws or picks its footprint.

The unit layer, the element zones and the admission-list library are read once (in a QgsTask) into the
spatial indexes of core/screening.py; each footprint is then screened with `screen_project` in
milliseconds. The dock shows the verdict with its reasons, the units (and zones) hit with their shares,
and the applicable clauses grouped by dimension; "write report" files that project's HTML and PDF report,
made as `ecozoning:screenprojects` makes them. The question to the user (`ask_report_folder`) is a method
that tests can answer.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import time
from typing import Callable, Optional

import shapely
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsSettings,
    QgsTask,
    QgsVectorLayer,
    QgsVectorLayerFeatureSource,
)
from qgis.gui import (
    QgsCheckableComboBox,
    QgsDockWidget,
    QgsDoubleSpinBox,
    QgsFileWidget,
    QgsMapLayerComboBox,
    QgsMessageBar,
    QgsRubberBand,
)
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QRegularExpression, Qt, QVariant, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QRegularExpressionValidator, QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

try:  # Qt 6 moved it to QtGui
    from qgis.PyQt.QtGui import QAction
except ImportError:
    from qgis.PyQt.QtWidgets import QAction

from ..core.filing import sha256_file
from ..core.list_table import CLASS_LABELS
from ..core.lists import (
    DEFAULT_DIMENSION_LABELS,
    DIMENSIONS,
    KIND_LABELS,
    LEVEL_LABELS,
    Library,
    LibraryError,
    load_library,
)
from ..core.schema import unit_class as schema_unit_class
from ..core.screening import Index, Project, Result, Rules, Target, load_rules, report_html, screen_project
from ..core.taxonomy import load_taxonomy
from ..processing.adapter import STORAGE_CRS, to_qgs, to_shapely
from ..processing.algorithms.screen_projects import library_digest
from ..processing.report_render import footprint_layer, html_to_pdf, padded_extent, render_map, units_style_layer
from .list_model import KIND_COLORS, LEVEL_COLORS, clause_details, tr
from .sketch_map_tool import POLYGON_GEOMETRY, SketchMapTool
from .unit_map_tool import UnitMapTool
from .widgets import add_busy_row

UNIT_CODE = "HJGKDYBM"
ZONE_KEY = "YSXL"
# attributes a picked feature may carry (the sample and the provincial templates use the pinyin initials)
ID_FIELDS = ("XMBH", "QYBH", "ID", "CODE")
NAME_FIELDS = ("XMMC", "QYMC", "NAME")
INDUSTRY_FIELDS = ("HYDM", "INDUSTRY", "GBT4754")
# bandit reads the key "pass" as a password
VERDICT_COLORS = {"pass": "#2e7d32", "conditional": "#e65100", "fail": "#b71c1c", "need_info": "#1565c0"}  # nosec B105
INDUSTRY_PATTERN = r"^[A-Ta-t](\d{1,4})?$"
TRANSFORM_OK = Qgis.GeometryOperationResult.Success


def _layer_filter(new_name: str, old_name: str):
    owner = getattr(Qgis, "LayerFilter", None)  # QGIS 3.34 and later (QGIS 4: only there)
    if owner is not None and hasattr(owner, new_name):
        return getattr(owner, new_name)
    return getattr(QgsMapLayerProxyModel.Filter, old_name)


POLYGON_LAYERS = _layer_filter("PolygonLayer", "PolygonLayer")
GEOMETRY_LAYERS = _layer_filter("HasGeometry", "HasGeometry")


def verdict_title(verdict: str) -> str:
    return {
        "pass": tr("判定通过 Pass"),
        "conditional": tr("受限准入 Conditional admission"),
        "fail": tr("判定不通过 Fail"),
        "need_info": tr("待补充信息 Information needed"),
    }.get(verdict, verdict)


def _value(value):
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    return value


def _text(value) -> str:
    value = _value(value)
    return "" if value is None else str(value).strip()


def _attribute(feature, candidates) -> Optional[str]:
    """The first of `candidates` (case-insensitive) that the feature has, as text; None when it has none."""
    names = {name.upper(): name for name in feature.fields().names()}
    for candidate in candidates:
        if candidate in names:
            return _text(feature[names[candidate]])
    return None


def unit_target(attrs: dict, geom) -> Target:
    """A unit as ecozoning:screenprojects reads it (class from ZHGKDYFL, else from the code)."""
    code = _text(attrs.get(UNIT_CODE))
    unit_class = schema_unit_class(attrs.get("ZHGKDYFL"), code) or 3  # 1, 1.0, '1', '优先保护单元'…
    return Target(
        code, _text(attrs.get("HJGKDYMC")), unit_class, _text(attrs.get("GKDYLX")), geom, _text(attrs.get("XZQDM"))
    )


def zone_target(attrs: dict, geom) -> Target:
    raw_class = _text(attrs.get("GKFL"))
    return Target(
        _text(attrs.get("YSBM")),
        _text(attrs.get("YSMC")),
        int(raw_class) if raw_class.isdigit() else 3,
        _text(attrs.get(ZONE_KEY)),
        geom,
        _text(attrs.get("XZQDM")),
    )


class LayerInput:
    """What a worker thread needs to read a layer: a feature source and the CRS to reproject from."""

    def __init__(self, layer: QgsVectorLayer):
        self.name = layer.name()
        self.source = QgsVectorLayerFeatureSource(layer)
        self.fields = layer.fields().names()
        self.crs = layer.crs()
        self.context = QgsProject.instance().transformContext()

    def targets(self, make, is_canceled) -> list[Target]:
        transform = None
        if self.crs.isValid() and self.crs != STORAGE_CRS:
            transform = QgsCoordinateTransform(self.crs, STORAGE_CRS, self.context)
        targets = []
        for feature in self.source.getFeatures(QgsFeatureRequest()):
            if is_canceled():
                return []
            geometry = QgsGeometry(feature.geometry())
            if geometry.isNull() or geometry.isEmpty():
                continue
            if transform is not None:
                try:
                    failed = geometry.transform(transform) != TRANSFORM_OK
                except QgsCsException as exc:  # coordinates outside the CRS's area
                    failed = exc
                if failed:
                    raise ValueError(f"'{self.name}': feature {feature.id()} cannot be reprojected to EPSG:4490")
            geom = to_shapely(geometry)
            if geom is not None and not geom.is_empty:
                targets.append(make({name: feature[name] for name in self.fields}, geom))
        return targets


class IndexTask(QgsTask):
    """Builds the spatial indexes (and loads the library) in the background. Parts left None are kept as they
    are; `done(task, ok)` runs in the main thread."""

    def __init__(self, units: Optional[LayerInput], zones: Optional[list], folder: Optional[str], done):
        super().__init__(tr("建立研判索引 Indexing for quick screening"), QgsTask.Flag.CanCancel)
        self.units, self.zones, self.folder, self.done = units, zones, folder, done
        self.unit_index: Optional[Index] = None
        self.zone_index: Optional[Index] = None
        self.library: Optional[Library] = None
        self.error = ""
        self.seconds = 0.0
        self.parts: set[str] = set()

    def run(self):
        started = time.perf_counter()
        try:
            if self.units is not None:
                targets = self.units.targets(unit_target, self.isCanceled)
                if not targets and not self.isCanceled():
                    raise ValueError(f"'{self.units.name}' has no units with a geometry")
                self.unit_index = Index(targets)
            self.setProgress(60)
            if self.zones:
                targets = [t for layer in self.zones for t in layer.targets(zone_target, self.isCanceled)]
                self.zone_index = Index(targets)
            self.setProgress(80)
            if self.folder:
                self.library = load_library(self.folder)
        except (LibraryError, OSError, ValueError, RuntimeError, shapely.errors.GEOSException) as exc:
            self.error = f"{type(exc).__name__}: {exc}" if not isinstance(exc, (LibraryError, ValueError)) else str(exc)
            return False
        self.seconds = time.perf_counter() - started
        return not self.isCanceled()

    def finished(self, result):
        self.done(self, result)


# --- result models ----------------------------------------------------------------------------------------------
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
                return f"{target.target_class} {CLASS_LABELS.get(target.target_class, '')}".strip()
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
        badge = QStandardItem(LEVEL_LABELS.get(row.level, row.level))
        badge.setBackground(QBrush(QColor(LEVEL_COLORS.get(row.level, "#555555"))))
        badge.setForeground(QBrush(QColor("#ffffff")))
        badge.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        badge.setToolTip(f"{LEVEL_LABELS.get(row.level, row.level)} · {row.scope}")
        kind = QStandardItem(KIND_LABELS.get(clause.kind, clause.kind))
        kind.setForeground(QBrush(QColor(KIND_COLORS.get(clause.kind, "#555555"))))
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


def verdict_html(result: Result) -> str:
    esc = html.escape
    color = VERDICT_COLORS.get(result.verdict, "#000000")
    reasons = "".join(f"<li>{esc(reason)}</li>" for reason in result.verdict_reasons())
    others = "".join(
        f"<li style='color:#666666'>[{esc(verdict_title(v))}] {esc(reason)}</li>"
        for v, _, reason in result.reasons
        if v != result.verdict
    )
    notes = "".join(f"<li style='color:#666666'>{esc(note)}</li>" for note in result.notes)
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
    )


def write_report_files(
    result: Result, folder: str, units_layer: QgsVectorLayer, library: Optional[Library], taxonomy
) -> tuple[str, str]:
    """One project's report as ecozoning:screenprojects writes it: map image, HTML and PDF. (html, pdf) paths."""
    os.makedirs(folder, exist_ok=True)
    source_path = units_layer.source().split("|")[0]
    stamp = {
        "单元图层 Units": units_layer.name(),
        "单元图层 SHA-256": sha256_file(source_path) if os.path.isfile(source_path) else "(memory layer)",
        "准入清单 Library": f"{library.name} {library.version}" if library is not None else "—",
        "清单库 SHA-256": library_digest(library.root) if library is not None else "—",
        "日期 Date": datetime.date.today().isoformat(),
        "工具 Tool": "EcoZoning 快速研判 Quick screen",
    }
    base = re.sub(r"[^\w\-.]+", "_", result.project.pid)[:80] or "project"
    image = ""
    if result.footprint is not None:
        image = f"{base}.png"
        footprint = footprint_layer(result.footprint, result.kind)
        styled = units_style_layer(units_layer, taxonomy)
        render_map([footprint, styled], padded_extent(result.footprint), os.path.join(folder, image))
        del footprint, styled  # memory layers owned by Python: gone before QGIS is
    text = report_html(result, stamp, image, library)
    html_path = os.path.join(folder, f"{base}.html")
    with open(html_path, "w", encoding="utf-8") as handle:
        handle.write(text)  # noqa: QGS201 (a Python file, not a QgsProject)
    pdf_path = html_to_pdf(text, folder, os.path.join(folder, f"{base}.pdf"))
    return html_path, pdf_path


# --- the dock ---------------------------------------------------------------------------------------------------
class ScreenPanel(QgsDockWidget):
    """快速研判 Quick screen dock."""

    ready = pyqtSignal()  # the indexes were (re)built, or their building failed
    screened = pyqtSignal(object)  # a Result

    def __init__(  # noqa: QGS105 (the plugin hands its iface over; tests pass none)
        self,
        canvas,
        parent=None,
        iface=None,
        library_source: Optional[Callable[[], Optional[Library]]] = None,
    ):
        super().__init__(tr("快速研判 Quick screen"), parent)
        self.setObjectName("EcoZoningScreenDock")
        self.canvas = canvas
        self.iface = iface
        self.library_source = library_source  # the admission-list dock's library, reused when it is the same folder
        self.background = True  # build the indexes in a QgsTask
        self.taxonomy = load_taxonomy()
        self.rules: Rules = load_rules()
        self.unit_layer: Optional[QgsVectorLayer] = None
        self.unit_index: Optional[Index] = None
        self.zone_index: Optional[Index] = None
        self.library: Optional[Library] = None
        self.footprint = None  # shapely, EPSG:4490
        self.result: Optional[Result] = None
        self.last_seconds = 0.0
        self.index_seconds = 0.0
        self._folder = ""
        self._task: Optional[IndexTask] = None
        self._pending: set[str] = set()
        self._sketches = 0
        self.polygon_tool = SketchMapTool(canvas, "polygon")
        self.line_tool = SketchMapTool(canvas, "line")
        self.pick_tool = UnitMapTool(canvas)  # picks the feature under a click on any layer
        self.footprint_band = QgsRubberBand(canvas, POLYGON_GEOMETRY)
        self.footprint_band.setStrokeColor(QColor(213, 0, 0, 230))
        self.footprint_band.setFillColor(QColor(213, 0, 0, 40))
        self.footprint_band.setWidth(2)
        self.hit_model = HitTableModel(self, self.taxonomy)
        self.zone_model = HitTableModel(self, self.taxonomy)
        self.clause_model = ClauseTreeModel(self)
        self._build()
        self._connect()
        self._refresh_zone_layers()
        unit_layer = self._first_unit_layer()
        if unit_layer is None:
            self.layer_combo.setLayer(None)
        self.set_unit_layer(unit_layer)
        self._update_actions()

    # --- layout ---------------------------------------------------------------------------------------------
    def _action(self, icon: str, text: str, slot, checkable: bool = False) -> QAction:
        action = QAction(QgsApplication.getThemeIcon(icon), text, self)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build(self):
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.message_bar = QgsMessageBar()
        layout.addWidget(self.message_bar)

        form = QFormLayout()
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(POLYGON_LAYERS)
        self.layer_combo.setAllowEmptyLayer(True)
        form.addRow(tr("单元图层 Unit layer"), self.layer_combo)
        self.folder_widget = QgsFileWidget()
        self.folder_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folder_widget.setDialogTitle(tr("选择准入清单库文件夹 Choose the admission-list library folder"))
        form.addRow(tr("清单库 Library"), self.folder_widget)
        self.zones_combo = QgsCheckableComboBox()
        self.zones_combo.setDefaultText(tr("（可选）标准化要素分区 (optional) standardized element zones"))
        self.zones_combo.setToolTip(
            tr("含 YSXL 字段的面图层；勾选后按分区本身判断红线和水优先保护区 Polygon layers with YSXL")
        )
        form.addRow(tr("要素分区 Element zones"), self.zones_combo)
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("XM-001")
        form.addRow(tr("项目编号 Project id"), self.id_edit)
        self.name_edit = QLineEdit()
        form.addRow(tr("项目名称 Project name"), self.name_edit)
        self.industry_edit = QLineEdit()
        self.industry_edit.setPlaceholderText("C2520")
        self.industry_edit.setValidator(QRegularExpressionValidator(QRegularExpression(INDUSTRY_PATTERN), self))
        self.industry_edit.setToolTip(tr("国民经济行业分类 GB/T 4754 代码，如 C2520 GB/T 4754 industry code"))
        form.addRow(tr("行业代码 Industry (GB/T 4754)"), self.industry_edit)
        self.buffer_spin = QgsDoubleSpinBox()
        self.buffer_spin.setRange(0.0, 100000.0)
        self.buffer_spin.setDecimals(1)
        self.buffer_spin.setSuffix(" m")
        self.buffer_spin.setShowClearButton(True)
        self.buffer_spin.setClearValue(0.0)
        form.addRow(tr("缓冲 Buffer"), self.buffer_spin)
        self.pick_layer_combo = QgsMapLayerComboBox()
        self.pick_layer_combo.setFilters(GEOMETRY_LAYERS)
        self.pick_layer_combo.setToolTip(tr("点选或使用所选要素的图层 The layer to pick features from"))
        form.addRow(tr("拾取图层 Pick from"), self.pick_layer_combo)
        layout.addLayout(form)

        self.polygon_action = self._action(
            "/mActionCapturePolygon.svg",
            tr("绘制面（左键加点，右键结束） Draw a polygon (left click: vertex, right click: finish)"),
            lambda on: self._toggle_tool(self.polygon_tool, on),
            checkable=True,
        )
        self.line_action = self._action(
            "/mActionCaptureLine.svg",
            tr("绘制线（左键加点，右键结束） Draw a line (left click: vertex, right click: finish)"),
            lambda on: self._toggle_tool(self.line_tool, on),
            checkable=True,
        )
        self.pick_action = self._action(
            "/mActionIdentify.svg",
            tr("在地图上点选要素 Pick a feature on the map"),
            lambda on: self._toggle_tool(self.pick_tool, on),
            checkable=True,
        )
        self.selected_action = self._action(
            "/mActionSelectRectangle.svg", tr("使用所选要素 Use the selected feature"), self.use_selected_feature
        )
        self.report_action = self._action("/mActionSaveAsPDF.svg", tr("生成报告 Write report"), self.write_report)
        self.clear_action = self._action("/mActionDeselectAll.svg", tr("清除 Clear"), self.clear_result)
        toolbar = QToolBar()
        for action in (
            self.polygon_action,
            self.line_action,
            self.pick_action,
            self.selected_action,
            self.report_action,
            self.clear_action,
        ):
            toolbar.addAction(action)
        layout.addWidget(toolbar)

        self.progress, self.cancel_button, self.status = add_busy_row(layout, tr("取消 Cancel"))

        self.verdict_label = QLabel(tr("绘制或点选一个项目范围 Draw or pick a project footprint"))
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict_label)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.hit_view = self._table(self.hit_model)
        splitter.addWidget(self._titled(tr("涉及环境管控单元 Units"), self.hit_view))
        self.zone_view = self._table(self.zone_model)
        self.zone_box = self._titled(tr("涉及要素管控分区 Element zones"), self.zone_view)
        self.zone_box.hide()
        splitter.addWidget(self.zone_box)
        self.clause_view = QTreeView()
        self.clause_view.setModel(self.clause_model)
        self.clause_view.setWordWrap(True)
        self.clause_view.setAlternatingRowColors(True)
        header = self.clause_view.header()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        splitter.addWidget(self._titled(tr("适用准入要求 Applicable clauses"), self.clause_view))
        layout.addWidget(splitter, 1)
        self.setWidget(body)

    @staticmethod
    def _table(model) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        return view

    @staticmethod
    def _titled(title: str, view) -> QWidget:
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
        box_layout.addWidget(view)
        return box

    def _connect(self):
        self.layer_combo.layerChanged.connect(self.set_unit_layer)
        self.folder_widget.fileChanged.connect(self.set_library_folder)
        self.zones_combo.checkedItemsChanged.connect(lambda _items: self._reload({"zones"}))
        self.pick_layer_combo.layerChanged.connect(self.pick_tool.setLayer)
        self.pick_tool.setLayer(self.pick_layer_combo.currentLayer())
        self.pick_tool.unitPicked.connect(self._on_feature_picked)
        for tool in (self.polygon_tool, self.line_tool):
            tool.sketched.connect(self._on_sketched)
        for tool, action in (
            (self.polygon_tool, self.polygon_action),
            (self.line_tool, self.line_action),
            (self.pick_tool, self.pick_action),
        ):
            tool.deactivated.connect(lambda a=action: a.setChecked(False))
        self.industry_edit.editingFinished.connect(self.rescreen)
        self.id_edit.editingFinished.connect(self.rescreen)
        self.name_edit.editingFinished.connect(self.rescreen)
        self.buffer_spin.valueChanged.connect(lambda _value: self.rescreen())
        self.cancel_button.clicked.connect(self._cancel_task)
        project = QgsProject.instance()
        project.layersAdded.connect(self._refresh_zone_layers)
        project.layersRemoved.connect(self._refresh_zone_layers)
        if self.iface is not None and hasattr(self.iface, "currentLayerChanged"):
            self.iface.currentLayerChanged.connect(self._follow_active_layer)

    # --- questions (override in tests) ----------------------------------------------------------------------
    def ask_report_folder(self) -> str:
        settings = QgsSettings()
        start = str(settings.value("ecozoning/screen_report_folder", "") or os.path.expanduser("~"))
        folder = QFileDialog.getExistingDirectory(
            self, tr("报告保存到 Write the report to"), start, QFileDialog.Option.ShowDirsOnly
        )
        if folder:
            settings.setValue("ecozoning/screen_report_folder", folder)  # noqa: QGS202 (QgsSettings.setValue returns nothing)
        return folder

    def show_error(self, message: str) -> None:
        self.message_bar.pushMessage(tr("快速研判 Quick screen"), message, Qgis.MessageLevel.Warning, 10)
        self.status.setText(message)

    # --- inputs and indexes ---------------------------------------------------------------------------------
    def set_unit_layer(self, layer):
        layer = layer if isinstance(layer, QgsVectorLayer) and layer.isValid() else None
        if layer is not None and UNIT_CODE not in layer.fields().names():
            self.show_error(
                tr(
                    "图层 {name} 没有 {field} 字段，不是管控单元图层 {name} has no {field} field: not a unit layer"
                ).format(name=layer.name(), field=UNIT_CODE)
            )
            layer = None
        current = self.layer_combo.currentLayer()
        if layer is not None and (current is None or current.id() != layer.id()):
            self.layer_combo.setLayer(layer)  # emits layerChanged, which calls us again
            return
        self.unit_layer = layer
        self.unit_index = None
        self._reload({"units"})

    def _first_unit_layer(self) -> Optional[QgsVectorLayer]:
        """The combo's layer when it holds units, else the first unit layer of the project."""
        layers = [self.layer_combo.currentLayer()] + [
            self.layer_combo.layer(row) for row in range(self.layer_combo.count())
        ]
        for layer in layers:
            if isinstance(layer, QgsVectorLayer) and layer.isValid() and UNIT_CODE in layer.fields().names():
                return layer
        return None

    def set_library_folder(self, folder: str) -> bool:
        folder = (folder or "").strip()
        if folder and not os.path.isfile(os.path.join(folder, "library.yaml")):
            self.status.setText(tr("{} 不是准入清单库（缺少 library.yaml） is not a library folder").format(folder))
            return False
        if self.folder_widget.filePath() != folder:
            self.folder_widget.blockSignals(True)
            self.folder_widget.setFilePath(folder)
            self.folder_widget.blockSignals(False)
        self._folder = folder
        shared = self._shared_library()
        if shared is not None and folder and os.path.abspath(folder) == os.path.abspath(shared.root):
            self.library = shared  # the lists dock's library: its unsaved edits count too
            self._update_status()
            self.rescreen()
            return True
        self.library = None
        self._reload({"library"})
        return True

    def _shared_library(self) -> Optional[Library]:
        return self.library_source() if self.library_source is not None else None

    def zone_layers(self) -> list[QgsVectorLayer]:
        project = QgsProject.instance()
        layers = [project.mapLayer(layer_id) for layer_id in self.zones_combo.checkedItemsData()]
        return [layer for layer in layers if isinstance(layer, QgsVectorLayer)]

    def set_zone_layers(self, layers) -> None:
        wanted = {layer.id() for layer in layers}
        self.zones_combo.blockSignals(True)
        for row in range(self.zones_combo.count()):
            state = Qt.CheckState.Checked if self.zones_combo.itemData(row) in wanted else Qt.CheckState.Unchecked
            self.zones_combo.setItemCheckState(row, state)
        self.zones_combo.blockSignals(False)
        self._reload({"zones"})

    def _refresh_zone_layers(self, *_args):
        checked = set(self.zones_combo.checkedItemsData())
        self.zones_combo.blockSignals(True)
        self.zones_combo.clear()
        for layer in QgsProject.instance().mapLayers().values():
            if (
                isinstance(layer, QgsVectorLayer)
                and layer.isValid()
                and layer.geometryType() == POLYGON_GEOMETRY
                and ZONE_KEY in layer.fields().names()
            ):
                state = Qt.CheckState.Checked if layer.id() in checked else Qt.CheckState.Unchecked
                self.zones_combo.addItemWithCheckState(layer.name(), state, layer.id())
        self.zones_combo.blockSignals(False)
        if checked != set(self.zones_combo.checkedItemsData()):
            self._reload({"zones"})  # a checked zone layer was removed

    def _follow_active_layer(self, layer):
        if isinstance(layer, QgsVectorLayer) and layer.isSpatial():
            self.pick_layer_combo.setLayer(layer)

    def is_busy(self) -> bool:
        return self._task is not None

    def is_ready(self) -> bool:
        return self.unit_index is not None and not self.is_busy()

    def _reload(self, parts: set[str]):
        """(Re)build the indexes of `parts` ('units', 'zones', 'library'); parts of a replaced build are kept."""
        if self._task is not None:
            task, self._task = self._task, None
            task.cancel()
        self._pending |= set(parts)
        units = LayerInput(self.unit_layer) if "units" in self._pending and self.unit_layer is not None else None
        zones = [LayerInput(layer) for layer in self.zone_layers()] if "zones" in self._pending else None
        folder = self._folder if "library" in self._pending else None
        if units is None and not zones and not folder:
            # nothing to read: what was asked is simply absent
            if "zones" in self._pending:
                self.zone_index = None
            self._pending.clear()
            self._update_status()
            self._update_actions()
            self.ready.emit()
            self.rescreen()
            return
        task = IndexTask(units, zones, folder, self._task_done)
        task.parts = set(self._pending)
        self._task = task
        self._set_busy(tr("正在建立索引 Indexing …"))
        if not self.background:
            self._task_done(task, task.run())
            return
        task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))  # noqa: QGS202 (returns nothing)
        QgsApplication.taskManager().addTask(task)

    def _task_done(self, task: IndexTask, ok: bool):
        if task is not self._task:
            return  # replaced by a newer build
        self._task = None
        self._pending.clear()
        self.progress.hide()
        self.cancel_button.hide()
        if ok:
            if "units" in task.parts:
                self.unit_index = task.unit_index
            if "zones" in task.parts:
                self.zone_index = task.zone_index
            if "library" in task.parts:
                self.library = task.library
                if self.library is not None and self.library.load_problems:
                    self.show_error(
                        tr("清单库有 {} 个文件无法读取 {} library files could not be read").format(
                            len(self.library.load_problems), len(self.library.load_problems)
                        )
                    )
            self.index_seconds = task.seconds
            self._update_status()
        else:
            self.show_error(task.error or tr("已取消 Canceled"))
        self._update_actions()
        self.ready.emit()
        self.rescreen()

    def _cancel_task(self):
        task, self._task = self._task, None
        self._pending.clear()
        if task is not None:
            task.cancel()
        self.progress.hide()
        self.cancel_button.hide()
        self._update_actions()

    def _set_busy(self, message: str):
        self.status.setText(message)
        self.progress.reset()
        self.progress.show()
        self.cancel_button.show()
        self._update_actions()

    def _update_status(self):
        if self.unit_index is None:
            self.status.setText(tr("请选择单元图层 Choose the unit layer"))
            return
        library = (
            f"{self.library.name} {self.library.version}".strip() or os.path.basename(self.library.root)
            if self.library is not None
            else tr("未选择 none")
        )
        self.status.setText(
            tr("已就绪 Ready: {units} 个单元 units, {zones} 个分区 zones, 清单库 library: {library}").format(
                units=len(self.unit_index.targets),
                zones=len(self.zone_index.targets) if self.zone_index is not None else 0,
                library=library,
            )
        )

    # --- footprints -------------------------------------------------------------------------------------------
    def _toggle_tool(self, tool, on: bool):
        if on:
            self.canvas.setMapTool(tool)
        elif self.canvas.mapTool() is tool:
            self.canvas.unsetMapTool(tool)

    def _on_sketched(self, geometry: QgsGeometry):
        self._sketches += 1
        self.id_edit.setText(f"SKETCH-{self._sketches:03d}")
        self.name_edit.setText(tr("草图 Sketch"))
        self.screen_geometry(geometry, self.canvas.mapSettings().destinationCrs())

    def _on_feature_picked(self, feature):
        layer = self.pick_tool.layer()
        if layer is not None:
            self.screen_feature(layer, feature)

    def use_selected_feature(self) -> bool:
        layer = self.pick_layer_combo.currentLayer()
        if not isinstance(layer, QgsVectorLayer) or layer.selectedFeatureCount() == 0:
            self.status.setText(tr("请先在拾取图层中选择一个要素 Select a feature of the pick layer first"))
            return False
        features = layer.selectedFeatures()
        self.screen_feature(layer, features[0])
        if len(features) > 1:
            self.message_bar.pushMessage(
                tr("快速研判 Quick screen"),
                tr(
                    "选中了 {n} 个要素，已研判第一个；批量研判请用“项目准入研判”算法 {n} selected: the first was screened"
                ).format(n=len(features)),
                Qgis.MessageLevel.Info,
                8,
            )
        return True

    def screen_feature(self, layer: QgsVectorLayer, feature) -> Optional[Result]:
        """Screen a feature of any layer; its id, name and industry code fill the form when it has such fields."""
        pid = _attribute(feature, ID_FIELDS)
        self.id_edit.setText(pid or f"{layer.name()}-{feature.id()}")
        self.name_edit.setText(_attribute(feature, NAME_FIELDS) or "")
        industry = _attribute(feature, INDUSTRY_FIELDS)
        if industry is not None:
            self.industry_edit.setText(industry.upper())
        return self.screen_geometry(feature.geometry(), layer.crs())

    def screen_geometry(self, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> Optional[Result]:
        """Take a footprint in `crs`, reproject it to EPSG:4490 and screen it (now, or once the indexes exist)."""
        geometry = QgsGeometry(geometry)
        if crs.isValid() and crs != STORAGE_CRS:
            transform = QgsCoordinateTransform(crs, STORAGE_CRS, QgsProject.instance())
            try:
                failed = geometry.transform(transform) != TRANSFORM_OK
            except QgsCsException:
                failed = True
            if failed:
                self.show_error(
                    tr("无法将范围转换到 EPSG:4490 Cannot reproject the footprint from {}").format(crs.authid())
                )
                return None
        try:
            self.footprint = to_shapely(geometry)
        except shapely.errors.GEOSException as exc:
            self.show_error(tr("无法读取范围 Unreadable footprint: {}").format(exc))
            return None
        return self.rescreen()

    def project(self) -> Project:
        return Project(
            pid=self.id_edit.text().strip() or "SKETCH",
            geom=self.footprint,
            name=self.name_edit.text().strip(),
            industry=self.industry_edit.text().strip().upper(),
            buffer_m=self.buffer_spin.value(),
        )

    def rescreen(self) -> Optional[Result]:
        """Screen the current footprint with the current form (industry, buffer…) against the built indexes."""
        if self.footprint is None:
            return None
        if not self.is_ready():
            if not self.is_busy():
                self.status.setText(tr("请选择单元图层 Choose the unit layer"))
            return None  # screened as soon as the indexes are built
        started = time.perf_counter()
        project = self.project()
        try:
            result = screen_project(project, self.unit_index, self.zone_index, self.library, self.rules)
        except (shapely.errors.GEOSException, ValueError) as exc:
            result = Result(project, None, "none", 0.0, notes=[f"could not be screened: {exc}"])
            result.reasons.append(("need_info", "error", f"无法研判 Could not be screened: {exc}"))
        self.show_result(result)
        self.last_seconds = time.perf_counter() - started
        self.status.setText(
            tr("研判用时 Screened in {:.0f} ms").format(1000 * self.last_seconds)
            + (tr("（未选择清单库，无条款 no library: no clauses）") if self.library is None else "")
        )
        self.screened.emit(result)
        return result

    def show_result(self, result: Optional[Result]):
        self.result = result
        if result is None:
            self.hit_model.set_hits([], "area")
            self.zone_model.set_hits([], "area")
            self.clause_model.set_result(None, None)
            self.verdict_label.setText(tr("绘制或点选一个项目范围 Draw or pick a project footprint"))
            self.footprint_band.reset(POLYGON_GEOMETRY)
            self._update_actions()
            return
        self.verdict_label.setText(verdict_html(result))
        self.hit_model.set_hits(result.unit_hits, result.kind)
        self.zone_model.set_hits(result.zone_hits, result.kind)
        self.zone_box.setVisible(self.zone_index is not None)
        self.clause_model.set_result(result, self.library)
        for row in range(self.clause_model.rowCount()):
            self.clause_view.setFirstColumnSpanned(row, QModelIndex(), True)
        self.clause_view.expandAll()
        if result.footprint is not None:
            self.footprint_band.setToGeometry(to_qgs(result.footprint), STORAGE_CRS)
        else:
            self.footprint_band.reset(POLYGON_GEOMETRY)
        self._update_actions()

    def clear_result(self):
        self.footprint = None
        self.show_result(None)

    # --- report -----------------------------------------------------------------------------------------------
    def write_report(self) -> Optional[str]:
        """Write the current project's HTML and PDF report (with a map) into a folder the user picks."""
        if self.result is None or self.unit_layer is None:
            return None
        folder = self.ask_report_folder()
        if not folder:
            return None
        try:
            html_path, pdf_path = write_report_files(self.result, folder, self.unit_layer, self.library, self.taxonomy)
        except OSError as exc:
            self.show_error(tr("无法写入报告 Cannot write the report: {}").format(exc))
            return None
        message = tr("报告已写入 Report written: {} , {}").format(html_path, pdf_path)
        self.status.setText(message)
        self.message_bar.pushMessage(tr("快速研判 Quick screen"), message, Qgis.MessageLevel.Success, 10)
        return html_path

    # --- state ------------------------------------------------------------------------------------------------
    def _update_actions(self):
        self.report_action.setEnabled(self.result is not None and self.unit_layer is not None and not self.is_busy())
        self.clear_action.setEnabled(self.result is not None or self.footprint is not None)

    def showEvent(self, event):  # noqa: N802 (Qt API name)
        super().showEvent(event)
        shared = self._shared_library()
        if not self._folder and shared is not None:
            self.set_library_folder(shared.root)  # the lists dock has one open: start with it

    def closeEvent(self, event):  # noqa: N802 (Qt API name)
        for action in (self.polygon_action, self.line_action, self.pick_action):
            action.setChecked(False)
        super().closeEvent(event)

    def cleanup(self):
        """Before the dock goes away: stop the build, give the map tools back, take the rubber bands off."""
        self._cancel_task()
        for action in (self.polygon_action, self.line_action, self.pick_action):
            action.setChecked(False)
        for tool in (self.polygon_tool, self.line_tool, self.pick_tool):
            if self.canvas.mapTool() is tool:
                self.canvas.unsetMapTool(tool)
        self.polygon_tool.remove()
        self.line_tool.remove()
        self.canvas.scene().removeItem(self.footprint_band)
        project = QgsProject.instance()
        for signal in (project.layersAdded, project.layersRemoved):
            try:
                signal.disconnect(self._refresh_zone_layers)
            except TypeError:
                pass
        if self.iface is not None and hasattr(self.iface, "currentLayerChanged"):
            try:
                self.iface.currentLayerChanged.disconnect(self._follow_active_layer)
            except TypeError:
                pass
