"""Public lookup (公共查阅): the scheme as a static web site anyone can query by map or coordinates.

What is published is only the public content of the scheme: unit geometry, codes, names, classes, counties and
the effective admission list of every unit (by dimension, each clause with the level it comes from, computed
with `Library.effective` exactly as the list dock shows it). No other attribute of the unit layer is copied.

Layout of the site (works from any static web server, and from file:// where the browser allows scripts):

    index.html  lookup.css  lookup.js  coords.js       the page (templates of resources/lookup)
    vendor/leaflet/                                     Leaflet, its CSS, images and LICENSE
    data/overview.js                                    title, legend, counties, simplified unit outlines
    data/county/<6-digit>.js                            full-precision units and lists of one county,
                                                        loaded on demand when a query falls in it

Data files are JavaScript (`ECOZ.overview(...)`, `ECOZ.county(...)`) rather than JSON so that a browser opening
the site from a USB stick (file://) can load them with <script> tags, where fetch() would be refused.

The drawing uses a simplified, topology-preserving copy (`simplify_coverage`): the shared edges of the units are
simplified once, so neighbours keep a common boundary (no gaps, no overlaps). It uses only GEOS operations that
QGIS's own GEOS 3.11 has (no coverage_simplify, which needs GEOS 3.12), so it gives the same result in QGIS and
outside it.
"""

from __future__ import annotations

import datetime
import html
import json
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from .errors import EcoZoningError
from .geometry import as_multipolygon, dissolve, repair
from .lists import (
    DIMENSIONS,
    KIND_LABELS,
    KIND_LABELS_EN,
    LEVEL_COLORS,
    LEVEL_LABELS,
    LEVEL_LABELS_EN,
    Library,
    city_of,
)
from .schema import CLASS_LABELS, CLASS_LABELS_EN

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "lookup")
MARKER = "ecozoning_lookup.json"  # written in every published site: what an OVERWRITE may replace
DEFAULT_TOLERANCE = 0.0003  # degrees (~30 m): the drawing at county scale; answers use the full geometry
OVERVIEW_DIGITS = 5  # ~1 m: coordinates of the drawing
BOUNDARY_TOLERANCE_M = 1.0  # a point closer than this to two units is on their boundary
TEMPLATE_FILES = ("index.html", "lookup.css", "lookup.js", "coords.js")


class PublishError(EcoZoningError):
    pass


@dataclass
class PublishUnit:
    code: str
    name: str
    unit_class: int | None
    county_code: str
    county_name: str
    geom: object
    subtypes: list[str] = field(default_factory=list)


@dataclass
class Site:
    overview: dict
    counties: dict[str, dict]
    units_without_list: list[str] = field(default_factory=list)
    units_without_clauses: list[str] = field(default_factory=list)
    vertex_count: int = 0
    drawn_vertex_count: int = 0


