"""What a filing package (备案包, docs/domain-rules.md) must hold, and the checks of each part: manifest hashes and
sizes, files missing or extra, metadata, unit codes, coverage of the admin area and the 附表1 list table.
Checks that need the data layers take plain data (fid, shapely geometry, attributes) read by the caller."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass

from . import schema
from .admin import build_counties
from .errors import EcoZoningError
from .filing import cut_to_bytes
from .filing_archive import _CHUNK, UnsafeArchiveError, safe_parts
from .schema import PACKAGE_LAYOUT
from .severity import ERROR
from .validate import UNIT_CODE_RE, Tolerances, UnitRecord, validate_units

MANIFEST = PACKAGE_LAYOUT["manifest"]
METADATA = PACKAGE_LAYOUT["metadata"]
UNITS_GPKG = PACKAGE_LAYOUT["units"]
ZONES_GPKG = PACKAGE_LAYOUT["zones"]
ADMIN_GPKG = PACKAGE_LAYOUT["admin"]
LIST_TABLE = PACKAGE_LAYOUT["list_table"]
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
REQUIRED_FILES = tuple(
    sorted(
        list(PACKAGE_LAYOUT.values())
        + [f"data/{layer}{ext}" for layer in ("units", "zones") for ext in SHAPEFILE_PARTS]
    )
)
LAYERS = {UNITS_GPKG: "units", ZONES_GPKG: "zones", ADMIN_GPKG: "admin"}
LAYER_FIELDS = {
    UNITS_GPKG: (
        schema.CODE, schema.NAME, schema.CLASS, schema.SUBTYPE, "XZQDM", "PROV", "CITY", "COUNTY", "MJ", "YSBM", "BBH",
        "KJBJYS", "PWWPFGK", "HJFXFK", "ZYLYXL",
    ),
    ZONES_GPKG: ("YSBM", "YSMC", "HJYS", "YSXL", "GKFL", "XZQDM"),
    ADMIN_GPKG: ("XZQDM", "COUNTY", "CITY", "PROV"),
}  # fmt: skip
FILING_CRS = "EPSG:4490"
SCHEME_LEVELS = ("province", "city")
UPDATE_TYPES = ("initial", "dynamic", "periodic")
METADATA_FIELDS = (
    "producer", "scheme_level", "region_code", "version", "update_type", "approval_doc", "date", "crs", "counts",
    "areas_km2", "tool", "inputs_sha256",
)  # fmt: skip
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# what validate_units finds that a filing check reports (codes and fields are checked here, once)
COVERAGE_KINDS = (
    "county_mismatch",
    "crosses_county",
    "outside_admin",
    "gap",
    "overlap",
    "invalid_geometry",
    "empty_geometry",
    "sliver",
    "area_mismatch",
)
FILING_KINDS = (
    "manifest_missing",
    "manifest_invalid",
    "missing_file",
    "extra_file",
    "hash_mismatch",
    "size_mismatch",
    "metadata_missing",
    "metadata_invalid",
    "bad_layer",
    "crs",
    "missing_field",
    "shp_mismatch",
    "bad_code",
    "duplicate_code",
    "class_mismatch",
    *COVERAGE_KINDS,
    "not_in_list",
    "list_without_unit",
    "list_duplicate",
    "list_unreadable",
)


@dataclass(frozen=True)
class Problem:
    kind: str
    file: str
    ref: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.file} [{self.ref}]" if self.ref else self.file
        return f"{self.kind}: {where}: {self.message}"


# --- files: manifest and required entries ----------------------------------------------------------------------


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def list_files(folder: str) -> list[str]:
    """Relative '/'-separated paths of the regular files under `folder` (links are not followed)."""
    found = []
    for top, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(top, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found.append(os.path.relpath(path, folder).replace(os.sep, "/"))
    return sorted(found)


def check_manifest(folder: str) -> list[Problem]:
    """manifest.json against the files of the extracted package: missing, extra, size and SHA-256."""
    path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(path):
        return [Problem("manifest_missing", MANIFEST, "", "the package has no manifest.json; nothing can be verified")]
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [Problem("manifest_invalid", MANIFEST, "", f"manifest.json is not readable JSON ({exc})")]
    entries = data.get("files") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [Problem("manifest_invalid", MANIFEST, "files", "manifest.json has no 'files' list")]
    problems: list[Problem] = []
    listed: dict[str, dict] = {}
    order: list[str] = []
    for n, entry in enumerate(entries):
        ref = f"files[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            problems.append(Problem("manifest_invalid", MANIFEST, ref, "entry without a 'path' text"))
            continue
        entry_path = entry["path"]
        try:
            parts = safe_parts(entry_path)
        except UnsafeArchiveError:
            problems.append(
                Problem("manifest_invalid", MANIFEST, entry_path[:60], "path is not a safe relative path; ignored")
            )
            continue
        rel = "/".join(parts)
        order.append(rel)
        sha, size = entry.get("sha256"), entry.get("size")
        if not (isinstance(sha, str) and _HEX64.match(sha)):
            problems.append(
                Problem("manifest_invalid", MANIFEST, rel, f"sha256 {sha!r} is not 64 lowercase hex digits")
            )
        if not (isinstance(size, int) and not isinstance(size, bool) and size >= 0):
            problems.append(Problem("manifest_invalid", MANIFEST, rel, f"size {size!r} is not a byte count"))
        if rel == MANIFEST:
            problems.append(Problem("manifest_invalid", MANIFEST, rel, "the manifest lists itself"))
            continue
        if rel in listed:
            problems.append(Problem("manifest_invalid", MANIFEST, rel, "listed twice"))
            continue
        listed[rel] = entry
    if order != sorted(order):
        problems.append(Problem("manifest_invalid", MANIFEST, "files", "the files are not sorted by path"))
    present = set(list_files(folder)) - {MANIFEST}
    for rel, entry in sorted(listed.items()):
        if rel not in present:
            problems.append(Problem("missing_file", rel, "", "listed in manifest.json but not in the package"))
            continue
        full = os.path.join(folder, *rel.split("/"))
        size = os.path.getsize(full)
        if isinstance(entry.get("size"), int) and size != entry["size"]:
            problems.append(Problem("size_mismatch", rel, "", f"{size} bytes, the manifest says {entry['size']} bytes"))
        sha = entry.get("sha256")
        if isinstance(sha, str) and _HEX64.match(sha):
            actual = sha256_file(full)
            if actual != sha:
                problems.append(
                    Problem(
                        "hash_mismatch",
                        rel,
                        "",
                        f"SHA-256 {actual} differs from the manifest's {sha}: the file was changed after export",
                    )
                )
    for rel in sorted(present - set(listed)):
        problems.append(Problem("extra_file", rel, "", "in the package but not listed in manifest.json"))
    return problems


def check_required(folder: str) -> list[Problem]:
    """The files every package must hold (whatever its manifest says)."""
    present = set(list_files(folder))
    return [
        Problem("missing_file", rel, "", "a filing package must hold this file")
        for rel in REQUIRED_FILES
        if rel not in present and rel != MANIFEST
    ]


def check_files(folder: str) -> list[Problem]:
    """check_manifest and check_required, each missing file reported once."""
    problems = check_manifest(folder)
    seen = {(p.kind, p.file) for p in problems}
    problems += [p for p in check_required(folder) if (p.kind, p.file) not in seen]
    return problems


# --- metadata ---------------------------------------------------------------------------------------------------


def load_metadata(folder: str) -> tuple[dict | None, list[Problem]]:
    path = os.path.join(folder, METADATA)
    if not os.path.isfile(path):
        return None, [Problem("metadata_missing", METADATA, "", "the package has no metadata.json")]
    if os.path.getsize(path) > 16 * 1024**2:
        return None, [Problem("metadata_invalid", METADATA, "", "metadata.json is larger than 16 MB; not read")]
    try:
        with open(path, encoding="utf-8") as handle:
            meta = json.load(handle)
    except RecursionError:
        return None, [Problem("metadata_invalid", METADATA, "", "metadata.json is nested too deeply to be metadata")]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, [Problem("metadata_invalid", METADATA, "", f"metadata.json is not readable JSON ({exc})")]
    if not isinstance(meta, dict):
        return None, [Problem("metadata_invalid", METADATA, "", "metadata.json is not a JSON object")]
    return meta, []


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_metadata(meta, unit_count: int | None = None, county_codes=None) -> list[Problem]:
    """Missing or invalid metadata fields; with `unit_count` and `county_codes` (of the units), also whether the
    counts and the region agree with the data."""
    if not isinstance(meta, dict):
        return [Problem("metadata_invalid", METADATA, "", "metadata.json is not a JSON object")]
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(Problem("metadata_invalid", METADATA, field, message))

    for field in METADATA_FIELDS:
        if field not in meta or meta[field] is None:
            problems.append(Problem("metadata_missing", METADATA, field, f"metadata.json has no '{field}'"))
    for field in ("producer", "version"):
        if field in meta and meta[field] is not None and not _text(meta[field]):
            bad(field, f"'{field}' must be a non-empty text")
    level = meta.get("scheme_level")
    if level is not None and level not in SCHEME_LEVELS:
        bad("scheme_level", f"scheme_level {level!r} is not one of {', '.join(SCHEME_LEVELS)}")
    update = meta.get("update_type")
    if update is not None and update not in UPDATE_TYPES:
        bad("update_type", f"update_type {update!r} is not one of {', '.join(UPDATE_TYPES)}")
    region = meta.get("region_code")
    if region is not None:
        region = str(region)
        if not re.fullmatch(r"\d{6}", region):
            bad("region_code", f"region_code {region!r} is not a 6-digit admin code")
        elif level == "province" and not region.endswith("0000"):
            bad("region_code", f"region_code {region} is not a province code (XX0000) but scheme_level is province")
        elif level == "city" and not region.endswith("00"):
            bad("region_code", f"region_code {region} is not a prefecture code (XXXX00) but scheme_level is city")
        elif county_codes:
            prefix = region[:2] if level == "province" else region[:4] if level == "city" else ""
            outside = sorted({str(c) for c in county_codes if c and not str(c).startswith(prefix)})
            if prefix and outside:
                bad("region_code", f"units of counties {', '.join(outside[:10])} lie outside region {region}")
    doc = meta.get("approval_doc")
    if doc is not None:
        if not isinstance(doc, str):
            bad("approval_doc", "approval_doc must be a text (the approval document number)")
        elif not doc.strip() and update != "initial":
            bad("approval_doc", "approval_doc is empty: only an initial filing may come without its approval number")
    date = meta.get("date")
    if date is not None:
        try:
            if not (isinstance(date, str) and _DATE.match(date)):
                raise ValueError
            datetime.date.fromisoformat(date)
        except ValueError:
            bad("date", f"date {date!r} is not a calendar date written YYYY-MM-DD")
    crs = meta.get("crs")
    if crs is not None and crs != FILING_CRS:
        bad("crs", f"crs {crs!r} is not {FILING_CRS} (CGCS2000)")
    for field in ("counts", "areas_km2", "inputs_sha256"):
        if field in meta and meta[field] is not None and not isinstance(meta[field], dict):
            bad(field, f"'{field}' must be a JSON object")
    tool = meta.get("tool")
    if tool is not None:
        if not isinstance(tool, dict):
            bad("tool", "'tool' must be an object with 'name' and 'version'")
        else:
            for key in ("name", "version"):
                if not _text(tool.get(key)):
                    bad(f"tool.{key}", f"tool.{key} is missing or empty")
    hashes = meta.get("inputs_sha256")
    if isinstance(hashes, dict):
        for key, value in sorted(hashes.items(), key=lambda kv: str(kv[0])):
            if not (isinstance(value, str) and _HEX64.match(value)):
                bad(f"inputs_sha256.{key}", f"{value!r} is not a SHA-256 (64 lowercase hex digits)")
    counts = meta.get("counts")
    stated = counts.get("units") if isinstance(counts, dict) else None
    if unit_count is not None and isinstance(stated, int) and not isinstance(stated, bool) and stated != unit_count:
        bad("counts.units", f"counts.units is {stated}, data/units.gpkg holds {unit_count} units")
    return problems


# --- units: codes, coverage, Shapefile copy ------------------------------------------------------------------------


def _digit(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _rows(units):
    """(fid, attrs) of units given as (fid, geom, attrs) or (fid, attrs) tuples or bare attribute dicts."""
    for n, item in enumerate(units):
        if isinstance(item, dict):
            yield n, item
        else:
            yield item[0], item[-1]


def check_codes(units, file: str = UNITS_GPKG) -> list[Problem]:
    """Malformed codes, codes used twice (one problem per code) and class digits that differ from ZHGKDYFL."""
    problems: list[Problem] = []
    fids: dict[str, list] = defaultdict(list)
    for fid, attrs in _rows(units):
        code = _digit(attrs.get(schema.CODE))
        match = UNIT_CODE_RE.match(code)
        if not match:
            problems.append(
                Problem(
                    "bad_code",
                    file,
                    code or f"fid {fid}",
                    f"feature {fid}: code '{code}' does not match ZH + 6-digit county + class 1-3 + 4- or 5-digit serial",
                )
            )
            continue
        fids[code].append(fid)
        stated = _digit(attrs.get(schema.CLASS))
        if stated != match.group(2):
            problems.append(
                Problem(
                    "class_mismatch",
                    file,
                    code,
                    f"feature {fid}: the code's class digit is {match.group(2)}, ZHGKDYFL is '{stated}'",
                )
            )
    for code, owners in sorted(fids.items()):
        if len(owners) > 1:
            listed = ", ".join(str(f) for f in owners)
            problems.append(
                Problem("duplicate_code", file, code, f"code {code} is used by {len(owners)} units (features {listed})")
            )
    return problems


def check_fields(file: str, field_names) -> list[Problem]:
    names = set(field_names)
    return [
        Problem("missing_field", file, name, f"layer '{LAYERS.get(file, file)}' has no field {name}")
        for name in LAYER_FIELDS.get(file, ())
        if name not in names
    ]


def check_coverage(units, admin_rows, tolerances: Tolerances | None = None, file: str = UNITS_GPKG) -> list[Problem]:
    """Coverage of the admin area by the units (gaps, overlaps, county crossings, geometry) with validate_units.

    units: (fid, shapely geometry, attrs); admin_rows: (fid, geometry, XZQDM, COUNTY, CITY, PROV)."""
    try:
        counties, _notes = build_counties(list(admin_rows), ADMIN_GPKG)
    except EcoZoningError as exc:
        return [Problem("bad_layer", ADMIN_GPKG, "", f"{exc}; coverage not checked")]
    records = [UnitRecord(fid, geom, attrs) for fid, geom, attrs in units]
    fields = sorted({name for record in records for name in record.attrs})
    problems = []
    for issue in validate_units(records, counties, fields, tolerances):
        if issue.kind not in COVERAGE_KINDS:
            continue
        ref = issue.code or issue.county
        message = issue.message
        if issue.geom is not None and not issue.geom.is_empty:
            point = issue.geom.representative_point()
            message += f" (near {point.x:.5f}, {point.y:.5f})"
        problems.append(Problem(issue.kind, file, ref, message, issue.severity))
    return problems


def check_copy(gpkg_codes, shp_codes, shp_file: str, gpkg_file: str) -> list[Problem]:
    """The Shapefile copy holds the same features (by code) as the GeoPackage."""
    a, b = Counter(_digit(c) for c in gpkg_codes), Counter(_digit(c) for c in shp_codes)
    if a == b:
        return []
    only_gpkg, only_shp = sorted((a - b).elements()), sorted((b - a).elements())
    message = f"{sum(b.values())} features, {gpkg_file} has {sum(a.values())}"
    if only_gpkg:
        message += f"; missing: {', '.join(only_gpkg[:10])}"
    if only_shp:
        message += f"; not in the GeoPackage: {', '.join(only_shp[:10])}"
    return [Problem("shp_mismatch", shp_file, "", message)]


def check_copy_texts(gpkg_rows, shp_rows, key: str, shp_file: str, encoding: str | None = None) -> list[Problem]:
    """The Shapefile copy's texts read as the GeoPackage's (each cut to 254 bytes of the copy's encoding): a
    .cpg that does not match the bytes (UTF-8 under 'GBK' reads 閬撻噷鍖 for 道里区) is a shp_mismatch."""
    codec = "gbk" if str(encoding or "").upper() in ("GBK", "CP936") else "utf-8"
    by_code = {str(a.get(key)): a for a in gpkg_rows if a.get(key) not in (None, "")}
    problems = []
    for attrs in shp_rows:
        code = str(attrs.get(key))
        original = by_code.get(code)
        if original is None:
            continue
        for name, value in attrs.items():
            expected = original.get(name)
            if not isinstance(value, str) or not isinstance(expected, str):
                continue
            expected = cut_to_bytes(expected.encode(codec, errors="replace").decode(codec), 254, codec)[0]
            if value.rstrip() != expected.rstrip():
                problems.append(
                    Problem(
                        "shp_mismatch",
                        shp_file,
                        code,
                        f"{name} reads '{value[:30]}' in the Shapefile, '{expected[:30]}' in the GeoPackage: the "
                        f".cpg ({encoding or 'none'}) does not match the bytes of the .dbf",
                    )
                )
                break
        if len(problems) >= 20:
            break
    return problems


# --- the 附表1 list table ----------------------------------------------------------------------------------


MAX_XLSX_MEMBER_BYTES = 128 * 1024**2  # a 附表1 of 5,000 units holds ~10 MB of XML


def _xlsx_too_large(path: str) -> str:
    """Why the workbook is not parsed ('' when it may be): an .xlsx is a zip whose XML can expand a
    thousandfold (a 2.5 MB file with a 1.1 GB sharedStrings.xml)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.file_size > MAX_XLSX_MEMBER_BYTES:
                    return (
                        f"its part {info.filename} expands to {info.file_size / 1024**2:.0f} MB, more than the "
                        f"{MAX_XLSX_MEMBER_BYTES // 1024**2} MB a list table can need; not read"
                    )
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a readable .xlsx workbook ({exc})"
    return ""


def check_list_table(path: str, unit_codes, file: str = LIST_TABLE) -> list[Problem]:
    """Units missing from 附表1 and rows of 附表1 (first sheet, column B from row 2) with no unit."""
    from openpyxl import load_workbook

    if not os.path.isfile(path):
        return [Problem("list_unreadable", file, "", "the list table is missing; units were not checked against it")]
    too_large = _xlsx_too_large(path)
    if too_large:
        return [Problem("list_unreadable", file, "", too_large)]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        return [Problem("list_unreadable", file, "", f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})")]
    problems: list[Problem] = []
    rows: dict[str, list[int]] = defaultdict(list)
    try:
        sheet = book.worksheets[0]
        for line, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            values = [v for v in row if v not in (None, "")]
            if not values:
                continue
            code = _digit(row[1]) if len(row) > 1 else ""
            if not code:
                problems.append(
                    Problem("list_without_unit", file, f"row {line}", f"row {line} has no unit code in column B")
                )
                continue
            rows[code].append(line)
    except Exception as exc:  # a damaged sheet fails while iterating
        return [Problem("list_unreadable", file, "", f"could not read the first sheet ({type(exc).__name__}: {exc})")]
    finally:
        book.close()
    codes = {_digit(c) for c in unit_codes if _digit(c)}
    for code, lines in sorted(rows.items()):
        where = ", ".join(str(n) for n in lines)
        if code not in codes:
            problems.append(
                Problem("list_without_unit", file, code, f"row {where}: unit {code} is not in data/units.gpkg")
            )
        if len(lines) > 1:
            problems.append(Problem("list_duplicate", file, code, f"unit {code} has {len(lines)} rows ({where})"))
    for code in sorted(codes - set(rows)):
        problems.append(Problem("not_in_list", file, code, f"unit {code} of data/units.gpkg has no row in 附表1"))
    return problems
