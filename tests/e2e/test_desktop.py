"""The plugin as a user gets it: the release zip, unpacked into a fresh profile, in the real QGIS desktop.

scripts/package.sh builds the zip; it is unpacked into <profile>/python/plugins/ and enabled in QGIS3.ini, as the
Plugin Manager's "Install from ZIP" does. Then /usr/bin/qgis starts under Xvfb, in Chinese (the users' first
language), and runs DESKTOP_SCRIPT inside itself (--code): it waits for the main window, looks at the menus, the
toolbar and the Processing registry, opens an algorithm from the menu, runs one on memory layers, takes
screenshots into test_output/ and quits. The tests read what it wrote.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test_output"
QGIS = "/usr/bin/qgis"
QGIS_TIMEOUT = 180  # seconds for the whole desktop session; it normally takes about 10
ALGORITHMS = ("standardizezones", "delineateunits", "validateunits")
MENU_ACTIONS = {f"ecozoning_{name}" for name in ALGORITHMS}

# Runs inside QGIS. Reads ECOZONING_RESULT (JSON to write) and ECOZONING_SHOTS (screenshot folder).
DESKTOP_SCRIPT = r'''
import ctypes
import json
import os
import sys
import time
import traceback

from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAbstractItemView, QApplication, QDockWidget, QToolBar, QTreeView, QWidget
from qgis.utils import active_plugins, iface, plugins

RESULT = os.environ["ECOZONING_RESULT"]
SHOTS = os.environ["ECOZONING_SHOTS"]
DEADLINE = time.monotonic() + 90
result = {"errors": [], "log": []}
QgsApplication.messageLog().messageReceived.connect(
    lambda message, tag, level: result["log"].append([tag, int(level), message])
)


def save():
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)


def step(function):
    def guarded(*args):
        result.setdefault("steps", []).append(function.__name__)
        save()  # should QGIS hang, the test still learns how far it got
        try:
            function(*args)
        except Exception:
            result["errors"].append(f"{function.__name__}: {traceback.format_exc()}")
        save()
    guarded.__name__ = function.__name__
    return guarded


def finish():
    result["finished"] = True
    save()
    QTimer.singleShot(0, iface.actionExit().trigger)
    QTimer.singleShot(20000, lambda: os._exit(3))  # should a dialog block the exit


def wait_for_ui():
    window = iface.mainWindow()
    if window is not None and window.isVisible() and "ecozoning" in active_plugins:
        QTimer.singleShot(1500, run_checks)  # let the window lay itself out
    elif time.monotonic() > DEADLINE:
        result["errors"].append("timed out waiting for the main window and the plugin")
        run_checks()
    else:
        QTimer.singleShot(250, wait_for_ui)


def run_checks():
    for check in (inspect_plugin, inspect_menus, inspect_toolbar, inspect_processing, run_algorithm):
        step(check)()
    step(open_from_menu)()  # continues in dialog_opened, then screenshots


def inspect_plugin():
    result["active_plugins"] = sorted(active_plugins)
    result["plugin_dir"] = os.path.dirname(sys.modules["ecozoning"].__file__) if "ecozoning" in sys.modules else None
    plugin = plugins.get("ecozoning")
    result["missing_dependencies"] = [m.pip_name for m in getattr(plugin, "missing", [])] if plugin else None
    import shapely
    result["shapely"] = shapely.__version__
    result["geos_shapely_built_with"] = shapely.geos_version_string
    try:  # the GEOS the process resolves GEOS calls to (QGIS links one; shapely's wheel brings another)
        geos_version = ctypes.CDLL(None).GEOSversion
        geos_version.restype = ctypes.c_char_p
        result["geos_runtime"] = geos_version().decode()
    except AttributeError:
        result["geos_runtime"] = None


def inspect_menus():
    window = iface.mainWindow()
    result["menubar"] = [action.text() for action in window.menuBar().actions()]
    plugins_menu = iface.pluginMenu()
    result["plugins_menu_in_menubar"] = plugins_menu.menuAction() in window.menuBar().actions()
    submenus = {action.text(): action.menu() for action in plugins_menu.actions() if action.menu() is not None}
    result["plugins_submenus"] = sorted(submenus)
    menu = submenus.get("&EcoZoning")
    result["ecozoning_menu"] = [
        {"name": a.objectName(), "text": a.text(), "enabled": a.isEnabled(), "icon": not a.icon().isNull()}
        for a in menu.actions()
    ] if menu is not None else None


def inspect_toolbar():
    toolbar = iface.mainWindow().findChild(QToolBar, "EcoZoningToolbar")
    result["toolbar"] = {
        "visible": toolbar.isVisible(),
        "actions": [a.objectName() for a in toolbar.actions()],
    } if toolbar is not None else None


def inspect_processing():
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("ecozoning")
    result["provider"] = {
        "name": provider.name(),
        "algorithms": sorted(a.id() for a in provider.algorithms()),
    } if provider is not None else None


def run_algorithm():
    """What a user does first: standardize a red-line layer against a county, from the desktop."""
    from qgis import processing

    counties = QgsVectorLayer("Polygon?crs=EPSG:4490&field=XZQDM:string(6)", "counties", "memory")
    county = QgsFeature(counties.fields())
    county.setGeometry(QgsGeometry.fromWkt("POLYGON((126.5 45.6,126.8 45.6,126.8 45.9,126.5 45.9,126.5 45.6))"))
    county["XZQDM"] = "230102"
    added_county, _ = counties.dataProvider().addFeatures([county])
    redline = QgsVectorLayer("Polygon?crs=EPSG:4490", "redline", "memory")
    zone = QgsFeature(redline.fields())
    zone.setGeometry(QgsGeometry.fromWkt("POLYGON((126.6 45.7,126.7 45.7,126.7 45.8,126.6 45.8,126.6 45.7))"))
    added_zone, _ = redline.dataProvider().addFeatures([zone])
    if not (added_county and added_zone):
        result["run"] = {"ok": False, "error": "could not build the memory layers"}
        return
    try:
        out = processing.run("ecozoning:standardizezones", {
            "INPUT": redline, "SUBTYPE": "eco_redline", "ADMIN": counties, "ADMIN_CODE_FIELD": "XZQDM",
            "OUTPUT": "memory:", "REPORT": "memory:",
        })
        layer = out["OUTPUT"]
        layer = layer if isinstance(layer, QgsVectorLayer) else QgsProject.instance().mapLayer(layer)
        result["run"] = {"ok": True, "codes": [f["YSBM"] for f in layer.getFeatures()]}
    except Exception as error:
        result["run"] = {"ok": False, "error": str(error)[-1500:]}


def open_from_menu():
    """Click Plugins > EcoZoning > Standardize element zones; the algorithm dialog opens (modally)."""
    action = iface.mainWindow().findChild(type(iface.actionExit()), "ecozoning_standardizezones")
    if action is None:
        result["dialog"] = None
        screenshots()
        return
    QTimer.singleShot(2500, dialog_opened)
    action.trigger()  # returns when dialog_opened closes the dialog
    screenshots()


@step
def dialog_opened():
    dialogs = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.inherits("QDialog")]
    result["dialogs_open"] = [[w.metaObject().className(), w.windowTitle()] for w in dialogs]
    dialog = QApplication.activeModalWidget() or (dialogs[0] if dialogs else None)
    if dialog is None:
        result["dialog"] = None
        return
    text = []
    for widget in dialog.findChildren(QWidget):
        for getter in ("toPlainText", "text"):
            if hasattr(widget, getter):
                try:
                    text.append(str(getattr(widget, getter)()))
                except Exception:
                    pass
                break
    result["dialog"] = {
        "class": dialog.metaObject().className(), "title": dialog.windowTitle(), "text": "\n".join(text)
    }
    dialog.grab().save(os.path.join(SHOTS, "desktop_dialog.png"))
    dialog.reject()


def screenshots():
    window = iface.mainWindow()
    screen = QApplication.primaryScreen().availableGeometry()
    window.setGeometry(screen)  # no window manager under Xvfb: size it to the screen by hand
    step(show_toolbox)()
    QTimer.singleShot(1500, step(grab_main))


def show_toolbox():
    dock = iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
    dock.show()
    tree = dock.findChild(QTreeView, "algorithmTree")
    model = tree.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if "EcoZoning" in str(model.data(index)):
            tree.expand(index)
            for child in range(model.rowCount(index)):
                tree.expand(model.index(child, 0, index))
            tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)


def grab_main():
    path = os.path.join(SHOTS, "desktop_main.png")
    result["screenshot"] = path if iface.mainWindow().grab().save(path) else None
    # the EcoZoning submenu of the Plugins menu, opened, on the whole screen
    plugins_menu = iface.pluginMenu()
    menubar = iface.mainWindow().menuBar()
    plugins_menu.popup(menubar.mapToGlobal(menubar.actionGeometry(plugins_menu.menuAction()).bottomLeft()))
    submenu = [a for a in plugins_menu.actions() if a.menu() is not None and a.text() == "&EcoZoning"]
    if submenu:
        plugins_menu.setActiveAction(submenu[0])
        submenu[0].menu().popup(plugins_menu.mapToGlobal(plugins_menu.actionGeometry(submenu[0]).topRight()))
    QTimer.singleShot(1000, step(grab_menu))


def grab_menu():
    QApplication.primaryScreen().grabWindow(0).save(os.path.join(SHOTS, "desktop_menu.png"))
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and widget.inherits("QMenu"):
            widget.close()
    finish()


QTimer.singleShot(0, wait_for_ui)
'''

# A fresh profile that starts straight into the main window, in Simplified Chinese (zh-Hans is what the Options
# dialog stores; QGIS has no zh_CN translation), without fetching the news feed or plugin updates.
QGIS3_INI = """\
[PythonPlugins]
ecozoning=true

