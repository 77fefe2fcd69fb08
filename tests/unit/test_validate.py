"""Validation finds each kind of fault a unit layer can have, and nothing on a clean layer."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon, box

from ecozoning.core.admin import County
from ecozoning.core.projection import area_m2
from ecozoning.core.validate import REQUIRED_FIELDS, UnitRecord, count_by_kind, html_report, validate_units

COUNTY = County("230102", box(126.0, 45.0, 126.1, 45.1), "道里区")
FIELDS = list(REQUIRED_FIELDS)


def unit(fid, geom, code, cls=None, county="230102", mj=None):
    cls = int(code[8]) if cls is None else cls
    return UnitRecord(
        fid,
        geom,
        {
            "HJGKDYBM": code,
            "HJGKDYMC": "x",
            "ZHGKDYFL": cls,
            "XZQDM": county,
            "MJ": round(area_m2(geom) / 1e6, 6) if mj is None and geom is not None else mj,
        },
    )


def clean_units():
    return [
        unit(1, box(126.0, 45.0, 126.05, 45.1), "ZH23010210001"),
        unit(2, box(126.05, 45.0, 126.1, 45.1), "ZH23010230001"),
    ]


def kinds(issues):
    return {k: v for k, v in count_by_kind(issues).items() if v}


def test_clean_layer_has_no_issue():
    assert validate_units(clean_units(), [COUNTY], FIELDS) == []


def test_gap_and_overlap_are_found_with_their_area():
    units = [
        unit(1, box(126.0, 45.0, 126.05, 45.1), "ZH23010210001"),
        unit(2, box(126.04, 45.0, 126.09, 45.1), "ZH23010230001"),
    ]
    issues = validate_units(units, [COUNTY], FIELDS)
    assert kinds(issues) == {"overlap": 1, "gap": 1}
    gap = next(i for i in issues if i.kind == "gap")
    assert gap.area_m2 == pytest.approx(area_m2(box(126.09, 45.0, 126.1, 45.1)), rel=1e-6)
    overlap = next(i for i in issues if i.kind == "overlap")
    assert overlap.area_m2 == pytest.approx(area_m2(box(126.04, 45.0, 126.05, 45.1)), rel=1e-6)
    assert {overlap.code, overlap.other} == {"ZH23010210001", "ZH23010230001"}


def test_codes_classes_and_counties_checked():
    units = clean_units()
    units[0].attrs["HJGKDYBM"] = "ZH2301021001"  # 12 characters
    units[1].attrs["ZHGKDYFL"] = 2  # code says 3
    units[1].attrs["XZQDM"] = "230103"  # code says 230102, and 230103 is not in the admin layer
    found = kinds(validate_units(units, [COUNTY], FIELDS))
    assert found["bad_code"] == 1 and found["class_mismatch"] == 1 and found["county_mismatch"] >= 1


def test_duplicate_codes():
    units = clean_units()
    units[1].attrs["HJGKDYBM"] = "ZH23010210001"
    units[1].attrs["ZHGKDYFL"] = 1
    assert kinds(validate_units(units, [COUNTY], FIELDS)) == {"duplicate_code": 2}


def test_unit_crossing_the_county_line_and_outside_the_admin_area():
    units = clean_units()
    units[1] = unit(2, box(126.05, 45.0, 126.12, 45.1), "ZH23010230001")
    issues = validate_units(units, [COUNTY], FIELDS)
    found = kinds(issues)
    assert found == {"crosses_county": 1, "outside_admin": 1}
    crossing = next(i for i in issues if i.kind == "crosses_county")
    assert crossing.area_m2 == pytest.approx(area_m2(box(126.1, 45.0, 126.12, 45.1)), rel=1e-6)


def test_invalid_geometry_missing_field_sliver_and_area_mismatch():
    bow = Polygon([(126.05, 45.0), (126.1, 45.1), (126.1, 45.0), (126.05, 45.1)])
    units = [unit(1, box(126.0, 45.0, 126.05, 45.1), "ZH23010210001", mj=1.0), unit(2, bow, "ZH23010230001", mj=0)]
    sliver = box(126.05, 45.0, 126.05 + 5e-5, 45.0 + 5e-5)  # about 20 m2
    units.append(unit(3, sliver, "ZH23010230002"))
    issues = validate_units(units, [COUNTY], [f for f in FIELDS if f != "HJGKDYMC"])
    found = kinds(issues)
    assert found["missing_field"] == 1 and found["invalid_geometry"] == 1
    assert found["sliver"] >= 1 and found["area_mismatch"] == 2
    assert any(i.kind == "gap" for i in issues)  # the bow-tie leaves two triangles uncovered


def test_html_report_lists_counts_and_issues():
    units = clean_units()
    units[1].attrs["ZHGKDYFL"] = 2
    issues = validate_units(units, [COUNTY], FIELDS)
    page = html_report(issues, "检查报告", {"单元数": "2"})
    assert "编码类别位与分类不符" in page and "ZH23010230001" in page and "<td>1</td>" in page


def test_hair_thin_seams_are_not_gaps_but_narrow_strips_are():
    seam = 2e-9  # about 0.16 mm wide and 1.7 m2 over 11 km: a seam, not land
    strip = 2e-5  # about 1.5 m
    for width, reported in ((seam, False), (strip, True)):
        units = [
            unit(1, box(126.0, 45.0, 126.05 - width, 45.1), "ZH23010210001"),
            unit(2, box(126.05, 45.0, 126.1, 45.1), "ZH23010230001"),
        ]
        gaps = [i for i in validate_units(units, [COUNTY], FIELDS) if i.kind == "gap"]
        assert bool(gaps) is reported, width
