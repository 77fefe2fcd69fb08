"""A quick screen (快速研判) in the real QGIS desktop: the packaged zip in a fresh profile (the machinery of
test_desktop.py), the sample units made first by the whole-chain model with qgis_process, then inside QGIS: the
Plugins > EcoZoning > Quick screen action opens the dock, the units and the sample library are chosen in it, the
sample project XM-005 (a coke plant in the red line) is picked and screened. Screenshot:
test_output/desktop_quick_screen.png. The test asserts on the dock's widgets as QGIS left them.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from test_desktop import OUTPUT_DIR, QGIS, QGIS3_INI, build_zip, desktop_env, start_xvfb, stop

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
ZONES = SAMPLE / "harbin_zones.gpkg"
SHOT = OUTPUT_DIR / "desktop_quick_screen.png"
QGIS_TIMEOUT = 180

QUICK_SCREEN_SCRIPT = r"""
import json
import os
import time
import traceback

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget
from qgis.utils import active_plugins, iface

RESULT = os.environ["ECOZONING_RESULT"]
SHOT = os.environ["ECOZONING_SHOT"]
UNITS = os.environ["ECOZONING_UNITS"]
PROJECTS = os.environ["ECOZONING_PROJECTS"]
LIBRARY = os.environ["ECOZONING_LIBRARY"]
DEADLINE = time.monotonic() + 120
result = {"errors": [], "steps": []}
state = {}


def save():
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)


def guarded(function):
    def run(*args):
        result["steps"].append(function.__name__)
        save()
        try:
            function(*args)
        except Exception:
            result["errors"].append(f"{function.__name__}: {traceback.format_exc()}")
            finish()
        save()
    return run


def finish():
    result["finished"] = True
    save()
    dock = state.get("dock")
    if dock is not None:
        dock.close()
    QgsProject.instance().clear()  # no "save the project?" question on the way out
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(500, iface.actionExit().trigger)
    QTimer.singleShot(20000, lambda: os._exit(3))


@guarded
def wait_for_ui():
    window = iface.mainWindow()
    if window is not None and window.isVisible() and "ecozoning" in active_plugins:
        QTimer.singleShot(1000, open_dock)
    elif time.monotonic() > DEADLINE:
        result["errors"].append("timed out waiting for the main window and the plugin")
        finish()
    else:
        QTimer.singleShot(250, wait_for_ui)


@guarded
def open_dock():
    window = iface.mainWindow()
    window.setGeometry(QApplication.primaryScreen().availableGeometry())
    units = QgsVectorLayer(UNITS, "环境管控单元 units", "ogr")
    projects = QgsVectorLayer(PROJECTS, "projects", "ogr")
    result["layers_valid"] = [units.isValid(), projects.isValid()]
    QgsProject.instance().addMapLayers([units, projects])
    state.update(units=units, projects=projects)
    action = window.findChild(QAction, "ecozoning_screendock")
    result["action"] = action.text() if action is not None else None
    action.trigger()  # Plugins > EcoZoning > Quick screen
    dock = window.findChild(QDockWidget, "EcoZoningScreenDock")
    result["dock_visible"] = dock is not None and dock.isVisible()
    state["dock"] = dock
    dock.layer_combo.setLayer(units)
    dock.folder_widget.setFilePath(LIBRARY)
    QTimer.singleShot(200, wait_for_indexes)


@guarded
def wait_for_indexes():
    dock = state["dock"]
    if dock.is_busy() and time.monotonic() < DEADLINE:
        QTimer.singleShot(200, wait_for_indexes)
        return
    result["ready"] = dock.is_ready()
    result["status_after_indexing"] = dock.status.text()
    projects = state["projects"]
    dock.pick_layer_combo.setLayer(projects)
    projects.selectByExpression("\"XMBH\" = 'XM-005'")
    iface.mapCanvas().setExtent(projects.boundingBoxOfSelected().buffered(0.05))
    result["screened"] = dock.use_selected_feature()
    result["verdict_label"] = dock.verdict_label.text()
    result["verdict"] = dock.result.verdict if dock.result is not None else None
    result["project_id"] = dock.result.project.pid if dock.result is not None else None
    result["industry"] = dock.industry_edit.text()
    result["units_hit"] = dock.hit_model.rowCount()
    result["clauses"] = dock.clause_model.rowCount()
    result["report_enabled"] = dock.report_action.isEnabled()
    QTimer.singleShot(1500, grab)


@guarded
def grab():
    result["screenshot"] = SHOT if iface.mainWindow().grab().save(SHOT) else None
    state["dock"].grab().save(SHOT.replace(".png", "_dock.png"))
    finish()


