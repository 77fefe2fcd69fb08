"""Write resources/sample/projects.gpkg: proposed projects (polygons), linear projects (lines) and existing
enterprises (points) over the Harbin sample units, placed so that every verdict of the default rules occurs.

Uses the demo's units (demo_output/units.gpkg); run `make demo` first. Deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import shapely
from osgeo import ogr, osr

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "sample" / "projects.gpkg"


def read_units(path):
    source = ogr.Open(str(path))
    layer = source.GetLayer(0)
    units = []
    for feature in layer:
        geom = shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToWkb()))
        units.append((feature.GetField("HJGKDYBM"), feature.GetField("ZHGKDYFL"), feature.GetField("GKDYLX"), geom))
    return sorted(units, key=lambda u: u[0])


def pick(units, cls=None, subtype=None, n=0):
    chosen = [u for u in units if (cls is None or u[1] == cls) and (subtype is None or u[2] == subtype)]
    chosen.sort(key=lambda u: -u[3].area)
    return chosen[n]


def square(point, half_m):
    d = half_m / 111_000.0
    return shapely.box(point.x - d * 1.4, point.y - d, point.x + d * 1.4, point.y + d)


def inner_point(geom):
    return shapely.point_on_surface(shapely.get_parts(geom)[0] if geom.geom_type == "MultiPolygon" else geom)


def main() -> None:
    units = read_units(ROOT / "demo_output" / "units.gpkg")
    red = inner_point(pick(units, 1, "eco_redline")[3])
    park = inner_point(pick(units, 2, "dev_park")[3])
    urban = inner_point(pick(units, 2, "dev_urban")[3])
    general = inner_point(pick(units, 3, None, 0)[3])
    general2 = inner_point(pick(units, 3, None, 3)[3])
    eco = inner_point(pick(units, 1, "eco_general")[3])
    # a point on the prefecture's outer line: a project there lies half outside every unit
    outline = shapely.union_all([u[3] for u in units]).boundary
    edge = shapely.line_interpolate_point(shapely.get_parts(outline)[0], 0.3, normalized=True)
    polygons = [
        ("XM-001", "红线内旅游道路服务区", "N7850", square(red, 300)),
        ("XM-002", "开发区新材料产业园项目", "C2614", square(park, 400)),
        ("XM-003", "城区供热站改造工程", "D4430", square(urban, 150)),
        ("XM-004", "县域农产品加工项目", "C1311", square(general, 500)),
        ("XM-005", "焦化及煤焦油加工项目", "C2520", square(general2, 400)),
        ("XM-006", "行业待定的仓储项目", "", square(general, 300)),
        ("XM-007", "跨越行政区边界的物流园", "G5941", square(edge, 800)),
        ("XM-009", "一般生态空间内的观测站", "M7461", square(eco, 100)),
        ("XM-008", "无效几何的测试项目", "C1311", shapely.Polygon([(general.x, general.y), (general.x + 0.01, general.y + 0.01), (general.x + 0.01, general.y), (general.x, general.y + 0.01)])),
    ]  # fmt: skip
    lines = [
        (
            "XL-001",
            "穿越红线的输水管线",
            "E4852",
            shapely.LineString([(red.x - 0.05, red.y - 0.02), (red.x, red.y), (park.x, park.y)]),
        ),
        (
            "XL-002",
            "一般管控区乡村道路",
            "E4812",
            shapely.LineString([(general.x - 0.01, general.y), (general.x + 0.01, general.y + 0.005)]),
        ),
    ]
    points = [
        ("QY-001", "某焦化企业", "C2520", shapely.Point(general2.x, general2.y)),
        ("QY-002", "园区化工企业", "C2614", shapely.Point(park.x, park.y)),
        ("QY-003", "红线内采石场", "B1019", shapely.Point(red.x, red.y)),
        ("QY-004", "城区餐饮企业", "H6210", shapely.Point(urban.x, urban.y)),
    ]
    if OUT.exists():
        OUT.unlink()
    driver = ogr.GetDriverByName("GPKG")
    data = driver.CreateDataSource(str(OUT))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    for name, kind, rows in (
        ("projects", ogr.wkbMultiPolygon, polygons),
        ("linear_projects", ogr.wkbMultiLineString, lines),
        ("enterprises", ogr.wkbPoint, points),
    ):
        layer = data.CreateLayer(name, srs, kind)
        for field in ("XMBH", "XMMC", "HYDM"):
            layer.CreateField(ogr.FieldDefn(field, ogr.OFTString))
        layer.CreateField(ogr.FieldDefn("HCJL", ogr.OFTReal))
        for pid, title, industry, geom in rows:
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetField("XMBH", pid)
            feature.SetField("XMMC", title)
            if industry:
                feature.SetField("HYDM", industry)
            if geom.geom_type in ("Polygon", "LineString") and kind != ogr.wkbPoint:
                geom = shapely.MultiPolygon([geom]) if geom.geom_type == "Polygon" else shapely.MultiLineString([geom])
            feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(geom, output_dimension=2)))
            if layer.CreateFeature(feature) != 0:
                sys.exit(f"could not write {pid}")
    data = None
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
