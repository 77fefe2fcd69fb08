"""The 快速研判 Quick screen dock, driven headless as a reviewer would: choose the sample units and library, draw a
polygon in the red line and a line across units with canvas clicks, pick sample projects, write the report."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import shapely
from docx import Document
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar

import ecozoning
from ecozoning.core.lists import load_library
from ecozoning.processing.adapter import to_shapely
from ecozoning.processing.decision_store import read_decisions
from ecozoning.ui.screen_panel import ClauseTreeModel, HitTableModel, ScreenPanel

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
PROJECTS = SAMPLE / "projects.gpkg"
LIBRARY = SAMPLE / "library"


def add_layer(uri: str, name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(uri, name, "ogr")
    assert layer.isValid(), uri
    # the project owns it: no Python-owned layer outlives QgsApplication
    assert QgsProject.instance().addMapLayer(layer) is not None
    return layer


def wait_until_ready(panel: ScreenPanel, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while panel.is_busy():
        QgsApplication.processEvents()
        assert time.monotonic() < deadline, "the indexes were not built in time"
        time.sleep(0.01)


def click_map(canvas, map_point, button=Qt.MouseButton.LeftButton):
    """A click on the canvas at a map point, handed to the active map tool as QgsMapCanvas does."""
    pixel = canvas.getCoordinateTransform().transform(map_point)
    position = QPoint(round(pixel.x()), round(pixel.y()))
    tool = canvas.mapTool()
    tool.canvasPressEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonPress, position, button))
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, position, button))


def move_mouse(canvas, map_point):
    pixel = canvas.getCoordinateTransform().transform(map_point)
    position = QPoint(round(pixel.x()), round(pixel.y()))
    canvas.mapTool().canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseMove, position))


def zoom_to(canvas, geom, pad: float):
    minx, miny, maxx, maxy = geom.bounds
    canvas.setExtent(QgsRectangle(minx - pad, miny - pad, maxx + pad, maxy + pad))


def clauses_shown(model: ClauseTreeModel) -> dict[str, list[tuple[str, ...]]]:
    """group label -> [(level badge, kind, id, industry match, unit)] as displayed."""
    groups = {}
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        groups[group.data()] = [
            tuple(model.index(child, column, group).data() for column in range(5))
            for child in range(model.rowCount(group))
        ]
    return groups


def rows(path):
    layer = QgsVectorLayer(str(path), "rows", "ogr")
    names = layer.fields().names()
    return [{n: f[n] for n in names} for f in layer.getFeatures()]


def hits_shown(model: HitTableModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


@pytest.fixture()
def layers(qgis_new_project, qgis_canvas, sample_chain):
    units = add_layer(sample_chain["units"], "control units")
    projects = add_layer(f"{PROJECTS}|layername=projects", "projects")
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    qgis_canvas.setLayers([projects, units])
    qgis_canvas.setExtent(units.extent())
    yield {"units": units, "projects": projects}
    qgis_canvas.setLayers([])
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture()
def panel(layers, qgis_canvas):
    for key in ("screen/rules", "screen/taxonomy", "screen/decisions"):
        QgsProject.instance().removeEntry("EcoZoning", key)  # what an earlier test chose stays behind
    panel = ScreenPanel(qgis_canvas)
    panel.layer_combo.setLayer(layers["units"])
    panel.folder_widget.setFilePath(str(LIBRARY))  # what the user does: type or browse to the folder
    assert panel.is_busy() and not panel.progress.isHidden()  # indexing runs in a QgsTask and shows progress
    wait_until_ready(panel)
    assert panel.is_ready() and panel.progress.isHidden(), panel.status.text()
    assert panel.library is not None and panel.unit_index is not None
    yield panel
    panel.cleanup()
    panel.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def red_line_square(units: QgsVectorLayer):
    """A unit of the red line and a small square well inside it."""
    feature = max(
        (f for f in units.getFeatures() if f["GKDYLX"] == "eco_redline" and f["ZHGKDYFL"] == 1),
        key=lambda f: f.geometry().area(),
    )
    geom = to_shapely(feature.geometry())
    centre = shapely.point_on_surface(geom)
    half = 0.01
    while True:
        square = shapely.box(centre.x - half, centre.y - half, centre.x + half, centre.y + half)
        if geom.contains(square.buffer(half)):
            return feature["HJGKDYBM"], square
        half /= 2
        assert half > 1e-6, "no room inside the red-line unit"


def draw(panel: ScreenPanel, canvas, action, points):
    action.trigger()
    tool = canvas.mapTool()
    assert tool in (panel.polygon_tool, panel.line_tool)
    for n, (x, y) in enumerate(points):
        click_map(canvas, QgsPointXY(x, y))
        assert tool.vertex_count() == n + 1
        move_mouse(canvas, QgsPointXY(x + 1e-4, y + 1e-4))
        assert tool.band.numberOfVertices() == n + 2  # the vertices and the one following the mouse
    click_map(canvas, QgsPointXY(*points[-1]), Qt.MouseButton.RightButton)  # right click: finish
    assert tool.vertex_count() == 0 and tool.band.numberOfVertices() == 0  # ready for the next sketch


# --- tests ------------------------------------------------------------------------------------------------------
def test_a_polygon_drawn_in_the_red_line_fails_and_names_the_unit(panel, layers, qgis_canvas, sample_chain):
    assert panel.objectName() == "EcoZoningScreenDock"
    code, square = red_line_square(layers["units"])
    zoom_to(qgis_canvas, square, 0.02)
    minx, miny, maxx, maxy = square.bounds
    draw(panel, qgis_canvas, panel.polygon_action, [(minx, miny), (maxx, miny), (maxx, maxy), (minx, maxy)])

    result = panel.result
    assert result is not None and result.kind == "area"
    assert result.verdict == "fail"
    label = panel.verdict_label.text()
    assert "Fail" in label and "判定不通过" not in label and code in label and "#b71c1c" in label  # red
    assert any(code in reason for reason in result.verdict_reasons())
    # the unit table: the red-line unit takes the whole footprint
    assert hits_shown(panel.hit_model, HitTableModel.CODE) == [code]
    assert hits_shown(panel.hit_model, HitTableModel.SHARE_PROJECT) == ["100.00 %"]
    assert panel.hit_model.headerData(HitTableModel.MEASURE, Qt.Orientation.Horizontal) == "m²"
    area_m2 = float(hits_shown(panel.hit_model, HitTableModel.MEASURE)[0].replace(",", ""))
    assert area_m2 == pytest.approx(result.total, rel=1e-3) and area_m2 > 10000
    # clauses, grouped by the four dimensions, with level and industry match
    groups = clauses_shown(panel.clause_model)
    assert len(groups) == 4 and sum(len(rows) for rows in groups.values()) == len(result.clauses) > 0
    assert {row[0] for rows in groups.values() for row in rows} <= {
        "Province",
        "Region",
        "Prefecture",
        "Unit",
    }  # an English QGIS: English only
    assert all(row[4] == code for rows in groups.values() for row in rows)
    assert panel.footprint_band.numberOfVertices() > 0  # the footprint stays on the map
    assert panel.report_action.isEnabled()

    # the element zones, when chosen, are hit themselves
    redline = add_layer(sample_chain["zones"]["eco_redline"], "eco_redline zones")
    panel.set_zone_layers([redline])
    wait_until_ready(panel)
    assert panel.zone_index is not None and not panel.zone_box.isHidden()
    assert panel.result.verdict == "fail" and panel.zone_model.rowCount() >= 1  # screened again with the zones
    assert set(hits_shown(panel.zone_model, HitTableModel.TYPE)) == {panel.taxonomy.subtype_label("eco_redline")}


def test_a_line_is_measured_in_metres(panel, layers, qgis_canvas):
    code, square = red_line_square(layers["units"])
    start = square.centroid
    end = (start.x + 0.05, start.y + 0.01)
    zoom_to(qgis_canvas, shapely.LineString([(start.x, start.y), end]), 0.01)
    draw(panel, qgis_canvas, panel.line_action, [(start.x, start.y), ((start.x + end[0]) / 2, start.y), end])

    result = panel.result
    assert result.kind == "length" and result.total > 3000  # about 4.5 km
    assert (
        panel.hit_model.headerData(HitTableModel.MEASURE, Qt.Orientation.Horizontal) == "m"
    )  # English QGIS: no Chinese beside it
    lengths = [float(v.replace(",", "")) for v in hits_shown(panel.hit_model, HitTableModel.MEASURE)]
    assert lengths and all(v > 0 for v in lengths)
    assert sum(lengths) == pytest.approx(
        result.total * (1 - result.outside_share), abs=0.05 * len(lengths)
    )  # shown to 0.1 m
    assert hits_shown(panel.hit_model, HitTableModel.HECTARES) == [""] * len(lengths)
    assert code in hits_shown(panel.hit_model, HitTableModel.CODE)
    assert "Length" in panel.verdict_label.text()
    assert panel.result.project.pid == "SKETCH-001"


def test_picking_sample_projects_gives_their_verdicts_within_a_second(panel, layers, qgis_canvas):
    projects = layers["projects"]
    panel.pick_layer_combo.setLayer(projects)
    coke = next(f for f in projects.getFeatures() if f["XMBH"] == "XM-005")
    inside = shapely.point_on_surface(to_shapely(coke.geometry()))
    zoom_to(qgis_canvas, to_shapely(coke.geometry()), 0.005)
    panel.pick_action.trigger()
    assert qgis_canvas.mapTool() is panel.pick_tool
    click_map(qgis_canvas, QgsPointXY(inside.x, inside.y))
    result = panel.result
    assert result.project.pid == "XM-005" and panel.industry_edit.text() == "C2520"  # read from the feature
    assert panel.name_edit.text() == "焦化及煤焦油加工项目"
    assert result.verdict == "fail"
    assert any("P-SL-005" in r and "C2520" in r for r in result.verdict_reasons())
    rows = [row for rows in clauses_shown(panel.clause_model).values() for row in rows]
    assert ("Province", "Prohibit", "P-SL-005", "yes") in [row[:4] for row in rows]

    # another tool takes the canvas: the pick action is unchecked
    panel.polygon_action.trigger()
    assert not panel.pick_action.isChecked() and qgis_canvas.mapTool() is panel.polygon_tool

    projects.selectByExpression("\"XMBH\" = 'XM-003'")
    started = time.perf_counter()
    assert panel.use_selected_feature()
    elapsed = time.perf_counter() - started
    assert panel.result.project.pid == "XM-003" and panel.industry_edit.text() == "D4430"
    assert panel.result.verdict == "pass", panel.result.reasons
    assert "Pass" in panel.verdict_label.text() and "#2e7d32" in panel.verdict_label.text()
    # indexes are built once: one quick screen (reading the feature, screening, filling the models) is quick
    assert elapsed < 1.0 and panel.last_seconds < 1.0, (elapsed, panel.last_seconds)

    # the reviewer changes the industry code: the same footprint is screened again
    panel.industry_edit.setText("C2520")
    panel.industry_edit.editingFinished.emit()
    assert panel.result.project.pid == "XM-003" and panel.result.verdict == "fail"


def test_write_report_files_html_and_pdf_with_a_map(panel, layers, tmp_path, monkeypatch):
    projects = layers["projects"]
    panel.pick_layer_combo.setLayer(projects)
    projects.selectByExpression("\"XMBH\" = 'XM-005'")
    assert panel.use_selected_feature()
    asked = []
    monkeypatch.setattr(panel, "ask_report_folder", lambda: asked.append(1) or str(tmp_path / "reports"))
    panel.report_action.trigger()
    assert asked == [1]
    html = tmp_path / "reports" / "XM-005.html"
    pdf = tmp_path / "reports" / "XM-005.pdf"
    assert html.exists() and pdf.exists() and (tmp_path / "reports" / "XM-005.png").stat().st_size > 1000
    assert pdf.read_bytes()[:4] == b"%PDF"
    text = html.read_text(encoding="utf-8")
    assert "XM-005" in text and "判定不通过" in text and "P-SL-005" in text and "SHA-256" in text and "符合性" in text
    assert str(html) in panel.status.text() and str(pdf) in panel.status.text()  # says where

    monkeypatch.setattr(panel, "ask_report_folder", lambda: "")  # the user cancels the folder question
    assert panel.write_report() is None


def test_the_lists_dock_library_is_reused_and_a_footprint_waits_for_the_indexes(layers, qgis_canvas):
    library = load_library(str(LIBRARY))
    panel = ScreenPanel(qgis_canvas, library_source=lambda: library)
    try:
        assert panel.layer_combo.currentLayer() is layers["units"]  # the project's unit layer is chosen
        assert panel.is_busy()  # and indexed in the background
        panel.set_library_folder(str(LIBRARY))
        assert panel.library is library  # the lists dock's library: no second load
        feature = next(f for f in layers["projects"].getFeatures() if f["XMBH"] == "XM-001")
        assert panel.screen_feature(layers["projects"], feature) is None  # still indexing
        wait_until_ready(panel)
        assert panel.result is not None and panel.result.project.pid == "XM-001"  # screened once indexed
        assert panel.result.verdict == "fail" and panel.library is library
        panel.layer_combo.setLayer(None)  # no unit layer: nothing to screen against
        assert not panel.is_ready() and panel.rescreen() is None
    finally:
        panel.cleanup()
        panel.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_plugin_shows_and_hides_the_quick_screen(qgis_iface, monkeypatch):
    window = qgis_iface.mainWindow()
    menu = QMenu("&Plugins", window)
    monkeypatch.setattr(qgis_iface, "addPluginToMenu", lambda name, action: menu.addAction(action))
    monkeypatch.setattr(qgis_iface, "removePluginMenu", lambda name, action: menu.removeAction(action), raising=False)
    monkeypatch.setattr(qgis_iface, "addDockWidget", lambda area, widget: window.addDockWidget(area, widget))
    window.show()  # a dock only reports being visible in a shown main window
    plugin = ecozoning.classFactory(qgis_iface)
    plugin.initGui()
    try:
        action = next(a for a in menu.actions() if a.objectName() == "ecozoning_screendock")
        assert action.text() == "Quick screen"
        assert action in window.findChild(QToolBar, "EcoZoningToolbar").actions()
        assert window.findChild(QDockWidget, "EcoZoningScreenDock") is None  # created lazily
        action.trigger()
        dock = window.findChild(QDockWidget, "EcoZoningScreenDock")
        assert dock is not None and dock.isUserVisible()
        action.trigger()
        assert not dock.isUserVisible()
        action.trigger()
        assert dock.isUserVisible() and action.isChecked()
        dock.close()  # the dock's own close button unchecks the entry
        assert not action.isChecked()
    finally:
        plugin.unload()
        window.hide()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChild(QDockWidget, "EcoZoningScreenDock") is None
    menu.deleteLater()


# --- one screening path, the reviewer's decision ------------------------------------------------------------------
def _without_tool_stamp(text: str) -> str:
    return re.sub(r"<tr><th width='24%'>生成工具</th><td>[^<]*</td></tr>", "", text)


def test_the_dock_and_the_algorithm_give_the_same_report_with_a_provinces_rules(
    panel, layers, sample_chain, sample_processing, tmp_path, monkeypatch
):
    """XM-005 through both paths, with a province's RULES: identical verdict, reasons, clause rows, report text."""
    rules = tmp_path / "province_rules.yaml"
    rules.write_text(
        (ROOT / "resources" / "rules" / "verdict_rules.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "  - id: prohibited_industry\n    verdict: fail", "  - id: prohibited_industry\n    verdict: need_info"
        ),
        encoding="utf-8",
    )
    panel.rules_widget.setFilePath(str(rules))  # the reviewer picks the province's rules in the dock
    assert QgsProject.instance().readEntry("EcoZoning", "screen/rules", "")[0] == str(rules)  # kept in the project
    projects = layers["projects"]
    panel.pick_layer_combo.setLayer(projects)
    projects.selectByExpression("\"XMBH\" = 'XM-005'")
    assert panel.use_selected_feature()
    dock_result = panel.result
    assert dock_result.verdict == "need_info"  # the province's rule, not the default 'fail'
    monkeypatch.setattr(panel, "ask_report_folder", lambda: str(tmp_path / "dock"))
    assert panel.write_report("pdf").endswith("XM-005.pdf")

    out = tmp_path / "algorithm"
    out.mkdir()
    sample_processing.run(
        "ecozoning:screenprojects",
        {
            "PROJECTS": f"{PROJECTS}|layername=projects",
            "ID_FIELD": "XMBH",
            "NAME_FIELD": "XMMC",
            "INDUSTRY_FIELD": "HYDM",
            "UNITS": layers["units"].source(),
            "LIBRARY": str(LIBRARY),
            "RULES": str(rules),
            "CLAUSES": str(out / "clauses.csv"),
            "VERDICTS": str(out / "verdicts.gpkg"),
            "REPORT_FOLDER": str(out / "reports"),
        },
    )
    verdict = next(r for r in rows(out / "verdicts.gpkg") if r["PROJ_ID"] == "XM-005")
    assert verdict["VERDICT"] == dock_result.verdict
    assert verdict["REASONS"].split("；")[0] == dock_result.verdict_reasons()[0]
    clause_rows = [
        (c["UNIT_CODE"], c["CLAUSE_ID"], c["LEVEL"]) for c in rows(out / "clauses.csv") if c["PROJ_ID"] == "XM-005"
    ]
    assert clause_rows == [(r.unit_code, r.clause.id, r.level) for r in dock_result.clauses]
    dock_html = (tmp_path / "dock" / "XM-005.html").read_text(encoding="utf-8")
    algorithm_html = (out / "reports" / "XM-005.html").read_text(encoding="utf-8")
    assert "EcoZoning 快速研判" in dock_html and "EcoZoning screenprojects" in algorithm_html
    assert _without_tool_stamp(dock_html) == _without_tool_stamp(algorithm_html)


