"""Tracking benchmark (issue 18): ecozoning:trackunits against the QGIS-native way a technician finds the same
figures today, side by side in one QGIS session.

  source scripts/qgis_env.sh && .venv/bin/python benchmarks/bench_tracking.py [--changes 10000] [--sources 5000]

Units: the province's units of bench_screening.py (benchmarks/results/screening/ours_units.gpkg) when present, else
the demo's Harbin units (demo_output/units.gpkg; run `make demo` first). Inputs are seeded and synthetic: --changes
change polygons (0.5–30 ha blobs, four change types, stored in EPSG:4530 as interpretation delivers them),
--sources enterprise points with GB/T 4754 codes, --sites monitoring sites with five years of results each.

- ours: ecozoning:trackunits (indicators, flagged units, leads with clauses; report excluded), then once more with
  REPORT_FOLDER to show what the report adds;
- native: Reproject the units to EPSG:4530 (one GK zone for all, the technician's shortcut) -> Fix geometries (the
  reprojection leaves invalid units that stop Intersection) -> Intersection of the
  change with the units -> Field calculator ($area) -> Statistics by categories (area per unit and change type)
  -> Join attributes by location (sources -> units, sites -> units) -> Join attributes by field value (results ->
  sites). That chain stops at the raw figures (no thresholds, base years, targets, clause matching, ranking or
  leads), so the ratio is generous to it.
Prints wall times and the ratio; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

UNIT_CANDIDATES = (ROOT / "benchmarks/results/screening/ours_units.gpkg", ROOT / "demo_output/units.gpkg")
LIBRARY = ROOT / "resources/sample/library"
CHANGE_TYPES = ["新增建设用地", "采矿用地", "毁林", "围垦"]
INDUSTRIES = ["C1311", "C2520", "C2614", "C3011", "D4411", "C3311", "G5951"]


def make_inputs(units_path: Path, out: Path, n_changes: int, n_sources: int, n_sites: int, seed: int = 7) -> dict:
    from osgeo import ogr, osr

    rng = np.random.default_rng(seed)
    data = ogr.Open(str(units_path))
    layer = data.GetLayer(0)
    geoms = [shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb())) for f in layer]
    area = shapely.union_all(geoms)
    shapely.prepare(area)
    minx, miny, maxx, maxy = area.bounds

    def points(count):
        found = []
        while len(found) < count:
            batch = shapely.points(rng.uniform(minx, maxx, count * 2), rng.uniform(miny, maxy, count * 2))
            found.extend(batch[shapely.contains(area, batch)].tolist())
        return found[:count]

    path = out / "inputs.gpkg"
    target = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    geographic, gk = osr.SpatialReference(), osr.SpatialReference()
    geographic.ImportFromEPSG(4490)
    gk.ImportFromEPSG(4530)
    for srs in (geographic, gk):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_gk = osr.CoordinateTransformation(geographic, gk)

    def write(name, kind, srs, fields, rows, transform=None):
        out_layer = target.CreateLayer(name, srs, kind)
        for field in fields:
            out_layer.CreateField(ogr.FieldDefn(field, ogr.OFTString))
        out_layer.StartTransaction()
        for values, geom in rows:
            feature = ogr.Feature(out_layer.GetLayerDefn())
            for key, value in zip(fields, values):
                feature.SetField(key, value)
            if geom is not None:
                g = ogr.CreateGeometryFromWkb(shapely.to_wkb(geom, output_dimension=2))
                if transform is not None:
                    g.Transform(transform)
                feature.SetGeometry(g)
            out_layer.CreateFeature(feature)
        out_layer.CommitTransaction()

    changes = []
    for n, point in enumerate(points(n_changes)):
        radius = float(rng.uniform(40, 300)) / 111_000
        angles = np.sort(rng.uniform(0, 2 * np.pi, 10))
        ring = np.c_[point.x + radius * 1.4 * np.cos(angles), point.y + radius * np.sin(angles)]
        changes.append(
            ((f"TB{n}", str(rng.choice(CHANGE_TYPES)), "2023-2024"), shapely.MultiPolygon([shapely.Polygon(ring)]))
        )
    write("land_change", ogr.wkbMultiPolygon, gk, ["TBBH", "BHLX", "SJ"], changes, to_gk)
    sources = [((f"QY{n}", f"企业{n}", str(rng.choice(INDUSTRIES))), p) for n, p in enumerate(points(n_sources))]
    write("sources", ogr.wkbPoint, geographic, ["QYBH", "QYMC", "HYDM"], sources)
    sites = [((f"WS{n}", f"断面{n}"), p) for n, p in enumerate(points(n_sites))]
    write("sites", ogr.wkbPoint, geographic, ["DMBM", "MC"], sites)
    results = [
        ((f"WS{n}", str(year), "水质类别", str(int(rng.integers(2, 6)))), None)
        for n in range(n_sites)
        for year in range(2020, 2025)
    ]
    write("results", ogr.wkbNone, None, ["站点编号", "年份", "指标", "值"], results)
    target = None
    return {name: f"{path}|layername={name}" for name in ("land_change", "sources", "sites", "results")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=5_000)
    parser.add_argument("--sites", type=int, default=500)
    args = parser.parse_args()
    units = next((p for p in UNIT_CANDIDATES if p.exists()), None)
    if units is None:
        sys.exit("no unit layer: run `make demo` (or bench_screening.py for the province's units) first")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from qgis import processing
    from qgis.core import QgsProcessingFeedback

    from ecozoning.processing.provider import EcoZoningProvider

    provider = EcoZoningProvider()
    if not QgsApplication.processingRegistry().addProvider(provider):
        sys.exit("could not register the EcoZoning provider")
    feedback = QgsProcessingFeedback()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        inputs = make_inputs(units, out, args.changes, args.sources, args.sites)
        print(f"units: {units} · inputs made in {time.perf_counter() - started:.1f} s: {args.changes} change polygons, "
              f"{args.sources} sources, {args.sites} sites × 5 years")  # fmt: skip
        params = {
            "UNITS": str(units), "LIBRARY": str(LIBRARY), "LAND_CHANGE": inputs["land_change"], "CHANGE_FIELD": "BHLX",
            "MONITORING": inputs["sites"], "RESULTS": inputs["results"], "SOURCES": inputs["sources"],
            "INDICATORS": str(out / "ind.gpkg"), "FLAGGED": str(out / "flagged.gpkg"), "LEADS": str(out / "leads.gpkg"),
        }  # fmt: skip
        started = time.perf_counter()
        result = processing.run("ecozoning:trackunits", params, feedback=feedback)
        ours = time.perf_counter() - started
        print(
            f"ours   trackunits: {ours:.1f} s ({int(result['FLAGGED_COUNT'])} flagged, {int(result['LEAD_COUNT'])} leads)"
        )
        started = time.perf_counter()
        processing.run("ecozoning:trackunits", {**params, "REPORT_FOLDER": str(out / "report"),
                                                "INDICATORS": str(out / "ind2.gpkg"), "FLAGGED": str(out / "f2.gpkg"),
                                                "LEADS": str(out / "l2.gpkg")}, feedback=feedback)  # fmt: skip
        print(f"ours   trackunits with the report: {time.perf_counter() - started:.1f} s")

        steps = []

        def native(name, alg, step_params):
            t0 = time.perf_counter()
            output = processing.run(alg, step_params, feedback=feedback)["OUTPUT"]
            steps.append((name, time.perf_counter() - t0))
            return output

        started = time.perf_counter()
        gk_units = native("reproject units", "native:reprojectlayer",
                          {"INPUT": str(units), "TARGET_CRS": "EPSG:4530", "OUTPUT": str(out / "n_units.gpkg")})  # fmt: skip
        gk_units = native("fix geometries", "native:fixgeometries",
                          {"INPUT": gk_units, "OUTPUT": str(out / "n_fixed.gpkg")})  # fmt: skip
        inter = native("intersection", "native:intersection",
                       {"INPUT": inputs["land_change"], "OVERLAY": gk_units, "OUTPUT": str(out / "n_inter.gpkg")})  # fmt: skip
        area = native("field calculator", "native:fieldcalculator",
                      {"INPUT": inter, "FIELD_NAME": "AREA_M2", "FIELD_TYPE": 0, "FORMULA": "$area",
                       "OUTPUT": str(out / "n_area.gpkg")})  # fmt: skip
        native("statistics by categories", "qgis:statisticsbycategories",
               {"INPUT": area, "VALUES_FIELD_NAME": "AREA_M2", "CATEGORIES_FIELD_NAME": ["HJGKDYBM", "BHLX"],
                "OUTPUT": str(out / "n_stats.gpkg")})  # fmt: skip
        native("join sources", "native:joinattributesbylocation",
               {"INPUT": inputs["sources"], "JOIN": str(units), "PREDICATE": [0], "METHOD": 1,
                "OUTPUT": str(out / "n_sources.gpkg")})  # fmt: skip
        sites = native("join sites", "native:joinattributesbylocation",
                       {"INPUT": inputs["sites"], "JOIN": str(units), "PREDICATE": [0], "METHOD": 1,
                        "OUTPUT": str(out / "n_sites.gpkg")})  # fmt: skip
        native("join results", "native:joinattributestable",
               {"INPUT": inputs["results"], "FIELD": "站点编号", "INPUT_2": sites, "FIELD_2": "DMBM", "METHOD": 1,
                "OUTPUT": str(out / "n_results.gpkg")})  # fmt: skip
        total = time.perf_counter() - started
        for name, seconds in steps:
            print(f"native {name}: {seconds:.1f} s")
        print(f"native chain: {total:.1f} s (raw figures only)")
        print(f"ratio native / ours: {total / ours:.2f}×")
    QgsApplication.processingRegistry().removeProvider(provider)  # noqa: QGS202 - returns whether it was there


if __name__ == "__main__":
    main()
