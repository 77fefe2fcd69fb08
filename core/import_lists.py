"""Read a department's published admission-list table (附表1) into a list library (issue 11).

Sources: .xlsx (openpyxl), .csv (UTF-8 or GBK) and .docx tables (python-docx), in the layouts departments publish,
told apart by their headers:

- ``wide``: one row per unit, one column per dimension (空间布局约束 | 污染物排放管控 | …), or one undivided
  ``管控要求`` column for priority units;
- ``long``: one row per unit × dimension, the unit cells merged (佛山市's layout: 管控维度 | 管控要求); a cell may hold
  several numbered clauses and a clause may wrap over several rows;
- ``clause``: one row per clause (a clause-number column besides the dimension and text columns).

Every clause keeps its number as printed (``1-3``), its text (whitespace normalized, nothing else), its element tag
(``大气``) and a kind read from the tag or the wording. Priority units' undivided requirements get a dimension
inferred from tag and wording, flagged ``dimension_inferred``. ``factor`` lifts a clause found in every unit of a
prefecture (or of the whole table) to that level, and turns "执行省级/市级总体管控要求" into level references.
``infer_industries`` gives prohibit and restrict clauses the GB/T 4754 codes of the industry words they name
(resources/data/industry_keywords.yaml), flagged ``industries_inferred``. The report has one row per source row:
nothing the importer cannot read is dropped silently.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .errors import EcoZoningError
from .industries import industry_words
from .lists import DEFAULT_DIMENSION_LABELS, DIMENSIONS, Clause, Library, city_of
from .schema import CITY, CLASS, CODE, COUNTY, FIELD_ALIASES, NAME, PROV, UNIT_CODE_RE, parse_class

MAX_LABEL = 16  # a dimension label is short: a longer text in the dimension column is requirement text
COMMON = "common"  # 共性要求: applies to the unit as a whole
UNDIVIDED = "undivided"  # priority units' one 管控要求 column

# --- dimension labels (domain.md §4): national, Guangdong, Jiangsu, Zhejiang, Guizhou and the variants met in
# published schemes. Matched after removing whitespace; a split label ('污染物排放管' + '控') is joined first.
DIMENSION_ALIASES: dict[str, tuple[str, ...]] = {
    "spatial_layout": (
        "空间布局约束", "空间布局约束要求", "空间布局", "空间布局要求", "空间布局引导", "空间布局管控",
        "区域布局管控", "区域布局约束", "区域布局管控要求", "布局约束", "空间约束",
    ),
    "emission_control": (
        "污染物排放管控", "污染物排放管控要求", "污染物排放控制", "污染物排放", "污染排放管控", "排放管控",
    ),
    "risk_prevention": ("环境风险防控", "环境风险防控要求", "环境风险管控", "环境风险防范", "风险防控"),
    "resource_efficiency": (
        "资源利用效率", "资源利用效率要求", "资源开发效率", "资源开发效率要求", "资源开发利用效率",
        "资源开发利用要求", "资源开发利用效率要求", "能源资源利用", "能源资源利用效率", "资源能源利用",
        "资源能源利用效率", "资源利用", "资源利用要求", "资源利用效率管控",
    ),
    COMMON: ("共性要求", "共性管控要求", "普适性要求", "普适性管控要求", "总体要求", "总体管控要求"),
    UNDIVIDED: ("管控要求", "准入要求", "管控内容", "准入清单", "生态环境准入清单", "管控措施"),
}  # fmt: skip
_DIMENSION_WORDS = (("布局", "spatial_layout"), ("排放", "emission_control"), ("风险", "risk_prevention"),
                    ("资源", "resource_efficiency"), ("能源", "resource_efficiency"), ("效率", "resource_efficiency"))  # fmt: skip

# header words of the other columns (besides schema.FIELD_ALIASES), compared without whitespace and case
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "code": (*FIELD_ALIASES[CODE], "编码", "单元代码", "管控单元代码", "环境管控单元代码", "单元编号"),
    "name": (*FIELD_ALIASES[NAME], "名称", "单元名"),
    "prov": (*FIELD_ALIASES[PROV],),
    "city": (*FIELD_ALIASES[CITY], "地级市", "地市名称"),
    "county": ("区县", "县区", "县（市、区）", "县(市、区)", "县（区）", "县", "区", *FIELD_ALIASES[COUNTY]),
    "class": (*FIELD_ALIASES[CLASS], "单元类型", "管控单元类型", "环境管控单元分类", "单元分类", "类型", "分类"),
    "zones": ("涉及要素", "涉及要素细类", "要素细类", "涉及的环境要素", "管控要素细类"),
    "dimension": ("管控维度", "维度", "清单维度", "管控类别", "准入维度", "清单类型"),
    "text": ("管控要求", "准入要求", "清单内容", "条款内容", "管控内容", "内容", "要求", "条款"),
    "number": ("条款编号", "编号", "条款序号", "序号"),
    "kind": ("条款类型", "管控属性", "属性", "要求类型"),
    "element": ("要素", "管控要素", "要素类型", "环境要素"),
}
_LEVEL_WORDS = {"省": "province", "市": "city"}

# a clause number as printed: '1.', '1-3.', '2-1【', '（1）'; at a line start or after a sentence end
_NUMBER = r"\d{1,2}(?:[-－—–]\d{1,3})?"
_CLAUSE_START = re.compile(
    rf"(?:^|(?<=[\s。；;]))(?:(?P<n1>{_NUMBER})(?:[.．、]\s*(?![\d.．])|\s*(?=【))|[（(](?P<n2>\d{{1,2}})[）)])"
)
_TAG_START = re.compile(r"^\s*【[^】]{0,20}(?:[/／]|禁止|限制|鼓励|引导|综合|要求)[^】]{0,20}】")
_PLACEHOLDERS = {"/", "／", "-", "—", "——", "无", "/。", "暂无", "无。"}
_TAG = re.compile(r"^\s*【(?P<tag>[^】]{0,24})】\s*")
_KIND_WORDS = (("禁止", "prohibit"), ("限制", "restrict"), ("鼓励引导", "encourage"), ("鼓励", "encourage"),
               ("引导", "encourage"), ("综合", "require"), ("要求", "require"), ("其他", "require"))  # fmt: skip
_REFERENCE = re.compile(
    r"^(?:严格)?(?:执行|落实|遵照|按照|参照|遵守|符合)[^。，,；;]{0,12}?(?P<level>省|市)级?[^。，,；;]{0,8}?"
    r"(?:总体|普适性|共性)?(?:生态环境)?(?:管控|准入)?(?:要求|清单)(?:执行)?[。.]?$"
)
_ZONE_NAME = re.compile(r"[\u4e00-\u9fff]{0,12}?(?:重点管控区|优先保护区|一般管控区|管控单元)")
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’—…]")


class ImportListError(EcoZoningError):
    pass


# --- messages: Chinese in a Chinese QGIS, English in an English one ---------------------------------------------
MESSAGES = {
    "header": ("表头", "header row"),
    "empty": ("空行", "empty row"),
    "continued": ("续接上一行的条款 {number}", "continues clause {number} of the row above"),
    "no_unit": (
        "此行之前没有单元编码，无法确定所属单元；请补充单元编码",
        "no unit code above this row: add the unit code",
    ),
    "no_text": ("有单元信息但没有管控要求", "unit cells but no requirement text"),
    "bad_code": (
        "单元编码“{code}”不符合 ZH + 6 位县级代码 + 类别 + 4~5 位序号",
        "unit code '{code}' is not ZH + 6 digits + class + 4-5 digits",
    ),
    "code_from_name": (
        "单元编码由单元名称“{name}”在单元图层中查得",
        "unit code found in the unit layer by the name '{name}'",
    ),
    "not_in_units": (
        "单元 {code} 不在单元图层中；其条款仍已导入",
        "unit {code} is not in the unit layer; its clauses are imported all the same",
    ),
    "dimension_inferred": (
        "未分维度的管控要求：维度按标签和内容推断为“{label}”，请核对",
        "undivided requirement: dimension inferred as '{label}' from tag and wording; please check",
    ),
    "dimension_fuzzy": (
        "管控维度“{raw}”按关键词识别为“{label}”",
        "dimension label '{raw}' read as '{label}' by its key word",
    ),
    "dimension_joined": ("管控维度分行书写，合并为“{raw}”", "dimension label split over rows, joined as '{raw}'"),
    "dimension_unknown": (
        "无法识别的管控维度“{raw}”；按推断维度导入，可用 DIMENSION_LABELS 指定",
        "unknown dimension label '{raw}'; imported with an inferred dimension (set it in DIMENSION_LABELS)",
    ),
    "common": ("共性要求：维度推断为“{label}”", "common requirement: dimension inferred as '{label}'"),
    "reference": (
        "引用{level}总体管控要求，记为层级引用而非条款",
        "refers to the {level_en} requirements: kept as a level reference, not a clause",
    ),
    "kind_from_text": (
        "条款 {number} 无属性标签，类型按措辞判为“{kind}”",
        "clause {number} has no tag: kind '{kind}' read from its wording",
    ),
    "duplicate_number": ("条款编号 {number} 在本单元重复出现", "clause number {number} appears twice in this unit"),
    "placeholder": ("“{text}”表示该维度无要求", "'{text}' marks a dimension without requirements"),
    "table_skipped": (
        "{table} 没有可识别的表头，也不是上一表格的续表",
        "{table} has no header and does not continue the table before it",
    ),
    "industries_inferred": (
        "条款 {number} 未注明行业代码，按措辞推断为：{pairs_zh}；请核对",
        "clause {number} names no industry code: inferred from its wording as {pairs_en}; please check",
    ),
    "factored": (
        "各单元共有的条款，提升为{level}条款 {id}",
        "clause shared by all units, lifted to the {level_en} level as {id}",
    ),
}
LEVEL_NAMES = {"province": ("省级", "province"), "city": ("市级", "prefecture")}
KIND_NAMES = {"prohibit": "禁止", "restrict": "限制", "require": "要求", "encourage": "鼓励"}


def message(key: str, lang: str = "zh", **values) -> str:
    zh, en = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)


# --- data ----------------------------------------------------------------------------------------------
@dataclass
class ParsedClause:
    unit: str
    dimension: str
    number: str
    text: str
    kind: str
    element: str = ""
    tag: str = ""
    row: int = 0
    inferred: bool = False
    common: bool = False
    table: int = 0
    industries: list[str] = field(default_factory=list)  # GB/T 4754 codes, inferred from the wording
    industries_inferred: bool = False


@dataclass
class ReportRow:
    row: int  # row number in the source (1-based, as a spreadsheet shows it)
    status: str  # header | empty | clauses | continued | label | reference | no_text | unreadable | skipped
    unit: str = ""
    name: str = ""
    dimension: str = ""
    label: str = ""
    clauses: list[str] = field(default_factory=list)  # numbers of the clauses that start in this row
    warnings: list[str] = field(default_factory=list)  # message keys with their values: (key, values)
    table: int = 0  # the table of a .docx (1-based), 0 otherwise

    def messages(self, lang: str = "zh") -> list[str]:
        return [message(key, lang, **values) for key, values in self.warnings]


@dataclass
class UnitEntry:
    code: str
    name: str = ""
    prov: str = ""
    city: str = ""
    county: str = ""
    unit_class: int | None = None
    first_row: int = 0
    first_table: int = 0


@dataclass
class ImportResult:
    layout: str
    source: str
    units: dict[str, UnitEntry]
    clauses: dict[str, list[ParsedClause]]  # unit code -> its clauses, as printed
    references: dict[str, list[str]]  # unit code -> levels referred to
    report: list[ReportRow]
    library: Library | None = None
    lifted: dict[str, int] = field(default_factory=dict)  # clause id -> number of unit copies it replaces


# --- reading the source -----------------------------------------------------------------------------------------
@dataclass
class Table:
    rows: list[list[str]]  # cell texts, merged cells empty except their first cell
    row_numbers: list[int]
    label: str  # sheet or table name, for messages
    index: int = 0  # docx table number


def read_tables(path: str, sheet: str = "") -> list[Table]:
    """The tables of a .xlsx (one per sheet, or SHEET), .csv or .docx; raises ImportListError naming the file."""
    if not os.path.isfile(path):
        raise ImportListError(f"{path}: no such file")
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext in (".xlsx", ".xlsm"):
            return _read_xlsx(path, sheet)
        if ext in (".csv", ".txt"):
            return [_read_csv(path)]
        if ext == ".docx":
            return _read_docx(path)
    except ImportListError:
        raise
    except Exception as exc:  # a corrupt zip, a wrong format behind the extension
        raise ImportListError(
            f"{path} cannot be read as {ext[1:]} ({type(exc).__name__}: {exc}); save it again from Excel/Word "
            "as .xlsx/.docx, or as a UTF-8 .csv"
        ) from exc
    raise ImportListError(f"{path}: unsupported file type '{ext}' (use .xlsx, .csv or .docx)")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_xlsx(path: str, sheet: str) -> list[Table]:
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)  # not read-only: merged cells then read as empty
    if sheet:
        if sheet not in book.sheetnames:
            raise ImportListError(f"{path} has no sheet '{sheet}'; its sheets are: {', '.join(book.sheetnames)}")
        names = [sheet]
    else:
        names = book.sheetnames
    tables = []
    for sheet_index, name in enumerate(names, start=1):
        ws = book[name]
        rows, numbers = [], []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            rows.append([_cell_text(v) for v in row])
            numbers.append(number)
        tables.append(Table(rows, numbers, f"sheet '{name}'", sheet_index))
    return tables


def _read_csv(path: str) -> Table:
    with open(path, "rb") as handle:
        raw = handle.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # gb18030 decodes any byte string; kept for clarity
        raise ImportListError(f"{path} is neither UTF-8 nor GBK text")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [[_cell_text(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    # csv rows are physical records; a quoted cell with line breaks is one record, as a spreadsheet shows it
    return Table(rows, list(range(1, len(rows) + 1)), "csv")


def _read_docx(path: str) -> list[Table]:
    try:
        import docx
    except ImportError as exc:
        raise ImportListError(
            "reading .docx needs the Python package python-docx (pip install python-docx); or save the table as .xlsx"
        ) from exc
    document = docx.Document(path)
    tables = []
    for index, table in enumerate(document.tables, start=1):
        rows, numbers = [], []
        above: list = []
        for number, row in enumerate(table.rows, start=1):
            cells = row.cells
            texts = []
            for col, cell in enumerate(cells):
                # a merged cell comes back once per grid cell it spans: keep its first one, as a spreadsheet does
                same_left = col > 0 and cells[col - 1]._tc is cell._tc
                same_above = col < len(above) and above[col] is cell._tc
                texts.append("" if same_left or same_above else _cell_text(cell.text))
            above = [c._tc for c in cells]
            rows.append(texts)
            numbers.append(number)
        tables.append(Table(rows, numbers, f"table {index}", index))
    if not tables:
        raise ImportListError(f"{path} holds no table: the 附表1 must be a Word table")
    return tables


# --- headers and layout ---------------------------------------------------------------------------------------------
def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold().rstrip(":：")


def parse_label_pairs(text: str) -> dict[str, str]:
    """DIMENSION_LABELS: 'label:dimension' pairs separated by ';', ',' or line breaks; the dimension is a key
    (spatial_layout …) or its national label (空间布局约束 …)."""
    pairs: dict[str, str] = {}
    for part in re.split(r"[;；,，\n]+", text or ""):
        if not part.strip():
            continue
        match = re.match(r"^\s*(.+?)\s*[:：=]\s*(.+?)\s*$", part)
        if not match:
            raise ImportListError(f"DIMENSION_LABELS: '{part.strip()}' is not a label:dimension pair")
        label, target = match.groups()
        resolved = target if target in DIMENSIONS else _DIM_BY_LABEL.get(_key(target))
        if resolved not in DIMENSIONS:
            raise ImportListError(
                f"DIMENSION_LABELS: '{target}' is not a dimension (use {', '.join(DIMENSIONS)} or their labels)"
            )
        pairs[_key(label)] = resolved
    return pairs


_DIM_BY_LABEL = {_key(alias): dim for dim, aliases in DIMENSION_ALIASES.items() for alias in aliases}


def resolve_dimension(label: str, extra: dict[str, str] | None = None) -> tuple[str | None, bool]:
    """(dimension key, COMMON or UNDIVIDED, or None; fuzzy?) of a printed label."""
    key = _key(label)
    if not key:
        return None, False
    if extra and key in extra:
        return extra[key], False
    if key in _DIM_BY_LABEL:
        return _DIM_BY_LABEL[key], False
    if len(key) >= 4:
        for word, dim in _DIMENSION_WORDS:
            if word in key:
                return dim, True
    return None, False


def _is_label_prefix(label: str) -> bool:
    key = _key(label)
    return bool(key) and key not in _DIM_BY_LABEL and any(a.startswith(key) for a in _DIM_BY_LABEL)


@dataclass
class Layout:
    kind: str  # wide | long | clause
    header_rows: int  # index of the first data row
    columns: dict[str, int]  # role -> column
    dimension_columns: dict[int, str]  # wide: column -> dimension (or UNDIVIDED/COMMON)
    header: list[str] = field(default_factory=list)


def _role_of(header: str) -> str | None:
    key = _key(header)
    if not key:
        return None
    for role in ("code", "name", "zones", "dimension", "number", "kind", "element", "prov", "city", "county", "class"):
        if key in {_key(a) for a in COLUMN_ALIASES[role]}:
            return role
    if ("编码" in key or "代码" in key) and not any(w in key for w in ("行政", "区划", "要素", "县", "行业")):
        return "code"
    if "名称" in key and "单元" in key:
        return "name"
    if "类" in key and "单元" in key:
        return "class"
    return None


def detect_layout(rows: list[list[str]], extra_labels: dict[str, str] | None = None, overrides=None) -> Layout | None:
    """The layout from the first header-like row (or two rows of a two-level header) among the first 15."""
    best = None
    for start in range(min(15, len(rows))):
        for depth in (1, 2):
            if start + depth > len(rows):
                continue
            width = max(len(r) for r in rows[start : start + depth])
            header = []
            for col in range(width):
                parts = [rows[r][col] if col < len(rows[r]) else "" for r in range(start, start + depth)]
                header.append(parts[-1] or parts[0])
            layout = _layout_of(header, start + depth, extra_labels, overrides)
            if layout is not None:
                layout.header = header
                score = len(layout.columns) + 2 * len(layout.dimension_columns)
                if best is None or score > best[0]:
                    best = (score, layout)
        if best is not None:
            return best[1]
    return None


def _layout_of(header: list[str], first_data: int, extra_labels, overrides) -> Layout | None:
    columns: dict[str, int] = {}
    dims: dict[int, str] = {}
    for col, text in enumerate(header):
        if not text:
            continue
        role = _role_of(text)
        dimension, fuzzy = resolve_dimension(text, extra_labels)
        if dimension is not None and not fuzzy and role not in ("code", "name"):
            if dimension == UNDIVIDED and role is None:
                role = "text"
            else:
                dims[col] = dimension
                continue
        if role == "text" or (role is None and _key(text) in {_key(a) for a in COLUMN_ALIASES["text"]}):
            columns.setdefault("text", col)
        elif role is not None:
            columns.setdefault(role, col)
    for role, name in (overrides or {}).items():
        if name:
            matches = [c for c, t in enumerate(header) if _key(t) == _key(name)]
            if not matches:
                return None
            columns[role] = matches[0]
            dims.pop(matches[0], None)
    if "code" not in columns:
        return None
    real_dims = {c: d for c, d in dims.items() if d in DIMENSIONS}
    if len(real_dims) >= 2:
        if "text" in columns:  # a 管控要求 column beside dimension columns holds priority units' undivided text
            dims[columns.pop("text")] = UNDIVIDED
        return Layout("wide", first_data, columns, dims)
    if "text" in columns and "dimension" in columns:
        return Layout("clause" if "number" in columns else "long", first_data, columns, {})
    if "text" in columns:
        return Layout("long", first_data, columns, {})
    return None


# --- clause text ----------------------------------------------------------------------------------------------------
def join_text(parts: list[str]) -> str:
    """Lines of one clause → its text: whitespace normalized (runs to one space; none between Chinese characters,
    where a line break only marks a wrap), nothing else changed."""
    text = ""
    for part in parts:
        part = re.sub(r"\s+", " ", part).strip()
        if not part:
            continue
        if text and not (_CJK.match(text[-1]) or _CJK.match(part[0])):
            text += " "
        text += part
    return re.sub(
        r"(?<=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”]) (?=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”])", "", text
    )


def split_tag(text: str) -> tuple[str, str, str, str]:
    """(tag as printed, element, kind or '', rest of the text) of '【大气/限制类】…'."""
    match = _TAG.match(text)
    if not match:
        return "", "", "", text
    tag = match.group("tag").strip()
    kind = ""
    element = tag
    for word, value in _KIND_WORDS:
        position = tag.rfind(word)
        if position >= 0:
            kind = value
            element = tag[:position]
            break
    element = element.strip(" /／、·-")
    return tag, element, kind, text[match.end() :]


def kind_from_text(text: str) -> str:
    if re.search(r"禁止|严禁|不得|不予|禁燃|一律不", text):
        return "prohibit"
    if re.search(r"限制|严格控制|严控|控制.{0,4}规模|只减不增", text):
        return "restrict"
    if re.search(r"鼓励|引导|支持|推广|优先发展|重点发展", text):
        return "encourage"
    return "require"


def infer_dimension(element: str, text: str) -> str:
    """The dimension of an undivided (priority unit) clause: spatial layout unless the text is plainly about risk,
    resources or emissions (zone names such as 高排放重点管控区 do not count)."""
    plain = _ZONE_NAME.sub("", text)
    if "风险" in element or re.search(r"风险防[控范]|环境风险|应急|突发环境事件|事故", plain):
        return "risk_prevention"
    if any(w in element for w in ("能源", "资源", "矿产")) or re.search(
        r"节水|节约用水|用水总量|用水量|能耗|能源消费|资源利用|利用效率|禁燃|高污染燃料|地下水开采|开采总量|集约", plain
    ):
        return "resource_efficiency"
    siting = re.search(r"新建|扩建|改建|建设项目|选址|布局|入园|开发建设|占用|准入", plain)
    if not siting and re.search(
        r"排放标准|排放总量|污染物排放|达标排放|减排|治理设施|污水处理|收集处理|雨污分流|超低排放|VOCs|挥发性有机物",
        plain,
    ):
        return "emission_control"
    return "spatial_layout"


def level_reference(text: str) -> str | None:
    match = _REFERENCE.match(re.sub(r"\s+", "", text))
    return _LEVEL_WORDS[match.group("level")] if match else None


@dataclass
class _Piece:
    row: tuple  # (table, row)
    number: str  # '' for text that continues the clause before it
    text: str
    start: bool = False  # starts a clause: it has a number, or begins with a tag (【产业/鼓励引导类】…)


def split_pieces(row: tuple, cell: str) -> list[_Piece]:
    """A cell's text cut at the printed clause numbers; text before the first number continues the clause above."""
    pieces: list[_Piece] = []
    for line in cell.split("\n"):
        starts = list(_CLAUSE_START.finditer(line))
        head = line[: starts[0].start()] if starts else line
        if head.strip():
            pieces.append(_Piece(row, "", head, bool(_TAG_START.match(head))))
        for k, match in enumerate(starts):
            end = starts[k + 1].start() if k + 1 < len(starts) else len(line)
            number = re.sub(r"[－—–]", "-", match.group("n1") or match.group("n2"))
            pieces.append(_Piece(row, number, line[match.end() : end], True))
    return pieces


