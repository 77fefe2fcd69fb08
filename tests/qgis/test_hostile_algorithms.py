"""Foreign data through the algorithms (issue 19): self-intersecting units, lowercase fields, Real codes,
curved geometries, layers without a CRS, outputs that are inputs, list libraries that do not load whole.
Each case ends repaired with the right answer, or refused with a message naming layer, feature and remedy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import shapely
from osgeo import ogr, osr
from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsProject, QgsVectorLayer
from test_export_filing import params as filing_params  # the sample's filing parameters, once

from ecozoning.core.projection import area_m2, to_gk

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
ADMIN = f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties"
PROJECTS = SAMPLE / "projects.gpkg"
LIBRARY = SAMPLE / "library"
# the verdicts the sample projects were placed to get (tests/qgis/test_screen_algorithm.py)
EXPECTED = {"XM-001": "fail", "XM-002": "fail", "XM-003": "pass", "XM-005": "fail", "XM-007": "need_info"}


class Log(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info):  # noqa: N802 - the QGIS name
        self.lines.append(info)

    def pushWarning(self, warning):  # noqa: N802
        self.lines.append(warning)

    def reportError(self, error, fatalError=False):  # noqa: N802, N803
        self.lines.append(error)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def copy_layer(src: str, layer: str | None, dst: Path, rename=None, geometry=None, srs: int | None = 4490, types=None):
    """A copy of a layer as another tool would write it: fields renamed, geometries changed, CRS dropped."""
    source = ogr.Open(src)
    src_layer = source.GetLayerByName(layer) if layer else source.GetLayer(0)
    driver = ogr.GetDriverByName("ESRI Shapefile" if dst.suffix == ".shp" else "GPKG")
    target = driver.CreateDataSource(str(dst))
    ref = None
    if srs is not None:
        ref = osr.SpatialReference()
        ref.ImportFromEPSG(srs)
    out = target.CreateLayer(dst.stem, ref, ogr.wkbUnknown if geometry else src_layer.GetGeomType())
    definition = src_layer.GetLayerDefn()
    names = []
    for i in range(definition.GetFieldCount()):
        field = definition.GetFieldDefn(i)
        name = rename(field.GetName()) if rename else field.GetName()
        kind = (types or {}).get(field.GetName(), field.GetType())
        out.CreateField(ogr.FieldDefn(name, kind))
        names.append((field.GetName(), name, kind))
    for n, feature in enumerate(src_layer):
        new = ogr.Feature(out.GetLayerDefn())
        for old, name, kind in names:
            value = feature.GetField(old)
            if value is not None and kind == ogr.OFTReal:
                value = float(value)
            new.SetField(name, value)
        geom = shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToWkb()))
        if geometry:
            geom = geometry(n, geom)
        new.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(geom, output_dimension=2)))
        out.CreateFeature(new)
    target = None
    return str(dst)


def twisted(n, geom, every=3, d=3e-4, step=8):
    """Every third unit with small zig-zags through every 8th vertex of its rings: ring self-intersections as
    layers from other tools often have them; GEOS overlays such rings wrongly or not at all."""
    if n % every:
        return geom

    def zigzag(coords):
        out = []
        for k, (x, y) in enumerate(coords[:-1]):
            out.append((x, y))
            if k % step == 0:
                out += [(x + d, y + d), (x + d, y - d), (x - d, y + d), (x - d, y - d), (x, y)]
        return out

    return shapely.MultiPolygon(
        [
            shapely.Polygon(zigzag(list(p.exterior.coords)), [zigzag(list(r.coords)) for r in p.interiors])
            for p in shapely.get_parts(geom)
        ]
    )


def features(path: str) -> list[dict]:
    layer = QgsVectorLayer(path, "rows", "ogr")
    assert QgsProject.instance().addMapLayer(layer, False) is not None
    names = layer.fields().names()
    rows = [{**{n: f[n] for n in names}, "_geom": f.geometry()} for f in layer.getFeatures()]
    QgsProject.instance().removeMapLayer(layer.id())
    return rows


def screen(processing, units, out: Path, library=LIBRARY, **extra):
    params = {
        "PROJECTS": f"{PROJECTS}|layername=projects",
        "ID_FIELD": "XMBH",
        "NAME_FIELD": "XMMC",
        "INDUSTRY_FIELD": "HYDM",
        "UNITS": units,
        "LIBRARY": str(library),
        "OVERLAPS": str(out / "overlaps.gpkg"),
        "VERDICTS": str(out / "verdicts.gpkg"),
        **extra,
    }
    log = Log()
    processing.run("ecozoning:screenprojects", params, feedback=log)
    verdicts = {r["PROJ_ID"]: r for r in features(str(out / "verdicts.gpkg"))}
    overlaps = features(str(out / "overlaps.gpkg"))
    return verdicts, overlaps, log


def test_self_intersecting_units_are_repaired_logged_and_give_the_right_verdicts(
    sample_processing, sample_chain, tmp_path
):
    broken = copy_layer(sample_chain["units"], None, tmp_path / "units_other_tool.gpkg", geometry=twisted)
    invalid = [f for f in features(broken) if not f["_geom"].isGeosValid()]
    assert len(invalid) > 30
    verdicts, overlaps, log = screen(sample_processing, broken, tmp_path)
    for pid, verdict in EXPECTED.items():
        assert verdicts[pid]["VERDICT"] == verdict, (pid, verdicts[pid]["REASONS"])
    for pid, row in verdicts.items():
        shares = sum(o["SHARE_PROJ"] for o in overlaps if o["PROJ_ID"] == pid)
        if row["UNITS"]:
            assert shares + row["OUTSIDE"] == pytest.approx(1.0, abs=1e-4), pid
    assert verdicts["XM-007"]["OUTSIDE"] == pytest.approx(0.5, abs=0.2)
    # the log names each repaired feature with its code and the area moved
    code = invalid[0]["HJGKDYBM"]
    assert any(code in line and "repaired" in line and "m²" in line for line in log.lines), log.text
    assert f"{len(invalid)} invalid geometries repaired" in log.text


def test_a_unit_whose_repair_is_ambiguous_is_refused_naming_it(sample_processing, sample_chain, tmp_path):
    def wound_twice(n, geom):
        if n != 4:
            return geom
        x0, y0, x1, y1 = geom.bounds
        w, h = x1 - x0, y1 - y0
        pts = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 2), (8, 2), (8, 8), (2, 8), (2, 0.5), (0, 0.5)]
        return shapely.Polygon([(x0 + x * w / 10, y0 + y * h / 10) for x, y in pts])

    broken = copy_layer(sample_chain["units"], None, tmp_path / "units.gpkg", geometry=wound_twice)
    code = features(broken)[4]["HJGKDYBM"]
    with pytest.raises(QgsProcessingException, match=rf"feature \d+ \({code}\).*REPAIR_TOLERANCE"):
        screen(sample_processing, broken, tmp_path)
    # the user who has looked at it may accept the repair: the run then goes through, saying what it did
    verdicts, _, log = screen(sample_processing, broken, tmp_path, REPAIR_TOLERANCE=100)
    assert verdicts and f"({code}) repaired" in log.text


def test_lowercase_unit_fields_and_a_lowercase_name_field_parameter(sample_processing, sample_chain, tmp_path):
    lower = copy_layer(sample_chain["units"], None, tmp_path / "units_lower.gpkg", rename=str.lower)
    verdicts, _, _ = screen(sample_processing, lower, tmp_path, NAME_FIELD="xmmc", ID_FIELD="xmbh")
    for pid, verdict in EXPECTED.items():
        assert verdicts[pid]["VERDICT"] == verdict, (pid, verdicts[pid]["REASONS"])
    assert all(row["NAME"] for row in verdicts.values())  # the names are read from XMMC


def test_real_county_codes_and_text_classes_give_no_false_mismatch(sample_processing, sample_chain, tmp_path):
    labels = {"1": "优先保护单元", "2": "重点管控单元", "3": "一般管控单元"}
    source = copy_layer(
        sample_chain["units"], None, tmp_path / "real.gpkg", types={"XZQDM": ogr.OFTReal, "ZHGKDYFL": ogr.OFTString}
    )
    layer = QgsVectorLayer(source, "u", "ogr")
    index = layer.fields().lookupField("ZHGKDYFL")
    assert layer.startEditing()
    for feature in layer.getFeatures():
        assert layer.changeAttributeValue(feature.id(), index, labels[str(feature["ZHGKDYFL"])])
    assert layer.commitChanges()
    del layer
    assert isinstance(features(source)[0]["XZQDM"], float)
    result = sample_processing.run(
        "ecozoning:validateunits", {"UNITS": source, "ADMIN": ADMIN, "ISSUES": str(tmp_path / "issues.gpkg")}
    )
    assert result["COUNT_COUNTY_MISMATCH"] == 0 and result["COUNT_CLASS_MISMATCH"] == 0
    assert result["ERROR_COUNT"] == 0 and result["READY"] == 1


def test_lowercase_admin_code_field_with_the_default_parameter(sample_processing, tmp_path):
    admin = copy_layer(str(SAMPLE / "harbin_counties.gpkg"), "counties", tmp_path / "admin.gpkg", rename=str.lower)
    params = {"INPUT": f"{SAMPLE / 'harbin_zones.gpkg'}|layername=eco_redline", "SUBTYPE": "eco_redline"}
    upper = sample_processing.run(
        "ecozoning:standardizezones", {**params, "ADMIN": ADMIN, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    lower = sample_processing.run(
        "ecozoning:standardizezones", {**params, "ADMIN": admin, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    assert lower["ZONE_COUNT"] == upper["ZONE_COUNT"] > 0


def test_a_shapefile_of_metres_without_prj_is_refused_with_the_remedy(sample_processing, tmp_path):
    def gk(n, geom):
        return to_gk(geom, 42)

    admin = copy_layer(
        str(SAMPLE / "harbin_counties.gpkg"), "counties", tmp_path / "admin_gk.shp", geometry=gk, srs=None
    )
    assert not Path(admin).with_suffix(".prj").exists()
    params = {"INPUT": f"{SAMPLE / 'harbin_zones.gpkg'}|layername=eco_redline", "SUBTYPE": "eco_redline"}
    with pytest.raises(QgsProcessingException, match="has no CRS.*set the layer's CRS"):
        sample_processing.run("ecozoning:standardizezones", {**params, "ADMIN": admin, "OUTPUT": "TEMPORARY_OUTPUT"})


def test_curved_zones_are_segmentized_not_read_as_empty(sample_processing, tmp_path):
    path = tmp_path / "curved.gpkg"
    target = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    ref = osr.SpatialReference()
    ref.ImportFromEPSG(4490)
    layer = target.CreateLayer("redline", ref, ogr.wkbCurvePolygon)
    counties = features(ADMIN)
    centre = counties[0]["_geom"].pointOnSurface().asPoint()
    x, y, r = centre.x(), centre.y(), 0.01
    feature = ogr.Feature(layer.GetLayerDefn())
    wkt = f"CURVEPOLYGON(CIRCULARSTRING({x - r} {y},{x} {y + r},{x + r} {y},{x} {y - r},{x - r} {y}))"
    feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    layer.CreateFeature(feature)
    target = None
    log = Log()
    result = sample_processing.run(
        "ecozoning:standardizezones",
        {
            "INPUT": f"{path}|layername=redline",
            "SUBTYPE": "eco_redline",
            "ADMIN": ADMIN,
            "OUTPUT": str(tmp_path / "z.gpkg"),
        },
        feedback=log,
    )
    zones = features(result["OUTPUT"])
    area = sum(area_m2(shapely.from_wkb(bytes(z["_geom"].asWkb()))) for z in zones)
    circle = area_m2(shapely.Point(x, y).buffer(r, quad_segs=64))
    assert area == pytest.approx(circle, rel=0.02)
    assert "curved geometries converted" in log.text


def test_outputs_that_are_inputs_are_refused_and_the_input_survives(sample_processing, sample_chain, tmp_path):
    units = shutil.copy(sample_chain["units"], tmp_path / "units.gpkg")
    before = gpkg_content(units)
    with pytest.raises(QgsProcessingException, match="is the input UNITS"):
        sample_processing.run("ecozoning:validateunits", {"UNITS": str(units), "ADMIN": ADMIN, "ISSUES": str(units)})
    zones = shutil.copy(SAMPLE / "harbin_zones.gpkg", tmp_path / "zones.gpkg")
    with pytest.raises(QgsProcessingException, match="is the input INPUT"):
        sample_processing.run(
            "ecozoning:standardizezones",
            {"INPUT": f"{zones}|layername=eco_redline", "SUBTYPE": "eco_redline", "ADMIN": ADMIN, "OUTPUT": str(zones)},
        )
    with pytest.raises(QgsProcessingException, match="is the input PREVIOUS"):
        sample_processing.run(
            "ecozoning:delineateunits",
            {
                "ADMIN": ADMIN,
                "ZONES": list(sample_chain["zones"].values()),
                "PREVIOUS": str(units),
                "UNITS": str(units),
            },
        )
    stem = tmp_path / "units"
    with pytest.raises(QgsProcessingException, match="is the input"):
        sample_processing.run(
            "ecozoning:buildproject",
            {"UNITS": str(shutil.copy(units, tmp_path / "units_lists.gpkg")), "ZONES": list(sample_chain["zones"].values()),
             "OUTPUT": str(stem) + ".qgz"},
        )  # fmt: skip
    project_layer = QgsVectorLayer(str(units), "现状单元", "ogr")
    assert QgsProject.instance().addMapLayer(project_layer) is not None
    try:  # a layer of the project, by id (as the toolbox passes it) and by name (as a script may)
        for value in (project_layer.id(), "现状单元"):
            with pytest.raises(QgsProcessingException, match="is the input UNITS"):
                sample_processing.run("ecozoning:validateunits", {"UNITS": value, "ADMIN": ADMIN, "ISSUES": str(units)})
    finally:
        QgsProject.instance().removeMapLayer(project_layer.id())
    assert gpkg_content(units) == before
    assert ogr.Open(str(zones)).GetLayerCount() == ogr.Open(str(SAMPLE / "harbin_zones.gpkg")).GetLayerCount()


def gpkg_content(path) -> list:
    """Every layer's name and every feature's attributes and stored geometry bytes (not the SQLite header, whose
    journal-mode bytes any reader of a WAL database may reset)."""
    source = ogr.Open(str(path))
    content = []
    for n in range(source.GetLayerCount()):
        layer = source.GetLayerByIndex(n)
        for feature in layer:
            ref = feature.GetGeometryRef()
            content.append((layer.GetName(), feature.GetFID(), feature.items(), ref.ExportToIsoWkb() if ref else None))
    return content


def test_a_library_file_that_does_not_load_stops_screening(sample_processing, sample_chain, tmp_path):
    library = Path(shutil.copytree(LIBRARY, tmp_path / "library"))
    text = (library / "province.yaml").read_text(encoding="utf-8")
    (library / "province.yaml").write_text(text.replace("\n  ", "\n\t", 1), encoding="utf-8")
    with pytest.raises(QgsProcessingException, match=r"province\.yaml.*Check admission lists"):
        screen(sample_processing, sample_chain["units"], tmp_path, library=library)


def test_a_read_only_output_folder_is_refused_before_the_work(sample_processing, sample_chain, tmp_path):
    import os

    if os.geteuid() == 0:
        folder = "/proc/ecozoning-no-such-folder"  # root may write anywhere else
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        folder = str(locked / "out")
    with pytest.raises(QgsProcessingException, match="cannot be written"):
        sample_processing.run(
            "ecozoning:validateunits",
            {"UNITS": sample_chain["units"], "ADMIN": ADMIN, "ISSUES": f"{folder}/issues.gpkg"},
        )


def test_zones_wholly_outside_the_admin_area_are_refused(sample_processing, tmp_path):
    def far_away(n, geom):
        return shapely.affinity.translate(geom, xoff=10.0)

    import shapely.affinity  # noqa: F401 - used by far_away

    zones = copy_layer(str(SAMPLE / "harbin_zones.gpkg"), "eco_redline", tmp_path / "away.gpkg", geometry=far_away)
    with pytest.raises(QgsProcessingException, match="none of its .* features lies inside the admin area"):
        sample_processing.run(
            "ecozoning:standardizezones",
            {"INPUT": zones, "SUBTYPE": "eco_redline", "ADMIN": ADMIN, "OUTPUT": "TEMPORARY_OUTPUT"},
        )


@pytest.mark.parametrize("shape_encoding", [None, ""])
def test_a_gbk_shapefile_without_cpg_is_read_as_gbk_or_refused(sample_processing, tmp_path, shape_encoding):
    """GDAL decodes such a file as Latin-1 (undone: read as GBK, and said), QGIS's own reading as UTF-8
    (replacement characters, lost: refused with the remedy)."""
    from osgeo import gdal

    saved = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", "GBK")
    try:
        admin = copy_layer(str(SAMPLE / "harbin_counties.gpkg"), "counties", tmp_path / "admin.shp")
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", saved)
    Path(admin).with_suffix(".cpg").unlink(missing_ok=True)
    assert "道里区".encode("gbk") in Path(admin).with_suffix(".dbf").read_bytes()
    params = {"INPUT": f"{SAMPLE / 'harbin_zones.gpkg'}|layername=eco_redline", "SUBTYPE": "eco_redline"}
    gdal.SetConfigOption("SHAPE_ENCODING", shape_encoding)
    log = Log()
    try:
        out = sample_processing.run(
            "ecozoning:standardizezones", {**params, "ADMIN": admin, "OUTPUT": str(tmp_path / "z.gpkg")}, feedback=log
        )
    except QgsProcessingException as exc:
        assert re.search(r"feature \d+ has text in .*Add a \.cpg file holding GBK", str(exc)), str(exc)
    else:  # never garbled names without a word
        assert out["ZONE_COUNT"] > 0
        assert "were read as GBK" in log.text and "add a .cpg file holding GBK" in log.text
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", saved)


def test_exportfiling_never_packages_an_invalid_geometry(sample_processing, sample_chain, tmp_path):
    """Self-intersecting, lowercase-field units from another tool: the package holds them repaired, with the
    repairs in the log, the list texts of every unit and the zones' codes; checkfiling finds no invalid geometry."""
    broken = copy_layer(sample_chain["units"], None, tmp_path / "units_other.gpkg", geometry=twisted, rename=str.lower)
    log = Log()
    result = sample_processing.run(
        "ecozoning:exportfiling", filing_params(sample_chain, tmp_path / "p.zip", UNITS=broken), feedback=log
    )
    assert "invalid geometries repaired" in log.text
    import zipfile

    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        archive.extractall(tmp_path / "p")
    units = features(f"{tmp_path / 'p' / 'data' / 'units.gpkg'}|layername=units")
    assert len(units) == result["UNIT_COUNT"] == len(features(broken))
    assert all(u["_geom"].isGeosValid() for u in units)
    assert all(u["HJGKDYBM"] and u["ZHGKDYFL"] in (1, 2, 3) and u["KJBJYS"] for u in units)
    zones = features(f"{tmp_path / 'p' / 'data' / 'zones.gpkg'}|layername=zones")
    assert zones and all(z["YSBM"] and z["YSXL"] for z in zones)
    checked = sample_processing.run(
        "ecozoning:checkfiling", {"PACKAGE": str(tmp_path / "p.zip"), "ISSUES": str(tmp_path / "issues.csv")}
    )
    assert checked["COUNT_INVALID_GEOMETRY"] == 0


