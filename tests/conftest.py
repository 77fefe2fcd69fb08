"""Shared test set-up: import the plugin as package ``ecozoning`` (as QGIS does), print versions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG_DIR = ROOT / "build" / "pkg"
PKG_DIR.mkdir(parents=True, exist_ok=True)
_link = PKG_DIR / "ecozoning"
if not _link.exists():
    _link.symlink_to(ROOT, target_is_directory=True)
if str(PKG_DIR) not in sys.path:
    sys.path.insert(0, str(PKG_DIR))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SAMPLE_DIR = ROOT / "resources" / "sample"
OUTPUT_DIR = ROOT / "test_output"


def pytest_report_header(config):
    lines = []
    try:
        import shapely

        lines.append(f"shapely {shapely.__version__}, GEOS (shapely) {shapely.geos_version_string}")
    except ImportError:
        lines.append("shapely: not installed")
    try:
        from osgeo import gdal

        lines.append(f"GDAL {gdal.__version__}")
    except ImportError:
        lines.append("GDAL: not importable")
    try:
        from qgis.core import Qgis

        lines.append(f"QGIS {Qgis.QGIS_VERSION}, GEOS (QGIS) {Qgis.geosVersion()}")
    except Exception:  # noqa: BLE001 - report, do not fail the header
        lines.append("QGIS: not importable")
    return lines
