"""Tracking assessment and enforcement targeting (跟踪评估、监管执法线索筛选), seed 十三.

Which units are slipping — priority units whose ecological function declined (new construction or mining inside),
key units with prominent problems (a monitoring site worse than its target, sources of an industry the unit's
list prohibits or restricts), general units whose quality dropped (a section or station in a worse class than in
the base year) — and the change patches, sites and sources an inspector should visit, each with the clause of the
unit's list it touches. The thresholds are data (resources/rules/tracking_rules.yaml).

Areas are measured in each unit's CGCS2000 Gauss-Krüger zone (core.projection), never in degrees. Bad input is
reported by row or feature and left out; it never stops the run. Texts are Chinese or English (`lang`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .errors import EcoZoningError
from .geometry import polygonal, repair
from .lists import KIND_LABELS, LEVEL_LABELS, EffectiveClause, Library
from .projection import area_m2, zone_for_geometry
from .rulesfile import load_rules_yaml
from .schema import CLASS_LABELS, CLASS_LABELS_EN, industry_matches, parse_industry_codes
from .screening import Target

DEFAULT_RULES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "rules", "tracking_rules.yaml")
TESTS = ("land_change", "exceeds_target", "worsened", "source_industry")
SEVERITY_LABELS = {"zh": {1: "低", 2: "中", 3: "高"}, "en": {1: "low", 2: "medium", 3: "high"}}
CLASS_NAMES = ("I", "II", "III", "IV", "V", "劣V")
MIN_OVERLAP_M2 = 1.0  # change parts smaller than this are edge slivers, not change inside a unit

# Texts core writes into the outputs, in both languages.
MESSAGES = {
    "zh": {
        "change_detail": "{kind} {ha:.2f} 公顷（占单元 {share:.2f} %）",
        "change_total": "{kinds} 共 {ha:.2f} 公顷，占单元 {share:.2f} %（阈值 {threshold}）",
        "exceeds": "{site} {indicator} {year} 年为 {value}，目标 {target}",
        "worsened": "{site} {indicator} 由 {base_year} 年 {base} 变为 {year} 年 {value}",
        "source": "{source}（行业 {industry}）属于条款 {clause} 的{kind}行业",
        "clauses": "；涉及条款 {ids}",
        "no_clause": "；单元清单中无对应条款",
        "threshold_area": "≥ {area:g} 平方米",
        "threshold_share": "≥ {share:g} %",
        "or": " 或 ",
        "threshold_steps": "较基准年差 ≥ {steps} 类",
        "threshold_count": "≥ 1 个",
        "bad_year": "{where}：年份“{value}”不是数字，该行未使用",
        "bad_value": "{where}：{indicator} 的值“{value}”无法识别，该行未使用",
        "unknown_indicator": "{where}：未知指标“{value}”（可用：{known}），该行未使用",
        "no_site_id": "{where}：缺少站点编号，该行未使用",
        "no_location": "{where}：站点“{site}”在监测点位图层中没有位置，其监测结果未使用",
        "duplicate_result": "{where}：站点“{site}” {year} 年 {indicator} 重复（{old} / {new}），取较差值",
        "site_outside": "监测点位“{site}”不在任何管控单元内",
        "site_duplicate": "监测点位“{site}”重复（{where}），使用第一个",
        "site_no_geometry": "{where}：监测点位“{site}”没有几何",
        "bad_target": "{where}：站点“{site}”的目标“{value}”无法识别，使用默认目标 {default}",
        "no_base": "站点“{site}”的 {indicator} 缺少 {year} 年（基准年）数据，未评价是否变差",
        "change_unknown_type": "{where}：变化类型“{value}”不属于任何已知类型（{known}），未计入规则",
        "change_repaired": "{where}：变化图斑几何已修复（{note}）",
        "change_empty": "{where}：变化图斑没有面积，未使用",
        "change_outside": "{where}：变化图斑不在任何管控单元内",
        "source_no_geometry": "{where}：污染源“{source}”没有位置，未使用",
        "source_no_industry": "{where}：污染源“{source}”没有可识别的行业代码，未按行业评价",
        "source_bad_industry": "{where}：污染源“{source}”的行业代码中“{parts}”无法识别",
        "source_outside": "{where}：污染源“{source}”不在任何管控单元内",
        "source_bad_emission": "{where}：污染源“{source}”的排放量“{value}”不是数字",
        "unit_area": "单元面积",
        "sources_all": "污染源数量",
        "emissions": "污染物排放量",
        "sources_rule": "{kind}行业污染源",
        "other": "其他变化",
    },
    "en": {
        "change_detail": "{kind} {ha:.2f} ha ({share:.2f} % of the unit)",
        "change_total": "{kinds}: {ha:.2f} ha, {share:.2f} % of the unit (threshold {threshold})",
        "exceeds": "{site}: {indicator} {value} in {year}, target {target}",
        "worsened": "{site}: {indicator} from {base} in {base_year} to {value} in {year}",
        "source": "{source} (industry {industry}) is of an industry clause {clause} {kind}s",
        "clauses": "; clauses {ids}",
        "no_clause": "; no clause of the unit's list addresses it",
        "threshold_area": "≥ {area:g} m²",
        "threshold_share": "≥ {share:g} %",
        "or": " or ",
        "threshold_steps": "≥ {steps} class(es) worse than the base year",
        "threshold_count": "≥ 1",
        "bad_year": "{where}: year '{value}' is not a number; row left out",
        "bad_value": "{where}: value '{value}' of {indicator} cannot be read; row left out",
        "unknown_indicator": "{where}: unknown indicator '{value}' (known: {known}); row left out",
        "no_site_id": "{where}: no site id; row left out",
        "no_location": "{where}: site '{site}' has no location in the monitoring-site layer; its results are left out",
        "duplicate_result": "{where}: site '{site}' has {indicator} of {year} twice ({old} / {new}); the worse is used",
        "site_outside": "Monitoring site '{site}' lies in no control unit",
        "site_duplicate": "Monitoring site '{site}' appears twice ({where}); the first is used",
        "site_no_geometry": "{where}: monitoring site '{site}' has no geometry",
        "bad_target": "{where}: target '{value}' of site '{site}' cannot be read; default target {default} used",
        "no_base": "Site '{site}' has no {indicator} of the base year {year}; not assessed for worsening",
        "change_unknown_type": "{where}: change type '{value}' is none of the known kinds ({known}); not used by rules",
        "change_repaired": "{where}: change polygon repaired ({note})",
        "change_empty": "{where}: change polygon has no area; left out",
        "change_outside": "{where}: change polygon lies in no control unit",
        "source_no_geometry": "{where}: source '{source}' has no location; left out",
        "source_no_industry": "{where}: source '{source}' has no readable industry code; not assessed by industry",
        "source_bad_industry": "{where}: industry code part(s) '{parts}' of source '{source}' cannot be read",
        "source_outside": "{where}: source '{source}' lies in no control unit",
        "source_bad_emission": "{where}: emission '{value}' of source '{source}' is not a number",
        "unit_area": "unit area",
        "sources_all": "number of sources",
        "emissions": "emissions",
        "sources_rule": "sources of {kind}ed industries",
        "other": "other change",
    },
}
EN_KINDS = {"prohibit": "prohibit", "restrict": "restrict", "require": "require", "encourage": "encourage"}


def msg(lang: str, key: str, **values) -> str:
    return MESSAGES["zh" if lang == "zh" else "en"][key].format(**values)


def label(labels: dict, lang: str) -> str:
    return str(labels.get("zh" if lang == "zh" else "en") or labels.get("zh") or "")


def kind_label(kind: str, lang: str) -> str:
    return KIND_LABELS.get(kind, kind) if lang == "zh" else EN_KINDS.get(kind, kind)


def level_label(level: str, lang: str) -> str:
    return LEVEL_LABELS.get(level, level) if lang == "zh" else level


def class_label(unit_class, lang: str) -> str:
    return (CLASS_LABELS if lang == "zh" else CLASS_LABELS_EN).get(unit_class, str(unit_class or ""))


class TrackingRulesError(EcoZoningError):
    pass


# --- the rules file ------------------------------------------------------------------------------------------
@dataclass
class Indicator:
    key: str
    labels: dict
    kind: str  # class | number
    names: list[str]
    target: float | None
    grades: list[float] = field(default_factory=list)
    unit: str = ""
    words: list[str] = field(default_factory=list)

    def parse(self, value) -> float | None:
        return parse_class(value) if self.kind == "class" else parse_number(value)

    def grade(self, value: float) -> int:
        if self.kind == "class":
            return int(value)
        return 1 + sum(value > limit for limit in self.grades)

    def show(self, value) -> str:
        if value is None:
            return "—"
        if self.kind == "class":
            return class_name(value)
        return f"{value:g} {self.unit}".strip()


@dataclass
class ChangeType:
    key: str
    labels: dict
    match: list[str]
    words: list[str]


@dataclass
class TrackRule:
    id: str
    focus: str
    classes: list[int]
    test: str
    severity: int
    text: dict
    params: dict


@dataclass
class TrackingRules:
    focuses: dict[str, dict]
    change_types: dict[str, ChangeType]
    indicators: dict[str, Indicator]
    rules: list[TrackRule]
    base_year: int | None = None
    path: str = ""

    def change_kind(self, raw) -> str:
        """The change kind of a CHANGE_FIELD value ('' when none matches)."""
        text = _fold(raw)
        if not text:
            return ""
        for key, change in self.change_types.items():
            if text == _fold(key) or any(_fold(word) in text for word in change.match):
                return key
        return ""

    def indicator(self, raw) -> Indicator | None:
        text = _fold(raw)
        for indicator in self.indicators.values():
            if text == _fold(indicator.key) or text in {_fold(n) for n in indicator.names}:
                return indicator
        return None


def _fold(value) -> str:
    return unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().casefold()


def load_tracking_rules(path: str | None = None) -> TrackingRules:
    path = path or DEFAULT_RULES
    data = load_rules_yaml(path, TrackingRulesError, "resources/rules/tracking_rules.yaml")
    problems: list[str] = []
    focuses = {str(k): dict(v or {}) for k, v in (data.get("focuses") or {}).items()}
    changes = {}
    for key, item in (data.get("change_types") or {}).items():
        item = item or {}
        changes[str(key)] = ChangeType(
            str(key),
            _labels(item, key),
            [str(w) for w in item.get("match") or []],
            [str(w) for w in item.get("words") or []],
        )
    indicators = {}
    for key, item in (data.get("indicators") or {}).items():
        item = item or {}
        kind = str(item.get("kind") or "number")
        if kind not in ("class", "number"):
            problems.append(f"indicator {key}: kind must be class or number, got {kind!r}")
        target = item.get("target")
        parsed_target = parse_class(target) if kind == "class" else parse_number(target)
        if target is not None and parsed_target is None:
            problems.append(f"indicator {key}: target {target!r} cannot be read")
        try:
            grades = sorted(float(g) for g in item.get("grades") or [])
        except (TypeError, ValueError):
            problems.append(f"indicator {key}: grades must be numbers")
            grades = []
        indicators[str(key)] = Indicator(
            str(key), _labels(item, key), kind, [str(n) for n in item.get("names") or []], parsed_target, grades,
            str(item.get("unit") or ""), [str(w) for w in item.get("words") or []],
        )  # fmt: skip
    rules = []
    for n, item in enumerate(data["rules"], start=1):
        if not isinstance(item, dict):
            problems.append(f"rule {n}: must be a mapping")
            continue
        rid = str(item.get("id") or f"rule {n}")
        test = str(item.get("test") or "")
        if test not in TESTS:
            problems.append(f"{rid}: test must be one of {', '.join(TESTS)}, got {test!r}")
        focus = str(item.get("focus") or "")
        if focus not in focuses:
            problems.append(f"{rid}: focus {focus!r} is not one of the focuses ({', '.join(focuses)})")
        try:
            classes = [int(c) for c in item.get("classes") or [1, 2, 3]]
            severity = int(item.get("severity", 2))
        except (TypeError, ValueError):
            problems.append(f"{rid}: classes and severity must be whole numbers")
            classes, severity = [], 2
        if severity not in (1, 2, 3):
            problems.append(f"{rid}: severity must be 1, 2 or 3")
        params = {k: v for k, v in item.items() if k not in ("id", "focus", "classes", "test", "severity", "text")}
        for key in params.get("change_kinds") or []:
            if key not in changes:
                problems.append(f"{rid}: change kind {key!r} is not in change_types")
        for key in params.get("indicators") or []:
            if key not in indicators:
                problems.append(f"{rid}: indicator {key!r} is not in indicators")
        if test == "land_change" and params.get("min_area_m2") is None and params.get("min_share") is None:
            problems.append(f"{rid}: a land_change rule needs min_area_m2 or min_share")
        text = item.get("text") if isinstance(item.get("text"), dict) else {"zh": str(item.get("text") or rid)}
        rules.append(TrackRule(rid, focus, classes, test, severity, text, params))
    base_year = data.get("base_year")
    if base_year is not None and parse_year(base_year) is None:
        problems.append(f"base_year {base_year!r} is not a year")
    if problems:
        raise TrackingRulesError(f"{path}: " + "; ".join(problems))
    return TrackingRules(focuses, changes, indicators, rules, parse_year(base_year) if base_year else None, path)


def _labels(item: dict, key) -> dict:
    return {"zh": str(item.get("zh") or key), "en": str(item.get("en") or item.get("zh") or key)}


# --- reading values as people write them ---------------------------------------------------------------------
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def parse_class(value) -> int | None:
    """A water quality class as written: 3, '3', 'III', 'Ⅲ', 'Ⅲ类', 'III类', '劣V', '劣Ⅴ类', '劣5' → 1–6; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value) in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0) else None
    text = unicodedata.normalize("NFKC", str(value)).strip().upper().replace(" ", "")
    text = re.sub(r"^(类别|水质)?", "", text)
    text = re.sub(r"(类|类水质|类水)$", "", text)
    worse = text.startswith("劣")
    text = text.lstrip("劣")
    if worse:
        return 6 if text in ("V", "5", "") else None
    if text in _ROMAN:
        return _ROMAN[text]
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0) else None


