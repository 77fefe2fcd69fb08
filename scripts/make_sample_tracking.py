"""Write resources/sample/tracking.gpkg: synthetic tracking-assessment inputs for the Harbin sample (trackunits).

Layers (all invented, seeded, deterministic):
  rivers              approximate, hand-traced courses of the Songhua (松花江) and five tributaries (not survey data)
  land_change         change polygons between 2023 and 2024 as remote-sensing interpretation delivers them, stored in
                      CGCS2000 / 3-degree GK zone 42 (EPSG:4530): new construction and mining inside red-line units,
                      construction in general ecological space, and ordinary change outside the red line
  monitoring_sites    water sections along the rivers (水质断面, target III) and air stations (空气站, target 35)
  monitoring_results  five years (2020-2024) of water class (Ⅰ-劣Ⅴ) and PM2.5 annual means, long format
                      (站点编号, 年份, 指标, 值), with three bad rows as real tables have them
  sources             enterprises with GB/T 4754 codes, permit numbers and emissions (t/a)
Places are chosen on the demo's units (demo_output/units.gpkg): run `make demo` first.

    .venv/bin/python scripts/make_sample_tracking.py [--units demo_output/units.gpkg] [--seed 18]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import shapely
from osgeo import ogr, osr

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "sample" / "tracking.gpkg"
YEARS = (2020, 2021, 2022, 2023, 2024)
CLASS_TEXT = {1: "Ⅰ类", 2: "Ⅱ类", 3: "Ⅲ类", 4: "Ⅳ类", 5: "Ⅴ类", 6: "劣Ⅴ类"}

# Approximate courses (lon, lat), traced by hand at about 10 km accuracy: enough to put sections "on the river".
RIVERS = {
    "松花江": [(125.95, 45.50), (126.15, 45.62), (126.35, 45.72), (126.55, 45.78), (126.68, 45.80), (126.90, 45.87),
            (127.15, 45.90), (127.45, 45.92), (127.75, 45.93), (128.05, 45.95), (128.35, 45.97), (128.70, 45.98),
            (129.00, 46.05), (129.35, 46.20), (129.60, 46.32), (129.90, 46.35), (130.20, 46.40)],
    "呼兰河": [(127.10, 46.55), (126.95, 46.35), (126.80, 46.15), (126.65, 45.95), (126.62, 45.83)],
    "阿什河": [(127.30, 45.15), (127.10, 45.35), (126.95, 45.55), (126.80, 45.70), (126.72, 45.80)],
    "拉林河": [(127.60, 44.30), (127.30, 44.55), (127.00, 44.80), (126.70, 45.05), (126.40, 45.20), (126.10, 45.30)],
    "蚂蚁河": [(127.75, 45.10), (128.10, 45.25), (128.40, 45.40), (128.60, 45.60), (128.80, 45.90)],
    "牡丹江": [(129.55, 45.85), (129.60, 46.10), (129.60, 46.30)],
}  # fmt: skip


def read_units(path):
    source = ogr.Open(str(path))
    if source is None:
        sys.exit(f"{path} not found: run `make demo` first")
    layer = source.GetLayer(0)
    units = []
    for feature in layer:
        geom = shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToWkb()))
        code = feature.GetField("HJGKDYBM")
        units.append(
            (code, feature.GetField("HJGKDYMC"), int(feature.GetField("ZHGKDYFL")), feature.GetField("GKDYLX"), geom)
        )
    return sorted(units, key=lambda u: u[0])


def blob(rng, center, radius_m, n=12):
    """An irregular patch of about pi·r² around a point (degrees at Harbin's latitude)."""
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = radius_m * rng.uniform(0.7, 1.2, n)
    dx = radii * np.cos(angles) / (111_000 * np.cos(np.radians(center.y)))
    dy = radii * np.sin(angles) / 111_000
    return shapely.Polygon(np.c_[center.x + dx, center.y + dy]).buffer(0)


def inner_points(rng, geom, count, margin_m=600):
    """Random points well inside a unit (at least margin_m from its edge)."""
    inner = geom.buffer(-margin_m / 111_000)
    if inner.is_empty:
        inner = geom
    minx, miny, maxx, maxy = inner.bounds
    points = []
    for _ in range(count * 200):
        point = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if inner.contains(point):
            points.append(point)
            if len(points) == count:
                break
    return points


def patch_in(rng, unit_geom, radius_m):
    for point in inner_points(rng, unit_geom, 20, radius_m * 1.5):
        patch = blob(rng, point, radius_m)
        if unit_geom.contains(patch):
            return patch
    return None


def series(rng, start, end, years=YEARS):
    """A class path from start to end over the years (holding, then stepping)."""
    values = [start] * len(years)
    step_at = int(rng.integers(2, len(years)))
    for i in range(step_at, len(years)):
        values[i] = end
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", default=str(ROOT / "demo_output" / "units.gpkg"))
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    units = read_units(args.units)
    area = shapely.union_all([u[4] for u in units])

    def by(cls, subtype=None):
        return [u for u in units if u[2] == cls and (subtype is None or u[3] == subtype)]

    def unit_at(point):
        for unit in units:
            if unit[4].contains(point):
                return unit
        return None

    # land change: (id, type, period, polygon)
    changes = []

    def add_change(kind, unit_geom, radius_m):
        patch = patch_in(rng, unit_geom, radius_m)
        if patch is not None:
            changes.append((f"TB{len(changes) + 1:04d}", kind, "2023-2024", patch))

    red = sorted(by(1, "eco_redline"), key=lambda u: -u[4].area)
    for unit in red[:4]:
        add_change("新增建设用地", unit[4], float(rng.uniform(180, 400)))  # 10-50 ha inside the red line
    add_change("采矿用地", red[4][4], 250.0)
    add_change("新增建设用地", red[5][4], 35.0)  # 0.4 ha: below the thresholds, measured but not flagged
    add_change("毁林", red[6][4], 300.0)  # not a kind the default rule counts
    for unit in sorted(by(1, "eco_general"), key=lambda u: -u[4].area)[:2]:
        add_change("新增建设用地", unit[4], 200.0)
    for unit in sorted(by(2) + by(3), key=lambda u: u[0])[:: max(1, len(by(2) + by(3)) // 14)]:
        add_change(
            str(rng.choice(["新增建设用地", "新增建设用地", "采矿用地", "围垦"])), unit[4], float(rng.uniform(150, 500))
        )

    # water sections along the rivers, every ~12 km, and their classes
    sites, results = [], []
    for river, coords in RIVERS.items():
        line = shapely.LineString(coords)
        for k, distance in enumerate(np.arange(0.05, line.length, 0.16)):
            point = line.interpolate(distance)
            unit = unit_at(point)
            if unit is None:
                continue
            sid = f"WS{len(sites) + 1:03d}"
            sites.append((sid, f"{river}断面{k + 1}", "水质断面", "Ⅲ类", point))
            cls = unit[2]
            base = int(rng.choice([2, 3])) if cls != 1 else 2
            classes = [base] * 5
            roll = rng.uniform()
            if cls == 3 and roll < 0.25:
                classes = series(rng, 3, 4)  # III -> IV: quality declined
            elif cls == 2 and roll < 0.3:
                classes = series(rng, 3, 4)  # worse than the target III
            elif roll < 0.5:
                classes = [base, base, max(1, base - 1), base, base]  # a better year, no trend
            for year, value in zip(YEARS, classes):
                results.append((sid, year, "水质类别", CLASS_TEXT[value]))
    # air stations: one per urban area (key units) and a few in general units
    stations = [(u, "城区") for u in by(2, "dev_urban")] + [(u, "") for u in by(3)[:: max(1, len(by(3)) // 5)]]
    for unit, kind in stations:
        points = inner_points(rng, unit[4], 1, 300)
        if not points:
            continue
        sid = f"AQ{len([s for s in sites if s[0].startswith('AQ')]) + 1:03d}"
        town = re.match(r"^(.+?[区县市])", unit[1])
        sites.append(
            (sid, f"{town.group(1) if town else ''}{kind or '郊区'}空气站{sid[2:]}", "空气站", "35", points[0])
        )
        start = float(rng.uniform(26, 34))
        if unit[2] == 2 and rng.uniform() < 0.4:
            end = float(rng.uniform(37, 46))  # above the 35 μg/m³ target
        elif unit[2] == 3 and rng.uniform() < 0.4:
            end = float(rng.uniform(36, 40))  # grade II -> beyond grade II
        else:
            end = start + float(rng.uniform(-3, 1))
        for n, year in enumerate(YEARS):
            results.append((sid, year, "PM2.5", round(start + (end - start) * n / 4 + float(rng.normal(0, 0.6)), 1)))
    # the faults real tables carry (reported by row, never stopping the run)
    results += [
        ("WS999", 2024, "水质类别", "Ⅳ类"),
        (sites[0][0], "二〇二四", "水质类别", "Ⅲ类"),
        (sites[0][0], 2024, "COD", "18"),
    ]

    # enterprises: mostly ordinary industries in parks and towns, a few the lists prohibit
    sources = []
    industries = ["C1311", "C1440", "C3311", "C3130", "D4411", "C2710", "C1761", "C3482", "G5951"]
    key_units = by(2, "dev_park") + by(2, "dev_urban")
    for unit in sorted(key_units, key=lambda u: u[0]):
        for point in inner_points(rng, unit[4], 2, 200):
            code = str(rng.choice(industries))
            sources.append((f"QY{len(sources) + 1:03d}", f"示例企业{len(sources) + 1}", code, point))
    for n, code in enumerate(("C2520", "C2614", "C2520")):  # coking and chemicals: prohibited by the sample lists
        unit = sorted(key_units, key=lambda u: -u[4].area)[n]
        point = inner_points(rng, unit[4], 1, 300)[0]
        sources.append((f"QY{len(sources) + 1:03d}", ("焦化厂", "化工厂", "煤焦油加工厂")[n], code, point))
    for point in inner_points(rng, area, 6, 500):
        sources.append((f"QY{len(sources) + 1:03d}", f"示例企业{len(sources) + 1}", str(rng.choice(industries)), point))

    write(args.out, changes, sites, results, sources)
    print(
        f"wrote {args.out}: {len(changes)} change polygons, {len(sites)} sites, {len(results)} results, {len(sources)} sources"
    )


def write(path, changes, sites, results, sources):
    path = Path(path)
    if path.exists():
        path.unlink()
    data = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    geographic, gk = osr.SpatialReference(), osr.SpatialReference()
    geographic.ImportFromEPSG(4490)
    gk.ImportFromEPSG(4530)
    for srs in (geographic, gk):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_gk = osr.CoordinateTransformation(geographic, gk)

    def layer(name, kind, srs, fields):
        out = data.CreateLayer(name, srs, kind)
        for field, ftype in fields:
            out.CreateField(ogr.FieldDefn(field, ftype))
        return out

    def add(out, values, geom=None, transform=None):
        feature = ogr.Feature(out.GetLayerDefn())
        for key, value in values.items():
            feature.SetField(key, value)
        if geom is not None:
            ogr_geom = ogr.CreateGeometryFromWkb(shapely.to_wkb(geom, output_dimension=2))
            if transform is not None:
                ogr_geom.Transform(transform)
            feature.SetGeometry(ogr_geom)
        if out.CreateFeature(feature) != 0:
            sys.exit(f"could not write a feature of {out.GetName()}")

    rivers = layer("rivers", ogr.wkbLineString, geographic, [("NAME", ogr.OFTString)])
    for name, coords in RIVERS.items():
        add(rivers, {"NAME": name}, shapely.LineString(coords))
    change = layer(
        "land_change",
        ogr.wkbMultiPolygon,
        gk,
        [("TBBH", ogr.OFTString), ("BHLX", ogr.OFTString), ("SJ", ogr.OFTString)],
    )
    for tid, kind, period, geom in changes:
        add(change, {"TBBH": tid, "BHLX": kind, "SJ": period}, shapely.MultiPolygon([geom]), to_gk)
    site_layer = layer(
        "monitoring_sites", ogr.wkbPoint, geographic,
        [("DMBM", ogr.OFTString), ("MC", ogr.OFTString), ("LX", ogr.OFTString), ("MBZ", ogr.OFTString)],
    )  # fmt: skip
    for sid, name, kind, target, point in sites:
        add(site_layer, {"DMBM": sid, "MC": name, "LX": kind, "MBZ": target}, point)
    table = layer(
        "monitoring_results", ogr.wkbNone, None,
        [("站点编号", ogr.OFTString), ("年份", ogr.OFTString), ("指标", ogr.OFTString), ("值", ogr.OFTString)],
    )  # fmt: skip
    for sid, year, indicator, value in results:
        add(table, {"站点编号": sid, "年份": str(year), "指标": indicator, "值": str(value)})
    source_layer = layer(
        "sources", ogr.wkbPoint, geographic,
        [("QYBH", ogr.OFTString), ("QYMC", ogr.OFTString), ("HYDM", ogr.OFTString), ("PWXKZ", ogr.OFTString),
         ("PFL", ogr.OFTReal)],
    )  # fmt: skip
    for n, (sid, name, code, point) in enumerate(sources):
        add(source_layer, {"QYBH": sid, "QYMC": name, "HYDM": code, "PWXKZ": f"912301{n:06d}XK001P",
                           "PFL": round(5 + 37 * ((n * 7) % 11) / 10, 1)}, point)  # fmt: skip
    data = None


if __name__ == "__main__":
    main()
