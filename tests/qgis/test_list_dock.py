"""The 准入清单 Admission lists dock, driven headless as a user would: pick a unit on the map, read its effective
list, edit, undo, redo, save, meet a file changed on disk, follow a validation problem to its unit."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
import yaml
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar

import ecozoning
from ecozoning.core.lists import load_library
from ecozoning.ui.list_dock import ClauseDialog, ListDock
from ecozoning.ui.list_model import (
    AddClauseCommand,
    DeleteClauseCommand,
    EffectiveListModel,
    MoveClauseCommand,
    UnitTableModel,
)

CITY_FILE = "cities/230100.yaml"
UNIT_FILE = "units/230100.yaml"
FILES = {
    "library.yaml": """
        name: 黑龙江省生态环境准入清单
        version: "2024"
        province: "230000"
        regions:
          hds: {name: 哈大绥, cities: ["230100", "230600"]}
        """,
    "province.yaml": """
        level: province
        clauses:
          - id: P-SL-001
            dimension: spatial_layout
            kind: prohibit
            text: 禁止在生态保护红线内开展不符合功能定位的开发建设活动
            classes: [1]
            subtypes: [eco_redline]
          - id: P-SL-002
            dimension: spatial_layout
            kind: require
            text: 工业项目原则上应入园集聚发展
          - id: P-EC-001
            dimension: emission_control
            kind: require
            text: 新建、改建、扩建项目实行主要污染物排放等量或倍量替代
            classes: [2]
          - id: P-RP-001
            dimension: risk_prevention
            kind: prohibit
            text: 禁止新建石油加工、炼焦项目
            industries: [C25]
        """,
    "regions/hds.yaml": """
        level: region
        clauses:
          - id: R-HDS-001
            dimension: resource_efficiency
            kind: require
            text: 哈大绥地区严格控制地下水开采
        """,
    CITY_FILE: """
        level: city
        clauses:
          - id: C-230100-001
            dimension: spatial_layout
            kind: require
            text: 哈尔滨市工业项目应进入合规园区
            replaces: P-SL-002
          - id: C-230100-002
            dimension: emission_control
            kind: restrict
            text: 哈尔滨市建成区限制新建燃煤锅炉
            classes: [2]
            subtypes: [dev_urban]
        """,
    UNIT_FILE: """
        ZH23010210001:
          clauses:
            - id: U-ZH23010210001-001
              dimension: spatial_layout
              kind: prohibit
              text: 单元内禁止新建工业项目
            - id: U-ZH23010210001-002
              dimension: resource_efficiency
              kind: require
              text: 加强水源涵养
            - id: U-ZH23010210001-003
              dimension: spatial_layout
              kind: require
              text: 现有村庄有序退出
        ZH23010220001:
          clauses:
            - id: U-ZH23010220001-001
              dimension: risk_prevention
              kind: require
              text: 园区应编制突发环境事件应急预案
            - id: U-ZH23010220001-002
              dimension: noise_control
              kind: restrict
              text: 夜间限制高噪声施工
        """,
}
# code, name, class, subtype, county, x of the square's west side (each unit is a 0.05° square)
UNITS = [
    ("ZH23010210001", "道里区生态保护红线优先保护单元", 1, "eco_redline", "道里区", 126.50),
    ("ZH23010220001", "道里区城镇重点管控单元", 2, "dev_urban", "道里区", 126.55),
    ("ZH23010230001", "道里区一般管控单元", 3, "general", "道里区", 126.60),
]
SOUTH, SIZE = 45.70, 0.05
# the planted problem: a unit clause with an unknown dimension
PLANTED = ("U-ZH23010220001-002", "unknown_dimension", "ZH23010220001")


def write_library(root: Path) -> Path:
    for relpath, text in FILES.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def unit_layer() -> QgsVectorLayer:
    fields = "&".join(
        f"field={name}"
        for name in (
            "HJGKDYBM:string(13)",
            "HJGKDYMC:string(80)",
            "ZHGKDYFL:integer",
            "GKDYLX:string(40)",
            "XZQDM:string(6)",
            "COUNTY:string(40)",
            "CITY:string(40)",
        )
    )
    layer = QgsVectorLayer(f"Polygon?crs=EPSG:4490&{fields}", "control units", "memory")
    features = []
    for code, name, unit_class, subtype, county, west in UNITS:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([code, name, unit_class, subtype, "230102", county, "哈尔滨市"])
        feature.setGeometry(
            QgsGeometry.fromWkt(
                f"POLYGON(({west} {SOUTH}, {west + SIZE} {SOUTH}, {west + SIZE} {SOUTH + SIZE}, "
                f"{west} {SOUTH + SIZE}, {west} {SOUTH}))"
            )
        )
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    layer.updateExtents()
    return layer


def interior_point(code: str):
    from qgis.core import QgsPointXY

    west = next(u[5] for u in UNITS if u[0] == code)
    return QgsPointXY(west + SIZE * 0.3, SOUTH + SIZE * 0.6)


def wait_until_loaded(dock: ListDock, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while dock.is_busy():
        QgsApplication.processEvents()
        assert time.monotonic() < deadline, "the library did not load in time"
        time.sleep(0.01)


class Answers:
    """What the 'user' answers to the dock's questions, and what was asked."""

    def __init__(self):
        self.broad_edits: list[tuple[int, str, str]] = []
        self.conflicts: list[list[str]] = []
        self.conflict_choice = "cancel"
        self.clause_values = None  # a function: values -> values, or None to cancel the dialog
        self.broad_ok = True

    def install(self, dock: ListDock, monkeypatch):
        def confirm_broad_edit(count, clause_id, level):
            self.broad_edits.append((count, clause_id, level))
            return self.broad_ok

        def ask_conflict(paths):
            self.conflicts.append(list(paths))
            return self.conflict_choice

        def ask_clause_values(title, values, new):
            return None if self.clause_values is None else self.clause_values(dict(values))

        monkeypatch.setattr(dock, "confirm_broad_edit", confirm_broad_edit)
        monkeypatch.setattr(dock, "ask_conflict", ask_conflict)
        monkeypatch.setattr(dock, "ask_clause_values", ask_clause_values)
        monkeypatch.setattr(dock, "confirm_discard", lambda: True)


