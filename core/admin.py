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
    return [counties[c] for c in sorted(counties)], notes
