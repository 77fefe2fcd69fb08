"""Delineate environmental control units from standardized element zones (docs/domain-rules.md §3-§4).

Per county, independently (counties run in parallel worker processes, or on a Dask cluster):
1. the county and the boundaries of the zones clipped to it are noded into one planar arrangement of
   faces: every face lies entirely inside or outside each zone, and faces share their edges exactly;
2. each face takes the best subtype of the zones covering it (class raised 1 over 2 over 3, then named
   subtypes, then rank); uncovered faces are class 3, subtype ``general``; named features (parks, urban
   areas) form one group each;
3. the faces of a group dissolve into connected parts; parts under MIN_AREA merge into the neighbouring
   part with the longest shared boundary, smallest first, except parts of protected subtypes; a fragment
   with no neighbour is kept and reported; every merge is logged;
4. groups (or, with split_parts, merged parts) become units; they are coded per (county, class).
Because units are unions of faces of one arrangement of the county, they cover it with no gap or overlap.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .admin import County
from .geometry import dissolve, polygonal, representative_xy
from .parallel import CanceledError, map_tasks
from .projection import area_m2, length_m, zone_for_geometry
from .schema import UNIT_CODE_RE
from .taxonomy import UNCOVERED, Taxonomy

CODE_PATTERN = UNIT_CODE_RE.pattern  # 13 characters nationally, 14 in some provinces (ZH440605200001)
DUST_M2 = 1.0  # zone pieces smaller than this inside a county are clipping artefacts, not zones


@dataclass
class Zone:
    code: str
    key: str
    geom: BaseGeometry
    name: str = ""
    county: str = ""  # XZQDM of a standardized zone: already clipped to that county


@dataclass
class PreviousUnit:
    """A unit of the previous version: its code is kept by the new unit that matches it (issue: stable codes)."""

    code: str
    geom: BaseGeometry
    name: str = ""
    max_serial: int = 0  # ZDXH: highest serial ever used in its county and class, so retired codes stay retired

    @property
    def county(self) -> str:
        return self.code[2:8]

    @property
    def unit_class(self) -> int:
        return int(self.code[8])

    @property
    def serial(self) -> int:
        return int(self.code[9:])


@dataclass
class Options:
    named_subtypes: frozenset = frozenset({"dev_park", "dev_urban"})
    split_parts: bool = False
    min_area: float = 10_000.0  # m2
    protected: frozenset = frozenset({"eco_redline", "water_priority"})
    review_area: float = 1_000_000.0  # m2
    version: str = "V1"
    workers: int = 0  # 0: one worker process per core; 1: in this process
    previous: list[PreviousUnit] | None = None  # units of the previous version, for stable codes
    match_share: float = 0.5  # a new unit keeps a previous code when their overlap is this share of the larger


@dataclass
class Unit:
    code: str
    name: str
    unit_class: int
    subtype: str
    county: County
    geom: BaseGeometry
    area_m2: float
    zone_codes: list[str]
    note: str = ""
    feature_name: str = ""
    max_serial: int = 0  # highest serial used in its county and class (field ZDXH)
    kept_from: str = ""  # how the code was kept: 'name' | 'overlap' | '' (new)


@dataclass
class MergeRecord:
    county: str
    action: str  # merged | kept_no_neighbour | kept_protected | review_small_unit
    from_class: int
    from_subtype: str
    from_name: str
    area_m2: float
    into_code: str = ""
    into_class: int = 0
    into_subtype: str = ""
    shared_m: float = 0.0
    reason: str = ""
    geom: BaseGeometry | None = None
    _into_part: int = field(default=-1, repr=False)


@dataclass
class CountyResult:
    county: County
    units: list[Unit]
    log: list[MergeRecord]
    face_count: int = 0
    retired: list[PreviousUnit] = field(default_factory=list)


def delineate(
    counties: list[County],
    zones: list[Zone],
    taxonomy: Taxonomy,
    options: Options | None = None,
    is_canceled=lambda: False,
    progress=lambda fraction: None,
    scheduler: str = "",
) -> list[CountyResult]:
    """Units of every county. Counties are independent tasks: run in worker processes on this machine, or on
    the workers of the Dask scheduler `scheduler` (tcp://host:port), see core/parallel.py. Results are sorted
    by county code; a cancelled run returns []."""
    options = options or Options()
    zone_geoms = np.array([z.geom for z in zones], dtype=object)
    tree = shapely.STRtree(zone_geoms)
    previous_by_county: dict[str, list[PreviousUnit]] = defaultdict(list)
    for unit in options.previous or []:
        previous_by_county[unit.county].append(unit)
    task_options = replace(options, previous=None)  # each task gets its own county's previous units only
    # Largest counties first keeps the workers busy to the end.
    order = sorted(counties, key=lambda c: -shapely.get_num_coordinates(c.geom))
    tasks = [
        (
            county,
            [zones[i] for i in sorted(tree.query(county.geom, predicate="intersects").tolist())],
            taxonomy,
            task_options,
            previous_by_county.get(county.code, []),
        )
        for county in order
    ]
    results: list[CountyResult] = []
    try:
        for done, (_, result) in enumerate(
            map_tasks(delineate_county, tasks, scheduler, options.workers, is_canceled), start=1
        ):
            results.append(result)
            progress(done / len(counties))
    except CanceledError:
        return []
    results.sort(key=lambda r: r.county.code)
    return results


def _precedence(taxonomy: Taxonomy, named: frozenset, key: str) -> tuple[int, int, int]:
    zone = taxonomy.zones[key]
    return (zone.raises_to, 0 if key in named else 1, zone.rank)


# Snap-rounding grid of the fallback noding, in degrees (~0.01 mm): robust by construction, far below
# any survey precision.
SNAP_GRID_DEG = 1e-10


def arrangement(county_geom: BaseGeometry, zone_geoms: list[BaseGeometry], gk: int | None = None) -> list[BaseGeometry]:
    """Faces of the planar arrangement of the county and the zone boundaries, inside the county.

    All boundaries are noded at once and polygonized. Floating-point noding of nearly coincident lines can
    leave 'cut edges' (polygonize then silently drops or merges faces), so a result that is not clean or
    does not add up to the county is redone with snap-rounding noding on a 0.01 mm grid, and as a last
    resort by splitting the county zone by zone.
    """
    for grid in (None, SNAP_GRID_DEG):
        faces = _faces_by_noding(county_geom, zone_geoms, grid)
        if faces is not None and _covers_county(faces, county_geom, gk):
            return faces
    return _faces_by_overlay(county_geom, zone_geoms)


def _faces_by_noding(county_geom, zone_geoms, grid: float | None) -> list[BaseGeometry] | None:
    """None when the noding is not clean: every edge of closed boundaries must bound two faces."""
    lines = [county_geom.boundary] + [g.boundary for g in zone_geoms]
    noded = shapely.union_all(np.array(lines, dtype=object), grid_size=grid)
    polygons, cuts, dangles, invalid = shapely.polygonize_full(shapely.get_parts(noded))
    if not (cuts.is_empty and dangles.is_empty and invalid.is_empty):
        return None
    faces = shapely.get_parts(polygons)
    if len(faces) == 0:
        return None
    points = shapely.point_on_surface(faces)
    inside = shapely.covers(county_geom, points)
    return [f for f, keep in zip(faces, inside) if keep and f.area > 0]


def _covers_county(faces, county_geom, gk) -> bool:
    if not faces:
        return False
    gk = gk or zone_for_geometry(county_geom)  # one zone for all: areas in different zones do not add up
    total = float(np.sum(area_m2(np.array(faces, dtype=object), gk)))
    expected = float(area_m2(county_geom, gk))
    return abs(total - expected) <= max(1.0, 1e-9 * expected)


def _faces_by_overlay(county_geom, zone_geoms) -> list[BaseGeometry]:
    pieces = np.array([p for p in shapely.get_parts(county_geom)], dtype=object)
    for zone in zone_geoms:
        hit = shapely.intersects(pieces, zone)
        if not hit.any():
            continue
        inside = shapely.intersection(pieces[hit], zone, grid_size=SNAP_GRID_DEG)
        outside = shapely.difference(pieces[hit], zone, grid_size=SNAP_GRID_DEG)
        split = [p for g in np.concatenate([inside, outside]) for p in shapely.get_parts(polygonal(g)) if p.area > 0]
        pieces = np.array(list(pieces[~hit]) + split, dtype=object)
    return list(pieces)


def delineate_county(
    county: County, zones: list[Zone], taxonomy: Taxonomy, options: Options, previous: list[PreviousUnit] = ()
) -> CountyResult:
    gk = zone_for_geometry(county.geom)
    named = frozenset(options.named_subtypes)
    shapely.prepare(county.geom)

    # clip zones to the county: standardized zones of this county already are (and any sliver beyond the
    # line falls outside the arrangement's faces); others are cut here, and the dust a neighbour's zone
    # leaves along the line (1e-7 m2, which can make polygonize lose whole faces) is left out
    clipped: list[tuple[Zone, BaseGeometry]] = [(z, z.geom) for z in zones if z.county == county.code]
    others = [z for z in zones if z.county != county.code]
    if others:
        pieces = shapely.intersection(np.array([z.geom for z in others], dtype=object), county.geom)
        pieces = np.array([polygonal(p) for p in pieces], dtype=object)
        keep = area_m2(pieces, gk) >= DUST_M2
        clipped += [(z, p) for z, p, k in zip(others, pieces, keep) if k]
    clipped.sort(key=lambda item: item[0].code)

    faces = arrangement(county.geom, [g for _, g in clipped], gk)
    if not faces:
        faces = [county.geom]
    faces_arr = np.array(faces, dtype=object)
    points = shapely.point_on_surface(faces_arr)
    covering: list[list[int]] = [[] for _ in faces]
    if clipped:
        local_tree = shapely.STRtree(np.array([g for _, g in clipped], dtype=object))
        face_idx, zone_idx = local_tree.query(points, predicate="intersects")
        for f, z in zip(face_idx.tolist(), zone_idx.tolist()):
            covering[f].append(z)

    # group key of each face: (class, precedence, subtype, named feature or '')
    groups: dict[tuple, list[int]] = defaultdict(list)
    for f, zone_ids in enumerate(covering):
        if not zone_ids:
            groups[(3, (9, 9, 10**9), UNCOVERED, "")].append(f)
            continue
        best = min(
            zone_ids,
            key=lambda z: (_precedence(taxonomy, named, clipped[z][0].key), clipped[z][0].name, clipped[z][0].code),
        )
        zone = clipped[best][0]
        prec = _precedence(taxonomy, named, zone.key)
        feature = (zone.name or zone.code) if zone.key in named else ""
        groups[(prec[0], prec, zone.key, feature)].append(f)

    group_keys = sorted(groups)
    # connected parts of each group; parts[i] = (group index, geometry, face ids)
    part_group: list[int] = []
    part_geom: list[BaseGeometry] = []
    part_faces: list[list[int]] = []
    for g, key in enumerate(group_keys):
        members = groups[key]
        merged = dissolve([faces[f] for f in members])
        pieces = [p for p in shapely.get_parts(merged) if not p.is_empty]
        if len(pieces) == 1:
            part_group.append(g)
            part_geom.append(pieces[0])
            part_faces.append(list(members))
            continue
        piece_arr = np.array(pieces, dtype=object)
        owner = shapely.STRtree(piece_arr)
        f_idx, p_idx = owner.query(points[members], predicate="intersects")
        face_piece: dict[int, int] = {}
        for fi, pi in zip(f_idx.tolist(), p_idx.tolist()):
            face_piece.setdefault(fi, pi)
        for fi in range(len(members)):
            if fi not in face_piece:  # a point on a hair-thin face may miss by rounding: take the nearest
                face_piece[fi] = int(owner.nearest(points[members[fi]]))
        assigned: dict[int, list[int]] = defaultdict(list)
        for fi, pi in sorted(face_piece.items()):
            assigned[pi].append(members[fi])
        for pi, piece in enumerate(pieces):
            part_group.append(g)
            part_geom.append(piece)
            part_faces.append(assigned.get(pi, []))

    part_arr = np.array(part_geom, dtype=object)
    part_area = area_m2(part_arr, gk) if len(part_arr) else np.zeros(0)
    log: list[MergeRecord] = []
    root = list(range(len(part_geom)))
    root_area = {i: float(a) for i, a in enumerate(part_area)}

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    def protected(g: int) -> bool:
        return group_keys[g][2] in options.protected

    small = [i for i, a in enumerate(part_area) if a < options.min_area]
    # shared boundary lengths between each small part and its neighbours (metres, in the GK zone)
    adjacency: dict[int, dict[int, float]] = defaultdict(dict)
    if small and len(part_geom) > 1:
        part_tree = shapely.STRtree(part_arr)
        for i in small:
            for j in part_tree.query(part_arr[i], predicate="intersects").tolist():
                if j == i or j in adjacency[i]:
                    continue
                shared = shapely.intersection(part_arr[i].boundary, part_arr[j].boundary)
                length = float(length_m(shared, gk)) if not shared.is_empty else 0.0
                if length > 0:
                    adjacency[i][j] = length
                    adjacency[j][i] = length
    members_of = {i: [i] for i in range(len(part_geom))}
    heap = [(root_area[i], i) for i in small]
    heapq.heapify(heap)
    while heap:
        area, i = heapq.heappop(heap)
        if find(i) != i or root_area[i] != area or area >= options.min_area:
            continue
        g = part_group[i]
        if protected(g):
            log.append(
                _record(
                    county,
                    "kept_protected",
                    group_keys[g],
                    area,
                    part_geom[i],
                    reason="protected subtype is never absorbed",
                )
            )
            continue
        totals: dict[int, float] = defaultdict(float)
        for member in members_of[i]:
            for j, length in adjacency[member].items():
                rj = find(j)
                if rj != i:
                    totals[rj] += length
        if not totals:
            log.append(
                _record(
                    county,
                    "kept_no_neighbour",
                    group_keys[g],
                    area,
                    part_geom[i],
                    reason="fragment with no neighbour in the county",
                )
            )
            continue
        target = max(totals, key=lambda r: (totals[r], -group_keys[part_group[r]][0], -r))
        record = _record(
            county,
            "merged",
            group_keys[g],
            area,
            dissolve([part_geom[m] for m in members_of[i]]),
            reason=f"fragment under {options.min_area:g} m2",
        )
        record.into_class = group_keys[part_group[target]][0]
        record.into_subtype = group_keys[part_group[target]][2]
        record.shared_m = totals[target]
        record._into_part = target
        log.append(record)
        root[i] = target
        members_of[target].extend(members_of.pop(i))
        root_area[target] += area
        if root_area[target] < options.min_area and not protected(part_group[target]):
            heapq.heappush(heap, (root_area[target], target))

    # units: per group (multipart) or per merged part
    unit_faces: dict[tuple, list[int]] = defaultdict(list)
    unit_of_root: dict[int, tuple] = {}
    for i in range(len(part_geom)):
        r = find(i)
        key = (part_group[r], r) if options.split_parts else (part_group[r], -1)
        unit_faces[key].extend(part_faces[i])
        unit_of_root[r] = key
    zone_codes_of_face = [[clipped[z][0].code for z in covering[f]] for f in range(len(faces))]
    drafts = []
    for key, face_ids in unit_faces.items():
        if not face_ids:
            continue
        geom = _drop_dust_parts(dissolve([faces[f] for f in face_ids]), gk, county, group_keys[key[0]], log)
        codes = sorted({c for f in face_ids for c in zone_codes_of_face[f]})
        drafts.append((key, geom, codes))
    units, retired = _code_units(county, drafts, group_keys, taxonomy, gk, options, list(previous))
    code_of_key = {key: unit.code for key, unit in zip([d[0] for d in drafts], units)}
    for record in log:
        if record.action == "merged":
            record.into_code = code_of_key.get(unit_of_root[find(record._into_part)], "")
    for unit in units:
        if unit.area_m2 < options.review_area:
            unit.note = f"面积小于{options.review_area / 1e6:g}平方公里，请复核 (unit under review area)"
            log.append(
                MergeRecord(
                    county.code,
                    "review_small_unit",
                    unit.unit_class,
                    unit.subtype,
                    unit.name,
                    unit.area_m2,
                    into_code=unit.code,
                    reason=f"unit under {options.review_area:g} m2: review",
                    geom=unit.geom,
                )
            )
    units.sort(key=lambda u: u.code)
    return CountyResult(county, units, log, len(faces), retired)


# a separate part under 1 m2 and on average under 1 mm wide is floating-point dust, not land
PART_DUST_M2 = 1.0
PART_DUST_WIDTH_M = 0.001


def _drop_dust_parts(geom, gk: int, county: County, group_key: tuple, log: list) -> BaseGeometry:
    """Leave out (and log) separate parts of a unit that are dust: slivers micrometres wide between nearly
    coincident zone edges, which no union can join to their unit."""
    pieces = list(shapely.get_parts(geom))
    if len(pieces) < 2:
        return geom
    arr = np.array(pieces, dtype=object)
    areas = area_m2(arr, gk)
    widths = 2 * areas / np.maximum(length_m(arr, gk), 1e-12)
    dust = (areas < PART_DUST_M2) & (widths < PART_DUST_WIDTH_M)
    keep = [p for p, d in zip(pieces, dust) if not d]
    if not keep or len(keep) == len(pieces):
        return geom
    for piece, area in zip(pieces, areas):
        if area < PART_DUST_M2:
            log.append(
                _record(
                    county,
                    "dropped_dust",
                    group_key,
                    float(area),
                    piece,
                    reason=f"floating-point dust under {PART_DUST_M2:g} m2",
                )
            )
    return shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0]


def _record(county: County, action: str, group_key: tuple, area: float, geom, reason: str) -> MergeRecord:
    return MergeRecord(county.code, action, group_key[0], group_key[2], group_key[3], area, reason=reason, geom=geom)


def _code_units(
    county, drafts, group_keys, taxonomy: Taxonomy, gk: int, options: Options, previous: list[PreviousUnit]
):
    """Codes per (county, class). Without a previous version: serials from 0001 in a deterministic order
    (precedence, feature name, then north-to-south and west-to-east by a point inside the unit). With one:
    a unit keeps the code of the previous unit it matches (a named unit by its name, any unit by an overlap
    of at least `match_share` of the larger of the two; a split keeps the code on the largest part), and new
    units get serials after the highest ever used in their county and class. Returns (units, retired)."""
    ordered = []
    for key, geom, codes in drafts:
        g = group_keys[key[0]]
        x, y = representative_xy(geom)
        ordered.append(((g[0], g[1], g[3], -round(y, 7), round(x, 7)), key, geom, codes))
    ordered.sort(key=lambda item: item[0])
    units = []
    for _sort_key, key, geom, codes in ordered:
        unit_class, _, subtype, feature = group_keys[key[0]]
        name = _unit_name(county, unit_class, subtype, feature, taxonomy)
        units.append(
            Unit("", name, unit_class, subtype, county, geom, float(area_m2(geom, gk)), codes, feature_name=feature)
        )
    retired = _keep_previous_codes(units, previous, gk, options.match_share)
    highest: dict[int, int] = defaultdict(int)
    for unit in previous:
        highest[unit.unit_class] = max(highest[unit.unit_class], unit.serial, unit.max_serial)
    for unit in units:
        if unit.code:
            highest[unit.unit_class] = max(highest[unit.unit_class], int(unit.code[9:]))
    width: dict[int, int] = defaultdict(lambda: 4)  # serial digits: a province's 14-character codes keep 5
    for unit in previous:
        width[unit.unit_class] = max(width[unit.unit_class], len(unit.code) - 9)
    for unit in units:
        if not unit.code:
            highest[unit.unit_class] += 1
            unit.code = f"ZH{county.code}{unit.unit_class}{highest[unit.unit_class]:0{width[unit.unit_class]}d}"
    for unit in units:
        unit.max_serial = highest[unit.unit_class]
    # same name twice (split parts, or two patches of one subtype): number them in code order
    names: dict[str, int] = defaultdict(int)
    for unit in units:
        names[unit.name] += 1
    counters: dict[str, int] = defaultdict(int)
    for unit in sorted(units, key=lambda u: u.code):
        if names[unit.name] > 1:
            counters[unit.name] += 1
            unit.name = f"{unit.name}{counters[unit.name]}"
    # restore draft order so callers can map draft keys to codes
    by_key = {key: unit for (_, key, _, _), unit in zip(ordered, units)}
    return [by_key[key] for key, _, _ in drafts], retired


def _keep_previous_codes(units: list[Unit], previous: list[PreviousUnit], gk: int, share: float) -> list[PreviousUnit]:
    if not previous:
        return []
    taken: set[str] = set()
    # a named unit (park, urban area) is the same unit when it has the same name, even if it moved
    for unit in units:
        if unit.feature_name:
            same = sorted(
                p.code
                for p in previous
                if p.unit_class == unit.unit_class and p.name == unit.name and p.code not in taken
            )
            if same:
                unit.code, unit.kept_from = same[0], "name"
                taken.add(same[0])
    candidates = [p for p in previous if p.code not in taken]
    if candidates:
        tree = shapely.STRtree(np.array([p.geom for p in candidates], dtype=object))
        previous_area = area_m2(np.array([p.geom for p in candidates], dtype=object), gk)
        pairs = []
        for n, unit in enumerate(units):
            if unit.code:
                continue
            for i in tree.query(unit.geom, predicate="intersects").tolist():
                if candidates[i].unit_class != unit.unit_class:
                    continue
                overlap = float(area_m2(polygonal(shapely.intersection(unit.geom, candidates[i].geom)), gk))
                if overlap >= share * max(unit.area_m2, float(previous_area[i])):
                    pairs.append((-overlap, candidates[i].code, n))
        for _, code, n in sorted(pairs):  # largest overlaps first: a split keeps the code on its largest part
            if code not in taken and not units[n].code:
                units[n].code, units[n].kept_from = code, "overlap"
                taken.add(code)
    return sorted((p for p in previous if p.code not in taken), key=lambda p: p.code)


def _unit_name(county: County, unit_class: int, subtype: str, feature: str, taxonomy: Taxonomy) -> str:
    class_label = {1: "优先保护单元", 2: "重点管控单元", 3: "一般管控单元"}[unit_class]
    if feature:
        return f"{feature}{class_label}"
    if subtype == UNCOVERED:
        return f"{county.name or county.code}{class_label}"
    label = taxonomy.subtype_label(subtype)
    return f"{county.name or county.code}{label}{class_label}"