@pytest.fixture()
def library_dir(tmp_path) -> Path:
    return write_library(tmp_path / "library")


@pytest.fixture()
def layer(qgis_new_project, qgis_canvas):
    layer = unit_layer()
    assert QgsProject.instance().addMapLayer(
        layer
    )  # the project owns it: no Python-owned layer outlives QgsApplication
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    qgis_canvas.setLayers([layer])
    qgis_canvas.setExtent(layer.extent().buffered(0.01))
    yield layer
    qgis_canvas.setLayers([])
    QgsProject.instance().removeMapLayer(layer.id())


@pytest.fixture()
def dock(layer, library_dir, qgis_canvas, monkeypatch):
    dock = ListDock(qgis_canvas)
    answers = Answers()
    answers.install(dock, monkeypatch)
    dock.answers = answers
    dock.layer_combo.setLayer(layer)
    dock.folder_widget.setFilePath(str(library_dir))  # what the user does: type or browse to the folder
    assert dock.is_busy() and not dock.progress.isHidden()  # loading runs in a QgsTask and shows progress
    wait_until_loaded(dock)
    assert dock.progress.isHidden()
    assert dock.library is not None, dock.status.text()
    yield dock
    dock.cleanup()
    dock.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def click_map(canvas, map_point):
    """A left click on the canvas at a map point, handed to the active map tool like QgsMapCanvas does."""
    pixel = canvas.getCoordinateTransform().transform(map_point)
    position = QPoint(round(pixel.x()), round(pixel.y()))
    press = QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonPress, position, Qt.MouseButton.LeftButton)
    release = QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, position, Qt.MouseButton.LeftButton)
    canvas.mapTool().canvasPressEvent(press)
    canvas.mapTool().canvasReleaseEvent(release)


