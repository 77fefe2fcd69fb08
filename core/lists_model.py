"""Admission lists: the model — clauses, files, the library and its effective list per unit (see core/lists.py
for the folder layout and docs/domain-rules.md for the inheritance rule)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import EcoZoningError
from .schema import UNIT_CODE_RE, industry_matches, parse_industry_codes

DIMENSIONS = ("spatial_layout", "emission_control", "risk_prevention", "resource_efficiency")
DEFAULT_DIMENSION_LABELS = {
    "spatial_layout": {"zh": "空间布局约束", "en": "Spatial layout constraints"},
    "emission_control": {"zh": "污染物排放管控", "en": "Pollutant emission control"},
    "risk_prevention": {"zh": "环境风险防控", "en": "Environmental risk prevention"},
    "resource_efficiency": {"zh": "资源利用效率", "en": "Resource use efficiency"},
}
KINDS = ("prohibit", "restrict", "require", "encourage")
KIND_LABELS = {"prohibit": "禁止", "restrict": "限制", "require": "要求", "encourage": "鼓励"}
LEVELS = ("province", "region", "city", "unit")
KIND_LABELS_EN = {"prohibit": "Prohibited", "restrict": "Restricted", "require": "Required", "encourage": "Encouraged"}
LEVEL_LABELS = {"province": "省级", "region": "区域", "city": "市级", "unit": "单元"}
LEVEL_LABELS_EN = {"province": "Province", "region": "Region", "city": "Prefecture", "unit": "Unit"}
LEVEL_COLORS = {"province": "#8e3b46", "region": "#1f6fa8", "city": "#b9770e", "unit": "#1e8449"}  # badge colours
CLAUSE_KEYS = ("id", "dimension", "kind", "text", "classes", "subtypes", "industries", "replaces", "source")
CITY_CODE_RE = re.compile(r"^\d{6}$")
LINE_KEY = "__line__"
KEY_LINES = "__key_lines__"
DUPLICATE_KEYS = "__duplicate_keys__"
# problems that make a file unsafe to rewrite: the loaded model does not hold all of it (never saved over)
STRUCTURAL_KINDS = frozenset({"yaml_error", "bad_file", "bad_clause", "bad_unit", "duplicate_key"})
ALIAS_BUDGET = 10_000  # nodes aliases may expand to in one file ("billion laughs" is refused)


class ConflictError(EcoZoningError):
    """A file changed on disk since it was loaded: the user must choose before anything is overwritten."""

    def __init__(self, paths: list[str]):
        self.paths = paths
        super().__init__("changed on disk since loaded: " + ", ".join(paths))


class LibraryError(EcoZoningError):
    pass


@dataclass
class Clause:
    id: str
    dimension: str
    kind: str
    text: str
    classes: list[int] = field(default_factory=list)
    subtypes: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    replaces: str = ""
    source: str = ""
    extra: dict = field(default_factory=dict)  # keys we do not know are kept and written back
    line: int = 0

    def applies_to(self, unit_class: int | None, subtypes: Iterable[str]) -> bool:
        if self.classes and unit_class not in self.classes:
            return False
        return not self.subtypes or bool(set(self.subtypes) & set(subtypes))

    def matches_industry(self, industry: str | None) -> bool | None:
        """True/False when the clause filters by industry; None when it applies to every industry."""
        if not self.industries:
            return None
        # as people write them: 'C 2520', 'Ｃ2520', 'C1311、C2520', '炼焦 C2520' (core/schema.parse_industry_codes)
        codes = parse_industry_codes(industry)[0]
        patterns = [c for prefix in self.industries for c in (parse_industry_codes(prefix)[0] or [prefix])]
        return any(industry_matches(code, pattern) for code in codes for pattern in patterns)

    def to_yaml(self) -> dict:
        data: dict = {"id": self.id, "dimension": self.dimension, "kind": self.kind, "text": self.text}
        for key in ("classes", "subtypes", "industries"):
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        if self.replaces:
            data["replaces"] = self.replaces
        if self.source:
            data["source"] = self.source
        data.update(self.extra)
        return data


@dataclass
class ListFile:
    """One YAML file of the library. `units` is used by unit files, `clauses` by the others."""

    relpath: str
    level: str
    scope: str
    clauses: list[Clause] = field(default_factory=list)
    units: dict[str, list[Clause]] = field(default_factory=dict)
    unit_lines: dict[str, int] = field(default_factory=dict)
    header: dict = field(default_factory=dict)
    digest: str = ""  # sha256 of the bytes loaded; '' for a file not on disk yet
    broken: str = ""  # the YAML error when the file could not be parsed: such a file is never overwritten
    dirty: bool = False
    backed_up: bool = False  # its .bak (the file as loaded) was written by a save of this session

    def all_clauses(self) -> list[Clause]:
        if self.level == "unit":
            return [c for clauses in self.units.values() for c in clauses]
        return self.clauses


@dataclass
class Problem:
    file: str
    line: int
    kind: str
    ref: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class EffectiveClause:
    clause: Clause
    level: str
    scope: str
    file: str


@dataclass
class Library:
    root: str
    name: str = ""
    version: str = ""
    province: str = ""
    dimension_labels: dict = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_DIMENSION_LABELS.items()})
    regions: dict[str, dict] = field(default_factory=dict)  # id -> {name, cities}
    files: dict[str, ListFile] = field(default_factory=dict)
    meta_extra: dict = field(default_factory=dict)
    meta_digest: str = ""
    load_problems: list[Problem] = field(default_factory=list)

    # --- lookup -------------------------------------------------------------------------------------
    def file_for(self, level: str, scope: str) -> ListFile:
        """The file holding clauses of a level and scope; created (empty, not yet on disk) when missing."""
        relpath = _relpath(level, scope)
        if relpath not in self.files:
            self.files[relpath] = ListFile(relpath, level, "province" if level == "province" else scope)
        return self.files[relpath]

    def clause_list(self, level: str, scope: str) -> list[Clause]:
        if level == "unit":
            unit_file = self.file_for("unit", city_of(scope))
            return unit_file.units.setdefault(scope, [])
        return self.file_for(level, scope).clauses

    def iter_clauses(self):
        """(clause, level, scope, file) for every clause in the library, province first, units last."""
        for relpath in sorted(self.files, key=lambda p: (LEVELS.index(self.files[p].level), p)):
            list_file = self.files[relpath]
            if list_file.level == "unit":
                for code, clauses in list_file.units.items():
                    for clause in clauses:
                        yield clause, "unit", code, list_file
            else:
                for clause in list_file.clauses:
                    yield clause, list_file.level, list_file.scope, list_file

    def find(self, clause_id: str):
        for clause, level, scope, list_file in self.iter_clauses():
            if clause.id == clause_id:
                return clause, level, scope, list_file
        return None

    def regions_of_city(self, city: str) -> list[str]:
        return [
            rid for rid, region in sorted(self.regions.items()) if city in [str(c) for c in region.get("cities", [])]
        ]

    def unit_codes(self) -> list[str]:
        return sorted(code for f in self.files.values() if f.level == "unit" for code in f.units)

    def dimension_label(self, dimension: str, lang: str = "zh") -> str:
        return self.dimension_labels.get(dimension, {}).get(lang) or DEFAULT_DIMENSION_LABELS[dimension][lang]

    # --- the effective list ---------------------------------------------------------------------------
    def effective(
        self, unit_code: str, unit_class: int | None = None, subtypes: Iterable[str] = ()
    ) -> list[EffectiveClause]:
        """Province + regions + prefecture + unit clauses that apply to the unit, minus replaced ones."""
        if unit_class is None and UNIT_CODE_RE.match(unit_code or ""):
            unit_class = int(unit_code[8])
        subtypes = set(subtypes)
        city = city_of(unit_code)
        scopes = [("province", "province")]
        scopes += [("region", rid) for rid in self.regions_of_city(city)]
        scopes += [("city", city), ("unit", unit_code)]
        chosen: list[EffectiveClause] = []
        for level, scope in scopes:
            relpath = _relpath(level, city if level == "unit" else scope)
            list_file = self.files.get(relpath)
            if list_file is None:
                continue
            clauses = list_file.units.get(unit_code, []) if level == "unit" else list_file.clauses
            for clause in clauses:
                if clause.applies_to(unit_class, subtypes):
                    chosen.append(EffectiveClause(clause, level, scope, relpath))
        replaced: dict[str, int] = {}
        for index, item in enumerate(chosen):
            if item.clause.replaces:
                replaced[item.clause.replaces] = index
        return [
            item
            for index, item in enumerate(chosen)
            if not (item.clause.id in replaced and replaced[item.clause.id] > index)
        ]

    def affected_units(self, clause_id: str, units: Iterable[tuple[str, int, Iterable[str]]]) -> list[str]:
        """Codes of the units whose effective list holds the clause. units: (code, class, subtypes)."""
        return [
            code
            for code, cls, subtypes in units
            if any(e.clause.id == clause_id for e in self.effective(code, cls, subtypes))
        ]


def city_of(code: str) -> str:
    """The prefecture code of a unit or county code: ZH230102… -> 230100."""
    digits = code[2:8] if code.startswith("ZH") else code[:6]
    return digits[:4] + "00"


def _relpath(level: str, scope: str) -> str:
    if level == "province":
        return "province.yaml"
    if level == "region":
        return f"regions/{scope}.yaml"
    if level == "city":
        return f"cities/{scope}.yaml"
    if level == "unit":
        return f"units/{scope}.yaml"
    raise LibraryError(f"unknown level '{level}' (use one of {', '.join(LEVELS)})")
