#!/usr/bin/env python3
"""Generate SYNTHETIC raw element-zone layers (环境要素管控分区) over a counties GeoPackage.

The layers look like what a technician receives from the ecology, water, air, soil and resource departments:
irregular natural outlines, Chinese names and ``类型`` values, NOT standardized. Everything is made up
(deterministically from ``--seed``); only the county polygons are real. Output CRS: EPSG:4490 (lon/lat).

Layers: eco_redline, eco_general, water_zones, air_zones, soil_zones, construction_risk, resource_zones, parks,
urban. In the clean variant no layer overlaps itself, water_zones / air_zones / soil_zones each cover every county
exactly, and everything lies inside the union of the counties. With ``--messy`` deliberate faults are added (and
listed in the attribute table ``faults``: layer, fid, kind, detail); all other features are identical to the clean
variant, with the same fids.

``--scale`` is the vertex-density factor: 1.0 gives about 1.5 million vertices for the 122 counties of
Heilongjiang (benchmark data); the committed Harbin sample uses 0.18.

Only shapely and numpy are used for geometry, osgeo.ogr for I/O.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

GENERATOR_VERSION = "1"
TYPE_FIELD = "类型"

# ---------------------------------------------------------------------------------------------------------------
# The documented mapping from each layer's raw ``类型`` value to the taxonomy's subtype key (docs/domain-rules.md §2). The
# algorithm is given these as VALUE_MAP strings, see value_map_string().
VALUE_MAPS: Dict[str, Dict[str, str]] = {
    "water_zones": {
        "优先保护": "water_priority",
        "工业污染重点管控": "water_industrial",
        "城镇生活污染重点管控": "water_urban",
        "农业污染重点管控": "water_agri",
        "一般管控": "water_general",
    },
    "air_zones": {
        "优先保护": "air_priority",
        "受体敏感": "air_receptor_sensitive",
        "高排放": "air_high_emission",
        "布局敏感": "air_layout_sensitive",
        "弱扩散": "air_weak_diffusion",
        "一般管控": "air_general",
    },
    "soil_zones": {
        "农用地优先保护": "soil_farmland_priority",
        "农用地污染风险": "soil_farmland_risk",
        "一般管控": "soil_general",
    },
    "resource_zones": {
        "地下水开采重点管控": "res_groundwater",
        "高污染燃料禁燃区": "res_fuel_ban",
        "生态用水补给区": "res_eco_water_supply",
    },
}
# Layers without a ``类型`` field: every feature has the same subtype.
LAYER_SUBTYPES: Dict[str, str] = {
    "eco_redline": "eco_redline",
    "eco_general": "eco_general",
    "construction_risk": "soil_construction_risk",
    "parks": "dev_park",
    "urban": "dev_urban",
}
LAYER_FIELDS: Dict[str, Tuple[str, ...]] = {
    "eco_redline": ("NAME",),
    "eco_general": ("NAME",),
    "water_zones": (TYPE_FIELD, "NAME"),
    "air_zones": (TYPE_FIELD, "NAME"),
    "soil_zones": (TYPE_FIELD,),
    "construction_risk": ("NAME",),
    "resource_zones": (TYPE_FIELD,),
    "parks": ("NAME",),
    "urban": ("NAME",),
}
LAYERS: Tuple[str, ...] = tuple(LAYER_FIELDS)
FULL_COVER_LAYERS = ("water_zones", "air_zones", "soil_zones")
FAULTS_LAYER = "faults"
FAULT_FIELDS = ("layer", "fid", "kind", "detail")
FAULT_KINDS = {
    "self_intersection": "bow-tie / swapped vertices: invalid polygon",
    "duplicate": "exact copy (geometry and attributes) of another feature of the layer",
    "overlap": "two features of the same layer overlap (hundreds of metres)",
    "outside_admin": "a part sticks out beyond the outer boundary of the counties",
    "gap": "thin gap (a few metres) between neighbouring cells of a full-cover layer",
    "sliver_overlap": "thin overlap (a few metres) between neighbouring cells of a full-cover layer",
    "sliver_between_layers": "boundary meant to coincide with another layer's is off by a few metres",
    "empty_geometry": "feature with an EMPTY geometry",
    "repeated_point": "ring with repeated consecutive vertices and a repeated closing point",
    "spike": "tiny narrow spike (tens of metres long, under a metre wide) on a ring",
}
# Chinese zone names (docs/domain-rules.md §2) for the NAME of partition cells.
ZONE_ZH = {
    "water_priority": "水环境优先保护区",
    "water_industrial": "水环境工业污染重点管控区",
    "water_urban": "水环境城镇生活污染重点管控区",
    "water_agri": "水环境农业污染重点管控区",
    "water_general": "水环境一般管控区",
    "air_priority": "大气环境优先保护区",
    "air_receptor_sensitive": "大气环境受体敏感重点管控区",
    "air_high_emission": "大气环境高排放重点管控区",
    "air_layout_sensitive": "大气环境布局敏感重点管控区",
    "air_weak_diffusion": "大气环境弱扩散重点管控区",
    "air_general": "大气环境一般管控区",
}
# Stable salts for the random streams (one stream per county and purpose, so that layers do not depend on
# each other's random draws).
SALTS = {
    "town": 1,
    "urban": 2,
    "parks": 3,
    "sites": 4,
    "redline": 5,
    "general": 6,
    "water": 7,
    "air": 8,
    "soil": 9,
    "resource": 10,
    "messy": 11,
}
FIXED_DATE = "2024-01-01T00:00:00.000Z"
METADATA_KEY = "ECOZONING_GENERATOR"

INDUSTRIES = tuple(
    "化工厂 焦化厂 农药厂 制革厂 电镀厂 铸造厂 造纸厂 印染厂 钢铁厂 炼油厂 制药厂 蓄电池厂 机械厂 染料厂 橡胶厂 油漆厂 酒精厂 糖厂 木材加工厂 金属冶炼厂".split()
)
SITE_SUFFIXES = ("", "东侧", "西侧", "南区", "北区", "一期", "二期", "老厂区", "储罐区")
PARK_TEMPLATES_CITY = (
    "{city}经济技术开发区",
    "{city}高新技术产业开发区",
    "{city}综合保税区",
    "{city}临空经济区",
    "{city}工业新区",
)
PARK_TEMPLATES = (
    "{county}工业园区",
    "{county}经济开发区",
    "{county}产业园区",
    "{county}绿色食品产业园区",
    "{county}化工园区",
    "{county}循环经济产业园区",
    "{county}装备制造产业园",
    "{county}农产品加工园区",
    "{county}生物医药产业园",
    "{county}新材料产业园",
    "{county}木业加工园区",
    "{county}物流产业园",
)
TOWN_NAMES = tuple(
    "新兴 长岭 兴隆 红星 太平 永安 民主 胜利 东风 前进 建设 新华 团结 友谊 富民 长安 和平 向阳 光明 兴华".split()
)


def value_map_string(layer: str) -> str:
    """``value:subtype;value:subtype`` for a layer with ``类型``; for the others the layer's single subtype."""
    if layer in VALUE_MAPS:
        return ";".join(f"{k}:{v}" for k, v in VALUE_MAPS[layer].items())
    return LAYER_SUBTYPES[layer]