def test_validation_reports_the_units_it_repaired_and_previous_units_need_no_fix(
    sample_processing, sample_chain, tmp_path
):
    broken = copy_layer(sample_chain["units"], None, tmp_path / "units_other.gpkg", geometry=twisted)
    invalid = [f for f in features(broken) if not f["_geom"].isGeosValid()]
    result = sample_processing.run(
        "ecozoning:validateunits", {"UNITS": broken, "ADMIN": ADMIN, "ISSUES": str(tmp_path / "issues.gpkg")}
    )
    assert result["COUNT_INVALID_GEOMETRY"] == len(invalid) and result["READY"] == 0
    issues = [i for i in features(str(tmp_path / "issues.gpkg")) if i["KIND"] == "invalid_geometry"]
    assert {i["HJGKDYBM"] for i in issues} == {f["HJGKDYBM"] for f in invalid}
    assert all(i["SEVERITY"] == "error" for i in issues)
    # the same units as the previous version: delineation and comparison repair them instead of failing in GEOS
    compared = sample_processing.run(
        "ecozoning:compareversions",
        {"OLD_UNITS": broken, "NEW_UNITS": sample_chain["units"], "CHANGES": str(tmp_path / "changes.gpkg")},
    )
    assert compared["NEW_COUNT"] == 0 and compared["RETIRED_COUNT"] == 0


