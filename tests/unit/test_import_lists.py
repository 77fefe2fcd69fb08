"""Reading published 附表1 tables (issue 11) on fixtures cut from 佛山市's published list (scripts/make_list_fixtures.py)."""

from __future__ import annotations

import csv
import os
import re

import pytest

from ecozoning.core.import_lists import (
    ImportListError,
    build_library,
    effective_texts,
    parse_file,
    parse_label_pairs,
    resolve_dimension,
)
from ecozoning.core.list_table import UnitInfo, numbered_text
from ecozoning.core.lists import DIMENSIONS, load_library, save_library, save_library_meta

DATA = os.path.join(os.path.dirname(__file__), "data")
LONG = os.path.join(DATA, "foshan_long.csv")
WIDE = os.path.join(DATA, "foshan_wide.csv")
CLAUSES = os.path.join(DATA, "foshan_clauses.csv")
PRIORITY, PARK, CODE14 = "ZH44060410001", "ZH44060520010", "ZH440605200001"
# clause 1 of the priority unit wraps over two printed rows
WRAPPED = (
    "生态保护红线原则上按照禁止开发区域要求进行管理。区域严格按照《关于在国土空间规划中统筹划定落实三条控制线的指导意见》"
    "执行，自然保护地核心保护区原则上禁止人为活动，其他区域严格禁止开发性、生产性建设活动。"
)
COMMON_TEXT = "单元内各环境要素细类管控区内，按该环境要素细类管控要求执行。"


def csv_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def printed_numbers(path=LONG):
    """code -> clause numbers as printed, read from the fixture with a plain regex (not the importer)."""
    numbers: dict[str, list[str]] = {}
    code = ""
    for row in csv_rows(path)[1:]:
        code = row[0] or code
        match = re.match(r"^(\d+(?:-\d+)?)\.?【", row[8])
        if match:
            numbers.setdefault(code, []).append(match.group(1))
    return numbers