# --- parsing a table into units and clauses ----------------------------------------------------------------------------
@dataclass
class _Block:
    unit: str
    dimension: str  # a key, COMMON, UNDIVIDED, or '' (unknown label)
    label: str
    rows: list[tuple[tuple, str]] = field(default_factory=list)  # ((table, row), text)
    fuzzy: bool = False


def parse_tables(
    tables: list[Table],
    extra_labels: dict[str, str] | None = None,
    overrides: dict[str, str] | None = None,
    unit_names: dict[str, str] | None = None,
    source: str = "",
) -> ImportResult:
    """All tables of a file as one 附表1: a table without a header that has the width of the one before continues
    it (a Word table split at a page break); a unit may run on across tables."""
    report: list[ReportRow] = []
    units: dict[str, UnitEntry] = {}
    blocks: list[_Block] = []
    rows_by_key: dict[tuple[int, int], ReportRow] = {}
    state: dict = {"current": None, "block": None, "wide": {}}
    layout: Layout | None = None
    skipped: list[Table] = []
    for table in tables:
        found = detect_layout(table.rows, extra_labels, overrides)
        width = max((len(r) for r in table.rows), default=0)
        if found is None and layout is not None and width == len(layout.header):
            found = Layout(layout.kind, 0, layout.columns, layout.dimension_columns, layout.header)
        if found is None:
            skipped.append(table)
            continue
        layout = found
        _parse_rows(table, layout, extra_labels, unit_names, report, units, blocks, rows_by_key, state)
    if layout is None:
        raise ImportListError(
            f"{source or tables[0].label if tables else source}: no header with a unit code column "
            "(环境管控单元编码 / HJGKDYBM …) and requirement columns (管控维度 + 管控要求, or one column per "
            "dimension) in its first 15 rows; give the column names in the overrides"
        )
    for table in skipped:
        for number, row in zip(table.row_numbers, table.rows):
            if any(c.strip() for c in row):
                entry = ReportRow(number, "skipped", table=table.index)  # a sheet of notes, a title table …
                entry.warnings.append(("table_skipped", {"table": table.label}))
                report.append(entry)
    report.sort(key=lambda r: (r.table, r.row))
    clauses, references = _clauses_of(blocks, rows_by_key)
    return ImportResult(layout.kind, source, units, clauses, references, report)