def _epilog() -> str:
    lines = ["VALUE_MAP strings (field 类型 -> subtype key):"]
    for layer in VALUE_MAPS:
        lines.append(f"  {layer:<18} {value_map_string(layer)}")
    lines.append("Layers without 类型 (every feature has one subtype):")
    for layer, key in LAYER_SUBTYPES.items():
        lines.append(f"  {layer:<18} {key}")
    lines.append("Fault kinds written to layer 'faults' with --messy:")
    for kind, text in FAULT_KINDS.items():
        lines.append(f"  {kind:<22} {text}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------- geometry
def as_multi(geom: Optional[BaseGeometry], min_area: float = 0.0) -> MultiPolygon:
    """Valid MultiPolygon of the polygonal parts of ``geom`` (parts below ``min_area`` dropped)."""
    if geom is None or geom.is_empty:
        return MultiPolygon()
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and p.area > min_area]
    if len(parts) == 0:
        extra: List[Polygon] = []
        for p in shapely.get_parts(geom):
            if hasattr(p, "geoms"):
                extra.extend(q for q in shapely.get_parts(p) if isinstance(q, Polygon) and q.area > min_area)
        parts = extra
    return MultiPolygon(parts)


def orient(geom: MultiPolygon) -> MultiPolygon:
    """Counter-clockwise shells, clockwise holes (coordinates unchanged, so shared edges stay shared)."""
    return MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in geom.geoms])


def vertices(geom: Optional[BaseGeometry]) -> int:
    return 0 if geom is None else int(shapely.get_num_coordinates(geom))


