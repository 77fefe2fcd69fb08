"""core.projection against references that do not come from the code under test.

The references are the CGCS2000 ellipsoid itself: meridian arcs and ellipsoidal areas by Gauss–Legendre
integration of the radii of curvature, and the point scale of the transverse Mercator from Snyder's
independent series (USGS Professional Paper 1395, eq. 8-11).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from ecozoning.core.projection import (
    area_m2,
    central_meridian,
    forward,
    from_gk,
    gk_epsg,
    gk_zone,
    inverse,
    length_m,
    to_gk,
    zone_for_geometry,
)

A = 6378137.0
F = 1.0 / 298.257222101
E2 = F * (2.0 - F)
EP2 = E2 / (1.0 - E2)  # second eccentricity squared
NODES, WEIGHTS = np.polynomial.legendre.leggauss(64)  # exact for polynomials of degree 127; integrands are analytic


def _gauss(f, lo: float, hi: float) -> float:
    half, mid = (hi - lo) / 2.0, (hi + lo) / 2.0
    return half * float(np.sum(WEIGHTS * f(mid + half * NODES)))


def meridian_radius(phi):
    return A * (1.0 - E2) / (1.0 - E2 * np.sin(phi) ** 2) ** 1.5


def normal_radius(phi):
    return A / np.sqrt(1.0 - E2 * np.sin(phi) ** 2)


def meridian_arc(lat1: float, lat2: float) -> float:
    """Metres along the meridian between two latitudes (degrees): ∫ M dφ."""
    return _gauss(meridian_radius, math.radians(lat1), math.radians(lat2))


def ellipsoid_cell_area(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Area on the ellipsoid of a lon/lat cell: ∫∫ M N cos φ dφ dλ (the integrand does not depend on λ)."""
    return math.radians(lon2 - lon1) * _gauss(
        lambda p: meridian_radius(p) * normal_radius(p) * np.cos(p), math.radians(lat1), math.radians(lat2)
    )


def snyder_scale(lon: float, lat: float, lon0: float) -> float:
    """Point scale factor k of the transverse Mercator with k0 = 1 (Snyder eq. 8-11), series to A^6."""
    phi = math.radians(lat)
    a_ = math.radians(lon - lon0) * math.cos(phi)
    c = EP2 * math.cos(phi) ** 2
    t = math.tan(phi) ** 2
    return (
        1.0
        + (1.0 + c) * a_**2 / 2.0
        + (5.0 - 4.0 * t + 42.0 * c + 13.0 * c**2 - 28.0 * EP2) * a_**4 / 24.0
        + (61.0 - 148.0 * t + 16.0 * t**2) * a_**6 / 720.0
    )


def test_reference_cell_area_matches_closed_form():
    """Check the test oracle itself against the closed-form ellipsoidal zone area (authalic q function)."""
    e = math.sqrt(E2)

    def q(lat):
        s = math.sin(math.radians(lat))
        return s / (1.0 - E2 * s * s) - math.log((1.0 - e * s) / (1.0 + e * s)) / (2.0 * e)

    closed = A**2 * (1.0 - E2) / 2.0 * math.radians(0.01) * (q(45.01) - q(45.0))
    assert ellipsoid_cell_area(126.0, 45.0, 126.01, 45.01) == pytest.approx(closed, rel=1e-10)


def test_zones_and_epsg():
    assert gk_zone(126.6) == 42
    assert gk_epsg(42) == 4530
    assert central_meridian(42) == 126.0
    assert (gk_epsg(25), gk_epsg(45)) == (4513, 4533)
    assert gk_zone(127.4999) == 42
    assert gk_zone(127.5) == 43  # halves away from zero, not Python's round-half-even (which gives 42)
    assert gk_zone(73.6) == 25 and gk_zone(135.08) == 45  # China's westernmost and easternmost points
    with pytest.raises(ValueError):
        gk_epsg(46)
    with pytest.raises(ValueError):
        gk_zone(float("nan"))
    assert zone_for_geometry(box(126.2, 45.0, 126.8, 46.0)) == 42
    assert zone_for_geometry(box(130.0, 45.0, 131.0, 46.0)) == 44  # bounds centre 130.5 -> 43.5 -> 44
    with pytest.raises(ValueError):
        zone_for_geometry(Polygon())


def _heilongjiang_grid() -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.meshgrid(np.linspace(121.0, 135.0, 57), np.linspace(43.0, 54.0, 45))
    return lon.ravel(), lat.ravel()


def test_round_trip_heilongjiang():
    lon, lat = _heilongjiang_grid()
    for zone in range(40, 46):
        sel = np.array([gk_zone(v) == zone for v in lon])
        lon2, lat2 = inverse(*forward(lon[sel], lat[sel], zone), zone)
        assert np.abs(lon2 - lon[sel]).max() < 1e-9
        assert np.abs(lat2 - lat[sel]).max() < 1e-9


@pytest.mark.parametrize("zone", range(40, 46))
def test_round_trip_zone_edges(zone):
    lat = np.linspace(43.0, 54.0, 23)
    for dlon in (-1.5, 1.5, -3.0, 3.0):  # zone edges, and a zone width out for counties that overhang the edge
        lon = np.full_like(lat, central_meridian(zone) + dlon)
        x, y = forward(lon, lat, zone)
        lon2, lat2 = inverse(x, y, zone)
        assert np.abs(lon2 - lon).max() < 1e-9
        assert np.abs(lat2 - lat).max() < 1e-9
        x2, y2 = forward(lon2, lat2, zone)
        assert np.abs(x2 - x).max() < 1e-6 and np.abs(y2 - y).max() < 1e-6