def _parse_rows(table, layout, extra_labels, unit_names, report, units, blocks, rows_by_key, state) -> None:
    cols = layout.columns
    report.extend(ReportRow(table.row_numbers[i], "header", table=table.index) for i in range(layout.header_rows))
    current: UnitEntry | None = state["current"]
    block: _Block | None = state["block"]
    wide_blocks: dict[tuple[str, int], _Block] = state["wide"]
    by_name = {_key(name): code for name, code in (unit_names or {}).items()}

    def cell(row: list[str], role: str) -> str:
        col = cols.get(role)
        return row[col] if col is not None and col < len(row) else ""

    for index in range(layout.header_rows, len(table.rows)):
        row = table.rows[index]
        number = table.row_numbers[index]
        key = (table.index, number)
        entry = ReportRow(number, "empty", table=table.index)
        report.append(entry)
        rows_by_key[key] = entry
        if not any(c.strip() for c in row):
            continue
        code = unicodedata.normalize("NFKC", cell(row, "code")).strip().upper().replace(" ", "")
        name = cell(row, "name")
        if not code and name and current is not None and _key(name) == _key(current.name):
            code = current.code
        if not code and name:
            found = by_name.get(_key(name))
            if found:
                code = found
                entry.warnings.append(("code_from_name", {"name": name}))
        if code:
            if current is None or code != current.code:
                current = units.get(code) or UnitEntry(code, first_row=number, first_table=table.index)
                units.setdefault(code, current)
                block = None
                if not UNIT_CODE_RE.match(code):
                    entry.warnings.append(("bad_code", {"code": code}))
            for role in ("name", "prov", "city", "county"):
                value = cell(row, role)
                if value and not getattr(current, role):
                    setattr(current, role, value)
            if current.unit_class is None:
                current.unit_class = parse_class(cell(row, "class"))
        elif current is None:
            entry.status = "unreadable"
            entry.warnings.append(("no_unit", {}))
            continue
        entry.unit, entry.name = current.code, current.name
        if layout.kind == "wide":
            header = layout.header
            for col, dimension in sorted(layout.dimension_columns.items()):
                text = row[col] if col < len(row) else ""
                if text.strip() in _PLACEHOLDERS:
                    entry.warnings.append(("placeholder", {"text": text.strip()}))
                    entry.status = "label" if entry.status == "empty" else entry.status
                elif text.strip():
                    target = wide_blocks.get((current.code, col))
                    if target is None:
                        label = header[col] if col < len(header) else ""
                        target = wide_blocks[(current.code, col)] = _Block(current.code, dimension, label)
                        blocks.append(target)
                    target.rows.append((key, text))
                    entry.status = "clauses"
            if entry.status == "empty":
                entry.status = "no_text"
                entry.warnings.append(("no_text", {}))
            continue
        label = cell(row, "dimension")
        text = cell(row, "text")
        if text.strip() in _PLACEHOLDERS:
            entry.warnings.append(("placeholder", {"text": text.strip()}))
            text = ""
        if label and not text and not _reads_as_label(label, block, current.code, extra_labels):
            label, text = "", label  # a priority unit's requirement merged across the dimension column
        if label:
            dimension, fuzzy = resolve_dimension(label, extra_labels)
            same_unit = block is not None and block.unit == current.code
            joined = block.label + label if same_unit else ""
            joined_dim, joined_fuzzy = resolve_dimension(joined, extra_labels) if joined else (None, True)
            if same_unit and (dimension is None or fuzzy) and joined_dim is not None and not joined_fuzzy:
                block.label, block.dimension, block.fuzzy = joined, joined_dim, False  # '污染物排放管' + '控'
                entry.warnings.append(("dimension_joined", {"raw": joined}))
            elif not (same_unit and layout.kind == "clause" and _key(block.label) == _key(label)):
                block = _Block(current.code, dimension or "", label, fuzzy=fuzzy)
                blocks.append(block)
                if dimension is None:
                    entry.warnings.append(("dimension_unknown", {"raw": label}))
        if text:
            if block is None or block.unit != current.code:
                block = _Block(current.code, UNDIVIDED, "")
                blocks.append(block)
            if layout.kind == "clause":
                text = _clause_row_text(cell(row, "number"), cell(row, "element"), cell(row, "kind"), text)
            block.rows.append((key, text))
            entry.status = "clauses"
        elif not label:
            entry.status = "no_text"
            entry.warnings.append(("no_text", {}))
        else:
            entry.status = "label"
    state["current"], state["block"] = current, block


