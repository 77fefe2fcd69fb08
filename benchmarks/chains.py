"""One delineation chain, run in its own process by bench_delineate.py so its time and peak memory are its own.

  chains.py ours   --zones Z.gpkg --counties C.gpkg --out DIR --log LOG.jsonl
  chains.py native --zones Z.gpkg --counties C.gpkg --out DIR --log LOG.jsonl        # memory layers between steps
  chains.py native-gpkg --zones Z.gpkg --counties C.gpkg --out DIR --log LOG.jsonl   # a GeoPackage per step

`ours` runs the plugin's algorithms (standardizezones per layer, delineateunits, validateunits).
`native` runs the hand-made QGIS chain technicians use today: Fix geometries -> Field calculator (subtype key)
-> Union, layer after layer -> Field calculator (class, dominant subtype) -> Dissolve -> Multipart to
singleparts -> Eliminate selected polygons (longest shared boundary) for parts under 10,000 m².
Each finished step appends a JSON line to LOG, so a chain killed by the time limit still says how far it got.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication, QgsProcessing, QgsVectorLayer  # noqa: E402

from ecozoning.core.layer_config import load_layer_config, standardize_parameters  # noqa: E402

LOG = None
START = time.time()


ERRORS: list[str] = []


def make_feedback():
    from qgis.core import QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        """Keeps the errors, so a failed step says why."""

        def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
            ERRORS.append(error)
            super().reportError(error, fatalError)

    return Feedback()


def step(name: str, **extra) -> None:
    with open(LOG, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"step": name, "t": round(time.time() - START, 3), **extra}, ensure_ascii=False) + "\n")


LAYERS: list[str] = []


def layer_specs():
    specs = load_layer_config(ROOT / "resources" / "sample" / "layers.yaml")["layers"]
    return {name: spec for name, spec in specs.items() if not LAYERS or name in LAYERS}


def run_ours(processing, zones: str, counties: str, out: Path) -> None:
    admin = f"{counties}|layername=counties"
    standardized = []
    for layer, spec in layer_specs().items():
        params = {
            "INPUT": f"{zones}|layername={layer}",
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": "XZQDM",
            "OUTPUT": str(out / f"ours_{layer}.gpkg"),
            "REPORT": QgsProcessing.TEMPORARY_OUTPUT,
        }
        params.update(standardize_parameters(spec))
        standardized.append(processing.run_logged("ecozoning:standardizezones", params)["OUTPUT"])
        step(f"standardize {layer}")
    result = processing.run_logged(
        "ecozoning:delineateunits",
        {
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": "XZQDM",
            "COUNTY_FIELD": "COUNTY",
            "ZONES": standardized,
            "UNITS": str(out / "ours_units.gpkg"),
            "MERGE_LOG": QgsProcessing.TEMPORARY_OUTPUT,
        },
    )
    step("delineate", units=int(result["UNIT_COUNT"]))
    check = processing.run_logged(
        "ecozoning:validateunits",
        {
            "UNITS": str(out / "ours_units.gpkg"),
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": "XZQDM",
            "ISSUES": QgsProcessing.TEMPORARY_OUTPUT,
            "REPORT_HTML": str(out / "ours_validation.html"),
        },
    )
    step("validate", issues=int(check["ISSUE_COUNT"]))


def _key_expression(spec) -> str:
    if "subtype" in spec:
        return f"'{spec['subtype']}'"
    cases = " ".join(
        f"WHEN \"{spec['subtype_field']}\" = '{value}' THEN '{key}'"
        for value, key in (item.split(":") for item in spec["value_map"].split(";"))
    )
    return f"CASE {cases} END"


def run_native(processing, zones: str, counties: str, out: Path, to_files: bool = False) -> None:
    """to_files: every step writes a GeoPackage (what completes at province scale); else memory layers."""
    outputs = iter(range(1000))

    def dest():
        return str(out / f"native_step{next(outputs):02d}.gpkg") if to_files else QgsProcessing.TEMPORARY_OUTPUT

    from ecozoning.core.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    current = f"{counties}|layername=counties"
    key_fields = []
    for layer, spec in layer_specs().items():
        fixed = processing.run_logged(
            "native:fixgeometries", {"INPUT": f"{zones}|layername={layer}", "OUTPUT": dest()}
        )["OUTPUT"]
        field = f"K_{layer}"[:10]
        keyed = processing.run_logged(
            "native:fieldcalculator",
            {
                "INPUT": fixed,
                "FIELD_NAME": field,
                "FIELD_TYPE": 2,
                "FIELD_LENGTH": 40,
                "FORMULA": _key_expression(spec),
                "OUTPUT": dest(),
            },
        )["OUTPUT"]
        key_fields.append(field)
        current = processing.run_logged("native:union", {"INPUT": current, "OVERLAY": keyed, "OUTPUT": dest()})[
            "OUTPUT"
        ]
        step(f"fix+union {layer}", features=_count(current))
    # class and dominant subtype from the key fields, by the taxonomy's precedence
    ordered = taxonomy.ordered_keys()
    ranks = ", ".join(
        "CASE " + " ".join(f"WHEN \"{f}\" = '{k}' THEN {i}" for i, k in enumerate(ordered)) + " ELSE 999 END"
        for f in key_fields
    )
    key_of_rank = " ".join(f"WHEN @best = {i} THEN '{k}'" for i, k in enumerate(ordered))
    class_of_rank = " ".join(f"WHEN @best = {i} THEN {taxonomy.zones[k].raises_to}" for i, k in enumerate(ordered))
    with_dom = processing.run_logged(
        "native:fieldcalculator",
        {
            "INPUT": current,
            "FIELD_NAME": "GKDYLX",
            "FIELD_TYPE": 2,
            "FIELD_LENGTH": 40,
            "FORMULA": f"with_variable('best', min({ranks}, 999), CASE {key_of_rank} ELSE 'general' END)",
            "OUTPUT": dest(),
        },
    )["OUTPUT"]
    with_class = processing.run_logged(
        "native:fieldcalculator",
        {
            "INPUT": with_dom,
            "FIELD_NAME": "ZHGKDYFL",
            "FIELD_TYPE": 1,
            "FIELD_LENGTH": 1,
            "FORMULA": f"with_variable('best', min({ranks}, 999), CASE {class_of_rank} ELSE 3 END)",
            "OUTPUT": dest(),
        },
    )["OUTPUT"]
    step("field calculator")
    # the usual workaround when Dissolve stops on GeometryCollections left by Union: fix geometries again
    with_class = processing.run_logged("native:fixgeometries", {"INPUT": with_class, "OUTPUT": dest()})["OUTPUT"]
    step("fix geometries")
    dissolved = processing.run_logged(
        "native:dissolve",
        {"INPUT": with_class, "FIELD": ["XZQDM", "ZHGKDYFL", "GKDYLX"], "OUTPUT": dest()},
    )["OUTPUT"]
    step("dissolve", features=_count(dissolved))
    single = processing.run_logged("native:multiparttosingleparts", {"INPUT": dissolved, "OUTPUT": dest()})["OUTPUT"]
    step("multipart to singleparts", features=_count(single))
    # areas in metres need a projected CRS: the technician reprojects to one GK zone first (EPSG:4530, zone 42 at 126° E)
    projected = processing.run_logged(
        "native:reprojectlayer", {"INPUT": single, "TARGET_CRS": "EPSG:4530", "OUTPUT": dest()}
    )["OUTPUT"]
    if isinstance(projected, str):
        projected = QgsVectorLayer(projected, "projected", "ogr")
    projected.selectByExpression("$area < 10000")
    eliminated = processing.run_logged(
        "qgis:eliminateselectedpolygons", {"INPUT": projected, "MODE": 2, "OUTPUT": str(out / "native_units.gpkg")}
    )["OUTPUT"]
    layer = QgsVectorLayer(eliminated, "units", "ogr")
    step("eliminate", features=layer.featureCount())


def _count(layer) -> int:
    return (layer if not isinstance(layer, str) else QgsVectorLayer(layer, "step", "ogr")).featureCount()


def main() -> None:
    global LOG
    parser = argparse.ArgumentParser()
    parser.add_argument("chain", choices=["ours", "native", "native-gpkg"])
    parser.add_argument("--zones", required=True)
    parser.add_argument("--counties", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--layers", default="", help="comma-separated raw layers to use (default: all)")
    args = parser.parse_args()
    LOG = args.log
    LAYERS.extend(n for n in args.layers.split(",") if n)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{args.chain}_*"):
        old.unlink()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing
    from qgis.analysis import QgsNativeAlgorithms

    Processing.initialize()
    if QgsApplication.processingRegistry().providerById("native") is None:  # Processing.initialize() adds it
        native = QgsNativeAlgorithms()
        if not QgsApplication.processingRegistry().addProvider(native):
            raise SystemExit("could not register QGIS's native algorithms")
    from ecozoning.processing.provider import EcoZoningProvider

    provider = EcoZoningProvider()
    if not QgsApplication.processingRegistry().addProvider(provider):
        raise SystemExit("could not register the EcoZoning provider")
    from qgis import processing

    feedback = make_feedback()
    processing.run_logged = lambda algorithm, params: processing.run(algorithm, params, feedback=feedback)
    step("start")
    try:
        if args.chain == "ours":
            run_ours(processing, args.zones, args.counties, out)
        else:
            run_native(processing, args.zones, args.counties, out, to_files=args.chain == "native-gpkg")
        step("done")
    except Exception as exc:  # noqa: BLE001 - the benchmark reports how the chain failed
        step("failed", error=f"{type(exc).__name__}: {exc} {' | '.join(ERRORS[-3:])}"[:800])
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
