"""Issue 11: a published scheme brought in — a GBK Shapefile without .cpg in EPSG:4547 with a department's own
field names, and a 佛山市-layout 附表1 — then screened: the clause rows are exactly that unit's clauses."""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from osgeo import ogr, osr
from qgis.core import QgsProject, QgsVectorLayer

ROOT = Path(__file__).resolve().parents[2]
LONG = ROOT / "tests" / "unit" / "data" / "foshan_long.csv"
UNITS = {  # code: (name, class field, county name, x0 in EPSG:4547)
    "ZH44060410001": ("南庄镇、张槎街道、石湾镇街道优先保护区", "1", "禅城区", 400000),
    "ZH44060520010": ("广东佛山南海经济开发区", "园区型重点管控单元3", "南海区", 402000),
    "ZH440605200001": ("九江镇重点管控区", "2", "南海区", 404000),
}
Y0 = 2540000


def square(x, y, size):
    return f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gbk_shapefile(path: Path, units=UNITS, extra=()):
    """Written by GDAL as CP936, then the .cpg removed and the code-page byte zeroed: what many departments ship."""
    from osgeo import gdal

    # inside QGIS, GDAL's SHAPE_ENCODING is '' (no recoding at all): unset it so that the text is written as GBK
    previous = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        _write_shapefile(path, units, extra)
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", previous)
    load("foreign_scheme", ROOT / "scripts" / "foreign_scheme.py").strip_code_page(path)
    data = path.with_suffix(".dbf").read_bytes()
    assert "九江镇重点管控区".encode("gbk") in data and "九江镇重点管控区".encode() not in data
    return str(path)


def _write_shapefile(path: Path, units, extra):
    driver = ogr.GetDriverByName("ESRI Shapefile")
    source = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    layer = source.CreateLayer(path.stem, srs, ogr.wkbPolygon, options=["ENCODING=CP936"])
    for name in ("HJZHGKDYBM", "HJZHGKDYMC", "PROV", "CITY", "AREA", "ZHGKDYFL"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for code, (name, unit_class, county, x0) in [*units.items(), *extra]:
        feature = ogr.Feature(layer.GetLayerDefn())
        for key, value in zip(("HJZHGKDYBM", "HJZHGKDYMC", "PROV", "CITY", "AREA", "ZHGKDYFL"),
                              (code, name, "广东省", "佛山市", county, unit_class)):  # fmt: skip
            feature.SetField(key, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(square(x0, Y0, 2000)))
        layer.CreateFeature(feature)
        feature = None
    layer = source = None


def foshan_xlsx(path: Path, extra_rows=()):
    module = load("fixtures", ROOT / "tests" / "unit" / "test_import_lists.py")
    with open(LONG, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle)) + [list(r) for r in extra_rows]
    module.to_xlsx(rows, path)
    return str(path)


def printed_clauses(code: str) -> set[str]:
    """The clause texts of one unit, read from the fixture by joining wrapped rows (not by the importer)."""
    texts: list[str] = []
    current = ""
    with open(LONG, encoding="utf-8", newline="") as handle:
        for row in list(csv.reader(handle))[1:]:
            current = row[0] or current
            if current != code:
                continue
            match = re.match(r"^\d+(?:-\d+)?\.?【[^】]*】", row[8])
            if match or row[7] == "共性要求":
                texts.append(row[8][match.end() :] if match else row[8])
            else:
                texts[-1] += row[8]
    return set(texts)


def rows(path):
    layer = QgsVectorLayer(str(path), "rows", "ogr")
    assert QgsProject.instance().addMapLayer(layer, False) is not None
    names = layer.fields().names()
    out = [{n: f[n] for n in names} for f in layer.getFeatures()]
    QgsProject.instance().removeMapLayer(layer.id())
    return out


def projects_gpkg(path: Path, projects) -> Path:
    """A GeoPackage layer 'projects' in EPSG:4547 of (text fields, WKT polygon) pairs."""
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    layer = source.CreateLayer("projects", srs, ogr.wkbPolygon)
    for name in projects[0][0]:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for values, wkt in projects:
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in values.items():
            feature.SetField(name, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feature)
    feature = layer = source = None
    return path


