"""准入清单 Admission lists: a dock to see and edit each control unit's admission list on the map.

The dock reads the unit layer, shows the library through the models of list_model.py and changes it only
through their undo commands; every question to the user is a small method (`confirm_broad_edit`,
`ask_conflict`, `confirm_discard`, `ask_clause_values`) that tests can answer.
"""

from __future__ import annotations

import os
from typing import Optional

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeatureRequest,
    QgsMapLayerProxyModel,
    QgsTask,
    QgsVectorLayer,
)
from qgis.gui import (
    QgsDockWidget,
    QgsFileWidget,
    QgsFilterLineEdit,
    QgsMapLayerComboBox,
    QgsMessageBar,
    QgsRubberBand,
)
from qgis.PyQt.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, QVariant, pyqtSignal
from qgis.PyQt.QtGui import QColor, QKeySequence
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

try:  # Qt 6 moved them to QtGui
    from qgis.PyQt.QtGui import QAction, QUndoStack
except ImportError:
    from qgis.PyQt.QtWidgets import QAction, QUndoStack

from ..core.list_table import CLASS_LABELS, UnitInfo
from ..core.lists import (
    DIMENSIONS,
    KIND_LABELS,
    KINDS,
    LEVEL_LABELS,
    Clause,
    ConflictError,
    LibraryError,
    load_library,
    save_library,
)
from ..core.schema import find_field
from ..core.schema import unit_class as schema_unit_class
from ..core.taxonomy import load_taxonomy
from ..processing.compat import POLYGON_GEOMETRY, REQUEST_NO_GEOMETRY
from .list_model import (
    EDITABLE_FIELDS,
    SORT_ROLE,
    AddClauseCommand,
    Analysis,
    DeleteClauseCommand,
    EditClauseCommand,
    EffectiveListModel,
    MoveClauseCommand,
    ProblemModel,
    UnitTableModel,
    analyse,
    clause_values,
    neighbour_row,
    new_clause_id,
    tr,
    unit_scopes,
)
from .unit_map_tool import UnitMapTool
from .widgets import add_busy_row

CODE_FIELD = "HJGKDYBM"
POLYGON_LAYERS = getattr(getattr(Qgis, "LayerFilter", None), "PolygonLayer", None) or (
    QgsMapLayerProxyModel.Filter.PolygonLayer
)
WIDGET_SHORTCUT = Qt.ShortcutContext.WidgetWithChildrenShortcut


def _value(value):
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    return value


def read_units(layer: Optional[QgsVectorLayer]) -> tuple[list[UnitInfo], dict[str, list[int]]]:
    """The units of the layer (attributes only) and the feature ids of each unit code."""
    if layer is None or not layer.isValid() or find_field(layer.fields().names(), CODE_FIELD) is None:
        return [], {}
    names = layer.fields().names()

    def text(feature, name):
        actual = find_field(names, name)  # hjgkdybm as HJGKDYBM (PostGIS, many Shapefiles)
        value = _value(feature[actual]) if actual else None
        return "" if value is None else str(value).strip()

    units, fids = [], {}
    for feature in layer.getFeatures(QgsFeatureRequest().setFlags(REQUEST_NO_GEOMETRY)):
        code = text(feature, CODE_FIELD)
        if not code:
            continue
        raw_class = text(feature, "ZHGKDYFL")
        subtype = text(feature, "GKDYLX")
        if code not in fids:
            units.append(
                UnitInfo(
                    code=code,
                    name=text(feature, "HJGKDYMC"),
                    city=text(feature, "CITY"),
                    county=text(feature, "COUNTY") or text(feature, "XZQDM"),
                    unit_class=schema_unit_class(raw_class, code),
                    subtypes=[subtype] if subtype else [],
                )
            )
        fids.setdefault(code, []).append(feature.id())
    return units, fids


def load_and_analyse(folder: str, units: list[UnitInfo], subtype_keys, progress=None, is_canceled=None):
    library = load_library(folder)
    if progress is not None:
        progress(0.3)
    step = (lambda f: progress(0.3 + 0.7 * f)) if progress is not None else None
    return library, analyse(library, units, subtype_keys, step, is_canceled)


