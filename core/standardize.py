"""Turn one raw element layer into standard element zones (repaired, clipped, split at county lines, coded).

Element-zone code (docs/domain-rules.md §4, default): YS + county + element digit + class digit + 4-digit serial.
Serials are allotted in blocks of 1000 per subtype inside (county, element, class), ordered by the
taxonomy's rank: zones of one element standardized in separate runs (e.g. the red line and the general
ecological space, both ecology class 1) still get distinct codes, and a code tells its subtype.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .admin import County
from .errors import InputError
from .geometry import cpu_count, interiors_meet, normalized_wkb, parts, polygonal, repair, representative_xy, threaded
from .projection import area_m2, zone_for_geometry
from .taxonomy import Taxonomy

SERIAL_BLOCK = 1000
MIN_PIECE_M2 = 1.0  # pieces smaller than this after clipping are numerical dust, reported and dropped


@dataclass
class RawFeature:
    fid: int
    geom: BaseGeometry | None
    key: str
    name: str = ""


@dataclass
class ZoneFeature:
    code: str
    name: str
    element: str
    key: str
    zone_class: int
    county: str
    src_fid: int
    geom: BaseGeometry


@dataclass
class ReportRow:
    src_fid: int
    action: str  # repaired | empty | no_area | duplicate | clipped | dust | split | overlap
    detail: str
    area_m2: float = 0.0


def repair_rows(features: list[RawFeature], repairs: dict) -> list[ReportRow]:
    """Report rows of the repairs made when the layer was read ({fid: GEOS reason}, in the layer's CRS)."""
    rows = []
    for feature in features:
        if feature.fid in repairs:
            if feature.geom is None or feature.geom.is_empty:
                rows.append(ReportRow(feature.fid, "no_area", f"dropped: {repairs[feature.fid]}; no polygon area left"))
            else:
                area = float(area_m2(feature.geom))
                rows.append(ReportRow(feature.fid, "repaired", f"{repairs[feature.fid]}; area {area:.1f} m2", area))
    return rows


def parse_value_map(text: str, taxonomy: Taxonomy) -> dict[str, str]:
    """'优先:water_priority;工业:water_industrial' -> {value: key}; unknown keys are an error."""
    mapping: dict[str, str] = {}
    for item in (text or "").replace("；", ";").split(";"):
        if not item.strip():
            continue
        sep = ":" if ":" in item else ("：" if "：" in item else "=")
        if sep not in item:
            raise InputError(f"VALUE_MAP entry '{item}' has no ':'; write it as value:subtype_key")
        value, key = item.rsplit(sep, 1)
        key = key.strip()
        if key not in taxonomy.zones:  # a Chinese or English subtype name is as good as its key
            key = next((k for k, z in taxonomy.zones.items() if key.casefold() in (z.zh, z.en.casefold())), key)
        if key not in taxonomy.zones:
            raise InputError(
                f"VALUE_MAP maps '{value.strip()}' to unknown subtype '{key}'. "
                f"Known subtypes: {', '.join(taxonomy.ordered_keys())}"
            )
        mapping[value.strip()] = key
    if not mapping:
        raise InputError("VALUE_MAP is empty: write it as value:subtype_key;value:subtype_key")
    return mapping


def subtype_serial_base(taxonomy: Taxonomy, key: str) -> int:
    zone = taxonomy.zones[key]
    siblings = sorted(
        (z for z in taxonomy.zones.values() if z.element == zone.element and z.zone_class == zone.zone_class),
        key=lambda z: z.rank,
    )
    index = [z.key for z in siblings].index(key)
    return index * SERIAL_BLOCK


def standardize(
    features: list[RawFeature],
    counties: list[County],
    taxonomy: Taxonomy,
    is_canceled=lambda: False,
    progress=lambda fraction: None,
) -> tuple[list[ZoneFeature], list[ReportRow]]:
    report: list[ReportRow] = []
    for feature in features:
        if feature.key not in taxonomy.zones:
            raise InputError(f"feature {feature.fid}: unknown subtype '{feature.key}'")

    # 1. repair, drop empties and exact duplicates (same subtype, same shape)
    kept: list[tuple[RawFeature, BaseGeometry]] = []
    seen: dict[tuple[str, bytes], int] = {}
    for feature in features:
        fixed, note = repair(feature.geom)
        if fixed.is_empty:
            action = "empty" if note == "empty geometry" else "no_area"
            report.append(ReportRow(feature.fid, action, f"dropped: {note}"))
            continue
        if note:
            before = area_m2(polygonal(feature.geom)) if feature.geom is not None else 0.0
            report.append(
                ReportRow(
                    feature.fid, "repaired", f"{note}; area {before:.1f} -> {area_m2(fixed):.1f} m2", area_m2(fixed)
                )
            )
        key = (feature.key, normalized_wkb(fixed))
        if key in seen:
            report.append(
                ReportRow(
                    feature.fid, "duplicate", f"dropped: same shape and subtype as feature {seen[key]}", area_m2(fixed)
                )
            )
            continue
        seen[key] = feature.fid
        kept.append((feature, fixed))

    # 2. overlaps inside the layer are kept (delineation resolves them) but reported
    if kept:
        geoms = np.array([g for _, g in kept], dtype=object)
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        upper = left < right
        left, right = left[upper], right[upper]
        # neighbours of a partition touch along edges: only pairs whose interiors meet are intersected
        meet = interiors_meet(geoms[left], geoms[right])
        pairs = list(zip(left[meet].tolist(), right[meet].tolist()))
        if pairs:
            inter = shapely.intersection(geoms[[i for i, _ in pairs]], geoms[[j for _, j in pairs]])
            areas = area_m2(inter)
            for (i, j), area in zip(pairs, areas):
                if area > 1.0:
                    report.append(
                        ReportRow(
                            kept[i][0].fid,
                            "overlap",
                            f"overlaps feature {kept[j][0].fid} by {area:.1f} m2 (kept; precedence decides in delineation)",
                            float(area),
                        )
                    )

    # 3. clip to the admin area and split at county lines (vectorised: most features lie inside one county
    #    and need no overlay at all; only features on a county line are cut)
    county_geoms = np.array([c.geom for c in counties], dtype=object)
    county_zone = np.array([zone_for_geometry(c.geom) for c in counties])
    county_tree = shapely.STRtree(county_geoms)
    shapely.prepare(county_geoms)
    geoms = np.array([g for _, g in kept], dtype=object)
    progress(0.2)
    g_idx, c_idx = (
        county_tree.query(geoms, predicate="intersects") if len(geoms) else (np.zeros(0, int), np.zeros(0, int))
    )
    contained = shapely.contains(county_geoms[c_idx], geoms[g_idx])
    cut = ~contained
    piece_geoms = geoms[g_idx].copy()
    if cut.any():
        clipped = threaded(
            shapely.intersection, geoms[g_idx[cut]], county_geoms[c_idx[cut]], workers=cpu_count(), chunk=64
        )
        piece_geoms[cut] = [polygonal(g) for g in clipped]
    if is_canceled():
        return [], report
    progress(0.6)
    piece_area = np.zeros(len(piece_geoms))
    for zone in np.unique(county_zone[c_idx]) if len(c_idx) else []:
        sel = county_zone[c_idx] == zone
        piece_area[sel] = area_m2(piece_geoms[sel], int(zone))
    # what lies outside every county, for the features that were cut: the feature's area minus its pieces',
    # all measured in the feature's own zone (areas of different zones do not add up)
    outside_area: dict[int, float] = {}
    cut_features = np.unique(g_idx[cut])
    if len(cut_features):
        feature_zone = {int(g): zone_for_geometry(geoms[g]) for g in cut_features}
        pair_zone = np.array([feature_zone.get(int(g), 0) for g in g_idx])
        in_cut = np.isin(g_idx, cut_features)
        own_area = np.zeros(len(piece_geoms))
        for zone in np.unique(pair_zone[in_cut]):
            sel = in_cut & (pair_zone == zone)
            own_area[sel] = area_m2(piece_geoms[sel], int(zone))
        totals = {int(g): float(area_m2(geoms[g], feature_zone[int(g)])) for g in cut_features}
        for g in cut_features:
            outside_area[int(g)] = totals[int(g)] - float(own_area[g_idx == g].sum())
    pieces: dict[tuple[str, str, int], list[tuple[RawFeature, BaseGeometry]]] = defaultdict(list)
    by_feature: dict[int, list[int]] = defaultdict(list)
    for pair in np.lexsort((np.array([counties[i].code for i in c_idx], dtype=object), g_idx)) if len(g_idx) else []:
        by_feature[int(g_idx[pair])].append(int(pair))
    for g, (feature, geom) in enumerate(kept):
        got = []
        for pair in by_feature.get(g, []):
            county = counties[c_idx[pair]]
            piece = piece_geoms[pair]
            if piece.is_empty:
                continue
            if piece_area[pair] < MIN_PIECE_M2:
                report.append(
                    ReportRow(feature.fid, "dust", f"dropped a {piece_area[pair]:.4f} m2 piece in county {county.code}")
                )
                continue
            got.append(county.code)
            zone_type = taxonomy.zones[feature.key]
            pieces[(county.code, zone_type.element, zone_type.zone_class)].append((feature, piece))
        total = None
        if not got:
            total = float(area_m2(geom))
            report.append(ReportRow(feature.fid, "clipped", "dropped: lies entirely outside the admin area", total))
        elif outside_area.get(g, 0.0) > 1.0:
            outside = outside_area[g]
            total = float(area_m2(geom))
            report.append(
                ReportRow(
                    feature.fid,
                    "clipped",
                    f"{outside:.1f} m2 ({100 * outside / total:.2f} %) lies outside the admin area and was cut away",
                    outside,
                )
            )
        if len(got) > 1:
            report.append(
                ReportRow(feature.fid, "split", f"split at county lines into {len(got)} zones: {', '.join(got)}")
            )
    progress(0.9)

    # 4. code: deterministic order inside each (county, element, class): subtype block, then position
    zones: list[ZoneFeature] = []
    for (county_code, element, zone_class), items in sorted(pieces.items()):
        by_key: dict[str, list[tuple[RawFeature, BaseGeometry]]] = defaultdict(list)
        for feature, piece in items:
            by_key[feature.key].append((feature, piece))
        for key, members in sorted(by_key.items(), key=lambda kv: taxonomy.zones[kv[0]].rank):
            if len(members) >= SERIAL_BLOCK:
                raise InputError(
                    f"county {county_code} has {len(members)} zones of subtype '{key}'; at most "
                    f"{SERIAL_BLOCK - 1} fit the 4-digit serial. Dissolve the layer by subtype first."
                )
            base = subtype_serial_base(taxonomy, key)
            ordered = sorted(members, key=lambda m: _reading_order(m[1]) + (m[0].fid,))
            digit = taxonomy.elements[element].digit
            for serial, (feature, piece) in enumerate(ordered, start=base + 1):
                zones.append(
                    ZoneFeature(
                        code=f"YS{county_code}{digit}{zone_class}{serial:04d}",
                        name=feature.name or taxonomy.zones[key].zh,
                        element=element,
                        key=key,
                        zone_class=zone_class,
                        county=county_code,
                        src_fid=feature.fid,
                        geom=piece,
                    )
                )
    progress(1.0)
    return zones, report


def _reading_order(geom: BaseGeometry) -> tuple[float, float]:
    """North to south, then west to east: how a person numbers patches on a map."""
    x, y = representative_xy(geom)
    return (-round(y, 6), round(x, 6))


__all__ = ["RawFeature", "ZoneFeature", "ReportRow", "parse_value_map", "standardize", "parts"]
