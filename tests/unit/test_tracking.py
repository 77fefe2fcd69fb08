"""Tracking assessment (core/tracking.py): the answers a supervisor checks. Units and change polygons are drawn
as rectangles in the Gauss-Krüger zone (so their areas are known exactly) and taken back to lon/lat."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from ecozoning.core.lists import load_library
from ecozoning.core.projection import from_gk
from ecozoning.core.screening import Target
from ecozoning.core.tracking import (
    ChangePatch,
    Measurement,
    Site,
    Source,
    TrackingRulesError,
    load_tracking_rules,
    parse_class,
    parse_results,
    parse_year,
    read_csv_table,
    track,
)

ZONE = 42  # 126° E, Harbin
X0, Y0 = 42_500_000.0, 5_070_000.0  # a point near 126° E, 45.8° N in EPSG:4530


def gk_box(x, y, w, h):
    """A w × h metre rectangle whose lower left corner is (x, y) metres from (X0, Y0), in lon/lat."""
    return from_gk(shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h), ZONE)


def gk_point(x, y):
    return from_gk(shapely.Point(X0 + x, Y0 + y), ZONE)


# four 10 km × 10 km units side by side: red line (priority), park (key), general, general
UNITS = [
    Target("ZH23010210001", "道里区生态保护红线", 1, "eco_redline", gk_box(0, 0, 10_000, 10_000), "230102"),
    Target("ZH23010220001", "哈尔滨经济技术开发区", 2, "dev_park", gk_box(10_000, 0, 10_000, 10_000), "230102"),
    Target("ZH23010230001", "道里区一般管控单元", 3, "water_general", gk_box(20_000, 0, 10_000, 10_000), "230102"),
    Target("ZH23010230002", "道里区一般管控单元2", 3, "air_general", gk_box(30_000, 0, 10_000, 10_000), "230102"),
]
UNIT_AREA = 1e8


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("library")
    (root / "library.yaml").write_text("name: test\nversion: '1'\nprovince: '230000'\n", encoding="utf-8")
    (root / "province.yaml").write_text(
        """level: province
clauses:
- {id: P-SL-001, dimension: spatial_layout, kind: prohibit, classes: [1], subtypes: [eco_redline],
   text: 禁止在生态保护红线内开展不符合功能定位的开发建设活动。}
- {id: P-SL-002, dimension: spatial_layout, kind: restrict, classes: [1], subtypes: [eco_general],
   text: 一般生态空间内严格限制大规模工业化、城镇化开发。}
- {id: P-SL-005, dimension: spatial_layout, kind: prohibit, industries: [C25], text: 禁止新建炼焦、石油加工项目。}
- {id: P-EC-003, dimension: emission_control, kind: restrict, classes: [2], industries: ['3011'],
   text: 限制新建水泥熟料项目。}
