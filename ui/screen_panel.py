"""快速研判 Quick screen: one project screened on the map, as the reviewer draws or picks its footprint.

The unit layer, the element zones and the admission-list library are read once (in a QgsTask, screen_task.py)
into the spatial indexes of core/screening.py, through the same screening path as `ecozoning:screenprojects`
(processing/screening_io.py), with the same RULES and TAXONOMY choices (remembered in the project); each
footprint is then screened with `screen_project` in milliseconds. The dock shows the verdict with its reasons,
the units (and zones) hit, the applicable clauses by dimension (screen_models.py); it writes that project's PDF
or Word report exactly as the algorithm does, copies the EIA paragraph, and records the reviewer's decision in a
GeoPackage the reviewer chooses. The questions to the user (`ask_report_folder`) are methods tests can answer.
"""

from __future__ import annotations

import datetime
import html
import os
import time
from typing import Callable, Optional

import shapely
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
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
from qgis.PyQt.QtCore import QModelIndex, QRegularExpression, Qt, QVariant, pyqtSignal
from qgis.PyQt.QtGui import QColor, QGuiApplication, QRegularExpressionValidator
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
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

from ..core import schema
from ..core.errors import EcoZoningError
from ..core.lists import Library
from ..core.report import Decision, DecisionError, check_decision, eia_paragraph
from ..core.screening import VERDICTS, Index, Project, Result, Rules, load_rules, screen_project
from ..core.taxonomy import load_taxonomy
from ..processing.adapter import STORAGE_CRS, to_qgs, to_shapely
from ..processing.decision_store import append_decision, read_decisions
from ..processing.screening_io import PreparedLayer, ReportWriter, UnitData, make_basis, make_project
from .list_model import tr
from .screen_models import ClauseTreeModel, HitTableModel, verdict_html, verdict_title
from .screen_task import IndexTask
from .sketch_map_tool import POLYGON_GEOMETRY, SketchMapTool
from .unit_map_tool import UnitMapTool
from .widgets import add_busy_row

UNIT_CODE = schema.CODE
ZONE_KEY = schema.ZONE_SUBTYPE
# attributes a picked feature may carry (the sample and the provincial templates use the pinyin initials)
ID_FIELDS = ("XMBH", "QYBH", "ID", "CODE")
NAME_FIELDS = ("XMMC", "QYMC", "NAME")
INDUSTRY_FIELDS = ("HYDM", "INDUSTRY", "GBT4754")
# GB/T 4754 codes as people type them: 'C2520', 'C 2520', 'Ｃ２５２０', 'C1311、C2520' (read by schema.parse_industry_codes)
INDUSTRY_PATTERN = r"^[A-Za-zＡ-Ｚａ-ｚ0-9０-９\s\-_、，,;；/]*$"
TRANSFORM_OK = Qgis.GeometryOperationResult.Success
PROJECT_SCOPE = "EcoZoning"  # QgsProject entries of the dock: screen/rules, screen/taxonomy, screen/decisions
TOOL_STAMP = "EcoZoning 快速研判"


def _layer_filter(new_name: str, old_name: str):
    owner = getattr(Qgis, "LayerFilter", None)  # QGIS 3.34 and later (QGIS 4: only there)
    if owner is not None and hasattr(owner, new_name):
        return getattr(owner, new_name)
    return getattr(QgsMapLayerProxyModel.Filter, old_name)


