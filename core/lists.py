"""Admission lists (生态环境准入清单): a folder of YAML files with "1+3+13+N" inheritance (domain.md §5).

    library.yaml            name, version, province, dimensions {key: {zh, en}}, regions {id: {name, cities}}
    province.yaml           level: province, clauses: [...]
    regions/<id>.yaml       level: region,   clauses: [...]
    cities/<6-digit>.yaml   level: city,     clauses: [...]
    units/<6-digit>.yaml    {unit code: {clauses: [...]}} for the units of one prefecture

A unit's effective list = province + its regions + its prefecture + its own clauses, each filtered by the
unit's class and subtypes, minus the clauses a lower level replaces. Loading is safe YAML only and never
drops a clause, even an invalid one; saving is atomic, keeps a backup, and refuses to overwrite a file that
changed on disk since it was loaded.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from .errors import EcoZoningError
from .schema import INDUSTRY_RE, UNIT_CODE_RE

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
LEVEL_LABELS = {"province": "省级", "region": "区域", "city": "市级", "unit": "单元"}
CLAUSE_KEYS = ("id", "dimension", "kind", "text", "classes", "subtypes", "industries", "replaces", "source")
CITY_CODE_RE = re.compile(r"^\d{6}$")
LINE_KEY = "__line__"
KEY_LINES = "__key_lines__"


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
        code = (industry or "").strip().upper()
        return any(code.startswith(prefix.upper()) for prefix in self.industries) if code else False

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


# --- loading -------------------------------------------------------------------------------------------
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: ~4x faster
    """Safe loader that records the line of every mapping (for messages that name the line)."""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = {}
    key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        key_lines[key] = key_node.start_mark.line + 1
    mapping[LINE_KEY] = node.start_mark.line + 1
    mapping[KEY_LINES] = key_lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read(path: str) -> tuple[bytes, object, str]:
    """(raw bytes, parsed data or None, error text)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        # _LineLoader is a (C)SafeLoader subclass: no arbitrary objects are constructed
        data = yaml.load(raw.decode("utf-8"), Loader=_LineLoader)  # nosec B506
    except UnicodeDecodeError as exc:
        return raw, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        return raw, None, f"{where}{getattr(exc, 'problem', None) or exc}"
    return raw, data, ""


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _strip(data):
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k not in (LINE_KEY, KEY_LINES)}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _clause(data, relpath: str, problems: list[Problem]) -> Clause | None:
    if not isinstance(data, dict):
        problems.append(Problem(relpath, 0, "bad_clause", "", f"a clause must be a mapping, got {data!r}"))
        return None
    line = data.get(LINE_KEY, 0)
    plain = _strip(data)
    extra = {k: v for k, v in plain.items() if k not in CLAUSE_KEYS}
    classes = []
    for value in _as_list(plain.get("classes")):
        classes.append(int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else value)
    return Clause(
        id=str(plain.get("id") or ""),
        dimension=str(plain.get("dimension") or ""),
        kind=str(plain.get("kind") or ""),
        text=str(plain.get("text") or "").strip(),
        classes=classes,
        subtypes=[str(v) for v in _as_list(plain.get("subtypes"))],
        industries=[str(v) for v in _as_list(plain.get("industries"))],
        replaces=str(plain.get("replaces") or ""),
        source=str(plain.get("source") or ""),
        extra=extra,
        line=line,
    )