class LibraryLoadTask(QgsTask):
    """Loads and validates a library in the background; `done(task, ok)` runs in the main thread."""

    def __init__(self, folder: str, units: list[UnitInfo], subtype_keys, done):
        super().__init__(tr("载入准入清单 Loading admission lists"), QgsTask.Flag.CanCancel)
        self.folder, self.units, self.subtype_keys, self.done = folder, units, subtype_keys, done
        self.library = None
        self.analysis = None
        self.error = ""

    def run(self):
        try:
            self.library, self.analysis = load_and_analyse(
                self.folder, self.units, self.subtype_keys, lambda f: self.setProgress(100 * f), self.isCanceled
            )
        except (LibraryError, OSError, ValueError) as exc:
            self.error = str(exc)
            return False
        return not self.isCanceled()

    def finished(self, result):
        self.done(self, result)


class ClauseDialog(QDialog):
    """Text, kind, dimension and filters of one clause. Values the form cannot show are kept as they are."""

    def __init__(self, title: str, values: dict, id_editable: bool, dimension_labels: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._original = dict(values)
        form = QFormLayout(self)
        self.id_edit = QLineEdit(values.get("id", ""))
        self.id_edit.setReadOnly(not id_editable)
        form.addRow(tr("编号 Id"), self.id_edit)
        self.dimension_combo = QComboBox()
        for key in DIMENSIONS:
            self.dimension_combo.addItem(dimension_labels.get(key, key), key)
        self._select(self.dimension_combo, values.get("dimension", DIMENSIONS[0]))
        form.addRow(tr("维度 Dimension"), self.dimension_combo)
        self.kind_combo = QComboBox()
        for key in KINDS:
            self.kind_combo.addItem(f"{KIND_LABELS[key]} {key}", key)
        self._select(self.kind_combo, values.get("kind", "require"))
        form.addRow(tr("类型 Kind"), self.kind_combo)
        self.text_edit = QPlainTextEdit(values.get("text", ""))
        form.addRow(tr("条款内容 Text"), self.text_edit)
        classes = QHBoxLayout()
        self.class_boxes = {}
        for unit_class, label in CLASS_LABELS.items():
            box = QCheckBox(f"{unit_class} {label}")
            box.setChecked(unit_class in values.get("classes", []))
            self.class_boxes[unit_class] = box
            classes.addWidget(box)
        form.addRow(tr("适用分类 Classes (none: all)"), classes)
        self.subtypes_edit = QLineEdit(", ".join(values.get("subtypes", [])))
        self.subtypes_edit.setPlaceholderText("eco_redline, dev_urban")
        form.addRow(tr("适用子类 Subtypes"), self.subtypes_edit)
        self.industries_edit = QLineEdit(", ".join(values.get("industries", [])))
        self.industries_edit.setPlaceholderText("C25, C26")
        form.addRow(tr("行业 Industries (GB/T 4754)"), self.industries_edit)
        self.replaces_edit = QLineEdit(values.get("replaces", ""))
        form.addRow(tr("替代 Replaces (clause id)"), self.replaces_edit)
        self.source_edit = QLineEdit(values.get("source", ""))
        form.addRow(tr("来源 Source"), self.source_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.text_edit.textChanged.connect(self._check)
        self.id_edit.textChanged.connect(self._check)
        self._check()

    @staticmethod
    def _select(combo: QComboBox, key: str):
        if combo.findData(key) < 0:  # an unknown value stays selectable: nothing is changed behind the user's back
            combo.addItem(tr("未知 unknown: {}").format(key), key)
        combo.setCurrentIndex(combo.findData(key))

    def _check(self):
        ok = bool(self.text_edit.toPlainText().strip() and self.id_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict:
        def split(text):
            return [v.strip() for v in text.replace("，", ",").split(",") if v.strip()]

        odd_classes = [c for c in self._original.get("classes", []) if c not in self.class_boxes]
        return {
            "id": self.id_edit.text().strip(),
            "dimension": self.dimension_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "text": self.text_edit.toPlainText().strip(),
            "classes": [c for c, box in self.class_boxes.items() if box.isChecked()] + odd_classes,
            "subtypes": split(self.subtypes_edit.text()),
            "industries": [i.upper() for i in split(self.industries_edit.text())],
            "replaces": self.replaces_edit.text().strip(),
            "source": self.source_edit.text().strip(),
        }


class ListDock(QgsDockWidget):
    """准入清单 Admission lists dock."""

    libraryLoaded = pyqtSignal()  # a load finished (successfully or not)

    def __init__(self, canvas, parent=None):
        super().__init__(tr("准入清单 Admission lists"), parent)
        self.setObjectName("EcoZoningListDock")
        self.canvas = canvas
        self.layer: Optional[QgsVectorLayer] = None
        self.library = None
        self.analysis: Optional[Analysis] = None
        self.unit_fids: dict[str, list[int]] = {}
        self.current_code: Optional[str] = None
        self.highlight: Optional[QgsRubberBand] = None
        self._task: Optional[LibraryLoadTask] = None
        self._folder = ""
        self._subtype_keys = None
        self._syncing = False
        self.undo_stack = QUndoStack(self)
        self.map_tool = UnitMapTool(canvas)
        self.unit_model = UnitTableModel(self)
        self.unit_proxy = QSortFilterProxyModel(self)
        self.unit_proxy.setSourceModel(self.unit_model)
        self.unit_proxy.setSortRole(SORT_ROLE)
        self.unit_proxy.setFilterKeyColumn(-1)
        self.unit_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.effective_model = EffectiveListModel(self)
        self.problem_model = ProblemModel(self)
        self._build()
        self._connect()
        self.set_layer(self.layer_combo.currentLayer())
        self._update_actions()

    # --- layout ---------------------------------------------------------------------------------------------
    def _action(self, icon: str, text: str, slot, shortcut=None, checkable=False) -> QAction:
        action = QAction(QgsApplication.getThemeIcon(icon), text, self)
        action.setCheckable(checkable)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(WIDGET_SHORTCUT)
            self.addAction(action)
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build(self):
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.message_bar = QgsMessageBar()
        layout.addWidget(self.message_bar)

        form = QFormLayout()
        self.folder_widget = QgsFileWidget()
        self.folder_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folder_widget.setDialogTitle(tr("选择准入清单库文件夹 Choose the admission-list library folder"))
        form.addRow(tr("清单库 Library"), self.folder_widget)
        self.layer_combo = QgsMapLayerComboBox()
        self.layer_combo.setFilters(POLYGON_LAYERS)
        form.addRow(tr("单元图层 Unit layer"), self.layer_combo)
        layout.addLayout(form)

        self.pick_action = self._action(
            "/mActionIdentify.svg", tr("在地图上选择单元 Pick a unit on the map"), self._toggle_pick, checkable=True
        )
        self.undo_action = self.undo_stack.createUndoAction(self, tr("撤销 Undo"))
        self.redo_action = self.undo_stack.createRedoAction(self, tr("重做 Redo"))
        for action, icon, key in (
            (self.undo_action, "/mActionUndo.svg", QKeySequence.StandardKey.Undo),
            (self.redo_action, "/mActionRedo.svg", QKeySequence.StandardKey.Redo),
        ):
            action.setIcon(QgsApplication.getThemeIcon(icon))
            action.setShortcuts(QKeySequence.keyBindings(key))
            action.setShortcutContext(WIDGET_SHORTCUT)
            self.addAction(action)
        self.save_action = self._action(
            "/mActionFileSave.svg", tr("保存 Save"), self.save, QKeySequence.StandardKey.Save
        )
        self.reload_action = self._action("/mActionRefresh.svg", tr("重新载入 Reload"), self.reload)
        self.validate_action = self._action("/mActionCheckGeometry.svg", tr("检查 Validate"), self.validate)
        self.highlight_action = self._action(
            "/mActionHighlightFeature.svg",
            tr("突出显示有问题的单元 Highlight units with problems"),
            self._update_highlight,
            checkable=True,
        )
        toolbar = QToolBar()
        for action in (
            self.pick_action,
            self.undo_action,
            self.redo_action,
            self.save_action,
            self.reload_action,
            self.validate_action,
            self.highlight_action,
        ):
            toolbar.addAction(action)
        layout.addWidget(toolbar)

        self.progress, self.cancel_button, self.status = add_busy_row(layout, tr("取消 Cancel"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        units = QWidget()
        units_layout = QVBoxLayout(units)
        units_layout.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QgsFilterLineEdit()
        self.search_edit.setPlaceholderText(tr("搜索单元（编码、名称、区县） Search units"))
        self.unit_view = QTableView()
        self.unit_view.setModel(self.unit_proxy)
        self.unit_view.setSortingEnabled(True)
        self.unit_view.sortByColumn(UnitTableModel.CODE, Qt.SortOrder.AscendingOrder)
        self.unit_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.unit_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.unit_view.verticalHeader().hide()
        self.unit_view.horizontalHeader().setStretchLastSection(True)
        units_layout.addWidget(self.search_edit)
        units_layout.addWidget(self.unit_view)
        splitter.addWidget(units)

        clauses = QWidget()
        clauses_layout = QVBoxLayout(clauses)
        clauses_layout.setContentsMargins(0, 0, 0, 0)
        self.unit_label = QLabel(tr("在地图上或表中选择一个单元 Pick a unit on the map or in the table"))
        self.unit_label.setWordWrap(True)
        clauses_layout.addWidget(self.unit_label)
        self.clause_view = QTreeView()
        self.clause_view.setModel(self.effective_model)
        self.clause_view.setWordWrap(True)
        self.clause_view.setAlternatingRowColors(True)
        self.clause_view.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        header = self.clause_view.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        clauses_layout.addWidget(self.clause_view)
        edit_bar = QToolBar()
        edit_bar.addWidget(QLabel(tr("层级 Level ")))
        self.level_combo = QComboBox()
        self.level_combo.setToolTip(tr("新条款添加到的清单 The list a new clause is added to"))
        edit_bar.addWidget(self.level_combo)
        self.add_action = self._action("/symbologyAdd.svg", tr("添加 Add"), self.add_clause)
        self.edit_action = self._action("/mActionToggleEditing.svg", tr("编辑 Edit"), self.edit_clause)
        self.delete_action = self._action("/mActionDeleteSelected.svg", tr("删除 Delete"), self.delete_clause)
        self.up_action = self._action("/mActionArrowUp.svg", tr("上移 Move up"), lambda: self.move_clause(-1))
        self.down_action = self._action("/mActionArrowDown.svg", tr("下移 Move down"), lambda: self.move_clause(1))
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.clause_view.addAction(self.delete_action)
        for action in (self.add_action, self.edit_action, self.delete_action, self.up_action, self.down_action):
            edit_bar.addAction(action)
        clauses_layout.addWidget(edit_bar)
        splitter.addWidget(clauses)

        problems = QWidget()
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        self.problem_label = QLabel(tr("问题 Problems"))
        problems_layout.addWidget(self.problem_label)
        self.problem_view = QTableView()
        self.problem_view.setModel(self.problem_model)
        self.problem_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.problem_view.setWordWrap(True)
        self.problem_view.verticalHeader().hide()
        self.problem_view.horizontalHeader().setStretchLastSection(True)
        self.problem_view.setToolTip(tr("双击以在地图上选择单元 Double-click to select the unit on the map"))
        problems_layout.addWidget(self.problem_view)
        splitter.addWidget(problems)
        layout.addWidget(splitter, 1)
        self.setWidget(body)

    def _connect(self):
        self.folder_widget.fileChanged.connect(self.open_library)
        self.layer_combo.layerChanged.connect(self.set_layer)
        self.search_edit.textChanged.connect(self.unit_proxy.setFilterFixedString)
        self.unit_view.selectionModel().currentRowChanged.connect(self._on_unit_row)
        self.clause_view.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self.clause_view.doubleClicked.connect(
            lambda index: self.edit_clause() if self.effective_model.entry(index) else None
        )
        self.problem_view.activated.connect(lambda index: self.show_problem(index.row()))
        self.undo_stack.indexChanged.connect(self._on_edited)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.map_tool.unitPicked.connect(self._on_unit_picked)
        self.map_tool.deactivated.connect(lambda: self.pick_action.setChecked(False))
        self.cancel_button.clicked.connect(self._cancel_task)

    # --- questions (override in tests) ----------------------------------------------------------------------
    def confirm_broad_edit(self, count: int, clause_id: str, level: str) -> bool:
        text = tr(
            "条款 {id} 属于{level}清单，修改将影响 {n} 个管控单元。确定继续吗？\n"
            "Clause {id} is in the {level_en} list: the change affects {n} control units. Continue?"
        ).format(id=clause_id, level=LEVEL_LABELS.get(level, level), level_en=level, n=count)
        answer = QMessageBox.question(
            self,
            tr("影响多个单元 Affects several units"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_conflict(self, paths: list[str]) -> str:
        """'overwrite', 'reload' or 'cancel' when files changed on disk since they were loaded."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("文件已被修改 Files changed on disk"))
        box.setText(
            tr(
                "以下文件在载入后已被其他程序修改：\n{files}\n\n覆盖将丢弃他人的修改（保留 .bak 备份）；重新载入将丢弃您的修改。\n"
                "These files changed on disk since they were loaded. Overwrite them (a .bak copy is kept), "
                "reload them (your edits are lost), or cancel?"
            ).format(files="\n".join(paths))
        )
        overwrite = box.addButton(tr("覆盖 Overwrite"), QMessageBox.ButtonRole.DestructiveRole)
        reload = box.addButton(tr("重新载入 Reload"), QMessageBox.ButtonRole.ResetRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked == overwrite:
            return "overwrite"
        return "reload" if clicked == reload else "cancel"

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            tr("未保存的修改 Unsaved changes"),
            tr("放弃未保存的修改吗？ Discard the unsaved changes?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def ask_clause_values(self, title: str, values: dict, new: bool) -> Optional[dict]:
        labels = {d: self.library.dimension_label(d) for d in DIMENSIONS} if self.library else {}
        dialog = ClauseDialog(title, values, new, labels, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def show_error(self, message: str) -> None:
        self.message_bar.pushMessage(tr("准入清单 Admission lists"), message, Qgis.MessageLevel.Warning, 10)
        self.status.setText(message)

    # --- library ----------------------------------------------------------------------------------------------
    def subtype_keys(self):
        if self._subtype_keys is None:
            self._subtype_keys = list(load_taxonomy().zones)
        return self._subtype_keys

    def is_busy(self) -> bool:
        return self._task is not None

    def open_library(self, folder: str, background: bool = True) -> bool:
        """Load a library folder (in a QgsTask unless `background` is False). False when nothing started."""
        folder = (folder or "").strip()
        if not folder:
            return False
        if not os.path.isfile(os.path.join(folder, "library.yaml")):
            self.status.setText(tr("{} 不是准入清单库（缺少 library.yaml） is not a library folder").format(folder))
            return False
        if self.library is not None and not self.undo_stack.isClean() and not self.confirm_discard():
            return False
        self._cancel_task()
        self._folder = folder
        if self.folder_widget.filePath() != folder:
            self.folder_widget.blockSignals(True)
            self.folder_widget.setFilePath(folder)
            self.folder_widget.blockSignals(False)
        units = self.unit_model.units()
        self._set_busy(tr("正在载入 Loading {} …").format(folder))
        if not background:
            try:
                library, analysis = load_and_analyse(folder, units, self.subtype_keys(), self._progress)
            except (LibraryError, OSError, ValueError) as exc:
                self._load_failed(str(exc))
                return True
            self._loaded(library, analysis)
            return True
        task = LibraryLoadTask(folder, units, self.subtype_keys(), self._task_done)
        task.progressChanged.connect(lambda value: self._progress(value / 100))
        self._task = task
        QgsApplication.taskManager().addTask(task)
        return True

    def reload(self):
        if self._folder:
            self.open_library(self._folder)

    def _task_done(self, task: LibraryLoadTask, ok: bool):
        if task is not self._task:
            return  # a load that was replaced by a newer one
        self._task = None
        if ok:
            self._loaded(task.library, task.analysis)
        else:
            self._load_failed(task.error or tr("已取消 Canceled"))

    def _loaded(self, library, analysis: Analysis):
        self.library = None  # so that clearing the stack does not analyse the old library again
        self.undo_stack.clear()
        self.library = library
        self._apply_analysis(analysis)
        self._show_current_unit()
        self._set_idle(
            tr("已载入 Loaded {name}: {files} 个文件 files, {n} 个问题 problems").format(
                name=library.name or os.path.basename(library.root), files=len(library.files), n=len(analysis.problems)
            )
        )
        self._update_title()
        self.libraryLoaded.emit()

    def _load_failed(self, message: str):
        self._set_idle("")
        self.show_error(message)
        self.libraryLoaded.emit()

    def _cancel_task(self):
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            self._set_idle(tr("已取消 Canceled"))

    def _set_busy(self, message: str):
        self.status.setText(message)
        self.progress.reset()
        self.progress.show()
        self.cancel_button.show()
        self._update_actions()

    def _set_idle(self, message: str):
        self.progress.hide()
        self.cancel_button.hide()
        if message:
            self.status.setText(message)
        self._update_actions()

    def _progress(self, fraction: float):
        self.progress.setValue(int(100 * fraction))  # noqa: QGS202 (QProgressBar.setValue returns nothing)

    def validate(self):
        """Validate again (the layer or the files may have changed) and refresh the counts."""
        if self.library is not None and not self.is_busy():
            self._apply_analysis(analyse(self.library, self.unit_model.units(), self.subtype_keys()))
            self.status.setText(tr("{} 个问题 problems").format(len(self.analysis.problems)))

    def _apply_analysis(self, analysis: Optional[Analysis]):
        self.analysis = analysis
        self.unit_model.set_analysis(analysis)
        self.problem_model.set_analysis(analysis)
        count = len(analysis.problems) if analysis else 0
        self.problem_label.setText(tr("问题 Problems ({})").format(count))
        self.problem_view.resizeColumnsToContents()
        self._update_highlight()

    def save(self) -> bool:
        """Write the changed files. A file changed on disk since loading is never overwritten without asking."""
        if self.library is None:
            return False
        try:
            written = self._save(force=False)
        except ConflictError as conflict:
            choice = self.ask_conflict(conflict.paths)
            if choice == "overwrite":
                written = self._save(force=True)
            elif choice == "reload":
                self.undo_stack.setClean()  # the user chose to discard the edits
                self.open_library(self._folder, background=False)
                return False
            else:
                self.status.setText(tr("未保存 Not saved: {}").format(", ".join(conflict.paths)))
                return False
        if written is None:
            return False
        self.undo_stack.setClean()
        self.status.setText(tr("已保存 Saved: {}").format(", ".join(written) or "-"))
        return True

    def _save(self, force: bool):
        try:
            return save_library(self.library, force=force)
        except OSError as exc:
            self.show_error(tr("无法保存 Cannot save: {}").format(exc))
            return None

    # --- layer and units --------------------------------------------------------------------------------------
    def set_layer(self, layer):
        current = self.layer_combo.currentLayer()
        if layer is not None and (current is None or current.id() != layer.id()):
            self.layer_combo.setLayer(layer)  # emits layerChanged, which calls us again
            return
        self._clear_highlight()
        self.layer = layer if isinstance(layer, QgsVectorLayer) else None
        self.map_tool.setLayer(self.layer)
        units, self.unit_fids = read_units(self.layer)
        if self.layer is not None and not units:
            self.status.setText(tr("图层没有 {} 字段或单元 The layer has no {} units").format(CODE_FIELD, CODE_FIELD))
        self.unit_model.set_units(units)
        self.unit_view.resizeColumnsToContents()
        if self.current_code not in self.unit_fids:
            self.current_code = None
        if self.is_busy():
            self.open_library(self._folder)  # the running load counts the old units: start again
        elif self.library is not None:
            self.validate()
        self._show_current_unit()

    def unit_tuples(self):
        return [(u.code, u.unit_class, u.subtypes) for u in self.unit_model.units()]

    def current_unit(self) -> Optional[UnitInfo]:
        return self.unit_model.unit_by_code(self.current_code) if self.current_code else None

    def select_unit(self, code: str, select_on_map: bool = True, zoom: bool = False) -> bool:
        """Make a unit the current one: its row in the table, its effective list, its feature on the map."""
        if self.unit_model.unit_by_code(code) is None:
            self.status.setText(tr("单元 {} 不在图层中 Unit {} is not in the layer").format(code, code))
            return False
        self.current_code = code
        index = self.unit_proxy.mapFromSource(self.unit_model.index(self.unit_model.row_of(code), 0))
        if index.isValid():
            self._syncing = True
            self.unit_view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.unit_view.scrollTo(index)
            self._syncing = False
        self._show_current_unit()
        if select_on_map:
            self._select_features([code], zoom)
        return True

    def _on_unit_row(self, current: QModelIndex, _previous=None):
        if self._syncing or not current.isValid():
            return
        code = self.unit_model.unit(self.unit_proxy.mapToSource(current).row()).code
        if code != self.current_code:
            self.select_unit(code)

    def _on_unit_picked(self, feature):
        actual = find_field(feature.fields().names(), CODE_FIELD)
        code = str(_value(feature[actual]) or "") if actual else ""
        if code:
            self.select_unit(code)

    def _toggle_pick(self, on: bool):
        if on:
            self.canvas.setMapTool(self.map_tool)
        elif self.canvas.mapTool() is self.map_tool:
            self.canvas.unsetMapTool(self.map_tool)

    def _select_features(self, codes: list[str], zoom: bool):
        if self.layer is None:
            return
        fids = [fid for code in codes for fid in self.unit_fids.get(code, [])]
        self.layer.selectByIds(fids)
        if zoom and fids:
            self.canvas.zoomToSelected(self.layer)
            self.canvas.refresh()

    def show_problem(self, row: int) -> bool:
        """Select (and zoom to) the units of the layer that a problem concerns."""
        codes = [code for code in self.problem_model.units_of(row) if code in self.unit_fids]
        if not codes:
            self.status.setText(tr("此问题不涉及图层中的单元 This problem concerns no unit of the layer"))
            return False
        self.select_unit(codes[0], select_on_map=False)
        self._select_features(codes, zoom=True)
        return True

    def _update_highlight(self, *_args):
        self._clear_highlight()
        if not self.highlight_action.isChecked() or self.layer is None or self.analysis is None:
            return
        fids = [fid for code in sorted(self.analysis.units_with_problems()) for fid in self.unit_fids.get(code, [])]
        if not fids:
            return
        if self.highlight is None:
            self.highlight = QgsRubberBand(self.canvas, POLYGON_GEOMETRY)
            self.highlight.setStrokeColor(QColor(200, 30, 30, 220))
            self.highlight.setFillColor(QColor(230, 60, 60, 70))
            self.highlight.setWidth(2)
        request = QgsFeatureRequest().setFilterFids(fids).setNoAttributes()
        for feature in self.layer.getFeatures(request):
            if feature.hasGeometry():
                self.highlight.addGeometry(feature.geometry(), self.layer, False)  # noqa: QGS202 (returns nothing)
        self.highlight.updatePosition()
        self.highlight.update()

    def _clear_highlight(self):
        if self.highlight is not None:
            self.highlight.reset(POLYGON_GEOMETRY)

    def highlighted_parts(self) -> int:
        return self.highlight.size() if self.highlight is not None else 0

    # --- the effective list and its edits ---------------------------------------------------------------------
    def _show_current_unit(self, keep_id: str = ""):
        unit = self.current_unit()
        self.effective_model.show_unit(self.library, unit)
        for row in range(self.effective_model.rowCount()):
            self.clause_view.setFirstColumnSpanned(row, QModelIndex(), True)
        self.clause_view.expandAll()
        if unit is None:
            self.unit_label.setText(tr("在地图上或表中选择一个单元 Pick a unit on the map or in the table"))
        else:
            label = CLASS_LABELS.get(unit.unit_class or 0, "")
            self.unit_label.setText(f"<b>{unit.code}</b> {unit.name} · {label} · {unit.county}")
        previous = self.level_combo.currentData()
        self.level_combo.clear()
        if unit is not None and self.library is not None:
            for level, scope, text in unit_scopes(self.library, unit):
                self.level_combo.addItem(text, (level, scope))
            levels = [self.level_combo.itemData(i)[0] for i in range(self.level_combo.count())]
            wanted = previous[0] if previous else "unit"
            self.level_combo.setCurrentIndex(levels.index(wanted) if wanted in levels else levels.index("unit"))
        if keep_id:
            self.select_clause(keep_id)
        self._update_actions()

    def choose_level(self, level: str, scope: Optional[str] = None) -> bool:
        """Choose the list that new clauses go to (the level combo box)."""
        for row in range(self.level_combo.count()):
            item_level, item_scope = self.level_combo.itemData(row)
            if item_level == level and scope in (None, item_scope):
                self.level_combo.setCurrentIndex(row)
                return True
        return False

    def select_clause(self, clause_id: str) -> bool:
        index = self.effective_model.index_of(clause_id)
        if index.isValid():
            self.clause_view.setCurrentIndex(index)
            self.clause_view.scrollTo(index)
        return index.isValid()

    def current_entry(self):
        return self.effective_model.entry(self.clause_view.currentIndex())

    def _on_edited(self, *_args):
        if self.library is None:
            return
        entry = self.current_entry()
        self.validate()
        self._show_current_unit(keep_id=entry.clause.id if entry else "")
        self._update_title()

    def _broad_edit_allowed(self, entry) -> bool:
        if entry.level == "unit":
            return True
        count = len(self.library.affected_units(entry.clause.id, self.unit_tuples()))
        return self.confirm_broad_edit(count, entry.clause.id, entry.level)

    def add_clause(self):
        unit = self.current_unit()
        if self.library is None or unit is None or self.level_combo.currentData() is None:
            return
        level, scope = self.level_combo.currentData()
        dimension = self.effective_model.group_dimension(self.clause_view.currentIndex())
        dimension = dimension if dimension in DIMENSIONS else DIMENSIONS[0]
        values = {"id": new_clause_id(self.library, level, scope, dimension), "dimension": dimension}
        values.update(kind="require", text="", classes=[], subtypes=[], industries=[], replaces="", source="")
        title = tr("添加条款：{} Add a clause").format(self.level_combo.currentText())
        values = self.ask_clause_values(title, values, True)
        if values is None:
            return
        clause = Clause(**{name: values[name] for name in ("id", *EDITABLE_FIELDS)})
        self.undo_stack.push(AddClauseCommand(self.library, level, scope, clause))
        if not self.select_clause(clause.id):
            self.status.setText(
                tr("条款 {} 已添加，但其筛选条件不适用于本单元 Added; its filters exclude this unit").format(clause.id)
            )

    def edit_clause(self):
        entry = self.current_entry()
        if self.library is None or entry is None or not self._broad_edit_allowed(entry):
            return
        title = tr("编辑条款 Edit clause {}").format(entry.clause.id)
        values = self.ask_clause_values(title, clause_values(entry.clause), False)
        if values is None or values == clause_values(entry.clause):
            return
        self.undo_stack.push(EditClauseCommand(self.library, entry.level, entry.scope, entry.clause, values))

    def delete_clause(self):
        entry = self.current_entry()
        if self.library is None or entry is None or not self._broad_edit_allowed(entry):
            return
        self.undo_stack.push(DeleteClauseCommand(self.library, entry.level, entry.scope, entry.clause))

    def move_clause(self, step: int):
        entry = self.current_entry()
        if self.library is None or entry is None:
            return
        target = neighbour_row(self.library.clause_list(entry.level, entry.scope), entry.clause, step)
        if target is None:
            self.status.setText(tr("已在本层级的首/末位 Already first/last at its level"))
            return
        self.undo_stack.push(MoveClauseCommand(self.library, entry.level, entry.scope, entry.clause, target))

    # --- state ---------------------------------------------------------------------------------------------------
    def _update_actions(self):
        ready = self.library is not None and not self.is_busy()
        has_unit = ready and self.current_unit() is not None
        has_clause = ready and self.current_entry() is not None
        self.add_action.setEnabled(has_unit)
        for action in (self.edit_action, self.delete_action, self.up_action, self.down_action):
            action.setEnabled(has_clause)
        for action in (self.save_action, self.validate_action, self.reload_action):
            action.setEnabled(ready)

    def _update_title(self, *_args):
        title = tr("准入清单 Admission lists")
        self.setWindowTitle(title if self.undo_stack.isClean() else f"{title} *")

    def closeEvent(self, event):  # noqa: N802 (Qt API name)
        self.pick_action.setChecked(False)
        super().closeEvent(event)

    def cleanup(self):
        """Before the dock goes away: stop the load, give the map tool back, remove the highlight."""
        self._cancel_task()
        self.pick_action.setChecked(False)
        if self.canvas.mapTool() is self.map_tool:
            self.canvas.unsetMapTool(self.map_tool)
        if self.highlight is not None:
            self.canvas.scene().removeItem(self.highlight)
            self.highlight = None
