"""The data contract (docs/domain-rules.md): field names, code patterns, classes and the filing layout.

Every module that reads or writes a unit, a zone or a filing package takes these names from here, so a rule
is written once. Field lookups ignore case (PostGIS lowercases every column, many Shapefiles too) and the
value is always read from the field that matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

# --- unit fields (docs/domain-rules.md §4) -----------------------------------------------------------------------
CODE = "HJGKDYBM"  # 环境管控单元编码
NAME = "HJGKDYMC"  # 环境管控单元名称
CLASS = "ZHGKDYFL"  # 管控单元分类 1/2/3
SUBTYPE = "GKDYLX"  # dominant subtype (ours)
COUNTY_CODE = "XZQDM"  # 6-digit GB/T 2260
PROV = "PROV"
CITY = "CITY"
COUNTY = "COUNTY"
AREA = "MJ"  # km², measured in the county's Gauss–Krüger zone
ZONE_CODES = "YSBM"  # codes of the element zones inside
VERSION = "BBH"
SERIAL = "ZDXH"  # highest serial ever used in (county, class)
ZONE_SUBTYPE = "YSXL"  # element zone subtype key
ZONE_CODE = "YSBM"

# The four list texts of the filing tables, by dimension.
DIMENSION_FIELDS = {
    "spatial_layout": "KJBJYS",
    "emission_control": "PWWPFGK",
    "risk_prevention": "HJFXFK",
    "resource_efficiency": "ZYLYXL",
}

# Field length of a unit code: national codes have 13 characters, some provinces 14 (ZH440605200001).
CODE_LENGTH = 14
NATIONAL_CODE_RE = re.compile(r"^ZH\d{6}[123]\d{4}$")
UNIT_CODE_RE = re.compile(r"^ZH\d{6}[123]\d{4,5}$")
COUNTY_CODE_RE = re.compile(r"^\d{6}$")

# --- classes ------------------------------------------------------------------------------------------
CLASSES = (1, 2, 3)
CLASS_LABELS = {1: "优先保护单元", 2: "重点管控单元", 3: "一般管控单元"}
CLASS_SHORT_LABELS = {1: "优先保护", 2: "重点管控", 3: "一般管控"}
CLASS_LABELS_EN = {1: "Priority protection unit", 2: "Key control unit", 3: "General control unit"}
_CLASS_WORDS = (("优先", 1), ("重点", 2), ("一般", 3), ("priority", 1), ("key", 2), ("general", 3))


def class_from_code(code) -> int | None:
    """The class digit of a unit code (the ninth character), or None when the code does not carry one."""
    text = str(code or "").strip()
    if UNIT_CODE_RE.match(text):
        return int(text[8])
    return None


def parse_class(value) -> int | None:
    """A class written as 1, 1.0, '1', '优先保护单元', '园区型重点管控单元1' or 'key'; None when unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value) in (1.0, 2.0, 3.0) else None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if not text or text in ("null", "none"):
        return None
    try:
        number = float(text)
    except ValueError:
        for word, unit_class in _CLASS_WORDS:
            if word in text:
                return unit_class
        return None
    return int(number) if number in (1.0, 2.0, 3.0) else None


def unit_class(class_value, code) -> int | None:
    """The rule, once: the class field when it reads as 1/2/3, else the code's class digit, else None.

    None means "class unknown": clauses filtered by class do not apply to such a unit, clauses for every
    class do, and the unit is reported by validation (missing class).
    """
    parsed = parse_class(class_value)
    return parsed if parsed is not None else class_from_code(code)


def county_from_code(code) -> str | None:
    """Digits 3–8 of a unit code (the county's GB/T 2260 code), or None."""
    text = str(code or "").strip()
    return text[2:8] if UNIT_CODE_RE.match(text) else None


