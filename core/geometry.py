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


def interiors_meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs whose interiors share an area (neighbours that only touch along an edge do not).

    GEOS before 3.13 computes relate on the old topology graph, which can throw on nearly coincident
    edges; such pairs are kept (the caller then intersects them) rather than lost."""
    if len(a) == 0:
        return np.zeros(0, bool)
    try:
        return shapely.relate_pattern(a, b, "2********")
    except shapely.errors.GEOSException:
        result = np.ones(len(a), bool)
        for n, (x, y) in enumerate(zip(a, b)):
            try:
                result[n] = shapely.relate_pattern(x, y, "2********")
            except shapely.errors.GEOSException:
                result[n] = True
        return result


def threaded(function, *arrays: np.ndarray, workers: int = 2, chunk: int = 256) -> np.ndarray:
    """function(*arrays) for element-wise shapely functions, in chunks on threads: GEOS releases the GIL."""
    n = len(arrays[0]) if arrays else 0
    if n < 2 * chunk or workers < 2:
        return function(*arrays)
    from concurrent.futures import ThreadPoolExecutor

    bounds = [(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(lambda se: function(*(a[se[0] : se[1]] for a in arrays)), bounds))
    return np.concatenate(parts)


def cpu_count() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


# --- the one validity check of foreign geometry (processing/adapter.read_features calls it) -------------------
DEFAULT_REPAIR_TOLERANCE = 0.01  # a repair may move at most 1 % of a feature's area before it is refused


class RepairRefusedError(ValueError):
    """A repair would change the answer: the rings can be read in two ways that differ materially."""


class GeometryRepair:
    """What a repair of one invalid polygon did: the GEOS reason, the area as drawn and as repaired (in the
    units² of the layer's CRS), and how far the two ways GEOS reads the rings differ (share of the area)."""

    __slots__ = ("reason", "area_before", "area_after", "ambiguity")

    def __init__(self, reason: str, area_before: float, area_after: float, ambiguity: float):
        self.reason = reason
        self.area_before = area_before
        self.area_after = area_after
        self.ambiguity = ambiguity

    @property
    def moved(self) -> float:
        return abs(self.area_after - self.area_before)


def check_polygon(geom: BaseGeometry | None, tolerance: float = DEFAULT_REPAIR_TOLERANCE):
    """(valid polygonal geometry, GeometryRepair or None) for a polygon read from a layer, in its own CRS.

    A valid geometry is returned as it is (None repair). An invalid one is repaired with make_valid keeping
    polygons only; when the two GEOS readings of its rings ('structure': union of the shells minus the holes,
    'linework': the faces the rings enclose an odd number of times) differ by more than `tolerance` of the
    area, no single repair is right and RepairRefusedError is raised (the caller names the feature)."""
    if geom is None or geom.is_empty:
        return geom, None
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_valid:
        return geom, None
    reason = shapely.is_valid_reason(geom)
    before = float(abs(shapely.area(geom)))
    structure = polygonal(shapely.make_valid(geom, method="structure", keep_collapsed=False))
    linework = polygonal(shapely.make_valid(geom, method="linework"))
    after = float(structure.area)
    largest = max(after, float(linework.area))
    ambiguity = float(shapely.symmetric_difference(structure, linework).area) / largest if largest > 0 else 0.0
    result = GeometryRepair(reason, before, after, ambiguity)
    if ambiguity > tolerance:
        raise RepairRefusedError(result)
    return (structure if after > 0 else EMPTY), result