def _clauses(data, relpath: str, problems: list[Problem]) -> list[Clause]:
    items = data.get("clauses") if isinstance(data, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(Problem(relpath, data.get(LINE_KEY, 0), "bad_file", "", "'clauses' must be a list"))
        return []
    return [c for c in (_clause(item, relpath, problems) for item in items) if c is not None]


def load_library(root: str) -> Library:
    """Load a library folder. Problems that stop a file from being read are in `load_problems`; such files
    are kept as `broken` and never overwritten by `save_library`."""
    if not os.path.isdir(root):
        raise LibraryError(f"{root} is not a folder: choose the admission-list library folder (it holds library.yaml)")
    library = Library(root=os.path.abspath(root))
    problems = library.load_problems
    meta_path = os.path.join(root, "library.yaml")
    if not os.path.exists(meta_path):
        raise LibraryError(f"{root} has no library.yaml: is it an admission-list library folder?")
    raw, meta, error = _read(meta_path)
    library.meta_digest = _digest(raw)
    if error:
        raise LibraryError(f"library.yaml: {error}")
    meta = _strip(meta) if isinstance(meta, dict) else {}
    library.name = str(meta.get("name") or "")
    library.version = str(meta.get("version") or "")
    library.province = str(meta.get("province") or "")
    for key, labels in (meta.get("dimensions") or {}).items():
        if key in DEFAULT_DIMENSION_LABELS and isinstance(labels, dict):
            library.dimension_labels[key].update({k: str(v) for k, v in labels.items()})
    library.regions = {str(k): dict(v or {}) for k, v in (meta.get("regions") or {}).items()}
    library.meta_extra = {
        k: v for k, v in meta.items() if k not in ("name", "version", "province", "dimensions", "regions")
    }

    entries = [("province.yaml", "province", "province")]
    for sub, level in (("regions", "region"), ("cities", "city"), ("units", "unit")):
        folder = os.path.join(root, sub)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith((".yaml", ".yml")):
                    entries.append((f"{sub}/{name}", level, os.path.splitext(name)[0]))
    for relpath, level, scope in entries:
        path = os.path.join(root, relpath)
        if not os.path.exists(path):
            continue
        raw, data, error = _read(path)
        list_file = ListFile(relpath, level, scope, digest=_digest(raw))
        library.files[relpath] = list_file
        if error:
            list_file.broken = error
            problems.append(Problem(relpath, _line_in(error), "yaml_error", "", f"cannot be read: {error}"))
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            list_file.broken = "the file must hold a mapping"
            problems.append(Problem(relpath, 1, "bad_file", "", "the file must hold a mapping (key: value)"))
            continue
        if level == "unit":
            list_file.header = {k: v for k, v in _strip(data).items() if k == "level"}
            key_lines = data.get(KEY_LINES, {})
            for code, body in data.items():
                if code in (LINE_KEY, KEY_LINES, "level"):
                    continue
                list_file.unit_lines[str(code)] = key_lines.get(code, 0)
                code = str(code)
                list_file.units[code] = _clauses(body, relpath, problems) if isinstance(body, dict) else []
        else:
            declared = data.get("level")
            if declared and declared != level:
                problems.append(
                    Problem(
                        relpath,
                        data.get(LINE_KEY, 1),
                        "bad_level",
                        "",
                        f"says level '{declared}' but lies in the {level} folder",
                    )
                )
            list_file.header = {k: v for k, v in _strip(data).items() if k != "clauses"}
            list_file.clauses = _clauses(data, relpath, problems)
    return library


def _line_in(error: str) -> int:
    match = re.match(r"line (\d+)", error)
    return int(match.group(1)) if match else 0


# --- validation ----------------------------------------------------------------------------------------
def validate_library(
    library: Library, unit_codes: Iterable[str] | None = None, subtype_keys: Iterable[str] | None = None
) -> list[Problem]:
    """Every problem, naming file and line: duplicate ids, unknown dimension or kind, `replaces` pointing
    nowhere, malformed unit codes, unit codes missing from the unit layer, units with no list of their own,
    empty texts. `unit_codes`: codes of the unit layer, when one is given."""
    problems = list(library.load_problems)
    known_subtypes = set(subtype_keys) if subtype_keys is not None else None
    seen: dict[str, tuple[str, int]] = {}
    index: dict[str, str] = {}  # id -> level of its first occurrence
    for clause, level, _scope, _file in library.iter_clauses():
        index.setdefault(clause.id, level)
    for clause, level, _scope, list_file in library.iter_clauses():
        where = (list_file.relpath, clause.line)
        ref = clause.id
        if not clause.id:
            problems.append(Problem(*where, "missing_id", ref, "clause has no id"))
        elif clause.id in seen:
            other = seen[clause.id]
            problems.append(
                Problem(*where, "duplicate_id", ref, f"id '{clause.id}' is already used at {other[0]}:{other[1]}")
            )
        else:
            seen[clause.id] = where
        if clause.dimension not in DIMENSIONS:
            problems.append(
                Problem(
                    *where,
                    "unknown_dimension",
                    ref,
                    f"clause {ref}: unknown dimension '{clause.dimension}' (use {', '.join(DIMENSIONS)})",
                )
            )
        if clause.kind not in KINDS:
            problems.append(
                Problem(
                    *where, "unknown_kind", ref, f"clause {ref}: unknown kind '{clause.kind}' (use {', '.join(KINDS)})"
                )
            )
        if not clause.text:
            problems.append(Problem(*where, "empty_text", ref, f"clause {ref} has no text"))
        bad_classes = [c for c in clause.classes if c not in (1, 2, 3)]
        if bad_classes:
            problems.append(
                Problem(*where, "bad_class", ref, f"clause {ref}: classes must be 1, 2 or 3, got {bad_classes}")
            )
        if known_subtypes is not None:
            unknown = [s for s in clause.subtypes if s not in known_subtypes and s != "general"]
            if unknown:
                problems.append(Problem(*where, "unknown_subtype", ref, f"clause {ref}: unknown subtypes {unknown}"))
        bad_industries = [i for i in clause.industries if not INDUSTRY_RE.match(i.upper())]
        if bad_industries:
            problems.append(
                Problem(
                    *where, "bad_industry", ref, f"clause {ref}: {bad_industries} are not GB/T 4754 codes such as C25"
                )
            )
        if clause.replaces:
            target_level = index.get(clause.replaces)
            if target_level is None:
                problems.append(
                    Problem(
                        *where,
                        "bad_replaces",
                        ref,
                        f"clause {ref} replaces '{clause.replaces}', which is not in the library",
                    )
                )
            elif LEVELS.index(target_level) >= LEVELS.index(level):
                problems.append(
                    Problem(
                        *where,
                        "bad_replaces",
                        ref,
                        f"clause {ref} replaces '{clause.replaces}' of level {target_level}; only a higher level can be replaced",
                    )
                )
    for relpath, list_file in sorted(library.files.items()):
        if list_file.level == "unit":
            for code in list_file.units:
                line = list_file.unit_lines.get(code, 0)
                if not UNIT_CODE_RE.match(code):
                    problems.append(
                        Problem(
                            relpath,
                            line,
                            "bad_unit_code",
                            code,
                            f"'{code}' is not a unit code (ZH + 6 digits + class + 4 digits)",
                        )
                    )
                elif city_of(code) != list_file.scope:
                    problems.append(
                        Problem(relpath, line, "wrong_file", code, f"unit {code} belongs in units/{city_of(code)}.yaml")
                    )
        if list_file.level == "city" and not CITY_CODE_RE.match(list_file.scope):
            problems.append(
                Problem(relpath, 0, "bad_file", list_file.scope, "prefecture files are named after the 6-digit code")
            )
    for rid, region in sorted(library.regions.items()):
        for city in region.get("cities", []):
            if not CITY_CODE_RE.match(str(city)):
                problems.append(
                    Problem(
                        "library.yaml", 0, "bad_region", rid, f"region {rid}: '{city}' is not a 6-digit prefecture code"
                    )
                )
    if unit_codes is not None:
        layer_codes = set(unit_codes)
        listed = set(library.unit_codes())
        for relpath, list_file in sorted(library.files.items()):
            if list_file.level != "unit":
                continue
            for code in list_file.units:
                if UNIT_CODE_RE.match(code) and code not in layer_codes:
                    problems.append(
                        Problem(
                            relpath,
                            list_file.unit_lines.get(code, 0),
                            "unit_not_in_layer",
                            code,
                            f"unit {code} is not in the unit layer",
                        )
                    )
        for code in sorted(layer_codes - listed):
            problems.append(
                Problem(
                    _relpath("unit", city_of(code)),
                    0,
                    "unit_without_list",
                    code,
                    f"unit {code} has no list of its own",
                    "warning",
                )
            )
        for code in sorted(listed & layer_codes):
            list_file = library.files[_relpath("unit", city_of(code))]
            if not list_file.units.get(code):
                problems.append(
                    Problem(
                        list_file.relpath,
                        list_file.unit_lines.get(code, 0),
                        "unit_without_list",
                        code,
                        f"unit {code} has an empty list",
                        "warning",
                    )
                )
    return problems


# --- saving --------------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    pass


def _represent_list(dumper, data):
    flow = all(isinstance(v, (int, float, str)) and len(str(v)) < 40 for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


def file_document(list_file: ListFile) -> dict:
    if list_file.level == "unit":
        doc: dict = {"level": "unit"}
        for code in sorted(list_file.units):
            doc[code] = {"clauses": [c.to_yaml() for c in list_file.units[code]]}
        return doc
    header = {k: v for k, v in list_file.header.items() if k not in ("level", "clauses")}
    return {"level": list_file.level, **header, "clauses": [c.to_yaml() for c in list_file.clauses]}


def library_document(library: Library) -> dict:
    doc = {
        "name": library.name,
        "version": library.version,
        "province": library.province,
        "dimensions": {k: dict(library.dimension_labels[k]) for k in DIMENSIONS},
        "regions": {
            rid: {"name": r.get("name", ""), "cities": [str(c) for c in r.get("cities", [])]}
            for rid, r in sorted(library.regions.items())
        },
    }
    doc.update(library.meta_extra)
    return doc


def _mode_for(path: str) -> int:
    """The permissions a rewritten file keeps: those it had, or for a new file what the umask gives."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str, text: str, backup: bool = True) -> str:
    """Write via a temporary file in the same folder and rename; keep the previous file as <name>.bak."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    data = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and os.path.exists(path):
            shutil.copy2(path, path + ".bak")
        os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600: colleagues on a shared folder keep their access
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return _digest(data)


def disk_digest(path: str) -> str:
    if not os.path.exists(path):
        return ""
    with open(path, "rb") as handle:
        return _digest(handle.read())


def changed_on_disk(library: Library, relpaths: Iterable[str] | None = None) -> list[str]:
    relpaths = list(relpaths) if relpaths is not None else [p for p, f in library.files.items() if f.dirty]
    return [p for p in relpaths if disk_digest(os.path.join(library.root, p)) != library.files[p].digest]


def save_library(library: Library, force: bool = False, all_files: bool = False) -> list[str]:
    """Write the dirty files (or all of them). Raises ConflictError, writing nothing, when one of them
    changed on disk since it was loaded, unless `force`. Broken files are never written."""
    targets = [p for p, f in sorted(library.files.items()) if (f.dirty or all_files) and not f.broken]
    if not force:
        conflicts = changed_on_disk(library, targets)
        if conflicts:
            raise ConflictError(conflicts)
    written = []
    for relpath in targets:
        list_file = library.files[relpath]
        list_file.digest = atomic_write(os.path.join(library.root, relpath), dump_yaml(file_document(list_file)))
        list_file.dirty = False
        written.append(relpath)
    return written


def save_library_meta(library: Library) -> None:
    library.meta_digest = atomic_write(os.path.join(library.root, "library.yaml"), dump_yaml(library_document(library)))


def new_library(root: str, name: str, province: str, version: str = "1", regions: dict | None = None) -> Library:
    library = Library(
        root=os.path.abspath(root), name=name, province=province, version=version, regions=dict(regions or {})
    )
    save_library_meta(library)
    return library
