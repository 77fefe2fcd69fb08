"""Screening benchmark (issue 5): batch screening against the QGIS-native way, and one interactive quick screen.

  source scripts/qgis_env.sh && .venv/bin/python benchmarks/bench_screening.py [--projects 1000] [--reports 50]

Units: the province-scale unit layer that the delineation chain makes from benchmarks/data/heilongjiang_*.gpkg
(scripts/make_province_data.sh; git-ignored), written once to benchmarks/results/screening/ours_units.gpkg by
`chains.py ours`. Without the province data, the Harbin sample is used (and said so).

(a) batch: --projects mixed footprints (polygons, lines, points; seeded), three layers, timed side by side:
    - ours: ecozoning:screenprojects per layer (overlaps, clause rows, verdicts; reports excluded), then with
      REPORT_FOLDER on a --reports sample to extrapolate the cost of reports for all projects;
    - native: Reproject (a single GK zone, EPSG:4530, the technician's shortcut) -> Fix geometries (the
      reprojection leaves invalid units that stop Intersection) -> Field calculator (size) -> Intersection
      with the units (with their area) -> Field calculator (overlap, share of project, share of unit)
      -> Join attributes by field value (the four list texts per unit, from ecozoning:exportlisttable, made
      beforehand and not timed) -> Field calculator (a verdict per overlap from the unit type and the texts).
      That chain does less than ours (no per-project verdict, no industry matching, one GK zone), so the
      ratio is generous to it.
(b) interactive: the median time of one quick screen in the dock (reproject the footprint, screen_project on
    the prebuilt indexes, fill the result models and the verdict label); also screen_project alone.
Prints figures and ratios (targets: batch >= 10x, quick screen < 0.2 s); asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROVINCE = (ROOT / "benchmarks/data/heilongjiang_zones.gpkg", ROOT / "benchmarks/data/heilongjiang_counties.gpkg")
HARBIN = (ROOT / "resources/sample/harbin_zones.gpkg", ROOT / "resources/sample/harbin_counties.gpkg")
LIBRARY = ROOT / "resources/sample/library"
INDUSTRIES = ["C2520", "C2614", "D4430", "C1311", "N7850", "B1019", "G5941", "E4852", "H6210", "C3011", ""]
KINDS = ("polygons", "lines", "points")
SHARES = {"polygons": 0.4, "lines": 0.3, "points": 0.3}
GK_CRS = "EPSG:4530"  # CGCS2000 3-degree GK zone 42 (126° E): what a technician picks for the whole province
TEXT_FIELDS = ["KJBJYS", "PWWPFGK", "HJFXFK", "ZYLYXL"]


def ensure_units(out: Path) -> tuple[Path, str]:
    zones, counties = PROVINCE
    name = "province"
    if not zones.exists() or not counties.exists():
        print(f"!! {zones.name} missing (scripts/make_province_data.sh makes it): falling back to the Harbin sample")
        zones, counties = HARBIN
        name = "harbin"
        out = out.parent / "screening-harbin"
    units = out / "ours_units.gpkg"
    if not units.exists():
        out.mkdir(parents=True, exist_ok=True)
        print(f"   making the {name} unit layer with chains.py ours (once) …", flush=True)
        command = [sys.executable, str(ROOT / "benchmarks/chains.py"), "ours", "--zones", str(zones)]
        command += ["--counties", str(counties), "--out", str(out), "--log", str(out / "units_chain.jsonl")]
        with open(out / "units_chain.stderr", "wb") as stderr:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=stderr)  # noqa: S603
    return units, name


def start_qgis():
    from qgis.core import QgsApplication

    app = QgsApplication([], True)  # with GUI: the dock and its canvas are built in (b)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from ecozoning.processing.provider import EcoZoningProvider

    provider = EcoZoningProvider()
    if not QgsApplication.processingRegistry().addProvider(provider):
        raise SystemExit("could not register the EcoZoning provider")
    return app, provider


# --- footprints ---------------------------------------------------------------------------------------------------
def read_units(path: Path):
    import shapely
    from osgeo import ogr

    from ecozoning.core.screening import Index, Target

    source = ogr.Open(str(path))
    layer = source.GetLayer(0)
    targets = []
    for feature in layer:
        geom = shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToIsoWkb()))
        targets.append(Target(feature.GetField("HJGKDYBM"), "", int(feature.GetField("ZHGKDYFL") or 3), "", geom))
    return Index(targets)


def generate(units, n: int, seed: int, path: Path) -> dict[str, list]:
    """n footprints spread over the units (40 % polygons of 0.1-2 km, 30 % lines of 1-20 km, 30 % points)."""
    import shapely
    from osgeo import ogr, osr

    rng = random.Random(seed)
    minx, miny, maxx, maxy = shapely.total_bounds([t.geom for t in units.targets])
    made: dict[str, list] = {kind: [] for kind in KINDS}
    counts = {"polygons": round(n * SHARES["polygons"]), "lines": round(n * SHARES["lines"])}
    counts["points"] = n - counts["polygons"] - counts["lines"]
    number = 0
    for kind in KINDS:
        while len(made[kind]) < counts[kind]:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if not units.query(shapely.Point(x, y)):
                continue  # outside the province: draw again (edges still give some partly outside)
            kx, ky = 1 / (111320 * math.cos(math.radians(y))), 1 / 110574  # degrees per metre
            if kind == "polygons":
                radius = rng.uniform(100, 2000)
                sides = rng.randint(4, 9)
                angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(sides))
                ring = [
                    (
                        x + radius * rng.uniform(0.5, 1) * math.cos(a) * kx,
                        y + radius * rng.uniform(0.5, 1) * math.sin(a) * ky,
                    )
                    for a in angles
                ]
                geom = shapely.Polygon(ring)
                geom = geom if geom.is_valid else geom.convex_hull
            elif kind == "lines":
                points, heading = [(x, y)], rng.uniform(0, 2 * math.pi)
                for _ in range(rng.randint(2, 6)):
                    step = rng.uniform(500, 4000)
                    heading += rng.uniform(-0.6, 0.6)
                    px, py = points[-1]
                    points.append((px + step * math.cos(heading) * kx, py + step * math.sin(heading) * ky))
                geom = shapely.LineString(points)
            else:
                geom = shapely.Point(x, y)
            number += 1
            made[kind].append((f"BM-{number:05d}", f"基准项目 {number}", rng.choice(INDUSTRIES), geom))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    driver = ogr.GetDriverByName("GPKG")
    if path.exists():
        path.unlink()
    target = driver.CreateDataSource(str(path))
    types = {"polygons": ogr.wkbPolygon, "lines": ogr.wkbLineString, "points": ogr.wkbPoint}
    for kind in KINDS:
        layer = target.CreateLayer(kind, srs, types[kind])
        for name in ("XMBH", "XMMC", "HYDM"):
            layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
        for pid, name, industry, geom in made[kind]:
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetField("XMBH", pid)
            feature.SetField("XMMC", name)
            feature.SetField("HYDM", industry or None)
            feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(geom)))
            layer.CreateFeature(feature)
    target = None  # closes the file
    return made


def subset(made: dict[str, list], size: int, path: Path) -> None:
    """The first projects of each kind, in the same shares, for the report run."""
    import shapely
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if path.exists():
        path.unlink()
    target = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    types = {"polygons": ogr.wkbPolygon, "lines": ogr.wkbLineString, "points": ogr.wkbPoint}
    for kind in KINDS:
        layer = target.CreateLayer(kind, srs, types[kind])
        for name in ("XMBH", "XMMC", "HYDM"):
            layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
        for pid, name, industry, geom in made[kind][: max(1, round(size * SHARES[kind]))]:
            feature = ogr.Feature(layer.GetLayerDefn())
            for key, value in (("XMBH", pid), ("XMMC", name), ("HYDM", industry or None)):
                feature.SetField(key, value)
            feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(geom)))
            layer.CreateFeature(feature)
    target = None


# --- the two ways -------------------------------------------------------------------------------------------------
def run_ours(processing, projects: Path, units: Path, out: Path, reports: bool = False) -> float:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for kind in KINDS:
        params = {
            "PROJECTS": f"{projects}|layername={kind}",
            "ID_FIELD": "XMBH",
            "NAME_FIELD": "XMMC",
            "INDUSTRY_FIELD": "HYDM",
            "UNITS": str(units),
            "LIBRARY": str(LIBRARY),
            "OVERLAPS": str(out / f"ours_{kind}_overlaps.gpkg"),
            "CLAUSES": str(out / f"ours_{kind}_clauses.csv"),
            "VERDICTS": str(out / f"ours_{kind}_verdicts.gpkg"),
        }
        if reports:
            params["REPORT_FOLDER"] = str(out / f"reports_{kind}")
        processing.run("ecozoning:screenprojects", params)
    return time.perf_counter() - started


def run_native(processing, projects: Path, units: Path, texts: Path, out: Path) -> float:
    from qgis.core import QgsProcessing

    temp = QgsProcessing.TEMPORARY_OUTPUT

    def run(algorithm, params):
        return processing.run(algorithm, {**params, "OUTPUT": params.get("OUTPUT", temp)})["OUTPUT"]

    def calc(layer, name, formula, output=temp):
        return run(
            "native:fieldcalculator",
            {"INPUT": layer, "FIELD_NAME": name, "FIELD_TYPE": 0, "FIELD_LENGTH": 20, "FIELD_PRECISION": 6,
             "FORMULA": formula, "OUTPUT": output},
        )  # fmt: skip

    started = time.perf_counter()
    units_gk = run("native:reprojectlayer", {"INPUT": str(units), "TARGET_CRS": GK_CRS})
    # the usual workaround when Intersection stops on a feature made invalid by the reprojection
    units_gk = run("native:fixgeometries", {"INPUT": units_gk})
    units_area = calc(units_gk, "UNIT_M2", "$area")
    for kind in KINDS:
        size = {"polygons": "$area", "lines": "$length", "points": "1"}[kind]
        projects_gk = run("native:reprojectlayer", {"INPUT": f"{projects}|layername={kind}", "TARGET_CRS": GK_CRS})
        if kind == "polygons":
            projects_gk = run("native:fixgeometries", {"INPUT": projects_gk})
        sized = calc(projects_gk, "PROJ_SIZE", size)
        overlaps = run(
            "native:intersection",
            {
                "INPUT": sized,
                "OVERLAY": units_area,
                "INPUT_FIELDS": ["XMBH", "XMMC", "HYDM", "PROJ_SIZE"],
                "OVERLAY_FIELDS": ["HJGKDYBM", "HJGKDYMC", "ZHGKDYFL", "GKDYLX", "UNIT_M2"],
            },
        )
        measured = calc(overlaps, "MEASURE", size)
        shared = calc(measured, "SHARE_PROJ", '"MEASURE" / "PROJ_SIZE"')
        if kind == "polygons":
            shared = calc(shared, "SHARE_UNIT", '"MEASURE" / "UNIT_M2"')
        joined = run(
            "native:joinattributestable",
            {
                "INPUT": shared,
                "FIELD": "HJGKDYBM",
                "INPUT_2": str(texts),
                "FIELD_2": "HJGKDYBM",
                "FIELDS_TO_COPY": TEXT_FIELDS,
                "METHOD": 1,  # the first matching row: one row per unit in this table
                "DISCARD_NONMATCHING": False,
            },
        )
        verdict = (
            "CASE WHEN \"GKDYLX\" IN ('eco_redline', 'water_priority') THEN 'fail' "
            'WHEN "KJBJYS" LIKE \'%禁止%\' AND "HYDM" IS NOT NULL AND "KJBJYS" LIKE \'%\' || left("HYDM", 3) || \'%\' '
            "THEN 'fail' WHEN \"ZHGKDYFL\" = 1 THEN 'conditional' ELSE 'pass' END"
        )
        run(
            "native:fieldcalculator",
            {"INPUT": joined, "FIELD_NAME": "VERDICT", "FIELD_TYPE": 2, "FIELD_LENGTH": 12, "FORMULA": verdict,
             "OUTPUT": str(out / f"native_{kind}.gpkg")},
        )  # fmt: skip
    return time.perf_counter() - started


def feature_count(path: str) -> int:
    from osgeo import ogr

    source = ogr.Open(path)
    return source.GetLayer(0).GetFeatureCount() if source is not None else -1


# --- interactive --------------------------------------------------------------------------------------------------
def interactive(units_path: Path, made: dict[str, list], samples: int, seed: int) -> dict:
    from qgis.core import QgsProject, QgsVectorLayer
    from qgis.gui import QgsMapCanvas

    from ecozoning.core.screening import Project, screen_project
    from ecozoning.processing.adapter import STORAGE_CRS, to_qgs
    from ecozoning.ui.screen_panel import ScreenPanel

    canvas = QgsMapCanvas()
    canvas.resize(900, 700)
    canvas.setDestinationCrs(STORAGE_CRS)
    panel = ScreenPanel(canvas)  # before the layer is in the project, so that nothing starts in the background
    panel.background = False
    layer = QgsVectorLayer(str(units_path), "units", "ogr")
    if QgsProject.instance().addMapLayer(layer) is None:  # the project owns it: it is gone before QGIS is
        raise SystemExit(f"could not open {units_path}")
    started = time.perf_counter()
    panel.layer_combo.setLayer(layer)
    panel.set_library_folder(str(LIBRARY))
    index_seconds = time.perf_counter() - started
    assert panel.is_ready(), panel.status.text()
    rng = random.Random(seed)
    chosen = [item for kind in KINDS for item in rng.sample(made[kind], min(samples // 3, len(made[kind])))]
    dock, core = [], []
    verdicts = {}
    for pid, name, industry, geom in chosen:
        panel.id_edit.setText(pid)
        panel.industry_edit.setText(industry)
        geometry = to_qgs(geom)
        t = time.perf_counter()
        result = panel.screen_geometry(geometry, STORAGE_CRS)
        dock.append(time.perf_counter() - t)
        verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1
        t = time.perf_counter()
        screen_project(Project(pid, geom, name, industry), panel.unit_index, None, panel.library, panel.rules)
        core.append(time.perf_counter() - t)
    panel.cleanup()
    panel.deleteLater()
    canvas.deleteLater()
    QgsProject.instance().removeAllMapLayers()
    return {
        "index_s": index_seconds,
        "samples": len(chosen),
        "dock_median_s": statistics.median(dock),
        "dock_p90_s": sorted(dock)[int(0.9 * (len(dock) - 1))],
        "dock_max_s": max(dock),
        "core_median_s": statistics.median(core),
        "verdicts": verdicts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--reports", type=int, default=50, help="projects of the report run (extrapolated)")
    parser.add_argument("--samples", type=int, default=60, help="quick screens timed for the median")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/screening"))
    args = parser.parse_args()
    out = Path(args.out)
    units_path, data_name = ensure_units(out)
    out = units_path.parent
    app, provider = start_qgis()
    from qgis import processing
    from qgis.core import QgsApplication

    units = read_units(units_path)
    print(f"== {data_name}: {len(units.targets)} units ({units_path.relative_to(ROOT)})")
    made = generate(units, args.projects, args.seed, out / "projects.gpkg")
    print("   footprints: " + ", ".join(f"{len(made[k])} {k}" for k in KINDS) + f" (seed {args.seed})")
    subset(made, args.reports, out / "projects_reports.gpkg")
    texts = out / "list_texts.csv"
    with tempfile.TemporaryDirectory() as scratch:  # the 附表1 table a technician already has (not timed)
        processing.run(
            "ecozoning:exportlisttable",
            {
                "UNITS": str(units_path),
                "LIBRARY": str(LIBRARY),
                "OUTPUT_XLSX": f"{scratch}/t.xlsx",
                "OUTPUT": str(texts),
            },
        )
    del units

    native_s = run_native(processing, out / "projects.gpkg", units_path, texts, out)
    native_rows = sum(feature_count(str(out / f"native_{k}.gpkg")) for k in KINDS)
    print(
        f"   native (reproject + intersection + join + field calculator): {native_s:8.2f} s, {native_rows} overlap rows"
    )
    ours_s = run_ours(processing, out / "projects.gpkg", units_path, out)
    ours_rows = sum(feature_count(str(out / f"ours_{k}_overlaps.gpkg")) for k in KINDS)
    print(f"   ours   (ecozoning:screenprojects, no reports):              {ours_s:8.2f} s, {ours_rows} overlap rows")
    small_s = run_ours(processing, out / "projects_reports.gpkg", units_path, out / "small")
    reports_s = run_ours(processing, out / "projects_reports.gpkg", units_path, out / "small", reports=True)
    per_report = max(reports_s - small_s, 0.0) / args.reports
    ours_reports_s = ours_s + per_report * args.projects
    print(
        f"   ours with reports: {args.reports} projects {reports_s:.2f} s (without {small_s:.2f} s): "
        f"{1000 * per_report:.0f} ms per report -> {ours_reports_s:.1f} s for {args.projects} (extrapolated)"
    )
    ratio = native_s / ours_s
    print(f"   ratio native/ours, reports excluded: {ratio:5.2f}x  (target >= 10x)")
    print(f"   ratio native/ours, reports included: {native_s / ours_reports_s:5.2f}x  (native writes no report)")

    quick = interactive(units_path, made, args.samples, args.seed)
    print(
        f"   quick screen: indexes built once in {quick['index_s']:.2f} s; one screen in the dock: median "
        f"{1000 * quick['dock_median_s']:.1f} ms, p90 {1000 * quick['dock_p90_s']:.1f} ms, max "
        f"{1000 * quick['dock_max_s']:.1f} ms over {quick['samples']} footprints (target < 200 ms); "
        f"screen_project alone: median {1000 * quick['core_median_s']:.1f} ms"
    )
    summary = {
        "data": data_name,
        "units": str(units_path),
        "projects": {k: len(made[k]) for k in KINDS},
        "native_s": native_s,
        "native_rows": native_rows,
        "ours_s": ours_s,
        "ours_rows": ours_rows,
        "reports": {"projects": args.reports, "with_s": reports_s, "without_s": small_s, "per_report_s": per_report},
        "ours_with_reports_s": ours_reports_s,
        "ratio": ratio,
        "ratio_with_reports": native_s / ours_reports_s,
        "quick": quick,
    }
    (out / "screening.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    QgsApplication.processingRegistry().removeProvider(provider)  # noqa: QGS202 (False: already gone)
    app.exitQgis()


if __name__ == "__main__":
    main()
