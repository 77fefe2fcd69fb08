"""The screening report model (core/report.py), its Word version and the batch summary, without QGIS: what a
reviewer signs and an EIA writer pastes."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
import shapely
from docx import Document
from openpyxl import load_workbook

from ecozoning.core.lists import load_library
from ecozoning.core.report import (
    Basis,
    Decision,
    DecisionError,
    build_report,
    check_decision,
    eia_paragraph,
    index_html,
    index_row,
    latest_decisions,
    note_zh,
    report_basenames,
    report_html,
    write_summary_xlsx,
)
from ecozoning.core.report_docx import write_report_docx
from ecozoning.core.schema import parse_industry_codes
from ecozoning.core.screening import Index, Project, Target, load_rules, screen_project
from ecozoning.core.taxonomy import load_taxonomy

LIBRARY = Path(__file__).resolve().parents[2] / "resources" / "sample" / "library"
# a key-control unit of 哈尔滨 (城市建成区) and a general unit beside it, 0.02° squares
UNITS = [
    Target(
        "ZH23010220001", "道里区城镇重点管控单元", 2, "dev_urban", shapely.box(126.60, 45.70, 126.62, 45.72), "230102"
    ),
    Target("ZH23010230001", "道里区一般管控单元", 3, "general", shapely.box(126.62, 45.70, 126.64, 45.72), "230102"),
]


def basis(version="2024-sample", revision="a" * 64, units_sha="b" * 64, date=datetime.date(2026, 12, 1)):
    return Basis("黑龙江省生态环境准入清单（示例）", version, revision, "units", units_sha, date, 365, "national 1")


@pytest.fixture(scope="module")
def library():
    return load_library(str(LIBRARY))


def screened(library, industry="C 2520", geom=None, pid="XM-005", normalize=True):
    """As the algorithm and the dock read a project: the industry code normalized ('C 2520' → 'C2520')."""
    code = ",".join(parse_industry_codes(industry)[0]) if normalize else industry
    project = Project(pid, geom or shapely.box(126.615, 45.705, 126.625, 45.715), "焦化项目", code)
    return screen_project(project, Index(UNITS), None, library, load_rules())


def test_industry_written_as_people_do_matches_the_prohibit_clause(library):
    for written in ("C 2520", "Ｃ２５２０", "c2520", "C-2520"):
        result = screened(library, written, normalize=False)  # core matches them as written too
        assert result.verdict == "fail", written
        assert any(r.clause.id == "P-SL-005" and r.industry_match for r in result.clauses), written


def test_report_number_is_stable_and_changes_with_the_scheme(library):
    result = screened(library)
    first = build_report(result, basis(), library).number
    assert first == build_report(screened(library), basis(date=datetime.date(2027, 1, 5)), library).number
    assert first.startswith("2024-sample-XM-005-") and re.fullmatch(r"2024-sample-XM-005-[0-9A-F]{8}", first)
    assert build_report(result, basis(version="2025"), library).number != first
    assert build_report(result, basis(revision="c" * 64), library).number != first
    assert build_report(result, basis(units_sha="d" * 64), library).number != first
    moved = screened(library, geom=shapely.box(126.616, 45.705, 126.626, 45.715))
    assert build_report(moved, basis(), library).number != first


def test_page_one_content_validity_and_labels_in_chinese(library):
    result = screened(library)
    report = build_report(result, basis(), library, load_taxonomy())
    assert report.reasons == ["项目行业属于禁止类条款的适用行业：P-SL-005（行业 C2520）"]
    assert report.basis.valid_until == datetime.date(2027, 12, 1)
    labels = {u.code: (u.class_label, u.type_label) for u in report.units}
    assert labels == {"ZH23010220001": ("重点管控单元", "城镇建成区"), "ZH23010230001": ("一般管控单元", "一般管控区")}
    assert all(not re.search(r"[a-z]{3,}_[a-z]+", u.type_label) for u in report.units)  # no 'dev_urban'
    text = report_html(report)
    verdict_at = text.index("系统研判：判定不通过")
    assert text.index(report.reasons[0]) > verdict_at
    assert text.index(report.reasons[0]) < text.index("二、项目位置")  # every reason before the map
    for word in ("研判人", "审核人", "声明", "后续工作", "有效期", "符合性", "逐条对照", "三线一单"):
        assert word in text
    assert "不符合（项目行业属禁止类）" in text  # the compliance column reads the prohibit clause


def test_repaired_footprint_note_is_chinese():
    note = note_zh("footprint repaired: Self-intersection[126.6 45.7]")
    assert note.startswith("项目范围已自动修复") and "自相交" in note and "repaired" not in note
    assert note_zh("buffered by 50 m") == "项目范围已按 50 米缓冲"


def test_file_names_never_collide_and_never_take_the_index_page():
    pids = ["XM/001", "XM 001", "XM:001", "index", "INDEX", "XM-002", "xm-002"]
    names = report_basenames(pids)
    lowered = [n.lower() for n in names.values()]
    assert len(set(lowered)) == len(pids)
    assert "index" not in lowered and names["XM-002"] == "XM-002"
    assert all(re.fullmatch(r"[\w\-.]+", n) for n in names.values())
    assert report_basenames(pids) == names  # the same ids give the same names on every run


def test_a_decision_needs_a_reason_and_the_latest_wins():
    with pytest.raises(DecisionError, match="理由"):
        check_decision(Decision("XM-005", "conditional", "  ", "张三", "2026-12-01"))
    with pytest.raises(DecisionError, match="无效"):
        check_decision(Decision("XM-005", "maybe", "理由", "张三", "2026-12-01"))
    decisions = latest_decisions(
        [
            Decision("XM-005", "fail", "确认", "张三", "2026-12-01T10:00:00"),
            Decision("XM-005", "conditional", "已承诺搬迁入园", "李四", "2026-12-02T09:00:00"),
        ]
    )
    assert decisions["XM-005"].decision == "conditional" and decisions["XM-005"].reviewer == "李四"


def test_supersession_names_the_old_report_and_what_changed(library):
    old = build_report(screened(library, industry=""), basis(version="2023"), library)
    new = build_report(screened(library), basis(), library, previous=old.record())
    assert new.supersedes["record"]["number"] == old.number
    changes = "；".join(new.supersedes["changes"])
    assert "方案版本由 2023 更新为 2024-sample" in changes
    assert "研判结论由“待补充信息”变为“判定不通过”" in changes
    assert f"替代</b> {old.number}" in report_html(new)
    same = build_report(screened(library), basis(), library, previous=new.record())
    assert same.supersedes is None  # the same inputs: the same report, nothing superseded


def test_eia_paragraph_names_units_zones_clauses_and_verdict(library):
    decision = Decision("XM-005", "fail", "确认系统研判", "张三", "2026-12-01")
    report = build_report(screened(library), basis(), library, decision=decision)
    text = eia_paragraph(report)
    for part in ("ZH23010220001", "道里区城镇重点管控单元", "重点管控单元", "P-SL-005", "空间布局约束", report.number):
        assert part in text, part
    assert "项目不符合生态环境分区管控要求" in text and "审查意见：判定不通过" in text


def test_word_report_holds_every_clause_row_and_the_eia_paragraph(library, tmp_path):
    report = build_report(screened(library), basis(), library, load_taxonomy())
    path = write_report_docx(report, str(tmp_path / "XM-005.docx"))
    document = Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    rows = [(c.clause_id, c.unit_code) for lines in report.clauses.values() for c in lines]
    assert rows
    table_rows = {
        (row.cells[0].text, row.cells[4].text) for table in document.tables for row in table.rows if len(row.cells) == 7
    }
    assert set(rows) <= table_rows
    assert report.number in cells and "判定不通过" in "\n".join(p.text for p in document.paragraphs)
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert eia_paragraph(report) in paragraphs and "研判人" in cells and "审核人" in cells


def test_summary_spreadsheet_and_index_link_every_report(library, tmp_path):
    rows = []
    for pid in ("XM-005", "index"):
        report = build_report(screened(library, pid=pid), basis(), library)
        rows.append(index_row(report, {"pdf": f"{pid}.pdf", "docx": f"{pid}.docx", "html": f"{pid}.html"}))
    path = write_summary_xlsx(str(tmp_path / "summary.xlsx"), rows, basis())
    sheet = load_workbook(path)["研判汇总"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [v[0] for v in values] == ["XM-005", "index"] and values[0][3] == "判定不通过"
    assert sheet.cell(2, 11).hyperlink.target == "XM-005.pdf"
    page = index_html(rows, basis())
    assert "href='XM-005.pdf'" in page and "href='XM-005.docx'" in page and rows[0].number in page


def test_sample_library_copy_is_untouched(tmp_path):
    copy = tmp_path / "library"
    shutil.copytree(LIBRARY, copy)
    assert load_library(str(copy)).version == "2024-sample"
