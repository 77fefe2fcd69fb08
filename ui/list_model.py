"""Qt models over an admission-list library (core/lists.py), and undoable edits of its clauses.

- `analyse`: validation plus, for every unit of the layer, its effective clause count and which problems
  concern its list (the figures of the unit table and of the validation pane);
- `UnitTableModel`: code, name, class, county, clause count, problem count (sort on `SORT_ROLE`);
- `EffectiveListModel`: one unit's effective list grouped by the four dimensions, each clause with a
  badge for the level it comes from;
- `ProblemModel`: the problems of `validate_library`, each with the units it concerns;
- `AddClauseCommand`, `EditClauseCommand`, `DeleteClauseCommand`, `MoveClauseCommand`: QUndoCommands
  that change one level's clause list of the Library, mark its file dirty, and undo exactly.

No iface and no layer here: the dock reads the layer and hands plain `UnitInfo` records over.
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Optional

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

try:  # Qt 6 moved it to QtGui
    from qgis.PyQt.QtGui import QUndoCommand
except ImportError:
    from qgis.PyQt.QtWidgets import QUndoCommand

from ..core.industries import industry_name
from ..core.list_table import UnitInfo
from ..core.lists import (
    DIMENSIONS,
    LEVEL_COLORS,
    Clause,
    EffectiveClause,
    Library,
    ListFile,
    Problem,
    city_of,
    validate_library,
)
from ..processing.i18n import core_message, translate, user_language

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_COLORS = {"prohibit": "#b03a2e", "restrict": "#a04000", "require": "#1a5276", "encourage": "#1e8449"}
EDITABLE_FIELDS = ("dimension", "kind", "text", "classes", "subtypes", "industries", "replaces", "source")
DIMENSION_ABBREVIATIONS = {
    "spatial_layout": "SL",
    "emission_control": "EC",
    "risk_prevention": "RP",
    "resource_efficiency": "RE",
}


def tr(text: str) -> str:
    return translate("EcoZoning", text)


def level_names() -> dict[str, str]:
    return {"province": tr("Province"), "region": tr("Region"), "city": tr("Prefecture"), "unit": tr("Unit")}


def kind_names() -> dict[str, str]:
    return {
        "prohibit": tr("Prohibit"),
        "restrict": tr("Restrict"),
        "require": tr("Require"),
        "encourage": tr("Encourage"),
    }


def class_names() -> dict[int, str]:
    return {1: tr("Priority protection"), 2: tr("Key control"), 3: tr("General control")}


# --- what the unit table and the validation pane show -------------------------------------------------------
@dataclass
class Analysis:
    problems: list[Problem] = field(default_factory=list)
    problem_units: list[list[str]] = field(default_factory=list)  # per problem: the units whose list it concerns
    clause_counts: dict[str, int] = field(default_factory=dict)  # unit code -> effective clauses

    def problem_counts(self) -> dict[str, int]:
        return Counter(code for codes in self.problem_units for code in set(codes))

    def units_with_problems(self) -> set[str]:
        return {code for codes in self.problem_units for code in codes}


def analyse(
    library: Library,
    units: list[UnitInfo],
    subtype_keys=None,
    progress: Optional[Callable[[float], None]] = None,
    is_canceled: Optional[Callable[[], bool]] = None,
) -> Analysis:
    """Validate the library against the units, count each unit's effective clauses and attach every problem
    to the units it concerns: a unit code names its unit, a clause id the units whose list holds it (their
    effective list, or their own list when a filter hides it)."""
    problems = validate_library(library, unit_codes=[u.code for u in units], subtype_keys=subtype_keys)
    codes = {u.code for u in units}
    own: dict[str, list[str]] = defaultdict(list)
    for list_file in library.files.values():
        if list_file.level == "unit":
            for code, clauses in list_file.units.items():
                own[code].extend(c.id for c in clauses)
    holders: dict[str, list[str]] = defaultdict(list)  # clause id -> unit codes
    counts: dict[str, int] = {}
    for n, unit in enumerate(units):
        if is_canceled is not None and is_canceled():
            break
        effective = library.effective(unit.code, unit.unit_class, unit.subtypes)
        counts[unit.code] = len(effective)
        for clause_id in {e.clause.id for e in effective} | set(own.get(unit.code, ())):
            holders[clause_id].append(unit.code)
        if progress is not None and n % 200 == 0:
            progress(n / max(len(units), 1))
    problem_units = [[p.ref] if p.ref in codes else list(holders.get(p.ref, ())) for p in problems]
    return Analysis(problems, problem_units, counts)


# --- the unit table -----------------------------------------------------------------------------------------
class _TableModel(QAbstractTableModel):
    """Rows of `self._items()` under the column titles of `self._headers`."""

    _headers: tuple = ()

    def _items(self) -> list:
        raise NotImplementedError

    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class UnitTableModel(_TableModel):
    CODE, NAME, CLASS, COUNTY, CLAUSES, PROBLEMS = range(6)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._units: list[UnitInfo] = []
        self._rows: dict[str, int] = {}
        self._clauses: dict[str, int] = {}
        self._problems: dict[str, int] = {}
        self._headers = (tr("Code"), tr("Name"), tr("Class"), tr("County"), tr("Clauses"), tr("Problems"))
        self._class_names = class_names()

    def set_units(self, units: list[UnitInfo]) -> None:
        self.beginResetModel()
        self._units = list(units)
        self._rows = {u.code: row for row, u in enumerate(self._units)}
        self.endResetModel()

    def set_analysis(self, analysis: Optional[Analysis]) -> None:
        self._clauses = dict(analysis.clause_counts) if analysis else {}
        self._problems = dict(analysis.problem_counts()) if analysis else {}
        if self._units:
            top, bottom = self.index(0, self.CLAUSES), self.index(len(self._units) - 1, self.PROBLEMS)
            self.dataChanged.emit(top, bottom)

    def units(self) -> list[UnitInfo]:
        return list(self._units)

    def unit(self, row: int) -> UnitInfo:
        return self._units[row]

    def unit_by_code(self, code: str) -> Optional[UnitInfo]:
        row = self._rows.get(code)
        return None if row is None else self._units[row]

    def row_of(self, code: str) -> int:
        return self._rows.get(code, -1)

    def _items(self) -> list:
        return self._units

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        unit = self._units[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == self.CODE:
                return unit.code
            if column == self.NAME:
                return unit.name
            if column == self.CLASS:
                if role == SORT_ROLE:
                    return unit.unit_class or 0
                return self._class_names.get(unit.unit_class, "")
            if column == self.COUNTY:
                return unit.county
            counts = self._clauses if column == self.CLAUSES else self._problems
            if role == SORT_ROLE:
                return counts.get(unit.code, 0)
            if column == self.CLAUSES and unit.code not in counts:
                return ""  # no library yet
            return str(counts.get(unit.code, 0))
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PROBLEMS and self._problems.get(unit.code):
            return QBrush(QColor("#b03a2e"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.CLAUSES, self.PROBLEMS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# --- one unit's effective list ------------------------------------------------------------------------------
class EffectiveListModel(QStandardItemModel):
    """Dimension groups (top level) holding rows: the clause text first (wrapped), then level badge, kind and id."""

    TEXT, LEVEL, KIND, ID = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[EffectiveClause] = []
        self.unit: Optional[UnitInfo] = None
        self._set_headers()

    def flags(self, index):
        return super().flags(index) & ~Qt.ItemFlag.ItemIsEditable  # read-only: edits go through the commands

    def _set_headers(self):
        self.setHorizontalHeaderLabels([tr("Clause"), tr("Level"), tr("Kind"), tr("Id")])

    def show_unit(self, library: Optional[Library], unit: Optional[UnitInfo]) -> None:
        self.removeRows(0, self.rowCount())  # not clear(): the columns (and the view's resize modes) stay
        self._entries = []
        self.unit = unit
        if library is None or unit is None:
            return
        effective = library.effective(unit.code, unit.unit_class, unit.subtypes)
        groups: dict[str, list[EffectiveClause]] = {d: [] for d in DIMENSIONS}
        others: list[EffectiveClause] = []
        for entry in effective:
            groups.get(entry.clause.dimension, others).append(entry)
        lang = user_language()
        for dimension in DIMENSIONS:
            self._add_group(library.dimension_label(dimension, lang), dimension, groups[dimension], library)
        if others:  # a clause with an unknown dimension is shown, not hidden: validation names it
            self._add_group(tr("Other (unknown dimension)"), "", others, library)

    def _add_group(self, label: str, dimension: str, entries: list[EffectiveClause], library: Library):
        group = QStandardItem(f"{label} ({len(entries)})")
        group.setData(dimension, SORT_ROLE)
        font = group.font()
        font.setBold(True)
        group.setFont(font)
        for entry in entries:
            self._entries.append(entry)
            group.appendRow(self._row(entry, len(self._entries) - 1, library))  # noqa: QGS202 (returns nothing)
        self.appendRow([group, *(QStandardItem() for _ in range(3))])  # noqa: QGS202 (returns nothing)

    def _row(self, entry: EffectiveClause, number: int, library: Library) -> list[QStandardItem]:
        clause = entry.clause
        scope_name = entry.scope
        if entry.level == "region":
            scope_name = library.regions.get(entry.scope, {}).get("name") or entry.scope
        badge = level_badge(entry.level, f"{scope_name} · {entry.file}")
        kind = kind_item(clause.kind)
        ident = QStandardItem(clause.id)
        text = QStandardItem(clause.text)
        text.setToolTip(clause_details(clause, entry))
        row = [text, badge, kind, ident]
        for item in row:
            item.setData(number, ENTRY_ROLE)
        return row

    def entries(self) -> list[EffectiveClause]:
        return list(self._entries)

    def entry(self, index: QModelIndex) -> Optional[EffectiveClause]:
        if not index.isValid():
            return None
        number = index.data(ENTRY_ROLE)
        return None if number is None else self._entries[number]

    def index_of(self, clause_id: str) -> QModelIndex:
        for number, entry in enumerate(self._entries):
            if entry.clause.id == clause_id:
                matches = self.match(self.index(0, 0), ENTRY_ROLE, number, 1, Qt.MatchFlag.MatchRecursive)
                return matches[0] if matches else QModelIndex()
        return QModelIndex()

    def group_dimension(self, index: QModelIndex) -> str:
        """The dimension of a group row or of a clause row."""
        entry = self.entry(index)
        if entry is not None:
            return entry.clause.dimension
        if not index.isValid():
            return ""
        return index.sibling(index.row(), 0).data(SORT_ROLE) or ""


def level_badge(level: str, where: str) -> QStandardItem:
    """A clause's level as a coloured badge (省级, 区域, 市级, 单元), with where it comes from as tooltip."""
    badge = QStandardItem(level_names().get(level, level))
    badge.setBackground(QBrush(QColor(LEVEL_COLORS.get(level, "#555555"))))
    badge.setForeground(QBrush(QColor("#ffffff")))
    badge.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    badge.setToolTip(f"{level_names().get(level, level)} · {where}")
    return badge