def test_the_reviewer_records_a_decision_with_a_reason(panel, layers, tmp_path, monkeypatch):
    projects = layers["projects"]
    panel.pick_layer_combo.setLayer(projects)
    projects.selectByExpression("\"XMBH\" = 'XM-005'")
    assert panel.use_selected_feature() and panel.result.verdict == "fail"
    store = tmp_path / "审查意见.gpkg"
    panel.decisions_widget.setFilePath(str(store))
    panel.decision_combo.setCurrentIndex(panel.decision_combo.findData("conditional"))
    panel.reviewer_edit.setText("张三")
    panel.reason_edit.setText("   ")
    panel.decision_button.click()  # no reason: refused, nothing written
    assert not store.exists() and "理由" in panel.status.text()
    panel.reason_edit.setText("企业承诺整体搬迁入园")
    panel.decision_button.click()
    assert read_decisions(str(store))["XM-005"].decision == "conditional"
    assert "企业承诺整体搬迁入园" in panel.verdict_label.text()  # shown beside the system's verdict
    monkeypatch.setattr(panel, "ask_report_folder", lambda: str(tmp_path / "reports"))
    docx = panel.write_report("docx")
    document = Document(docx)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "企业承诺整体搬迁入园" in cells and "张三" in cells
    assert "审查意见：受限准入" in panel.copy_eia_paragraph()
    panel.decision_combo.setCurrentIndex(panel.decision_combo.findData("confirm"))
    panel.reason_edit.setText("复核后维持系统研判")
    panel.decision_button.click()  # a second decision is appended, the first stays on record
    layer = QgsVectorLayer(f"{store}|layername=decisions", "d", "ogr")
    assert layer.featureCount() == 2
    assert read_decisions(str(store))["XM-005"].decision == "fail"
    del layer