[locale]
overrideFlag=true
userLocale=zh-Hans

[qgis]
checkVersion=false

[app]
plugin_installer\\checkOnStart=false
plugin_installer\\checkOnStartInterval=0

[core]
NewsFeed\\httpsfeedqgisorg\\disabled=true
"""


def metadata_version() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"].strip()


def build_zip(dist: Path) -> Path:
    version = metadata_version()
    subprocess.run(
        [str(ROOT / "scripts" / "package.sh"), version],
        env={**os.environ, "DIST_DIR": str(dist)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    archive = dist / f"ecozoning-{version}.zip"
    assert archive.is_file()
    return archive


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory) -> Path:
    return build_zip(tmp_path_factory.mktemp("dist"))


def test_the_zip_holds_what_users_need_and_nothing_else(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert all(name.startswith("ecozoning/") for name in names), "one top folder named after the plugin id"
    files = {name[len("ecozoning/") :] for name in names if not name.endswith("/")}
    for needed in ("metadata.txt", "__init__.py", "plugin.py", "dependencies.py", "requirements.txt"):
        assert needed in files
    for folder in ("core/", "processing/", "processing/algorithms/", "resources/"):
        assert any(name.startswith(folder) for name in files), f"{folder} is missing"
    icon = re.search(r"^icon=(.+)$", (ROOT / "metadata.txt").read_text(encoding="utf-8"), re.MULTILINE)
    assert icon and icon.group(1).strip() in files, "the icon metadata.txt points at is not in the zip"
    repo_resources = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
    }
    assert repo_resources <= files, f"resources left out: {sorted(repo_resources - files)[:5]}"
    for name in files:
        parts = name.split("/")
        assert parts[0] not in {"tests", "benchmarks", "scripts", "build", "dist", "test_output", "demo_output"}, name
        assert not any(part.startswith(".") for part in parts), f"dotfile {name}"
        assert "__pycache__" not in parts and not name.endswith((".pyc", ".pyo")), name
        assert parts[0] not in {"Makefile", "pyproject.toml", "requirements-dev.txt"}, name


def test_the_zip_is_reproducible(plugin_zip, tmp_path):
    again = build_zip(tmp_path)
    assert again.read_bytes() == plugin_zip.read_bytes()
    with zipfile.ZipFile(again) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert len({info.date_time for info in archive.infolist()}) == 1


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display (it tells the number through -displayfd), once it accepts connections."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (scripts/setup.sh installs it)")
    OUTPUT_DIR.mkdir(exist_ok=True)
    for _attempt in range(3):
        read_end, write_end = os.pipe()
        with open(OUTPUT_DIR / "desktop_xvfb.log", "ab") as log:
            xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                pass_fds=(write_end,),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        os.close(write_end)
        try:
            number = read_display_number(read_end)
        finally:
            os.close(read_end)
        if number.isdigit() and x_server_accepts(xvfb, number):
            return xvfb, f":{number}"
        stop(xvfb)
    pytest.fail(f"Xvfb did not start; see {OUTPUT_DIR / 'desktop_xvfb.log'}")


def read_display_number(fd: int, timeout: float = 30) -> str:
    """Read up to the newline: Xvfb writes the number and the newline separately, and dies if the pipe is closed
    in between."""
    data, deadline = b"", time.monotonic() + timeout
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 64) if ready else b""
        if not chunk:
            break  # timeout or Xvfb exited
        data += chunk
    return data.decode(errors="replace").strip()


def x_server_accepts(xvfb: subprocess.Popen, number: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and xvfb.poll() is None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(f"/tmp/.X11-unix/X{number}")
                return True
            except OSError:
                time.sleep(0.1)
    return False


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop a process and everything it started (it leads its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=grace)


def desktop_env(profile: Path, display: str, result: Path) -> dict[str, str]:
    dump = subprocess.run(
        ["bash", "-c", "source scripts/qgis_env.sh >/dev/null && env -0"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    env = dict(item.split("=", 1) for item in dump.stdout.decode("utf-8", "surrogateescape").split("\0") if "=" in item)
    env.pop("QGIS_PLUGINPATH", None)  # only the unpacked zip may provide the plugin
    env.pop("QT_QPA_PLATFORM", None)  # a real X display
    runtime = profile.parent / "xdg-runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        DISPLAY=display,
        QGIS_CUSTOM_CONFIG_PATH=str(profile),
        XDG_RUNTIME_DIR=str(runtime),
        LANG="zh_CN.UTF-8",
        ECOZONING_RESULT=str(result),
        ECOZONING_SHOTS=str(OUTPUT_DIR),
    )
    return env


@pytest.fixture(scope="module")
def desktop(plugin_zip, tmp_path_factory) -> dict:
    if not os.access(QGIS, os.X_OK):
        pytest.skip(f"{QGIS} is not installed (scripts/setup.sh installs it)")
    base = tmp_path_factory.mktemp("desktop")
    profile = base / "config"
    plugins_dir = profile / "profiles" / "default" / "python" / "plugins"
    plugins_dir.mkdir(parents=True)
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(plugins_dir)
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(QGIS3_INI, encoding="utf-8")
    script = base / "desktop_check.py"
    script.write_text(DESKTOP_SCRIPT, encoding="utf-8")
    result_path = base / "result.json"
    OUTPUT_DIR.mkdir(exist_ok=True)
    for old in [*OUTPUT_DIR.glob("desktop_*.png"), OUTPUT_DIR / "desktop_xvfb.log"]:
        old.unlink(missing_ok=True)

    xvfb, display = start_xvfb()
    log_path = OUTPUT_DIR / "desktop_qgis.log"
    started = time.monotonic()
    try:
        with open(log_path, "wb") as log:
            qgis = subprocess.Popen(
                [QGIS, "--noversioncheck", "--nologo", "--code", str(script)],
                env=desktop_env(profile, display, result_path),
                cwd=base,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                returncode = qgis.wait(timeout=QGIS_TIMEOUT)
            except subprocess.TimeoutExpired:
                stop(qgis)
                steps = json.loads(result_path.read_text("utf-8")).get("steps") if result_path.exists() else None
                pytest.fail(f"QGIS did not quit within {QGIS_TIMEOUT} s (steps done: {steps}); see {log_path}")
            finally:
                stop(qgis)
    finally:
        stop(xvfb)
    seconds = time.monotonic() - started
    if not result_path.exists():
        head = log_path.read_text("utf-8", "replace").splitlines()[:15]
        pytest.fail(f"QGIS (exit code {returncode}) wrote no result; {log_path} begins:\n" + "\n".join(head))
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result.update(returncode=returncode, seconds=round(seconds, 1), profile_plugins=str(plugins_dir))
    (OUTPUT_DIR / "desktop_result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return result


def test_qgis_starts_loads_the_installed_zip_and_quits(desktop):
    assert desktop["errors"] == [], "\n".join(desktop["errors"])
    assert desktop["returncode"] == 0
    assert "ecozoning" in desktop["active_plugins"]
    # the copy unpacked from the zip, not a checkout on some path
    assert Path(desktop["plugin_dir"]).resolve() == Path(desktop["profile_plugins"], "ecozoning").resolve()
    assert desktop["missing_dependencies"] == [], "shapely/pyyaml/openpyxl not found inside QGIS: check PYTHONPATH"
    python_errors = [m for tag, _level, m in desktop["log"] if tag in ("Python error", "Python warning", "EcoZoning")]
    assert python_errors == []


def test_the_plugins_menu_has_the_ecozoning_entries(desktop):
    assert desktop["plugins_menu_in_menubar"]
    assert "&EcoZoning" in desktop["plugins_submenus"]
    entries = {entry["name"]: entry for entry in desktop["ecozoning_menu"]}
    assert MENU_ACTIONS <= set(entries)
    for name in MENU_ACTIONS:
        assert entries[name]["enabled"] and entries[name]["icon"] and entries[name]["text"].strip()


def test_the_toolbar_is_shown(desktop):
    assert desktop["toolbar"] is not None and desktop["toolbar"]["visible"]
    assert "ecozoning_delineateunits" in desktop["toolbar"]["actions"]


def test_the_provider_is_registered_with_its_algorithms(desktop):
    assert desktop["provider"] is not None
    assert "生态环境分区管控" in desktop["provider"]["name"]
    assert {f"ecozoning:{name}" for name in ALGORITHMS} <= set(desktop["provider"]["algorithms"])


def test_the_menu_opens_the_algorithm_dialog_with_chinese_help(desktop):
    dialog = desktop["dialog"]
    assert dialog is not None, "no dialog opened from Plugins > EcoZoning"
    assert re.search(r"[\u4e00-\u9fff]{10}", dialog["text"]), "the dialog shows no Chinese help in a zh_CN QGIS"
    assert (OUTPUT_DIR / "desktop_dialog.png").exists()


def test_an_algorithm_runs_inside_the_desktop(desktop):
    """Inside QGIS, shapely shares the process with QGIS's own GEOS: the run must still work."""
    run = desktop["run"]
    assert run["ok"], (
        f"standardizezones failed inside QGIS (shapely {desktop.get('shapely')} built with GEOS "
        f"{desktop.get('geos_shapely_built_with')}, GEOS in the process: {desktop.get('geos_runtime')}): {run.get('error')}"
    )
    assert run["codes"] and all(re.fullmatch(r"YS23010211\d{4}", code) for code in run["codes"]), run["codes"]


def test_screenshots_of_the_main_window_are_kept(desktop):
    from qgis.PyQt.QtGui import QImage

    shot = OUTPUT_DIR / "desktop_main.png"
    assert desktop.get("screenshot") == str(shot) and shot.exists()
    image = QImage(str(shot))
    assert image.width() >= 1000 and image.height() >= 700, "the screenshot is not of the main window"