def shown(dock: ListDock) -> dict[str, list[tuple[str, str, str]]]:
    """The effective list as displayed: group label -> [(level badge, kind, clause id)]."""
    model = dock.effective_model
    groups = {}
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        groups[group.data()] = [
            tuple(
                model.index(child, column, group).data()
                for column in (EffectiveListModel.LEVEL, EffectiveListModel.KIND, EffectiveListModel.ID)
            )
            for child in range(model.rowCount(group))
        ]
    return groups


def displayed_text(dock: ListDock, clause_id: str) -> str:
    index = dock.effective_model.index_of(clause_id)
    assert index.isValid(), f"{clause_id} is not shown"
    return index.sibling(index.row(), EffectiveListModel.TEXT).data()


def pick(dock: ListDock, canvas, code: str):
    if not dock.pick_action.isChecked():
        dock.pick_action.trigger()
    assert canvas.mapTool() is dock.map_tool
    click_map(canvas, interior_point(code))
    assert dock.current_code == code


def disk(library_dir: Path, relpath: str) -> dict:
    return yaml.safe_load((library_dir / relpath).read_text(encoding="utf-8"))


# --- tests ------------------------------------------------------------------------------------------------------
def test_clicking_a_unit_shows_its_effective_list_grouped_with_levels(dock, qgis_canvas, layer):
    assert dock.objectName() == "EcoZoningListDock"
    assert dock.unit_model.rowCount() == 3
    pick(dock, qgis_canvas, "ZH23010210001")
    assert [f["HJGKDYBM"] for f in layer.selectedFeatures()] == ["ZH23010210001"]
    groups = shown(dock)
    assert groups == {
        "Spatial layout constraints (4)": [
            ("Province", "Prohibit", "P-SL-001"),
            ("Prefecture", "Require", "C-230100-001"),  # replaces P-SL-002, which is gone
            ("Unit", "Prohibit", "U-ZH23010210001-001"),
            ("Unit", "Require", "U-ZH23010210001-003"),
        ],
        "Pollutant emission control (0)": [],  # P-EC-001 is for class 2 only
        "Environmental risk prevention (1)": [("Province", "Prohibit", "P-RP-001")],
        "Resource use efficiency (2)": [
            ("Region", "Require", "R-HDS-001"),
            ("Unit", "Require", "U-ZH23010210001-002"),
        ],
    }
    # the badge carries the level's colour, the same for every clause of a level
    model = dock.effective_model
    badges = {}
    for entry in model.entries():
        index = model.index_of(entry.clause.id)
        badges.setdefault(entry.level, set()).add(
            index.sibling(index.row(), EffectiveListModel.LEVEL).data(Qt.ItemDataRole.BackgroundRole).color().name()
        )
    assert all(len(colours) == 1 for colours in badges.values()) and len(set.union(*badges.values())) == 4
    assert not model.flags(model.index_of("P-SL-001")) & Qt.ItemFlag.ItemIsEditable  # edits go through commands
    # the level chooser offers the lists this unit inherits from
    assert [dock.level_combo.itemData(i) for i in range(dock.level_combo.count())] == [
        ("province", "province"),
        ("region", "hds"),
        ("city", "230100"),
        ("unit", "ZH23010210001"),
    ]

    pick(dock, qgis_canvas, "ZH23010230001")  # a general unit: only the inherited clauses, no list of its own
    assert [e.clause.id for e in model.entries()] == ["C-230100-001", "P-RP-001", "R-HDS-001"]
    assert dock.unit_view.currentIndex().data() == "ZH23010230001"  # the table follows the map