def to_xlsx(rows, path, merge_units=True):
    """The long CSV as a spreadsheet, with the unit cells merged over each unit's rows and priority units'
    requirements merged across the dimension and text columns, as departments lay them out."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "附表1"
    sheet.append(["佛山市环境管控单元生态环境准入清单"])  # a title row above the header
    for row in rows:
        sheet.append(row)
    starts = [i for i, row in enumerate(rows) if i > 0 and row[0]] + [len(rows)]
    for a, b in zip(starts, starts[1:]):
        if merge_units and b - a > 1:
            for col in range(1, 8):
                sheet.merge_cells(start_row=a + 2, start_column=col, end_row=b + 1, end_column=col)
        if rows[a][0] == PRIORITY:
            for r in range(a, b):
                sheet.cell(r + 2, 8, rows[r][8])
                sheet.merge_cells(start_row=r + 2, start_column=8, end_row=r + 2, end_column=9)
    book.save(path)


def to_docx(rows, path):
    import docx

    document = docx.Document()
    document.add_paragraph("附表1 佛山市环境管控单元准入清单")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    starts = [i for i, row in enumerate(rows) if i > 0 and row[0]] + [len(rows)]
    for a, b in zip(starts, starts[1:]):
        for col in range(7):
            if b - a > 1:
                table.cell(a, col).merge(table.cell(b - 1, col))
    document.save(path)


@pytest.fixture(scope="module")
def long_result():
    return parse_file(LONG)


def by_number(result, code):
    return {c.number: c for c in result.clauses[code]}


def test_long_layout_reads_every_printed_clause(long_result):
    assert long_result.layout == "long"
    for code, numbers in printed_numbers().items():
        got = [c.number for c in long_result.clauses[code] if not c.common]
        assert got == numbers, code


def test_wrapped_clause_keeps_its_number_tag_kind_and_exact_text(long_result):
    clause = by_number(long_result, PRIORITY)["1"]
    assert clause.text == WRAPPED
    assert (clause.element, clause.kind, clause.tag) == ("生态", "prohibit", "生态/禁止类")
    rows = {r.row: r for r in long_result.report}
    assert rows[clause.row + 1].status == "continued"  # the wrapped second row says whose text it carries


def test_fourteen_character_code_and_dimensions(long_result):
    assert CODE14 in long_result.clauses
    clauses = by_number(long_result, CODE14)
    assert clauses["1-1"].dimension == "spatial_layout"  # 区域布局管控 (Guangdong)
    assert clauses["2-1"].dimension == "resource_efficiency"  # 能源资源利用
    assert clauses["3-1"].dimension == "emission_control"
    assert clauses["4-1"].dimension == "risk_prevention"
    assert long_result.units[CODE14].name == "九江镇重点管控区"
    assert long_result.units[CODE14].unit_class == 2


def test_split_dimension_label_is_joined(long_result):
    clauses = by_number(long_result, PARK)
    assert clauses["3-1"].dimension == "emission_control"  # printed '污染物排放管' / '控' over two rows
    assert clauses["3-2"].dimension == "emission_control"
    assert clauses["4-1"].dimension == "risk_prevention"
    joined = [r for r in long_result.report if r.unit == PARK and any(w[0] == "dimension_joined" for w in r.warnings)]
    assert len(joined) == 1


def test_priority_unit_dimensions_are_inferred_and_flagged(long_result):
    clauses = by_number(long_result, PRIORITY)
    assert all(c.inferred for c in clauses.values())
    assert clauses["8"].dimension == "risk_prevention"  # "……环境风险防控，完善突发环境事件应急管理体系"
    assert clauses["6"].dimension == "spatial_layout"  # bans on building in drinking-water zones
    flagged = [r for r in long_result.report if r.unit == PRIORITY and r.clauses]
    assert flagged and all(any(w[0] == "dimension_inferred" for w in r.warnings) for r in flagged)


def test_common_row_and_kinds(long_result):
    common = [c for c in long_result.clauses[CODE14] if c.common]
    assert [c.text for c in common] == [COMMON_TEXT]
    kinds = {c.number: c.kind for c in long_result.clauses[PARK]}
    assert kinds["1-1"] == "encourage" and kinds["1-2"] == "prohibit" and kinds["1-3"] == "restrict"
    assert by_number(long_result, CODE14)["2-1"].kind in ("encourage", "require")


def test_every_source_row_is_reported(long_result):
    rows = csv_rows(LONG)
    assert [r.row for r in long_result.report] == list(range(1, len(rows) + 1))
    assert {r.status for r in long_result.report} <= {"header", "clauses", "continued", "label", "empty", "reference"}


def clause_set(result, with_common=False):
    return {
        (code, c.dimension, c.number, c.text)
        for code, clauses in result.clauses.items()
        for c in clauses
        if with_common or not c.common
    }


def test_spreadsheet_and_word_with_merged_cells_read_like_the_csv(tmp_path, long_result):
    rows = csv_rows(LONG)
    xlsx = tmp_path / "附表1.xlsx"
    to_xlsx(rows, xlsx)
    from_xlsx = parse_file(str(xlsx))
    assert clause_set(from_xlsx, True) == clause_set(long_result, True)
    assert from_xlsx.report[0].row == 1 and from_xlsx.report[1].status == "header"  # title row, then header
    docx_path = tmp_path / "附表1.docx"
    to_docx(rows, docx_path)
    assert clause_set(parse_file(str(docx_path)), True) == clause_set(long_result, True)


def test_gbk_csv(tmp_path, long_result):
    path = tmp_path / "gbk.csv"
    with open(LONG, encoding="utf-8") as handle:
        path.write_bytes(handle.read().encode("gbk"))
    assert clause_set(parse_file(str(path)), True) == clause_set(long_result, True)


def test_wide_and_clause_layouts_give_the_same_clauses(long_result):
    wide = parse_file(WIDE)
    assert wide.layout == "wide"
    assert clause_set(wide) == clause_set(long_result)
    per_clause = parse_file(CLAUSES)
    assert per_clause.layout == "clause"
    assert clause_set(per_clause) == clause_set(long_result)


def test_dimension_labels_of_the_provinces():
    cases = {
        "空间布局约束": "spatial_layout",  # national, Jiangsu, Guizhou
        "区域布局管控": "spatial_layout",  # Guangdong
        "空间布局引导": "spatial_layout",  # Zhejiang
        "污染物排放管控": "emission_control",
        "环境风险防控": "risk_prevention",
        "资源利用效率": "resource_efficiency",
        "能源资源利用": "resource_efficiency",  # Guangdong
        "资源开发效率要求": "resource_efficiency",  # Jiangsu, Zhejiang, Guizhou
        " 资源开发利用\n效率 ": "resource_efficiency",
    }
    for label, dimension in cases.items():
        assert resolve_dimension(label)[0] == dimension, label
    extra = parse_label_pairs("产业准入:spatial_layout; 能耗管控：资源利用效率")
    assert resolve_dimension("产业准入", extra)[0] == "spatial_layout"
    assert resolve_dimension("能耗管控", extra)[0] == "resource_efficiency"
    with pytest.raises(ImportListError, match="not a dimension"):
        parse_label_pairs("产业准入:nonsense")


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def test_factor_lifts_shared_clauses_and_keeps_every_effective_list(tmp_path):
    header = ["环境管控单元编码", "环境管控单元名称", "空间布局约束", "污染物排放管控", "环境风险防控", "资源利用效率"]
    shared = "2-1.【能源/鼓励引导类】推广节能技术，加快发展绿色货运与现代物流。"
    rows = [
        header,
        ["ZH44060420001", "石湾镇街道重点管控区", "1-1.【产业/限制类】严格限制不符合园区发展定位的项目入驻。",
         "执行市级总体管控要求", "", shared],
        ["ZH44060420002", "张槎街道重点管控区", "1-1.【大气/限制类】大气环境受体敏感重点管控区内，应严格限制新建储油库项目。",
         "", "执行省级总体管控要求。", shared],
        ["ZH440605200001", "九江镇重点管控区", "1-1.【生态/禁止类】禁止在25度以上的陡坡地开垦种植农作物。", "", "",
         shared + "\n2-2.【水资源/综合类】提高水资源利用效率。"],
    ]  # fmt: skip
    result = parse_file(write_csv(tmp_path / "t.csv", rows))
    before = {code: {(c.dimension, c.text) for c in clauses} for code, clauses in result.clauses.items()}
    assert result.references == {"ZH44060420001": ["city"], "ZH44060420002": ["province"]}
    library = build_library(result, str(tmp_path / "lib"), "test", factor=True)
    city = library.files["cities/440600.yaml"].clauses
    assert [c.text for c in city] == ["推广节能技术，加快发展绿色货运与现代物流。"]
    assert all(shared[6:] not in c.text for c in library.clause_list("unit", "ZH44060420001"))
    for code, texts in before.items():
        assert effective_texts(library, code) == texts, code
    # without FACTOR, every unit keeps its own copy
    flat = build_library(result, str(tmp_path / "flat"), "test", factor=False)
    assert "cities/440600.yaml" not in flat.files
    for code, texts in before.items():
        assert effective_texts(flat, code) == texts
    # a unit of the unit layer with no row in the table stops the lift: it would inherit a clause it never had
    guarded = build_library(result, str(tmp_path / "g"), "test", True, layer_units={"ZH44060430001"})
    assert not guarded.files.get("cities/440600.yaml") or not guarded.files["cities/440600.yaml"].clauses


def test_factor_on_the_foshan_fixture_keeps_every_effective_list(tmp_path, long_result):
    library = build_library(long_result, str(tmp_path / "lib"), "佛山", factor=True)
    for code, clauses in long_result.clauses.items():
        assert effective_texts(library, code) == {(c.dimension, c.text) for c in clauses}, code


def test_saved_library_and_exported_table_give_back_every_clause(tmp_path, long_result):
    library = build_library(long_result, str(tmp_path / "lib"), "佛山", factor=True)
    os.makedirs(library.root)
    save_library_meta(library)
    save_library(library, all_files=True)
    loaded = load_library(library.root)
    assert not loaded.load_problems
    clause = next(c for c in loaded.clause_list("unit", PRIORITY) if c.extra.get("number") == "1")
    assert clause.text == WRAPPED and clause.extra["tag"] == "生态/禁止类"
    for code, clauses in long_result.clauses.items():
        texts = numbered_text(loaded, UnitInfo(code, unit_class=int(code[8])))
        for parsed in clauses:
            assert parsed.text in texts[parsed.dimension], (code, parsed.number)
        assert sum(len(texts[d].splitlines()) for d in DIMENSIONS) == len(clauses)


def test_rows_without_a_unit_are_reported_with_their_number(tmp_path):
    rows = [
        ["单元编码", "管控维度", "管控要求"],
        ["", "空间布局约束", "1-1.【生态/禁止类】禁止开垦。"],
        ["ZH44060410001", "管控要求", "1.【生态/禁止类】禁止开发建设。"],
    ]
    result = parse_file(write_csv(tmp_path / "t.csv", rows))
    bad = [r for r in result.report if r.status == "unreadable"]
    assert [r.row for r in bad] == [2]
    assert "单元编码" in bad[0].messages("zh")[0] and "unit code" in bad[0].messages("en")[0]
    assert [c.text for c in result.clauses["ZH44060410001"]] == ["禁止开发建设。"]


def test_bad_inputs_are_refused_clearly(tmp_path):
    with pytest.raises(ImportListError, match="unit code column"):
        parse_file(write_csv(tmp_path / "nocode.csv", [["名称", "管控要求"], ["某单元", "1.禁止。"]]))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(ImportListError, match=r"broken\.xlsx cannot be read"):
        parse_file(str(broken))
    with pytest.raises(ImportListError, match="unsupported file type"):
        parse_file(write_csv(tmp_path / "x.ods", [["a"]]))
    with pytest.raises(ImportListError, match="no sheet 'Nope'"):
        path = tmp_path / "ok.xlsx"
        to_xlsx(csv_rows(LONG)[:5], path)
        parse_file(str(path), sheet="Nope")


def test_unnumbered_cells_split_at_sentence_ends(tmp_path):
    rows = [
        ["单元编码", "空间布局约束", "污染物排放管控"],
        [
            "ZH44060430001",
            "禁止新建化工项目。\n严格控制园区外工业用地规模；\n鼓励现有企业\n搬迁入园。",
            "落实污染物排放总量控制。",
        ],
    ]
    result = parse_file(write_csv(tmp_path / "t.csv", rows))
    texts = [(c.dimension, c.kind, c.text) for c in result.clauses["ZH44060430001"]]
    assert texts == [
        ("spatial_layout", "prohibit", "禁止新建化工项目。"),
        ("spatial_layout", "restrict", "严格控制园区外工业用地规模；"),
        ("spatial_layout", "encourage", "鼓励现有企业搬迁入园。"),
        ("emission_control", "require", "落实污染物排放总量控制。"),
    ]


def test_placeholders_and_unnumbered_tagged_clauses(tmp_path):
    """As printed for 白坭镇 and 伦教街道: clauses with a tag but no number, and '/' for a dimension with none."""
    header = ["环境管控单元编码", "环境管控单元名称", "管控维度", "管控要求"]
    rows = [
        header,
        [
            "ZH44060720001",
            "白坭镇重点管控区",
            "区域布局管控",
            "【生态/禁止类】单元内的一般生态空间，禁止在25度以上的陡",
        ],
        ["", "", "", "坡地开垦种植农作物。"],
        ["", "", "", "【产业/鼓励引导类】聚焦发展新能源汽车及零部件、高端智能装备、食品饮料等重点产业。"],
        ["", "", "", "【产业/综合类】系统推进村级工业园升级改造，推动工业项目入园集聚发展，促进污染集中治理。新增工"],
        ["", "", "", "业制造业用地原则上安排在产业集聚区内。"],
        ["", "", "污染物排放管控", "/"],
        ["", "", "环境风险防控", "／"],
    ]
    result = parse_file(write_csv(tmp_path / "t.csv", rows))
    got = [(c.dimension, c.element, c.kind, c.text) for c in result.clauses["ZH44060720001"]]
    assert got == [
        ("spatial_layout", "生态", "prohibit", "单元内的一般生态空间，禁止在25度以上的陡坡地开垦种植农作物。"),
        ("spatial_layout", "产业", "encourage", "聚焦发展新能源汽车及零部件、高端智能装备、食品饮料等重点产业。"),
        ("spatial_layout", "产业", "require",
         "系统推进村级工业园升级改造，推动工业项目入园集聚发展，促进污染集中治理。新增工业制造业用地原则上安排在产业集聚区内。"),
    ]  # fmt: skip
    placeholders = [r.row for r in result.report if any(w[0] == "placeholder" for w in r.warnings)]
    assert placeholders == [7, 8]


def test_a_number_printed_alone_on_its_line(tmp_path):
    rows = [
        ["环境管控单元编码", "管控维度", "管控要求"],
        ["ZH44060720009", "区域布局管控", "1-1."],
        ["", "", "【产业/禁止类】园区不得引入专业电镀、漂染等项目"],
        ["", "", "1-2. 【产业/限制类】严格限制不符合园区发展定位的项目入驻。"],
    ]
    result = parse_file(write_csv(tmp_path / "t.csv", rows))
    got = [(c.number, c.tag, c.text) for c in result.clauses["ZH44060720009"]]
    assert got == [
        ("1-1", "产业/禁止类", "园区不得引入专业电镀、漂染等项目"),
        ("1-2", "产业/限制类", "严格限制不符合园区发展定位的项目入驻。"),
    ]


def test_word_table_split_at_a_page_break_and_an_intro_table(tmp_path, long_result):
    """A 附表1 in Word: a small table of document facts first, then the list split into two tables at a page
    break, the second without a header and starting in the middle of a unit."""
    import docx

    rows = csv_rows(LONG)
    document = docx.Document()
    intro = document.add_table(rows=2, cols=2)
    for r, values in enumerate((("文件", "佛山市环境管控单元准入清单"), ("日期", "2024年6月"))):
        for c, value in enumerate(values):
            intro.cell(r, c).text = value
    cut = 30  # inside the second unit's rows
    for part in (rows[:cut], rows[cut:]):
        table = document.add_table(rows=len(part), cols=len(part[0]))
        for r, row in enumerate(part):
            for c, value in enumerate(row):
                if value:
                    table.cell(r, c).text = value
        document.add_page_break()
    path = tmp_path / "split.docx"
    document.save(path)
    result = parse_file(str(path))
    assert clause_set(result, True) == clause_set(long_result, True)
    skipped = [(r.table, r.row) for r in result.report if r.status == "skipped"]
    assert skipped == [(1, 1), (1, 2)]  # the intro table, reported row by row
    assert [r.row for r in result.report if r.table == 3][:2] == [1, 2]
