"""Read a department's own unit layer into the standard unit fields (issue 11).

Fields are found by the names real schemes use (core/schema.FIELD_ALIASES, case ignored) unless overridden. Codes
are kept as they are: a code that does not fit ``^ZH\\d{6}[123]\\d{4,5}$``, or whose class digit contradicts the
class field, is reported, never changed; a duplicate code is an error naming both features.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .schema import (
    CITY,
    CLASS,
    CODE,
    COUNTY,
    COUNTY_CODE,
    FIELD_ALIASES,
    NAME,
    PROV,
    SOURCE_AREA_ALIASES,
    UNIT_CODE_RE,
    UNIT_TYPE_ALIASES,
    class_from_code,
    county_from_code,
    find_field,
    normalize_county_code,
    parse_class,
)

ROLES = ("code", "name", "class", "type", "county_code", "prov", "city", "county", "area")
ROLE_ALIASES = {
    "code": FIELD_ALIASES[CODE],
    "name": FIELD_ALIASES[NAME],
    "class": FIELD_ALIASES[CLASS],
    "type": UNIT_TYPE_ALIASES,
    "county_code": (*FIELD_ALIASES[COUNTY_CODE], "AREA"),
    "prov": FIELD_ALIASES[PROV],
    "city": FIELD_ALIASES[CITY],
    "county": FIELD_ALIASES[COUNTY],
    "area": SOURCE_AREA_ALIASES,
}

MESSAGES = {
    "field": ("{role}取自字段 {field}", "{role} read from field {field}"),
    "no_field": ("未找到{role}字段", "no {role} field found"),
    "area_field_is_county": ("字段 {field} 为县级代码", "field {field} holds county codes"),
    "area_field_is_name": ("字段 {field} 为区县名称", "field {field} holds county names"),
    "area_field_is_area": ("字段 {field} 为面积", "field {field} holds areas"),
    "no_code": ("要素 {fid} 没有单元编码", "feature {fid} has no unit code"),
    "bad_code": (
        "要素 {fid} 的编码“{code}”不符合 ZH + 6 位县级代码 + 类别 + 4~5 位序号，按原样保留",
        "feature {fid}: code '{code}' is not ZH + 6 digits + class + 4-5 digits; kept as it is",
    ),
    "class_conflict": (
        "要素 {fid}（{code}）：编码类别位为 {digit}，分类字段为 {value}；采用分类字段",
        "feature {fid} ({code}): the code's class digit is {digit}, the class field says {value}; the field is used",
    ),
    "class_from_code": (
        "要素 {fid}（{code}）：类别取自编码第 9 位",
        "feature {fid} ({code}): class read from the code",
    ),
    "class_from_name": (
        "要素 {fid}（{code}）：类别由名称“{name}”判断",
        "feature {fid} ({code}): class read from the name '{name}'",
    ),
    "no_class": ("要素 {fid}（{code}）：无法确定单元类别", "feature {fid} ({code}): the class cannot be read"),
    "county_conflict": (
        "要素 {fid}（{code}）：编码中的县级代码为 {digits}，字段为 {value}；采用字段",
        "feature {fid} ({code}): the code says county {digits}, the field says {value}; the field is used",
    ),
    "county_from_code": (
        "要素 {fid}（{code}）：县级代码取自编码第 3~8 位",
        "feature {fid} ({code}): county code read from the code",
    ),
    "no_county": ("要素 {fid}（{code}）：无法确定县级代码", "feature {fid} ({code}): the county code cannot be read"),
    "duplicate": (
        "编码 {code} 重复：要素 {fid} 与要素 {other}",
        "code {code} is used twice: feature {fid} and feature {other}",
    ),
    "repaired": (
        "要素 {fid}（{code}）几何无效（{reason}），已修复",
        "feature {fid} ({code}): invalid geometry ({reason}), repaired",
    ),
    "empty": ("要素 {fid}（{code}）没有几何，未写入输出", "feature {fid} ({code}) has no geometry; not written"),
    "area_diff": (
        "要素 {fid}（{code}）：原面积 {source:.4f} km²，实测 {measured:.4f} km²（差 {percent:+.2f}%）",
        "feature {fid} ({code}): source area {source:.4f} km², measured {measured:.4f} km² ({percent:+.2f}%)",
    ),
}
ROLE_NAMES = {
    "code": ("单元编码", "unit code"),
    "name": ("单元名称", "unit name"),
    "class": ("单元类别", "unit class"),
    "type": ("单元类型", "unit type"),
    "county_code": ("县级代码", "county code"),
    "prov": ("省名称", "province name"),
    "city": ("市名称", "prefecture name"),
    "county": ("区县名称", "county name"),
    "area": ("原面积", "source area"),
}
MESSAGES["encoding"] = (
    "Shapefile 没有 .cpg 文件，属性按 {encoding} 编码读取",
    "the Shapefile has no .cpg: its attributes are read as {encoding}",
)


def message(key: str, lang: str = "zh", **values) -> str:
    zh, en = MESSAGES[key]
    if "role" in values:
        values = dict(values, role=ROLE_NAMES[values["role"]][0 if lang == "zh" else 1])
    return (zh if lang == "zh" else en).format(**values)


@dataclass
class Note:
    key: str
    severity: str = "info"  # info | warning | error
    values: dict = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return message(self.key, lang, **self.values)


@dataclass
class ImportedUnit:
    fid: int
    code: str
    name: str = ""
    unit_class: int | None = None
    class_source: str = ""  # field | type | code | name | ''
    county_code: str = ""
    prov: str = ""
    city: str = ""
    county: str = ""
    source_area: float | None = None
    notes: list[Note] = field(default_factory=list)

    def warn(self, key: str, severity: str = "warning", **values) -> None:
        self.notes.append(Note(key, severity, {"fid": self.fid, "code": self.code, **values}))


def _numeric(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(unicodedata.normalize("NFKC", str(value)).strip())
    except ValueError:
        return None


def detect_fields(
    names: list[str], rows: list[dict], overrides: dict[str, str] | None = None
) -> tuple[dict[str, str | None], list[Note]]:
    """role -> field name. `AREA` is the county name in many schemes, a county code in some, an area in others:
    its values decide. Overrides win (a name that is not in the layer is an error for the caller)."""
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    found: dict[str, str | None] = {}
    notes: list[Note] = []
    taken: set[str] = set(overrides.values())
    for role in ROLES:
        if role in overrides:
            found[role] = find_field(names, overrides[role])
            continue
        candidates = [a for a in ROLE_ALIASES[role] if a.upper() != "AREA" or role in ("county", "county_code", "area")]
        name = None
        for alias in candidates:
            hit = find_field(names, alias)
            if hit is not None and hit not in taken:
                name = hit
                break
        found[role] = name
    # AREA, when it is what matched for county/county_code/area: decide from the values
    ambiguous = {
        role for role in ("county", "county_code", "area") if found.get(role) and found[role].upper() == "AREA"
    }
    if ambiguous and not any(role in overrides for role in ambiguous):
        name = found[next(iter(ambiguous))]
        values = [r.get(name) for r in rows if r.get(name) not in (None, "")]
        if values and all(normalize_county_code(v) for v in values):
            kind = "county_code"
        elif values and all(_numeric(v) is not None for v in values):
            kind = "area"
        else:
            kind = "county"
        for role in ambiguous:
            if role != kind:
                found[role] = None
        found[kind] = name
        notes.append(
            Note(
                {"county_code": "area_field_is_county", "area": "area_field_is_area"}.get(kind, "area_field_is_name"),
                values={"field": name},
            )
        )
    for role in ROLES:
        if found.get(role):
            notes.append(Note("field", values={"role": role, "field": found[role]}))
        elif role in ("code", "class", "name"):
            notes.append(Note("no_field", "warning" if role != "code" else "error", {"role": role}))
    return found, notes


def read_unit(fid: int, attrs: dict, fields: dict[str, str | None]) -> ImportedUnit:
    def value(role):
        name = fields.get(role)
        raw = attrs.get(name) if name else None
        return raw

    def text(role) -> str:
        raw = value(role)
        return "" if raw is None else str(raw).strip()

    code = unicodedata.normalize("NFKC", text("code")).strip()
    unit = ImportedUnit(fid, code, name=text("name"), prov=text("prov"), city=text("city"), county=text("county"))
    if not code:
        unit.warn("no_code", "error")
    elif not UNIT_CODE_RE.match(code):
        unit.warn("bad_code")
    digit = class_from_code(code)
    field_class = parse_class(value("class"))
    type_class = parse_class(value("type"))
    if field_class is not None:
        unit.unit_class, unit.class_source = field_class, "field"
    elif type_class is not None:
        unit.unit_class, unit.class_source = type_class, "type"
    elif digit is not None:
        unit.unit_class, unit.class_source = digit, "code"
        unit.warn("class_from_code", "info")
    elif parse_class(unit.name) is not None:
        unit.unit_class, unit.class_source = parse_class(unit.name), "name"
        unit.warn("class_from_name", name=unit.name)
    else:
        unit.warn("no_class")
    if digit is not None and unit.unit_class is not None and unit.class_source in ("field", "type"):
        if digit != unit.unit_class:
            raw = value("class") if unit.class_source == "field" else value("type")
            unit.warn("class_conflict", digit=digit, value=raw)
    county_field = normalize_county_code(value("county_code"))
    digits = county_from_code(code)
    if county_field:
        unit.county_code = county_field
        if digits and digits != county_field:
            unit.warn("county_conflict", digits=digits, value=county_field)
    elif digits:
        unit.county_code = digits
        unit.warn("county_from_code", "info")
    else:
        unit.warn("no_county")
    unit.source_area = _numeric(value("area"))
    return unit


def duplicates(units: list[ImportedUnit]) -> list[tuple[str, int, int]]:
    """(code, first fid, later fid) of every code used more than once; each later feature is also noted."""
    first: dict[str, int] = {}
    found = []
    for unit in units:
        if not unit.code:
            continue
        if unit.code in first:
            found.append((unit.code, first[unit.code], unit.fid))
            unit.warn("duplicate", "error", other=first[unit.code])
        else:
            first[unit.code] = unit.fid
    return found


def area_in_km2(source: float, measured_km2: float) -> float:
    """The source's area in km², its unit guessed from the measured area: km², ha, m² or mu (亩)."""
    best = source
    for factor in (1.0, 0.01, 1e-6, 1 / 1500):
        candidate = source * factor
        if measured_km2 > 0 and abs(candidate - measured_km2) < abs(best - measured_km2):
            best = candidate
    return best