def _reads_as_label(label: str, block: _Block | None, code: str, extra_labels) -> bool:
    """Is a dimension-column cell with nothing in the text column a label (or part of a split one)?"""
    if _CLAUSE_START.match(label.strip()) or len(_key(label)) > MAX_LABEL:
        return False
    if resolve_dimension(label, extra_labels)[0] is not None or _is_label_prefix(label):
        return True
    if block is not None and block.unit == code:
        joined, fuzzy = resolve_dimension(block.label + label, extra_labels)
        return joined is not None and not fuzzy
    return False


def _clause_row_text(number: str, element: str, kind: str, text: str) -> str:
    """One row of a one-row-per-clause table as the printed clause: '1-3.【大气/限制类】text'."""
    tag = "/".join(p.strip("【】 ") for p in (element, kind) if p.strip("【】 "))
    if tag and not text.lstrip().startswith("【"):
        text = f"【{tag}】{text}"
    number = number.strip().rstrip(".．、")
    return f"{number}. {text}" if number and not _CLAUSE_START.match(text) else text


def _clauses_of(blocks: list[_Block], rows: dict[tuple[int, int], ReportRow]):
    clauses: dict[str, list[ParsedClause]] = defaultdict(list)
    references: dict[str, list[str]] = defaultdict(list)
    for block in blocks:
        pieces = [p for number, text in block.rows for p in split_pieces(number, text)]
        numbered = any(p.number for p in pieces)
        groups: list[list[_Piece]] = []
        for piece in pieces:
            starts_new = piece.start or not groups
            if starts_new and groups and not piece.number and groups[-1][0].number:
                # '1-1.' printed alone on its line, the tag and text on the next: one clause
                starts_new = bool(join_text([p.text for p in groups[-1]]))
            if not numbered and groups and not piece.start:
                # no numbers at all: a line ending a sentence ends its clause
                starts_new = bool(re.search(r"[。；;!！]\s*$", groups[-1][-1].text))
            if starts_new:
                groups.append([piece])
            else:
                groups[-1].append(piece)
                report = rows[piece.row]
                if piece.row != groups[-1][0].row and not any(w[0] == "continued" for w in report.warnings):
                    report.status = "continued"
                    report.warnings.append(("continued", {"number": groups[-1][0].number or "-"}))
        label_dimension = block.dimension if block.dimension in DIMENSIONS else ""
        seen_numbers: Counter = Counter()
        for group in groups:
            first = group[0]
            report = rows[first.row]
            raw = join_text([p.text for p in group])
            tag, element, kind, text = split_tag(raw)
            text = text.strip()
            if not text:
                continue
            level = level_reference(text)
            if level is not None:
                references[block.unit].append(level)
                if not report.clauses:
                    report.status = "reference"
                report.warnings.append(
                    ("reference", {"level": LEVEL_NAMES[level][0], "level_en": LEVEL_NAMES[level][1]})
                )
                continue
            number = first.number
            if not kind:
                kind = kind_from_text(text)
                if tag or number:
                    report.warnings.append(("kind_from_text", {"number": number or "-", "kind": KIND_NAMES[kind]}))
            seen_numbers[number] += 1
            if number and seen_numbers[number] == 2:
                report.warnings.append(("duplicate_number", {"number": number}))
            dimension, inferred = label_dimension, False
            if not dimension:
                dimension, inferred = infer_dimension(element, text), True
                label = DEFAULT_DIMENSION_LABELS[dimension]["zh"]
                if block.dimension == COMMON:
                    report.warnings.append(("common", {"label": label}))
                elif block.dimension == UNDIVIDED:
                    report.warnings.append(("dimension_inferred", {"label": label}))
                elif ("dimension_inferred", {"label": label}) not in report.warnings:
                    report.warnings.append(("dimension_inferred", {"label": label}))
            elif block.fuzzy and first is group[0] and not any(w[0] == "dimension_fuzzy" for w in report.warnings):
                report.warnings.append(
                    ("dimension_fuzzy", {"raw": block.label, "label": DEFAULT_DIMENSION_LABELS[dimension]["zh"]})
                )
            report.clauses.append(number or "-")
            report.status = "clauses"
            report.dimension = report.dimension or dimension
            report.label = report.label or block.label
            clauses[block.unit].append(
                ParsedClause(
                    block.unit, dimension, number, text, kind, element, tag, first.row[1], inferred,
                    block.dimension == COMMON, first.row[0],
                )
            )  # fmt: skip
    return clauses, references


