"""CGCS2000 3-degree Gauss–Krüger projection, in numpy, for measuring areas and lengths in metres.

Domain rule: areas are never measured in degrees but in the CGCS2000 3-degree Gauss–Krüger zone
of the county (EPSG:4513 + zone − 25; zone = round(lon / 3); central meridian 3 × zone; k0 = 1;
false easting zone × 1,000,000 + 500,000 m; false northing 0). Inputs are CGCS2000 geographic
(EPSG:4490) with x = longitude, y = latitude, as QGIS and shapely order them.

The projection is the Krüger series to order n^6 (C. F. F. Karney, "Transverse Mercator with an
accuracy of a few nanometers", J. Geodesy 85, 2011, eqs. 7–36): nanometre-level within the zone,
so it agrees with PROJ (tests/qgis/test_projection_vs_proj.py) while needing neither PROJ nor QGIS,
which keeps core testable and lets one numpy call project a whole province of vertices.
"""

from __future__ import annotations

import math
from typing import Callable, Union

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

GeomOrArray = Union[shapely.Geometry, ArrayLike]

# CGCS2000 ellipsoid. PROJ defines EPSG:4513–4533 on GRS80 (1/f = 298.257222100882…): < 0.1 µm apart.
A_AXIS = 6378137.0
INV_F = 298.257222101
_F = 1.0 / INV_F
_E2 = _F * (2.0 - _F)
_E = math.sqrt(_E2)
_N = _F / (2.0 - _F)  # third flattening: the series converge fast because n ≈ 1.7e-3

# Rectifying radius (Karney eq. 14): a meridian arc in radians of ξ times this is metres.
_RECT = A_AXIS / (1.0 + _N) * (1.0 + _N**2 / 4.0 + _N**4 / 64.0 + _N**6 / 256.0)


def _poly(coeffs: tuple[float, ...], power: int) -> float:
    """Σ coeffs[i] · n^(power + i): one Krüger coefficient from its Karney eq. 35/36 row."""
    return sum(c * _N ** (power + i) for i, c in enumerate(coeffs))


# Karney eq. 35: conformal ζ' -> Gauss–Krüger ζ (forward).
_ALPHA = (
    _poly((1 / 2, -2 / 3, 5 / 16, 41 / 180, -127 / 288, 7891 / 37800), 1),
    _poly((13 / 48, -3 / 5, 557 / 1440, 281 / 630, -1983433 / 1935360), 2),
    _poly((61 / 240, -103 / 140, 15061 / 26880, 167603 / 181440), 3),
    _poly((49561 / 161280, -179 / 168, 6601661 / 7257600), 4),
    _poly((34729 / 80640, -3418889 / 1995840), 5),
    _poly((212378941 / 319334400,), 6),
)
# Karney eq. 36: Gauss–Krüger ζ -> conformal ζ' (inverse).
_BETA = (
    _poly((1 / 2, -2 / 3, 37 / 96, -1 / 360, -81 / 512, 96199 / 604800), 1),
    _poly((1 / 48, 1 / 15, -437 / 1440, 46 / 105, -1118711 / 3870720), 2),
    _poly((17 / 480, -37 / 840, -209 / 4480, 5569 / 90720), 3),
    _poly((4397 / 161280, -11 / 504, -830251 / 7257600), 4),
    _poly((4583 / 161280, -108847 / 3991680), 5),
    _poly((20648693 / 638668800,), 6),
)

FIRST_EPSG_ZONE, LAST_EPSG_ZONE = 25, 45  # EPSG:4513 … EPSG:4533 cover lon 73.5°–136.5° (all of China)


def gk_zone(lon: float) -> int:
    """3-degree zone of a longitude: round(lon / 3), halves rounded away from zero.

    Python's round() would send 127.5° (lon/3 = 42.5) to the even zone 42; away-from-zero picks 43.
    Either is a valid GK zone for a point on the edge; away-from-zero is just deterministic and
    independent of the parity of the zone.
    """
    q = abs(float(lon)) / 3.0
    if not math.isfinite(q):
        raise ValueError(f"longitude {lon!r} is not a finite number")
    return int(math.copysign(math.floor(q + 0.5), lon))


def gk_epsg(zone: int) -> int:
    """EPSG code of the CGCS2000 3-degree GK zone with zone number in the false easting (4513 + zone − 25)."""
    if not FIRST_EPSG_ZONE <= zone <= LAST_EPSG_ZONE:
        raise ValueError(f"3-degree zone {zone} has no CGCS2000 EPSG code (zones {FIRST_EPSG_ZONE}–{LAST_EPSG_ZONE})")
    return 4513 + int(zone) - FIRST_EPSG_ZONE


def central_meridian(zone: int) -> float:
    """Longitude of the zone's central meridian, degrees."""
    return 3.0 * zone


def false_easting(zone: int) -> float:
    """False easting of the zone in metres: the zone number is prefixed to the easting, as in EPSG:4513–4533."""
    return zone * 1_000_000.0 + 500_000.0


