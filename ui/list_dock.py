"""准入清单 Admission lists: a dock to see and edit each control unit's admission list on the map.

The dock reads the unit layer, shows the library through the models of list_model.py and changes it only
through their undo commands; every question to the user is a small method (`confirm_broad_edit`,
`ask_conflict`, `confirm_discard`, `ask_clause_values`) that tests can answer.
"""

from __future__ import annotations

import html
import os
import traceback
from typing import Optional

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeatureRequest,
    QgsMapLayerProxyModel,
    QgsMessageLog,
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
from qgis.PyQt.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QRect,
    QSize,
    QSocketNotifier,
    QSortFilterProxyModel,
    Qt,
    QVariant,
    pyqtSignal,
)
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
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QTextBrowser,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

try:  # Qt 6 moved them to QtGui
    from qgis.PyQt.QtGui import QAction, QUndoStack
except ImportError:
    from qgis.PyQt.QtWidgets import QAction, QUndoStack

from ..core import schema
from ..core.errors import EcoZoningError
from ..core.industries import industry_name, load_industries
from ..core.library_store import (
    ClauseConflictError,
    DatabaseConnectionError,
    FolderStore,
    LibraryStore,
    PermissionRefusedError,
    SchemaTooNewError,
)
from ..core.list_table import UnitInfo
from ..core.lists import (
    DIMENSIONS,
    Clause,
    ConflictError,
    load_library,
)
from ..core.schema import find_field
from ..core.schema import unit_class as class_of_unit
from ..core.taxonomy import load_taxonomy
from ..processing.compat import POLYGON_GEOMETRY, REQUEST_NO_GEOMETRY
from ..processing.i18n import user_language
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
    class_names,
    clause_details,
    clause_values,
    kind_names,
    level_names,
    neighbour_row,
    new_clause_id,
    tr,
    unit_scopes,
)
from .team_dialogs import ConflictDialog, HistoryDialog
from .unit_map_tool import UnitMapTool
from .widgets import add_busy_row

CODE_FIELD = schema.CODE
APPLICATION = "EcoZoning list dock"
FOLDER_SOURCE, DATABASE_SOURCE = "folder", "database"
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
        raw_class = text(feature, schema.CLASS)
        subtype = text(feature, schema.SUBTYPE)
        if code not in fids:
            units.append(
                UnitInfo(
                    code=code,
                    name=text(feature, schema.NAME),
                    city=text(feature, "CITY"),
                    county=text(feature, "COUNTY") or text(feature, "XZQDM"),
                    unit_class=class_of_unit(raw_class, code),  # docs/domain-rules.md §4
                    subtypes=[subtype] if subtype else [],
                )
            )
        fids.setdefault(code, []).append(feature.id())
    return units, fids


def load_and_analyse(source, units: list[UnitInfo], subtype_keys, progress=None, is_canceled=None):
    """Load a library (a folder path or a LibraryStore) and analyse it against the units."""
    library = load_library(source) if isinstance(source, str) else source.load()
    if progress is not None:
        progress(0.3)
    step = (lambda f: progress(0.3 + 0.7 * f)) if progress is not None else None
    return library, analyse(library, units, subtype_keys, step, is_canceled)


def load_in_task(task: QgsTask, source, units: list[UnitInfo], subtype_keys):
    """The body of the background load (QgsTask.fromFunction): (library, analysis), or None when canceled.
    Whatever it raises, QGIS's task wrapper catches on the worker thread and hands to the finished callback."""
    result = load_and_analyse(source, units, subtype_keys, lambda f: task.setProgress(100 * f), task.isCanceled)
    return None if task.isCanceled() else result


def task_error_message(exception: BaseException) -> str:
    """What the user reads when a background load failed: the library's own message for the problems we
    expect (bad folder, YAML, files, a team database), the kind of error for anything else (its traceback goes
    to the log)."""
    if isinstance(exception, (EcoZoningError, OSError, ValueError)):
        return describe_store_error(exception)
    return tr("Loading failed (an internal error; the EcoZoning log has the details): {}").format(
        f"{type(exception).__name__}: {exception}"
    )


def history_entry_uid(entry) -> Optional[int]:
    state = entry.state() or {}
    return state.get("uid")