def test_edit_a_prefecture_clause_confirm_undo_redo_save(dock, qgis_canvas, library_dir):
    pick(dock, qgis_canvas, "ZH23010220001")
    old_text = "哈尔滨市工业项目应进入合规园区"
    new_text = "哈尔滨市新建工业项目必须进入合规园区"
    dock.answers.clause_values = lambda values: {**values, "text": new_text, "kind": "prohibit"}
    assert dock.select_clause("C-230100-001")
    dock.edit_action.trigger()
    assert dock.answers.broad_edits == [(3, "C-230100-001", "city")]  # every unit of Harbin has it
    assert displayed_text(dock, "C-230100-001") == new_text
    assert dock.windowTitle().endswith("*")

    dock.undo_action.trigger()
    assert displayed_text(dock, "C-230100-001") == old_text
    assert dock.library.find("C-230100-001")[0].kind == "require"
    assert not dock.windowTitle().endswith("*")

    dock.redo_action.trigger()
    assert displayed_text(dock, "C-230100-001") == new_text
    before = (library_dir / CITY_FILE).read_text(encoding="utf-8")
    assert dock.save()
    saved = disk(library_dir, CITY_FILE)["clauses"][0]
    assert saved["id"] == "C-230100-001" and saved["text"] == new_text and saved["kind"] == "prohibit"
    assert saved["replaces"] == "P-SL-002"  # what the dialog did not change is kept
    assert (library_dir / (CITY_FILE + ".bak")).read_text(encoding="utf-8") == before
    assert dock.answers.conflicts == []
    assert not dock.windowTitle().endswith("*")


def test_declining_the_broad_edit_changes_nothing(dock, qgis_canvas):
    pick(dock, qgis_canvas, "ZH23010210001")
    dock.answers.broad_ok = False
    dock.answers.clause_values = lambda values: {**values, "text": "changed"}
    dock.select_clause("P-RP-001")
    dock.edit_action.trigger()
    dock.delete_action.trigger()
    assert [(n, ref) for n, ref, _ in dock.answers.broad_edits] == [(3, "P-RP-001"), (3, "P-RP-001")]
    assert dock.undo_stack.count() == 0
    assert displayed_text(dock, "P-RP-001") == "禁止新建石油加工、炼焦项目"


def test_a_file_changed_on_disk_is_never_overwritten_without_asking(dock, qgis_canvas, library_dir):
    pick(dock, qgis_canvas, "ZH23010220001")
    dock.answers.clause_values = lambda values: {**values, "text": "我的修改"}
    dock.select_clause("C-230100-002")
    dock.edit_action.trigger()
    external = (library_dir / CITY_FILE).read_text(encoding="utf-8").replace("燃煤锅炉", "燃煤锅炉（同事的修改）")
    (library_dir / CITY_FILE).write_text(external, encoding="utf-8")

    dock.answers.conflict_choice = "cancel"
    assert not dock.save()
    assert dock.answers.conflicts == [[CITY_FILE]]
    assert (library_dir / CITY_FILE).read_text(encoding="utf-8") == external
    assert not (library_dir / (CITY_FILE + ".bak")).exists()
    assert displayed_text(dock, "C-230100-002") == "我的修改"  # the edit is still there, unsaved

    dock.answers.conflict_choice = "overwrite"
    assert dock.save()
    assert disk(library_dir, CITY_FILE)["clauses"][1]["text"] == "我的修改"
    assert (library_dir / (CITY_FILE + ".bak")).read_text(encoding="utf-8") == external


def test_a_conflict_can_be_resolved_by_reloading_the_files(dock, qgis_canvas, library_dir):
    pick(dock, qgis_canvas, "ZH23010220001")
    dock.answers.clause_values = lambda values: {**values, "text": "我的修改"}
    dock.select_clause("C-230100-002")
    dock.edit_action.trigger()
    external = (library_dir / CITY_FILE).read_text(encoding="utf-8").replace("燃煤锅炉", "燃煤锅炉（同事的修改）")
    (library_dir / CITY_FILE).write_text(external, encoding="utf-8")
    dock.answers.conflict_choice = "reload"
    assert not dock.save()
    assert (library_dir / CITY_FILE).read_text(encoding="utf-8") == external
    assert displayed_text(dock, "C-230100-002") == "哈尔滨市建成区限制新建燃煤锅炉（同事的修改）"
    assert dock.undo_stack.count() == 0


