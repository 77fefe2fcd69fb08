"""Write the QML styles of the units and the element zones from a taxonomy, so a province's taxonomy gets matching
styles. Usage (QGIS environment): source scripts/qgis_env.sh && .venv/bin/python scripts/make_styles.py
[--taxonomy FILE] [--out DIR]; the defaults rewrite resources/styles/ from the national taxonomy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG_DIR = ROOT / "build" / "pkg"


def _import_plugin():
    PKG_DIR.mkdir(parents=True, exist_ok=True)
    link = PKG_DIR / "ecozoning"
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(PKG_DIR))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxonomy", default="", help="taxonomy YAML (default: the national one)")
    parser.add_argument("--out", default=str(ROOT / "resources" / "styles"), help="folder of units.qml and zones.qml")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_HASH_SEED"] = "0"  # XML attributes in a stable order: same taxonomy, same bytes
    _import_plugin()
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    from ecozoning.core.taxonomy import load_taxonomy
    from ecozoning.processing.styling import apply_taxonomy_style

    taxonomy = load_taxonomy(args.taxonomy or None)
    os.makedirs(args.out, exist_ok=True)
    project = QgsProject()  # owns the scratch layers, so they go before QgsApplication does
    fields = {"units": "HJGKDYBM:string(13)&field=ZHGKDYFL:integer", "zones": "YSBM:string&field=YSXL:string"}
    for kind, spec in fields.items():
        layer = QgsVectorLayer(f"MultiPolygon?crs=EPSG:4490&field={spec}", kind, "memory")
        if project.addMapLayer(layer) is None:
            raise SystemExit(f"could not add the {kind} scratch layer")
        apply_taxonomy_style(layer, kind, taxonomy)
        path = os.path.join(args.out, f"{kind}.qml")
        message, ok = layer.saveNamedStyle(path)
        if not ok:
            raise SystemExit(f"could not write {path}: {message}")
        print(f"{path} ({taxonomy.name})")
    project.removeAllMapLayers()
    del project
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