@dataclass(frozen=True)
class Frame:
    """Local kilometre frame around (lon0, lat0) (equirectangular; good enough for shapes inside a county)."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return 111.320 * math.cos(math.radians(self.lat0))

    @property
    def ky(self) -> float:
        return 110.574

    def km(self, geom):
        o, k = np.array([self.lon0, self.lat0]), np.array([self.kx, self.ky])
        return shapely.transform(geom, lambda c: (c - o) * k)

    def deg(self, geom):
        o, k = np.array([self.lon0, self.lat0]), np.array([self.kx, self.ky])
        return shapely.transform(geom, lambda c: c / k + o)

    def km2(self, geom) -> float:
        return float(shapely.area(geom)) * self.kx * self.ky

    def deg_area(self, km2: float) -> float:
        return km2 / (self.kx * self.ky)

    def buffer(self, geom, km: float, **kw):
        """Buffer by a distance in km (done in the local frame, returned in degrees)."""
        return self.deg(shapely.buffer(self.km(geom), km, **kw))


class Warp:
    """Smooth random displacement field: a sum of plane waves over several octaves.

    The sum of amplitude x wavenumber is ``strength`` < 1, so p -> p + D(p) is injective: a simple polygon stays
    simple and a planar partition stays a partition (up to the chord approximation between vertices).
    """

    def __init__(
        self, rng: np.random.Generator, longest: float, shortest: float, strength: float = 0.7, slope: float = 0.35
    ):
        longest = max(longest, shortest)
        n_oct = max(1, int(math.floor(math.log2(longest / shortest))) + 1)
        lambdas = longest * 0.5 ** np.arange(n_oct)
        lambdas = np.repeat(lambdas, 2)
        weights = lambdas**slope
        weights = strength * weights / weights.sum()  # sum of A*k = strength
        k = 2 * math.pi / lambdas
        self.amp = weights / k
        ang_w = rng.uniform(0, 2 * math.pi, len(k))
        ang_u = rng.uniform(0, 2 * math.pi, len(k))
        self.wv = np.stack([np.cos(ang_w) * k, np.sin(ang_w) * k], axis=1)
        self.u = np.stack([np.cos(ang_u), np.sin(ang_u)], axis=1)
        self.phase = rng.uniform(0, 2 * math.pi, len(k))

    def __call__(self, coords: np.ndarray) -> np.ndarray:
        arg = coords @ self.wv.T + self.phase  # (n, waves)
        return coords + (np.sin(arg) * self.amp) @ self.u


def blob(
    rng: np.random.Generator,
    centre: Tuple[float, float],
    area_km2: float,
    n_vertices: int,
    roughness: float = 0.35,
    elongation: Tuple[float, float] = (1.0, 2.5),
    warp: float = 0.6,
) -> Polygon:
    """Irregular natural-looking polygon in km coordinates: noisy radial shape + elongation + smooth warp."""
    n = int(max(8, n_vertices))
    theta = np.linspace(0.0, 2 * math.pi, n, endpoint=False)
    harmonics = np.arange(1, max(3, min(n // 4, 48)) + 1)
    amp = roughness * harmonics**-1.25 * rng.normal(0.0, 1.0, len(harmonics))
    amp[0] *= 0.3
    phase = rng.uniform(0, 2 * math.pi, len(harmonics))
    logr = (amp[None, :] * np.cos(theta[:, None] * harmonics[None, :] + phase[None, :])).sum(axis=1)
    r = np.exp(np.clip(logr, -2.5, 2.5))
    xy = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)
    e = math.sqrt(rng.uniform(*elongation))
    rot = rng.uniform(0, math.pi)
    c, s = math.cos(rot), math.sin(rot)
    xy = xy * [e, 1 / e]
    xy = xy @ np.array([[c, s], [-s, c]])
    if warp > 0:
        step = 2 * math.pi / n
        xy = Warp(rng, longest=1.2, shortest=max(4 * step, 0.04), strength=warp)(xy)
    poly = Polygon(xy)
    if not poly.is_valid:
        poly = max(as_multi(poly).geoms, key=lambda p: p.area)
    k = math.sqrt(area_km2 / poly.area)
    return shapely.transform(poly, lambda q: q * k + np.asarray(centre))


def small_site(rng: np.random.Generator, centre: Tuple[float, float], area_km2: float) -> Polygon:
    """Land parcel: 5-8 corners, roughly rectangular but irregular."""
    n = int(rng.integers(5, 9))
    theta = np.sort(rng.uniform(0, 2 * math.pi, n))
    theta += np.linspace(0, 0.4, n)
    r = rng.uniform(0.75, 1.25, n)
    xy = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1) * [rng.uniform(1.0, 2.0), 1.0]
    rot = rng.uniform(0, math.pi)
    c, s = math.cos(rot), math.sin(rot)
    poly = Polygon(xy @ np.array([[c, s], [-s, c]]))
    if not poly.is_valid:
        poly = poly.convex_hull
    k = math.sqrt(area_km2 / poly.area)
    return shapely.transform(poly, lambda q: q * k + np.asarray(centre))


def random_points(
    rng: np.random.Generator, geom, n: int, min_dist: float = 0.0, max_rounds: int = 60
) -> List[Tuple[float, float]]:
    """Up to ``n`` random points inside ``geom`` (same CRS as geom), at least ``min_dist`` apart."""
    if geom.is_empty or n <= 0:
        return []
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    pts: List[Tuple[float, float]] = []
    for _ in range(max_rounds):
        cand = rng.uniform([minx, miny], [maxx, maxy], size=(max(64, 4 * n), 2))
        cand = cand[shapely.contains_xy(geom, cand[:, 0], cand[:, 1])]
        for x, y in cand:
            if all((x - a) ** 2 + (y - b) ** 2 >= min_dist**2 for a, b in pts):
                pts.append((float(x), float(y)))
                if len(pts) == n:
                    return pts
        min_dist *= 0.8
    return pts


def log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


# ----------------------------------------------------------------------------------------------------- model
@dataclass
class County:
    index: int
    code: str
    name: str
    city: str
    city_code: str
    prov: str
    prov_code: str
    geom: MultiPolygon  # degrees
    frame: Frame
    area_km2: float
    kind: str = "county"  # "core" (central-city district), "district", "county"
    towns: List[Tuple[float, float]] = field(default_factory=list)  # degrees; towns[0] is the seat
    urban: List[MultiPolygon] = field(default_factory=list)
    parks: List[MultiPolygon] = field(default_factory=list)
    sites: List[MultiPolygon] = field(default_factory=list)

    @property
    def short(self) -> str:
        for suffix in ("自治县", "区", "县", "市"):
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name

    @property
    def city_short(self) -> str:
        for suffix in ("市", "地区"):
            if self.city.endswith(suffix) and len(self.city) > len(suffix) + 1:
                return self.city[: -len(suffix)]
        return self.city


@dataclass
class Feature:
    attrs: Dict[str, str]
    geom: BaseGeometry


def read_counties(path: Path) -> List[County]:
    from osgeo import ogr

    ogr.UseExceptions()
    ds = ogr.Open(str(path))
    if ds is None:
        raise SystemExit(f"cannot open {path}")
    layer = ds.GetLayerByName("counties") or ds.GetLayer(0)
    rows = []
    for feat in layer:
        g = feat.GetGeometryRef()
        geom = as_multi(shapely.from_wkb(bytes(g.ExportToIsoWkb())))
        rows.append(
            {name: feat.GetField(name) for name in ("XZQDM", "COUNTY", "CITY", "CITY_CODE", "PROV", "PROV_CODE")}
        )
        rows[-1]["geom"] = geom
    ds = None
    rows.sort(key=lambda r: r["XZQDM"])
    counties = []
    for i, r in enumerate(rows):
        c = r["geom"].centroid
        frame = Frame(round(c.x, 6), round(c.y, 6))
        counties.append(
            County(
                i,
                r["XZQDM"],
                r["COUNTY"],
                r["CITY"] or "",
                r["CITY_CODE"] or r["XZQDM"][:4] + "00",
                r["PROV"] or "",
                r["PROV_CODE"] or r["XZQDM"][:2] + "0000",
                r["geom"],
                frame,
                frame.km2(r["geom"]),
            )
        )
    return counties


def rng_for(seed: int, county: County, purpose: str) -> np.random.Generator:
    return np.random.default_rng([int(seed), int(county.code), SALTS[purpose]])


class Budget:
    """Vertex density: ``scale`` 1.0 is the benchmark density."""

    def __init__(self, scale: float):
        self.scale = max(0.02, float(scale))

    def patch(self, area_km2: float, lo: int = 16, hi: int = 6000) -> int:
        return int(min(hi, max(lo, 27.0 * math.sqrt(max(area_km2, 1e-6)) * self.scale)))

    def step(self, cell_km: float) -> float:
        return max(0.04, cell_km / (42.0 * self.scale))


# --------------------------------------------------------------------------------------------------- settlements
def place_towns(counties: Sequence[County], seed: int) -> None:
    """Town seats: central-city districts hug the city core; other districts and counties get an inner point."""
    by_city: Dict[str, List[County]] = {}
    for c in counties:
        if c.name.endswith("区"):
            c.kind = "core" if c.area_km2 < 1200 else "district"
            by_city.setdefault(c.city_code, []).append(c)
    cores: Dict[str, Point] = {}
    for code, members in by_city.items():
        core = [c for c in members if c.kind == "core"]
        if not core:
            continue
        w = np.array([1.0 / c.area_km2 for c in core])
        pts = np.array([[c.geom.representative_point().x, c.geom.representative_point().y] for c in core])
        p = Point(*(w @ pts / w.sum()))
        union = shapely.union_all([c.geom for c in core])
        if not union.contains(p):
            p = nearest_points(union, p)[0]
        cores[code] = p
    for c in counties:
        rng = rng_for(seed, c, "town")
        local = c.frame.km(c.geom)
        inner = local.buffer(-min(3.0, 0.12 * math.sqrt(c.area_km2)))
        if inner.is_empty:
            inner = local
        if c.kind == "core" and c.city_code in cores:
            core = c.frame.km(cores[c.city_code])
            seat = core if inner.contains(core) else nearest_points(inner, core)[0]
            seat_xy = (seat.x, seat.y)
        else:
            # a county seat: a random point of the inner part, preferring its middle third
            mid = local.buffer(-0.25 * math.sqrt(c.area_km2))
            pts = random_points(rng, mid if not mid.is_empty else inner, 1)
            seat_xy = pts[0] if pts else (local.representative_point().x, local.representative_point().y)
        towns = [seat_xy]
        if c.kind != "core" and rng.random() < 0.6:
            far = inner.difference(Point(seat_xy).buffer(0.3 * math.sqrt(c.area_km2)))
            towns += random_points(rng, far, 1)
        c.towns = [tuple(c.frame.deg(Point(t)).coords[0]) for t in towns]


def make_urban(c: County, seed: int, budget: Budget) -> List[Feature]:
    rng = rng_for(seed, c, "urban")
    out: List[Feature] = []
    used = set()
    for k, town in enumerate(c.towns):
        centre = c.frame.km(Point(town))
        if k == 0:
            area = rng.uniform(40, 110) if c.kind == "core" else rng.uniform(6, 28)
            area = min(area, 0.35 * c.area_km2) * (2.0 if c.kind == "core" else 1.0)
            name = f"{c.name}城镇建成区"
        else:
            area = rng.uniform(1.0, 5.0)
            town_name = TOWN_NAMES[int(rng.integers(len(TOWN_NAMES)))]
            while town_name in used:
                town_name = TOWN_NAMES[(TOWN_NAMES.index(town_name) + 1) % len(TOWN_NAMES)]
            used.add(town_name)
            name = f"{c.name}{town_name}镇建成区"
        shape = blob(rng, (centre.x, centre.y), area, budget.patch(area), roughness=0.3, elongation=(1.0, 1.8))
        geom = as_multi(shapely.intersection(c.frame.deg(shape), c.geom), c.frame.deg_area(0.01))
        for prev in c.urban:
            geom = as_multi(geom.difference(prev), c.frame.deg_area(0.01))
        if geom.is_empty or c.frame.km2(geom) < 0.5:
            continue
        c.urban.append(geom)
        out.append(Feature({"NAME": name}, geom))
    return out


def make_parks(c: County, seed: int, budget: Budget, names_used: set, city_templates: Dict[str, int]) -> List[Feature]:
    rng = rng_for(seed, c, "parks")
    if c.kind == "core":
        n = int(rng.choice([0, 1, 2, 3], p=[0.15, 0.35, 0.35, 0.15]))
        lo, hi = 3.0, 40.0
    else:
        n = int(rng.choice([0, 1, 2, 3], p=[0.25, 0.5, 0.2, 0.05]))
        lo, hi = 1.0, 15.0
    if not c.urban:
        return []
    out: List[Feature] = []
    seat = c.frame.km(c.urban[0])
    seat_r = math.sqrt(seat.area / math.pi)
    sc = seat.centroid
    for _ in range(n):
        for _try in range(12):
            area = log_uniform(rng, lo, min(hi, max(lo * 1.01, 0.15 * c.area_km2)))
            r = math.sqrt(area / math.pi)
            ang = rng.uniform(0, 2 * math.pi)
            dist = seat_r + r * rng.uniform(0.2, 1.1)
            centre = (sc.x + dist * math.cos(ang), sc.y + dist * math.sin(ang))
            shape = blob(
                rng, centre, area, budget.patch(area, lo=12, hi=400), roughness=0.15, elongation=(1, 2), warp=0.3
            )
            geom = as_multi(shapely.intersection(c.frame.deg(shape), c.geom), c.frame.deg_area(0.01))
            for prev in c.parks:
                geom = as_multi(geom.difference(prev), c.frame.deg_area(0.01))
            if not geom.is_empty and c.frame.km2(geom) >= 1.0:
                break
        else:
            continue
        name = _park_name(c, rng, names_used, city_templates)
        c.parks.append(geom)
        out.append(Feature({"NAME": name}, geom))
    return out


def _park_name(c: County, rng: np.random.Generator, used: set, city_templates: Dict[str, int]) -> str:
    if c.kind == "core":
        k = city_templates.get(c.city_code, 0)
        while k < len(PARK_TEMPLATES_CITY):
            name = PARK_TEMPLATES_CITY[k].format(city=c.city_short)
            k += 1
            city_templates[c.city_code] = k
            if name not in used:
                used.add(name)
                return name
    order = list(rng.permutation(len(PARK_TEMPLATES)))
    for i in order:
        name = PARK_TEMPLATES[int(i)].format(county=c.name)
        if name not in used:
            used.add(name)
            return name
    i = 2
    while f"{c.name}第{i}工业园区" in used:
        i += 1
    used.add(f"{c.name}第{i}工业园区")
    return f"{c.name}第{i}工业园区"


def make_sites(c: County, seed: int, names_used: set) -> List[Feature]:
    rng = rng_for(seed, c, "sites")
    n = int(rng.integers(3, 9)) if c.kind == "core" else int(rng.integers(1, 5))
    if c.kind == "district":
        n = int(rng.integers(2, 5))
    near = [c.frame.km(g) for g in c.urban + c.parks]
    zone = shapely.union_all([g.buffer(2.5) for g in near]) if near else c.frame.km(c.geom)
    zone = zone.intersection(c.frame.km(c.geom).buffer(-0.3))
    if zone.is_empty:
        zone = c.frame.km(c.geom)
    out: List[Feature] = []
    placed: List[Polygon] = []
    for _ in range(n):
        for _try in range(15):
            pts = random_points(rng, zone, 1)
            if not pts:
                break
            area = log_uniform(rng, 0.02, 0.5)
            shape = small_site(rng, pts[0], area)
            if any(shape.buffer(0.05).intersects(p) for p in placed):
                continue
            geom = as_multi(shapely.intersection(c.frame.deg(shape), c.geom))
            if geom.is_empty or c.frame.km2(geom) < 0.02:
                continue
            placed.append(shape)
            c.sites.append(geom)
            out.append(Feature({"NAME": _site_name(c, rng, names_used)}, geom))
            break
    return out


def _site_name(c: County, rng: np.random.Generator, used: set) -> str:
    place = c.city_short if (c.kind == "core" and rng.random() < 0.5) else c.short
    for _ in range(40):
        ind = INDUSTRIES[int(rng.integers(len(INDUSTRIES)))]
        for suffix in SITE_SUFFIXES:
            name = f"原{place}{ind}{suffix}地块"
            if name not in used:
                used.add(name)
                return name
    i = len(used)
    used.add(f"原{place}工业地块{i}")
    return f"原{place}工业地块{i}"


# ------------------------------------------------------------------------------------------------ ecology
def make_redline(
    counties: Sequence[County], seed: int, budget: Budget, admin: BaseGeometry, built: BaseGeometry
) -> List[Feature]:
    """2-6 patches per county, 10-30 % of it; patches may cross county lines, never leave the admin area."""
    out: List[Feature] = []
    placed: List[BaseGeometry] = []
    tree_geoms: List[BaseGeometry] = []
    shapely.prepare(admin)
    for c in counties:
        rng = rng_for(seed, c, "redline")
        n = int(rng.integers(2, 7))
        frac = rng.uniform(0.10, 0.30)
        shares = rng.dirichlet(np.full(n, 1.6))
        local = c.frame.km(c.geom)
        avoid = c.frame.km(built.intersection(c.geom.buffer(0.05))) if not built.is_empty else Polygon()
        room = local.difference(avoid.buffer(1.0)) if not avoid.is_empty else local
        centres = random_points(rng, room if not room.is_empty else local, n, min_dist=0.3 * math.sqrt(c.area_km2))
        k = 0
        for centre, share in zip(centres, shares):
            area = max(1.0, share * frac * c.area_km2 * 1.1)
            shape = blob(rng, centre, area, budget.patch(area), roughness=0.45, elongation=(1.0, 3.5), warp=0.7)
            parts = [shape]
            for _ in range(int(rng.integers(0, 3))):  # small satellite patches nearby
                r = math.sqrt(area / math.pi)
                ang = rng.uniform(0, 2 * math.pi)
                d = r * rng.uniform(1.2, 1.8)
                sat_area = area * rng.uniform(0.01, 0.06)
                parts.append(
                    blob(rng, (centre[0] + d * math.cos(ang), centre[1] + d * math.sin(ang)), sat_area,
                         budget.patch(sat_area, lo=12), roughness=0.3)
                )  # fmt: skip
            geom = c.frame.deg(shapely.union_all(parts))
            geom = shapely.intersection(geom, admin)
            if not built.is_empty:
                geom = shapely.difference(geom, built)
            hits = [g for g in tree_geoms if g.intersects(geom)]
            if hits:
                geom = shapely.difference(geom, shapely.union_all(hits))
            geom = as_multi(geom, c.frame.deg_area(0.02))
            if geom.is_empty or c.frame.km2(geom) < 0.5:
                continue
            k += 1
            placed.append(geom)
            tree_geoms.append(geom)
            out.append(Feature({"NAME": f"{c.name}生态保护红线片区{k}"}, geom))
    return out


def make_eco_general(
    c: County, seed: int, budget: Budget, redline: Sequence[BaseGeometry], built: BaseGeometry
) -> List[Feature]:
    """2-5 patches, about half of them leaning on a red-line patch (partly overlapping it)."""
    rng = rng_for(seed, c, "general")
    n = int(rng.integers(2, 6))
    local = c.frame.km(c.geom)
    mine = [c.frame.km(g) for g in redline if g.intersects(c.geom)]
    out: List[Feature] = []
    placed: List[BaseGeometry] = []
    k = 0
    for i in range(n):
        area = c.area_km2 * rng.uniform(0.02, 0.07)
        if mine and i % 2 == 0:
            target = mine[int(rng.integers(len(mine)))].intersection(local)
            ring = _largest_polygon(target if not target.is_empty else local).exterior
            centre_pt = ring.interpolate(rng.uniform(0, 1), normalized=True)
            centre = (centre_pt.x, centre_pt.y)
        else:
            pts = random_points(rng, local, 1)
            if not pts:
                continue
            centre = pts[0]
        shape = blob(rng, centre, area, budget.patch(area), roughness=0.4, elongation=(1.0, 3.0), warp=0.6)
        geom = shapely.intersection(c.frame.deg(shape), c.geom)
        if not built.is_empty:
            geom = shapely.difference(geom, built)
        for prev in placed:
            geom = shapely.difference(geom, prev)
        geom = as_multi(geom, c.frame.deg_area(0.02))
        if geom.is_empty or c.frame.km2(geom) < 0.5:
            continue
        k += 1
        placed.append(geom)
        out.append(Feature({"NAME": f"{c.name}一般生态空间{k}"}, geom))
    return out


# ---------------------------------------------------------------------------------------------------- partitions
@dataclass
class Network:
    """Noded linework of one county (degrees, may reach beyond it) and the regions it bounds, in priority order."""

    lines: BaseGeometry
    regions: List[Polygon]


def cell_network(c: County, rng: np.random.Generator, n_cells: int, budget: Budget) -> Network:
    """Warped Voronoi cells (catchment-like) around random seeds, covering a box around the county."""
    local = c.frame.km(c.geom)
    cell = math.sqrt(c.area_km2 / max(1, n_cells))
    # most seeds spread over the county, the others clustered around the seat (smaller cells where people live)
    n_town = int(round(0.3 * n_cells)) if c.towns else 0
    seeds = random_points(rng, local, n_cells - n_town, min_dist=0.45 * cell)
    if n_town:
        town = c.frame.km(Point(c.towns[0]))
        near = shapely.intersection(local, town.buffer(max(1.5 * cell, 3.0)))
        seeds += random_points(rng, near, n_town, min_dist=0.2 * cell)
    minx, miny, maxx, maxy = local.bounds
    margin = 0.5 * cell + 2.0
    box = shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)
    if len(seeds) < 2:
        return Network(c.frame.deg(box.boundary), [c.frame.deg(box)])
    vor = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=box)
    lines = shapely.union_all([shapely.intersection(v, box).boundary for v in vor.geoms])
    step = budget.step(cell)
    lines = shapely.segmentize(lines, step)
    warp = Warp(rng, longest=2.0 * cell, shortest=max(4 * step, cell / 48), strength=0.95, slope=0.8)
    # node again: the chords between warped vertices could (rarely) cross; the faces stay a partition anyway
    lines = c.frame.deg(shapely.union_all(shapely.transform(lines, warp)))
    regions = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    return Network(lines, regions)


def assemble_cover(
    counties: Sequence[County], networks: Sequence[Network], nearest: bool = True
) -> List[Dict[int, List[Polygon]]]:
    """Cut every county by its network, all counties noded together in one go.

    Because the county rings and all networks are noded at once, neighbouring pieces share exactly the same
    vertices, also across county lines: each layer built from this is a clean coverage. Returns, per county,
    region index -> faces; faces in no region go to the nearest region (``nearest``) or to index -1.
    """
    eps = 1e-7  # the lines overshoot the county ring a little, so that every crossing is a proper one
    pieces = [
        shapely.intersection(net.lines, shapely.buffer(c.geom, eps, quad_segs=2))
        for c, net in zip(counties, networks)
        if not net.lines.is_empty
    ]
    noded = shapely.union_all([c.geom.boundary for c in counties] + pieces)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    faces = faces[shapely.area(faces) > 0]
    points = shapely.point_on_surface(faces)
    ctree = shapely.STRtree([c.geom for c in counties])
    f_idx, c_idx = ctree.query(points, predicate="within")
    owner = np.full(len(faces), -1)
    for f, k in sorted(zip(f_idx.tolist(), c_idx.tolist()), reverse=True):
        owner[f] = k  # the lowest county index wins (never more than one in practice)
    out: List[Dict[int, List[Polygon]]] = [{} for _ in counties]
    for k, net in enumerate(networks):
        mine = np.flatnonzero(owner == k)
        if len(mine) == 0:
            continue
        rtree = shapely.STRtree(net.regions)
        p_idx, r_idx = rtree.query(points[mine], predicate="within")
        region = np.full(len(mine), -1)
        for p, r in sorted(zip(p_idx.tolist(), r_idx.tolist()), reverse=True):
            region[p] = r  # first region in priority order
        for j, f in enumerate(mine):
            r = int(region[j])
            if r < 0 and nearest:
                r = int(rtree.nearest(points[f]))
            out[k].setdefault(r, []).append(faces[f])
    return out


def _union_faces(faces: Sequence[Polygon]) -> MultiPolygon:
    return as_multi(shapely.coverage_union_all(list(faces)))


def _sorted_cells(groups: Dict[int, List[Polygon]]) -> List[MultiPolygon]:
    cells = [_union_faces(f) for _, f in sorted(groups.items())]
    cells = [g for g in cells if not g.is_empty]
    cells.sort(key=lambda g: (-round(g.centroid.y, 9), round(g.centroid.x, 9)))
    return cells


def _cell_stats(c: County, cells: Sequence[BaseGeometry], redline_union: BaseGeometry):
    area = np.array([g.area for g in cells])
    red = np.array([shapely.intersection(g, redline_union).area if g.intersects(redline_union) else 0.0 for g in cells])
    seat_urban = c.urban[0] if c.urban else None
    urban = np.array([shapely.intersection(g, seat_urban).area if seat_urban is not None else 0.0 for g in cells])
    park = np.array([sum(shapely.intersection(g, p).area for p in c.parks) for g in cells])
    return area, red / np.maximum(area, 1e-30), urban, park


def _names(c: County, types: Sequence[str], mapping: Dict[str, str]) -> List[str]:
    counter: Dict[str, int] = {}
    names = []
    for t in types:
        counter[t] = counter.get(t, 0) + 1
        names.append(f"{c.name}{ZONE_ZH[mapping[t]]}{counter[t]}")
    return names


def n_water_cells(c: County) -> int:
    return int(np.clip(round(c.area_km2 / 135.0), 3, 52))


def n_air_cells(c: County) -> int:
    return int(np.clip(round(c.area_km2 / 240.0), 3, 32))


def make_water(
    c: County, rng: np.random.Generator, cells: List[MultiPolygon], redline_union: BaseGeometry
) -> List[Feature]:
    area, red, urban, park = _cell_stats(c, cells, redline_union)
    types = [""] * len(cells)
    if urban.max() > 0:
        for i in np.flatnonzero(urban >= 0.3 * urban.max()):
            types[i] = "城镇生活污染重点管控"
    for i in np.flatnonzero(park > c.frame.deg_area(0.3)):
        if not types[i]:
            types[i] = "工业污染重点管控"
    target = rng.uniform(0.07, 0.13) * area.sum()
    got = 0.0
    for i in np.argsort(-(red + rng.uniform(0, 0.25, len(cells))), kind="stable"):
        if types[i] or got >= target or (got > 0 and got + area[i] > 1.8 * target):
            continue
        types[i] = "优先保护"
        got += area[i]
    p_agri = 0.1 if c.frame.lat0 > 50.0 else (0.55 if c.frame.lon0 < 128.0 else 0.3)  # forests / plains
    for i in range(len(cells)):
        if not types[i]:
            types[i] = "农业污染重点管控" if rng.random() < p_agri else "一般管控"
    names = _names(c, types, VALUE_MAPS["water_zones"])
    return [Feature({TYPE_FIELD: t, "NAME": nm}, g) for t, nm, g in zip(types, names, cells)]


def make_air(
    c: County, rng: np.random.Generator, cells: List[MultiPolygon], redline_union: BaseGeometry
) -> List[Feature]:
    area, red, urban, park = _cell_stats(c, cells, redline_union)
    types = [""] * len(cells)
    receptor = -1
    if urban.max() > 0:
        receptor = int(np.argmax(urban))
        types[receptor] = "受体敏感"
    for i in np.flatnonzero(park > c.frame.deg_area(0.3)):
        if not types[i]:
            types[i] = "高排放"
    if receptor >= 0 and rng.random() < 0.7:
        neigh = [i for i in range(len(cells)) if not types[i] and cells[i].intersects(cells[receptor].buffer(1e-7))]
        if neigh:  # upwind (prevailing north-westerlies): the western-most neighbour
            types[min(neigh, key=lambda i: cells[i].centroid.x - 0.5 * cells[i].centroid.y)] = "布局敏感"
    target = rng.uniform(0.08, 0.15) * area.sum()
    got = 0.0
    for i in np.argsort(-(red + rng.uniform(0, 0.25, len(cells))), kind="stable"):
        if types[i] or got >= target or (got > 0 and got + area[i] > 1.8 * target):
            continue
        types[i] = "优先保护"
        got += area[i]
    free = [i for i in range(len(cells)) if not types[i]]
    if free and rng.random() < 0.35:
        types[free[int(rng.integers(len(free)))]] = "弱扩散"
    types = [t or "一般管控" for t in types]
    names = _names(c, types, VALUE_MAPS["air_zones"])
    return [Feature({TYPE_FIELD: t, "NAME": nm}, g) for t, nm, g in zip(types, names, cells)]


# ------------------------------------------------------------------------------------------------ soil, resources
SOIL_MIN_KM2 = {"农用地污染风险": 0.3, "农用地优先保护": 1.0}


def soil_network(c: County, rng: np.random.Generator, budget: Budget) -> Tuple[Network, List[str]]:
    """Soil patches (pollution-risk farmland first: it wins where patches overlap); the rest is general."""
    local = c.frame.km(c.geom)
    built = [c.frame.km(g) for g in c.urban + c.parks]
    room = local.difference(shapely.union_all(built).buffer(1.0)) if built else local
    patches: List[Polygon] = []
    kinds: List[str] = []
    anchors = [c.frame.km(p).centroid for p in c.parks]
    n_risk = min(2, len(anchors)) if anchors else int(rng.random() < 0.3)
    for i in range(n_risk):
        area = log_uniform(rng, 2.0, 30.0)
        if i < len(anchors):
            r = math.sqrt(area / math.pi) * rng.uniform(0.8, 1.6)
            ang = rng.uniform(0, 2 * math.pi)
            centre = (anchors[i].x + r * math.cos(ang), anchors[i].y + r * math.sin(ang))
        else:
            pts = random_points(rng, local, 1)
            if not pts:
                continue
            centre = pts[0]
        patches.append(blob(rng, centre, area, budget.patch(area), roughness=0.3))
        kinds.append("农用地污染风险")
    n = int(rng.integers(3, 7))
    frac = rng.uniform(0.03, 0.10) if c.kind == "core" else rng.uniform(0.20, 0.40)
    centres = random_points(rng, room if not room.is_empty else local, n, 0.3 * math.sqrt(c.area_km2))
    for share, centre in zip(rng.dirichlet(np.full(n, 2.0)), centres):
        area = max(1.0, share * frac * c.area_km2 * 1.2)
        patches.append(blob(rng, centre, area, budget.patch(area), roughness=0.35, elongation=(1, 2.5)))
        kinds.append("农用地优先保护")
    patches = [c.frame.deg(p) for p in patches]
    lines = shapely.union_all([p.boundary for p in patches]) if patches else LineString()
    return Network(lines, patches), kinds


def make_soil(c: County, groups: Dict[int, List[Polygon]], kinds: Sequence[str]) -> List[Feature]:
    out: List[Feature] = []
    general = list(groups.get(-1, []))
    for k, kind in enumerate(kinds):
        faces = groups.get(k, [])
        if not faces:
            continue
        geom = _union_faces(faces)
        if c.frame.km2(geom) < SOIL_MIN_KM2[kind]:
            general += faces
        else:
            out.append(Feature({TYPE_FIELD: kind}, geom))
    if general:
        out.append(Feature({TYPE_FIELD: "一般管控"}, _union_faces(general)))
    return out


def make_resources(c: County, seed: int, budget: Budget) -> List[Feature]:
    rng = rng_for(seed, c, "resource")
    local = c.frame.km(c.geom)
    out: List[Feature] = []
    placed: List[BaseGeometry] = []

    def add(geom_deg, kind: str, min_km2: float) -> None:
        geom = shapely.intersection(geom_deg, c.geom)
        for prev in placed:
            geom = shapely.difference(geom, prev)
        geom = as_multi(geom, c.frame.deg_area(0.02))
        if not geom.is_empty and c.frame.km2(geom) >= min_km2:
            placed.append(geom)
            out.append(Feature({TYPE_FIELD: kind}, geom))

    if c.urban:
        seat = c.urban if c.kind == "core" else c.urban[:1]
        dist = rng.uniform(2.0, 4.0) if c.kind == "core" else rng.uniform(0.5, 2.0)
        zone = shapely.buffer(c.frame.km(shapely.union_all(seat)), dist, quad_segs=4)
        zone = shapely.simplify(zone, 0.05 / budget.scale)
        add(c.frame.deg(zone), "高污染燃料禁燃区", 0.5)
    if rng.random() < (0.55 if c.frame.lon0 < 127.5 else 0.2):
        for centre in random_points(rng, local, int(rng.integers(1, 3)), 0.3 * math.sqrt(c.area_km2)):
            area = c.area_km2 * rng.uniform(0.05, 0.2)
            add(c.frame.deg(blob(rng, centre, area, budget.patch(area), roughness=0.3)), "地下水开采重点管控", 1.0)
    if rng.random() < 0.3:
        for centre in random_points(rng, local, 1):
            area = c.area_km2 * rng.uniform(0.02, 0.08)
            add(c.frame.deg(blob(rng, centre, area, budget.patch(area), roughness=0.45)), "生态用水补给区", 0.5)
    return out


# ------------------------------------------------------------------------------------------------------ generate
def generate_layers(counties: Sequence[County], seed: int = 42, scale: float = 1.0) -> Dict[str, List[Feature]]:
    """All clean layers, in a fixed order (fid = position + 1)."""
    budget = Budget(scale)
    layers: Dict[str, List[Feature]] = {name: [] for name in LAYERS}
    admin = shapely.coverage_union_all([c.geom for c in counties])
    place_towns(counties, seed)
    park_names: set = set()
    site_names: set = set()
    city_templates: Dict[str, int] = {}
    for c in counties:
        layers["urban"] += make_urban(c, seed, budget)
    for c in counties:
        layers["parks"] += make_parks(c, seed, budget, park_names, city_templates)
    for c in counties:
        layers["construction_risk"] += make_sites(c, seed, site_names)
    built = shapely.union_all([g for c in counties for g in c.urban + c.parks])
    layers["eco_redline"] = make_redline(counties, seed, budget, admin, built)
    red = [f.geom for f in layers["eco_redline"]]
    redline_union = shapely.union_all(red) if red else Polygon()
    shapely.prepare(redline_union)
    for c in counties:
        layers["eco_general"] += make_eco_general(c, seed, budget, red, built)
    # full-cover layers: one network per county, assembled for all counties at once (exact shared edges)
    rngs = [rng_for(seed, c, "water") for c in counties]
    nets = [cell_network(c, rng, n_water_cells(c), budget) for c, rng in zip(counties, rngs)]
    for c, rng, groups in zip(counties, rngs, assemble_cover(counties, nets)):
        layers["water_zones"] += make_water(c, rng, _sorted_cells(groups), redline_union)
    rngs = [rng_for(seed, c, "air") for c in counties]
    nets = [cell_network(c, rng, n_air_cells(c), budget) for c, rng in zip(counties, rngs)]
    for c, rng, groups in zip(counties, rngs, assemble_cover(counties, nets)):
        layers["air_zones"] += make_air(c, rng, _sorted_cells(groups), redline_union)
    soil = [soil_network(c, rng_for(seed, c, "soil"), budget) for c in counties]
    covers = assemble_cover(counties, [net for net, _ in soil], nearest=False)
    for c, (_, kinds), groups in zip(counties, soil, covers):
        layers["soil_zones"] += make_soil(c, groups, kinds)
    for c in counties:
        layers["resource_zones"] += make_resources(c, seed, budget)
    for feats in layers.values():
        for f in feats:
            f.geom = orient(as_multi(f.geom))
    return layers


# --------------------------------------------------------------------------------------------------------- messy
@dataclass
class Fault:
    layer: str
    fid: int
    kind: str
    detail: str


def _largest_polygon(geom: BaseGeometry) -> Polygon:
    return max(shapely.get_parts(geom), key=lambda p: p.area)


def _replace_largest(geom: BaseGeometry, new_part: Polygon) -> MultiPolygon:
    parts = list(shapely.get_parts(geom))
    i = max(range(len(parts)), key=lambda k: parts[k].area)
    parts[i] = new_part
    return MultiPolygon(parts)


def _pick(rng: np.random.Generator, feats: Sequence[Feature], ok: Callable[[int, Feature], bool]) -> int:
    order = list(rng.permutation(len(feats)))
    for i in order:
        if ok(int(i), feats[int(i)]):
            return int(i)
    raise RuntimeError("no feature suitable for the fault")


def _spike(rng: np.random.Generator, layer: str, feats: List[Feature], i: int, c: County, note: Callable) -> bool:
    """Insert a narrow outward spike (tip 40-120 m out, 0.5 m wide base) into the largest ring of feature i."""
    poly = _largest_polygon(feats[i].geom)
    ring = np.asarray(poly.exterior.coords)[:-1]
    k = np.array([c.frame.kx, c.frame.ky])
    sign = 1.0 if poly.exterior.is_ccw else -1.0
    others = shapely.union_all([f.geom for n, f in enumerate(feats) if n != i and f.geom.intersects(c.geom)])
    for j in range(len(ring) // 4, len(ring) - 1):
        a, p, b = ring[j - 1], ring[j], ring[j + 1]
        t = (b - a) * k
        t /= max(float(np.linalg.norm(t)), 1e-12)
        normal = sign * np.array([t[1], -t[0]])  # right-hand normal: outward for a counter-clockwise shell
        length = float(rng.uniform(0.04, 0.12))
        tip = p + normal * length / k
        base = p + (b - p) * min(0.0005 / max(float(np.linalg.norm((b - p) * k)), 1e-12), 0.5)
        new_ring = np.vstack([ring[: j + 1], tip, base, ring[j + 1 :], ring[:1]])
        trial = Polygon(new_ring, [h.coords for h in poly.interiors])
        if trial.is_valid and c.geom.contains(Point(tip)) and not others.intersects(Point(tip).buffer(1e-4)):
            feats[i].geom = _replace_largest(feats[i].geom, trial)
            note(layer, i, "spike", f"{length * 1000:.0f} m long, 0.5 m wide spike at vertex {j}")
            return True
    return False


def add_faults(
    layers: Dict[str, List[Feature]], counties: Sequence[County], seed: int
) -> Tuple[Dict[str, List[Feature]], List[Fault]]:
    """The same layers with deliberate faults, each one listed (fids are 1-based positions)."""
    rng = np.random.default_rng([int(seed), SALTS["messy"]])
    out = {name: [Feature(dict(f.attrs), f.geom) for f in feats] for name, feats in layers.items()}
    faults: List[Fault] = []
    admin = shapely.coverage_union_all([c.geom for c in counties])

    def county_of(geom: BaseGeometry) -> County:
        p = geom.representative_point()
        for c in counties:
            if c.geom.contains(p):
                return c
        return min(counties, key=lambda c: c.geom.distance(p))

    def note(layer: str, i: int, kind: str, detail: str) -> None:
        faults.append(Fault(layer, i + 1, kind, detail))

    # 1. self-intersections: a bow-tie site and a red-line patch with two swapped vertices
    sites = out["construction_risk"]
    i = _pick(rng, sites, lambda k, f: len(f.geom.geoms) == 1)
    x0, y0, x1, y1 = sites[i].geom.bounds
    bowtie = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])
    sites[i].geom = MultiPolygon([bowtie])
    note("construction_risk", i, "self_intersection", "bow-tie polygon (corners in crossed order)")
    red = out["eco_redline"]
    i = _pick(rng, red, lambda k, f: len(_largest_polygon(f.geom).exterior.coords) > 40)
    ring = np.asarray(_largest_polygon(red[i].geom).exterior.coords)[:-1]
    for j in range(len(ring) // 3, len(ring) - 2):
        trial = ring.copy()
        trial[[j, j + 1]] = trial[[j + 1, j]]
        poly = Polygon(np.vstack([trial, trial[:1]]), [h.coords for h in _largest_polygon(red[i].geom).interiors])
        if not poly.is_valid:
            red[i].geom = _replace_largest(red[i].geom, poly)
            note("eco_redline", i, "self_intersection", f"vertices {j} and {j + 1} of the outer ring swapped")
            break

    # 2. overlaps inside a layer: a water cell grown into its neighbour; an eco_general patch grown
    water = out["water_zones"]
    for layer_name, dist_m in (("water_zones", rng.uniform(300, 800)), ("eco_general", rng.uniform(300, 800))):
        feats = out[layer_name]
        for i in [int(k) for k in rng.permutation(len(feats))]:
            f = feats[i]
            c = county_of(f.geom)
            grown = shapely.intersection(c.frame.buffer(f.geom, dist_m / 1000.0, quad_segs=4), c.geom)
            others = [k for k in range(len(feats)) if k != i and feats[k].geom.intersects(grown)]
            hit = [k for k in others if shapely.intersection(feats[k].geom, grown).area > c.frame.deg_area(0.05)]
            if not hit:
                continue
            k = hit[0]
            extra = shapely.intersection(grown, feats[k].geom)
            f.geom = as_multi(shapely.union(f.geom, extra))
            area = c.frame.km2(shapely.intersection(f.geom, feats[k].geom)) * 1e6
            note(layer_name, i, "overlap", f"grown by {dist_m:.0f} m into fid {k + 1}: overlap {area:.0f} m²")
            break

    # 3. parts outside the admin area: a red-line patch and a water cell pushed over the outer boundary
    outer = admin.boundary
    for layer_name in ("eco_redline", "water_zones"):
        feats = out[layer_name]
        i = min(
            (k for k in range(len(feats)) if not any(fl.layer == layer_name and fl.fid == k + 1 for fl in faults)),
            key=lambda k: feats[k].geom.distance(outer) + (0 if feats[k].geom.area > 0 else 1),
        )
        f = feats[i]
        c = county_of(f.geom)
        touch = nearest_points(outer, f.geom)[0]
        lobe_km2 = rng.uniform(0.8, 4.0)
        lobe = c.frame.deg(blob(rng, tuple(c.frame.km(touch).coords[0]), lobe_km2, 40, roughness=0.3))
        f.geom = as_multi(shapely.union(f.geom, shapely.difference(lobe, admin)))
        outside = c.frame.km2(shapely.difference(f.geom, admin))
        note(layer_name, i, "outside_admin", f"lobe of {outside:.2f} km² beyond the outer boundary of the counties")

    # 4. thin gaps and overlaps between neighbouring cells of the full-cover partitions
    def neighbours(feats: Sequence[Feature], exclude: set) -> Tuple[int, int, BaseGeometry]:
        for i in [int(k) for k in rng.permutation(len(feats))]:
            if i in exclude:
                continue
            for k in range(len(feats)):
                if k == i or k in exclude or not feats[i].geom.intersects(feats[k].geom):
                    continue
                edge = shapely.intersection(feats[i].geom.boundary, feats[k].geom.boundary)
                if edge.length > 0.005 and county_of(feats[i].geom).frame.km2(feats[i].geom) > 5:
                    return i, k, edge
        raise RuntimeError("no neighbouring cells")

    used = {fl.fid - 1 for fl in faults if fl.layer == "water_zones"}
    i, k, edge = neighbours(water, used)
    c = county_of(water[i].geom)
    width = rng.uniform(2.0, 6.0)
    water[i].geom = as_multi(shapely.difference(water[i].geom, c.frame.buffer(edge, width / 1000.0, quad_segs=2)))
    note("water_zones", i, "gap", f"{width:.1f} m wide gap along the boundary with fid {k + 1}")
    air = out["air_zones"]
    i, k, edge = neighbours(air, set())
    c = county_of(air[i].geom)
    width = rng.uniform(2.0, 6.0)
    strip = shapely.intersection(c.frame.buffer(edge, width / 1000.0, quad_segs=2), air[k].geom)
    air[i].geom = as_multi(shapely.union(air[i].geom, strip))
    note("air_zones", i, "sliver_overlap", f"{width:.1f} m wide overlap along the boundary with fid {k + 1}")
    i, k, edge = neighbours(air, {i, k})
    c = county_of(air[i].geom)
    width = rng.uniform(2.0, 6.0)
    air[i].geom = as_multi(shapely.difference(air[i].geom, c.frame.buffer(edge, width / 1000.0, quad_segs=2)))
    note("air_zones", i, "gap", f"{width:.1f} m wide gap along the boundary with fid {k + 1}")

    # 5. slivers between layers: an eco_general patch cut out of the red line on a slightly shifted base
    gen = out["eco_general"]
    red_union = shapely.union_all([f.geom for f in red if f.geom.is_valid])
    taken = {fl.fid - 1 for fl in faults if fl.layer == "eco_general"}
    cands = [
        k
        for k in range(len(gen))
        if k not in taken
        and shapely.intersection(gen[k].geom, red_union).area > county_of(gen[k].geom).frame.deg_area(0.1)
    ]
    for n_done, i in enumerate(cands[:2]):
        c = county_of(gen[i].geom)
        width = rng.uniform(2.0, 8.0) * (1 if n_done == 0 else -1)
        cut = c.frame.buffer(red_union.intersection(c.geom.buffer(0.2)), -width / 1000.0, quad_segs=2)
        new = as_multi(shapely.difference(gen[i].geom, cut))
        if new.is_empty:
            continue
        gen[i].geom = new
        what = "overlaps the red line by" if width > 0 else "leaves a gap to the red line of"
        note("eco_general", i, "sliver_between_layers", f"cut out of the red line but {what} {abs(width):.1f} m")

    # 6. repeated points and a tiny spike
    urban = out["urban"]
    i = _pick(rng, urban, lambda k, f: len(_largest_polygon(f.geom).exterior.coords) > 10)
    poly = _largest_polygon(urban[i].geom)
    coords = list(poly.exterior.coords)
    j = len(coords) // 2
    coords = coords[:j] + [coords[j]] * 3 + coords[j + 1 :] + [coords[0], coords[0]]
    urban[i].geom = _replace_largest(urban[i].geom, Polygon(coords, [h.coords for h in poly.interiors]))
    note("urban", i, "repeated_point", f"vertex {j} repeated 3 times, closing point repeated 3 times")
    parks = out["parks"]
    for i in [int(k) for k in rng.permutation(len(parks))]:
        if _spike(rng, "parks", parks, i, county_of(parks[i].geom), note):
            break
    soil = out["soil_zones"]

    # 7. an EMPTY geometry
    soil.append(Feature({TYPE_FIELD: "农用地污染风险"}, MultiPolygon()))
    note("soil_zones", len(soil) - 1, "empty_geometry", "EMPTY MultiPolygon")

    # 8. exact duplicates (appended at the end of the layer)
    for layer_name in ("eco_redline", "water_zones", "parks"):
        feats = out[layer_name]
        if not feats:
            continue
        taken = {fl.fid - 1 for fl in faults if fl.layer == layer_name}
        i = _pick(rng, feats, lambda k, f, taken=taken: k not in taken and f.geom.is_valid and not f.geom.is_empty)
        feats.append(Feature(dict(feats[i].attrs), feats[i].geom))
        note(layer_name, len(feats) - 1, "duplicate", f"exact copy of fid {i + 1}")
    return out, faults


# ------------------------------------------------------------------------------------------------------- writing
def write_gpkg(
    path: Path, layers: Dict[str, List[Feature]], faults: Optional[List[Fault]], metadata: Dict[str, object]
) -> None:
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    ogr.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", FIXED_DATE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4490)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        for name in LAYERS:
            layer = ds.CreateLayer(name, srs, ogr.wkbMultiPolygon, options=["FID=fid", "GEOMETRY_NAME=geom"])
            for fname in LAYER_FIELDS[name]:
                layer.CreateField(ogr.FieldDefn(fname, ogr.OFTString))
            defn = layer.GetLayerDefn()
            layer.StartTransaction()
            for fid, f in enumerate(layers[name], start=1):
                feat = ogr.Feature(defn)
                feat.SetFID(fid)
                for fname in LAYER_FIELDS[name]:
                    feat.SetField(fname, f.attrs[fname])
                geom = f.geom if isinstance(f.geom, MultiPolygon) else MultiPolygon(list(shapely.get_parts(f.geom)))
                feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(shapely.to_wkb(geom, byte_order=1)))
                layer.CreateFeature(feat)
            layer.CommitTransaction()
        if faults is not None:
            layer = ds.CreateLayer(FAULTS_LAYER, None, ogr.wkbNone, options=["FID=fault_id"])
            for fname in FAULT_FIELDS:
                layer.CreateField(ogr.FieldDefn(fname, ogr.OFTInteger if fname == "fid" else ogr.OFTString))
            defn = layer.GetLayerDefn()
            for n, fl in enumerate(faults, start=1):
                feat = ogr.Feature(defn)
                feat.SetFID(n)
                feat.SetField("layer", fl.layer)
                feat.SetField("fid", fl.fid)
                feat.SetField("kind", fl.kind)
                feat.SetField("detail", fl.detail)
                layer.CreateFeature(feat)
        ds.SetMetadataItem(METADATA_KEY, json.dumps(metadata, ensure_ascii=False, sort_keys=True))
        ds = None
    finally:
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)
    # Small pages waste less space on the overflow pages of geometry blobs (about 13 % smaller files).
    con = sqlite3.connect(str(path))
    try:
        con.execute("PRAGMA page_size = 1024")
        con.execute("VACUUM")
    finally:
        con.close()


def generate(
    counties_path: Path, out_path: Path, seed: int = 42, scale: float = 1.0, messy: bool = False, verbose: bool = False
) -> Dict[str, object]:
    """Generate the layers into ``out_path``; returns the counts (features and vertices per layer)."""
    t0 = time.time()
    counties = read_counties(Path(counties_path))
    if not counties:
        raise SystemExit(f"no counties in {counties_path}")
    layers = generate_layers(counties, seed=seed, scale=scale)
    faults = None
    if messy:
        layers, faults = add_faults(layers, counties, seed)
    metadata = {
        "generator": "scripts/generate_zones.py",
        "version": GENERATOR_VERSION,
        "seed": seed,
        "scale": scale,
        "messy": messy,
        "counties": Path(counties_path).name,
        "geos": shapely.geos_version_string,
        "synthetic": True,
    }
    write_gpkg(Path(out_path), layers, faults, metadata)
    counts = {name: (len(feats), sum(vertices(f.geom) for f in feats)) for name, feats in layers.items()}
    stats = {
        "layers": counts,
        "features": sum(n for n, _ in counts.values()),
        "vertices": sum(v for _, v in counts.values()),
        "faults": len(faults or []),
        "seconds": round(time.time() - t0, 1),
    }
    if verbose:
        print(f"{len(counties)} counties -> {out_path} ({'messy' if messy else 'clean'}, seed {seed}, scale {scale})")
        for name, (n, v) in counts.items():
            print(f"  {name:<18} {n:>6} features {v:>9} vertices")
        print(f"  {'total':<18} {stats['features']:>6} features {stats['vertices']:>9} vertices")
        if faults:
            print(f"  faults: {len(faults)} ({', '.join(sorted({f.kind for f in faults}))})")
        print(f"  {stats['seconds']} s")
    return stats


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--counties", required=True, type=Path, help="GeoPackage with layer 'counties' (extract_counties.py)"
    )
    ap.add_argument("--out", required=True, type=Path, help="output GeoPackage (overwritten)")
    ap.add_argument("--messy", action="store_true", help="add deliberate faults, listed in layer 'faults'")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--scale", type=float, default=1.0, help="vertex-density factor (default 1.0, Harbin sample 0.18)")
    args = ap.parse_args(argv)
    generate(args.counties, args.out, seed=args.seed, scale=args.scale, messy=args.messy, verbose=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