QTimer.singleShot(0, wait_for_ui)
"""


@pytest.fixture(scope="module")
def quick_screen(tmp_path_factory, qgis_env_sh) -> dict:
    if not os.access(QGIS, os.X_OK):
        pytest.skip(f"{QGIS} is not installed")
    base = tmp_path_factory.mktemp("quick_screen")
    units = base / "units.gpkg"
    env = {**qgis_env_sh, "QGIS_CUSTOM_CONFIG_PATH": str(base / "process-profile")}
    executable = env.get("QGIS_PROCESS", "/usr/bin/qgis_process.bin")
    for args in (
        ["plugins", "enable", "ecozoning"],
        [
            "run",
            "ecozoning:wholechain",
            "--",
            f"ADMIN={SAMPLE / 'harbin_counties.gpkg'}|layername=counties",
            f"REDLINE={ZONES}|layername=eco_redline",
            f"WATER={ZONES}|layername=water_zones",
            f"AIR={ZONES}|layername=air_zones",
            f"PARKS={ZONES}|layername=parks",
            f"URBAN={ZONES}|layername=urban",
            f"LIBRARY={SAMPLE / 'library'}",
            "PRODUCER=e2e",
            "REGION_CODE=230100",
            "DATE=2024-06-29",
            f"delineate:UNITS={units}",
            f"validate:ISSUES={base / 'issues.gpkg'}",
            f"export:PACKAGE={base / 'filing.zip'}",
        ],
    ):
        done = subprocess.run(  # noqa: S603 - fixed binary
            [executable, *args], env=env, cwd=base, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    profile = base / "config"
    plugins_dir = profile / "profiles" / "default" / "python" / "plugins"
    plugins_dir.mkdir(parents=True)
    with zipfile.ZipFile(build_zip(tmp_path_factory.mktemp("dist"))) as archive:
        archive.extractall(plugins_dir)
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(QGIS3_INI, encoding="utf-8")
    script = base / "quick_screen.py"
    script.write_text(QUICK_SCREEN_SCRIPT, encoding="utf-8")
    result_path = base / "result.json"
    OUTPUT_DIR.mkdir(exist_ok=True)
    SHOT.unlink(missing_ok=True)
    env = desktop_env(profile, "", result_path)
    xvfb, display = start_xvfb()
    env.update(
        DISPLAY=display,
        ECOZONING_SHOT=str(SHOT),
        ECOZONING_UNITS=str(units),
        ECOZONING_PROJECTS=f"{SAMPLE / 'projects.gpkg'}|layername=projects",
        ECOZONING_LIBRARY=str(SAMPLE / "library"),
    )
    log_path = OUTPUT_DIR / "desktop_quick_screen_qgis.log"
    started = time.monotonic()
    try:
        with open(log_path, "wb") as log:
            qgis = subprocess.Popen(  # noqa: S603 - fixed binary
                [QGIS, "--noversioncheck", "--nologo", "--code", str(script)],
                env=env,
                cwd=base,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                returncode = qgis.wait(timeout=QGIS_TIMEOUT)
            except subprocess.TimeoutExpired:
                returncode = None
            finally:
                stop(qgis)
    finally:
        stop(xvfb)
    if not result_path.exists():
        pytest.fail(f"QGIS (exit code {returncode}) wrote no result; see {log_path}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result.update(returncode=returncode, seconds=round(time.monotonic() - started, 1))
    (OUTPUT_DIR / "desktop_quick_screen_result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return result


def test_the_quick_screen_dock_opens_from_the_plugin_menu(quick_screen):
    assert quick_screen["errors"] == [], "\n".join(quick_screen["errors"])
    assert quick_screen["returncode"] == 0 and quick_screen.get("finished")
    assert quick_screen["layers_valid"] == [True, True]
    assert quick_screen["action"] and "快速研判" in quick_screen["action"]
    assert quick_screen["dock_visible"]
    assert quick_screen["ready"], quick_screen.get("status_after_indexing")


def test_xm005_is_screened_as_failing_in_the_dock(quick_screen):
    assert quick_screen["screened"] is True
    assert quick_screen["project_id"] == "XM-005" and quick_screen["industry"] == "C2520"
    assert quick_screen["verdict"] == "fail"
    label = quick_screen["verdict_label"]
    assert "判定不通过" in label or "fail" in label.lower(), label
    assert quick_screen["units_hit"] >= 1 and quick_screen["clauses"] >= 1
    assert quick_screen["report_enabled"]


def test_the_screenshot_is_kept(quick_screen):
    from qgis.PyQt.QtGui import QImage

    assert quick_screen["screenshot"] == str(SHOT) and SHOT.exists()
    image = QImage(str(SHOT))
    assert image.width() >= 1000 and image.height() >= 700