def test_central_meridian_is_the_false_easting_and_the_meridian_arc():
    lat = np.array([0.0, 18.0, 43.0, 45.75, 50.0, 53.5, 54.0])
    for zone in (41, 42, 45):
        x, y = forward(np.full_like(lat, central_meridian(zone)), lat, zone)
        assert np.all(x == zone * 1_000_000 + 500_000)
        # k0 = 1: the northing on the central meridian is the meridian arc from the equator.
        arcs = np.array([meridian_arc(0.0, v) for v in lat])
        assert np.abs(y - arcs).max() < 1e-6


@pytest.mark.parametrize("lat1", [43.0, 47.5, 53.5])
def test_one_km_on_the_central_meridian(lat1):
    # Latitude 1000 m of meridian arc north of lat1, by Newton on the independent arc integral.
    lat2 = lat1
    for _ in range(5):
        lat2 += math.degrees((1000.0 - meridian_arc(lat1, lat2)) / meridian_radius(math.radians(lat2)))
    assert meridian_arc(lat1, lat2) == pytest.approx(1000.0, abs=1e-9)
    segment = LineString([(126.0, lat1), (126.0, lat2)])
    assert length_m(segment) == pytest.approx(1000.0, rel=1e-9)
    assert isinstance(length_m(segment), float)


@pytest.mark.parametrize("lat", [43.0, 48.5, 53.9])
@pytest.mark.parametrize("dlon", [0.0, 0.005, 0.3, 0.8, 1.2, 1.49])
def test_cell_area_against_the_ellipsoid(lat, dlon):
    """A 0.01° cell: GK area = ellipsoidal area × k², k the TM point scale, which grows from the meridian.

    k² − 1 ≈ (Δλ cos φ)² (1 + e'² cos² φ): at most 2e-8 within 0.01° of the central meridian and
    3.7e-4 (0.04 %) at the zone edge at 43° N, so GK areas in Heilongjiang exceed ellipsoidal ones
    by under 0.04 %. The exact ratio is the cell's area-weighted mean of k²; the cell edges are
    densified so that chords follow the curved images of parallels and meridians (undensified, the
    4-vertex cell is 2–4e-9 short).
    """
    zone = 42
    lon0 = central_meridian(zone) + dlon - 0.005
    cell = shapely.segmentize(box(lon0, lat, lon0 + 0.01, lat + 0.01), 0.0001)
    ellipsoidal = ellipsoid_cell_area(lon0, lat, lon0 + 0.01, lat + 0.01)
    ratio = area_m2(cell, zone) / ellipsoidal
    # The cell's mean k², weighted by the ellipsoidal area element, by 8×8-point Gauss–Legendre.
    nodes, weights = np.polynomial.legendre.leggauss(8)
    lons, lats = lon0 + 0.005 * (1.0 + nodes), lat + 0.005 * (1.0 + nodes)
    element = np.array([meridian_radius(p) * normal_radius(p) * np.cos(p) for p in np.radians(lats)])
    k2 = np.array([[snyder_scale(lo, la, central_meridian(zone)) ** 2 for lo in lons] for la in lats])
    mean_k2 = float(weights @ (element[:, None] * k2) @ weights / (weights @ element * weights.sum()))
    assert ratio == pytest.approx(mean_k2, abs=2e-11)  # measured: ≤ 6e-12
    if dlon <= 0.005:
        assert abs(ratio - 1.0) < 1e-7
    else:
        assert 1.0 < ratio < 1.0 + 3.8e-4


def test_arrays_with_empties_and_mixed_zones():
    county = Polygon([(126.1, 45.2), (126.9, 45.3), (126.8, 46.0), (126.2, 45.9)])
    holed = Polygon(box(131.0, 47.0, 131.5, 47.4).exterior, [box(131.1, 47.1, 131.2, 47.2).exterior.coords])
    geoms = np.array(
        [county, Polygon(), holed, None, MultiPolygon([box(122, 50, 122.1, 50.1), box(135, 48, 135.1, 48.1)])],
        dtype=object,
    )
    areas = area_m2(geoms)
    assert isinstance(areas, np.ndarray) and areas.shape == (5,)
    assert areas[1] == 0.0 and np.isnan(areas[3])
    assert areas[0] == area_m2(county, 42) == area_m2(county)
    assert areas[2] == area_m2(holed, 44)  # bounds centre 131.25 -> zone 44
    assert areas[4] == area_m2(geoms[4], 43)  # bounds centre 128.55 -> zone 43
    # A hole is subtracted: outer minus inner, each measured on its own.
    assert areas[2] == pytest.approx(
        area_m2(box(131.0, 47.0, 131.5, 47.4), 44) - area_m2(box(131.1, 47.1, 131.2, 47.2), 44), rel=1e-12
    )
    one_zone = area_m2(list(geoms), zone=42)
    assert one_zone[1] == 0.0 and one_zone[0] == areas[0]
    lengths = length_m(geoms)
    assert lengths[1] == 0.0 and lengths[0] > 0.0
    assert area_m2(Polygon()) == 0.0 and length_m(Point(126, 45)) == 0.0
    projected = to_gk(geoms, 42)
    assert shapely.is_empty(projected[1]) and projected[3] is None
    back = from_gk(projected, 42)
    assert shapely.equals_exact(back[0], county, tolerance=1e-10)
    assert shapely.equals_exact(back[2], holed, tolerance=1e-10)