# --- the drawing: simplified shared edges ------------------------------------------------------------------------
def simplify_coverage(geoms, tolerance: float) -> list:
    """Simplify polygons that form a coverage without opening gaps or overlaps between neighbours.

    The boundaries of all polygons are noded into one network of edges (each shared edge once, broken at the
    points where three or more polygons meet), each edge is simplified on its own with its ends kept (so both
    neighbours get the same simplified edge), edges that the simplification made cross another edge go back to
    their full detail, and the network is polygonized again; every face goes back to the polygon it lies in. A
    polygon whose faces all vanish keeps its own simplification. Empty input stays empty."""
    geoms = list(geoms)
    if tolerance <= 0 or not geoms:
        return geoms
    present = [i for i, g in enumerate(geoms) if g is not None and not g.is_empty]
    if not present:
        return geoms
    polys = np.asarray([geoms[i] for i in present], dtype=object)
    edges = shapely.get_parts(shapely.line_merge(shapely.union_all(shapely.boundary(polys))))
    simplified = shapely.simplify(edges, tolerance, preserve_topology=True)
    # put back the full detail of the edges that the simplification made cross, overlap or cover another one
    # (checked again around the edges put back); pairs of two full-detail edges are left as they are
    detailed = np.zeros(len(edges), bool)
    candidates = np.arange(len(edges))
    for _ in range(50):
        tree = shapely.STRtree(simplified)
        found = [tree.query(simplified[candidates], predicate=p) for p in ("crosses", "overlaps", "covers")]
        first = candidates[np.concatenate([f[0] for f in found])]
        second = np.concatenate([f[1] for f in found])
        bad = (first != second) & ~(detailed[first] & detailed[second])
        crossing = np.unique(np.concatenate([first[bad], second[bad]]))
        crossing = crossing[~detailed[crossing]]
        if not len(crossing):
            break
        simplified[crossing] = edges[crossing]
        detailed[crossing] = True
        candidates = crossing
    faces = shapely.get_parts(shapely.polygonize(simplified))
    faces = faces[shapely.area(faces) > 0]
    owner = np.full(len(faces), -1)
    tree = shapely.STRtree(polys)
    if len(faces):
        points = shapely.point_on_surface(faces)
        face_index, poly_index = tree.query(points, predicate="within")
        owner[face_index] = poly_index
        for f in np.flatnonzero(owner < 0):  # a face whose inner point moved out of its original: largest overlap
            candidates = tree.query(faces[f], predicate="intersects")
            if len(candidates):
                overlaps = shapely.area(shapely.intersection(polys[candidates], faces[f]))
                best = int(np.argmax(overlaps))
                if overlaps[best] > 0.5 * shapely.area(faces[f]):
                    owner[f] = candidates[best]
    by_poly: dict[int, list] = defaultdict(list)
    for f, p in enumerate(owner):
        if p >= 0:
            by_poly[int(p)].append(faces[f])
    result = list(geoms)
    for n, i in enumerate(present):
        parts = by_poly.get(n)
        if parts:
            result[i] = dissolve(parts)
        else:
            result[i] = shapely.simplify(polys[n], tolerance, preserve_topology=True)
    return result


def count_vertices(geoms) -> int:
    return int(sum(shapely.get_num_coordinates(g) for g in geoms if g is not None))


# --- the published content --------------------------------------------------------------------------------------
def clause_rows(library: Library, unit: PublishUnit) -> list[dict]:
    """The effective list of a unit, grouped by the four dimensions in their order (then clauses of an unknown
    dimension, as the list dock shows them). Each row: level, kind, id, text, industries, scope name."""
    groups: dict[str, list] = {d: [] for d in DIMENSIONS}
    others: list = []
    for entry in library.effective(unit.code, unit.unit_class, unit.subtypes):
        clause = entry.clause
        scope = entry.scope
        if entry.level == "region":
            scope = library.regions.get(entry.scope, {}).get("name") or entry.scope
        row = {
            "level": entry.level,
            "kind": clause.kind,
            "id": clause.id,
            "text": clause.text,
            "industries": list(clause.industries),
            "scope": scope,
        }
        groups.get(clause.dimension, others).append(row)
    result = [{"dimension": d, "clauses": groups[d]} for d in DIMENSIONS]
    if others:
        result.append({"dimension": "", "clauses": others})
    return result


def _rings(geom, digits: int | None) -> list:
    """MultiPolygon coordinates as nested lists ([[ring, hole…], polygon…]) at full precision; with `digits`, each
    ring is encoded compactly as integers at 10^digits: [x0, y0, dx1, dy1, …] (decoded by lookup.js)."""
    polygons = []
    for polygon in as_multipolygon(geom).geoms:
        rings = []
        for ring in (polygon.exterior, *polygon.interiors):
            coords = shapely.get_coordinates(ring)
            if digits is not None:
                ints = np.round(coords * 10**digits).astype(np.int64)
                # rounding may repeat a vertex: drop consecutive duplicates (keeps the ring closed)
                keep = np.ones(len(ints), bool)
                keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)
                ints = ints[keep]
                if len(ints) < 4:
                    continue
                deltas = np.vstack([ints[:1], np.diff(ints, axis=0)])
                rings.append(deltas.ravel().tolist())
            else:
                rings.append(coords.tolist())
        if rings and (digits is not None or len(rings[0]) >= 4):
            polygons.append(rings)
    return polygons


def _bbox(geom) -> list[float]:
    return [float(v) for v in shapely.bounds(geom)]