def parse_file(
    path: str,
    sheet: str = "",
    extra_labels: dict[str, str] | None = None,
    overrides: dict[str, str] | None = None,
    unit_names: dict[str, str] | None = None,
) -> ImportResult:
    """Parse every table of the file (every sheet, or SHEET) that has a recognisable header or continues one."""
    tables = read_tables(path, sheet)
    source = os.path.basename(path)
    try:
        return parse_tables(tables, extra_labels, overrides, unit_names, source)
    except ImportListError as exc:
        raise ImportListError(f"{exc} — add the unit code column, or name it in CODE_COLUMN") from exc


# --- the library ---------------------------------------------------------------------------------------------------------
def build_library(
    result: ImportResult,
    root: str,
    name: str = "",
    factor: bool = True,
    layer_units: set[str] | None = None,
    version: str = "",
) -> Library:
    """The parsed clauses as a library (in memory, files dirty). layer_units: the codes of the unit layer; with them,
    a clause is lifted to a prefecture only when every unit of the layer in that prefecture has it too."""
    codes = sorted(result.clauses.keys() | result.units.keys())
    provinces = sorted({c[2:4] for c in codes if UNIT_CODE_RE.match(c)})
    library = Library(root=os.path.abspath(root), name=name, version=version)
    library.province = provinces[0] + "0000" if len(provinces) == 1 else ""
    keys_of = {code: {(c.dimension, c.text) for c in result.clauses.get(code, [])} for code in codes}
    to_province: set[tuple[str, str]] = set()
    to_city: dict[str, set[tuple[str, str]]] = {}
    if factor:
        members: dict[str, set[str]] = defaultdict(set)
        for code in [*codes, *(layer_units or ())]:
            if UNIT_CODE_RE.match(code):
                members[city_of(code)].add(code)
        if len(members) > 1:
            to_province = _common_keys([keys_of.get(c, set()) for m in members.values() for c in m])
        for city, units in members.items():
            to_city[city] = _common_keys([keys_of.get(c, set()) for c in units]) - to_province
    counters: Counter = Counter()
    made: dict[tuple, Clause] = {}
    result.lifted = {}
    for code in codes:
        used_ids: set[str] = set()
        city = city_of(code) if UNIT_CODE_RE.match(code) else ""
        for parsed in result.clauses.get(code, []):
            key = (parsed.dimension, parsed.text)
            level = "province" if key in to_province else "city" if key in to_city.get(city, ()) else "unit"
            if level != "unit":
                scope = "province" if level == "province" else city
                if (level, scope, key) not in made:
                    counters[(level, scope)] += 1
                    prefix = "P" if level == "province" else f"C-{scope}"
                    clause = _clause(f"{prefix}-{counters[(level, scope)]:03d}", parsed, result.source)
                    clause.extra.pop("number", None)  # the number differs from unit to unit
                    made[(level, scope, key)] = clause
                    library.clause_list(level, scope).append(clause)
                clause = made[(level, scope, key)]
                result.lifted[clause.id] = result.lifted.get(clause.id, 0) + 1
                _note_lift(result, parsed, clause.id, level)
                continue
            base = f"U-{code}-{parsed.number or 'x'}"
            clause_id, n = base, 1
            while clause_id in used_ids:
                n += 1
                clause_id = f"{base}-{n}"
            used_ids.add(clause_id)
            library.clause_list("unit", code).append(_clause(clause_id, parsed, result.source))
        library.clause_list("unit", code)  # a unit with no clause of its own still has an entry
    if result.references:
        library.meta_extra["level_references"] = {c: sorted(set(v)) for c, v in sorted(result.references.items())}
    if result.source:
        library.meta_extra["imported_from"] = result.source
    for list_file in library.files.values():
        list_file.dirty = True
    result.library = library
    return library


