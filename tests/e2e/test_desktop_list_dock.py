"""The list dock (准入清单) and an algorithm dialog in the real QGIS desktop in Simplified Chinese: the packaged zip
in a fresh zh-Hans profile (the machinery of test_desktop.py), the sample units made by qgis_process, then in QGIS
the Plugins > EcoZoning > 准入清单 action opens the dock on the sample library, a red-line unit and its first
clause are chosen. Screenshots: test_output/desktop_list_dock.png (the dock), desktop_algorithm_dialog.png
(the 标准化 dialog). The test asserts on what the widgets show: Chinese, no English beside it, every unit column
on screen, the clause text wrapped in full.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from desktop_harness import run_desktop_script
from test_desktop import OUTPUT_DIR, QGIS

from ecozoning.core.i18n import looks_bilingual, looks_english

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
SHOT = OUTPUT_DIR / "desktop_list_dock.png"
DIALOG_SHOT = OUTPUT_DIR / "desktop_algorithm_dialog.png"
QGIS_TIMEOUT = 180

SCRIPT = r"""
from qgis.core import QgsVectorLayer
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget, QLabel

SHOT = os.environ["ECOZONING_SHOT"]
DIALOG_SHOT = os.environ["ECOZONING_DIALOG_SHOT"]
UNITS = os.environ["ECOZONING_UNITS"]
LIBRARY = os.environ["ECOZONING_LIBRARY"]


@guarded
def open_dock():
    window = iface.mainWindow()
    window.setGeometry(QApplication.primaryScreen().availableGeometry())
    units = QgsVectorLayer(UNITS, "环境管控单元", "ogr")
    result["layer_valid"] = units.isValid()
    QgsProject.instance().addMapLayer(units)
    iface.mapCanvas().setExtent(units.extent())
    action = window.findChild(QAction, "ecozoning_listdock")
    result["action"] = action.text() if action is not None else None
    action.trigger()
    dock = window.findChild(QDockWidget, "EcoZoningListDock")
    state["dock"] = dock
    state.setdefault("close", []).append(dock)
    window.resizeDocks([dock], [620], 1)  # Qt.Horizontal
    dock.set_layer(units)
    dock.open_library(LIBRARY)
    QTimer.singleShot(200, wait_for_library)


@guarded
def wait_for_library():
    dock = state["dock"]
    if dock.is_busy() and time.monotonic() < DEADLINE:
        QTimer.singleShot(200, wait_for_library)
        return
    units = dock.unit_model.units()
    red = next(u for u in units if u.subtypes == ["eco_redline"])
    dock.select_unit(red.code)
    entries = dock.effective_model.entries()
    longest = max(entries, key=lambda e: len(e.clause.text))
    dock.select_clause(longest.clause.id)
    result["dock_width"] = dock.width()
    view = dock.unit_view
    header = view.horizontalHeader()
    result["unit_columns_visible"] = all(
        header.sectionViewportPosition(c) + header.sectionSize(c) <= view.viewport().width() + 1
        for c in range(header.count())
    )
    index = dock.effective_model.index_of(longest.clause.id)
    result["clause_text"] = longest.clause.text
    result["clause_row_height"] = dock.clause_view.visualRect(index).height()
    result["line_height"] = dock.clause_view.fontMetrics().height()
    result["clause_column_width"] = dock.clause_view.columnWidth(0)
    result["text_width"] = dock.clause_view.fontMetrics().horizontalAdvance(longest.clause.text)
    result["detail"] = dock.detail_view.toPlainText()
    result["problem_pane_visible"] = dock.problem_pane.isVisible()
    result["problem_count"] = len(dock.analysis.problems) if dock.analysis else None
    result["level_items"] = [dock.level_combo.itemText(i) for i in range(dock.level_combo.count())]
    result["level_combo_fits"] = dock.level_combo.width() >= dock.level_combo.sizeHint().width() - 2
    result["headers"] = [str(dock.unit_model.headerData(c, 1)) for c in range(dock.unit_model.columnCount())]
    result["labels"] = [w.text() for w in dock.findChildren(QLabel) if w.isVisible() and w.text()]
    result["groups"] = [dock.effective_model.index(r, 0).data() for r in range(dock.effective_model.rowCount())]
    QTimer.singleShot(1500, grab_dock)


