"""What the desktop tests that drive QGIS with a --code script share: the script's prelude (results saved as JSON
after every step, errors caught, a clean exit, waiting for the main window and the plugin) and the launch of QGIS
under Xvfb on the packaged zip in a fresh zh-Hans profile. A script defines its steps with @guarded and hands
the first one to ``start(first_step)``."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from test_desktop import OUTPUT_DIR, QGIS, QGIS3_INI, build_zip, desktop_env, start_xvfb, stop

SCRIPT_PRELUDE = r"""
import json
import os
import time
import traceback

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.utils import active_plugins, iface

RESULT = os.environ["ECOZONING_RESULT"]
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
    for widget in state.get("close", []):
        widget.close()
    QgsProject.instance().clear()  # no "save the project?" question on the way out
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(500, iface.actionExit().trigger)
    QTimer.singleShot(20000, lambda: os._exit(3))


def start(first_step):
    def wait_for_ui():
        window = iface.mainWindow()
        if window is not None and window.isVisible() and "ecozoning" in active_plugins:
            QTimer.singleShot(1000, first_step)
        elif time.monotonic() > DEADLINE:
            result["errors"].append("timed out waiting for the main window and the plugin")
            finish()
        else:
            QTimer.singleShot(250, wait_for_ui)

    QTimer.singleShot(0, wait_for_ui)
"""


def run_desktop_script(base: Path, dist: Path, name: str, script: str, env_extra: dict, timeout: float) -> dict:
    """Install the packaged plugin in a fresh profile under ``base``, run QGIS on ``SCRIPT_PRELUDE + script``
    under Xvfb, and return the JSON the script saved (with QGIS's exit code). The log is test_output/<name>_qgis.log."""
    if not Path(QGIS).exists():
        pytest.skip(f"{QGIS} is not installed")
    profile = base / "config"
    plugins_dir = profile / "profiles" / "default" / "python" / "plugins"
    plugins_dir.mkdir(parents=True)
    with zipfile.ZipFile(build_zip(dist)) as archive:
        archive.extractall(plugins_dir)
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(QGIS3_INI, encoding="utf-8")
    script_path = base / f"{name}.py"
    script_path.write_text(SCRIPT_PRELUDE + script, encoding="utf-8")
    result_path = base / "result.json"
    OUTPUT_DIR.mkdir(exist_ok=True)
    env = desktop_env(profile, "", result_path)
    xvfb, display = start_xvfb()
    env.update(DISPLAY=display, **env_extra)
    log_path = OUTPUT_DIR / f"{name}_qgis.log"
    try:
        with open(log_path, "wb") as log:
            qgis = subprocess.Popen(  # noqa: S603 - fixed binary
                [QGIS, "--noversioncheck", "--nologo", "--code", str(script_path)],
                env=env,
                cwd=base,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                returncode = qgis.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                returncode = None
            finally:
                stop(qgis)
    finally:
        stop(xvfb)
    if not result_path.exists():
        pytest.fail(f"QGIS (exit code {returncode}) wrote no result; see {log_path}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["returncode"] = returncode
    (OUTPUT_DIR / f"{name}_result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return result