def normalize_county_code(value) -> str | None:
    """A county code written as 230102, 230102.0, ' 230102' or '２３０１０２'; None when it is not 6 digits."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{6}\.0+", text):
        text = text.split(".")[0]
    return text if COUNTY_CODE_RE.match(text) else None


# --- industry codes (GB/T 4754) ----------------------------------------------------------------------------
INDUSTRY_RE = re.compile(r"^[A-T](\d{1,4})?$")
_INDUSTRY_TOKEN_RE = re.compile(r"(?<![A-Z0-9])([A-T])?\s*[-_]?\s*(\d{2,4})(?![0-9])|(?<![A-Z0-9])([A-T])(?![A-Z0-9])")
_INDUSTRY_SPLIT_RE = re.compile(r"[、，,;；/\s]+")


def parse_industry_codes(text) -> tuple[list[str], list[str]]:
    """Industry codes as people write them → (codes, unreadable parts).

    '2520', 'C 2520', 'C-2520', 'Ｃ2520', 'C２５２０', 'C1311、C2520', '炼焦 C2520' all read; a code without its
    section letter keeps its digits (the digits alone decide GB/T 4754 divisions and classes).
    """
    raw = unicodedata.normalize("NFKC", str(text or "")).upper().strip()
    if not raw:
        return [], []
    codes: list[str] = []
    unreadable: list[str] = []
    for part in _INDUSTRY_SPLIT_RE.split(_join_letter_digits(raw)):
        if not part:
            continue
        found = [
            m.group(1) + m.group(2) if m.group(1) else (m.group(2) or m.group(3))
            for m in _INDUSTRY_TOKEN_RE.finditer(part)
        ]
        if found:
            codes.extend(c for c in found if c not in codes)
        elif re.search(r"[A-Z0-9]", part):
            unreadable.append(part)
    return codes, unreadable


def _join_letter_digits(text: str) -> str:
    # 'C 2520' and 'C-2520' are one code, not a section letter and a bare number.
    return re.sub(r"(?<![A-Z])([A-T])[\s\-_]+(\d{2,4})", r"\1\2", text)


def industry_matches(code: str, pattern: str) -> bool:
    """Does a project's industry code fall under a clause's code (C25 covers C2520; 2520 matches C2520)?"""
    code, pattern = code.upper(), pattern.upper()
    if code[:1].isdigit() and pattern[:1].isalpha():
        pattern = pattern[1:]
    elif pattern[:1].isdigit() and code[:1].isalpha():
        code = code[1:]
    return bool(pattern) and code.startswith(pattern)


# --- field lookup ------------------------------------------------------------------------------------------
# Names real schemes use, in order of preference (matched without regard to case).
FIELD_ALIASES = {
    CODE: (CODE, "HJZHGKDYBM", "DYBM", "GKDYBM", "管控单元编码", "环境管控单元编码", "单元编码"),
    NAME: (NAME, "HJZHGKDYMC", "DYMC", "GKDYMC", "管控单元名称", "环境管控单元名称", "单元名称"),
    CLASS: (CLASS, "GKDYFL", "DYFL", "管控单元分类", "单元类别", "管控类别"),
    COUNTY_CODE: (COUNTY_CODE, "XZQHDM", "COUNTY_CODE", "县级代码", "行政区代码"),
    PROV: (PROV, "SHENG", "PROVINCE", "省", "省份"),
    CITY: (CITY, "SHI", "地市", "市"),
    COUNTY: (COUNTY, "AREA", "XIAN", "QX", "县", "区县", "县区"),
}
# a published layer's own area field (importunits keeps it as YMJ; an AREA field is read from its values), and
# its unit type text (园区型重点管控单元1): not aliases of MJ or of a class field, only what importunits looks for
SOURCE_AREA_ALIASES = (
    AREA,
    "MJ_KM2",
    "AREA_KM2",
    "MJ_MU",
    "MJ_HA",
    "面积",
    "面积_km2",
    "面积（平方公里）",
    "SHAPE_AREA",
    "AREA",
)
UNIT_TYPE_ALIASES = ("DYLX", "GKDYLX_MC", "单元类型", "管控单元类型", "环境管控单元类型", "类型")  # 园区型重点管控单元1


def find_field(names: Iterable[str], wanted: str, aliases: Iterable[str] = ()) -> str | None:
    """The actual name of field `wanted` (or of its first alias present) in `names`, ignoring case; else None."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(unicodedata.normalize("NFKC", name).strip().casefold(), name)
    for candidate in (wanted, *aliases):
        found = by_key.get(unicodedata.normalize("NFKC", candidate).strip().casefold())
        if found is not None:
            return found
    return None


