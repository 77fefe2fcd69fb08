"""Geometry helpers: repair, polygon extraction, coverage dissolve. Pure shapely 2."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

EMPTY = MultiPolygon()


def polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    """The polygonal part of a geometry (drops points and lines a repair or overlay may leave)."""
    if geom is None or geom.is_empty:
        return EMPTY
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, (Polygon, MultiPolygon))]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts)


def repair(geom: BaseGeometry | None) -> tuple[BaseGeometry, str]:
    """Return a valid polygonal geometry and a note on what was wrong ('' when nothing was)."""
    if geom is None or geom.is_empty:
        return EMPTY, "empty geometry"
    note = ""
    if not geom.is_valid:
        note = shapely.is_valid_reason(geom)
        # 'structure' keeps the area a user drew (a bow-tie stays two triangles, holes stay holes).
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    fixed = polygonal(geom)
    if fixed.is_empty:
        return EMPTY, (note + "; " if note else "") + "no polygon area left"
    return fixed, note


def dissolve(geoms) -> BaseGeometry:
    """Union of polygons that form a coverage (faces of one arrangement): fast and exact."""
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return EMPTY
    if len(geoms) == 1:
        return geoms[0]
    try:
        result = shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        result = shapely.union_all(geoms)
    if not result.is_valid:  # coverage union trusts its input; fall back when that trust was misplaced
        result = shapely.union_all(geoms)
    return polygonal(result)


def as_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom]) if not geom.is_empty else EMPTY
    return MultiPolygon([p for p in shapely.get_parts(polygonal(geom)) if isinstance(p, Polygon)])


def parts(geom: BaseGeometry) -> list[Polygon]:
    return [p for p in shapely.get_parts(polygonal(geom)) if not p.is_empty]


def normalized_wkb(geom: BaseGeometry) -> bytes:
    """A key equal for geometries that are the same shape, whatever their vertex order or start."""
    return shapely.to_wkb(shapely.normalize(geom), output_dimension=2)


def representative_xy(geom: BaseGeometry) -> tuple[float, float]:
    point = shapely.point_on_surface(geom)
    return float(point.x), float(point.y)


def as_array(geoms) -> np.ndarray:
    return np.asarray(geoms, dtype=object)