def test_buildproject_with_projected_units_makes_its_map(sample_processing, sample_chain, tmp_path):
    projected = sample_processing.run(
        "native:reprojectlayer",
        {"INPUT": sample_chain["units"], "TARGET_CRS": "EPSG:4528", "OUTPUT": str(tmp_path / "units_gk.gpkg")},
    )["OUTPUT"]
    result = sample_processing.run(
        "ecozoning:buildproject",
        {"UNITS": projected, "ZONES": list(sample_chain["zones"].values()), "OUTPUT": str(tmp_path / "map.qgz")},
    )
    assert Path(result["OUTPUT"]).exists() and Path(result["OUTPUT"]).stat().st_size > 1000


def test_messages_name_the_layer_of_a_multi_layer_geopackage(sample_processing, tmp_path):
    with pytest.raises(QgsProcessingException, match=r"'harbin_counties\.gpkg' layer 'counties' has no field 'NOPE'"):
        sample_processing.run(
            "ecozoning:validateunits",
            {
                "UNITS": f"{SAMPLE / 'harbin_zones.gpkg'}|layername=water_zones",
                "ADMIN": ADMIN,
                "ADMIN_CODE_FIELD": "NOPE",
                "ISSUES": str(tmp_path / "i.gpkg"),
            },
        )


