"""Check a filing package (备案包, domain.md §7) received from elsewhere: safe extraction, manifest hashes and
sizes, files missing or extra, metadata, unit codes, coverage of the admin area and the 附表1 list table.

A received archive is untrusted: `safe_extract` refuses absolute paths, drive letters, '..' components, links,
special files, encrypted entries and archives over a size or entry bound, all before it writes anything.
Checks that need the data layers take plain data (fid, shapely geometry, attributes) read by the caller.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import os
import re
import stat
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass

from .admin import build_counties
from .errors import EcoZoningError
from .schema import PACKAGE_LAYOUT
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
        "HJGKDYBM", "HJGKDYMC", "ZHGKDYFL", "GKDYLX", "XZQDM", "PROV", "CITY", "COUNTY", "MJ", "YSBM", "BBH",
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
DEFAULT_MAX_TOTAL_BYTES = 2 * 1024**3
DEFAULT_MAX_ENTRIES = 10_000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CHUNK = 1024 * 1024

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
KIND_LABELS = {
    "manifest_missing": "缺少文件清单 manifest.json missing",
    "manifest_invalid": "文件清单格式错误 Malformed manifest",
    "missing_file": "缺少文件 Missing file",
    "extra_file": "多余文件 File not in the manifest",
    "hash_mismatch": "校验值不符 SHA-256 differs from the manifest",
    "size_mismatch": "文件大小不符 Size differs from the manifest",
    "metadata_missing": "元数据缺项 Missing metadata",
    "metadata_invalid": "元数据无效 Invalid metadata",
    "bad_layer": "图层无法使用 Unusable layer",
    "crs": "坐标系不符 CRS is not CGCS2000 (EPSG:4490)",
    "missing_field": "缺少字段 Missing field",
    "shp_mismatch": "Shapefile 副本与 GeoPackage 不一致 Shapefile copy differs",
    "bad_code": "编码格式错误 Malformed code",
    "duplicate_code": "编码重复 Duplicate code",
    "class_mismatch": "编码类别位与分类不符 Class digit differs from ZHGKDYFL",
    "county_mismatch": "编码县级代码与XZQDM不符 County differs",
    "crosses_county": "跨县界 Crosses a county line",
    "outside_admin": "超出行政区 Outside the admin area",
    "gap": "缝隙 Gap",
    "overlap": "重叠 Overlap",
    "invalid_geometry": "几何无效 Invalid geometry",
    "empty_geometry": "空几何 Empty geometry",
    "sliver": "碎图斑 Sliver",
    "area_mismatch": "面积字段不符 MJ differs from the geometry's area",
    "not_in_list": "单元不在附表1中 Unit missing from 附表1",
    "list_without_unit": "附表1中的单元不存在 附表1 row with no unit",
    "list_duplicate": "附表1单元重复 Unit repeated in 附表1",
    "list_unreadable": "附表1无法读取 附表1 unreadable",
}


class PackageError(EcoZoningError):
    """The package cannot be read at all (not a zip, corrupt, missing)."""


class UnsafeArchiveError(PackageError):
    """The archive holds an entry that could write outside the extraction folder, or is too large."""


@dataclass(frozen=True)
class Problem:
    kind: str
    file: str
    ref: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} [{self.ref}]" if self.ref else self.file
        return f"{self.kind}: {where}: {self.message}"


# --- safe extraction ---------------------------------------------------------------------------------------


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; names written without the UTF-8 flag by Chinese Windows tools are GBK (or UTF-8)."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    raw = name.encode("cp437")
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def safe_parts(name: str) -> list[str]:
    """The components of a relative archive path; raises UnsafeArchiveError for anything that could leave the
    extraction folder (absolute path, drive letter, '..', a colon, a NUL byte)."""
    if "\x00" in name:
        raise UnsafeArchiveError(f"entry {name!r} has a NUL byte in its name; the package is refused")
    normalized = name.replace("\\", "/")
    if normalized.startswith("/"):
        raise UnsafeArchiveError(f"entry {name!r} has an absolute path; the package is refused")
    if re.match(r"^[A-Za-z]:", normalized):
        raise UnsafeArchiveError(f"entry {name!r} starts with a drive letter; the package is refused")
    parts = [p for p in normalized.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchiveError(f"entry {name!r} has a '..' component (path outside the package); refused")
    if any(":" in p for p in parts):
        raise UnsafeArchiveError(f"entry {name!r} has a ':' in its path (drive or stream name); refused")
    if not parts:
        raise UnsafeArchiveError(f"entry {name!r} has an empty path; the package is refused")
    return parts


def _check_entry_type(info: zipfile.ZipInfo, name: str) -> None:
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        raise UnsafeArchiveError(f"entry {name!r} is a symbolic link; the package is refused")
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchiveError(f"entry {name!r} is a special file (mode {oct(mode)}); the package is refused")
    if info.flag_bits & 0x1:
        raise UnsafeArchiveError(f"entry {name!r} is encrypted; a filing package must not be")


def safe_extract(
    zip_path: str,
    dest: str,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> list[str]:
    """Extract `zip_path` into the folder `dest`; returns the relative paths of the files written ('/'-separated).

    Every entry is checked before anything is written; UnsafeArchiveError names the first refused entry.
    PackageError: not a readable zip. On a failure while writing, the files written so far are removed."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{zip_path} is not a readable zip archive ({exc})") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > max_entries:
            raise UnsafeArchiveError(
                f"{zip_path} has {len(infos)} entries, more than the bound of {max_entries}; the package is refused"
            )
        plan: list[tuple[zipfile.ZipInfo, list[str]]] = []
        files: dict[str, str] = {}  # case-folded path -> entry name
        folders: set[str] = set()
        total = 0
        for info in infos:
            name = _entry_name(info)
            parts = safe_parts(name)
            _check_entry_type(info, name)
            key = "/".join(parts).casefold()
            folders.update("/".join(parts[:n]).casefold() for n in range(1, len(parts)))
            if info.is_dir():
                folders.add(key)
                continue
            if key in files:
                raise UnsafeArchiveError(
                    f"entries {files[key]!r} and {name!r} would be written to the same file; the package is refused"
                )
            files[key] = name
            total += info.file_size
            if total > max_total_bytes:
                raise UnsafeArchiveError(
                    f"entry {name!r} brings the uncompressed size to {total} bytes, over the bound of "
                    f"{max_total_bytes} bytes; the package is refused"
                )
            plan.append((info, parts))
        clash = sorted(set(files) & folders)
        if clash:
            raise UnsafeArchiveError(f"entry {files[clash[0]]!r} is both a file and a folder; the package is refused")

        root = os.path.realpath(dest)
        os.makedirs(root, exist_ok=True)
        written: list[str] = []
        try:
            written_bytes = 0
            for info, parts in plan:
                target = os.path.join(root, *parts)
                if os.path.commonpath([root, os.path.realpath(os.path.dirname(target))]) != root:
                    raise UnsafeArchiveError(f"entry {info.filename!r} resolves outside the extraction folder")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with archive.open(info) as source, open(target, "xb") as out:
                    written.append(target)
                    size = 0
                    while chunk := source.read(_CHUNK):
                        size += len(chunk)
                        written_bytes += len(chunk)
                        if size > info.file_size or written_bytes > max_total_bytes:
                            raise UnsafeArchiveError(
                                f"entry {info.filename!r} expands beyond its declared size; the package is refused"
                            )
                        out.write(chunk)
        except FileExistsError as exc:
            _remove(written)
            raise PackageError(f"{exc.filename} already exists: extract into an empty folder") from exc
        except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
            _remove(written)
            raise PackageError(f"{zip_path}: could not extract ({exc}); the archive is damaged") from exc
        except BaseException:
            _remove(written)
            raise
    return ["/".join(parts) for _, parts in plan]


