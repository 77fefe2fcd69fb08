"""Standardizing raw element layers: repair, duplicates, clipping, splitting at county lines, codes."""

from __future__ import annotations

import re

import pytest
import shapely
from shapely.geometry import Polygon, box

from ecozoning.core.admin import County, build_counties
from ecozoning.core.errors import InputError
from ecozoning.core.projection import area_m2
from ecozoning.core.standardize import RawFeature, parse_value_map, standardize
from ecozoning.core.taxonomy import load_taxonomy

TAX = load_taxonomy()
COUNTIES = [
    County("230102", box(126.0, 45.0, 126.1, 45.1), "道里区"),
    County("230103", box(126.1, 45.0, 126.2, 45.1), "南岗区"),
]


def by_action(report, action):
    return [row for row in report if row.action == action]


def test_zone_crossing_a_county_line_is_split_and_coded_per_county():
    zone = box(126.05, 45.02, 126.15, 45.04)
    zones, report = standardize([RawFeature(7, zone, "eco_redline", "红线A")], COUNTIES, TAX)
    assert [z.county for z in zones] == ["230102", "230103"]
    assert [z.code for z in zones] == ["YS230102110001", "YS230103110001"]
    assert sum(area_m2(z.geom) for z in zones) == pytest.approx(area_m2(zone), rel=1e-6)
    assert all(z.src_fid == 7 and z.name == "红线A" and z.element == "ecology" and z.zone_class == 1 for z in zones)
    assert by_action(report, "split")


def test_parts_outside_the_admin_area_are_clipped_and_reported():
    zone = box(126.15, 45.05, 126.25, 45.07)  # half outside the two counties
    zones, report = standardize([RawFeature(1, zone, "dev_park", "园区")], COUNTIES, TAX)
    outside = area_m2(zone.difference(box(126.0, 45.0, 126.2, 45.1)))
    clipped = by_action(report, "clipped")
    assert len(clipped) == 1 and clipped[0].area_m2 == pytest.approx(outside, rel=1e-3)
    assert area_m2(zones[0].geom) == pytest.approx(area_m2(zone) - outside, rel=1e-3)


def test_bow_tie_is_repaired_empty_and_duplicates_dropped_all_reported():
    bow_tie = Polygon([(126.01, 45.01), (126.03, 45.03), (126.03, 45.01), (126.01, 45.03)])
    square = box(126.05, 45.05, 126.06, 45.06)
    same_square = Polygon([(126.06, 45.06), (126.05, 45.06), (126.05, 45.05), (126.06, 45.05)])
    features = [
        RawFeature(1, bow_tie, "eco_general"),
        RawFeature(2, Polygon(), "eco_general"),
        RawFeature(3, None, "eco_general"),
        RawFeature(4, square, "eco_general"),
        RawFeature(5, same_square, "eco_general"),
    ]
    zones, report = standardize(features, COUNTIES, TAX)
    assert sorted(z.src_fid for z in zones) == [1, 4]
    repaired = by_action(report, "repaired")
    assert [r.src_fid for r in repaired] == [1] and "Self-intersection" in repaired[0].detail
    bow_zone = next(z for z in zones if z.src_fid == 1)
    assert bow_zone.geom.is_valid
    assert area_m2(bow_zone.geom) == pytest.approx(area_m2(box(126.01, 45.01, 126.03, 45.03)) / 2, rel=1e-2)
    assert sorted(r.src_fid for r in by_action(report, "empty")) == [2, 3]
    duplicate = by_action(report, "duplicate")
    assert [r.src_fid for r in duplicate] == [5] and "feature 4" in duplicate[0].detail


def test_overlaps_inside_a_layer_are_kept_and_reported():
    a, b = box(126.01, 45.01, 126.03, 45.03), box(126.02, 45.02, 126.04, 45.04)
    zones, report = standardize([RawFeature(1, a, "water_industrial"), RawFeature(2, b, "water_urban")], COUNTIES, TAX)
    assert len(zones) == 2
    overlap = by_action(report, "overlap")
    assert len(overlap) == 1 and overlap[0].area_m2 == pytest.approx(area_m2(a.intersection(b)), rel=1e-6)


def test_codes_of_subtypes_of_one_element_class_never_collide_across_runs():
    red, _ = standardize([RawFeature(1, box(126.01, 45.01, 126.02, 45.02), "eco_redline")], COUNTIES, TAX)
    general, _ = standardize([RawFeature(1, box(126.03, 45.03, 126.04, 45.04), "eco_general")], COUNTIES, TAX)
    assert red[0].code == "YS230102110001"
    assert general[0].code == "YS230102111001"
    for zone in red + general:
        assert re.match(r"^YS\d{6}[1-7][123]\d{4}$", zone.code)


def test_serials_follow_reading_order_north_to_south():
    south = RawFeature(1, box(126.01, 45.01, 126.02, 45.02), "eco_redline")
    north = RawFeature(2, box(126.01, 45.08, 126.02, 45.09), "eco_redline")
    zones, _ = standardize([south, north], COUNTIES, TAX)
    assert {z.src_fid: z.code[-4:] for z in zones} == {2: "0001", 1: "0002"}


def test_value_map_parsing_and_unknown_keys():
    mapping = parse_value_map("优先保护:water_priority；工业：water_industrial", TAX)
    assert mapping == {"优先保护": "water_priority", "工业": "water_industrial"}
    with pytest.raises(InputError, match="unknown subtype 'water_prio'"):
        parse_value_map("优先保护:water_prio", TAX)


def test_admin_codes_must_be_six_digits_and_unique():
    with pytest.raises(InputError, match="feature 3 has county code '2301'"):
        build_counties([(3, box(0, 0, 1, 1), "2301", "x", "", "")])
    with pytest.raises(InputError, match="features 1 and 2 both have county code 230102"):
        build_counties([(1, box(0, 0, 1, 1), "230102", "", "", ""), (2, box(1, 0, 2, 1), 230102, "", "", "")])
    counties, _ = build_counties([(1, box(0, 0, 1, 1), 230102.0, "道里区", "", "")])
    assert counties[0].code == "230102"
    with pytest.raises(InputError, match="no features"):
        build_counties([])


def test_unknown_subtype_is_an_error():
    with pytest.raises(InputError, match="unknown subtype 'wetland'"):
        standardize([RawFeature(9, box(126.01, 45.01, 126.02, 45.02), "wetland")], COUNTIES, TAX)


def test_everything_inside_is_kept():
    features = [RawFeature(i, box(126.0 + 0.01 * i, 45.0, 126.005 + 0.01 * i, 45.05), "air_general") for i in range(15)]
    zones, _ = standardize(features, COUNTIES, TAX)
    assert sum(area_m2(z.geom) for z in zones) == pytest.approx(sum(area_m2(f.geom) for f in features), rel=1e-6)
    assert shapely.union_all([z.geom for z in zones]).is_valid
