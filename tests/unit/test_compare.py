"""Version comparison on hand-made units: statuses, lineage shares, transitions that add up, clause diffs."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from ecozoning.core.compare import NONE, VersionUnit, compare, diff_libraries, report_html
from ecozoning.core.lists import Clause, Library
from ecozoning.core.projection import area_m2, gk_zone


def unit(code, geom, subtype="water_general", county="230102"):
    return VersionUnit(code, int(code[8]), subtype, county, geom)


OLD = [
    unit("ZH23010210001", box(126.0, 45.0, 126.05, 45.1), "eco_redline"),
    unit("ZH23010230001", box(126.05, 45.0, 126.1, 45.1)),
    unit("ZH23010230002", box(126.1, 45.0, 126.15, 45.1)),
    unit("ZH23010230003", box(126.15, 45.0, 126.2, 45.1)),
]
NEW = [
    unit("ZH23010210001", box(126.0, 45.0, 126.04, 45.1), "eco_redline"),  # red line shrank
    unit("ZH23010220001", box(126.04, 45.0, 126.05, 45.1), "dev_park"),  # a park where red line was
    unit("ZH23010230001", box(126.05, 45.0, 126.1, 45.1)),  # unchanged
    unit("ZH23010230004", box(126.1, 45.0, 126.2, 45.05)),  # the two old general units merged, then split
    unit("ZH23010230005", box(126.1, 45.05, 126.2, 45.1)),
]
ZONE = gk_zone(126.1)


def test_statuses_and_lineage():
    result = compare(OLD, NEW)
    status = {c.code: c.statuses for c in result.unit_changes}
    assert status["ZH23010230001"] == ["unchanged"]
    assert status["ZH23010210001"] == ["boundary_changed"]
    assert status["ZH23010220001"] == ["new"]
    assert status["ZH23010230002"] == ["retired", "split"] and status["ZH23010230003"] == ["retired", "split"]
    assert status["ZH23010230004"] == ["new", "merged"]
    lineage = next(c for c in result.unit_changes if c.code == "ZH23010230004")
    assert dict(lineage.came_from) == pytest.approx({"ZH23010230002": 0.5, "ZH23010230003": 0.5}, abs=1e-6)
    red = next(c for c in result.unit_changes if c.code == "ZH23010210001")
    assert dict(red.went_to) == pytest.approx({"ZH23010210001": 0.8, "ZH23010220001": 0.2}, abs=1e-3)


def test_transitions_add_up_to_both_versions():
    result = compare(OLD, NEW)
    old_total = sum(area_m2(u.geom, ZONE) for u in OLD)
    new_total = sum(area_m2(u.geom, ZONE) for u in NEW)
    assert result.total_old() == pytest.approx(old_total, rel=1e-9)
    assert result.total_new() == pytest.approx(new_total, rel=1e-9)
    assert result.transitions[(1, 2)] == pytest.approx(area_m2(box(126.04, 45.0, 126.05, 45.1), ZONE), rel=1e-9)
    assert (1, NONE) not in result.transitions
    assert result.priority["230102"]["lost"] == pytest.approx(result.transitions[(1, 2)], rel=1e-9)
    assert result.priority["230102"]["gained"] == 0


def test_area_only_one_version_covers_is_reported():
    result = compare(OLD[:1], OLD[:2])
    assert result.transitions[(NONE, 3)] == pytest.approx(area_m2(OLD[1].geom, ZONE), rel=1e-9)
    assert result.total_old() == pytest.approx(area_m2(OLD[0].geom, ZONE), rel=1e-9)


def test_clause_diff_and_list_changes():
    old, new = Library(root=""), Library(root="")
    old.clause_list("province", "province").extend(
        [Clause("P-1", "spatial_layout", "require", "旧文本"), Clause("P-2", "risk_prevention", "require", "删除")]
    )
    new.clause_list("province", "province").extend(
        [Clause("P-1", "spatial_layout", "prohibit", "新文本"), Clause("P-3", "emission_control", "require", "新增")]
    )
    changes = {c.clause_id: c for c in diff_libraries(old, new)}
    assert changes["P-1"].change == "changed" and set(changes["P-1"].fields) == {"kind", "text"}
    assert changes["P-2"].change == "removed" and changes["P-3"].change == "added"
    result = compare(OLD, NEW, old, new)
    assert "list_changed" in {s for c in result.unit_changes for s in c.statuses}
    page = report_html(result, {"版本": "V2"})
    assert "类别转移矩阵" in page and "P-1" in page and "来自原优先保护单元" in page