def describe_store_error(exc) -> str:
    """What went wrong with a library, with a translated first line for the failures of a team database."""
    if isinstance(exc, SchemaTooNewError):
        return (
            tr(
                "数据库结构版本 {db} 高于本插件的 {plugin}，请先升级插件 The database schema is newer: update the plugin"
            ).format(db=exc.database_version, plugin=exc.plugin_version)
            + f"\n{exc}"
        )
    if isinstance(exc, DatabaseConnectionError):
        heads = {
            "wrong_password": tr(
                "用户名或密码错误：请检查连接的认证配置 Wrong user or password: check the connection's authentication"
            ),
            "server_down": tr(
                "服务器无响应：请确认服务器已启动、主机和端口正确 No server answers: check that it runs, and host and port"
            ),
            "no_database": tr("数据库不存在：请检查数据库名 The database does not exist: check its name"),
            "no_postgis": tr(
                "数据库没有 PostGIS：请安装或启用 PostGIS The database has no PostGIS: install or enable it"
            ),
            "not_a_library": tr("数据库中没有清单库：请先发布 The database holds no library: publish one first"),
            "no_rights": tr(
                "该用户无权执行此操作：请联系数据库管理员 This user may not do this: ask the database admin"
            ),
            "lost": tr(
                "与服务器的连接中断：未写入任何内容，您的修改仍保留 The connection was lost: nothing written, your edits are kept"
            ),
        }
        return (heads.get(exc.reason, "") + "\n" + str(exc)).strip()
    return str(exc)


class WrappedTextDelegate(QStyledItemDelegate):
    """Rows as tall as their clause text wrapped to the width of its column (QTreeView alone keeps one line)."""

    def __init__(self, view: QTreeView, column: int):
        super().__init__(view)
        self.view, self.column = view, column

    def sizeHint(self, option, index):  # noqa: N802 (Qt API name)
        hint = super().sizeHint(option, index)
        if index.column() != self.column or not index.parent().isValid():
            return hint
        width = self.view.header().sectionSize(self.column) - self.view.indentation() - 10
        text = str(index.data() or "")
        if width <= 20 or not text:
            return hint
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        bound = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), flags, text)
        return QSize(hint.width(), max(hint.height(), bound.height() + 4))