def zone_for_geometry(geom: shapely.Geometry) -> int:
    """Zone of the centre of the geometry's bounding box (cheap, and equal to the centroid's zone except for
    shapes that straddle a zone edge, where either zone is acceptable)."""
    if geom is None or shapely.is_empty(geom):
        raise ValueError("an empty geometry has no Gauss–Krüger zone")
    xmin, _, xmax, _ = shapely.bounds(geom)
    return gk_zone((xmin + xmax) / 2.0)


def _zones_of(geoms: NDArray) -> NDArray:
    """Vectorised zone_for_geometry; empty/None geometries get zone 0 (they have no vertices to project)."""
    b = shapely.bounds(geoms)
    cx = (b[..., 0] + b[..., 2]) / 2.0
    cx = np.where(np.isfinite(cx), cx, 0.0)
    return (np.sign(cx) * np.floor(np.abs(cx) / 3.0 + 0.5)).astype(np.int64)


def _sin_series(xi: NDArray, eta: NDArray, coeffs: tuple[float, ...]) -> NDArray:
    """Σ c_j sin(2jζ) for ζ = ξ + iη by Clenshaw summation (b_k = c_k + 2cos(2ζ) b_(k+1) − b_(k+2)).

    sin 2ζ and cos 2ζ are assembled from real sin/cos/sinh/cosh: numpy's complex sin is ~30× slower.
    """
    s, c = np.sin(2.0 * xi), np.cos(2.0 * xi)
    sh, ch = np.sinh(2.0 * eta), np.cosh(2.0 * eta)
    two_cos = 2.0 * (c * ch - 1j * (s * sh))
    b1: NDArray | float = 0.0
    b2: NDArray | float = 0.0
    for k in reversed(coeffs):
        b1, b2 = k + two_cos * b1 - b2, b1
    return (s * ch + 1j * (c * sh)) * b1


def _hyp(x: NDArray) -> NDArray:
    """sqrt(1 + x²): np.hypot(1, x) is ~10× slower here, and x² overflows only within 1e-154 rad of a pole."""
    return np.sqrt(1.0 + x * x)


def _taup(tau: NDArray) -> NDArray:
    """tan of the conformal latitude from tan of the geographic one (Karney eqs. 7–9), exact, no series."""
    sig = np.sinh(_E * np.arctanh(_E * tau / _hyp(tau)))
    return tau * _hyp(sig) - sig * _hyp(tau)


def forward(lon: ArrayLike, lat: ArrayLike, zone: int) -> tuple[NDArray, NDArray]:
    """Geographic CGCS2000 degrees -> GK easting x (with the zone's false easting) and northing y, metres."""
    lam = np.radians(np.asarray(lon, dtype=float) - central_meridian(zone))
    taup = _taup(np.tan(np.radians(np.asarray(lat, dtype=float))))
    cos_lam = np.cos(lam)
    # Spherical transverse Mercator of the conformal sphere (eq. 10) as ζ' = ξ' + iη' …
    xip = np.arctan2(taup, cos_lam)
    etap = np.arcsinh(np.sin(lam) / np.sqrt(taup * taup + cos_lam * cos_lam))
    # … mapped to the ellipsoidal ζ = ξ + iη by the Krüger series (eq. 11, coefficients eq. 35).
    z = xip + 1j * etap + _sin_series(xip, etap, _ALPHA)
    return false_easting(zone) + _RECT * z.imag, _RECT * z.real


def inverse(x: ArrayLike, y: ArrayLike, zone: int) -> tuple[NDArray, NDArray]:
    """GK easting/northing in metres (with the zone's false easting) -> geographic CGCS2000 degrees."""
    z = (np.asarray(y, dtype=float) + 1j * (np.asarray(x, dtype=float) - false_easting(zone))) / _RECT
    zp = z - _sin_series(z.real, z.imag, _BETA)  # eq. 36
    sinh_etap, cos_xip = np.sinh(zp.imag), np.cos(zp.real)
    taup = np.sin(zp.real) / np.sqrt(sinh_etap * sinh_etap + cos_xip * cos_xip)
    lam = np.arctan2(sinh_etap, cos_xip)
    # τ from τ' by Newton's method (eqs. 19–21); converges to double precision in 2–3 steps.
    tau = taup / (1.0 - _E2)
    for _ in range(5):
        taui = _taup(tau)
        dtau = (taup - taui) / _hyp(taui) * (1.0 + (1.0 - _E2) * tau * tau) / ((1.0 - _E2) * _hyp(tau))
        tau = tau + dtau
        if not np.any(np.abs(dtau) > 1e-15 * np.maximum(1.0, np.abs(tau))):
            break
    return central_meridian(zone) + np.degrees(lam), np.degrees(np.arctan(tau))


# Vertices per numpy pass in to_gk/from_gk: ~20 temporaries of this size stay in CPU cache, which makes
# a province of vertices ~1.5× faster than one pass over all of them.
_CHUNK = 65536


