"""Stable unit codes across versions: untouched and moved units keep their codes, new units get fresh
serials, retired codes are never reused (docs/domain-rules.md §4, §7)."""

from __future__ import annotations

import pytest
from shapely import affinity
from shapely.geometry import box

from ecozoning.core.admin import County
from ecozoning.core.delineate import Options, PreviousUnit, Zone, delineate
from ecozoning.core.taxonomy import load_taxonomy

TAX = load_taxonomy()
COUNTY = County("230102", box(126.0, 45.0, 126.2, 45.1), "道里区", "哈尔滨市", "黑龙江省")
RED = box(126.0, 45.0, 126.05, 45.1)
WATER_IND = box(126.05, 45.0, 126.2, 45.04)
PARK_A = box(126.08, 45.06, 126.1, 45.08)
URBAN_B = box(126.15, 45.06, 126.17, 45.08)


def zones(red=RED, park_a=PARK_A, urban_b=URBAN_B, extra=()):
    result = [
        Zone("YS1", "eco_redline", red, "红线"),
        Zone("YS2", "water_industrial", WATER_IND),
        Zone("YS3", "dev_park", park_a, "园区A"),
    ]
    if urban_b is not None:
        result.append(Zone("YS4", "dev_urban", urban_b, "城区B"))
    return result + list(extra)  # fmt: skip


def run(zone_list, previous=None):
    units = delineate([COUNTY], zone_list, TAX, Options(previous=previous, workers=1))[0]
    return units


def as_previous(result):
    return [PreviousUnit(u.code, u.geom, u.name, u.max_serial) for u in result.units]


def code_of(result, predicate):
    matches = [u.code for u in result.units if predicate(u)]
    assert len(matches) == 1, [(u.code, u.name) for u in result.units]
    return matches[0]


def test_codes_survive_an_update_and_retired_codes_are_never_reused():
    first = run(zones())
    park_a = code_of(first, lambda u: u.feature_name == "园区A")
    urban_b = code_of(first, lambda u: u.feature_name == "城区B")
    industrial = code_of(first, lambda u: u.subtype == "water_industrial")
    red = code_of(first, lambda u: u.subtype == "eco_redline")
    general = code_of(first, lambda u: u.subtype == "general")
    highest_key = max(int(u.code[9:]) for u in first.units if u.unit_class == 2)

    # the update: the park moves, the red line grows, a new park appears, the urban area goes away
    moved = affinity.translate(PARK_A, 0.03, 0.0)
    park_c = Zone("YS5", "dev_park", box(126.11, 45.085, 126.13, 45.095), "园区C")
    second = run(
        zones(red=box(126.0, 45.0, 126.06, 45.1), park_a=moved, urban_b=None, extra=[park_c]), as_previous(first)
    )
    assert code_of(second, lambda u: u.feature_name == "园区A") == park_a
    assert code_of(second, lambda u: u.subtype == "water_industrial") == industrial
    assert code_of(second, lambda u: u.subtype == "eco_redline") == red
    assert code_of(second, lambda u: u.subtype == "general") == general
    new_park = code_of(second, lambda u: u.feature_name == "园区C")
    assert int(new_park[9:]) == highest_key + 1
    assert [p.code for p in second.retired] == [urban_b]
    assert all(u.code != urban_b for u in second.units)

    # a third version adds another park: it must not get the retired code back
    park_d = Zone("YS6", "dev_park", box(126.15, 45.06, 126.17, 45.08), "园区D")  # where the urban area was
    third = run(
        zones(red=box(126.0, 45.0, 126.06, 45.1), park_a=moved, urban_b=None, extra=[park_c, park_d]),
        as_previous(second),
    )
    park_d_code = code_of(third, lambda u: u.feature_name == "园区D")
    assert park_d_code != urban_b and int(park_d_code[9:]) > int(urban_b[9:])
    assert code_of(third, lambda u: u.feature_name == "园区C") == new_park
    assert third.retired == []


def test_a_split_keeps_the_code_on_its_largest_part():
    first = delineate([COUNTY], zones(), TAX, Options(split_parts=True, workers=1))[0]
    red = code_of(first, lambda u: u.subtype == "eco_redline")
    # the red line is redrawn with a corridor through it: one large and one small part
    split_red = box(126.0, 45.0, 126.05, 45.07).union(box(126.0, 45.075, 126.05, 45.1))
    options = Options(split_parts=True, previous=as_previous(first), workers=1)
    second = delineate([COUNTY], zones(red=split_red), TAX, options)[0]
    parts = sorted((u for u in second.units if u.subtype == "eco_redline"), key=lambda u: -u.area_m2)
    assert len(parts) == 2
    assert parts[0].code == red and parts[1].code != red
    assert parts[0].area_m2 > parts[1].area_m2


@pytest.mark.parametrize("share", [0.5, 0.9])
def test_match_share_is_a_parameter(share):
    first = run(zones())
    industrial = code_of(first, lambda u: u.subtype == "water_industrial")
    shrunk = [
        z if z.key != "water_industrial" else Zone("YS2", "water_industrial", box(126.05, 45.0, 126.16, 45.04))
        for z in zones()
    ]
    second = delineate([COUNTY], shrunk, TAX, Options(previous=as_previous(first), match_share=share, workers=1))[0]
    kept = code_of(second, lambda u: u.subtype == "water_industrial") == industrial
    assert kept is (share == 0.5)  # the unit kept about 73 % of its area


def test_fourteen_character_codes_of_an_imported_scheme_are_kept_and_continued():
    """A province's own 14-character codes (ZH440605200001: five-digit serials) survive a re-delineation, and new
    units of that county and class continue with five digits after the highest serial."""
    first = run(zones())
    previous = []
    for unit in first.units:
        code = unit.code[:9] + f"{int(unit.code[9:]):05d}"  # the same units, coded the province's way
        previous.append(PreviousUnit(code, unit.geom, unit.name, 0))
    park_c = Zone("YS5", "dev_park", box(126.11, 45.085, 126.13, 45.095), "园区C")
    second = run(zones(extra=[park_c]), previous)
    kept = {p.code for p in previous}
    assert kept <= {u.code for u in second.units}
    new = code_of(second, lambda u: u.feature_name == "园区C")
    highest = max(int(p.code[9:]) for p in previous if p.code[8] == "2")
    assert len(new) == 14 and new[8] == "2" and int(new[9:]) == highest + 1