def build_site(
    units: list[PublishUnit],
    library: Library,
    *,
    title: str,
    version: str,
    date: str,
    class_colors: dict[int, str],
    county_names: dict[str, str] | None = None,
    tile_url: str = "",
    tolerance: float = DEFAULT_TOLERANCE,
    progress=None,
) -> Site:
    """Everything the page shows, from repaired units in EPSG:4490 (codes unique)."""
    if not units:
        raise PublishError("no units to publish")
    county_names = dict(county_names or {})
    site = Site(overview={}, counties={})
    geoms = [u.geom for u in units]
    site.vertex_count = count_vertices(geoms)
    drawn = simplify_coverage(geoms, tolerance)
    site.drawn_vertex_count = count_vertices(drawn)
    if progress:
        progress(40)

    by_county: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        by_county[unit.county_code].append(i)
    overview_units = []
    counties_meta = []
    for n, code in enumerate(sorted(by_county)):
        members = by_county[code]
        name = county_names.get(code) or next((units[i].county_name for i in members if units[i].county_name), code)
        records = []
        for i in sorted(members, key=lambda k: units[k].code):
            unit = units[i]
            rows = clause_rows(library, unit)
            notes = []
            unit_file = library.files.get(f"units/{city_of(unit.code)}.yaml")
            own = unit_file.units.get(unit.code, []) if unit_file is not None else []
            if not own:
                notes.append("no_unit_list")
                site.units_without_list.append(unit.code)
            if not any(group["clauses"] for group in rows):
                notes.append("no_clauses")
                site.units_without_clauses.append(unit.code)
            records.append(
                {
                    "code": unit.code,
                    "name": unit.name,
                    "class": unit.unit_class,
                    "county": name,
                    "county_code": code,
                    "notes": notes,
                    "lists": rows,
                    "bbox": _bbox(unit.geom),
                    "geom": _rings(unit.geom, None),
                }
            )
            overview_units.append(
                {"code": unit.code, "class": unit.unit_class, "county": code, "geom": _rings(drawn[i], OVERVIEW_DIGITS)}
            )
        outline = dissolve([drawn[i] for i in members])
        label = shapely.point_on_surface(outline) if not outline.is_empty else shapely.centroid(units[members[0]].geom)
        county_bbox = shapely.total_bounds([units[i].geom for i in members]).tolist()
        counties_meta.append(
            {
                "code": code,
                "name": name,
                "units": len(members),
                "bbox": county_bbox,
                "label": [round(label.x, OVERVIEW_DIGITS), round(label.y, OVERVIEW_DIGITS)],
                "outline": _rings(outline, OVERVIEW_DIGITS),
                "file": f"data/county/{code}.js",
            }
        )
        site.counties[code] = {"code": code, "name": name, "units": records}
        if progress:
            progress(40 + 50 * (n + 1) / len(by_county))

    site.overview = {
        "meta": {
            "title": title,
            "version": version,
            "date": date,
            "library": {"name": library.name, "version": library.version},
            "unit_count": len(units),
            "crs": "EPSG:4490",
            "drawing_digits": OVERVIEW_DIGITS,
            "bbox": shapely.total_bounds(geoms).tolist(),
            "tile_url": tile_url,
            "boundary_tolerance_m": BOUNDARY_TOLERANCE_M,
            "generator": "EcoZoning",
        },
        "classes": [
            {"class": c, "zh": CLASS_LABELS[c], "en": CLASS_LABELS_EN[c], "color": class_colors.get(c, "#cccccc")}
            for c in (1, 2, 3)
        ],
        "dimensions": [
            {"key": d, "zh": library.dimension_label(d, "zh"), "en": library.dimension_label(d, "en")}
            for d in DIMENSIONS
        ],
        "levels": {
            key: {"zh": LEVEL_LABELS[key], "en": LEVEL_LABELS_EN[key], "color": LEVEL_COLORS[key]}
            for key in LEVEL_LABELS
        },
        "kinds": {key: {"zh": KIND_LABELS[key], "en": KIND_LABELS_EN[key]} for key in KIND_LABELS},
        "counties": counties_meta,
        "units": overview_units,
    }
    return site