def test_add_delete_and_move_clauses_at_a_chosen_level_undo_exactly(dock, qgis_canvas, library_dir):
    pick(dock, qgis_canvas, "ZH23010230001")  # has no list of its own yet
    files_before = sorted(dock.library.files)
    assert dock.choose_level("unit")
    dock.answers.clause_values = lambda values: {
        **values,
        "text": "一般管控单元内落实普适性管控要求",
        "kind": "require",
    }
    dock.add_action.trigger()
    new_id = "U-ZH23010230001-001"
    assert displayed_text(dock, new_id) == "一般管控单元内落实普适性管控要求"
    assert [e.level for e in dock.effective_model.entries() if e.clause.id == new_id] == ["unit"]
    dock.undo_action.trigger()
    assert "ZH23010230001" not in dock.library.files[UNIT_FILE].units  # not even an empty entry is left
    assert sorted(dock.library.files) == files_before

    # a clause added at the region level reaches every unit of the region
    assert dock.choose_level("region", "hds")
    dock.answers.clause_values = lambda values: {**values, "dimension": "risk_prevention", "text": "区域风险联防联控"}
    dock.add_action.trigger()
    region_clause = dock.library.clause_list("region", "hds")[-1]
    assert region_clause.text == "区域风险联防联控" and region_clause.id == "R-HDS-002"
    assert dock.library.affected_units(region_clause.id, dock.unit_tuples()) == [u[0] for u in UNITS]
    dock.undo_action.trigger()
    assert [c.id for c in dock.library.clause_list("region", "hds")] == ["R-HDS-001"]

    # reorder within the unit's own list (same dimension), then delete; undo both
    pick(dock, qgis_canvas, "ZH23010210001")
    own = dock.library.clause_list("unit", "ZH23010210001")
    assert [c.id for c in own] == ["U-ZH23010210001-001", "U-ZH23010210001-002", "U-ZH23010210001-003"]
    dock.select_clause("U-ZH23010210001-003")
    dock.up_action.trigger()  # moves above the previous spatial-layout clause, over the other dimension's
    assert [c.id for c in own] == ["U-ZH23010210001-003", "U-ZH23010210001-001", "U-ZH23010210001-002"]
    spatial = shown(dock)["Spatial layout constraints (4)"]
    assert [row[2] for row in spatial][-2:] == ["U-ZH23010210001-003", "U-ZH23010210001-001"]
    assert dock.current_entry().clause.id == "U-ZH23010210001-003"  # stays selected for the next move
    dock.delete_action.trigger()
    assert [c.id for c in own] == ["U-ZH23010210001-001", "U-ZH23010210001-002"]
    assert dock.answers.broad_edits == []  # unit clauses concern one unit: no question
    dock.undo_action.trigger()
    dock.undo_action.trigger()
    assert [c.id for c in own] == ["U-ZH23010210001-001", "U-ZH23010210001-002", "U-ZH23010210001-003"]
    assert dock.undo_stack.isClean()


