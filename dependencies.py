"""Check the plugin's Python dependencies without importing QGIS, and explain how to install them.

Kept free of QGIS so that it can be tested on its own; plugin.py shows the message.
"""

from __future__ import annotations

import importlib
import platform
import sys
from dataclasses import dataclass

# (import name, pip name, minimum version)
REQUIRED = (
    ("shapely", "shapely", (2, 0)),
    ("yaml", "pyyaml", (5, 4)),
    ("openpyxl", "openpyxl", (3, 0)),
    ("docx", "python-docx", (1, 0)),
)


@dataclass(frozen=True)
class MissingDependency:
    pip_name: str
    minimum: str
    found: str | None  # installed version when it is too old, None when absent


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def find_missing(required=REQUIRED, importer=importlib.import_module) -> list[MissingDependency]:
    missing = []
    for module_name, pip_name, minimum in required:
        wanted = ".".join(str(v) for v in minimum)
        try:
            module = importer(module_name)
        except Exception:  # ImportError, or a broken binary wheel raising anything else
            missing.append(MissingDependency(pip_name, wanted, None))
            continue
        found = str(getattr(module, "__version__", "0"))
        if _version_tuple(found) < tuple(minimum):
            missing.append(MissingDependency(pip_name, wanted, found))
    return missing


def install_hint(missing: list[MissingDependency], system: str | None = None, executable: str | None = None) -> str:
    """A short, copy-pasteable instruction for the user's kind of QGIS installation."""
    system = system or platform.system()
    executable = executable or sys.executable
    specs = " ".join(f'"{m.pip_name}>={m.minimum}"' for m in missing)
    if system == "Windows":
        how = f"Open the 'OSGeo4W Shell' from the Start menu and run: python -m pip install --upgrade {specs}"
    elif system == "Darwin":
        how = (
            "In a terminal run: /Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user "
            f"--upgrade {specs}"
        )
    else:
        how = (
            "In a terminal run: /usr/bin/python3 -m pip install --user --upgrade "
            f"{specs} (if pip refuses with 'externally-managed-environment', as on Debian 12 and Ubuntu 23.04 or "
            "newer, add --break-system-packages: the packages go to your home folder, not the system; "
            "on Debian/Ubuntu you can also run: sudo apt install python3-shapely python3-yaml "
            "python3-openpyxl python3-docx, if their versions are recent enough; under Flatpak use the QGIS Flatpak's pip)"
        )
    what = ", ".join(
        f"{m.pip_name} (found {m.found}, need >= {m.minimum})" if m.found else f"{m.pip_name} (not installed)"
        for m in missing
    )
    return f"EcoZoning needs Python packages: {what}. {how}. Then restart QGIS."
