"""The delineation chain through QGIS Processing on the messy Harbin sample (real county lines, synthetic zones
with real-data faults): what a technician gets out of the toolbox."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

import ecozoning
from ecozoning.core.layer_config import load_layer_config, standardize_parameters
from ecozoning.core.projection import area_m2, length_m
from ecozoning.processing.adapter import to_shapely

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
CONFIG = load_layer_config(SAMPLE / "layers.yaml")
MESSY = SAMPLE / "harbin_zones_messy.gpkg"
pytestmark = pytest.mark.skipif(not MESSY.exists(), reason="sample zones not generated")


@pytest.fixture(scope="module")
def processing(qgis_processing):
    plugin = ecozoning.classFactory(None)
    plugin.initProcessing()
    from qgis import processing as qgis_processing_module

    yield qgis_processing_module
    plugin.unload()


def project_owned(layer: QgsVectorLayer) -> QgsVectorLayer:
    """Hand the layer to the project. QGIS 3.22 leaks the Python frames of a failed processing.run (sip's
    error handler keeps them); a leaked layer owned by Python would be destroyed after QgsApplication and
    crash the interpreter at exit, one owned by the project is not."""
    assert QgsProject.instance().addMapLayer(layer, False) is not None
    return layer


def admin_layer() -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{SAMPLE / CONFIG['admin']['file']}|layername=counties", "counties", "ogr")
    assert layer.isValid()
    return project_owned(layer)


def standardize(processing, layer_name: str, source=MESSY, admin=None):
    spec = CONFIG["layers"][layer_name]
    params = {
        "INPUT": f"{source}|layername={layer_name}",
        "ADMIN": admin or admin_layer(),
        "ADMIN_CODE_FIELD": "XZQDM",
        "OUTPUT": "memory:",
        "REPORT": "memory:",
    }
    params.update(standardize_parameters(spec))
    return processing.run("ecozoning:standardizezones", params)


@pytest.fixture(scope="module")
def chain(processing):
    zones = {name: standardize(processing, name) for name in CONFIG["layers"]}
    admin = admin_layer()
    params = {
        "ADMIN": admin,
        "ADMIN_CODE_FIELD": "XZQDM",
        "COUNTY_FIELD": "COUNTY",
        "CITY_FIELD": "CITY",
        "PROV_FIELD": "PROV",
        "ZONES": [z["OUTPUT"] for z in zones.values()],
        "UNITS": "memory:",
        "MERGE_LOG": "memory:",
    }
    first = processing.run("ecozoning:delineateunits", params)
    second = processing.run("ecozoning:delineateunits", params)
    check = processing.run(
        "ecozoning:validateunits",
        {
            "UNITS": first["UNITS"],
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": "XZQDM",
            "ISSUES": "memory:",
            "REPORT_HTML": None,
        },
    )
    results = {"zones": zones, "first": first, "second": second, "check": check, "admin": admin}
    yield results
    # layers must die before QgsApplication does, or the interpreter crashes at exit
    results.clear()
    zones.clear()
    del first, second, check, admin
    gc.collect()


def features(layer):
    return [(f.attributes(), to_shapely(f.geometry()), f) for f in layer.getFeatures()]


def units_by_county(layer):
    out = {}
    for f in layer.getFeatures():
        out.setdefault(f["XZQDM"], []).append((f, to_shapely(f.geometry())))
    return out


def test_standardize_reports_every_fault_of_the_messy_sample(chain):
    faults = QgsVectorLayer(f"{MESSY}|layername=faults", "faults", "ogr")
    assert faults.featureCount() > 0
    actions_by_layer = {}
    for name, result in chain["zones"].items():
        actions_by_layer[name] = {(f["SRC_FID"], f["ACTION"]) for f in result["REPORT"].getFeatures()}
    expected_action = {
        "self_intersection": "repaired",
        "duplicate": "duplicate",
        "empty": "empty",
        "outside": "clipped",
    }
    checked = 0
    for fault in faults.getFeatures():
        action = next((a for k, a in expected_action.items() if k in fault["kind"]), None)
        if action is None:
            continue
        reported = actions_by_layer[fault["layer"]]
        assert any(a == action for fid, a in reported if fid == fault["fid"]) or (
            action == "duplicate" and any(a == "duplicate" for _, a in reported)
        ), f"{fault['layer']} feature {fault['fid']} ({fault['kind']}) not reported as {action}"
        checked += 1
    assert checked >= 4


def test_units_cover_every_county_exactly(chain):
    admin = {f["XZQDM"]: to_shapely(f.geometry()) for f in chain["admin"].getFeatures()}
    by_county = units_by_county(chain["first"]["UNITS"])
    assert set(by_county) == set(admin)
    for code, county in admin.items():
        units = by_county[code]
        mj_sum = sum(f["MJ"] for f, _ in units) * 1e6
        assert mj_sum == pytest.approx(area_m2(county), rel=1e-4), code  # 0.01 %
        union = shapely.union_all([g for _, g in units])
        assert area_m2(shapely.symmetric_difference(union, county)) < 10.0, code
        for f, geom in units:
            assert area_m2(shapely.difference(geom, county)) < 1.0, f["HJGKDYBM"]


def test_codes_fields_and_classes(chain):
    layer = chain["first"]["UNITS"]
    names = layer.fields().names()
    for field in ("HJGKDYBM", "HJGKDYMC", "ZHGKDYFL", "GKDYLX", "XZQDM", "PROV", "CITY", "COUNTY", "MJ", "YSBM", "BBH"):
        assert field in names
    codes = [f["HJGKDYBM"] for f in layer.getFeatures()]
    assert len(codes) == len(set(codes))
    for f in layer.getFeatures():
        assert re.match(r"^ZH\d{6}[123]\d{4}$", f["HJGKDYBM"])
        assert int(f["HJGKDYBM"][8]) == f["ZHGKDYFL"]
        assert f["HJGKDYBM"][2:8] == f["XZQDM"]
        assert f["CITY"] == "哈尔滨市" and f["PROV"] == "黑龙江省" and f["COUNTY"]
    assert layer.crs().authid() == "EPSG:4490"
    assert chain["first"]["UNIT_COUNT"] == layer.featureCount()


def test_red_line_lies_in_priority_units_and_parks_are_named_units(chain):
    priority = shapely.union_all([g for a, g, f in features(chain["first"]["UNITS"]) if f["ZHGKDYFL"] == 1])
    red = shapely.union_all([g for _, g, _ in features(chain["zones"]["eco_redline"]["OUTPUT"])])
    left = shapely.difference(red, priority)
    # floating-point overlay leaves hair-thin slivers along shared edges; no real red-line land may be left
    assert area_m2(left) < 1e-6 * area_m2(red)
    for piece in shapely.get_parts(left):
        width = area_m2(piece) / max(length_m(piece) / 2, 1e-9)
        assert width < 0.001, f"{area_m2(piece):.2f} m2 of red line, {width:.4f} m wide, lies outside priority units"
    parks = [f for f in chain["zones"]["parks"]["OUTPUT"].getFeatures()]
    park_units = {f["HJGKDYMC"] for f in chain["first"]["UNITS"].getFeatures() if f["GKDYLX"] == "dev_park"}
    merged_parks = {f["FROM_NAME"] for f in chain["first"]["MERGE_LOG"].getFeatures() if f["FROM_TYPE"] == "dev_park"}
    for park in parks:
        assert f"{park['YSMC']}重点管控单元" in park_units or park["YSMC"] in merged_parks


def test_merges_are_logged_and_protected_fragments_kept(chain):
    log = list(chain["first"]["MERGE_LOG"].getFeatures())
    codes = {f["HJGKDYBM"] for f in chain["first"]["UNITS"].getFeatures()}
    for record in log:
        if record["ACTION"] == "merged":
            assert record["INTO_CODE"] in codes
            assert record["AREA_M2"] < 10_000
            assert record["FROM_TYPE"] not in ("eco_redline", "water_priority")


def test_same_inputs_same_units(chain):
    first = sorted((f["HJGKDYBM"], f.geometry().asWkb()) for f in chain["first"]["UNITS"].getFeatures())
    second = sorted((f["HJGKDYBM"], f.geometry().asWkb()) for f in chain["second"]["UNITS"].getFeatures())
    assert first == second


def test_validation_of_our_units_finds_no_coverage_fault(chain):
    check = chain["check"]
    for kind in (
        "GAP",
        "OVERLAP",
        "CROSSES_COUNTY",
        "BAD_CODE",
        "DUPLICATE_CODE",
        "CLASS_MISMATCH",
        "INVALID_GEOMETRY",
    ):
        assert check[f"COUNT_{kind}"] == 0, kind


def test_inputs_in_another_crs_are_reprojected(processing, chain):
    admin = chain["admin"]
    projected = processing.run(
        "native:reprojectlayer", {"INPUT": admin, "TARGET_CRS": "EPSG:3857", "OUTPUT": "memory:"}
    )["OUTPUT"]
    assert projected.crs() == QgsCoordinateReferenceSystem("EPSG:3857")
    result = standardize(processing, "eco_redline", admin=projected)
    reference = chain["zones"]["eco_redline"]["OUTPUT"]
    assert result["OUTPUT"].featureCount() == reference.featureCount()
    total = sum(area_m2(to_shapely(f.geometry())) for f in result["OUTPUT"].getFeatures())
    expected = sum(area_m2(to_shapely(f.geometry())) for f in reference.getFeatures())
    assert total == pytest.approx(expected, rel=1e-4)


def memory_admin(rows, geometry="Polygon"):
    layer = QgsVectorLayer(f"{geometry}?crs=EPSG:4490&field=XZQDM:string&field=NAME:string", "bad admin", "memory")
    for code, wkt in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([code, "x"])
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        assert layer.dataProvider().addFeature(feature)
    return project_owned(layer)


SQUARE = "POLYGON((126 45,126.1 45,126.1 45.1,126 45.1,126 45))"


def run_delineate(processing, admin, zones, **extra):
    params = {"ADMIN": admin, "ADMIN_CODE_FIELD": "XZQDM", "ZONES": zones, "UNITS": "memory:", "MERGE_LOG": "memory:"}
    params.update(extra)
    return processing.run("ecozoning:delineateunits", params)


def error_of(run) -> str:
    """The message of the QgsProcessingException a run raises; the exception (whose traceback holds the
    layers) is dropped at once, as layers outliving QgsApplication crash the interpreter at exit."""
    try:
        run()
    except QgsProcessingException as exc:
        message = str(exc)
    else:
        message = ""
    gc.collect()
    return message


def test_bad_inputs_get_clear_messages(processing, chain):
    zones = [chain["zones"]["eco_redline"]["OUTPUT"]]
    assert "feature 1 has county code '2301'" in error_of(
        lambda: run_delineate(processing, memory_admin([("2301", SQUARE)]), zones)
    )
    assert "no field 'CODE'" in error_of(
        lambda: run_delineate(processing, memory_admin([("230102", SQUARE)]), zones, ADMIN_CODE_FIELD="CODE")
    )
    assert "is empty" in error_of(lambda: run_delineate(processing, memory_admin([]), zones))
    assert "not standardized" in error_of(
        lambda: run_delineate(processing, memory_admin([("230102", SQUARE)]), [memory_admin([("230102", SQUARE)])])
    )
    assert "must be a polygon layer" in error_of(
        lambda: standardize(processing, "eco_redline", admin=memory_admin([("230102", "POINT(126 45)")], "Point"))
    )
    unknown = error_of(
        lambda: processing.run(
            "ecozoning:standardizezones",
            {
                "INPUT": f"{MESSY}|layername=eco_redline",
                "SUBTYPE": "wetland",
                "ADMIN": chain["admin"],
                "OUTPUT": "memory:",
            },
        )
    )
    assert "Unknown element-zone subtype 'wetland'" in unknown and "eco_redline" in unknown
    unmapped = error_of(
        lambda: processing.run(
            "ecozoning:standardizezones",
            {
                "INPUT": f"{MESSY}|layername=water_zones",
                "SUBTYPE_FIELD": "类型",
                "VALUE_MAP": "优先保护:water_priority;工业污染重点管控:water_industrial;城镇生活污染重点管控:water_urban;农业污染重点管控:water_agri",
                "ADMIN": chain["admin"],
                "OUTPUT": "memory:",
            },
        )
    )
    assert "not in VALUE_MAP: '一般管控'" in unmapped