- {id: P-EC-001, dimension: emission_control, kind: require, classes: [2], text: 新建项目实行主要污染物排放等量或倍量替代。}
""",
        encoding="utf-8",
    )
    return load_library(str(root))


@pytest.fixture(scope="module")
def rules():
    return load_tracking_rules()


def run(rules, library, **inputs):
    return track(UNITS, rules, library, **inputs)


def flagged_codes(result):
    return {f.unit.code: f for f in result.flagged}


def test_construction_covering_five_percent_of_a_priority_unit_flags_it_with_the_red_line_clause(rules, library):
    patch = ChangePatch("feature 1", "1", "新增建设用地", "2023-2024", gk_box(1_000, 1_000, 2_500, 2_000))
    result = run(rules, library, changes=[patch])
    flagged = flagged_codes(result)
    assert list(flagged) == ["ZH23010210001"]
    unit = flagged["ZH23010210001"]
    assert [r.rule.focus for r in unit.reasons] == ["eco_function_decline"]
    assert "P-SL-001" in unit.reasons[0].detail
    assert "5.00 %" in unit.reasons[0].detail
    assert unit.severity == 3  # the default rules call 5 % severe
    (lead,) = result.leads
    assert lead.obj_type == "change" and lead.obj_id == "1"
    assert lead.clauses[0].clause.id == "P-SL-001"
    assert lead.area_m2 == pytest.approx(5_000_000, rel=1e-4)
    assert "2023-2024" in lead.detail


def test_small_change_is_measured_but_not_flagged(rules, library):
    patch = ChangePatch("feature 1", "1", "新增建设用地", "2024", gk_box(1_000, 1_000, 50, 100))  # 0.5 ha
    result = run(rules, library, changes=[patch])
    assert result.flagged == [] and result.leads == []
    row = next(r for r in result.indicators if r.unit.code == "ZH23010210001" and r.rule == "priority_land_change")
    assert row.value == pytest.approx(5_000, rel=1e-4)
    assert row.base == pytest.approx(UNIT_AREA, rel=1e-4)
    assert not row.flagged


def test_a_province_raises_the_threshold(tmp_path, library):
    text = Path(load_tracking_rules().path).read_text(encoding="utf-8")
    edited = text.replace("min_area_m2: 10000       # 1 公顷", "min_area_m2: 10000000").replace(
        "min_share: 0.01          # 1 % of the unit", "min_share: 0.1"
    )
    assert edited != text
    path = tmp_path / "rules.yaml"
    path.write_text(edited, encoding="utf-8")
    patch = ChangePatch("feature 1", "1", "新增建设用地", "", gk_box(1_000, 1_000, 2_500, 2_000))
    assert run(load_tracking_rules(str(path)), library, changes=[patch]).flagged == []


def test_section_going_from_iii_to_iv_flags_its_general_unit(rules, library):
    sites = [Site("WS-01", "阿什河口断面", gk_point(25_000, 5_000)), Site("WS-02", "稳定断面", gk_point(35_000, 5_000))]
    classes = {"WS-01": ["III", "III", "III", "IV", "IV"], "WS-02": ["II", "II", "III", "II", "II"]}
    measurements = [
        Measurement(sid, 2019 + n, "water_class", parse_class(value), f"line {n}")
        for sid, values in classes.items()
        for n, value in enumerate(values)
    ]
    result = run(rules, library, sites=sites, measurements=measurements)
    flagged = flagged_codes(result)
    assert list(flagged) == ["ZH23010230001"]
    reason = flagged["ZH23010230001"].reasons[0]
    assert reason.rule.focus == "quality_decline"
    assert "2019" in reason.detail and "III" in reason.detail and "IV" in reason.detail
    (lead,) = result.leads
    assert (lead.obj_type, lead.obj_id) == ("site", "WS-01")
    row = next(r for r in result.indicators if r.obj == "WS-01")
    assert (row.value, row.base, row.change) == (4, 3, 1)


def test_key_unit_site_worse_than_its_target(rules, library):
    sites = [
        Site("AQ-01", "开发区站", gk_point(15_000, 5_000)),
        Site("WS-03", "开发区断面", gk_point(16_000, 5_000), "II"),
    ]
    measurements = [
        Measurement("AQ-01", 2020, "pm25", 30.0, "r1"),
        Measurement("AQ-01", 2024, "pm25", 40.0, "r2"),
        Measurement("WS-03", 2024, "water_class", 3.0, "r3"),  # III against a target of II
    ]
    result = run(rules, library, sites=sites, measurements=measurements)
    unit = flagged_codes(result)["ZH23010220001"]
    assert {r.rule.id for r in unit.reasons} == {"key_site_exceeds_target"}
    assert {lead.obj_id for lead in result.leads} == {"AQ-01", "WS-03"}
    pm = next(lead for lead in result.leads if lead.obj_id == "AQ-01")
    assert "40" in pm.detail and "35" in pm.detail
    assert pm.clauses and pm.clauses[0].clause.id == "P-EC-001"  # the emission clause of the key unit's list


def test_prohibited_industry_source_in_a_key_unit_becomes_a_lead(rules, library):
    sources = [
        Source("QY-01", "某焦化厂", "C2520", gk_point(12_000, 3_000), permit="91230100XXXX001P", emission="12.5"),
        Source("QY-02", "某水泥厂", "3011", gk_point(13_000, 3_000)),
        Source("QY-03", "某食品厂", "C1311", gk_point(14_000, 3_000)),
    ]
    result = run(rules, library, sources=sources)
    unit = flagged_codes(result)["ZH23010220001"]
    assert {r.rule.id for r in unit.reasons} == {"key_prohibited_source", "key_restricted_source"}
    by_source = {lead.obj_id: lead for lead in result.leads}
    assert set(by_source) == {"QY-01", "QY-02"}
    assert by_source["QY-01"].clauses[0].clause.id == "P-SL-005"
    assert by_source["QY-01"].permit == "91230100XXXX001P" and by_source["QY-01"].emission == 12.5
    assert by_source["QY-01"].severity == 3
    assert by_source["QY-02"].clauses[0].clause.id == "P-EC-003"
    emissions = next(r for r in result.indicators if r.indicator == "emissions")
    assert emissions.value == 12.5


def test_a_unit_with_nothing_wrong_is_never_flagged(rules, library):
    changes = [
        ChangePatch("feature 1", "1", "新增建设用地", "", gk_box(11_000, 1_000, 3_000, 3_000)),  # key unit: no rule
        ChangePatch("feature 2", "2", "毁林", "", gk_box(31_000, 1_000, 3_000, 3_000)),
    ]
    sites = [Site("WS-02", "稳定断面", gk_point(35_000, 5_000))]
    measurements = [Measurement("WS-02", y, "water_class", 2.0, f"r{y}") for y in range(2019, 2024)]
    sources = [Source("QY-03", "某食品厂", "C1311", gk_point(36_000, 3_000))]
    sources.append(Source("QY-04", "某焦化厂", "C2520", gk_point(37_000, 3_000)))  # general unit: no rule
    result = run(rules, library, changes=changes, sites=sites, measurements=measurements, sources=sources)
    assert result.flagged == [] and result.leads == []
    assert any(r.unit.code == "ZH23010230002" and r.indicator == "water_class" for r in result.indicators)


def test_indicator_table_adds_up_in_gauss_kruger(rules, library):
    # a 4 km × 1 km construction strip across the red-line / park boundary: 3 km² + 1 km²; a mining pit of 0.6 km²
    changes = [
        ChangePatch("feature 1", "1", "新增建设用地", "", gk_box(7_000, 4_000, 4_000, 1_000)),
        ChangePatch("feature 2", "2", "采矿", "", gk_box(2_000, 7_000, 1_000, 600)),
    ]
    result = run(rules, library, changes=changes)
    kinds = [r for r in result.indicators if r.indicator == "land_change" and not r.rule]
    by = {(r.unit.code, r.obj): r.value for r in kinds}
    assert by[("ZH23010210001", "construction")] == pytest.approx(3e6, rel=1e-4)
    assert by[("ZH23010220001", "construction")] == pytest.approx(1e6, rel=1e-4)
    assert by[("ZH23010210001", "mining")] == pytest.approx(6e5, rel=1e-4)
    assert sum(by.values()) == pytest.approx(4.6e6, rel=1e-4)
    rule_row = next(r for r in result.indicators if r.rule == "priority_land_change" and r.unit.code == "ZH23010210001")
    assert rule_row.value == pytest.approx(3.6e6, rel=1e-4)
    assert rule_row.change == pytest.approx(0.036, rel=1e-4)
    assert rule_row.value == pytest.approx(by[("ZH23010210001", "construction")] + by[("ZH23010210001", "mining")])
    assert sum(lead.area_m2 for lead in result.leads) == pytest.approx(rule_row.value, rel=1e-9)
    # one rule row per unit of the rule's class, even without change
    assert [r.unit.code for r in result.indicators if r.rule == "priority_land_change"] == ["ZH23010210001"]


def test_bad_input_is_reported_by_row_and_never_stops_the_run(rules, library, tmp_path):
    csv_path = tmp_path / "results.csv"
    csv_path.write_text(
        "断面编号,年份,指标,值\n"
        "WS-01,2019,水质类别,Ⅲ类\n"
        "WS-01,2023,水质类别,Ⅳ类\n"
        "WS-99,2023,水质类别,Ⅴ\n"  # line 4: no location
        "WS-01,二〇二三,水质类别,Ⅴ\n"  # line 5: year not a number
        "WS-01,2023,COD,25\n"  # line 6: unknown indicator
        "WS-01,2022,水质类别,很差\n",  # line 7: unreadable class
        encoding="gbk",
    )
    names, rows = read_csv_table(str(csv_path), "en")
    columns = {"site": "断面编号", "year": "年份", "indicator": "指标", "value": "值"}
    assert names == list(columns.values())
    measurements, problems = parse_results(rows, columns, rules, "en")
    assert len(measurements) == 3
    text = "\n".join(problems)
    assert "CSV file 'results.csv', line 5: year '二〇二三' is not a number" in text
    assert "CSV file 'results.csv', line 6: unknown indicator 'COD'" in text
    assert "results.csv', line 7" in text
    sites = [Site("WS-01", "", gk_point(25_000, 5_000)), Site("WS-05", "", None, ref="feature 7")]
    changes = [ChangePatch("feature 3", "3", "不明类型", "", gk_box(1_000, 1_000, 3_000, 3_000))]
    result = track(UNITS, rules, library, changes=changes, sites=sites, measurements=measurements, lang="en")
    text = "\n".join(result.problems)
    assert "CSV file 'results.csv', line 4: site 'WS-99' has no location" in text
    assert "feature 7: monitoring site 'WS-05' has no geometry" in text
    assert "feature 3: change type '不明类型'" in text
    assert list(flagged_codes(result)) == ["ZH23010230001"]  # WS-01 III → IV still counts
    zh = track(UNITS, rules, library, sites=sites, measurements=measurements, lang="zh")
    assert any("站点“WS-99”在监测点位图层中没有位置" in p for p in zh.problems)


def test_ranking_puts_the_most_severe_first(rules, library):
    changes = [ChangePatch("feature 1", "1", "新增建设用地", "", gk_box(1_000, 1_000, 2_500, 2_000))]  # severe
    sites = [Site("WS-01", "", gk_point(25_000, 5_000))]
    measurements = [
        Measurement("WS-01", 2019, "water_class", 3.0, "a"),
        Measurement("WS-01", 2024, "water_class", 4.0, "b"),
    ]
    result = run(rules, library, changes=changes, sites=sites, measurements=measurements)
    assert [(f.rank, f.unit.code) for f in result.flagged] == [(1, "ZH23010210001"), (2, "ZH23010230001")]
    assert [lead.rank for lead in result.leads] == [1, 2]


def test_values_as_people_write_them():
    assert [parse_class(v) for v in ("I", "Ⅱ", "3", 4, "Ⅴ类", "劣Ⅴ", "劣V类", "IV类水质", "x", 7)] == [
        1, 2, 3, 4, 5, 6, 6, 4, None, None,
    ]  # fmt: skip
    assert [parse_year(v) for v in (2023, 2023.0, "2023", "2023年", "2023.0", "二〇二三", "23", "3000")] == [
        2023, 2023, 2023, 2023, 2023, None, None, None,
    ]  # fmt: skip


def test_bad_rules_file_is_refused_with_what_is_wrong(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("focuses: {a: {zh: x}}\nrules:\n  - id: r1\n    focus: b\n    test: magic\n", encoding="utf-8")
    with pytest.raises(TrackingRulesError) as error:
        load_tracking_rules(str(path))
    assert "r1" in str(error.value) and "magic" in str(error.value) and "'b'" in str(error.value)
    path.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(TrackingRulesError, match=r"rules.yaml:\d+: not valid YAML"):
        load_tracking_rules(str(path))


def test_report_is_chinese_or_english_never_both(rules, library):
    from ecozoning.core.tracking_report import report_html

    changes = [ChangePatch("feature 1", "1", "新增建设用地", "2023-2024", gk_box(1_000, 1_000, 2_500, 2_000))]
    sources = [Source("QY-01", "某焦化厂", "C2520", gk_point(22_000, 3_000))]  # a general unit: no rule, no lead
    zh = report_html(
        track(UNITS, rules, library, changes=changes, sources=sources, lang="zh"), rules, {"日期": "x"}, "zh"
    )
    en = report_html(
        track(UNITS, rules, library, changes=changes, sources=sources, lang="en"), rules, {"Date": "x"}, "en"
    )
    assert "跟踪评估与监管执法线索报告" in zh and "Tracking assessment" not in zh
    assert "第 1 位：ZH23010210001 道里区生态保护红线" in zh and "P-SL-001" in zh and "生态功能降低" in zh
    assert "Tracking assessment and enforcement leads" in en and "No. 1: ZH23010210001" in en
    assert "监管执法" not in en and "Ecological function declined" in en
    assert "ZH23010230001" not in zh.split("监管执法重点单元排序")[1]  # the unit with nothing wrong is not listed