def test_validation_pane_lists_the_planted_problem_and_selects_its_unit(dock, qgis_canvas, layer):
    model = dock.problem_model
    rows = [model.problem(row) for row in range(model.rowCount())]
    planted = [row for row, p in enumerate(rows) if (p.ref, p.kind) == PLANTED[:2]]
    assert len(planted) == 1, [str(p) for p in rows]
    row = planted[0]
    assert model.index(row, model.WHERE).data() == f"{UNIT_FILE}:21"
    # the other problem: the general unit has no list of its own (a warning)
    assert {(p.kind, p.ref) for p in rows} == {
        ("unknown_dimension", PLANTED[0]),
        ("unit_without_list", "ZH23010230001"),
    }
    problem_column = dock.unit_model.index(dock.unit_model.row_of(PLANTED[2]), UnitTableModel.PROBLEMS)
    assert problem_column.data() == "1"

    qgis_canvas.setExtent(layer.extent().buffered(5))  # far out: activating the problem must zoom in
    dock.problem_view.activated.emit(model.index(row, model.MESSAGE))
    assert [f["HJGKDYBM"] for f in layer.selectedFeatures()] == [PLANTED[2]]
    assert dock.current_code == PLANTED[2]
    assert qgis_canvas.extent().width() < 1
    # the unknown dimension is shown, not hidden
    assert shown(dock)["Other (unknown dimension) (1)"] == [("Unit", "Restrict", PLANTED[0])]

    # fixing it clears the problem; the highlight follows
    dock.highlight_action.trigger()
    assert dock.highlighted_parts() == 2
    dock.select_clause(PLANTED[0])
    dock.answers.clause_values = lambda values: {**values, "dimension": "emission_control"}
    dock.edit_action.trigger()
    assert [model.problem(r).kind for r in range(model.rowCount())] == ["unit_without_list"]
    assert dock.highlighted_parts() == 1
    dock.highlight_action.trigger()
    assert dock.highlighted_parts() == 0
    assert layer.renderer().type() == "singleSymbol"  # the user's style is untouched


def test_unit_table_filters_by_search_text_and_sorts(dock):
    proxy = dock.unit_proxy
    assert proxy.rowCount() == 3
    dock.search_edit.setText("城镇")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["ZH23010220001"]
    dock.search_edit.setText("30001")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["ZH23010230001"]
    dock.search_edit.clearValue()
    assert proxy.rowCount() == 3
    dock.unit_view.sortByColumn(UnitTableModel.CLAUSES, Qt.SortOrder.DescendingOrder)
    counts = [int(proxy.index(r, UnitTableModel.CLAUSES).data()) for r in range(proxy.rowCount())]
    assert counts == [7, 7, 3]
    dock.unit_view.selectRow(2)  # choosing from the table shows that unit
    assert dock.current_code == "ZH23010230001"
    assert [e.clause.id for e in dock.effective_model.entries()] == ["C-230100-001", "P-RP-001", "R-HDS-001"]


def test_commands_undo_exactly_on_the_core_library(library_dir):
    library = load_library(str(library_dir))
    clauses = library.clause_list("city", "230100")
    snapshot = [(c.id, c.text) for c in clauses]
    first = clauses[0]
    commands = [
        MoveClauseCommand(library, "city", "230100", first, 1),
        DeleteClauseCommand(library, "city", "230100", first),
        AddClauseCommand(library, "city", "230100", type(first)("C-230100-009", "spatial_layout", "require", "x"), 0),
    ]
    for command in commands:
        command.redo()
    assert [c.id for c in clauses] == ["C-230100-009", "C-230100-002"]
    assert library.files[CITY_FILE].dirty
    for command in reversed(commands):
        command.undo()
    assert [(c.id, c.text) for c in clauses] == snapshot and clauses[0] is first


def test_clause_dialog_keeps_what_it_cannot_show(qgis_app):
    values = {
        "id": "C-230100-003",
        "dimension": "noise_control",
        "kind": "restrict",
        "text": "x",
        "classes": [2, 7],
        "subtypes": ["dev_urban"],
        "industries": ["c25"],
        "replaces": "",
        "source": "",
    }
    dialog = ClauseDialog("t", values, False, {}, None)
    assert dialog.id_edit.isReadOnly()
    result = dialog.values()
    assert result["dimension"] == "noise_control" and result["classes"] == [2, 7] and result["industries"] == ["C25"]
    dialog.text_edit.setPlainText("")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.deleteLater()