def field_value(attrs: Mapping, wanted: str, default=None):
    """attrs[wanted], where the key may differ in case (`hjgkdybm`)."""
    if wanted in attrs:
        return attrs[wanted]
    name = find_field(attrs.keys(), wanted)
    return attrs[name] if name is not None else default


# --- the filing package ----------------------------------------------------------------------------------
PACKAGE_LAYOUT = {
    "units": "data/units.gpkg",
    "zones": "data/zones.gpkg",
    "admin": "data/admin.gpkg",
    "list_table": "tables/附表1_环境管控单元准入清单.xlsx",
    "statistics_xlsx": "tables/statistics.xlsx",
    "statistics_csv": "tables/statistics.csv",
    "map_pdf": "maps/units.pdf",
    "map_png": "maps/units.png",
    "metadata": "metadata.json",
    "validation": "validation.html",
    "manifest": "manifest.json",
}

# --- tracking inputs (monitoring results, sites, sources, land change) ------------------------------------------
# Column names of the results table (site id, year, indicator, value) and of the site, source and change layers,
# as monitoring stations and interpretation teams deliver them; matched case-insensitively by find_field.
TRACKING_FIELD_ALIASES = {
    "site": (
        "SITE_ID",
        "SITE",
        "SITE_CODE",
        "站点编号",
        "断面编号",
        "点位编号",
        "监测点编号",
        "测站编号",
        "ZDBM",
        "DMBM",
        "ID",
    ),
    "year": ("YEAR", "年份", "年度", "监测年份", "ND"),
    "indicator": ("INDICATOR", "指标", "监测指标", "监测项目", "项目", "ZB"),
    "value": ("VALUE", "值", "监测值", "数值", "结果", "年均值", "类别", "ZHI"),
    "site_name": ("SITE_NAME", "NAME", "站点名称", "断面名称", "点位名称", "MC"),
    "target": ("TARGET", "目标", "水质目标", "目标类别", "考核目标", "MBZ"),
    "change_type": ("CHANGE_TYPE", "BHLX", "变化类型", "图斑类型", "类型", "TYPE"),
    "change_id": ("TBBH", "CHANGE_ID", "图斑编号", "BSM", "ID"),
    "period": ("PERIOD", "DATE", "监测时段", "变化时段", "时相", "日期", "SJ"),
    "source_id": ("SOURCE_ID", "QYBH", "XMBH", "企业编号", "污染源编号", "编号", "ID"),
    "source_name": ("SOURCE_NAME", "QYMC", "XMMC", "企业名称", "污染源名称", "名称", "NAME"),
    "industry": ("INDUSTRY", "HYDM", "行业代码", "行业类别代码", "国民经济行业代码"),
    "permit": ("PERMIT", "PWXKZ", "XKZBH", "排污许可证编号", "许可证编号"),
    "emission": ("EMISSION", "PFL", "排放量", "污染物排放量"),
}


def tracking_field(names: Iterable[str], key: str) -> str | None:
    """The field of `names` that holds tracking column `key` (TRACKING_FIELD_ALIASES), ignoring case; else None."""
    aliases = TRACKING_FIELD_ALIASES[key]
    return find_field(names, aliases[0], aliases[1:])


# --- the reviewer's decisions (审查意见): a table in a GeoPackage the reviewer chooses ----------------------
DECISION_LAYER = "decisions"
DECISION_FIELDS = {
    "pid": "PROJ_ID",
    "decision": "DECISION",
    "reason": "REASON",
    "reviewer": "REVIEWER",
    "time": "DATE",
    "system_verdict": "SYS_VERDICT",
    "report_number": "REPORT_NO",
}
DECISION_ALIASES = {
    "PROJ_ID": ("PROJ_ID", "XMBH", "项目编号", "ID"),
    "DECISION": ("DECISION", "审查意见", "审查结论"),
    "REASON": ("REASON", "理由", "审查理由"),
    "REVIEWER": ("REVIEWER", "审查人"),
    "DATE": ("DATE", "TIME", "日期", "审查时间"),
}
