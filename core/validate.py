"""Validate a unit layer against its admin areas: coverage, codes, fields, geometry (docs/domain-rules.md §3-§4).

Independent of how the units were made: it checks any unit layer, ours or hand-made.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from . import schema
from .admin import County
from .geometry import dissolve, interiors_meet, polygonal
from .parallel import CanceledError, map_tasks
from .projection import area_m2, length_m, zone_for_geometry
from .schema import find_field, normalize_county_code, parse_class
from .severity import ERROR, SEVERITY_LABELS, count_by_severity, readiness, severity_of

UNIT_CODE_RE = re.compile(r"^ZH(\d{6})([123])(\d{4,5})$")  # 13 characters, 14 in some provinces
REQUIRED_FIELDS = (schema.CODE, schema.NAME, schema.CLASS, "XZQDM", "MJ")
ISSUE_KINDS = (
    "missing_field",
    "invalid_geometry",
    "empty_geometry",
    "bad_code",
    "duplicate_code",
    "class_mismatch",
    "county_mismatch",
    "crosses_county",
    "outside_admin",
    "gap",
    "overlap",
    "sliver",
    "area_mismatch",
)
KIND_LABELS = {
    "missing_field": "缺少字段 Missing field",
    "invalid_geometry": "几何无效 Invalid geometry",
    "empty_geometry": "空几何 Empty geometry",
    "bad_code": "编码格式错误 Malformed code",
    "duplicate_code": "编码重复 Duplicate code",
    "class_mismatch": "编码类别位与分类不符 Class digit differs from class field",
    "county_mismatch": "编码县级代码与XZQDM不符 County digits differ from XZQDM",
    "crosses_county": "跨县界 Crosses a county line",
    "outside_admin": "超出行政区 Outside the admin area",
    "gap": "缝隙 Gap",
    "overlap": "重叠 Overlap",
    "sliver": "碎图斑 Sliver",
    "area_mismatch": "面积字段不符 MJ differs from the geometry's area",
}


@dataclass
class UnitRecord:
    fid: int
    geom: BaseGeometry | None
    attrs: dict


@dataclass
class Tolerances:
    gap_m2: float = 1.0  # gaps and overlaps smaller than this are rounding, not errors
    overlap_m2: float = 1.0
    sliver_m2: float = 100.0  # parts smaller than this are slivers
    sliver_thinness: float = 0.02  # Polsby-Popper 4*pi*A/P^2 below this, for parts under 1 ha, is a sliver
    area_rel: float = 0.001  # MJ may differ from the computed area by this share
    # gaps, crossings and parts outside thinner than this on average are floating-point seams, not land
    min_width_m: float = 0.001


@dataclass
class Issue:
    kind: str
    message: str
    fid: int | None = None
    code: str = ""
    other: str = ""
    county: str = ""
    area_m2: float = 0.0
    geom: BaseGeometry | None = None
    severity: str = ERROR

    def __post_init__(self):
        if self.severity == ERROR:
            self.severity = severity_of(self.kind)


def validate_units(
    units: list[UnitRecord],
    counties: list[County],
    fields: list[str],
    tolerances: Tolerances | None = None,
    is_canceled=lambda: False,
    progress=lambda fraction: None,
    scheduler: str = "",
    workers: int = 0,
) -> list[Issue]:
    """Issues of a unit layer. The per-county checks run in worker processes (`workers`, 0: one per core) or
    on the workers of the Dask scheduler `scheduler` (tcp://host:port), see core/parallel.py."""
    tol = tolerances or Tolerances()
    issues: list[Issue] = []
    fields = [find_field(fields, name) or name for name in fields]
    present = {name for name in REQUIRED_FIELDS if find_field(fields, name)}
    for name in REQUIRED_FIELDS:
        if name not in present:
            issues.append(
                Issue("missing_field", f"the unit layer has no field {name}; add it (see docs/domain-rules.md §4)")
            )
    county_by_code = {c.code: c for c in counties}

    # attributes: codes, classes, county digits
    code_count = Counter(str(u.attrs.get(schema.CODE) or "") for u in units)
    for unit in units:
        code = str(unit.attrs.get(schema.CODE) or "")
        match = UNIT_CODE_RE.match(code)
        if not match:
            issues.append(
                Issue(
                    "bad_code",
                    f"feature {unit.fid}: code '{code}' does not match ZH + 6 digits + class 1-3 + 4-5 digits",
                    unit.fid,
                    code,
                )
            )
        elif code_count[code] > 1:
            issues.append(
                Issue(
                    "duplicate_code",
                    f"feature {unit.fid}: code {code} is used by {code_count[code]} units",
                    unit.fid,
                    code,
                )
            )
        if match and schema.CLASS in present and parse_class(unit.attrs.get(schema.CLASS)) != int(match.group(2)):
            issues.append(
                Issue(
                    "class_mismatch",
                    f"feature {unit.fid}: code {code} says class {match.group(2)}, ZHGKDYFL says {unit.attrs.get(schema.CLASS)}",
                    unit.fid,
                    code,
                )
            )
        if match and "XZQDM" in present and normalize_county_code(unit.attrs.get("XZQDM")) != match.group(1):
            issues.append(
                Issue(
                    "county_mismatch",
                    f"feature {unit.fid}: code {code} has county {match.group(1)}, XZQDM says {unit.attrs.get('XZQDM')}",
                    unit.fid,
                    code,
                )
            )

    # geometry: validity, emptiness, MJ
    valid: list[tuple[UnitRecord, BaseGeometry]] = []
    for unit in units:
        code = str(unit.attrs.get(schema.CODE) or "")
        geom = unit.geom
        if geom is None or geom.is_empty:
            issues.append(Issue("empty_geometry", f"feature {unit.fid} ({code}) has no geometry", unit.fid, code))
            continue
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            location = _location(reason) or shapely.point_on_surface(geom)
            issues.append(
                Issue(
                    "invalid_geometry",
                    f"feature {unit.fid} ({code}): {reason}; run Fix geometries or re-delineate",
                    unit.fid,
                    code,
                    geom=location,
                )
            )
            geom = polygonal(shapely.make_valid(geom))
            if geom.is_empty:
                continue  # nothing of it is left to measure: reported as invalid above
        valid.append((unit, geom))
    # MJ against the measured area, all units in one vectorised pass (each in its own GK zone)
    measured = np.asarray(area_m2(np.array([g for _, g in valid], dtype=object))) if valid else np.zeros(0)
    for (unit, _geom), computed_m2 in zip(valid, measured):
        mj = unit.attrs.get("MJ") if "MJ" in present else None
        if mj not in (None, ""):
            code = str(unit.attrs.get(schema.CODE) or "")
            computed = float(computed_m2) / 1e6
            try:
                stated = float(mj)
            except (TypeError, ValueError):
                stated = float("nan")
            if not abs(stated - computed) <= max(tol.area_rel * computed, 1e-6):
                issues.append(
                    Issue(
                        "area_mismatch",
                        f"feature {unit.fid} ({code}): MJ = {mj} km2, geometry measures {computed:.6f} km2 (CGCS2000 GK zone)",
                        unit.fid,
                        code,
                    )
                )
    progress(0.2)
    if not valid:
        return issues
    geoms = np.array([g for _, g in valid], dtype=object)
    tree = shapely.STRtree(geoms)

    # overlaps between units: neighbours touch along their edges, so only pairs whose interiors meet in an
    # area (DE-9IM '2********') are intersected
    left, right = tree.query(geoms, predicate="intersects")
    upper = left < right
    left, right = left[upper], right[upper]
    overlapping = interiors_meet(geoms[left], geoms[right])
    overlap_in_county: dict[str, float] = defaultdict(float)
    for i, j in zip(left[overlapping].tolist(), right[overlapping].tolist()):
        piece = polygonal(shapely.intersection(geoms[i], geoms[j]))
        if piece.is_empty:
            continue
        area = float(area_m2(piece))
        a, b = valid[i][0], valid[j][0]
        if _county(a) == _county(b):
            overlap_in_county[_county(a)] += area
        if area > tol.overlap_m2:
            message = f"units {_code(a)} and {_code(b)} overlap by {area:.1f} m2"
            issues.append(Issue("overlap", message, a.fid, _code(a), _code(b), area_m2=area, geom=piece))
    progress(0.4)

    # per county: units crossing its line, gaps (independent tasks: worker processes or a Dask cluster)
    by_county: dict[str, list[int]] = defaultdict(list)
    for n, (unit, _geom) in enumerate(valid):
        by_county[_county(unit)].append(n)
    county_geoms = np.array([c.geom for c in counties], dtype=object)
    county_tree = shapely.STRtree(county_geoms) if counties else None
    shapely.prepare(county_geoms)
    tasks = []
    for county in counties:
        members = by_county.get(county.code, [])
        own = set(members)
        # units of other counties the county's gaps may be covered by
        near = sorted(i for i in tree.query(county.geom, predicate="intersects").tolist() if i not in own)
        tasks.append(
            (
                county,
                [(valid[i][0].fid, _code(valid[i][0]), valid[i][1]) for i in members],
                [valid[i][1] for i in near],
                overlap_in_county.get(county.code, 0.0),
                tol,
            )
        )
    # outside parts of units not covered by their own county, by unit index: reused by the admin-area check
    outside_of: dict[int, BaseGeometry] = {}
    issues_of_county: dict[int, list[Issue]] = {}
    try:
        for done, (n, (county_issues, outsides)) in enumerate(
            map_tasks(_check_county, tasks, scheduler, workers, is_canceled), start=1
        ):
            progress(0.4 + 0.5 * done / max(len(counties), 1))
            issues_of_county[n] = county_issues
            members = by_county.get(counties[n].code, [])
            for k, outside in outsides.items():
                outside_of[members[k]] = outside
    except CanceledError:
        return issues
    for n in sorted(issues_of_county):  # in county order, however the tasks finished
        issues.extend(issues_of_county[n])
    for code, members in by_county.items():
        if code and code not in county_by_code:
            for index in members:
                unit, _ = valid[index]
                message = f"unit {_code(unit)} has XZQDM {code}, which is not a county of the admin layer"
                issues.append(Issue("county_mismatch", message, unit.fid, _code(unit)))
    # outside the admin area: only units not covered by one county are overlaid with their counties
    if county_tree is not None:
        county_index = {c.code: n for n, c in enumerate(counties)}
        for n, (unit, geom) in enumerate(valid):
            hits = county_tree.query(geom, predicate="intersects")
            own = county_index.get(_county(unit), -1)
            if len(hits) == 1 and hits[0] == own and n not in outside_of:
                continue  # covered by its own county (checked above)
            if len(hits) == 1 and hits[0] == own:
                outside = outside_of[n]  # geom minus its county: computed above
            elif len(hits) == 1 and shapely.covers(county_geoms[hits[0]], geom):
                continue
            else:
                outside = polygonal(shapely.difference(geom, dissolve(list(county_geoms[hits])))) if len(hits) else geom
            outside, area = _substantial(outside, zone_for_geometry(geom), tol)
            if area > tol.gap_m2:
                message = f"unit {_code(unit)} has {area:.1f} m2 outside the admin area"
                issues.append(Issue("outside_admin", message, unit.fid, _code(unit), area_m2=area, geom=outside))

    # slivers: tiny or hair-thin parts (all parts measured in one vectorised pass)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    if len(parts):
        areas = np.asarray(area_m2(parts))
        thinness = 4 * np.pi * shapely.area(parts) / np.maximum(shapely.length(parts), 1e-12) ** 2
        flagged = (areas < tol.sliver_m2) | ((areas < 10_000) & (thinness < tol.sliver_thinness))
        for index in np.flatnonzero(flagged):
            unit = valid[owner[index]][0]
            message = f"unit {_code(unit)} has a {areas[index]:.1f} m2 part (thinness {thinness[index]:.3f})"
            severity = severity_of("sliver", unit.attrs.get(schema.SUBTYPE))
            if severity != ERROR:
                message += "; kept on purpose (protected subtype): review"
            issues.append(
                Issue(
                    "sliver",
                    message,
                    unit.fid,
                    _code(unit),
                    area_m2=float(areas[index]),
                    geom=parts[index],
                    severity=severity,
                )
            )
    progress(1.0)
    return issues


def _check_county(county: County, members: list, near: list, overlap_inside: float, tol: Tolerances):
    """Units of one county (fid, code, geometry) crossing its line, and its gaps; `near`: geometries of other
    counties' units around it. Returns (issues, {member index: its part outside the county})."""
    issues: list[Issue] = []
    outsides: dict[int, BaseGeometry] = {}
    gk = zone_for_geometry(county.geom)
    shapely.prepare(county.geom)
    member_geoms = np.array([g for _, _, g in members], dtype=object)
    inside_area = np.asarray(area_m2(member_geoms, gk)) if members else np.zeros(0)
    covered = shapely.covers(county.geom, member_geoms) if members else np.zeros(0, bool)
    for k in np.flatnonzero(~covered):
        fid, code, geom = members[k]
        outside = polygonal(shapely.difference(geom, county.geom))
        outsides[int(k)] = outside
        inside_area[k] -= float(area_m2(outside, gk)) if not outside.is_empty else 0.0
        outside, area = _substantial(outside, gk, tol)
        if area > tol.gap_m2:
            message = (
                f"unit {code} (XZQDM {county.code}) has {area:.1f} m2 outside its county; split it at the county line"
            )
            issues.append(Issue("crosses_county", message, fid, code, county=county.code, area_m2=area, geom=outside))
    # gap area = county - (units inside it) + (their overlaps): the overlay that finds where the gaps are only
    # runs when there is one; it uses the county's own units first, as small overlays are the robust ones
    # (GEOS can mis-node a union of a whole prefecture's units)
    missing = float(area_m2(county.geom, gk)) - float(inside_area.sum()) + overlap_inside
    if missing <= tol.gap_m2:
        return issues, outsides
    gap = polygonal(shapely.difference(county.geom, dissolve(list(member_geoms))))
    if not gap.is_empty and area_m2(gap, gk) > tol.gap_m2 and near:
        near_arr = np.array(near, dtype=object)
        others = sorted(shapely.STRtree(near_arr).query(gap, predicate="intersects").tolist())
        if others:
            gap = polygonal(shapely.difference(gap, dissolve(list(near_arr[others]))))
    for part in shapely.get_parts(gap):
        part, area = _substantial(part, gk, tol)
        if area > tol.gap_m2:
            message = f"county {county.code}: {area:.1f} m2 covered by no unit"
            issues.append(Issue("gap", message, county=county.code, area_m2=area, geom=part))
    return issues, outsides


def repaired_issues(units: list[UnitRecord], repairs: dict) -> list[Issue]:
    """invalid_geometry issues for the units repaired when the layer was read ({fid: GEOS reason}): the layer
    itself is invalid even though the checks ran on the repaired geometry."""
    issues = []
    for unit in units:
        if unit.fid in repairs:
            reason = repairs[unit.fid]
            # the reason's coordinates are in the layer's CRS; the issue is placed on the repaired unit (EPSG:4490)
            location = None
            if unit.geom is not None and not unit.geom.is_empty:
                location = shapely.point_on_surface(unit.geom)
            message = f"feature {unit.fid} ({_code(unit)}): {reason}; run Fix geometries or re-delineate"
            issues.append(Issue("invalid_geometry", message, unit.fid, _code(unit), geom=location))
    return issues


def _substantial(geom, gk: int, tol: Tolerances):
    """The parts of a gap or overshoot that are land, not seams: mean width 2A/P of at least tol.min_width_m
    (a 1 m2 seam along 500 km of county line is 4 micrometres wide). Returns (geometry, area m2)."""
    if geom is None or geom.is_empty:
        return geom, 0.0
    pieces = np.array(list(shapely.get_parts(geom)), dtype=object)
    areas = np.asarray(area_m2(pieces, gk), dtype=float)
    widths = 2 * areas / np.maximum(np.asarray(length_m(pieces, gk), dtype=float), 1e-12)
    keep = widths >= tol.min_width_m
    if not keep.any():
        return polygonal(None), 0.0
    kept = pieces[keep]
    return (kept[0] if len(kept) == 1 else shapely.MultiPolygon(list(kept))), float(areas[keep].sum())


def _county(unit: UnitRecord) -> str:
    value = unit.attrs.get("XZQDM")
    return normalize_county_code(value) or str(value if value is not None else "")


def _code(unit: UnitRecord) -> str:
    return str(unit.attrs.get(schema.CODE) or f"fid {unit.fid}")


def _location(reason: str):
    match = re.search(r"\[\s*([-\d.eE+]+)\s+([-\d.eE+]+)\s*\]", reason or "")
    return shapely.Point(float(match.group(1)), float(match.group(2))) if match else None


def count_by_kind(issues: list[Issue]) -> dict[str, int]:
    counts = {kind: 0 for kind in ISSUE_KINDS}
    for issue in issues:
        counts[issue.kind] = counts.get(issue.kind, 0) + 1
    return counts


def html_report(issues: list[Issue], title: str, context: dict[str, str], max_rows: int = 2000) -> str:
    counts = count_by_kind(issues)
    esc = html.escape
    rows = "".join(
        f"<tr class='{'bad' if counts[k] else 'ok'}'><td>{esc(KIND_LABELS[k])}</td><td>{counts[k]}</td></tr>"
        for k in ISSUE_KINDS
    )
    info = "".join(f"<tr><th>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in context.items())
    details = "".join(
        f"<tr><td>{esc(SEVERITY_LABELS.get(i.severity, i.severity))}</td><td>{esc(KIND_LABELS.get(i.kind, i.kind))}</td><td>{esc(i.code)}</td><td>{esc(i.other)}</td>"
        f"<td>{esc(i.county)}</td><td>{i.area_m2:.1f}</td><td>{esc(i.message)}</td></tr>"
        for i in issues[:max_rows]
    )
    more = f"<p>… {len(issues) - max_rows} more issues in the ISSUES layer.</p>" if len(issues) > max_rows else ""
    _ready, verdict = readiness(issues)
    by_severity = count_by_severity(issues)
    verdict += "".join(f" · {SEVERITY_LABELS[k]} {v}" for k, v in by_severity.items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #bbb;padding:4px 8px;text-align:left}}
tr.bad td{{background:#fde2e1}}tr.ok td{{background:#e6f4ea}}</style></head>
<body><h1>{esc(title)}</h1><p><b>{esc(verdict)}</b></p>
<table>{info}</table>
<h2>问题统计 Issues by kind</h2><table><tr><th>类型 Kind</th><th>数量 Count</th></tr>{rows}</table>
<h2>问题明细 Details</h2><table><tr><th>严重程度 Severity</th><th>类型</th><th>单元编码 Code</th><th>相关 Other</th><th>县 County</th><th>面积 m²</th><th>说明 Message</th></tr>{details}</table>{more}
</body></html>
"""