def class_name(value) -> str:
    return CLASS_NAMES[int(value) - 1] if value is not None and 1 <= int(value) <= 6 else str(value)


def parse_number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if np.isfinite(value) else None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def parse_year(value) -> int | None:
    """2023, 2023.0, '2023', '2023年', ' 2023 ' → 2023; anything else (or outside 1900–2100) → None."""
    if value is None or isinstance(value, bool):
        return None
    if hasattr(value, "year") and not isinstance(value, (int, float, str)):
        return int(value.year)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = re.fullmatch(r"(\d{4})(?:\.0+)?\s*(?:年|年度)?", text)
    if not match:
        return None
    year = int(match.group(1))
    return year if 1900 <= year <= 2100 else None


def where(lang: str, what: str, name: str, number, line: bool = False) -> str:
    """'监测结果表 'x' 要素 12' / 'Results table 'x', feature 12' (line=True: '… 第 12 行' / '…, line 12')."""
    if lang == "zh":
        return f"{what}“{name}”第 {number} 行" if line else f"{what}“{name}”要素 {number}"
    return f"{what} '{name}', line {number}" if line else f"{what} '{name}', feature {number}"


def read_csv_table(path: str, lang: str = "en") -> tuple[list[str], list[tuple[str, dict]]]:
    """A CSV as (field names, [(where, row)]), UTF-8 (with or without BOM) or GBK/GB18030, comma, tab or semicolon.

    `where` names the file and the line as a spreadsheet shows it (header = line 1)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte string
        raise EcoZoningError(f"{path}: neither UTF-8 nor GBK text")
    sample = text[:4096]
    delimiter = max((",", "\t", ";"), key=sample.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    name = os.path.basename(path)
    what = "CSV 文件" if lang == "zh" else "CSV file"
    rows = [(where(lang, what, name, n, line=True), dict(row)) for n, row in enumerate(reader, start=2)]
    return list(reader.fieldnames or []), rows


# --- inputs --------------------------------------------------------------------------------------------------
@dataclass
class ChangePatch:
    ref: str  # 'feature 12' (layer and feature, for messages and leads)
    fid: str
    raw_type: str
    period: str
    geom: BaseGeometry | None
    kind: str = ""


@dataclass
class Site:
    sid: str
    name: str
    geom: BaseGeometry | None
    target: object = None  # raw value of the site's target field
    ref: str = ""


@dataclass
class Measurement:
    sid: str
    year: int
    indicator: str
    value: float
    ref: str


@dataclass
class Source:
    sid: str
    name: str
    industry: str
    geom: BaseGeometry | None
    permit: str = ""
    emission: object = None
    ref: str = ""
    codes: list[str] = field(default_factory=list)


def parse_results(
    rows: list[tuple[str, dict]], columns: dict[str, str], rules: TrackingRules, lang: str = "zh"
) -> tuple[list[Measurement], list[str]]:
    """Result rows ({where: {field: value}}) → measurements; every row that cannot be used is reported."""
    out: dict[tuple[str, int, str], Measurement] = {}
    problems = []
    known = ", ".join(rules.indicators)
    for where, row in rows:
        sid = str(row.get(columns["site"]) if row.get(columns["site"]) is not None else "").strip()
        if not sid:
            problems.append(msg(lang, "no_site_id", where=where))
            continue
        indicator = rules.indicator(row.get(columns["indicator"]))
        if indicator is None:
            problems.append(
                msg(lang, "unknown_indicator", where=where, value=row.get(columns["indicator"]), known=known)
            )
            continue
        year = parse_year(row.get(columns["year"]))
        if year is None:
            problems.append(msg(lang, "bad_year", where=where, value=row.get(columns["year"])))
            continue
        value = indicator.parse(row.get(columns["value"]))
        if value is None:
            problems.append(
                msg(
                    lang,
                    "bad_value",
                    where=where,
                    value=row.get(columns["value"]),
                    indicator=label(indicator.labels, lang),
                )
            )
            continue
        key = (sid, year, indicator.key)
        if key in out and out[key].value != value:
            old = out[key].value
            problems.append(
                msg(lang, "duplicate_result", where=where, site=sid, year=year, indicator=label(indicator.labels, lang),
                    old=indicator.show(old), new=indicator.show(value))
            )  # fmt: skip
            if old >= value:
                continue
        out[key] = Measurement(sid, year, indicator.key, float(value), where)
    return list(out.values()), problems


# --- outputs -------------------------------------------------------------------------------------------------
@dataclass
class IndicatorRow:
    unit: Target
    indicator: str  # land_change | <indicator key> | sources | emissions | sources_<kind>
    label: str
    obj: str  # change kinds, site id, '' for the unit as a whole
    unit_of_measure: str
    value: float | None
    base: float | None
    change: float | None
    threshold: str = ""
    rule: str = ""
    flagged: bool = False
    note: str = ""


@dataclass
class Lead:
    unit: Target
    rule: TrackRule
    obj_type: str  # change | site | source
    obj_id: str
    obj_name: str
    geom: BaseGeometry
    detail: str
    clauses: list[EffectiveClause]
    severity: int
    area_m2: float | None = None
    industry: str = ""
    permit: str = ""
    emission: float | None = None
    period: str = ""
    rank: int = 0


@dataclass
class Reason:
    rule: TrackRule
    severity: int
    magnitude: float
    detail: str


@dataclass
class FlaggedUnit:
    unit: Target
    area_m2: float
    reasons: list[Reason]
    rank: int = 0

    @property
    def severity(self) -> int:
        return max(r.severity for r in self.reasons)

    @property
    def score(self) -> int:
        return sum(r.severity for r in self.reasons)

    @property
    def focuses(self) -> list[str]:
        return list(dict.fromkeys(r.rule.focus for r in sorted(self.reasons, key=lambda r: -r.severity)))


@dataclass
class TrackingResult:
    indicators: list[IndicatorRow] = field(default_factory=list)
    flagged: list[FlaggedUnit] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unit_count: int = 0
    counts: dict = field(default_factory=dict)  # inputs used: changes, sites, measurements, sources


# --- the engine ----------------------------------------------------------------------------------------------
class _Units:
    def __init__(self, units: list[Target]):
        self.units = units
        self.geoms = np.array([u.geom for u in units], dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms) if units else None
        self.zones = [zone_for_geometry(u.geom) for u in units]
        self.areas = [float(area_m2(u.geom, z)) for u, z in zip(units, self.zones)]

    def locate(self, geoms: list) -> list[int | None]:
        """The unit each point (or each geometry's point on surface) lies in — the first by order on a shared
        boundary — or None; one vectorised pass over the prepared units."""
        out: list[int | None] = [None] * len(geoms)
        if self.tree is None or not geoms:
            return out
        points = np.array([g if g.geom_type == "Point" else shapely.point_on_surface(g) for g in geoms], dtype=object)
        pi, ui = self.tree.query(points)
        hit = shapely.intersects(self.geoms[ui], points[pi])
        pi, ui = pi[hit], ui[hit]
        for k in np.lexsort((ui, pi))[::-1]:  # the lowest unit index wins
            out[int(pi[k])] = int(ui[k])
        return out

    def overlapping(self, geom) -> list[int]:
        if self.tree is None:
            return []
        return sorted(self.tree.query(geom, predicate="intersects").tolist())


@dataclass
class _ChangePart:
    patch: ChangePatch
    geom: BaseGeometry
    area: float


def track(
    units: list[Target],
    rules: TrackingRules,
    library: Library | None = None,
    changes: list[ChangePatch] | None = None,
    sites: list[Site] | None = None,
    measurements: list[Measurement] | None = None,
    sources: list[Source] | None = None,
    lang: str = "zh",
    is_canceled=lambda: False,
    progress=lambda fraction: None,
) -> TrackingResult:
    """Indicators, flagged units and leads. Inputs left out (None) leave their indicators out."""
    result = TrackingResult(unit_count=len(units))
    index = _Units(units)
    effective = _EffectiveLists(library, units)
    parts = _change_parts(changes, index, rules, result, lang) if changes is not None else None
    progress(0.3)
    site_units, series = (
        _site_series(sites, measurements or [], index, rules, result, lang) if sites is not None else (None, None)
    )
    source_units = _source_units(sources, index, result, lang) if sources is not None else None
    progress(0.5)
    flagged: dict[int, FlaggedUnit] = {}
    targets: set = set()  # (site, indicator) whose unreadable target was reported
    for i, unit in enumerate(units):
        if is_canceled():
            break
        reasons: list[Reason] = []
        if parts is not None:
            _land_change(i, unit, index, parts.get(i, []), rules, effective, result, reasons, lang)
        if series is not None:
            _monitoring(i, unit, site_units.get(i, []), series, rules, effective, result, reasons, lang, targets)
        if source_units is not None:
            _sources(i, unit, source_units.get(i, []), rules, effective, result, reasons, lang)
        if reasons:
            flagged[i] = FlaggedUnit(unit, index.areas[i], reasons)
        if i % 200 == 0:
            progress(0.5 + 0.5 * i / max(len(units), 1))
    ranked = sorted(
        flagged.values(),
        key=lambda f: (-f.severity, -f.score, -max(r.magnitude for r in f.reasons), f.unit.code),
    )
    for rank, item in enumerate(ranked, start=1):
        item.rank = rank
    result.flagged = ranked
    rank_of = {id(f.unit): f.rank for f in ranked}
    result.leads = [lead for lead in result.leads if id(lead.unit) in rank_of]
    for lead in result.leads:
        lead.rank = rank_of[id(lead.unit)]
    result.leads.sort(key=lambda lead: (lead.rank, -lead.severity, lead.rule.id, lead.obj_id))
    progress(1.0)
    return result


class _EffectiveLists:
    def __init__(self, library: Library | None, units: list[Target]):
        self.library = library
        self.cache: dict[int, list[EffectiveClause]] = {}

    def of(self, unit: Target) -> list[EffectiveClause]:
        if self.library is None:
            return []
        key = id(unit)
        if key not in self.cache:
            self.cache[key] = self.library.effective(unit.code, unit.target_class, [unit.key] if unit.key else [])
        return self.cache[key]


def _pick_clauses(unit: Target, clauses: list[EffectiveClause], spec: dict, words: list[str]) -> list[EffectiveClause]:
    """The clauses of the unit's list a lead touches: those of the rule's dimensions and kinds that name the unit's
    subtype or contain one of the words; the unit's subtype first, then prohibit before restrict, then word hits."""
    dimensions = set(spec.get("dimensions") or [])
    kinds = spec.get("kinds") or ["prohibit", "restrict", "require", "encourage"]
    # clauses for named industries concern sources, not land change or ambient quality
    candidates = [
        c
        for c in clauses
        if (not dimensions or c.clause.dimension in dimensions) and c.clause.kind in kinds and not c.clause.industries
    ]

    def score(item: EffectiveClause):
        specific = bool(unit.key and unit.key in item.clause.subtypes)
        hits = sum(word in item.clause.text for word in words)
        return specific, hits

    chosen = [c for c in candidates if any(score(c))]
    chosen.sort(key=lambda c: (not score(c)[0], kinds.index(c.clause.kind), -score(c)[1]))
    return chosen[: int(spec.get("max", 3))]


def _clause_note(clauses: list[EffectiveClause], lang: str) -> str:
    if not clauses:
        return msg(lang, "no_clause")
    return msg(lang, "clauses", ids=", ".join(c.clause.id for c in clauses))


# land change
def _change_parts(changes, index: _Units, rules: TrackingRules, result: TrackingResult, lang: str):
    """The part of every change polygon inside every unit it touches, with its area in the unit's GK zone."""
    by_unit: dict[int, list[_ChangePart]] = defaultdict(list)
    known = ", ".join(rules.change_types)
    patches, geoms = [], []
    for patch in changes:
        geom, note = repair(patch.geom)
        if geom.is_empty:
            result.problems.append(msg(lang, "change_empty", where=patch.ref))
            continue
        if note:
            result.problems.append(msg(lang, "change_repaired", where=patch.ref, note=note))
        patch.kind = rules.change_kind(patch.raw_type)
        if not patch.kind:
            result.problems.append(msg(lang, "change_unknown_type", where=patch.ref, value=patch.raw_type, known=known))
        patches.append(patch)
        geoms.append(geom)
    result.counts["changes"] = len(patches)
    if not patches or index.tree is None:
        result.problems.extend(msg(lang, "change_outside", where=p.ref) for p in patches)
        return by_unit
    # one vectorised pass: candidate pairs by bounding box, then the predicate on the prepared units
    patch_arr = np.array(geoms, dtype=object)
    pi, ui = index.tree.query(patch_arr)
    unit_arr = index.geoms[ui]
    hit = shapely.intersects(unit_arr, patch_arr[pi])
    pi, ui, unit_arr = pi[hit], ui[hit], unit_arr[hit]
    inside = shapely.contains_properly(unit_arr, patch_arr[pi])  # most patches: the part is the patch itself
    parts = patch_arr[pi].copy()
    cut = ~inside
    if cut.any():
        parts[cut] = [polygonal(g) for g in shapely.intersection(patch_arr[pi[cut]], unit_arr[cut])]
    zones = np.array(index.zones)[ui]
    areas = np.zeros(len(parts))
    for zone in np.unique(zones):
        sel = zones == zone
        areas[sel] = area_m2(parts[sel], int(zone))
    located = set()
    for k in np.lexsort((ui, pi)):
        if areas[k] < MIN_OVERLAP_M2:
            continue
        located.add(int(pi[k]))
        by_unit[int(ui[k])].append(_ChangePart(patches[pi[k]], parts[k], float(areas[k])))
    result.problems.extend(msg(lang, "change_outside", where=p.ref) for n, p in enumerate(patches) if n not in located)
    return by_unit


def _union_area(parts: list[_ChangePart], zone: int) -> float:
    """Area of the union: overlapping change polygons (two interpretations of one site) are not counted twice."""
    if not parts:
        return 0.0
    if len(parts) == 1:
        return parts[0].area
    geoms = np.array([p.geom for p in parts], dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="overlaps")
    if not (left != right).any():
        return float(sum(p.area for p in parts))
    return float(area_m2(shapely.union_all(geoms), zone))


def _change_label(rules: TrackingRules, kind: str, lang: str) -> str:
    change = rules.change_types.get(kind)
    return label(change.labels, lang) if change else (kind or "?")


def _land_change(i, unit, index, parts, rules, effective, result, reasons, lang):
    zone, unit_area = index.zones[i], index.areas[i]
    kinds = sorted({p.patch.kind for p in parts})
    ha_label = "m²"
    for kind in kinds:
        area = _union_area([p for p in parts if p.patch.kind == kind], zone)
        result.indicators.append(
            IndicatorRow(unit, "land_change", _change_label(rules, kind, lang) if kind else msg(lang, "other"), kind, ha_label,
                         area, unit_area, area / unit_area if unit_area else None)
        )  # fmt: skip
    for rule in rules.rules:
        if rule.test != "land_change" or unit.target_class not in rule.classes:
            continue
        wanted = list(rule.params.get("change_kinds") or [])
        mine = [p for p in parts if p.patch.kind in wanted]
        area = _union_area(mine, zone)
        share = area / unit_area if unit_area else 0.0
        min_area, min_share = rule.params.get("min_area_m2"), rule.params.get("min_share")
        hit = (min_area is not None and area >= float(min_area)) or (
            min_share is not None and share >= float(min_share)
        )
        threshold = msg(lang, "or").join(
            t
            for t in (
                msg(lang, "threshold_area", area=float(min_area)) if min_area is not None else "",
                msg(lang, "threshold_share", share=100 * float(min_share)) if min_share is not None else "",
            )
            if t
        )
        kinds_text = (
            "、".join(_change_label(rules, k, lang) for k in wanted)
            if lang == "zh"
            else " + ".join(_change_label(rules, k, lang) for k in wanted)
        )
        result.indicators.append(
            IndicatorRow(unit, "land_change", kinds_text, "+".join(wanted), ha_label, area, unit_area,
                         share, threshold, rule.id, bool(hit and mine))
        )  # fmt: skip
        if not (hit and mine):
            continue
        severe = (rule.params.get("severe_share") is not None and share >= float(rule.params["severe_share"])) or (
            rule.params.get("severe_area_m2") is not None and area >= float(rule.params["severe_area_m2"])
        )
        picked = []
        all_clauses: list[EffectiveClause] = []
        for part in sorted(mine, key=lambda p: (-p.area, p.patch.fid)):
            words = rules.change_types[part.patch.kind].words
            clauses = _pick_clauses(unit, effective.of(unit), rule.params.get("clauses") or {}, words)
            all_clauses.extend(c for c in clauses if c not in all_clauses)
            picked.append((part, clauses))
        # change that a prohibit clause of the unit's list forbids (construction in the red line) is severe at any size
        if rule.params.get("severe_on_prohibit") and any(c.clause.kind == "prohibit" for c in all_clauses):
            severe = True
        severity = 3 if severe else rule.severity
        for part, clauses in picked:
            detail = msg(
                lang, "change_detail", kind=_change_label(rules, part.patch.kind, lang), ha=part.area / 10000,
                share=100 * part.area / unit_area,
            ) + (f"，{part.patch.period}" if part.patch.period and lang == "zh" else f", {part.patch.period}" if part.patch.period else "")  # fmt: skip
            result.leads.append(
                Lead(unit, rule, "change", part.patch.fid, part.patch.raw_type, part.geom,
                     detail + _clause_note(clauses, lang), clauses, severity, area_m2=part.area, period=part.patch.period)
            )  # fmt: skip
        detail = msg(lang, "change_total", kinds=kinds_text, ha=area / 10000, share=100 * share, threshold=threshold)
        reasons.append(Reason(rule, severity, share, detail + _clause_note(all_clauses, lang)))


# monitoring
def _site_series(sites, measurements, index, rules, result, lang):
    located: dict[str, Site] = {}
    for site in sites:
        if site.sid in located:
            result.problems.append(msg(lang, "site_duplicate", site=site.sid, where=site.ref))
            continue
        if site.geom is None or site.geom.is_empty:
            result.problems.append(msg(lang, "site_no_geometry", where=site.ref, site=site.sid))
            continue
        located[site.sid] = site
    series: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    reported = set()
    used = 0
    for m in measurements:
        if m.sid not in located:
            if m.sid not in reported:
                result.problems.append(msg(lang, "no_location", where=m.ref, site=m.sid))
                reported.add(m.sid)
            continue
        series[(m.sid, m.indicator)][m.year] = m.value
        used += 1
    site_units: dict[int, list[Site]] = defaultdict(list)
    for site, i in zip(located.values(), index.locate([site.geom for site in located.values()])):
        if i is None:
            result.problems.append(msg(lang, "site_outside", site=site.sid))
            continue
        site_units[i].append(site)
    result.counts["sites"] = len(located)
    result.counts["measurements"] = used
    return site_units, series


def _site_target(site: Site, indicator: Indicator, result, lang, reported: set) -> float | None:
    if site.target in (None, ""):
        return indicator.target
    value = indicator.parse(site.target)
    if value is None:
        if (site.sid, indicator.key) not in reported:
            reported.add((site.sid, indicator.key))
            result.problems.append(
                msg(
                    lang,
                    "bad_target",
                    where=site.ref,
                    site=site.sid,
                    value=site.target,
                    default=indicator.show(indicator.target),
                )
            )
        return indicator.target
    return value


def _monitoring(i, unit, sites, series, rules, effective, result, reasons, lang, reported_targets):
    monitoring_rules = [r for r in rules.rules if r.test in ("exceeds_target", "worsened")]
    for site in sorted(sites, key=lambda s: s.sid):
        for indicator in rules.indicators.values():
            values = series.get((site.sid, indicator.key))
            if not values:
                continue
            year = max(values)
            latest = values[year]
            base_year = rules.base_year or min(values)
            base = values.get(base_year)
            applying = [
                r
                for r in monitoring_rules
                if unit.target_class in r.classes and indicator.key in (r.params.get("indicators") or [])
            ]
            name = label(indicator.labels, lang)
            change = latest - base if base is not None else None
            if not applying:
                result.indicators.append(
                    IndicatorRow(unit, indicator.key, name, site.sid, indicator.unit, latest, base, change,
                                 note=f"{base_year}→{year}")
                )  # fmt: skip
            for rule in applying:
                hit, magnitude, severity, threshold, detail = False, 0.0, rule.severity, "", ""
                if rule.test == "exceeds_target":
                    target = _site_target(site, indicator, result, lang, reported_targets)
                    threshold = f"> {indicator.show(target)}" if target is not None else ""
                    if target is not None and latest > target:
                        hit = True
                        if indicator.kind == "class":
                            magnitude = latest - target
                            severe = rule.params.get("severe_classes")
                        else:
                            magnitude = (latest - target) / target if target else 0.0
                            severe = rule.params.get("severe_excess")
                        if severe is not None and magnitude >= float(severe):
                            severity = 3
                        detail = msg(lang, "exceeds", site=site.name or site.sid, indicator=name, year=year,
                                     value=indicator.show(latest), target=indicator.show(target))  # fmt: skip
                else:
                    steps = int(rule.params.get("min_steps", 1))
                    threshold = msg(lang, "threshold_steps", steps=steps)
                    if base is None:
                        result.problems.append(msg(lang, "no_base", site=site.sid, indicator=name, year=base_year))
                    elif year > base_year:
                        worse = indicator.grade(latest) - indicator.grade(base)
                        if worse >= steps:
                            hit, magnitude = True, float(worse)
                            severe = rule.params.get("severe_steps")
                            if severe is not None and worse >= int(severe):
                                severity = 3
                            detail = msg(lang, "worsened", site=site.name or site.sid, indicator=name, base_year=base_year,
                                         base=indicator.show(base), year=year, value=indicator.show(latest))  # fmt: skip
                result.indicators.append(
                    IndicatorRow(unit, indicator.key, name, site.sid, indicator.unit, latest, base, change,
                                 threshold, rule.id, hit, f"{base_year}→{year}")
                )  # fmt: skip
                if hit:
                    clauses = _pick_clauses(unit, effective.of(unit), rule.params.get("clauses") or {}, indicator.words)
                    text = detail + _clause_note(clauses, lang)
                    result.leads.append(
                        Lead(unit, rule, "site", site.sid, site.name, site.geom, text, clauses, severity)
                    )
                    reasons.append(Reason(rule, severity, magnitude, text))


# sources
def _source_units(sources, index, result, lang):
    by_unit: dict[int, list[Source]] = defaultdict(list)
    placed: list[Source] = []
    for source in sources:
        label_ = source.name or source.sid
        if source.geom is None or source.geom.is_empty:
            result.problems.append(msg(lang, "source_no_geometry", where=source.ref, source=label_))
            continue
        source.codes, unreadable = parse_industry_codes(source.industry)
        if unreadable:
            result.problems.append(
                msg(lang, "source_bad_industry", where=source.ref, source=label_, parts="、".join(unreadable))
            )
        if not source.codes:
            result.problems.append(msg(lang, "source_no_industry", where=source.ref, source=label_))
        if source.emission not in (None, "") and parse_number(source.emission) is None:
            result.problems.append(
                msg(lang, "source_bad_emission", where=source.ref, source=label_, value=source.emission)
            )
        placed.append(source)
    for source, i in zip(placed, index.locate([source.geom for source in placed])):
        if i is None:
            result.problems.append(msg(lang, "source_outside", where=source.ref, source=source.name or source.sid))
            continue
        by_unit[i].append(source)
    result.counts["sources"] = sum(len(v) for v in by_unit.values())
    return by_unit


def _sources(i, unit, sources, rules, effective, result, reasons, lang):
    if sources:
        result.indicators.append(
            IndicatorRow(unit, "sources", msg(lang, "sources_all"), "", "", float(len(sources)), None, None)
        )
        emissions = [parse_number(s.emission) for s in sources]
        if any(e is not None for e in emissions):
            total = sum(e for e in emissions if e is not None)
            result.indicators.append(
                IndicatorRow(unit, "emissions", msg(lang, "emissions"), "", "t/a", total, None, None)
            )
    for rule in rules.rules:
        if rule.test != "source_industry" or unit.target_class not in rule.classes:
            continue
        kinds = list(rule.params.get("clause_kinds") or ["prohibit"])
        clauses = [c for c in effective.of(unit) if c.clause.kind in kinds and c.clause.industries]
        matched = []
        for source in sorted(sources, key=lambda s: s.sid):
            hits = [
                c
                for c in clauses
                if any(industry_matches(code, pattern) for code in source.codes for pattern in c.clause.industries)
            ]
            if not hits:
                continue
            hits.sort(key=lambda c: kinds.index(c.clause.kind))
            matched.append(source)
            first = hits[0].clause
            detail = msg(lang, "source", source=source.name or source.sid, industry=",".join(source.codes),
                         clause=first.id, kind=kind_label(first.kind, lang))  # fmt: skip
            result.leads.append(
                Lead(unit, rule, "source", source.sid, source.name, source.geom, detail + _clause_note(hits, lang), hits,
                     rule.severity, industry=",".join(source.codes), permit=source.permit,
                     emission=parse_number(source.emission))
            )  # fmt: skip
        kinds_text = "/".join(kind_label(k, lang) for k in kinds)
        result.indicators.append(
            IndicatorRow(unit, f"sources_{'_'.join(kinds)}", msg(lang, "sources_rule", kind=kinds_text), "", "",
                         float(len(matched)), float(len(sources)), None, msg(lang, "threshold_count"), rule.id,
                         bool(matched))
        )  # fmt: skip
        if matched:
            ids = sorted(
                {c.clause.id for lead in result.leads if lead.rule is rule and lead.unit is unit for c in lead.clauses}
            )
            names = (
                "、".join(s.name or s.sid for s in matched)
                if lang == "zh"
                else ", ".join(s.name or s.sid for s in matched)
            )
            detail = f"{label(rule.text, lang)}：{names}" if lang == "zh" else f"{label(rule.text, lang)}: {names}"
            reasons.append(
                Reason(rule, rule.severity, float(len(matched)), detail + msg(lang, "clauses", ids=", ".join(ids)))
            )
