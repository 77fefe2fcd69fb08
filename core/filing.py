"""The filing package (备案, docs/domain-rules.md §7): statistics, metadata, manifest and a byte-for-byte reproducible zip.

Reproducible means: the same inputs and DATE give the same bytes. Every timestamp the file formats carry
(zip entries, the xlsx's document properties, the PDF's creation date, the dBase header) is set to DATE.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass

from .schema import CLASS_LABELS
from .spreadsheet import append_row

UPDATE_TYPES = ("initial", "dynamic", "periodic")
SCHEME_LEVELS = ("province", "city")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLASS_NAMES = CLASS_LABELS


def parse_date(text: str) -> datetime.date:
    """A filing date: YYYY-MM-DD, a real day, from 1980 (a zip cannot hold earlier times) to next year."""
    if not DATE_RE.match(text or ""):
        raise ValueError(f"DATE must look like 2024-06-29, got '{text}'")
    try:
        date = datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"DATE '{text}' is not a day of the calendar ({exc}); give the date as YYYY-MM-DD") from None
    latest = datetime.date.today().year + 1
    if not 1980 <= date.year <= latest:
        raise ValueError(f"DATE '{text}' is outside 1980–{latest}: give the filing date as YYYY-MM-DD")
    return date


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- statistics ----------------------------------------------------------------------------------------
@dataclass
class UnitStat:
    code: str
    unit_class: int
    county: str
    county_name: str
    city: str
    area_km2: float


def statistics_rows(units: list[UnitStat], zone_areas: dict[str, float]) -> list[list]:
    """Count and area per class per county, per prefecture and in total; element-zone area per subtype."""
    header = ["级别 Level", "代码 Code", "名称 Name", "类别 Class", "单元数 Count", "面积 Area (km²)", "占比 Share"]
    rows = [header]
    by_county: dict[tuple, list[UnitStat]] = defaultdict(list)
    by_city: dict[str, list[UnitStat]] = defaultdict(list)
    for unit in units:
        by_county[(unit.county, unit.county_name)].append(unit)
        by_city[unit.city].append(unit)

    def block(level, code, name, members):
        total = sum(u.area_km2 for u in members)
        for cls in (1, 2, 3):
            chosen = [u for u in members if u.unit_class == cls]
            area = sum(u.area_km2 for u in chosen)
            rows.append(
                [
                    level,
                    code,
                    name,
                    CLASS_NAMES[cls],
                    len(chosen),
                    round(area, 6),
                    round(area / total, 6) if total else 0,
                ]
            )
        rows.append([level, code, name, "合计 Total", len(members), round(total, 6), 1.0 if total else 0])

    for (county, name), members in sorted(by_county.items()):
        block("county", county, name, members)
    for city, members in sorted(by_city.items()):
        block("city", "", city, members)
    block("total", "", "合计", units)
    rows.append([])
    rows.append(["要素分区 Element zones", "类型 Subtype", "", "", "", "面积 Area (km²)", ""])
    for key, area in sorted(zone_areas.items()):
        rows.append(["zone", key, "", "", "", round(area, 6), ""])
    return rows


def write_statistics(rows: list[list], csv_path: str, xlsx_path: str, date: datetime.date) -> None:
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "统计 Statistics"
    for row in rows:
        append_row(sheet, row)
    book.save(xlsx_path)
    normalize_xlsx(xlsx_path, date)


# --- reproducible files -----------------------------------------------------------------------------------
def _zip_time(date: datetime.date) -> tuple:
    return (max(date.year, 1980), date.month, date.day, 0, 0, 0)


def normalize_xlsx(path: str, date: datetime.date) -> None:
    """openpyxl stamps 'now' into docProps/core.xml and every zip entry: set them to DATE."""
    stamp = f"{date.isoformat()}T00:00:00Z"
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text)
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\2", text)
                data = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, _zip_time(date))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())


_XMP_TIME = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?=(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?[\"<])")
_UUID = re.compile(rb"uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def normalize_pdf(path: str, date: datetime.date) -> None:
    """Qt writes the creation time into the PDF's info dictionary (D:YYYYMMDDhhmmss) and, under QGIS 3.40
    and 3.44, into XMP metadata as well (ISO times and a random document uuid): replace each by text of the
    same length, so the cross-reference offsets stay valid."""
    with open(path, "rb") as handle:
        data = handle.read()
    digits = date.strftime("%Y%m%d").encode() + b"000000"
    data = re.sub(rb"D:\d{14}", b"D:" + digits, data)
    data = _XMP_TIME.sub(date.isoformat().encode() + b"T00:00:00", data)
    document = uuid.uuid5(uuid.NAMESPACE_URL, f"ecozoning-filing:{date.isoformat()}")
    data = _UUID.sub(f"uuid:{document}".encode(), data)
    with open(path, "wb") as handle:
        handle.write(data)


def normalize_dbf(path: str, date: datetime.date) -> None:
    """The dBase header carries the last update date (bytes 1-3): set it to DATE."""
    with open(path, "r+b") as handle:
        handle.seek(1)
        handle.write(bytes([date.year - 1900, date.month, date.day]))


def unit_area_km2(geom, stated, gk_zone: int | None, tolerance: float = 0.001) -> float | None:
    """The unit's MJ (km²) when it agrees with its geometry measured in the county's GK zone within `tolerance`;
    None when it does not (stale, in hectares, not a number): the caller then uses the geometry."""
    from .projection import area_m2

    computed = float(area_m2(geom, gk_zone)) / 1e6
    try:
        value = float(stated)
    except (TypeError, ValueError):
        return None if stated not in (None, "") else computed
    if value != value or abs(value - computed) > max(tolerance * computed, 1e-6):
        return None
    return value


def cut_to_bytes(text: str, limit: int, encoding: str) -> tuple[str, bool]:
    """The longest prefix of text that fits in `limit` bytes of `encoding` (Shapefile text fields: 254)."""
    encoded = text.encode(encoding, errors="replace")
    if len(encoded) <= limit:
        return text, False
    return encoded[:limit].decode(encoding, errors="ignore"), True


def manifest(folder: str, skip: tuple = ("manifest.json",)) -> dict:
    files = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            if rel in skip:
                continue
            files.append({"path": rel, "sha256": sha256_file(path), "size": os.path.getsize(path)})
    return {"files": sorted(files, key=lambda f: f["path"])}


def write_json(path: str, data: dict) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=True)
        handle.write("\n")


_OWNER = ".owner-pid"


def make_workdir(parent: str, prefix: str) -> str:
    """A temporary folder that records the process that owns it (see remove_stale_workdirs)."""
    import tempfile

    folder = tempfile.mkdtemp(prefix=prefix, dir=parent)
    with open(os.path.join(folder, _OWNER), "w", encoding="ascii") as handle:
        handle.write(str(os.getpid()))
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_workdirs(parent: str, prefix: str) -> list[str]:
    """Delete the folders of `prefix` whose owning process is gone (an export killed before it cleaned up)."""
    import shutil

    removed = []
    try:
        names = os.listdir(parent)
    except OSError:
        return removed
    for name in names:
        folder = os.path.join(parent, name)
        marker = os.path.join(folder, _OWNER)
        if not name.startswith(prefix) or not os.path.isfile(marker):
            continue
        try:
            with open(marker, encoding="ascii") as handle:
                pid = int(handle.read().strip() or 0)
        except (OSError, ValueError):
            continue
        if pid and pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def remove_stale_part(out_path: str) -> list[str]:
    """The half-written `<out>.part` of a killed export (deterministic_zip writes there, then renames)."""
    part = f"{out_path}.part"
    if os.path.isfile(part):
        os.unlink(part)
        return [part]
    return []


def deterministic_zip(folder: str, out_path: str, date: datetime.date) -> None:
    """Every file of the folder, sorted, with fixed times and permissions; written next to out_path and
    renamed at the end, so a failure never leaves half a package."""
    paths = []
    for root, _, names in os.walk(folder):
        for name in names:
            paths.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
    tmp = f"{out_path}.part"
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel in sorted(paths):
                info = zipfile.ZipInfo(rel, _zip_time(date))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.flag_bits |= 0x800  # names are UTF-8
                with open(os.path.join(folder, rel), "rb") as handle:
                    archive.writestr(info, handle.read())
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