def max_serials(units: list[ImportedUnit]) -> dict[tuple[str, int], int]:
    """Highest serial per (county digits, class digit) of the well-formed codes (field ZDXH)."""
    highest: dict[tuple[str, int], int] = defaultdict(int)
    for unit in units:
        if UNIT_CODE_RE.match(unit.code):
            key = (unit.code[2:8], int(unit.code[8]))
            highest[key] = max(highest[key], int(unit.code[9:]))
    return highest


def dbf_encoding(path: str) -> str | None:
    """The encoding of a Shapefile's .dbf that has no .cpg: 'UTF-8' when its text decodes as UTF-8, else 'GBK'
    (what Chinese schemes written without a .cpg use); None when there is no .dbf or its text is plain ASCII."""
    import os

    dbf = os.path.splitext(path)[0] + ".dbf"
    if not os.path.exists(dbf):
        for ext in (".DBF", ".Dbf"):
            if os.path.exists(os.path.splitext(path)[0] + ext):
                dbf = os.path.splitext(path)[0] + ext
                break
        else:
            return None
    with open(dbf, "rb") as handle:
        data = handle.read()
    if len(data) < 32:
        return None
    header_length = int.from_bytes(data[8:10], "little")
    body = data[header_length:]
    if all(b < 128 for b in body):
        return None
    try:
        body.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "GBK"