def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            continue


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
    try:
        with open(path, encoding="utf-8") as handle:
            meta = json.load(handle)
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
        code = _digit(attrs.get("HJGKDYBM"))
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
        stated = _digit(attrs.get("ZHGKDYFL"))
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
        problems.append(Problem(issue.kind, file, ref, message))
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


# --- the 附表1 list table ----------------------------------------------------------------------------------


def check_list_table(path: str, unit_codes, file: str = LIST_TABLE) -> list[Problem]:
    """Units missing from 附表1 and rows of 附表1 (first sheet, column B from row 2) with no unit."""
    from openpyxl import load_workbook

    if not os.path.isfile(path):
        return [Problem("list_unreadable", file, "", "the list table is missing; units were not checked against it")]
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


# --- report --------------------------------------------------------------------------------------------------------


def count_by_kind(problems: list[Problem]) -> dict[str, int]:
    counts = {kind: 0 for kind in FILING_KINDS}
    for problem in problems:
        counts[problem.kind] = counts.get(problem.kind, 0) + 1
    return counts


def report_html(problems: list[Problem], title: str, context: dict[str, str], max_rows: int = 5000) -> str:
    """A self-contained bilingual HTML report; every text from the package is escaped."""
    esc = html.escape
    counts = count_by_kind(problems)
    summary = "".join(
        f"<tr class='{'bad' if n else 'ok'}'><td>{esc(KIND_LABELS.get(kind, kind))}</td>"
        f"<td><code>{esc(kind)}</code></td><td>{n}</td></tr>"
        for kind, n in counts.items()
    )
    info = "".join(f"<tr><th>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in context.items())
    details = "".join(
        f"<tr><td>{esc(KIND_LABELS.get(p.kind, p.kind))}</td><td>{esc(p.file)}</td><td>{esc(p.ref)}</td>"
        f"<td>{esc(p.message)}</td></tr>"
        for p in problems[:max_rows]
    )
    more = f"<p>… {len(problems) - max_rows} more in the ISSUES table.</p>" if len(problems) > max_rows else ""
    verdict = (
        "通过 Passed: the package is complete and consistent"
        if not problems
        else f"发现 {len(problems)} 个问题 Found {len(problems)} problems"
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #bbb;padding:4px 8px;text-align:left}}
tr.bad td{{background:#fde2e1}}tr.ok td{{background:#e6f4ea}}</style></head>
<body><h1>{esc(title)}</h1><p><b>{esc(verdict)}</b></p>
<table>{info}</table>
<h2>问题统计 Problems by kind</h2><table><tr><th>类型</th><th>Kind</th><th>数量 Count</th></tr>{summary}</table>
<h2>问题明细 Details</h2><table><tr><th>类型 Kind</th><th>文件 File</th><th>对象 Ref</th><th>说明 Message</th></tr>{details}</table>{more}
</body></html>
"""
