"""Admin areas (counties with 6-digit GB/T 2260 codes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from .errors import InputError
from .geometry import repair
from .schema import normalize_county_code

CODE_RE = re.compile(r"^\d{6}$")


@dataclass
class County:
    code: str
    geom: BaseGeometry
    name: str = ""
    city: str = ""
    prov: str = ""
    fid: int | None = None


def normalize_code(value) -> str | None:
    """A 6-digit county code as text; integers, floats (230102.0) and full-width digits are accepted."""
    return normalize_county_code(value)


def build_counties(rows, layer_name: str = "admin layer") -> tuple[list[County], list[str]]:
    """rows: iterable of (fid, geometry, code, name, city, prov). Returns counties and repair notes.

    Raises InputError naming the feature when a code is missing, malformed or repeated."""
    counties: dict[str, County] = {}
    notes: list[str] = []
    for fid, geom, code_value, name, city, prov in rows:
        code = normalize_code(code_value)
        if code is None:
            raise InputError(
                f"{layer_name}: feature {fid} has county code '{code_value}', which is not a 6-digit GB/T 2260 "
                "code. Fix the value or choose the field that holds the 6-digit codes."
            )
        fixed, note = repair(geom)
        if fixed.is_empty:
            raise InputError(f"{layer_name}: feature {fid} (county {code}) has no polygon area ({note}).")
        if note:
            notes.append(f"{layer_name}: feature {fid} (county {code}) repaired: {note}")
        if code in counties:
            raise InputError(
                f"{layer_name}: features {counties[code].fid} and {fid} both have county code {code}. "
                "Dissolve the admin layer by code first (each county must be one feature)."
            )
        counties[code] = County(code, fixed, str(name or ""), str(city or ""), str(prov or ""), fid)
    if not counties:
        raise InputError(f"{layer_name} has no features: choose the county layer of the area to delineate.")
    ordered = [counties[c] for c in sorted(counties)]
    notes += county_overlaps(ordered, layer_name)
    return ordered, notes


OVERLAP_REFUSED_M2 = 10_000.0  # counties overlapping by more than 1 ha (or 0.01 % of the smaller) are refused
OVERLAP_NOTED_M2 = 1.0


def county_overlaps(counties: list[County], layer_name: str) -> list[str]:
    """Notes on counties that overlap a little (digitizing seams); InputError when they overlap materially:
    each unit would be made twice there and the units would add up to more than the area."""
    import numpy as np
    import shapely

    from .geometry import interiors_meet, polygonal
    from .projection import area_m2

    if len(counties) < 2:
        return []
    geoms = np.array([c.geom for c in counties], dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    upper = left < right
    left, right = left[upper], right[upper]
    meet = interiors_meet(geoms[left], geoms[right])
    notes = []
    for i, j in zip(left[meet].tolist(), right[meet].tolist()):
        a, b = counties[i], counties[j]
        area = float(area_m2(polygonal(shapely.intersection(a.geom, b.geom))))
        smaller = min(float(area_m2(a.geom)), float(area_m2(b.geom)))
        if area > max(OVERLAP_REFUSED_M2, 1e-4 * smaller):
            raise InputError(
                f"{layer_name}: counties {a.code} (feature {a.fid}) and {b.code} (feature {b.fid}) overlap by "
                f"{area / 1e6:.3f} km² ({100 * area / smaller:.2f} % of the smaller): every unit there would be "
                "counted twice. Fix the county boundaries (they must not overlap) and run again."
            )
        if area > OVERLAP_NOTED_M2:
            notes.append(f"{layer_name}: counties {a.code} and {b.code} overlap by {area:.1f} m² (left as they are)")
    return notes
