"""ecozoning:trackunits through the Processing API: the supervisor's answers on hand-made layers (a change layer in
another CRS, lowercase unit fields, a results CSV with bad rows), and the Harbin sample end to end with its report
read back as a reader sees it (pdftotext)."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
TRACKING = SAMPLE / "tracking.gpkg"
LIBRARY = SAMPLE / "library"


def rows(path):
    layer = QgsVectorLayer(str(path), "rows", "ogr")
    assert layer.isValid(), path
    names = layer.fields().names()
    out = [{**{n: f[n] for n in names}, "_geom": QgsGeometry(f.geometry())} for f in layer.getFeatures()]
    del layer
    return out


def memory_layer(kind: str, crs: str, fields: str, features: list[tuple[str, dict]]) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs={crs}&{fields}", "memory", "memory")
    for wkt, values in features:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        for key, value in values.items():
            feature[key] = value
        assert layer.dataProvider().addFeature(feature)
    return layer


def gk_box(x, y, w, h):
    """A rectangle in EPSG:4530 (GK zone 42) metres, as WKT; (0, 0) is near Harbin."""
    x0, y0 = 42_500_000 + x, 5_070_000 + y
    return f"POLYGON(({x0} {y0},{x0 + w} {y0},{x0 + w} {y0 + h},{x0} {y0 + h},{x0} {y0}))"


def to_lonlat(wkt):
    geom = QgsGeometry.fromWkt(wkt)
    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4530"), QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance()
    )
    assert geom.transform(transform) == 0
    return geom.asWkt(12)


@pytest.fixture(scope="module")
def handmade(sample_processing, tmp_path_factory):
    out = tmp_path_factory.mktemp("track")
    # units: a red-line priority unit and a general unit, each 10 km × 10 km; lowercase field names (PostGIS style)
    units = memory_layer(
        "MultiPolygon", "EPSG:4490", "field=hjgkdybm:string&field=hjgkdymc:string&field=zhgkdyfl:integer&field=gkdylx:string",
        [
            (to_lonlat(gk_box(0, 0, 10_000, 10_000)), {"hjgkdybm": "ZH23010210001", "hjgkdymc": "红线单元", "zhgkdyfl": 1, "gkdylx": "eco_redline"}),
            (to_lonlat(gk_box(10_000, 0, 10_000, 10_000)), {"hjgkdybm": "ZH23010230001", "hjgkdymc": "一般单元", "zhgkdyfl": 3, "gkdylx": "water_general"}),
            (to_lonlat(gk_box(20_000, 0, 10_000, 10_000)), {"hjgkdybm": "ZH23010220001", "hjgkdymc": "园区", "zhgkdyfl": 2, "gkdylx": "dev_park"}),
        ],
    )  # fmt: skip
    # change polygons in EPSG:3857 (another CRS: reprojected): 5 % of the red-line unit, and change in the park
    to_3857 = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4530"), QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance()
    )

    def in_3857(wkt):
        geom = QgsGeometry.fromWkt(wkt)
        assert geom.transform(to_3857) == 0
        return geom.asWkt(6)

    changes = memory_layer(
        "Polygon", "EPSG:3857", "field=bhlx:string&field=sj:string",
        [
            (in_3857(gk_box(1_000, 1_000, 2_500, 2_000)), {"bhlx": "新增建设用地", "sj": "2023-2024"}),
            (in_3857(gk_box(21_000, 1_000, 2_000, 2_000)), {"bhlx": "新增建设用地", "sj": "2023-2024"}),
        ],
    )  # fmt: skip
    sites = memory_layer(
        "Point", "EPSG:4530", "field=dmbm:string&field=mc:string",
        [("POINT(42515000 5075000)", {"dmbm": "WS-01", "mc": "阿什河断面"}), ("POINT(42525000 5075000)", {"dmbm": "WS-02", "mc": "园区断面"})],
    )  # fmt: skip
    csv_path = out / "results.csv"
    csv_path.write_text(
        "站点编号,年份,指标,值\nWS-01,2020,水质类别,Ⅲ类\nWS-01,2024,水质类别,Ⅳ类\nWS-02,2020,水质类别,Ⅱ类\nWS-02,2024,水质类别,Ⅱ类\n"
        "WS-77,2024,水质类别,Ⅴ类\nWS-01,今年,水质类别,Ⅴ类\nWS-01,2024,总磷,0.2\n",
        encoding="gbk",
    )
    sources = memory_layer(
        "Point", "EPSG:4530", "field=qybh:string&field=qymc:string&field=hydm:string&field=pwxkz:string",
        [
            ("POINT(42522000 5072000)", {"qybh": "QY-1", "qymc": "某焦化厂", "hydm": "C 2520", "pwxkz": "91230100X1"}),
            ("POINT(42523000 5072000)", {"qybh": "QY-2", "qymc": "某食品厂", "hydm": "1311", "pwxkz": ""}),
            ("POINT(42512000 5072000)", {"qybh": "QY-3", "qymc": "一般单元焦化厂", "hydm": "C2520", "pwxkz": ""}),
        ],
    )  # fmt: skip
    params = {
        "UNITS": units, "LIBRARY": str(LIBRARY), "LAND_CHANGE": changes, "CHANGE_FIELD": "bhlx", "PERIOD_FIELD": "sj",
        "MONITORING": sites, "RESULTS_CSV": str(csv_path), "SOURCES": sources,
        "INDICATORS": str(out / "indicators.csv"), "FLAGGED": str(out / "flagged.gpkg"), "LEADS": str(out / "leads.gpkg"),
        "LEAD_AREAS": str(out / "lead_areas.gpkg"), "LANGUAGE": 2,
    }  # fmt: skip
    result = sample_processing.run("ecozoning:trackunits", params)
    return out, result


def test_construction_on_five_percent_of_the_red_line_unit_names_the_red_line_clause(handmade):
    out, result = handmade
    flagged = {r["HJGKDYBM"]: r for r in rows(out / "flagged.gpkg")}
    assert set(flagged) == {"ZH23010210001", "ZH23010230001", "ZH23010220001"}
    red = flagged["ZH23010210001"]
    assert red["FOCUS"] == "eco_function_decline"
    assert "P-SL-001" in red["REASONS"] and "5.00 %" in red["REASONS"]
    leads = [r for r in rows(out / "leads.gpkg") if r["UNIT_CODE"] == "ZH23010210001"]
    assert [(r["OBJ_TYPE"], r["CLAUSE_ID"]) for r in leads] == [("change", "P-SL-001")]
    assert leads[0]["AREA_M2"] == pytest.approx(5_000_000, rel=1e-4)  # reprojected from EPSG:3857, measured in GK
    assert leads[0]["PERIOD"] == "2023-2024"
    (area,) = [r for r in rows(out / "lead_areas.gpkg") if r["UNIT_CODE"] == "ZH23010210001"]
    measure = QgsDistanceArea()
    measure.setSourceCrs(QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance().transformContext())
    assert measure.setEllipsoid("GRS80")
    assert measure.measureArea(area["_geom"]) == pytest.approx(5_000_000, rel=2e-3)  # ellipsoidal vs GK scale


def test_section_iii_to_iv_flags_the_general_unit_and_bad_rows_are_reported(handmade):
    out, result = handmade
    flagged = {r["HJGKDYBM"]: r for r in rows(out / "flagged.gpkg")}
    general = flagged["ZH23010230001"]
    assert general["FOCUS"] == "quality_decline" and "III" in general["REASONS"] and "IV" in general["REASONS"]
    assert result["PROBLEM_COUNT"] >= 3
    assert result["QUALITY_DECLINE_COUNT"] == 1 and result["ECO_FUNCTION_DECLINE_COUNT"] == 1


def test_prohibited_industry_source_in_the_key_unit_is_a_lead_and_the_rest_are_not(handmade):
    out, _ = handmade
    leads = rows(out / "leads.gpkg")
    sources = [r for r in leads if r["OBJ_TYPE"] == "source"]
    assert [(r["OBJ_ID"], r["UNIT_CODE"], r["CLAUSE_ID"], r["PERMIT"]) for r in sources] == [
        ("QY-1", "ZH23010220001", "P-SL-005", "91230100X1")
    ]
    assert sources[0]["CLAUSE_KND"] == "prohibit" and "炼焦" in sources[0]["CLAUSE_TXT"]
    assert sources[0]["LON"] == pytest.approx(sources[0]["_geom"].asPoint().x())
    # construction in a key unit has no rule: the park is flagged for its source only
    park = [r for r in leads if r["UNIT_CODE"] == "ZH23010220001"]
    assert {r["OBJ_TYPE"] for r in park} == {"source"}


def test_indicator_table_adds_up(handmade):
    out, _ = handmade
    table = rows(out / "indicators.csv")
    construction = {
        r["UNIT_CODE"]: float(r["VALUE"])
        for r in table
        if r["INDICATOR"] == "land_change" and r["OBJECT"] == "construction"
    }
    assert construction["ZH23010210001"] == pytest.approx(5e6, rel=1e-4)
    assert construction["ZH23010220001"] == pytest.approx(4e6, rel=1e-4)
    rule = [r for r in table if r["RULE"] == "priority_land_change"]
    assert [r["UNIT_CODE"] for r in rule] == ["ZH23010210001"]
    assert float(rule[0]["CHANGE"]) == pytest.approx(float(rule[0]["VALUE"]) / float(rule[0]["BASE"]))
    assert float(rule[0]["BASE"]) == pytest.approx(1e8, rel=1e-4)


def test_sample_end_to_end_with_report(sample_processing, sample_chain, tmp_path):
    params = {
        "UNITS": sample_chain["units"], "LIBRARY": str(LIBRARY),
        "LAND_CHANGE": f"{TRACKING}|layername=land_change", "CHANGE_FIELD": "BHLX",
        "MONITORING": f"{TRACKING}|layername=monitoring_sites", "RESULTS": f"{TRACKING}|layername=monitoring_results",
        "SOURCES": f"{TRACKING}|layername=sources", "LANGUAGE": 1,
        "INDICATORS": str(tmp_path / "indicators.csv"), "FLAGGED": str(tmp_path / "flagged.gpkg"),
        "LEADS": str(tmp_path / "leads.gpkg"), "REPORT_FOLDER": str(tmp_path / "report"),
    }  # fmt: skip
    result = sample_processing.run("ecozoning:trackunits", params)
    for focus in ("ECO_FUNCTION_DECLINE", "ENVIRONMENT_PROBLEM", "QUALITY_DECLINE"):
        assert result[f"{focus}_COUNT"] >= 1, focus
    assert result["PROBLEM_COUNT"] >= 3  # the sample's three bad result rows
    flagged = rows(tmp_path / "flagged.gpkg")
    leads = rows(tmp_path / "leads.gpkg")
    assert sorted(r["RANK"] for r in flagged) == list(range(1, len(flagged) + 1))
    assert {r["HJGKDYBM"] for r in flagged} == {r["UNIT_CODE"] for r in leads}  # every flag has its leads
    red_line = [
        r for r in leads if r["OBJ_TYPE"] == "change" and r["UNIT_CLASS"] == 1 and "生态保护红线" in r["UNIT_NAME"]
    ]
    assert red_line and all(r["CLAUSE_ID"] == "P-SL-001" for r in red_line)
    coking = [r for r in leads if r["OBJ_TYPE"] == "source" and r["INDUSTRY"] == "C2520"]
    assert coking and all(r["CLAUSE_ID"] == "P-SL-005" for r in coking)
    # the change inside units adds up to the change polygons' own areas, measured by PROJ in each one's GK zone
    change = QgsVectorLayer(f"{TRACKING}|layername=land_change", "change", "ogr")
    expected = 0.0
    for feature in change.getFeatures():
        geom = QgsGeometry(feature.geometry())
        lonlat = QgsGeometry(geom)
        to_lonlat_crs = QgsCoordinateTransform(
            change.crs(), QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance()
        )
        assert lonlat.transform(to_lonlat_crs) == 0
        zone = round(lonlat.boundingBox().center().x() / 3)
        target = QgsCoordinateReferenceSystem(f"EPSG:{4513 + zone - 25}")
        assert geom.transform(QgsCoordinateTransform(change.crs(), target, QgsProject.instance())) == 0
        expected += geom.area()
    table = rows(tmp_path / "indicators.csv")
    measured = sum(float(r["VALUE"]) for r in table if r["INDICATOR"] == "land_change" and not r["RULE"])
    assert measured == pytest.approx(expected, rel=1e-3)
    # the report as a reader sees it
    report = tmp_path / "report"
    assert (report / "tracking_report.html").is_file() and (report / "tracking_overview.png").stat().st_size > 10_000
    text = subprocess.run(
        ["pdftotext", "-layout", str(report / "tracking_report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)  # the CJK fonts map some glyphs to Kangxi radicals (⽣ for 生)
    assert "跟踪评估与监管执法线索报告" in text and "监管执法重点单元排序" in text
    first = next(r for r in flagged if r["RANK"] == 1)
    assert f"第 1 位:{first['HJGKDYBM']}" in text  # NFKC turns the full-width colon into ':'
    assert all(r["HJGKDYBM"] in text for r in flagged)  # codes can be searched and copied
    assert "P-SL-001" in text and "生态功能降低" in text
    assert "Tracking assessment" not in text  # Chinese, not side by side with English


def test_unusable_input_is_refused_clearly_in_the_users_language(sample_processing, tmp_path):
    from qgis.core import QgsProcessingException

    units = memory_layer(
        "MultiPolygon", "EPSG:4490", "field=HJGKDYBM:string",
        [(to_lonlat(gk_box(0, 0, 1_000, 1_000)), {"HJGKDYBM": "ZH23010210001"})],
    )  # fmt: skip
    sources = memory_layer("Point", "EPSG:4530", "field=name:string", [("POINT(42500500 5070500)", {"name": "x"})])
    base = {"UNITS": units, "INDICATORS": "memory:", "FLAGGED": "memory:", "LEADS": "memory:"}
    with pytest.raises(QgsProcessingException, match="请选择行业代码字段（INDUSTRY_FIELD），现有字段：name"):
        sample_processing.run("ecozoning:trackunits", {**base, "SOURCES": sources, "LANGUAGE": 1})
    with pytest.raises(QgsProcessingException, match=r"choose the industry code field \(INDUSTRY_FIELD\)"):
        sample_processing.run("ecozoning:trackunits", {**base, "SOURCES": sources, "LANGUAGE": 2})
    csv_path = tmp_path / "wide.csv"
    csv_path.write_text("站点,2023,2024\nWS-01,Ⅲ,Ⅳ\n", encoding="utf-8")
    sites = memory_layer("Point", "EPSG:4530", "field=DMBM:string", [("POINT(42500500 5070500)", {"DMBM": "WS-01"})])
    with pytest.raises(QgsProcessingException, match="需要站点编号、年份、指标和值四列"):
        sample_processing.run(
            "ecozoning:trackunits", {**base, "MONITORING": sites, "RESULTS_CSV": str(csv_path), "LANGUAGE": 1}
        )
    # units only: nothing to assess, nothing flagged, no error
    result = sample_processing.run("ecozoning:trackunits", {**base, "LANGUAGE": 1})
    assert result["FLAGGED_COUNT"] == 0 and result["UNIT_COUNT"] == 1


def test_flagged_and_leads_are_styled_by_reason_and_kind_when_loaded(handmade):
    from ecozoning.core.tracking import load_tracking_rules
    from ecozoning.processing.tracking_report import TrackingStyle, flagged_renderer, leads_renderer

    out, _ = handmade
    layer = QgsVectorLayer(str(out / "flagged.gpkg"), "flagged", "ogr")
    TrackingStyle(flagged_renderer(load_tracking_rules(), "zh")).postProcessLayer(layer, None, None)
    categories = {c.value(): c.label() for c in layer.renderer().categories()}
    assert categories == {
        "eco_function_decline": "生态功能降低",
        "environment_problem": "环境问题突出",
        "quality_decline": "环境质量下降",
    }
    assert {f["FOCUS"] for f in layer.getFeatures()} <= set(categories)
    leads = QgsVectorLayer(str(out / "leads.gpkg"), "leads", "ogr")
    TrackingStyle(leads_renderer("en")).postProcessLayer(leads, None, None)
    assert {c.value() for c in leads.renderer().categories()} >= {f["OBJ_TYPE"] for f in leads.getFeatures()}