def test_the_plugin_shows_and_hides_the_dock(qgis_iface, monkeypatch):
    """The menu entry and toolbar button create the dock on first use, toggle it, and unload removes it."""
    window = qgis_iface.mainWindow()
    menu = QMenu("&Plugins", window)
    monkeypatch.setattr(qgis_iface, "addPluginToMenu", lambda name, action: menu.addAction(action))
    monkeypatch.setattr(qgis_iface, "removePluginMenu", lambda name, action: menu.removeAction(action), raising=False)
    monkeypatch.setattr(qgis_iface, "addDockWidget", lambda area, widget: window.addDockWidget(area, widget))
    window.show()  # a dock only reports being visible in a shown main window
    plugin = ecozoning.classFactory(qgis_iface)
    plugin.initGui()
    try:
        action = next(a for a in menu.actions() if a.objectName() == "ecozoning_listdock")
        assert action.text() == "Admission lists"  # English QGIS: English only (Chinese through the translation)
        toolbar = window.findChild(QToolBar, "EcoZoningToolbar")
        assert action in toolbar.actions()
        assert window.findChild(QDockWidget, "EcoZoningListDock") is None  # created lazily
        action.trigger()
        dock = window.findChild(QDockWidget, "EcoZoningListDock")
        assert dock is not None and dock.isUserVisible()
        action.trigger()
        assert not dock.isUserVisible()
        action.trigger()
        assert dock.isUserVisible()
        assert action.isChecked()
        dock.close()  # the dock's own close button unchecks the entry
        assert not action.isChecked()
    finally:
        plugin.unload()
        window.hide()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChild(QDockWidget, "EcoZoningListDock") is None
    menu.deleteLater()


def test_a_broken_library_in_the_background_says_what_is_wrong(layer, tmp_path, qgis_canvas, monkeypatch):
    folder = write_library(tmp_path / "broken")
    (folder / "library.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    dock = ListDock(qgis_canvas)
    monkeypatch.setattr(dock, "confirm_discard", lambda: True)
    dock.layer_combo.setLayer(layer)
    try:
        assert dock.open_library(str(folder))
        wait_until_loaded(dock)
        assert dock.library is None and dock.progress.isHidden()
        assert "library.yaml" in dock.status.text() and "line" in dock.status.text()
    finally:
        dock.cleanup()
        dock.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_an_unexpected_error_on_the_worker_thread_is_caught_and_shown(layer, library_dir, qgis_canvas, monkeypatch):
    """QgsTask.fromFunction catches what the load raises on the worker thread; the dock reports it, logs the
    traceback, stays usable, and the next load works."""
    import ecozoning.ui.list_dock as list_dock_module

    def explode(*args, **kwargs):
        raise KeyError("no such dimension")

    logged: list[str] = []

    def log(message, tag, level):
        logged.append(message)

    QgsApplication.messageLog().messageReceived.connect(log)
    dock = ListDock(qgis_canvas)
    monkeypatch.setattr(dock, "confirm_discard", lambda: True)
    dock.layer_combo.setLayer(layer)
    try:
        monkeypatch.setattr(list_dock_module, "load_and_analyse", explode)
        assert dock.open_library(str(library_dir))
        wait_until_loaded(dock)
        assert dock.library is None and dock.progress.isHidden()
        assert "KeyError" in dock.status.text() and "no such dimension" in dock.status.text()
        assert any("Traceback" in m and "explode" in m for m in logged)
        monkeypatch.undo()
        assert dock.open_library(str(library_dir))
        wait_until_loaded(dock)
        assert dock.library is not None, dock.status.text()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(log)
        dock.cleanup()
        dock.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_unit_classes_are_read_by_the_one_rule(qgis_app):
    """Class field first (as people write it), else the code's class digit, else unknown (docs §4)."""
    from ecozoning.ui.list_dock import read_units

    layer = QgsVectorLayer("Polygon?crs=EPSG:4490&field=HJGKDYBM:string&field=ZHGKDYFL:string", "u", "memory")
    rows = [("ZH23010210001", "优先保护单元"), ("ZH23010220001", ""), ("ZH230102300001", None), ("XX1", "")]
    features = []
    for code, cls in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([code, cls])
        features.append(feature)
    ok, _added = layer.dataProvider().addFeatures(features)
    assert ok
    units, _fids = read_units(layer)
    assert {u.code: u.unit_class for u in units} == {
        "ZH23010210001": 1,
        "ZH23010220001": 2,
        "ZH230102300001": 3,  # a 14-character code
        "XX1": None,
    }