def _common_keys(sets: list[set]) -> set:
    if len(sets) < 2:
        return set()
    common = set(sets[0])
    for other in sets[1:]:
        common &= other
    return common


def _clause(clause_id: str, parsed: ParsedClause, source: str) -> Clause:
    extra: dict = {}
    if parsed.number:
        extra["number"] = parsed.number
    if parsed.element:
        extra["element"] = parsed.element
    if parsed.tag:
        extra["tag"] = parsed.tag
    if parsed.inferred:
        extra["dimension_inferred"] = True
    if parsed.industries_inferred:
        extra["industries_inferred"] = True
    where = f"{source} 第{parsed.row}行" if source else f"第{parsed.row}行"
    return Clause(
        clause_id, parsed.dimension, parsed.kind, parsed.text, industries=list(parsed.industries), source=where,
        extra=extra,
    )  # fmt: skip


INFER_KINDS = ("prohibit", "restrict")  # the kinds whose industry filter decides a verdict


def infer_industries(result: ImportResult) -> int:
    """Give each prohibit or restrict clause without industry codes the GB/T 4754 codes of the industry words it names
    (resources/data/industry_keywords.yaml), flagged ``industries_inferred``; its report row says which codes came
    from which words. Published tables carry no codes: without them "禁止新建…炼焦…项目" filters no industry and a
    coking project passes it. Returns the number of clauses given codes. Call before build_library."""
    rows = {(r.table, r.row): r for r in result.report}
    count = 0
    for parsed in (p for clauses in result.clauses.values() for p in clauses):
        if parsed.kind not in INFER_KINDS or parsed.industries:
            continue
        found = industry_words(parsed.text)
        if not found:
            continue
        parsed.industries = list(dict.fromkeys(code for _word, codes in found for code in codes))
        parsed.industries_inferred = True
        count += 1
        report = rows.get((parsed.table, parsed.row))
        if report is not None:
            values = {
                "number": parsed.number or "-",
                "codes": ",".join(parsed.industries),
                "pairs_zh": "；".join(f"{word}→{'、'.join(codes)}" for word, codes in found),
                "pairs_en": "; ".join(f"{word} → {', '.join(codes)}" for word, codes in found),
            }
            if ("industries_inferred", values) not in report.warnings:
                report.warnings.append(("industries_inferred", values))
    return count