@pytest.fixture(scope="module")
def imported(sample_processing, tmp_path_factory):
    out = tmp_path_factory.mktemp("import")
    shp = gbk_shapefile(out / "foshan_units.shp")
    units = sample_processing.run(
        "ecozoning:importunits",
        {"INPUT": shp, "OUTPUT": str(out / "units.gpkg"), "REPORT": str(out / "units_report.csv")},
    )
    lists = sample_processing.run(
        "ecozoning:importlisttable",
        {
            "INPUT": foshan_xlsx(out / "附表1.xlsx"),
            "UNITS": units["OUTPUT"],
            "OUTPUT_FOLDER": str(out / "library"),
            "REPORT": str(out / "lists_report.csv"),
        },
    )
    return out, units, lists


def test_units_are_read_with_their_own_fields_codes_and_gbk_names(imported):
    _out, units, _lists = imported
    got = {r["HJGKDYBM"]: r for r in rows(units["OUTPUT"])}
    assert set(got) == set(UNITS)  # the 14-character code kept as it is
    for code, (name, _class, county, _x) in UNITS.items():
        assert got[code]["HJGKDYMC"] == name  # GBK text without .cpg, not mojibake
        assert got[code]["COUNTY"] == county and got[code]["CITY"] == "佛山市" and got[code]["PROV"] == "广东省"
        assert got[code]["ZHGKDYFL"] == int(code[8])
        assert got[code]["XZQDM"] == code[2:8]
        assert got[code]["MJ"] == pytest.approx(4.0, rel=2e-3)  # 2 km × 2 km drawn in GK, measured in GK
    layer = QgsVectorLayer(units["OUTPUT"], "u", "ogr")
    assert layer.crs().authid() == "EPSG:4490"
    report = {r["HJGKDYBM"]: r for r in rows(units["REPORT"])}
    assert int(report["ZH44060520010"]["ZHGKDYFL"]) == 2  # class field holding 园区型重点管控单元3
    assert all(r["STATUS"] != "error" for r in report.values())


def test_list_report_has_every_source_row(imported):
    _out, _units, lists = imported
    with open(LONG, encoding="utf-8") as handle:
        source_rows = sum(1 for _ in csv.reader(handle)) + 1  # + the title row above the header
    report = rows(lists["REPORT"])
    assert sorted(int(r["ROW"]) for r in report) == list(range(1, source_rows + 1))
    priority = [r for r in report if r["HJGKDYBM"] == "ZH44060410001" and int(r["N_CLAUSES"])]
    assert priority and all(int(r["INFERRED"]) == 1 for r in priority)
    assert lists["UNREADABLE_COUNT"] == 0


def test_screening_a_footprint_gives_exactly_that_units_clauses(sample_processing, imported):
    out, units, lists = imported
    path = projects_gpkg(out / "project.gpkg", [({"XMBH": "XM-FS-1"}, square(404500, Y0 + 500, 300))])
    # the footprint lies inside ZH440605200001 only
    result = sample_processing.run(
        "ecozoning:screenprojects",
        {
            "PROJECTS": f"{path}|layername=projects",
            "ID_FIELD": "XMBH",
            "UNITS": units["OUTPUT"],
            "LIBRARY": lists["OUTPUT_FOLDER"],
            "OVERLAPS": str(out / "overlaps.csv"),
            "ZONE_HITS": str(out / "zone_hits.csv"),
            "CLAUSES": str(out / "clauses.csv"),
            "VERDICTS": str(out / "verdicts.csv"),
        },
    )
    clauses = rows(result["CLAUSES"])
    assert {r["UNIT_CODE"] for r in clauses} == {"ZH440605200001"}
    assert sorted(r["TEXT"] for r in clauses) == sorted(printed_clauses("ZH440605200001"))


