"""Screening rules on hand-made units: measures, shares, clauses and verdicts (docs/domain-rules.md §6)."""

from __future__ import annotations

import math
import textwrap

import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from ecozoning.core.lists import Clause, Library
from ecozoning.core.projection import area_m2, length_m, zone_for_geometry
from ecozoning.core.screening import Project, RulesError, Target, load_rules, report_html, screen

RED = Target("ZH23010210001", "红线单元", 1, "eco_redline", box(126.0, 45.0, 126.05, 45.1))
ECO = Target("ZH23010210002", "一般生态空间单元", 1, "eco_general", box(126.05, 45.0, 126.1, 45.05))
GENERAL = Target("ZH23010230001", "一般管控单元", 3, "water_general", box(126.05, 45.05, 126.1, 45.1))
UNITS = [RED, ECO, GENERAL]


@pytest.fixture
def library():
    lib = Library(root="")
    lib.clause_list("province", "province").extend([
        Clause("P-1", "spatial_layout", "prohibit", "禁止红线内开发", classes=[1], subtypes=["eco_redline"]),
        Clause("P-2", "spatial_layout", "prohibit", "禁止新建炼焦项目", industries=["C25"]),
        Clause("P-3", "emission_control", "restrict", "限制化工项目", industries=["C26"]),
        Clause("P-4", "resource_efficiency", "require", "节约用水"),
    ])  # fmt: skip
    lib.clause_list("unit", "ZH23010230001").append(Clause("U-1", "risk_prevention", "require", "单元应急预案"))
    return lib


def one(project, library, zones=None):
    return screen([project], UNITS, zones, library)[0]


def test_polygon_across_red_line_fails_with_shares_that_add_up(library):
    footprint = box(126.04, 45.06, 126.06, 45.07)
    result = one(Project("A", footprint, industry="C1311"), library)
    assert result.verdict == "fail"
    assert any("ZH23010210001" in r for r in result.verdict_reasons())
    zone = zone_for_geometry(footprint)
    expected = {
        "ZH23010210001": area_m2(footprint.intersection(RED.geom), zone),
        "ZH23010230001": area_m2(footprint.intersection(GENERAL.geom), zone),
    }
    assert {h.target.code: h.measure for h in result.unit_hits} == pytest.approx(expected, rel=1e-9)
    assert sum(h.share_project for h in result.unit_hits) == pytest.approx(1.0, abs=1e-9)
    red_hit = next(h for h in result.unit_hits if h.target.code == RED.code)
    assert red_hit.share_target == pytest.approx(expected[RED.code] / area_m2(RED.geom, zone), rel=1e-9)
    assert {r.clause.id for r in result.clauses if r.unit_code == RED.code} == {"P-1", "P-2", "P-3", "P-4"}


def test_prohibited_industry_fails_restricted_is_conditional_and_plain_passes(library):
    inside = box(126.07, 45.07, 126.08, 45.08)
    coke = one(Project("B", inside, industry="C2520"), library)
    assert coke.verdict == "fail" and "P-2" in coke.verdict_reasons()[0]
    assert next(r for r in coke.clauses if r.clause.id == "P-2").industry_match is True
    chemical = one(Project("C", inside, industry="C2614"), library)
    assert chemical.verdict == "conditional" and "P-3" in chemical.verdict_reasons()[0]
    food = one(Project("D", inside, industry="C1311"), library)
    assert food.verdict == "pass"
    assert {r.clause.id for r in food.clauses} == {"P-2", "P-3", "P-4", "U-1"}


def test_missing_industry_and_partly_outside_need_information(library):
    inside = box(126.07, 45.07, 126.08, 45.08)
    assert one(Project("E", inside, industry=""), library).verdict == "need_info"
    half_out = box(126.09, 45.07, 126.11, 45.08)
    result = one(Project("F", half_out, industry="C1311"), library)
    assert result.verdict == "need_info"
    zone = zone_for_geometry(half_out)
    expected_outside = area_m2(half_out.difference(box(126.0, 45.0, 126.1, 45.1)), zone) / area_m2(half_out, zone)
    assert result.outside_share == pytest.approx(expected_outside, rel=1e-6)
    assert sum(h.share_project for h in result.unit_hits) + result.outside_share == pytest.approx(1.0)