def inferred_codes(row: ReportRow) -> list[str]:
    """The industry codes inferred for the clauses of a report row."""
    codes = [c for key, values in row.warnings if key == "industries_inferred" for c in values["codes"].split(",")]
    return list(dict.fromkeys(codes))


def _note_lift(result: ImportResult, parsed: ParsedClause, clause_id: str, level: str) -> None:
    report = next((r for r in result.report if (r.table, r.row) == (parsed.table, parsed.row)), None)
    if report is not None:
        values = {"level": LEVEL_NAMES[level][0], "level_en": LEVEL_NAMES[level][1], "id": clause_id}
        if ("factored", values) not in report.warnings:
            report.warnings.append(("factored", values))


def effective_texts(library: Library, code: str) -> set[tuple[str, str]]:
    """(dimension, text) of a unit's effective list."""
    return {(e.clause.dimension, e.clause.text) for e in library.effective(code)}


def check_units(result: ImportResult, layer_codes: set[str]) -> list[str]:
    """Codes of the table missing from the unit layer; each is noted on the unit's first row (clauses kept)."""
    missing = sorted(code for code in result.units if code not in layer_codes)
    rows = {(r.table, r.row): r for r in result.report}
    for code in missing:
        row = rows.get((result.units[code].first_table, result.units[code].first_row))
        if row is not None:
            row.warnings.append(("not_in_units", {"code": code}))
    return missing


