"""The 附表1 spreadsheet of admission lists: one row per unit with the four dimensions as numbered text,
plus a sheet with every clause (id, level, scope, filters) from which a library can be rebuilt.

Export -> import round-trips ids, texts, filters, levels and regions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .lists import (
    DIMENSIONS,
    KIND_LABELS,
    LEVEL_LABELS,
    Clause,
    Library,
    LibraryError,
    atomic_write,
    dump_yaml,
)
from .schema import CLASS_LABELS
from .spreadsheet import append_row

UNIT_SHEET = "附表1 环境管控单元准入清单"
CLAUSE_SHEET = "条款 Clauses"
META_SHEET = "说明 About"
CLAUSE_COLUMNS = (
    "id",
    "level",
    "scope",
    "dimension",
    "kind",
    "text",
    "classes",
    "subtypes",
    "industries",
    "replaces",
    "source",
)


@dataclass
class UnitInfo:
    code: str
    name: str = ""
    city: str = ""
    county: str = ""
    unit_class: int | None = None
    subtypes: list[str] = field(default_factory=list)


def numbered_text(library: Library, unit: UnitInfo) -> dict[str, str]:
    """The four dimension texts of a unit's effective list: '1. text（省级 P-SL-001）' lines."""
    texts = {}
    effective = library.effective(unit.code, unit.unit_class, unit.subtypes)
    for dimension in DIMENSIONS:
        lines = []
        for item in (e for e in effective if e.clause.dimension == dimension):
            scope = f"，限 {'、'.join(item.clause.industries)} 行业" if item.clause.industries else ""
            lines.append(f"{len(lines) + 1}. {item.clause.text}（{LEVEL_LABELS[item.level]} {item.clause.id}{scope}）")
        texts[dimension] = "\n".join(lines)
    return texts


def export_list_table(library: Library, units: list[UnitInfo], path: str, revision: str = "") -> int:
    """Write the .xlsx; returns the number of unit rows. Written to a temporary file, then renamed. `revision`
    (which state of the library this is: a folder digest or a team database's last history id) goes to the
    about sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = UNIT_SHEET
    header = ["序号", "环境管控单元编码", "环境管控单元名称", "地市", "区县", "管控单元分类"]
    header += [library.dimension_label(d) for d in DIMENSIONS]
    sheet.append(header)
    for n, unit in enumerate(sorted(units, key=lambda u: u.code), start=1):
        texts = numbered_text(library, unit)
        append_row(
            sheet,
            [n, unit.code, unit.name, unit.city, unit.county, CLASS_LABELS.get(unit.unit_class or 0, "")]
            + [texts[d] for d in DIMENSIONS],
        )
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for column, width in zip("ABCDEFGHIJ", (6, 16, 36, 10, 10, 14, 60, 60, 60, 60)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"

    clauses = book.create_sheet(CLAUSE_SHEET)
    clauses.append(list(CLAUSE_COLUMNS) + ["层级", "类型"])
    for clause, level, scope, _ in library.iter_clauses():
        append_row(clauses, [
            clause.id, level, scope, clause.dimension, clause.kind, clause.text,
            ",".join(str(c) for c in clause.classes), ",".join(clause.subtypes), ",".join(clause.industries),
            clause.replaces, clause.source, LEVEL_LABELS.get(level, level), KIND_LABELS.get(clause.kind, clause.kind),
        ])  # fmt: skip
    for cell in clauses[1]:
        cell.font, cell.fill = bold, fill
    clauses.column_dimensions["F"].width = 80

    meta = book.create_sheet(META_SHEET)
    meta.append(["key", "value"])
    for key, value in (("name", library.name), ("version", library.version), ("province", library.province)):
        append_row(meta, [key, value])
    if revision:
        append_row(meta, ["revision", revision])
    for dimension in DIMENSIONS:
        meta.append([f"dimension.{dimension}.zh", library.dimension_label(dimension, "zh")])
        meta.append([f"dimension.{dimension}.en", library.dimension_label(dimension, "en")])
    for rid, region in sorted(library.regions.items()):
        append_row(meta, [f"region.{rid}.name", region.get("name", "")])
        meta.append([f"region.{rid}.cities", ",".join(str(c) for c in region.get("cities", []))])

    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".tmp-{os.getpid()}-{os.path.basename(path)}")
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(units)


def _split(value) -> list[str]:
    if value is None:
        return []
    return [v.strip() for v in str(value).replace("，", ",").split(",") if v.strip()]


def import_list_table(path: str) -> Library:
    """Rebuild a library (in memory, root = '') from the clause and about sheets of an exported table."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    if CLAUSE_SHEET not in book.sheetnames:
        raise LibraryError(f"{path} has no sheet '{CLAUSE_SHEET}': export the table with EcoZoning first")
    library = Library(root="")
    if META_SHEET in book.sheetnames:
        for key, value in list(book[META_SHEET].iter_rows(min_row=2, values_only=True)):
            key, value = str(key or ""), "" if value is None else str(value)
            if key in ("name", "version", "province"):
                setattr(library, key, value)
            elif key.startswith("dimension."):
                _, dimension, lang = key.split(".")
                if dimension in library.dimension_labels:
                    library.dimension_labels[dimension][lang] = value
            elif key.startswith("region."):
                _, rid, what = key.split(".", 2)
                region = library.regions.setdefault(rid, {"name": "", "cities": []})
                region[what] = _split(value) if what == "cities" else value
    rows = book[CLAUSE_SHEET].iter_rows(min_row=1, values_only=True)
    header = [str(h) for h in next(rows)]
    missing = [c for c in CLAUSE_COLUMNS if c not in header]
    if missing:
        raise LibraryError(f"{path}, sheet '{CLAUSE_SHEET}': missing columns {', '.join(missing)}")
    position = {name: header.index(name) for name in CLAUSE_COLUMNS}
    for line, row in enumerate(rows, start=2):
        if not row or all(v is None for v in row):
            continue
        value = {name: row[i] if i < len(row) else None for name, i in position.items()}
        level = str(value["level"] or "")
        scope = str(value["scope"] or "")
        if level not in LEVEL_LABELS:
            raise LibraryError(f"{path}, sheet '{CLAUSE_SHEET}', row {line}: unknown level '{level}'")
        clause = Clause(
            id=str(value["id"] or ""),
            dimension=str(value["dimension"] or ""),
            kind=str(value["kind"] or ""),
            text=str(value["text"] or "").strip(),
            classes=[int(c) for c in _split(value["classes"]) if c.isdigit()],
            subtypes=_split(value["subtypes"]),
            industries=_split(value["industries"]),
            replaces=str(value["replaces"] or ""),
            source=str(value["source"] or ""),
            line=line,
        )
        library.clause_list(level, scope).append(clause)
    for list_file in library.files.values():
        list_file.dirty = True
    return library


def write_library_to(library: Library, root: str) -> list[str]:
    """Write an (imported) library as a folder; existing files are backed up, writes are atomic."""
    from .lists import file_document, library_document

    written = []
    atomic_write(os.path.join(root, "library.yaml"), dump_yaml(library_document(library)))
    written.append("library.yaml")
    for relpath, list_file in sorted(library.files.items()):
        list_file.digest = atomic_write(os.path.join(root, relpath), dump_yaml(file_document(list_file)))
        list_file.dirty = False
        written.append(relpath)
    library.root = os.path.abspath(root)
    return written
