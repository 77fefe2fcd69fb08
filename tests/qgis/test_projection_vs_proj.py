"""core.projection against PROJ, through QGIS: the CGCS2000 3-degree GK EPSG codes QGIS would use.

pytest-qgis starts the QgsApplication (its session fixture `qgis_app`), which loads the CRS database.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
)
from shapely.geometry import MultiPolygon, Polygon

from ecozoning.core.projection import area_m2, central_meridian, forward, gk_epsg, length_m


def _to_gk_transform(zone: int) -> QgsCoordinateTransform:
    crs = QgsCoordinateReferenceSystem(f"EPSG:{gk_epsg(zone)}")
    assert crs.isValid()
    return QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4490"), crs, QgsProject.instance())


@pytest.mark.parametrize("zone", range(41, 46))
def test_forward_agrees_with_proj(qgis_app, zone):
    transform = _to_gk_transform(zone)
    lon, lat = np.meshgrid(central_meridian(zone) + np.linspace(-1.5, 1.5, 13), np.linspace(38.0, 54.0, 17))
    lon, lat = lon.ravel(), lat.ravel()
    x, y = forward(lon, lat, zone)
    proj = np.array([(p.x(), p.y()) for p in (transform.transform(QgsPointXY(a, b)) for a, b in zip(lon, lat))])
    # QGIS hands PROJ's output in easting/northing order, with the zone-prefixed false easting.
    assert np.abs(proj[:, 0] - x).max() < 1e-3
    assert np.abs(proj[:, 1] - y).max() < 1e-3


def _county(cx: float, cy: float, radius: float, n: int = 400, seed: int = 0) -> Polygon:
    """An irregular county-sized polygon: a star-ish ring of n vertices around (cx, cy), radius in degrees."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
    r = radius * (1.0 + 0.25 * np.sin(3 * t) + 0.1 * np.sin(11 * t) + 0.03 * rng.standard_normal(n))
    return Polygon(np.column_stack((cx + r * np.cos(t) / math.cos(math.radians(cy)), cy + r * np.sin(t))))


POLYGONS = {
    # A Harbin-district-sized county (~3,600 km²) near Harbin, zone 42.
    "harbin_like": (_county(126.6, 45.75, 0.3), 42),
    # A county with a lake (hole), near the eastern edge of zone 44.
    "with_hole": (_county(133.2, 47.3, 0.2, seed=1).difference(_county(133.2, 47.3, 0.05, seed=2)), 44),
    # A large county (~14,600 km², lon 121.3–123.8) over the western edge of zone 41, far north.
    "mohe_like": (_county(122.5, 52.8, 0.6, seed=3), 41),
    "multipolygon": (MultiPolygon([_county(129.0, 44.5, 0.1, seed=4), _county(129.6, 44.9, 0.15, seed=5)]), 43),
}


@pytest.mark.parametrize("name", sorted(POLYGONS))
def test_area_and_length_agree_with_qgis(qgis_app, name):
    geom, zone = POLYGONS[name]
    assert shapely.is_valid(geom)
    qgs = QgsGeometry.fromWkt(geom.wkt)
    assert qgs.transform(_to_gk_transform(zone)) == 0  # QgsGeometry.OperationResult.Success
    assert area_m2(geom, zone, densify=None) == pytest.approx(qgs.area(), rel=1e-7)
    assert length_m(geom, zone, densify=None) == pytest.approx(qgs.length(), rel=1e-7)
    assert area_m2(geom) == area_m2(geom, zone)  # each polygon's own zone is the one chosen above