POLYGON_LAYERS = _layer_filter("PolygonLayer", "PolygonLayer")
GEOMETRY_LAYERS = _layer_filter("HasGeometry", "HasGeometry")


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
        self.unit_data: Optional[UnitData] = None
        self.zone_index: Optional[Index] = None
        self.decisions: dict[str, Decision] = {}
        self.decisions_path = ""
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
        self._read_project_settings()
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
        self.rules_widget = QgsFileWidget()
        self.rules_widget.setFilter(tr("研判规则 Verdict rules (*.yaml *.yml)"))
        self.rules_widget.setToolTip(tr("本省的研判规则文件；为空时用默认规则 A province's own verdict rules"))
        form.addRow(tr("研判规则 Verdict rules"), self.rules_widget)
        self.taxonomy_widget = QgsFileWidget()
        self.taxonomy_widget.setFilter(tr("分类体系 Taxonomy (*.yaml *.yml)"))
        self.taxonomy_widget.setToolTip(tr("本省的分区分类体系；为空时用国家默认分类 A province's own taxonomy"))
        form.addRow(tr("分类体系 Taxonomy"), self.taxonomy_widget)
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
        self.report_action = self._action(
            "/mActionSaveAsPDF.svg", tr("生成 PDF 报告 Write the PDF report"), lambda: self.write_report("pdf")
        )
        self.docx_action = self._action(
            "/mActionFileSave.svg", tr("生成 Word 报告 Write the Word report"), lambda: self.write_report("docx")
        )
        self.eia_action = self._action(
            "/mActionEditCopy.svg", tr("复制环评符合性分析段落 Copy the EIA paragraph"), self.copy_eia_paragraph
        )
        self.clear_action = self._action("/mActionDeselectAll.svg", tr("清除 Clear"), self.clear_result)
        toolbar = QToolBar()
        for action in (
            self.polygon_action,
            self.line_action,
            self.pick_action,
            self.selected_action,
            self.report_action,
            self.docx_action,
            self.eia_action,
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
        layout.addWidget(self._decision_box())

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

    def _decision_box(self) -> QGroupBox:
        """The reviewer's decision: confirm the system's verdict or set another, with a reason that cannot be empty."""
        box = QGroupBox(tr("审查意见 Reviewer's decision"))
        form = QFormLayout(box)
        self.decision_combo = QComboBox()
        self.decision_combo.addItem(tr("确认系统研判 Confirm the system's verdict"), "confirm")
        for verdict in VERDICTS:
            self.decision_combo.addItem(verdict_title(verdict), verdict)
        form.addRow(tr("结论 Decision"), self.decision_combo)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(tr("必填 required"))
        form.addRow(tr("理由 Reason"), self.reason_edit)
        self.reviewer_edit = QLineEdit(str(QgsSettings().value("ecozoning/reviewer", "") or ""))
        form.addRow(tr("审查人 Reviewer"), self.reviewer_edit)
        self.decisions_widget = QgsFileWidget()
        self.decisions_widget.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.decisions_widget.setFilter(tr("GeoPackage (*.gpkg)"))
        self.decisions_widget.setToolTip(
            tr(
                "审查意见保存于此 GeoPackage 的 decisions 表，只追加不覆盖 Decisions are appended to its decisions table"
            )
        )
        form.addRow(tr("审查意见文件 Decisions file"), self.decisions_widget)
        self.decision_button = QPushButton(tr("记录审查意见 Record the decision"))
        form.addRow(self.decision_button)
        return box

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
        self.rules_widget.fileChanged.connect(self.set_rules_file)
        self.taxonomy_widget.fileChanged.connect(self.set_taxonomy_file)
        self.decisions_widget.fileChanged.connect(self.set_decisions_file)
        self.decision_button.clicked.connect(self.record_decision)
        project = QgsProject.instance()
        project.layersAdded.connect(self._refresh_zone_layers)
        project.layersRemoved.connect(self._refresh_zone_layers)
        project.readProject.connect(self._read_project_settings)
        project.cleared.connect(self._read_project_settings)
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
        units = PreparedLayer(self.unit_layer) if "units" in self._pending and self.unit_layer is not None else None
        zones = [PreparedLayer(layer) for layer in self.zone_layers()] if "zones" in self._pending else None
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
                self.unit_data = task.unit_data
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
        """The project of the form, read as the algorithm reads a row (industry codes as people write them)."""
        return make_project(
            self.id_edit.text().strip() or "SKETCH",
            self.footprint,
            self.name_edit.text(),
            self.industry_edit.text(),
            self.buffer_spin.value(),
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
        basis = self.basis()
        number = ReportWriter.report_number(result, basis) if basis is not None else ""
        self.verdict_label.setText(verdict_html(result, self.decisions.get(result.project.pid), number))
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

    # --- report ---------------------------------------------------------------------------------------------
    def basis(self):
        if self.unit_layer is None:
            return None
        return make_basis(
            self.library, self.unit_layer.name(), PreparedLayer(self.unit_layer).sha256(), self.rules, self.taxonomy,
            QgsSettings().value("ecozoning/valid_days", 365, type=int), TOOL_STAMP,
        )  # fmt: skip

    def write_report(self, kind: str = "pdf") -> Optional[str]:
        """Write the current project's report (PDF with its HTML, or Word) into a folder the user picks, made by the
        same writer as ecozoning:screenprojects; returns the file written."""
        if self.result is None or self.unit_layer is None or self.unit_data is None:
            return None
        folder = self.ask_report_folder()
        if not folder:
            return None
        writer = ReportWriter(
            folder,
            self.basis(),
            self.library,
            self.taxonomy,
            self.unit_data,
            self.decisions,
            self.zone_index is not None,
        )
        base = writer.reports_for([self.result])[0][1]
        try:
            files = writer.write(self.result, base, ("pdf", "html") if kind == "pdf" else ("docx",))
        except (OSError, RuntimeError, ValueError) as exc:
            self.show_error(tr("无法写入报告 Cannot write the report: {}").format(exc))
            return None
        written = [os.path.join(folder, name) for name in files.values()]
        message = tr("报告已写入 Report written: {}").format(" , ".join(written))
        self.status.setText(message)
        self.message_bar.pushMessage(tr("快速研判 Quick screen"), message, Qgis.MessageLevel.Success, 10)
        return os.path.join(folder, files.get(kind, next(iter(files.values()))))

    def eia_text(self) -> str:
        if self.result is None or self.basis() is None:
            return ""
        writer = ReportWriter(
            "", self.basis(), self.library, self.taxonomy, self.unit_data, self.decisions, self.zone_index is not None
        )
        return eia_paragraph(writer.report(self.result))

    def copy_eia_paragraph(self) -> str:
        text = self.eia_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.status.setText(tr("已复制环评“三线一单”符合性分析段落 The EIA paragraph is on the clipboard"))
        return text

    # --- the reviewer's decision -------------------------------------------------------------------------------
    def set_decisions_file(self, path: str) -> bool:
        path = (path or "").strip()
        if path and not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        try:
            self.decisions = read_decisions(path) if path else {}
        except (DecisionError, RuntimeError, OSError) as exc:
            self.show_error(tr("无法读取审查意见 Cannot read the decisions: {}").format(exc))
            return False
        self.decisions_path = path
        if self.decisions_widget.filePath() != path:
            self.decisions_widget.blockSignals(True)
            self.decisions_widget.setFilePath(path)
            self.decisions_widget.blockSignals(False)
        QgsProject.instance().writeEntry(PROJECT_SCOPE, "screen/decisions", path)
        if self.result is not None:
            self.show_result(self.result)
        return True

    def record_decision(self) -> Optional[Decision]:
        """Append the reviewer's decision on the current project to the decisions GeoPackage; refused without a
        reason, a reviewer or a file."""
        if self.result is None:
            self.show_error(tr("请先研判一个项目 Screen a project first"))
            return None
        if not self.decisions_path:
            self.show_error(tr("请选择保存审查意见的 GeoPackage 文件 Choose the GeoPackage for the decisions"))
            return None
        choice = self.decision_combo.currentData()
        basis = self.basis()
        decision = Decision(
            pid=self.result.project.pid,
            decision=self.result.verdict if choice == "confirm" else choice,
            reason=self.reason_edit.text().strip(),
            reviewer=self.reviewer_edit.text().strip(),
            time=datetime.datetime.now().isoformat(timespec="seconds"),
            system_verdict=self.result.verdict,
            report_number=ReportWriter.report_number(self.result, basis) if basis is not None else "",
        )
        try:
            check_decision(decision)
            append_decision(self.decisions_path, decision)
        except (DecisionError, RuntimeError, OSError) as exc:
            self.show_error(str(exc))
            return None
        QgsSettings().setValue("ecozoning/reviewer", decision.reviewer)  # noqa: QGS202 (returns nothing)
        self.decisions[decision.pid] = decision
        self.reason_edit.clear()
        self.show_result(self.result)
        self.status.setText(tr("审查意见已记录 Decision recorded: {}").format(self.decisions_path))
        return decision

    # --- rules and taxonomy, remembered in the project -------------------------------------------------------------
    def _read_project_settings(self, *_args):
        project = QgsProject.instance()
        for key, widget, setter in (
            ("screen/rules", self.rules_widget, self.set_rules_file),
            ("screen/taxonomy", self.taxonomy_widget, self.set_taxonomy_file),
            ("screen/decisions", self.decisions_widget, self.set_decisions_file),
        ):
            value, _ok = project.readEntry(PROJECT_SCOPE, key, "")
            if value != widget.filePath() or key == "screen/decisions":
                widget.blockSignals(True)
                widget.setFilePath(value)
                widget.blockSignals(False)
                setter(value)

    def set_rules_file(self, path: str) -> bool:
        """The verdict rules the algorithm's RULES would take (empty: the defaults), remembered in the project."""
        return self._set_yaml_choice("rules", path)

    def set_taxonomy_file(self, path: str) -> bool:
        """The taxonomy the algorithm's TAXONOMY would take (empty: national), remembered in the project."""
        return self._set_yaml_choice("taxonomy", path)

    def _set_yaml_choice(self, kind: str, path: str) -> bool:
        path = (path or "").strip()
        try:
            value = (load_rules if kind == "rules" else load_taxonomy)(path or None)
        except EcoZoningError as exc:
            self.show_error(str(exc))
            return False
        setattr(self, kind, value)
        QgsProject.instance().writeEntry(PROJECT_SCOPE, f"screen/{kind}", path)
        self.hit_model.taxonomy = self.zone_model.taxonomy = self.taxonomy
        self.rescreen()
        return True

    # --- state ------------------------------------------------------------------------------------------------
    def _update_actions(self):
        can_report = self.result is not None and self.unit_layer is not None and not self.is_busy()
        for action in (self.report_action, self.docx_action, self.eia_action):
            action.setEnabled(can_report)
        self.decision_button.setEnabled(self.result is not None)
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
        for signal, slot in (
            (project.layersAdded, self._refresh_zone_layers),
            (project.layersRemoved, self._refresh_zone_layers),
            (project.readProject, self._read_project_settings),
            (project.cleared, self._read_project_settings),
        ):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        if self.iface is not None and hasattr(self.iface, "currentLayerChanged"):
            try:
                self.iface.currentLayerChanged.disconnect(self._follow_active_layer)
            except TypeError:
                pass