def _apply_xy(func: Callable[[NDArray, NDArray, int], tuple[NDArray, NDArray]], xy: NDArray, zone: int) -> NDArray:
    out = np.empty_like(xy)
    for i in range(0, len(xy), _CHUNK):
        a, b = func(xy[i : i + _CHUNK, 0], xy[i : i + _CHUNK, 1], zone)
        out[i : i + _CHUNK, 0], out[i : i + _CHUNK, 1] = a, b
    return out


def to_gk(geoms: GeomOrArray, zone: int) -> GeomOrArray:
    """Project lon/lat geometry (or array of them) into GK zone `zone`; 2D out, empties and None kept."""
    return shapely.transform(geoms, lambda xy: _apply_xy(forward, xy, zone))


def from_gk(geoms: GeomOrArray, zone: int) -> GeomOrArray:
    """Inverse of to_gk."""
    return shapely.transform(geoms, lambda xy: _apply_xy(inverse, xy, zone))


# Edges are straight in lon/lat, not in GK: a long edge measured by its end points alone depends on where
# other vertices happen to be (a county edge split by a zone's node gains ~6,000 m2 per 8 km). Densifying
# to ~200 m makes the measure independent of vertex placement (error < 0.1 m2 per vertex).
DENSIFY_DEG = 0.002


def _per_zone(values_of, lonlat: NDArray, zones: NDArray) -> NDArray:
    """values_of(projected geometries) for lon/lat geometries, one shapely.transform per zone present."""
    out = np.zeros(len(lonlat), dtype=float)
    for z in np.unique(zones):
        sel = zones == z
        out[sel] = values_of(to_gk(lonlat[sel], int(z)))
    return out


def _zones(arr: NDArray, zone: int | None) -> NDArray:
    if zone is not None:
        return np.full(len(arr), zone, dtype=int)
    zones = np.zeros(len(arr), dtype=int)
    present = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    if present.any():
        zones[present] = _zones_of(arr[present])
    return zones


def _areas(arr: NDArray, zone: int | None, densify: float | None) -> NDArray:
    # Rings, not polygons, are densified and measured: GEOS densifies a polygon and then "repairs" it with
    # buffer(0), which can silently return an empty polygon; a ring's shoelace area needs no validity.
    zones = _zones(arr, zone)
    polys, owner = shapely.get_parts(arr, return_index=True)
    keep = shapely.get_type_id(polys) == 3
    polys, owner = polys[keep], owner[keep]
    out = np.zeros(len(arr), dtype=float)
    if len(polys) == 0:
        return out
    rings, owners, signs = [shapely.get_exterior_ring(polys)], [owner], [np.ones(len(polys))]
    holes = shapely.get_num_interior_rings(polys)
    for i in range(int(holes.max())):
        sel = holes > i
        rings.append(shapely.get_interior_ring(polys[sel], i))
        owners.append(owner[sel])
        signs.append(-np.ones(int(sel.sum())))
    ring_arr, ring_owner, ring_sign = np.concatenate(rings), np.concatenate(owners), np.concatenate(signs)
    if densify:
        ring_arr = shapely.segmentize(ring_arr, densify)
    ring_areas = _per_zone(lambda g: shapely.area(shapely.polygons(g)), ring_arr, zones[ring_owner])
    np.add.at(out, ring_owner, ring_sign * ring_areas)
    return out


def _lengths(arr: NDArray, zone: int | None, densify: float | None) -> NDArray:
    zones = _zones(arr, zone)
    parts, owner = shapely.get_parts(arr, return_index=True)
    types = shapely.get_type_id(parts)
    lines = np.where(types == 3, shapely.boundary(np.where(types == 3, parts, None)), parts)
    out = np.zeros(len(arr), dtype=float)
    if len(lines) == 0:
        return out
    if densify:
        lines = shapely.segmentize(lines, densify)
    np.add.at(out, owner, _per_zone(shapely.length, lines, zones[owner]))
    return out


def _measure(geoms: GeomOrArray, zone: int | None, measure, densify: float | None) -> float | NDArray:
    if isinstance(geoms, shapely.Geometry):
        return float(measure(np.array([geoms], dtype=object), zone, densify)[0])
    arr = np.asarray(geoms, dtype=object)
    result = measure(arr.ravel(), zone, densify).reshape(arr.shape)
    result[shapely.is_missing(arr)] = np.nan
    return result


def area_m2(geoms: GeomOrArray, zone: int | None = None, densify: float | None = DENSIFY_DEG) -> float | NDArray:
    """Planar area in m² in GK zone `zone` (None: each geometry's own zone). Float for one geometry, else array.
    Edges longer than `densify` degrees are split first (None: measure the vertices as they are)."""
    return _measure(geoms, zone, _areas, densify)


def length_m(geoms: GeomOrArray, zone: int | None = None, densify: float | None = DENSIFY_DEG) -> float | NDArray:
    """Planar length (polygon: perimeter) in m in GK zone `zone` (None: each geometry's own zone)."""
    return _measure(geoms, zone, _lengths, densify)