def kind_item(kind: str) -> QStandardItem:
    item = QStandardItem(kind_names().get(kind, kind))
    item.setForeground(QBrush(QColor(KIND_COLORS.get(kind, "#555555"))))
    return item


def clause_details(clause: Clause, entry: Optional[EffectiveClause] = None, zones=None) -> str:
    """The clause and its filters as lines of text: subtypes by their names when the taxonomy's zones are given,
    industries with their GB/T 4754 names."""
    lines = [clause.text]
    zh = user_language() == "zh"
    if clause.classes:
        names = class_names()
        lines.append(tr("Classes: {}").format("、".join(names.get(c, str(c)) for c in clause.classes)))
    if clause.subtypes:
        shown = [(zones[k].zh if zh else zones[k].en) if zones and k in zones else k for k in clause.subtypes]
        lines.append(tr("Subtypes: {}").format("、".join(shown)))
    if clause.industries:
        shown = [f"{code} {industry_name(code)}".strip() for code in clause.industries]
        lines.append(tr("Industries: {}").format("、".join(shown)))
    if clause.replaces:
        lines.append(tr("Replaces: {}").format(clause.replaces))
    if clause.source:
        lines.append(tr("Source: {}").format(clause.source))
    if entry is not None:
        lines.append(f"{entry.file}:{clause.line}" if clause.line else entry.file)
    return "\n".join(lines)


