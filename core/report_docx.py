"""The screening report as Word (.docx, python-docx): the same sections as the PDF, plus the ready paragraph for
the EIA's “三线一单”符合性分析 section. Pure Python (python-docx), no QGIS."""

from __future__ import annotations

import os

from .report import DISCLAIMER, NEXT_STEPS, TITLE, Report, eia_paragraph
from .screening import VERDICT_LABELS

LATIN_FONT = "Times New Roman"
CJK_FONT = "宋体"
HEADING_FONT = "黑体"


def _font(run, size=None, bold=None, cjk=CJK_FONT, color=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = LATIN_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), cjk)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#"))
    return run


def _para(document, text="", size=10.5, bold=False, align=None, cjk=CJK_FONT, color=None, style=None):
    paragraph = document.add_paragraph(style=style)
    if text:
        _font(paragraph.add_run(text), size, bold, cjk, color)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _heading(document, text):
    paragraph = _para(document, text, 13, True, cjk=HEADING_FONT)
    paragraph.paragraph_format.space_before = _pt(10)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _pt(value):
    from docx.shared import Pt

    return Pt(value)


def _table(document, header, rows, widths_cm=None, size=9):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), size, True)
    # the header row repeats on every page the table runs to
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = ""
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), size)
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm):
                if width:
                    cell.width = Cm(width)
    return table


def _pairs(document, pairs, size=10):
    from docx.shared import Cm

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in pairs:
        cells = table.add_row().cells
        _font(cells[0].paragraphs[0].add_run(str(key)), size, True)
        _font(cells[1].paragraphs[0].add_run(str(value)), size)
        cells[0].width = Cm(4.2)
        cells[1].width = Cm(12.8)
    return table


def write_report_docx(report: Report, path: str, map_path: str = "") -> str:
    """Write the report to `path` (atomically: a reader never sees half a file) and return the path."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    footer = section.footer.paragraphs[0]
    _font(footer.add_run(f"{TITLE} {report.number}"), 8)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    properties = document.core_properties
    properties.title = f"{TITLE} {report.number}"
    properties.identifier = report.number
    properties.author = "EcoZoning"

    b = report.basis
    _para(document, TITLE, 18, True, WD_ALIGN_PARAGRAPH.CENTER, HEADING_FONT)
    _pairs(
        document,
        [
            ("报告编号", report.number),
            ("研判日期", b.date.isoformat()),
            ("分区管控方案", f"{b.scheme_name}（{b.scheme_version}）"),
            ("清单库修订", b.library_revision[:16]),
            ("单元图层 SHA-256", b.units_sha256),
            ("有效期", b.validity()),
        ],
    )
    if report.supersedes:
        old = report.supersedes["record"]
        _para(document, f"本报告替代 {old.get('number')}（{old.get('date')}）。变化：", bold=True)
        for change in report.supersedes["changes"]:
            _para(document, change, style="List Bullet")

    _heading(document, "一、研判结论")
    _pairs(
        document,
        [
            ("项目编号", report.pid),
            ("项目名称", report.name or "—"),
            ("行业代码", report.industry or "未提供"),
            ("缓冲距离", f"{report.buffer_m:g} 米"),
            ("项目规模", report.size_text()),
            ("位于单元外", f"{100 * report.outside_share:.2f}%"),
        ],
    )
    color = {"pass": "#2e7d32", "conditional": "#e65100", "fail": "#b71c1c", "need_info": "#1565c0"}  # nosec B105
    _para(document, f"系统研判：{report.verdict_label}", 15, True, color=color[report.verdict], cjk=HEADING_FONT)
    _para(document, "理由：", bold=True)
    for reason in report.reasons:
        _para(document, reason, style="List Number")
    if report.other_findings:
        _para(document, "其他提示：", bold=True)
        for finding in report.other_findings:
            _para(document, finding, style="List Bullet")
    if report.notes:
        _para(document, "说明：", bold=True)
        for note in report.notes:
            _para(document, note, style="List Bullet")
    d = report.decision
    if d is None:
        _pairs(document, [("审查意见", "尚未审查（待审查人员确认或改变系统研判结论，并写明理由）")])
    else:
        _pairs(
            document,
            [
                (
                    "审查意见",
                    f"{VERDICT_LABELS[d.decision]}{'（确认系统研判）' if d.decision == report.verdict else '（改变系统研判）'}",
                ),
                ("理由", d.reason),
                ("审查人", d.reviewer),
                ("审查时间", d.time),
            ],
        )
    _para(document, f"后续工作：{NEXT_STEPS[report.decision.decision if report.decision else report.verdict]}")

    _heading(document, "二、项目位置及涉及管控单元图")
    if map_path and os.path.exists(map_path):
        document.add_picture(map_path, width=Cm(17.0))
    else:
        _para(document, "项目范围无效，无法制图。")

    measure = {"area": "面积（m²）", "length": "长度（m）", "point": "点位数"}.get(report.kind, "规模")
    for title, rows, units in (
        ("三、涉及环境管控单元", report.units, True),
        ("四、涉及环境要素管控分区", report.zones, False),
    ):
        _heading(document, title)
        if not units and not report.zones_screened:
            _para(document, "未提供环境要素管控分区图层，按管控单元的主导类型研判。")
            continue
        if not rows:
            _para(document, "未涉及。")
            continue
        header = ["单元编码" if units else "分区编码", "名称", "类别", "类型", measure, "占项目"]
        if report.kind == "area":
            header[5:5] = ["公顷"]
            header.append("占单元")
        lines = []
        for r in rows:
            line = [
                r.code,
                r.name or "—",
                r.class_label,
                r.type_label,
                f"{r.measure:,.1f}",
                f"{100 * r.share_project:.2f}%",
            ]
            if report.kind == "area":
                line[5:5] = [f"{r.hectares:,.4f}"]
                line.append(f"{100 * r.share_target:.3f}%" if r.share_target is not None else "—")
            lines.append(line)
        _table(document, header, lines)

    _heading(document, "五、生态环境准入清单逐条对照")
    if not report.clauses:
        _para(document, "无适用条款。")
    for n, (label, clauses) in enumerate(report.clauses.items(), start=1):
        _para(document, f"（{n}）{label}（{len(clauses)} 条）", 11, True).paragraph_format.keep_with_next = True
        _table(
            document,
            ["条款编号", "层级", "类型", "条款内容", "单元", "行业适用", "符合性"],
            [[c.clause_id, c.level, c.kind, c.text, c.unit_code, c.industry_match, c.compliance] for c in clauses],
            [2.2, 1.1, 1.1, 6.2, 2.6, 1.2, 2.6],
        )

    _heading(document, "六、研判依据")
    _pairs(document, b.rows())
    for source in report.sources:
        _para(document, source, style="List Bullet")

    _heading(document, "七、“三线一单”符合性分析（供环评引用）")
    _para(document, eia_paragraph(report), 10.5).paragraph_format.first_line_indent = Cm(0.74)

    _heading(document, "八、签署")
    signature = document.add_table(rows=2, cols=4)
    signature.style = "Table Grid"
    for row, role in zip(signature.rows, ("研判人", "审核人")):
        _font(row.cells[0].paragraphs[0].add_run(role), 10.5, True)
        _font(row.cells[2].paragraphs[0].add_run("日期"), 10.5, True)
        row.height = Cm(1.4)
    _para(document, f"声明：{DISCLAIMER}", 8.5, color="#444444")

    tmp = f"{path}.tmp{os.getpid()}"
    document.save(tmp)
    os.replace(tmp, path)
    return path