def list_texts(processing, units, out: Path, library=LIBRARY) -> dict:
    processing.run(
        "ecozoning:exportlisttable",
        {"UNITS": units, "LIBRARY": str(library), "OUTPUT_XLSX": str(out / "t.xlsx"), "OUTPUT": str(out / "t.gpkg")},
    )
    return {r["HJGKDYBM"]: (r["KJBJYS"], r["PWWPFGK"], r["HJFXFK"], r["ZYLYXL"]) for r in features(str(out / "t.gpkg"))}


def test_list_table_of_lowercase_units_has_every_filtered_clause(sample_processing, sample_chain, tmp_path):
    lower = copy_layer(sample_chain["units"], None, tmp_path / "units_lower.gpkg", rename=str.lower)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    expected = list_texts(sample_processing, sample_chain["units"], tmp_path / "a")
    assert list_texts(sample_processing, lower, tmp_path / "b") == expected
    assert any("生态保护红线" in texts[0] for texts in expected.values())  # a clause filtered by subtype


def test_a_library_file_that_does_not_load_stops_the_list_table(sample_processing, sample_chain, tmp_path):
    library = Path(shutil.copytree(LIBRARY, tmp_path / "library"))
    text = (library / "province.yaml").read_text(encoding="utf-8")
    (library / "province.yaml").write_text(text.replace("\n  ", "\n\t", 1), encoding="utf-8")
    with pytest.raises(QgsProcessingException, match=r"province\.yaml"):
        list_texts(sample_processing, sample_chain["units"], tmp_path, library=library)
    assert not (tmp_path / "t.xlsx").exists()
