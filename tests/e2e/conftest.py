"""End-to-end fixtures: the environment scripts/qgis_env.sh sets up, for subprocesses."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def qgis_env_sh() -> dict[str, str]:
    """The environment scripts/qgis_env.sh sets up (plugin link, offscreen Qt, venv site-packages, QGIS_PROCESS)."""
    dump = subprocess.run(
        ["bash", "-c", "source scripts/qgis_env.sh >/dev/null && env -0"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    pairs = (item.split("=", 1) for item in dump.stdout.decode("utf-8", "surrogateescape").split("\0") if "=" in item)
    return dict(pairs)
