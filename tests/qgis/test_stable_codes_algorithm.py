"""Stable codes through ecozoning:delineateunits on the sample: the update scenario of a real scheme."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shapely
from osgeo import ogr
from qgis.core import QgsProject, QgsVectorLayer

from ecozoning.core.projection import area_m2

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def rows(path):
    layer = QgsVectorLayer(str(path), "rows", "ogr")
    assert QgsProject.instance().addMapLayer(layer, False) is not None
    names = layer.fields().names()
    out = []
    for feature in layer.getFeatures():
        geom = shapely.from_wkb(bytes(feature.geometry().asWkb())) if feature.hasGeometry() else None
        out.append({**{n: feature[n] for n in names}, "geom": geom})
    QgsProject.instance().removeMapLayer(layer.id())
    return out


def edit(path, change):
    source = ogr.Open(str(path), 1)
    change(source.GetLayer(0))
    source = None


def delineate(processing, zones, units, previous=None, retired=None):
    params = {
        "ADMIN": f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties",
        "COUNTY_FIELD": "COUNTY",
        "ZONES": [str(z) for z in zones],
        "UNITS": str(units),
    }
    if previous:
        params.update(PREVIOUS=str(previous), RETIRED=str(retired))
    return processing.run("ecozoning:delineateunits", params)


def test_update_keeps_codes_and_retires_the_deleted_unit(sample_processing, sample_chain, tmp_path):
    zones = {}
    for name, path in sample_chain["zones"].items():
        zones[name] = tmp_path / f"{name}.gpkg"
        shutil.copy(path, zones[name])
    first = rows(sample_chain["units"])
    parks = rows(zones["parks"])
    urban = rows(zones["urban"])
    moved = max(parks, key=lambda p: area_m2(p["geom"]))
    unit_names = [u["HJGKDYMC"] for u in first]
    single = [
        u
        for u in urban
        if unit_names.count(f"{u['YSMC']}重点管控单元") == 1 and [z["YSMC"] for z in urban].count(u["YSMC"]) == 1
    ]
    gone = min(single, key=lambda u: area_m2(u["geom"]))
    park_units = {u["HJGKDYMC"]: u["HJGKDYBM"] for u in first if u["GKDYLX"] == "dev_park"}
    gone_code = next(u["HJGKDYBM"] for u in first if u["HJGKDYMC"] == f"{gone['YSMC']}重点管控单元")
    county = moved["XZQDM"]
    new_county = max((u for u in first if u["ZHGKDYFL"] == 3), key=lambda u: area_m2(u["geom"]))["XZQDM"]

    def move_park(layer):
        for feature in layer:
            if feature.GetField("YSBM") == moved["YSBM"]:
                shifted = shapely.affinity.translate(moved["geom"], 0.002, 0.001).intersection(
                    moved["geom"].buffer(0.01)
                )
                feature.SetGeometry(
                    ogr.CreateGeometryFromWkb(
                        shapely.to_wkb(shapely.MultiPolygon(shapely.get_parts(shifted)), output_dimension=2)
                    )
                )
                layer.SetFeature(feature)
        new = ogr.Feature(layer.GetLayerDefn())
        for field, value in (
            ("YSBM", f"YS{new_county}72" + "9999"),
            ("YSMC", "新设测试产业园"),
            ("HJYS", "development"),
            ("YSXL", "dev_park"),
            ("GKFL", 2),
            ("XZQDM", new_county),
        ):
            new.SetField(field, value)
        host = max((u for u in first if u["ZHGKDYFL"] == 3), key=lambda u: area_m2(u["geom"]))
        centre = shapely.point_on_surface(host["geom"])
        patch = shapely.box(centre.x - 0.01, centre.y - 0.01, centre.x + 0.01, centre.y + 0.01).intersection(
            host["geom"]
        )
        wkb = shapely.to_wkb(shapely.MultiPolygon(shapely.get_parts(patch)), output_dimension=2)
        new.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
        layer.CreateFeature(new)

    edit(zones["parks"], move_park)
    edit(
        zones["urban"],
        lambda layer: layer.DeleteFeature(next(f.GetFID() for f in layer if f.GetField("YSBM") == gone["YSBM"])),
    )

    # the red line grows: its largest patch in the moved park's county gains a 300 m ring (inside the county)
    admin = {c["XZQDM"]: c["geom"] for c in rows(f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties")}
    red = max((z for z in rows(zones["eco_redline"]) if z["XZQDM"] == county), key=lambda z: area_m2(z["geom"]))
    red_code = next(u["HJGKDYBM"] for u in first if u["XZQDM"] == county and u["GKDYLX"] == "eco_redline")

    def grow_red_line(layer):
        for feature in layer:
            if feature.GetField("YSBM") == red["YSBM"]:
                grown = red["geom"].buffer(0.003).intersection(admin[county])
                wkb = shapely.to_wkb(shapely.MultiPolygon(shapely.get_parts(grown)), output_dimension=2)
                feature.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
                layer.SetFeature(feature)

    edit(zones["eco_redline"], grow_red_line)

    second_path, retired_path = tmp_path / "units_v2.gpkg", tmp_path / "retired.gpkg"
    result = delineate(sample_processing, zones.values(), second_path, sample_chain["units"], retired_path)
    second = rows(second_path)
    codes_v2 = {u["HJGKDYBM"] for u in second}
    assert {
        u["HJGKDYMC"]: u["HJGKDYBM"] for u in second if u["GKDYLX"] == "dev_park" and u["HJGKDYMC"] in park_units
    } == {name: code for name, code in park_units.items() if name in {u["HJGKDYMC"] for u in second}}
    new_park = next(u for u in second if u["HJGKDYMC"].startswith("新设测试产业园"))
    before = [int(u["HJGKDYBM"][9:]) for u in first if u["HJGKDYBM"][2:9] == new_park["HJGKDYBM"][2:9]]
    assert int(new_park["HJGKDYBM"][9:]) == max(before) + 1
    assert gone_code not in codes_v2
    assert gone_code in {r["HJGKDYBM"] for r in rows(retired_path)}
    untouched = [u for u in first if u["XZQDM"] not in (county, new_county, gone["XZQDM"])]
    kept = sum(u["HJGKDYBM"] in codes_v2 for u in untouched)
    assert kept == len(untouched)  # other counties did not change at all
    assert result["KEPT_COUNT"] >= len(untouched) and result["RETIRED_COUNT"] >= 1
    # a third run may not give the retired code back
    third_path = tmp_path / "units_v3.gpkg"
    delineate(sample_processing, zones.values(), third_path, second_path, tmp_path / "retired3.gpkg")
    assert gone_code not in {u["HJGKDYBM"] for u in rows(third_path)}

    # the comparison explains exactly this update
    compared = sample_processing.run(
        "ecozoning:compareversions",
        {
            "OLD_UNITS": sample_chain["units"],
            "NEW_UNITS": str(second_path),
            "CHANGES": str(tmp_path / "changes.gpkg"),
            "TRANSITIONS": str(tmp_path / "transitions.gpkg"),
            "UNIT_CHANGES": str(tmp_path / "unit_changes.gpkg"),
            "PRIORITY": str(tmp_path / "priority.gpkg"),
            "REPORT_HTML": str(tmp_path / "update.html"),
        },
    )
    status = {r["CODE"]: r["STATUS"] for r in rows(tmp_path / "unit_changes.gpkg")}
    assert status[gone_code] == "retired"
    assert status[new_park["HJGKDYBM"]] == "new"
    moved_code = park_units[f"{moved['YSMC']}重点管控单元"]
    assert "boundary_changed" in status[moved_code]
    assert all(status[u["HJGKDYBM"]] == "unchanged" for u in untouched)
    assert compared["NEW_COUNT"] == 1 and compared["RETIRED_COUNT"] == 1
    assert "boundary_changed" in status[red_code] and red_code in codes_v2  # the grown red line kept its code
    assert compared["PRIORITY_GAINED_KM2"] > 0
    classes = [r for r in rows(tmp_path / "transitions.gpkg") if r["KIND"] == "class"]
    total_old = sum(r["AREA_KM2"] for r in classes if r["FROM"] != "-")
    total_new = sum(r["AREA_KM2"] for r in classes if r["TO"] != "-")
    assert total_old == pytest.approx(sum(u["MJ"] for u in first), rel=1e-4)
    assert total_new == pytest.approx(sum(u["MJ"] for u in second), rel=1e-4)
    report = (tmp_path / "update.html").read_text(encoding="utf-8")
    assert "类别转移矩阵" in report and "优先保护单元面积减少" in report