# --- the validation pane ------------------------------------------------------------------------------------
class ProblemModel(_TableModel):
    SEVERITY, WHERE, REF, MESSAGE = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._problems: list[Problem] = []
        self._units: list[list[str]] = []
        self._headers = (tr("Severity"), tr("Where"), tr("Ref"), tr("Message"))

    def set_analysis(self, analysis: Optional[Analysis]) -> None:
        self.beginResetModel()
        self._problems = list(analysis.problems) if analysis else []
        self._units = list(analysis.problem_units) if analysis else []
        self.endResetModel()

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def units_of(self, row: int) -> list[str]:
        return list(self._units[row])

    def _items(self) -> list:
        return self._problems

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        problem = self._problems[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.SEVERITY:
                return tr("error") if problem.severity == "error" else tr("warning")
            if column == self.WHERE:
                return f"{problem.file}:{problem.line}" if problem.line else problem.file
            if column == self.REF:
                return problem.ref
            return core_message(problem.message)
        if role == Qt.ItemDataRole.ToolTipRole:
            units = self._units[index.row()]
            shown = ", ".join(units[:10]) + (" …" if len(units) > 10 else "")
            return core_message(str(problem)) + "\n" + tr("Units: {}").format(shown or "-")
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SEVERITY:
            return QBrush(QColor("#b03a2e" if problem.severity == "error" else "#b9770e"))
        return None


# --- helpers for edits ---------------------------------------------------------------------------------------
def file_of(library: Library, level: str, scope: str) -> ListFile:
    """The file holding the clauses of a level and scope (created in memory when missing)."""
    return library.file_for(level, city_of(scope) if level == "unit" else scope)


def unit_scopes(library: Library, unit: UnitInfo) -> list[tuple[str, str, str]]:
    """(level, scope, label) of the lists that make up a unit's effective list, province first."""
    city = city_of(unit.code)
    scopes = [("province", "province", tr("Province"))]
    for rid in library.regions_of_city(city):
        name = library.regions[rid].get("name") or rid
        scopes.append(("region", rid, tr("Region {}").format(name)))
    scopes.append(("city", city, tr("Prefecture {}").format(city)))
    scopes.append(("unit", unit.code, tr("Unit {}").format(unit.code)))
    return scopes


def new_clause_id(library: Library, level: str, scope: str, dimension: str) -> str:
    """An unused id in the library's style: P-SL-003, R-HDS-002, C-230100-004, U-ZH23010210001-002."""
    if level == "province":
        prefix = f"P-{DIMENSION_ABBREVIATIONS.get(dimension, 'X')}-"
    else:
        prefix = {"region": "R", "city": "C", "unit": "U"}[level] + f"-{scope.upper()}-"
    used = {clause.id for clause, *_ in library.iter_clauses()}
    numbers = [int(m.group(1)) for i in used if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", i))]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number:03d}" in used:
        number += 1
    return f"{prefix}{number:03d}"


def clause_values(clause: Clause) -> dict:
    values = {"id": clause.id}
    values.update({name: copy.deepcopy(getattr(clause, name)) for name in EDITABLE_FIELDS})
    return values


def position(clauses: list[Clause], clause: Clause) -> int:
    """Index of this very clause object (Clause compares by value; two clauses may be equal)."""
    for row, item in enumerate(clauses):
        if item is clause:
            return row
    raise ValueError(f"clause {clause.id} is not in this list")


def neighbour_row(clauses: list[Clause], clause: Clause, step: int) -> Optional[int]:
    """Row of the previous (step -1) or next (+1) clause of the same dimension in the list, or None."""
    row = position(clauses, clause) + step
    while 0 <= row < len(clauses):
        if clauses[row].dimension == clause.dimension:
            return row
        row += step
    return None


# --- undoable edits ------------------------------------------------------------------------------------------
class _ClauseCommand(QUndoCommand):
    """A change of the clause list of one level and scope. Both redo and undo mark the file dirty: a save may
    have happened in between, so what is in memory must be written again."""

    def __init__(self, library: Library, level: str, scope: str, clause: Clause, text: str):
        super().__init__(text)
        self.library = library
        self.level = level
        self.scope = scope
        self.clause = clause

    def clauses(self) -> list[Clause]:
        return self.library.clause_list(self.level, self.scope)

    def touch(self) -> None:
        file_of(self.library, self.level, self.scope).dirty = True


class AddClauseCommand(_ClauseCommand):
    def __init__(self, library, level, scope, clause, row=None):
        super().__init__(library, level, scope, clause, tr("Add clause {}").format(clause.id))
        self.row = row
        self._new_file = False
        self._new_unit = False

    def redo(self):
        before = set(self.library.files)
        list_file = file_of(self.library, self.level, self.scope)
        self._new_file = list_file.relpath not in before
        self._new_unit = self.level == "unit" and self.scope not in list_file.units
        clauses = self.clauses()
        clauses.insert(len(clauses) if self.row is None else self.row, self.clause)
        list_file.dirty = True

    def undo(self):
        list_file = file_of(self.library, self.level, self.scope)
        clauses = self.clauses()
        del clauses[position(clauses, self.clause)]
        if self._new_unit and not clauses:
            del list_file.units[self.scope]
        if self._new_file and not list_file.digest and not list_file.all_clauses() and not list_file.units:
            del self.library.files[list_file.relpath]  # never written: as if it had never been created
        else:
            list_file.dirty = True


class EditClauseCommand(_ClauseCommand):
    def __init__(self, library, level, scope, clause, values: dict):
        super().__init__(library, level, scope, clause, tr("Edit clause {}").format(clause.id))
        self.new = {k: copy.deepcopy(v) for k, v in values.items() if k in EDITABLE_FIELDS}
        self.old = {k: copy.deepcopy(getattr(clause, k)) for k in self.new}

    def _apply(self, values: dict):
        for name, value in values.items():
            setattr(self.clause, name, copy.deepcopy(value))
        self.touch()

    def redo(self):
        self._apply(self.new)

    def undo(self):
        self._apply(self.old)


class DeleteClauseCommand(_ClauseCommand):
    def __init__(self, library, level, scope, clause):
        super().__init__(library, level, scope, clause, tr("Delete clause {}").format(clause.id))
        self.row = -1

    def redo(self):
        clauses = self.clauses()
        self.row = position(clauses, self.clause)
        del clauses[self.row]
        self.touch()

    def undo(self):
        self.clauses().insert(self.row, self.clause)
        self.touch()


class MoveClauseCommand(_ClauseCommand):
    def __init__(self, library, level, scope, clause, to_row: int):
        super().__init__(library, level, scope, clause, tr("Move clause {}").format(clause.id))
        self.to_row = to_row
        self.from_row = -1

    def _move(self, target: int):
        clauses = self.clauses()
        row = position(clauses, self.clause)
        clauses.insert(target, clauses.pop(row))
        self.touch()
        return row

    def redo(self):
        self.from_row = self._move(self.to_row)

    def undo(self):
        self._move(self.from_row)