def test_exported_table_gives_back_every_clause(sample_processing, imported):
    out, units, lists = imported
    xlsx = out / "export.xlsx"
    sample_processing.run(
        "ecozoning:exportlisttable",
        {
            "UNITS": units["OUTPUT"],
            "LIBRARY": lists["OUTPUT_FOLDER"],
            "OUTPUT_XLSX": str(xlsx),
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    sheet = load_workbook(xlsx, read_only=True).worksheets[0]
    table = {row[1]: "\n".join(str(v or "") for v in row[6:]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    for code in UNITS:
        for text in printed_clauses(code):
            assert text in table[code], (code, text)


def test_table_code_missing_from_the_units_is_reported_and_kept(sample_processing, imported, tmp_path):
    out, units, _lists = imported
    extra = [["ZH44060630099", "不在图层中的单元", "广东省", "佛山市", "顺德区", "一般管控单元1", "", "空间布局约束",
              "1-1.【产业/限制类】严格限制不符合园区发展定位的项目入驻。"]]  # fmt: skip
    result = sample_processing.run(
        "ecozoning:importlisttable",
        {
            "INPUT": foshan_xlsx(tmp_path / "附表1.xlsx", extra),
            "UNITS": units["OUTPUT"],
            "OUTPUT_FOLDER": str(tmp_path / "library"),
            "REPORT": str(tmp_path / "report.csv"),
        },
    )
    flagged = [r for r in rows(result["REPORT"]) if r["HJGKDYBM"] == "ZH44060630099"]
    assert flagged and ("not in the unit layer" in flagged[0]["MESSAGE"] or "不在单元图层中" in flagged[0]["MESSAGE"])
    text = (tmp_path / "library" / "units" / "440600.yaml").read_text(encoding="utf-8")
    assert "ZH44060630099" in text and "严格限制不符合园区发展定位的项目入驻。" in text


def test_existing_library_is_refused_unless_overwrite(sample_processing, imported, tmp_path):
    out, _units, lists = imported
    params = {"INPUT": str(LONG), "OUTPUT_FOLDER": lists["OUTPUT_FOLDER"], "REPORT": str(tmp_path / "r.csv")}
    before = sorted(os.listdir(lists["OUTPUT_FOLDER"]))
    with pytest.raises(Exception, match="already holds a list library"):
        sample_processing.run("ecozoning:importlisttable", params)
    assert sorted(os.listdir(lists["OUTPUT_FOLDER"])) == before
    copy = tmp_path / "lib"
    sample_processing.run("ecozoning:importlisttable", dict(params, OUTPUT_FOLDER=str(copy)))
    sample_processing.run("ecozoning:importlisttable", dict(params, OUTPUT_FOLDER=str(copy), OVERWRITE=True))
    backups = [p for p in os.listdir(tmp_path) if p.startswith("lib.bak-")]
    assert len(backups) == 1 and (tmp_path / backups[0] / "library.yaml").exists()


def test_bad_tables_are_refused_clearly(sample_processing, tmp_path):
    broken = tmp_path / "附表1.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(Exception, match="cannot be read"):
        sample_processing.run(
            "ecozoning:importlisttable",
            {"INPUT": str(broken), "OUTPUT_FOLDER": str(tmp_path / "a"), "REPORT": str(tmp_path / "r.csv")},
        )
    nocode = tmp_path / "nocode.csv"
    nocode.write_text("单元名称,管控维度,管控要求\n九江镇,空间布局约束,1-1.禁止。\n", encoding="utf-8")
    with pytest.raises(Exception, match="unit code column"):
        sample_processing.run(
            "ecozoning:importlisttable",
            {"INPUT": str(nocode), "OUTPUT_FOLDER": str(tmp_path / "b"), "REPORT": str(tmp_path / "r2.csv")},
        )
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_duplicate_codes_name_both_features(sample_processing, tmp_path):
    extra = [("ZH44060410001", ("重复的单元", "1", "禅城区", 406000))]
    shp = gbk_shapefile(tmp_path / "dupes.shp", extra=extra)
    with pytest.raises(Exception, match=r"ZH44060410001.*(feature|要素) 0.*(feature|要素) 3"):
        sample_processing.run(
            "ecozoning:importunits",
            {"INPUT": shp, "OUTPUT": str(tmp_path / "u.gpkg"), "REPORT": str(tmp_path / "r.csv")},
        )


def wait(widget, timeout: float = 60.0):
    import time

    from qgis.core import QgsApplication

    deadline = time.monotonic() + timeout
    while widget.is_busy():
        QgsApplication.processEvents()
        assert time.monotonic() < deadline, "the dock did not get ready in time"
        time.sleep(0.01)


@pytest.fixture()
def imported_layer(imported, qgis_new_project, qgis_canvas):
    from qgis.core import QgsCoordinateReferenceSystem

    _out, units, _lists = imported
    layer = QgsVectorLayer(units["OUTPUT"], "imported units", "ogr")
    assert QgsProject.instance().addMapLayer(layer) is not None
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
    qgis_canvas.setLayers([layer])
    qgis_canvas.setExtent(layer.extent())
    yield layer
    qgis_canvas.setLayers([])
    QgsProject.instance().removeAllMapLayers()


@contextlib.contextmanager
def opened(widget_class, canvas, layer, folder):
    """A dock (list dock or quick screen) on the imported layer and library, ready; cleaned up after."""
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    widget = widget_class(canvas)
    try:
        widget.layer_combo.setLayer(layer)
        widget.folder_widget.setFilePath(folder)
        wait(widget)
        assert widget.library is not None, widget.status.text()
        yield widget
    finally:
        widget.cleanup()
        widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_list_dock_shows_an_imported_units_list(imported, imported_layer, qgis_canvas):
    from qgis.core import QgsApplication

    from ecozoning.ui.list_dock import ListDock

    with opened(ListDock, qgis_canvas, imported_layer, imported[2]["OUTPUT_FOLDER"]) as dock:
        assert dock.select_unit("ZH440605200001", select_on_map=False)
        QgsApplication.processEvents()
        texts = sorted(e.clause.text for e in dock.effective_model.entries())
        assert texts == sorted(printed_clauses("ZH440605200001"))


def test_quick_screen_dock_on_the_imported_scheme(imported, imported_layer, qgis_canvas):
    from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry

    from ecozoning.ui.screen_panel import ScreenPanel

    with opened(ScreenPanel, qgis_canvas, imported_layer, imported[2]["OUTPUT_FOLDER"]) as panel:
        assert panel.is_ready(), panel.status.text()
        footprint = QgsGeometry.fromWkt(square(404500, Y0 + 500, 300))  # inside ZH440605200001, in EPSG:4547
        result = panel.screen_geometry(footprint, QgsCoordinateReferenceSystem("EPSG:4547"))
        assert {h.target.code for h in result.unit_hits} == {"ZH440605200001"}
        assert sorted(row.clause.text for row in result.clauses) == sorted(printed_clauses("ZH440605200001"))


def polygons_gpkg(path: Path, layer_name: str, fields: tuple[str, ...], features) -> str:
    """A GeoPackage layer in EPSG:4547: features = [(values, wkt)]."""
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    layer = source.CreateLayer(layer_name, srs, ogr.wkbPolygon)
    for name in fields:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for values, wkt in features:
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in zip(fields, values):
            feature.SetField(name, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feature)
        feature = None
    layer = source = None
    return f"{path}|layername={layer_name}"


@pytest.fixture(scope="module")
def counties(imported):
    out = imported[0]
    return polygons_gpkg(
        out / "counties.gpkg",
        "counties",
        ("XZQDM", "NAME", "CITY", "PROV"),
        [
            (("440604", "禅城区", "佛山市", "广东省"), square(400000, Y0, 2000)),
            (
                ("440605", "南海区", "佛山市", "广东省"),
                f"POLYGON((402000 {Y0},404000 {Y0},406000 {Y0},406000 {Y0 + 2000},404000 {Y0 + 2000},402000 {Y0 + 2000},402000 {Y0}))",
            ),
        ],
    )


def test_a_re_delineation_keeps_the_imported_codes(sample_processing, imported, counties):
    out, units, _lists = imported
    zones = []
    for key, x0, name in (("eco_redline", 400000, "红线"), ("dev_park", 402000, "广东佛山南海经济开发区"),
                          ("water_industrial", 404000, "")):  # fmt: skip
        raw = polygons_gpkg(out / f"raw_{key}.gpkg", key, ("MC",), [((name,), square(x0, Y0, 2000))])
        params = {"INPUT": raw, "SUBTYPE": key, "ADMIN": counties, "OUTPUT": str(out / f"zones_{key}.gpkg")}
        if name:
            params["NAME_FIELD"] = "MC"
        zones.append(sample_processing.run("ecozoning:standardizezones", params)["OUTPUT"])
    result = sample_processing.run(
        "ecozoning:delineateunits",
        {
            "ADMIN": counties,
            "ADMIN_CODE_FIELD": "XZQDM",
            "ZONES": zones,
            "PREVIOUS": units["OUTPUT"],
            "UNITS": str(out / "redelineated.gpkg"),
        },
    )
    codes = {r["HJGKDYBM"] for r in rows(result["UNITS"])}
    assert codes == set(UNITS)  # ZH440605200001 keeps its 14 characters
    compared = sample_processing.run(
        "ecozoning:compareversions",
        {
            "OLD_UNITS": units["OUTPUT"],
            "NEW_UNITS": result["UNITS"],
            "CHANGES": str(out / "changes.gpkg"),
            "UNIT_CHANGES": str(out / "unit_changes.csv"),
        },
    )
    statuses = {r["CODE"]: r["STATUS"] for r in rows(compared["UNIT_CHANGES"])}
    # the codes carry over: no unit is new, retired, split or merged (the subtypes are new: GKDYLX was empty)
    assert set(statuses) == set(UNITS), statuses
    assert not {s for v in statuses.values() for s in v.split(",")} & {"new", "retired", "split", "merged"}


def test_the_imported_scheme_is_filed_and_the_package_checks_clean(sample_processing, imported, counties):
    out, units, lists = imported
    package = out / "filing_440600.zip"
    filed = sample_processing.run(
        "ecozoning:exportfiling",
        {
            "UNITS": units["OUTPUT"],
            "LIBRARY": lists["OUTPUT_FOLDER"],
            "ADMIN": counties,
            "COUNTY_FIELD": "NAME",
            "CITY_FIELD": "CITY",
            "PROV_FIELD": "PROV",
            "PRODUCER": "佛山市生态环境局（测试）",
            "SCHEME_LEVEL": "city",
            "REGION_CODE": "440600",
            "VERSION": "2024",
            "UPDATE_TYPE": "dynamic",
            "APPROVAL_DOC": "佛环〔2024〕1号",
            "DATE": "2024-06-29",
            "SHP_ENCODING": "GBK",
            "OUTPUT": str(package),
        },
    )
    assert filed["UNIT_COUNT"] == 3 and filed["ISSUE_COUNT"] == 0
    checked = sample_processing.run(
        "ecozoning:checkfiling", {"PACKAGE": str(package), "ISSUES": str(out / "check.csv")}
    )
    assert checked["ISSUE_COUNT"] == 0, rows(checked["ISSUES"])
    import zipfile

    with zipfile.ZipFile(package) as archive:
        archive.extract("tables/附表1_环境管控单元准入清单.xlsx", out / "filed")
    sheet = load_workbook(out / "filed" / "tables" / "附表1_环境管控单元准入清单.xlsx", read_only=True).worksheets[0]
    table = {row[1]: "\n".join(str(v or "") for v in row[6:]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert all(text in table["ZH440605200001"] for text in printed_clauses("ZH440605200001"))


def unit_layer(path: Path, epsg: int, features, fields=("DYBM", "管控单元名称", "XZQDM", "MJ")) -> str:
    """A GeoPackage unit layer in any CRS: features = [(values, wkt)]."""
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    layer = source.CreateLayer("units", srs, ogr.wkbUnknown)
    for name in fields:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal if name == "MJ" else ogr.OFTString))
    for values, wkt in features:
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in zip(fields, values):
            feature.SetField(name, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feature)
        feature = None
    layer = source = None
    return f"{path}|layername=units"


def test_zone_prefixed_eastings_repairs_and_overlaps(sample_processing, tmp_path):
    prefix = 38_000_000  # EPSG:4526: CGCS2000 GK zone 38, eastings with the zone number in front
    bow_tie = f"POLYGON(({prefix + 404000} {Y0},{prefix + 406000} {Y0 + 2000},{prefix + 406000} {Y0},{prefix + 404000} {Y0 + 2000},{prefix + 404000} {Y0}))"
    features = [
        (("ZH44060410001", "南庄镇优先保护区", "440604", 4.0), square(prefix + 400000, Y0, 2000)),
        (("ZH44060520010", "南海经济开发区", "440605", 400.0), square(prefix + 401900, Y0, 2000)),  # overlaps 0.2 km²
        (("ZH440605200001", "九江镇重点管控区", "440605", 2.0), bow_tie),
    ]
    result = sample_processing.run(
        "ecozoning:importunits",
        {"INPUT": unit_layer(tmp_path / "gk.gpkg", 4526, features), "OUTPUT": str(tmp_path / "u.gpkg"),
         "REPORT": str(tmp_path / "r.csv")},
    )  # fmt: skip
    got = {r["HJGKDYBM"]: r for r in rows(result["OUTPUT"])}
    assert got["ZH44060410001"]["MJ"] == pytest.approx(4.0, rel=2e-3)
    assert got["ZH44060410001"]["YMJ"] == pytest.approx(4.0)
    assert got["ZH44060520010"]["YMJ"] == pytest.approx(4.0)  # 400 ha read as 4 km²
    assert got["ZH440605200001"]["MJ"] == pytest.approx(2.0, rel=2e-3)  # the bow-tie's two triangles kept
    report = {r["HJGKDYBM"]: r for r in rows(result["REPORT"])}
    assert int(report["ZH440605200001"]["REPAIRED"]) == 1
    assert "ZH44060520010" in report["ZH44060410001"]["MESSAGE"] and "overlap" in report["ZH44060410001"]["MESSAGE"]

    # the same eastings declared in the zone-less CRS (EPSG:4547): refused, naming the CRS that fits
    wrong = unit_layer(tmp_path / "wrong.gpkg", 4547, features[:1])
    with pytest.raises(Exception, match="EPSG:4526"):
        sample_processing.run(
            "ecozoning:importunits",
            {"INPUT": wrong, "OUTPUT": str(tmp_path / "w.gpkg"), "REPORT": str(tmp_path / "w.csv")},
        )


def test_an_imported_prohibit_clause_fails_a_project_of_the_industry_it_names(sample_processing, imported, tmp_path):
    """佛山's park clause 1-2 "园区不得引入专业电镀、漂染等…项目" carries no code in the table: inferred as 电镀 → C3360, an
    electroplating project in the park fails it, a food project does not; without INFER_INDUSTRIES neither fails."""
    out, units, lists = imported
    park = square(402500, Y0 + 500, 300)  # inside the park only
    path = projects_gpkg(
        tmp_path / "projects.gpkg",
        [({"XMBH": "XM-PLATING", "HYDM": "C3360"}, park), ({"XMBH": "XM-FOOD", "HYDM": "C1391"}, park)],
    )
    report = {int(r["ROW"]): r for r in rows(lists["REPORT"])}
    flagged = [r for r in report.values() if r["INDUSTRIES"]]
    assert [(r["HJGKDYBM"], r["INDUSTRIES"].split(",")[0]) for r in flagged if "电镀" in r["MESSAGE"]] == [
        ("ZH44060520010", "C3360")
    ]
    assert lists["INDUSTRY_INFERRED_COUNT"] >= 1
    library = Path(lists["OUTPUT_FOLDER"])
    text = (library / "units" / "440600.yaml").read_text(encoding="utf-8")
    assert "industries_inferred: true" in text and "C3360" in text

    def screen(folder, name):
        result = sample_processing.run(
            "ecozoning:screenprojects",
            {
                "PROJECTS": f"{path}|layername=projects",
                "ID_FIELD": "XMBH",
                "INDUSTRY_FIELD": "HYDM",
                "UNITS": units["OUTPUT"],
                "LIBRARY": str(folder),
                "OVERLAPS": str(tmp_path / f"{name}_overlaps.csv"),
                "CLAUSES": str(tmp_path / f"{name}_clauses.csv"),
                "VERDICTS": str(tmp_path / f"{name}_verdicts.csv"),
            },
        )
        return {r["PROJ_ID"]: r for r in rows(result["VERDICTS"])}

    inferred = screen(library, "inferred")
    assert inferred["XM-PLATING"]["VERDICT"] == "fail"
    assert "U-ZH44060520010-1-2" in inferred["XM-PLATING"]["REASONS"]
    assert inferred["XM-FOOD"]["VERDICT"] != "fail"
    plain = sample_processing.run(
        "ecozoning:importlisttable",
        {
            "INPUT": foshan_xlsx(tmp_path / "附表1.xlsx"),
            "UNITS": units["OUTPUT"],
            "INFER_INDUSTRIES": False,
            "OUTPUT_FOLDER": str(tmp_path / "plain"),
            "REPORT": str(tmp_path / "plain_report.csv"),
        },
    )
    assert plain["INDUSTRY_INFERRED_COUNT"] == 0
    assert "industries_inferred" not in (tmp_path / "plain" / "units" / "440600.yaml").read_text(encoding="utf-8")
    assert screen(tmp_path / "plain", "plain")["XM-PLATING"]["VERDICT"] != "fail"  # the silently wrong verdict
