"""Import benchmark (issue 11): bringing a published scheme in, beside the way technicians do it today.

  make demo    # once: writes demo_output/foreign/ (the sample scheme as another department publishes it)
  source scripts/qgis_env.sh && .venv/bin/python benchmarks/bench_import.py [--out demo_output] [--runs 3]

(a) units, timed side by side in one process on demo_output/foreign/foreign_units.shp (205 units, GBK without
    .cpg, EPSG:4551, foreign field names):
    - ours: ecozoning:importunits (fields found, codes checked, geometry repaired, MJ measured in each unit's
      Gauss–Krüger zone, overlaps checked, a report row per feature);
    - native: Reproject layer (EPSG:4490) -> Fix geometries -> Refactor fields (renamed fields, class text to 1/2/3)
      -> Field calculator (MJ = area in EPSG:4551). The layer is opened as GBK for it beforehand (not timed);
      the chain checks nothing (codes, duplicates, overlaps), so the ratio is generous to it.
(b) lists: ecozoning:importlisttable on demo_output/foreign/foreign_附表1.xlsx; there is no native way (the
    clauses are typed into YAML by hand), so it prints clauses per second.
Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CLASS_EXPRESSION = (
    "CASE WHEN \"ZHGKDYFL\" LIKE '%优先%' THEN 1 WHEN \"ZHGKDYFL\" LIKE '%重点%' THEN 2 "
    "WHEN \"ZHGKDYFL\" LIKE '%一般%' THEN 3 END"
)


def native_chain(processing, layer, work: Path) -> None:
    reprojected = processing.run(
        "native:reprojectlayer", {"INPUT": layer, "TARGET_CRS": "EPSG:4490", "OUTPUT": "memory:"}
    )["OUTPUT"]
    fixed = processing.run("native:fixgeometries", {"INPUT": reprojected, "OUTPUT": "memory:"})["OUTPUT"]
    mapping = [
        {"expression": '"HJZHGKDYBM"', "length": 14, "name": "HJGKDYBM", "precision": 0, "type": 10},
        {"expression": '"HJZHGKDYMC"', "length": 254, "name": "HJGKDYMC", "precision": 0, "type": 10},
        {"expression": CLASS_EXPRESSION, "length": 0, "name": "ZHGKDYFL", "precision": 0, "type": 2},
        {"expression": 'substr("HJZHGKDYBM", 3, 6)', "length": 6, "name": "XZQDM", "precision": 0, "type": 10},
        {"expression": '"SHENG"', "length": 50, "name": "PROV", "precision": 0, "type": 10},
        {"expression": '"SHI"', "length": 50, "name": "CITY", "precision": 0, "type": 10},
        {"expression": '"AREA"', "length": 50, "name": "COUNTY", "precision": 0, "type": 10},
    ]
    refactored = processing.run(
        "native:refactorfields", {"INPUT": fixed, "FIELDS_MAPPING": mapping, "OUTPUT": "memory:"}
    )["OUTPUT"]
    processing.run(
        "native:fieldcalculator",
        {
            "INPUT": refactored,
            "FIELD_NAME": "MJ",
            "FIELD_TYPE": 0,
            "FIELD_LENGTH": 0,
            "FIELD_PRECISION": 6,
            "FORMULA": "area(transform($geometry, 'EPSG:4490', 'EPSG:4551')) / 1e6",
            "OUTPUT": str(work / f"native_{time.monotonic_ns()}.gpkg"),
        },
    )


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "demo_output"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.out) / "foreign"
    shp, xlsx = folder / "foreign_units.shp", folder / "foreign_附表1.xlsx"
    if not shp.exists() or not xlsx.exists():
        raise SystemExit(f"{shp} is missing: run `make demo` first")

    from qgis.core import QgsApplication, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from ecozoning.processing.provider import EcoZoningProvider

    provider = EcoZoningProvider()
    if not QgsApplication.processingRegistry().addProvider(provider):
        raise SystemExit("could not register the EcoZoning provider")
    from qgis import processing

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    layer = QgsVectorLayer(str(shp), "units", "ogr")
    layer.setProviderEncoding("GBK")
    count = layer.featureCount()

    def ours():
        stamp = time.monotonic_ns()
        processing.run(
            "ecozoning:importunits",
            {"INPUT": str(shp), "OUTPUT": str(work / f"ours_{stamp}.gpkg"), "REPORT": str(work / f"r_{stamp}.csv")},
        )

    ours_s = timed(ours, args.runs)

    def native():
        native_chain(processing, layer, work)

    native_s = timed(native, args.runs)
    print(f"(a) {count} units, median of {args.runs} runs, one process, side by side")
    print(f"    ours   ecozoning:importunits                          {ours_s:6.2f} s")
    print(f"    native reproject + fix + refactor + field calculator  {native_s:6.2f} s")
    print(f"    ratio native / ours: {native_s / ours_s:.2f} (ours also checks codes, duplicates, overlaps)")

    def lists():
        stamp = time.monotonic_ns()
        return processing.run(
            "ecozoning:importlisttable",
            {"INPUT": str(xlsx), "OUTPUT_FOLDER": str(work / f"lib_{stamp}"), "REPORT": str(work / f"l_{stamp}.csv")},
        )

    clauses = int(lists()["CLAUSE_COUNT"])
    lists_s = timed(lists, args.runs)
    print(f"(b) {xlsx.name}: {clauses} clauses in {lists_s:.2f} s ({clauses / lists_s:,.0f} clauses/s)")
    QgsApplication.processingRegistry().removeProvider(provider)  # noqa: QGS202
    app.exitQgis()


if __name__ == "__main__":
    main()