@guarded
def grab_dock():
    dock = state["dock"]
    result["screenshot"] = SHOT if dock.grab().save(SHOT) else None
    from qgis import processing

    dialog = processing.createAlgorithmDialog("ecozoning:standardizezones", {})
    dialog.resize(1000, 760)
    dialog.show()
    state["dialog"] = dialog
    state["close"].insert(0, dialog)
    result["dialog_title"] = dialog.windowTitle()
    QTimer.singleShot(1500, grab_dialog)


@guarded
def grab_dialog():
    dialog = state["dialog"]
    result["dialog_labels"] = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible() and w.text()][:60]
    result["dialog_screenshot"] = DIALOG_SHOT if dialog.grab().save(DIALOG_SHOT) else None
    finish()


start(open_dock)
"""


@pytest.fixture(scope="module")
def list_dock(tmp_path_factory, qgis_env_sh) -> dict:
    if not os.access(QGIS, os.X_OK):
        pytest.skip(f"{QGIS} is not installed")
    base = tmp_path_factory.mktemp("list_dock")
    env = {**qgis_env_sh, "QGIS_CUSTOM_CONFIG_PATH": str(base / "process-profile")}
    executable = env.get("QGIS_PROCESS", "/usr/bin/qgis_process.bin")
    admin = f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties"
    zones = base / "redline.gpkg"
    units = base / "units.gpkg"
    for args in (
        ["plugins", "enable", "ecozoning"],
        [
            "run",
            "ecozoning:standardizezones",
            "--",
            f"INPUT={SAMPLE / 'harbin_zones.gpkg'}|layername=eco_redline",
            "SUBTYPE=生态保护红线",
            f"ADMIN={admin}",
            f"OUTPUT={zones}",
        ],
        [
            "run",
            "ecozoning:delineateunits",
            "--",
            f"ADMIN={admin}",
            "COUNTY_FIELD=COUNTY",
            "CITY_FIELD=CITY",
            f"ZONES={zones}",
            f"UNITS={units}",
        ],
    ):
        done = subprocess.run(  # noqa: S603 - fixed binary
            [executable, *args], env=env, cwd=base, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    for shot in (SHOT, DIALOG_SHOT):
        shot.unlink(missing_ok=True)
    extra = {
        "ECOZONING_SHOT": str(SHOT),
        "ECOZONING_DIALOG_SHOT": str(DIALOG_SHOT),
        "ECOZONING_UNITS": str(units),
        "ECOZONING_LIBRARY": str(SAMPLE / "library"),
    }
    result = run_desktop_script(base, tmp_path_factory.mktemp("dist"), "desktop_list_dock", SCRIPT, extra, QGIS_TIMEOUT)
    return result


def test_the_list_dock_is_chinese_and_laid_out_for_the_clauses(list_dock):
    assert list_dock["errors"] == [], "\n".join(list_dock["errors"])
    assert list_dock["returncode"] == 0 and list_dock.get("finished")
    assert list_dock["layer_valid"]
    assert list_dock["action"] == "准入清单面板"
    assert list_dock["headers"] == ["编码", "名称", "分类", "区县", "条款", "问题"]
    assert list_dock["unit_columns_visible"], list_dock["dock_width"]
    shown = list_dock["labels"] + list_dock["groups"] + list_dock["level_items"]
    assert [t for t in shown if looks_english(t) or looks_bilingual(t)] == []
    assert list_dock["level_items"][0] == "省级" and list_dock["level_combo_fits"]
    # the longest clause is wrapped over several lines, not cut, and shown in full in the detail pane
    if list_dock["text_width"] > list_dock["clause_column_width"]:
        assert list_dock["clause_row_height"] >= 2 * list_dock["line_height"]
    assert list_dock["clause_text"] in list_dock["detail"]
    assert list_dock["problem_pane_visible"] == bool(list_dock["problem_count"])


def test_the_algorithm_dialog_is_chinese(list_dock):
    assert "标准化环境要素管控分区" in list_dock["dialog_title"]  # QGIS 3.40+ puts the group first
    labels = [t for t in list_dock["dialog_labels"] if "<" not in t]
    assert [t for t in labels if looks_english(t) or looks_bilingual(t)] == []


def test_the_screenshots_are_kept(list_dock):
    from qgis.PyQt.QtGui import QImage

    for key, path in (("screenshot", SHOT), ("dialog_screenshot", DIALOG_SHOT)):
        assert list_dock[key] == str(path) and path.exists()
        image = QImage(str(path))
        assert image.width() >= 400 and image.height() >= 400