def _checkable(label: str, key: str, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(label)
    item.setData(Qt.ItemDataRole.UserRole, key)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def _checked_keys(widget: QListWidget, original: list) -> list[str]:
    """The checked keys, those the clause had first in their order (an untouched dialog changes nothing)."""
    items = (widget.item(row) for row in range(widget.count()))
    checked = [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
    kept = [k for k in original if k in checked]
    return kept + [k for k in checked if k not in kept]


class ClauseDialog(QDialog):
    """Text, kind, dimension and filters of one clause, with pickers: subtypes by their Chinese names (from the
    taxonomy), industries by GB/T 4754 code and name (searchable), the clause it replaces chosen from the ids of
    the library (an unknown id is refused). Values the form cannot show are kept as they are."""

    def __init__(
        self,
        title: str,
        values: dict,
        id_editable: bool,
        dimension_labels: dict,
        parent=None,
        zones=None,
        clause_texts: Optional[dict] = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._original = dict(values)
        self._clause_texts = dict(clause_texts or {})
        self._clause_texts.pop(values.get("id", ""), None)  # a clause does not replace itself
        zh = user_language() == "zh"
        form = QFormLayout(self)
        self.id_edit = QLineEdit(values.get("id", ""))
        self.id_edit.setReadOnly(not id_editable)
        form.addRow(tr("Id"), self.id_edit)
        self.dimension_combo = QComboBox()
        for key in DIMENSIONS:
            self.dimension_combo.addItem(dimension_labels.get(key, key), key)
        self._select(self.dimension_combo, values.get("dimension", DIMENSIONS[0]))
        form.addRow(tr("Dimension"), self.dimension_combo)
        self.kind_combo = QComboBox()
        for key, label in kind_names().items():
            self.kind_combo.addItem(label, key)
        self._select(self.kind_combo, values.get("kind", "require"))
        form.addRow(tr("Kind"), self.kind_combo)
        self.text_edit = QPlainTextEdit(values.get("text", ""))
        self.text_edit.setMinimumHeight(90)
        form.addRow(tr("Clause text"), self.text_edit)
        classes = QHBoxLayout()
        self.class_boxes = {}
        for unit_class, label in class_names().items():
            box = QCheckBox(label)
            box.setChecked(unit_class in values.get("classes", []))
            self.class_boxes[unit_class] = box
            classes.addWidget(box)
        form.addRow(tr("Classes (none: all)"), classes)

        self.subtype_list = QListWidget()
        self.subtype_list.setMaximumHeight(110)
        wanted = list(values.get("subtypes", []))
        for key, zone in (zones or {}).items():
            label = f"{zone.zh if zh else zone.en}  ({key})"
            self.subtype_list.addItem(_checkable(label, key, key in wanted))  # noqa: QGS202 (returns nothing)
        for key in wanted:
            if key not in (zones or {}):  # kept, and validation names it
                self.subtype_list.addItem(_checkable(tr("unknown: {}").format(key), key, True))  # noqa: QGS202
        form.addRow(tr("Subtypes (none: all)"), self.subtype_list)

        industries = QVBoxLayout()
        self.industry_search = QgsFilterLineEdit()
        self.industry_search.setPlaceholderText(tr("Search GB/T 4754 by code or name, e.g. C26 or 化学"))
        self.industry_list = QListWidget()
        self.industry_list.setMaximumHeight(130)
        chosen = [i.upper() for i in values.get("industries", [])]
        known = set()
        for industry in load_industries():
            indent = "" if len(industry.code) == 1 else "    "
            self.industry_list.addItem(  # noqa: QGS202 (returns nothing)
                _checkable(f"{indent}{industry.code}  {industry.zh}", industry.code, industry.code in chosen)
            )
            known.add(industry.code)
        for code in chosen:
            if code not in known:  # a group or class code (C2520): kept, with its division's name
                name = industry_name(code)
                self.industry_list.insertItem(0, _checkable(f"{code}  {name}".strip(), code, True))
        self.industry_search.textChanged.connect(self._filter_industries)
        industries.addWidget(self.industry_search)
        industries.addWidget(self.industry_list)
        form.addRow(tr("Industries (GB/T 4754)"), industries)

        self.replaces_combo = QComboBox()
        self.replaces_combo.setEditable(True)  # noqa: QGS202 (QComboBox, returns nothing)
        self.replaces_combo.addItem(tr("(none)"), "")
        for clause_id, text in sorted(self._clause_texts.items()):
            short = text if len(text) <= 40 else text[:40] + "…"
            self.replaces_combo.addItem(f"{clause_id}  {short}", clause_id)
        replaces = values.get("replaces", "")
        index = self.replaces_combo.findData(replaces)
        if index >= 0:
            self.replaces_combo.setCurrentIndex(index)
        else:
            self.replaces_combo.setEditText(replaces)
        self.replaces_combo.setToolTip(tr("A clause of a higher level that this clause takes the place of"))
        form.addRow(tr("Replaces"), self.replaces_combo)
        self.source_edit = QLineEdit(values.get("source", ""))
        form.addRow(tr("Source"), self.source_edit)
        self.warning_label = QLabel("")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #b03a2e")
        form.addRow(self.warning_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.text_edit.textChanged.connect(self._check)
        self.id_edit.textChanged.connect(self._check)
        self.replaces_combo.editTextChanged.connect(lambda *_: self._check())
        self.replaces_combo.currentIndexChanged.connect(lambda *_: self._check())
        self._check()

    @staticmethod
    def _select(combo: QComboBox, key: str):
        if combo.findData(key) < 0:  # an unknown value stays selectable: nothing is changed behind the user's back
            combo.addItem(tr("unknown: {}").format(key), key)
        combo.setCurrentIndex(combo.findData(key))

    def _filter_industries(self, text: str):
        needle = (text or "").strip().upper()
        for row in range(self.industry_list.count()):
            item = self.industry_list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().upper())

    def replaces_id(self) -> str:
        text = self.replaces_combo.currentText().strip()
        data = self.replaces_combo.currentData()
        if data is not None and self.replaces_combo.itemText(self.replaces_combo.currentIndex()) == text:
            return data
        return text.split()[0] if text else ""

    def _check(self):
        problems = []
        if not self.text_edit.toPlainText().strip():
            problems.append(tr("The clause needs a text."))
        if not self.id_edit.text().strip():
            problems.append(tr("The clause needs an id."))
        replaces = self.replaces_id()
        if replaces and replaces not in self._clause_texts:
            problems.append(
                tr("Clause {} is not in the library: choose the clause this one replaces.").format(replaces)
            )
        unknown = bool(replaces) and replaces not in self._clause_texts
        self.warning_label.setText(problems[-1] if unknown else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def values(self) -> dict:
        odd_classes = [c for c in self._original.get("classes", []) if c not in self.class_boxes]
        return {
            "id": self.id_edit.text().strip(),
            "dimension": self.dimension_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "text": self.text_edit.toPlainText().strip(),
            "classes": [c for c, box in self.class_boxes.items() if box.isChecked()] + odd_classes,
            "subtypes": _checked_keys(self.subtype_list, self._original.get("subtypes", [])),
            "industries": _checked_keys(self.industry_list, [i.upper() for i in self._original.get("industries", [])]),
            "replaces": self.replaces_id(),
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
        self._task: Optional[QgsTask] = None
        self._load_serial = 0  # which background load is the current one
        self._folder = ""
        self.store: Optional[LibraryStore] = None
        self._connection_name = ""
        self._listener = None
        self._notifier: Optional[QSocketNotifier] = None
        self._taxonomy = None
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
        self.refresh_connections()
        self._show_source_rows()
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
        self.source_combo = QComboBox()
        self.source_combo.addItem(tr("文件夹 Folder"), FOLDER_SOURCE)
        self.source_combo.addItem(tr("团队数据库 Team database"), DATABASE_SOURCE)
        self.source_combo.setToolTip(
            tr("清单库可以是一个文件夹，或 PostgreSQL 团队数据库 The library is a folder or a PostgreSQL team database")
        )
        form.addRow(tr("来源 Source"), self.source_combo)
        form.addRow(tr("清单库 Library"), self.folder_widget)
        self.database_row = QWidget()
        database_layout = QHBoxLayout(self.database_row)
        database_layout.setContentsMargins(0, 0, 0, 0)
        self.connection_combo = QComboBox()
        self.connection_combo.setToolTip(
            tr("QGIS 中保存的 PostgreSQL 连接（密码保存在认证配置中） QGIS's saved PostgreSQL connections")
        )
        self.connect_button = QPushButton(tr("打开 Open"))
        database_layout.addWidget(self.connection_combo, 1)
        database_layout.addWidget(self.connect_button)
        form.addRow(tr("数据库 Database"), self.database_row)
        self.role_label = QLabel("")
        self.role_label.setWordWrap(True)
        form.addRow(self.role_label)
        self._form = form
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
        self.validate_action = self._action(
            "/algorithms/mAlgorithmCheckGeometry.svg", tr("检查 Validate"), self.validate
        )
        self.history_action = self._action("/mIconHistory.svg", tr("历史 History"), self.show_history)
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
            self.history_action,
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
        self.unit_view.setWordWrap(False)
        self.unit_view.setMinimumHeight(6 * self.unit_view.fontMetrics().height())  # a few units stay in view
        unit_header = self.unit_view.horizontalHeader()
        unit_header.setStretchLastSection(False)
        unit_header.setMinimumSectionSize(36)
        for column in range(self.unit_model.columnCount()):  # every column on screen at 620 px: the name gives way
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == UnitTableModel.NAME
                else QHeaderView.ResizeMode.ResizeToContents
            )
            unit_header.setSectionResizeMode(column, mode)
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
        self.clause_view.setWordWrap(True)  # the clause text first, wrapped over as many lines as it needs
        self.clause_view.setUniformRowHeights(False)
        self.clause_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.clause_view.setAlternatingRowColors(True)
        self.clause_view.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        self.clause_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.clause_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(EffectiveListModel.TEXT, QHeaderView.ResizeMode.Stretch)
        for column in (EffectiveListModel.LEVEL, EffectiveListModel.KIND, EffectiveListModel.ID):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.clause_view.setItemDelegateForColumn(
            EffectiveListModel.TEXT, WrappedTextDelegate(self.clause_view, EffectiveListModel.TEXT)
        )
        self.clause_view.setColumnHidden(EffectiveListModel.ID, True)  # the id heads the detail pane: room for the text
        header.sectionResized.connect(lambda *_: self.clause_view.doItemsLayout())  # re-wrap on a new width
        self.detail_view = QTextBrowser()
        self.detail_view.setOpenLinks(False)
        self.detail_view.setPlaceholderText(tr("Choose a clause to see it in full"))
        clause_splitter = QSplitter(Qt.Orientation.Vertical)
        clause_splitter.addWidget(self.clause_view)
        clause_splitter.addWidget(self.detail_view)
        clause_splitter.setStretchFactor(0, 4)
        clause_splitter.setStretchFactor(1, 1)
        clauses_layout.addWidget(clause_splitter, 1)
        edit_row = QHBoxLayout()  # the level chooser has the room its longest entry needs, the actions the rest
        edit_bar = QToolBar()
        self.level_label = QLabel(tr("Level"))
        edit_row.addWidget(self.level_label)
        self.level_combo = QComboBox()
        self.level_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.level_combo.setMinimumContentsLength(8)
        self.level_combo.setToolTip(tr("新条款添加到的清单 The list a new clause is added to"))
        edit_row.addWidget(self.level_combo, 1)
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
        edit_row.addWidget(edit_bar)
        clauses_layout.addLayout(edit_row)
        splitter.addWidget(clauses)

        self.problem_pane = QWidget()  # shown only when there are problems
        problems_layout = QVBoxLayout(self.problem_pane)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        self.problem_label = QLabel(tr("问题 Problems ({})").format(0))
        problems_layout.addWidget(self.problem_label)
        self.problem_view = QTableView()
        self.problem_view.setModel(self.problem_model)
        self.problem_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.problem_view.setWordWrap(True)
        self.problem_view.verticalHeader().hide()
        self.problem_view.horizontalHeader().setStretchLastSection(True)
        self.problem_view.setToolTip(tr("双击以在地图上选择单元 Double-click to select the unit on the map"))
        problems_layout.addWidget(self.problem_view)
        splitter.addWidget(self.problem_pane)
        self.problem_pane.hide()
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 1)
        layout.addWidget(splitter, 1)
        self.setWidget(body)

    def _connect(self):
        self.folder_widget.fileChanged.connect(self.open_library)
        self.source_combo.currentIndexChanged.connect(lambda *_: self._show_source_rows())
        self.connect_button.clicked.connect(lambda: self.open_database(self.connection_combo.currentText()))
        self.layer_combo.layerChanged.connect(self.set_layer)
        self.search_edit.textChanged.connect(self.unit_proxy.setFilterFixedString)
        self.unit_view.selectionModel().currentRowChanged.connect(self._on_unit_row)
        self.clause_view.selectionModel().currentChanged.connect(lambda *_: self._on_clause_row())
        self.level_combo.currentIndexChanged.connect(lambda *_: self._update_actions())
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
        text = tr("Clause {id} is in the {level} list: the change affects {n} control units. Continue?").format(
            id=clause_id, level=tr(level_names().get(level, level)), n=count
        )
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
                "These files changed on disk since they were loaded:\n{files}\n\nOverwrite them (their changes are "
                "lost, a .bak copy is kept), reload them (your edits are lost), or cancel?"
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

    def clause_dialog(self, title: str, values: dict, new: bool) -> ClauseDialog:
        lang = user_language()
        labels = {d: self.library.dimension_label(d, lang) for d in DIMENSIONS} if self.library else {}
        texts = {clause.id: clause.text for clause, *_ in self.library.iter_clauses()} if self.library else {}
        return ClauseDialog(title, values, new, labels, self, zones=self.taxonomy().zones, clause_texts=texts)

    def ask_clause_values(self, title: str, values: dict, new: bool) -> Optional[dict]:
        dialog = self.clause_dialog(title, values, new)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def show_error(self, message: str) -> None:
        self.message_bar.pushMessage(tr("准入清单 Admission lists"), message, Qgis.MessageLevel.Warning, 10)
        self.status.setText(message)

    # --- library ----------------------------------------------------------------------------------------------
    def taxonomy(self):
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy()
        return self._taxonomy

    def subtype_keys(self):
        return list(self.taxonomy().zones)

    def is_busy(self) -> bool:
        return self._task is not None

    def refresh_connections(self):
        """Fill the database list with QGIS's saved PostgreSQL connections."""
        from ..processing.db_connections import saved_connection_names

        current = self.connection_combo.currentText()
        self.connection_combo.clear()
        self.connection_combo.addItems(saved_connection_names())
        if current:
            self.connection_combo.setCurrentText(current)

    def _show_source_rows(self):
        database = self.source_combo.currentData() == DATABASE_SOURCE
        for widget, visible in ((self.folder_widget, not database), (self.database_row, database)):
            widget.setVisible(visible)
            label = self._form.labelForField(widget)
            if label is not None:
                label.setVisible(visible)
        if database:
            self.refresh_connections()

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
        self._folder = folder
        self._connection_name = ""
        if self.folder_widget.filePath() != folder:
            self.folder_widget.blockSignals(True)
            self.folder_widget.setFilePath(folder)
            self.folder_widget.blockSignals(False)
        return self._open_store(FolderStore(folder), folder, background)

    def open_database(self, name: str, background: bool = True) -> bool:
        """Open the team library of a saved PostgreSQL connection. False when nothing started."""
        from ..core.db_library import DatabaseStore
        from ..processing.db_connections import connection_params

        name = (name or "").strip()
        if not name:
            self.status.setText(tr("请选择一个已保存的 PostgreSQL 连接 Choose a saved PostgreSQL connection"))
            return False
        if self.library is not None and not self.undo_stack.isClean() and not self.confirm_discard():
            return False
        try:
            params = connection_params(name)
        except EcoZoningError as exc:
            self.show_error(describe_store_error(exc))
            return False
        self._connection_name = name
        self._folder = ""
        self.source_combo.blockSignals(True)
        self.source_combo.setCurrentIndex(self.source_combo.findData(DATABASE_SOURCE))
        self.source_combo.blockSignals(False)
        self._show_source_rows()
        self.connection_combo.setCurrentText(name)
        return self._open_store(DatabaseStore(params, APPLICATION), name, background)

    def _open_store(self, store: LibraryStore, label: str, background: bool) -> bool:
        self._cancel_task()
        units = self.unit_model.units()
        self._set_busy(tr("正在载入 Loading {} …").format(label))
        if not background:
            try:
                library, analysis = load_and_analyse(store, units, self.subtype_keys(), self._progress)
            except (EcoZoningError, OSError, ValueError) as exc:
                store.close()
                self._load_failed(describe_store_error(exc))
                return True
            self._loaded(library, analysis, store)
            return True
        self._load_serial += 1
        serial = self._load_serial
        task = QgsTask.fromFunction(
            tr("载入准入清单 Loading admission lists"),
            load_in_task,
            store,
            units,
            self.subtype_keys(),
            on_finished=lambda exception, result=None: self._task_done(serial, store, exception, result),
            flags=QgsTask.Flag.CanCancel,
        )
        task.progressChanged.connect(lambda value: self._progress(value / 100))
        self._task = task
        QgsApplication.taskManager().addTask(task)
        return True

    def reload(self):
        if self._connection_name:
            self.open_database(self._connection_name)
        elif self._folder:
            self.open_library(self._folder)

    def _task_done(self, serial: int, store: LibraryStore, exception: Optional[BaseException], result):
        """The background load ended (main thread): loaded, failed or canceled."""
        if serial != self._load_serial or self._task is None:
            if store is not self.store:
                store.close()  # a load that was canceled or replaced by a newer one: its connection goes
            return
        self._task = None
        if exception is not None:
            if not isinstance(exception, (EcoZoningError, OSError, ValueError)):
                QgsMessageLog.logMessage(
                    "".join(traceback.format_exception(type(exception), exception, exception.__traceback__)),
                    "EcoZoning",
                    Qgis.MessageLevel.Critical,
                )
            store.close()
            self._load_failed(task_error_message(exception))
        elif result is None:
            store.close()
            self._load_failed(tr("已取消 Canceled"))
        else:
            self._loaded(*result, store)

    def _loaded(self, library, analysis: Analysis, store: Optional[LibraryStore] = None):
        self.library = None  # so that clearing the stack does not analyse the old library again
        self.undo_stack.clear()
        self._close_store()
        self.store = store if store is not None else FolderStore(library.root)
        self.library = library
        self._show_role()
        self._listen()
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
        self.problem_pane.setVisible(count > 0)
        self.problem_view.resizeColumnsToContents()
        self._update_highlight()

    def save(self) -> bool:
        """Write the changes. A folder file changed on disk since loading, or a clause someone else saved in the
        team database, is never overwritten without asking."""
        if self.library is None:
            return False
        if self.store is not None and self.store.kind == "database":
            return self._save_database()
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
            return self.store.save(self.library, force=force)
        except OSError as exc:
            self.show_error(tr("无法保存 Cannot save: {}").format(exc))
            return None

    def _save_database(self) -> bool:
        """One transaction; conflicts are resolved clause by clause with the user, then saved again."""
        for _attempt in range(5):
            try:
                written = self.store.save(self.library)
            except ClauseConflictError as error:
                for conflict in error.conflicts:
                    answer = self.ask_clause_conflict(conflict)
                    if answer is None:
                        self.status.setText(
                            tr("未保存：{} 存在冲突 Not saved: conflicts on {}").format(
                                ", ".join(c.clause_id for c in error.conflicts),
                                ", ".join(c.clause_id for c in error.conflicts),
                            )
                        )
                        return False
                    choice, values = answer
                    self.store.resolve(self.library, conflict, choice, values)
                self._on_edited()
                continue
            except PermissionRefusedError as error:
                lines = "\n".join(f"{r.clause_id} ({r.level} {r.scope}): {r.reason}" for r in error.refused)
                self.show_error(
                    tr("数据库拒绝保存，未写入任何内容 The database refused the save, nothing was written:")
                    + "\n"
                    + lines
                )
                return False
            except EcoZoningError as error:
                self.show_error(describe_store_error(error))
                return False
            self.undo_stack.setClean()
            self.status.setText(tr("已保存 Saved: {}").format(", ".join(written) or "-"))
            return True
        return False

    # --- team database: role, notifications, history ------------------------------------------------------------
    def _show_role(self):
        if self.store is None or self.store.kind != "database":
            self.role_label.setText("")
            return
        perms = self.store.permissions()
        texts = {
            "owner": tr("{who}：数据库所有者，可编辑全部清单 {who}: database owner, edits every list"),
            "province": tr(
                "{who}：省级，可编辑省级和区域清单 {who}: the province, edits the province and region lists"
            ),
            "prefecture": tr(
                "{who}：地市 {cities}，可编辑本市及其单元的清单 {who}: prefecture {cities}, edits its own lists"
            ),
            "reviewer": tr("{who}：审核员，只读 {who}: reviewer, read-only"),
        }
        self.role_label.setText(
            f"{self.store.label()}\n" + texts[perms.kind].format(who=perms.who, cities=", ".join(perms.cities))
        )

    def can_edit(self, level: str, scope: str) -> tuple[bool, str]:
        """May the connected role change the list of this level and scope? (False, why) when it may not."""
        if self.store is None:
            return True, ""
        perms = self.store.permissions()
        ok, reason = perms.can_edit(level, scope)
        if ok:
            return True, ""
        why = {
            "read_only": tr("审核员角色只读 The reviewer role reads only"),
            "prefecture_only": tr("市级和单元清单由各地市编辑 Prefecture and unit lists are edited by the prefecture"),
            "province_only": tr("省级和区域清单由省级编辑 Province and region lists are edited by the province"),
            "other_prefecture": tr("此清单属于其他地市 This list belongs to another prefecture"),
        }
        return False, why.get(reason, reason)

    def _listen(self):
        if self.store is None or not self.store.supports_notifications:
            return
        try:
            self._listener = self.store.listener()
        except EcoZoningError as exc:
            self.status.setText(tr("无法接收他人的修改 Cannot follow others' saves: {}").format(exc))
            return
        self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(lambda *_: self.check_remote())

    def check_remote(self) -> list:
        """Take in what others saved (called when a notification arrives). Returns the changes taken in."""
        if self._listener is None or self.library is None or self.store is None:
            return []
        try:
            if not self._listener.poll():
                return []
            changes = self.store.refresh(self.library)
        except Exception as exc:  # noqa: BLE001 - a broken listening connection: say so, keep the dock working
            self._stop_listening()  # a dead socket stays readable: stop, or the notifier fires forever
            self.status.setText(
                tr(
                    "不再接收他人的修改（重新载入可恢复） No longer following others' saves (reload to follow again): {}"
                ).format(describe_store_error(exc))
            )
            return []
        if changes:
            entry = self.current_entry()
            self.validate()
            self._show_current_unit(keep_id=entry.clause.id if entry else "")
            kept = [c.clause_id for c in changes if c.kept_local]
            text = tr("{by} 保存了 {ids} {by} saved {ids}").format(
                by=", ".join(sorted({c.by for c in changes})), ids=", ".join(c.clause_id for c in changes)
            )
            if kept:
                text += " · " + tr("您未保存的修改已保留：{} your unsaved edits are kept").format(", ".join(kept))
            self.status.setText(text)
        return changes

    def _close_store(self):
        self._stop_listening()
        if self.store is not None:
            self.store.close()
            self.store = None

    def _stop_listening(self):
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # noqa: BLE001 - already broken  # nosec B110
                pass
            self._listener = None

    def show_history(self) -> bool:
        """The history of the selected clause (or of the current unit's own list); restore one as a new edit."""
        if self.store is None or not self.store.supports_history or self.library is None:
            self.status.setText(tr("文件夹清单库没有修改历史 A folder library keeps no history"))
            return False
        entry = self.current_entry()
        try:
            if entry is not None:
                uid = self.store.uid_of(entry.clause)
                entries = self.store.history(clause_uid=uid) if uid is not None else []
                title = tr("条款 {} 的历史 History of clause {}").format(entry.clause.id, entry.clause.id)
            elif self.current_code:
                entries = self.store.history(scope=self.current_code)
                title = tr("单元 {} 的历史 History of unit {}").format(self.current_code, self.current_code)
            else:
                return False
        except EcoZoningError as exc:
            self.show_error(describe_store_error(exc))
            return False
        chosen = self.choose_history_entry(title, entries)
        if chosen is None or chosen.state() is None:
            return False
        return self.restore(chosen)

    def restore(self, history_entry) -> bool:
        """Put the clause back as the history entry left it, as a new (undoable, unsaved) edit."""
        from ..core.db_library import apply_values

        state = history_entry.state()
        ok, why = self.can_edit(state["level"], state["scope"])
        if not ok:
            self.show_error(why)
            return False
        restored = Clause(id="", dimension="", kind="", text="")
        apply_values(restored, state)
        values = clause_values(restored)
        for clause, level, scope, _file in self.library.iter_clauses():
            if self.store.uid_of(clause) == history_entry_uid(history_entry):
                if values != clause_values(clause):
                    self.undo_stack.push(EditClauseCommand(self.library, level, scope, clause, values))
                return True
        self.undo_stack.push(AddClauseCommand(self.library, state["level"], state["scope"], restored))
        return True

    def ask_clause_conflict(self, conflict):
        """('mine'|'theirs'|'merge', merged values or None), or None to cancel the save."""
        dialog = ConflictDialog(conflict, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return None
        return dialog.choice, dialog.result_values()

    def choose_history_entry(self, title: str, entries: list):
        dialog = HistoryDialog(title, entries, self)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

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
            label = class_names().get(unit.unit_class or 0, "")
            self.unit_label.setText(f"<b>{unit.code}</b> {unit.name} · {label} · {unit.county}")
        previous = self.level_combo.currentData()
        self.level_combo.clear()
        if unit is not None and self.library is not None:
            for level, scope, text in unit_scopes(self.library, unit):
                self.level_combo.addItem(text, (level, scope))
                ok, why = self.can_edit(level, scope)
                if not ok:  # shown, but greyed out with the reason
                    item = self.level_combo.model().item(self.level_combo.count() - 1)
                    item.setEnabled(False)
                    item.setToolTip(why)
            levels = [self.level_combo.itemData(i)[0] for i in range(self.level_combo.count())]
            wanted = previous[0] if previous else "unit"
            self.level_combo.setCurrentIndex(levels.index(wanted) if wanted in levels else levels.index("unit"))
        self._grey_locked_clauses()
        if keep_id:
            self.select_clause(keep_id)
        self._update_actions()

    def _grey_locked_clauses(self):
        """Clauses of lists the connected role may not change: grey, and the tooltip says why."""
        if self.store is None or self.store.kind != "database":
            return
        grey = QColor("#8a8a8a")
        for entry in self.effective_model.entries():
            ok, why = self.can_edit(entry.level, entry.scope)
            if ok:
                continue
            index = self.effective_model.index_of(entry.clause.id)
            for column in range(1, self.effective_model.columnCount()):
                item = self.effective_model.itemFromIndex(index.sibling(index.row(), column))
                if item is not None:
                    item.setForeground(grey)
                    item.setToolTip(f"{item.toolTip()}\n🔒 {why}".strip())

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

    def _on_clause_row(self):
        self._show_detail()
        self._update_actions()

    def _show_detail(self):
        """The current clause in full in the detail pane: text, level and scope, kind, id, filters, file and line."""
        entry = self.current_entry()
        if entry is None:
            self.detail_view.clear()
            return
        levels, kinds = level_names(), kind_names()
        scope = "" if entry.level == "province" else entry.scope
        if entry.level == "region" and self.library is not None:
            scope = self.library.regions.get(entry.scope, {}).get("name") or entry.scope
        head = " · ".join(
            x
            for x in (entry.clause.id, levels.get(entry.level, entry.level), scope, kinds.get(entry.clause.kind, ""))
            if x
        )
        lines = clause_details(entry.clause, entry, self.taxonomy().zones).split("\n")
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
        self.detail_view.setHtml(f"<p><b>{html.escape(head)}</b></p><p>{html.escape(lines[0])}</p>{body}")  # noqa: QGS202

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
        level_ok, level_why = True, ""
        if has_unit and self.level_combo.currentData() is not None:
            level_ok, level_why = self.can_edit(*self.level_combo.currentData())
        self.add_action.setEnabled(has_unit and level_ok)
        self.add_action.setToolTip(level_why or tr("添加 Add"))
        entry = self.current_entry() if has_clause else None
        clause_ok, clause_why = self.can_edit(entry.level, entry.scope) if entry is not None else (True, "")
        for action, text in (
            (self.edit_action, tr("编辑 Edit")),
            (self.delete_action, tr("删除 Delete")),
            (self.up_action, tr("上移 Move up")),
            (self.down_action, tr("下移 Move down")),
        ):
            action.setEnabled(has_clause and clause_ok)
            action.setToolTip(clause_why or text)
        for action in (self.save_action, self.validate_action, self.reload_action):
            action.setEnabled(ready)
        self.history_action.setEnabled(
            ready and self.store is not None and self.store.supports_history and (has_unit or has_clause)
        )

    def _update_title(self, *_args):
        title = tr("准入清单 Admission lists")
        self.setWindowTitle(title if self.undo_stack.isClean() else f"{title} *")

    def closeEvent(self, event):  # noqa: N802 (Qt API name)
        self.pick_action.setChecked(False)
        super().closeEvent(event)

    def cleanup(self):
        """Before the dock goes away: stop the load, close the database connections, give the map tool back,
        remove the highlight."""
        self._cancel_task()
        self._close_store()
        self.pick_action.setChecked(False)
        if self.canvas.mapTool() is self.map_tool:
            self.canvas.unsetMapTool(self.map_tool)
        if self.highlight is not None:
            self.canvas.scene().removeItem(self.highlight)
            self.highlight = None