# --- writing ----------------------------------------------------------------------------------------------------
def _script(call: str, data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # a clause text holding "</script>" must not end the script of a page that inlines it
    text = text.replace("</", "<\\/")
    return f"ECOZ.{call}({text});\n"


def folder_state(folder: str) -> str:
    """'missing', 'empty', 'site' (an earlier publication) or 'other' (a non-empty folder of something else)."""
    if not os.path.exists(folder):
        return "missing"
    if not os.path.isdir(folder):
        return "other"
    entries = os.listdir(folder)
    if not entries:
        return "empty"
    return "site" if MARKER in entries else "other"


def write_site(
    site: Site, folder: str, overwrite: bool = False, template_dir: str = TEMPLATE_DIR, add_files=None
) -> list[str]:
    """Write the site into `folder`. A non-empty folder is refused unless `overwrite`; then the new site is
    written beside it and swapped in, the previous content kept as `<folder>.bak` until the next publication.
    `add_files(staging_root)` may add files (returning their relative paths) before the swap.
    Returns the files written (relative paths)."""
    folder = os.path.abspath(folder)
    state = folder_state(folder)
    if state in ("site", "other") and not overwrite:
        raise PublishError(
            f"{folder} is not empty: choose an empty or new folder, or set OVERWRITE to replace its content "
            "(the previous content is kept as a .bak folder)"
        )
    if state == "other" and not os.path.isdir(folder):
        raise PublishError(f"{folder} is a file, not a folder: choose a folder")
    parent = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(folder)}.tmp-", dir=parent)
    try:
        written = _write_into(site, staging, template_dir)
        if add_files is not None:
            written += add_files(staging)
        if state in ("site", "other", "empty"):
            mode = os.stat(folder).st_mode & 0o7777
            os.chmod(staging, mode)
            backup = folder + ".bak"
            if os.path.exists(backup):
                shutil.rmtree(backup)
            os.replace(folder, backup)
            os.replace(staging, folder)
            if state == "empty":
                os.rmdir(backup)
        else:
            os.chmod(staging, 0o755)  # nosec B103 - the folder of a public web site: the web server must read it
            os.replace(staging, folder)
    except BaseException:
        if os.path.exists(staging):
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _write_into(site: Site, root: str, template_dir: str) -> list[str]:
    written = []
    meta = site.overview["meta"]

    def put(relpath: str, text: str) -> None:
        path = os.path.join(root, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(path, 0o644)
        written.append(relpath)

    for name in TEMPLATE_FILES:
        with open(os.path.join(template_dir, name), encoding="utf-8") as handle:
            text = handle.read()
        if name == "index.html":
            text = text.replace("{{TITLE}}", html.escape(meta["title"])).replace(
                "{{VERSION}}", html.escape(meta["version"])
            )
        put(name, text)
    vendor = os.path.join(template_dir, "vendor")
    for dirpath, _dirs, files in os.walk(vendor):
        for name in sorted(files):
            source = os.path.join(dirpath, name)
            relpath = os.path.relpath(source, template_dir)
            os.makedirs(os.path.dirname(os.path.join(root, relpath)), exist_ok=True)
            shutil.copyfile(source, os.path.join(root, relpath))
            os.chmod(os.path.join(root, relpath), 0o644)
            written.append(relpath)
    put("data/overview.js", _script("overview", site.overview))
    for code, county in sorted(site.counties.items()):
        put(f"data/county/{code}.js", _script("county", county))
    marker = {
        "generator": "EcoZoning publishlookup",
        "title": meta["title"],
        "version": meta["version"],
        "date": meta["date"],
        "units": meta["unit_count"],
        "counties": len(site.counties),
    }
    put(MARKER, json.dumps(marker, ensure_ascii=False, indent=1) + "\n")
    return written


def today() -> str:
    return datetime.date.today().isoformat()


def as_polygonal(geom) -> tuple[object, str]:
    """A unit geometry ready to publish: repaired, 2D, polygonal; (geometry, repair note)."""
    if geom is not None and not geom.is_empty and shapely.has_z(geom):
        geom = shapely.force_2d(geom)
    fixed, note = repair(geom)
    if isinstance(fixed, Polygon):
        fixed = MultiPolygon([fixed])
    return fixed, note
