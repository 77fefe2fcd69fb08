"""The committed Harbin sample data (resources/sample): real county coverage, synthetic raw element zones.

Uses shapely and osgeo.ogr only (no QGIS). The zone generator (scripts/generate_zones.py) is loaded from its file
to read the documented 类型 mapping and to check that regenerating gives the committed geometries.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

shapely = pytest.importorskip("shapely")
ogr = pytest.importorskip("osgeo.ogr")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
COUNTIES = SAMPLE / "harbin_counties.gpkg"
CLEAN = SAMPLE / "harbin_zones.gpkg"
MESSY = SAMPLE / "harbin_zones_messy.gpkg"
COUNTY_FIELDS = ("XZQDM", "COUNTY", "CITY", "CITY_CODE", "PROV", "PROV_CODE")
# 1e-7 deg² is about 850 m² at Harbin's latitude
SMALL = 1e-7


def _load_script(name: str):
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_ecozoning_script_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _read(path: Path, layer_name: str):
    """[(fid, attributes, shapely geometry or None)] of one layer, in fid order."""
    ds = ogr.Open(str(path))
    assert ds is not None, f"cannot open {path}"
    layer = ds.GetLayerByName(layer_name)
    assert layer is not None, f"{path.name} has no layer {layer_name}"
    rows = []
    for feat in layer:
        ref = feat.GetGeometryRef()
        geom = None if ref is None else shapely.from_wkb(bytes(ref.ExportToIsoWkb()))
        rows.append((feat.GetFID(), feat.items(), geom))
    rows.sort(key=lambda r: r[0])
    return rows


@pytest.fixture(scope="module")
def gen():
    return _load_script("generate_zones")


@pytest.fixture(scope="module")
def counties():
    return _read(COUNTIES, "counties")


@pytest.fixture(scope="module")
def admin(counties):
    return shapely.union_all([g for _, _, g in counties])


@pytest.fixture(scope="module")
def clean(gen):
    return {name: _read(CLEAN, name) for name in gen.LAYERS}


@pytest.fixture(scope="module")
def messy(gen):
    layers = {name: _read(MESSY, name) for name in gen.LAYERS}
    layers[gen.FAULTS_LAYER] = _read(MESSY, gen.FAULTS_LAYER)
    return layers


# ------------------------------------------------------------------------------------------------------ counties
def test_counties_are_the_18_harbin_counties(counties):
    assert len(counties) == 18
    codes = [a["XZQDM"] for _, a, _ in counties]
    assert all(re.fullmatch(r"2301\d\d", c) for c in codes), codes
    assert len(set(codes)) == 18
    assert codes == sorted(codes)
    for _, attrs, _ in counties:
        assert set(COUNTY_FIELDS) <= set(attrs)
        assert attrs["CITY"] == "哈尔滨市" and attrs["CITY_CODE"] == "230100"
        assert attrs["PROV"] == "黑龙江省" and attrs["PROV_CODE"] == "230000"
        assert attrs["COUNTY"] and attrs["COUNTY"][-1] in "区县市"
    assert {a["COUNTY"] for _, a, _ in counties} >= {"道里区", "南岗区", "五常市", "尚志市", "宾县"}


def test_counties_form_a_clean_coverage(counties):
    geoms = [g for _, _, g in counties]
    assert all(g.geom_type == "MultiPolygon" and g.is_valid and not g.is_empty for g in geoms)
    assert shapely.coverage_is_valid(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    overlap = sum(shapely.intersection(geoms[i], geoms[j]).area for i, j in zip(left, right) if i < j)
    assert overlap < 1e-12
    # neighbours really share their boundaries (they are not just close)
    shared = sum(
        shapely.intersection(geoms[i].boundary, geoms[j].boundary).length for i, j in zip(left, right) if i < j
    )
    assert shared > 10.0  # degrees of shared boundary, Harbin has dozens of county pairs
    ds = ogr.Open(str(COUNTIES))
    assert ds.GetLayerByName("counties").GetSpatialRef().GetAuthorityCode(None) == "4490"


def test_sample_files_stay_small():
    assert COUNTIES.stat().st_size < 400 * 1024
    assert CLEAN.stat().st_size < 1.6 * 1024 * 1024
    assert MESSY.stat().st_size < 1.6 * 1024 * 1024


def test_extract_counties_repairs_overlaps_and_slivers():
    ec = _load_script("extract_counties")
    a = shapely.box(0, 0, 1, 1)
    b = shapely.box(1.00001, 0, 2, 1)  # 1e-5 wide sliver gap to a
    c = shapely.box(0, 1, 2, 2)
    d = shapely.box(0, -1, 2, 0.1)  # overlaps a and b by 0.1 high strips
    assert not shapely.coverage_is_valid([a, b, c, d])
    fixed = ec.repair_coverage([a, b, c, d], gap_width=1e-3)
    assert shapely.coverage_is_valid(fixed)
    assert all(g.is_valid and g.geom_type == "MultiPolygon" for g in fixed)
    assert fixed[0].area == pytest.approx(1.0, abs=2e-5)  # a keeps the overlap (lower code first)
    assert fixed[3].area == pytest.approx(2.0, abs=2e-5)  # d loses it
    assert shapely.union_all(fixed).area == pytest.approx(6.0, abs=1e-12)  # the sliver was closed
    assert sum(g.area for g in fixed) == pytest.approx(6.0, abs=1e-12)
    simple = ec.simplify_coverage(fixed, 0.01)
    assert shapely.coverage_is_valid(simple)


# ---------------------------------------------------------------------------------------------------- zone layers
@pytest.mark.parametrize("path", [CLEAN, MESSY], ids=["clean", "messy"])
def test_zone_layers_exist_with_their_fields(gen, path):
    ds = ogr.Open(str(path))
    for name, fields in gen.LAYER_FIELDS.items():
        layer = ds.GetLayerByName(name)
        assert layer is not None, name
        defn = layer.GetLayerDefn()
        names = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}
        assert set(fields) <= names, (name, names)
        assert ogr.GeometryTypeToName(layer.GetGeomType()) == "Multi Polygon"
        assert layer.GetSpatialRef().GetAuthorityCode(None) == "4490"
        assert layer.GetFeatureCount() > 0
    has_faults = ds.GetLayerByName(gen.FAULTS_LAYER) is not None
    assert has_faults == (path == MESSY)


def test_layer_sizes_are_plausible(clean, counties):
    n = len(counties)
    assert 2 * n <= len(clean["eco_redline"]) <= 6 * n
    assert 2 * n <= len(clean["eco_general"]) <= 5 * n
    assert len(clean["urban"]) <= 2 * n
    assert len(clean["parks"]) <= 3 * n
    names = [a["NAME"] for _, a, _ in clean["parks"]]
    assert len(names) == len(set(names)), "park names are unique"
    assert "哈尔滨经济技术开发区" in names
    for _, attrs, geom in clean["construction_risk"]:
        km2 = geom.area * 111.32 * 0.70 * 110.57  # cos(45.5°) ~ 0.70
        assert 0.015 < km2 < 0.6, (attrs, km2)
        assert attrs["NAME"].startswith("原") and attrs["NAME"].endswith("地块")


def test_every_type_value_is_in_the_documented_mapping(gen, clean, messy):
    for layers in (clean, messy):
        for name, mapping in gen.VALUE_MAPS.items():
            values = {a[gen.TYPE_FIELD] for _, a, _ in layers[name]}
            assert values <= set(mapping), (name, values - set(mapping))
    for name, mapping in gen.VALUE_MAPS.items():  # the clean sample uses every value of water and soil
        if name in ("water_zones", "soil_zones"):
            assert {a[gen.TYPE_FIELD] for _, a, _ in clean[name]} == set(mapping)
        text = gen.value_map_string(name)
        assert dict(item.split(":") for item in text.split(";")) == mapping


def test_mapped_keys_exist_in_the_national_taxonomy(gen):
    yaml = pytest.importorskip("yaml")
    zones = yaml.safe_load((ROOT / "resources" / "taxonomy" / "national.yaml").read_text(encoding="utf-8"))["zones"]
    keys = {k for m in gen.VALUE_MAPS.values() for k in m.values()} | set(gen.LAYER_SUBTYPES.values())
    assert keys <= set(zones), keys - set(zones)
    layers_yaml = SAMPLE / "layers.yaml"
    if layers_yaml.exists():  # the demo's layer parameters must use the generator's mapping
        spec = yaml.safe_load(layers_yaml.read_text(encoding="utf-8"))["layers"]
        for name, params in spec.items():
            if "value_map" in params:
                assert params["value_map"] == gen.value_map_string(name), name
            else:
                assert params["subtype"] == gen.LAYER_SUBTYPES[name], name


def test_clean_variant_is_clean(gen, clean, admin):
    for name, rows in clean.items():
        geoms = [g for _, _, g in rows]
        assert all(g is not None and not g.is_empty and g.is_valid for g in geoms), name
        wkbs = [shapely.to_wkb(g) for g in geoms]
        assert len(set(wkbs)) == len(wkbs), f"{name} has duplicates"
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        overlap = sum(shapely.intersection(geoms[i], geoms[j]).area for i, j in zip(left, right) if i < j)
        assert overlap < SMALL, f"{name} overlaps itself by {overlap} deg²"
        outside = sum(shapely.difference(g, admin).area for g in geoms)
        assert outside < SMALL, f"{name} sticks out of the counties by {outside} deg²"


@pytest.mark.parametrize("name", ["water_zones", "air_zones", "soil_zones"])
def test_clean_partitions_cover_every_county(clean, counties, name):
    geoms = [g for _, _, g in clean[name]]
    assert shapely.coverage_is_valid(geoms), f"{name} is not an exact coverage"
    tree = shapely.STRtree(geoms)
    for _, attrs, county in counties:
        # per-feature intersections (robust: no big overlay of nearly coincident edges)
        pieces = [shapely.intersection(geoms[i], county) for i in tree.query(county, predicate="intersects")]
        covered = shapely.union_all(pieces).area
        assert covered >= 0.999 * county.area, (name, attrs["COUNTY"], covered / county.area)


def test_redline_patches_cross_county_lines(clean, counties):
    geoms = [g for _, _, g in counties]
    crossing = 0
    for _, _, patch in clean["eco_redline"]:
        hits = [c for c in geoms if shapely.intersection(patch, c).area > SMALL]
        crossing += len(hits) > 1
    assert crossing >= 3


# ---------------------------------------------------------------------------------------------------------- messy
def test_messy_lists_every_fault_kind(gen, messy):
    faults = messy[gen.FAULTS_LAYER]
    kinds = {a["kind"] for _, a, _ in faults}
    assert kinds == set(gen.FAULT_KINDS)
    for _, attrs, _ in faults:
        fids = {fid for fid, _, _ in messy[attrs["layer"]]}
        assert attrs["fid"] in fids, attrs


def _faulted(gen, messy, kind):
    rows = [(a["layer"], a["fid"], a["detail"]) for _, a, _ in messy[gen.FAULTS_LAYER] if a["kind"] == kind]
    assert rows, kind
    return rows


def _geom(messy, layer, fid):
    return next(g for f, _, g in messy[layer] if f == fid)


def test_messy_faults_are_real(gen, messy, admin, counties):
    for layer, fid, _ in _faulted(gen, messy, "self_intersection"):
        assert not _geom(messy, layer, fid).is_valid
    for layer, fid, _ in _faulted(gen, messy, "empty_geometry"):
        assert _geom(messy, layer, fid).is_empty
    for layer, fid, detail in _faulted(gen, messy, "duplicate"):
        original = int(re.search(r"fid (\d+)", detail).group(1))
        copy = next(r for r in messy[layer] if r[0] == fid)
        first = next(r for r in messy[layer] if r[0] == original)
        assert shapely.to_wkb(copy[2]) == shapely.to_wkb(first[2]) and copy[1] == first[1]
    water_overlaps = [r for r in _faulted(gen, messy, "overlap") if r[0] == "water_zones"]
    assert water_overlaps
    for layer, fid, detail in water_overlaps:
        other = int(re.search(r"fid (\d+)", detail).group(1))
        assert shapely.intersection(_geom(messy, layer, fid), _geom(messy, layer, other)).area > SMALL
    for layer, fid, _ in _faulted(gen, messy, "outside_admin"):
        assert shapely.difference(_geom(messy, layer, fid), admin).area > SMALL
    for layer, fid, _ in _faulted(gen, messy, "repeated_point"):
        coords = shapely.get_coordinates(_geom(messy, layer, fid))
        assert (abs(coords[1:] - coords[:-1]).sum(axis=1) == 0).any()
    # a thin gap in the water partition: one county is no longer covered exactly, but almost
    water = [g for _, _, g in messy["water_zones"] if g.is_valid and not g.is_empty]
    shortfall = []
    for _, _, county in counties:
        covered = shapely.union_all([shapely.intersection(g, county) for g in water if g.intersects(county)]).area
        shortfall.append(1 - covered / county.area)
    assert 1e-9 < max(shortfall) < 1e-3


def test_messy_is_clean_apart_from_the_listed_faults(gen, clean, messy):
    listed = {(a["layer"], a["fid"]) for _, a, _ in messy[gen.FAULTS_LAYER]}
    for name in gen.LAYERS:
        before = {fid: (a, shapely.to_wkb(g)) for fid, a, g in clean[name]}
        for fid, attrs, geom in messy[name]:
            if (name, fid) in listed:
                continue
            assert fid in before, (name, fid)
            assert before[fid] == (attrs, shapely.to_wkb(geom)), (name, fid)


# ------------------------------------------------------------------------------------------------ reproducibility
def test_regenerating_gives_the_committed_clean_zones(gen, clean, tmp_path):
    meta = json.loads(ogr.Open(str(CLEAN)).GetMetadataItem(gen.METADATA_KEY))
    assert meta["messy"] is False
    out = tmp_path / "zones.gpkg"
    gen.generate(COUNTIES, out, seed=meta["seed"], scale=meta["scale"], messy=False)
    mismatched = []
    for name in gen.LAYERS:
        again = _read(out, name)
        assert len(again) == len(clean[name]), name
        for (fid1, a1, g1), (fid2, a2, g2) in zip(clean[name], again):
            # Another CPU may round the last bit differently: geometry is equal within 1e-9 degrees (0.1 mm).
            if fid1 != fid2 or a1 != a2 or not shapely.equals_exact(shapely.normalize(g1), shapely.normalize(g2), 1e-9):
                mismatched.append((name, fid1))
    if mismatched and meta["geos"] != shapely.geos_version_string:
        pytest.skip(f"sample made with GEOS {meta['geos']}, this is {shapely.geos_version_string}: {mismatched[:3]}")
    assert not mismatched, mismatched[:10]