def write_new_library(library: Library, folder: str, overwrite: bool = False) -> str:
    """Write the library as the folder `folder`. A folder that already holds a library is refused unless
    `overwrite`; then the old folder is kept as '<folder>.bak-<time>' (returned) and the new one takes its place
    whole, so no file of the old library is left mixed with the new one."""
    import datetime
    import shutil
    import tempfile

    from .list_table import write_library_to

    folder = os.path.abspath(folder)
    holds_library = os.path.exists(os.path.join(folder, "library.yaml"))
    if holds_library and not overwrite:
        raise ImportListError(
            f"{folder} already holds a list library (library.yaml): choose a new folder, or set OVERWRITE "
            "(the old library is then kept as a .bak folder)"
        )
    parent = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".import-", dir=parent)
    try:
        write_library_to(library, staging)
        backup = ""
        if os.path.isdir(folder) and os.listdir(folder):
            if not holds_library:
                # a folder with other files: add the library to it, leaving those files alone
                for name in os.listdir(staging):
                    target = os.path.join(folder, name)
                    if os.path.exists(target):
                        raise ImportListError(f"{target} already exists: choose an empty or new folder")
                for name in os.listdir(staging):
                    os.replace(os.path.join(staging, name), os.path.join(folder, name))
                os.rmdir(staging)
                library.root = folder
                return ""
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = f"{folder}.bak-{stamp}"
            os.replace(folder, backup)
        elif os.path.isdir(folder):
            os.rmdir(folder)
        os.replace(staging, folder)
        library.root = folder
        return backup
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)
