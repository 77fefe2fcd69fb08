"""Rows into openpyxl sheets as text people wrote it: a clause starting with '=' stays text (not a live
formula that reads back empty), and control characters Excel cannot hold (\\v from Word line breaks, \\x00…)
do not stop the export (IllegalCharacterError)."""

from __future__ import annotations

import re

# the characters the XML of an .xlsx cannot hold (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")


def clean_text(value):
    """A cell value Excel can hold: vertical tabs and form feeds become line breaks, other controls go."""
    if not isinstance(value, str):
        return value
    return _ILLEGAL.sub("", value.replace("\v", "\n").replace("\f", "\n"))


def append_row(sheet, values) -> None:
    """sheet.append(values), every text kept as text."""
    sheet.append([clean_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # openpyxl takes '=…' for a formula