def test_priority_unit_without_red_line_is_conditional(library):
    result = one(Project("G", box(126.06, 45.01, 126.07, 45.02), industry="C1311"), library)
    assert result.verdict == "conditional"
    assert result.unit_hits[0].target.code == ECO.code


def test_zone_layer_decides_red_line_hits_when_given(library):
    # without zones the red line is known from the unit's subtype; with zones, only a real zone hit fails
    footprint = box(126.01, 45.01, 126.02, 45.02)
    zones = [Target("YS230102110001", "红线", 1, "eco_redline", box(126.03, 45.03, 126.04, 45.04))]
    assert one(Project("H", footprint, industry="C1311"), library).verdict == "fail"
    assert one(Project("H", footprint, industry="C1311"), library, zones).verdict == "conditional"


def test_lines_are_measured_in_metres(library):
    line = LineString([(126.02, 45.075), (126.08, 45.075)])
    result = one(Project("L", line, industry="E4852"), library)
    assert result.kind == "length"
    zone = zone_for_geometry(line)
    lengths = {h.target.code: h.measure for h in result.unit_hits}
    assert lengths[RED.code] == pytest.approx(length_m(line.intersection(RED.geom), zone), rel=1e-9)
    assert sum(lengths.values()) == pytest.approx(length_m(line, zone), rel=1e-9)
    assert all(h.share_target is None for h in result.unit_hits)


def test_point_with_buffer_becomes_a_disc(library):
    result = one(Project("P", Point(126.075, 45.075), industry="C1311", buffer_m=100), library)
    assert result.kind == "area"
    assert result.total == pytest.approx(math.pi * 100**2, rel=0.01)
    assert [h.target.code for h in result.unit_hits] == [GENERAL.code]


def test_a_bad_project_does_not_stop_the_batch(library):
    bow_tie = Polygon([(126.07, 45.07), (126.08, 45.08), (126.08, 45.07), (126.07, 45.08)])
    results = screen(
        [Project("X", None), Project("Y", bow_tie, industry="C1311"), Project("Z", box(127, 46, 127.1, 46.1), industry="C1311")],
        UNITS, None, library,
    )  # fmt: skip
    assert [r.verdict for r in results] == ["need_info", "pass", "need_info"]
    assert "empty" in results[0].verdict_reasons()[0] or "空" in results[0].verdict_reasons()[0]
    assert any("repaired" in n for n in results[1].notes)
    assert results[1].total == pytest.approx(area_m2(box(126.07, 45.07, 126.08, 45.08)) / 2, rel=0.01)
    assert "outside every control unit" in results[2].verdict_reasons()[0]


def test_rules_file_errors_are_clear(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - id: r1\n    verdict: maybe\n    when: {colour: red}\n", encoding="utf-8")
    with pytest.raises(RulesError, match="r1: verdict must be one of") as err:
        load_rules(str(bad))
    assert "colour" in str(err.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(RulesError, match="broken.yaml:2"):
        load_rules(str(broken))


def test_a_province_can_make_farmland_priority_conditional(tmp_path, library):
    rules = tmp_path / "rules.yaml"
    rules.write_text(textwrap.dedent("""
        order: [fail, need_info, conditional, pass]
        rules:
          - {id: general_unit, verdict: conditional, when: {unit_classes: [3]}, reason: 一般管控单元需说明}
    """), encoding="utf-8")  # fmt: skip
    result = screen(
        [Project("R", box(126.07, 45.07, 126.08, 45.08), industry="C1311")],
        UNITS,
        None,
        library,
        load_rules(str(rules)),
    )[0]
    assert result.verdict == "conditional" and result.verdict_reasons()[0].startswith("一般管控单元需说明")


def test_report_lists_every_clause_with_level_and_a_compliance_column(library):
    result = one(Project("A", box(126.04, 45.06, 126.06, 45.07), name="测试项目", industry="C2520"), library)
    page = report_html(result, {"清单库 SHA-256": "abc123"}, "A.png", library)
    for clause in ("P-1", "P-2", "P-3", "P-4", "U-1"):
        assert clause in page
    assert "判定不通过" in page and "符合性 Compliance" in page and "abc123" in page and "A.png" in page
    assert shapely.is_valid(result.footprint)
