"""The screening report (环境准入研判报告), pure Python: what a reviewer signs and an EIA cites.

One `Report` is built per project from the screening `Result` and the `Basis` (scheme, library revision, unit
layer SHA-256, date, validity). It holds a stable report number (scheme version + project id + a short hash of
everything the verdict rests on), the system's verdict with every reason, the units and zones hit, every
applicable clause by dimension with a first compliance reading, the reviewer's decision when there is one, the
report it supersedes and what changed, next steps and a disclaimer. `report_html` lays it out for the HTML file
and the PDF (Qt's rich-text engine: only the CSS subset it knows), `core/report_docx.py` writes the same report
as Word, `eia_paragraph` gives the 三线一单符合性分析 paragraph, `index_html`/`write_summary_xlsx` the batch index.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, field

import numpy as np
import shapely

from .lists import DIMENSIONS, KIND_LABELS, LEVEL_LABELS, Library
from .schema import CLASS_LABELS
from .screening import VERDICT_LABELS, VERDICTS, Result

DEFAULT_VALID_DAYS = 365
RESERVED_NAMES = {"index", "summary", "superseded", "con", "prn", "aux", "nul"}
RECORD_SUFFIX = ".report.json"

TITLE = "环境准入研判报告"
NEXT_STEPS = {
    "pass": "未发现与生态环境分区管控要求的冲突。项目可按程序开展环境影响评价等后续工作，并在环评文件中落实下列适用的"  # nosec B105
    "要求类条款。项目选址、范围、规模或行业发生变化，或分区管控方案更新后，应重新研判。",
    "conditional": "项目可有条件准入：应在环境影响评价中逐条论证并落实下列限制类和要求类条款（涉及优先保护单元的，"
    "应说明对主导生态功能的影响及避让、减缓措施），由审查人员确认后方可进入后续程序。",
    "fail": "项目与生态环境分区管控要求存在冲突，不符合准入要求。建议调整选址避让保护区域，或调整产业类型；"
    "如对研判结论有异议，可提交补充材料申请复核。",
    "need_info": "现有信息不足以作出研判结论。请按所列理由补充信息（如行业代码、完整准确的项目范围），补充后重新研判。",
}
DISCLAIMER = (
    "本报告由 EcoZoning 根据所列方案版本、环境管控单元图层和准入清单库自动生成。系统研判结论为初步意见，"
    "以审查人员签署的审查意见为准。面积按项目所在 CGCS2000 3 度带高斯-克吕格投影计算，与椭球面积可能略有差异。"
    "本报告在有效期内、且所依据的方案版本未被替代时有效；方案更新后应重新研判。"
)
# the first reading of the compliance column, from the clause kind and the industry match
COMPLIANCE_READINGS = {
    "prohibit_match": "不符合（项目行业属禁止类）",
    "restrict_match": "有条件符合（须落实限制要求）",
    "industry_other": "不涉及（行业不适用）",
    "prohibit": "待核实（须确认不属于禁止情形）",
    "restrict": "待核实（须落实限制要求）",
    "require": "须落实",
    "encourage": "鼓励",
}
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_NOTE_PATTERNS = (
    (re.compile(r"^footprint repaired: (.+)$"), "项目范围已自动修复（{0}），请核对范围是否正确"),
    (re.compile(r"^footprint repaired$"), "项目范围已自动修复，请核对范围是否正确"),
    (re.compile(r"^buffered by (.+) m$"), "项目范围已按 {0} 米缓冲"),
    (re.compile(r"^empty geometry$"), "项目范围为空"),
    (re.compile(r"^could not be screened: (.+)$"), "无法研判：{0}"),
)
_GEOMETRY_WORDS = (
    ("Self-intersection", "自相交"),
    ("Ring Self-intersection", "环自相交"),
    ("Too few points in geometry component", "部件点数过少"),
    ("Hole lies outside shell", "内环位于外环之外"),
    ("Nested shells", "外环嵌套"),
    ("Interior is disconnected", "内部不连通"),
    ("Duplicate Rings", "环重复"),
    ("no polygon area left", "修复后无面状部分"),
)


def chinese_part(text: str) -> str:
    """'中文 English' → '中文' (the rule reasons and notes are written bilingual); text without Chinese stays."""
    text = str(text or "")
    if not _CJK.search(text):
        return text
    # the Chinese part ends at the last CJK character before a run of Latin words; details after '：' are kept
    head, sep, tail = text.partition("：")
    last = max(m.end() for m in _CJK.finditer(head)) if _CJK.search(head) else 0
    chinese = head[:last].strip()
    return chinese + (sep + tail if sep else "")


def note_zh(note: str) -> str:
    """A screening note (written in English by core/screening.py) as the report says it."""
    for pattern, template in _NOTE_PATTERNS:
        match = pattern.match(note)
        if match:
            args = []
            for arg in match.groups():
                for english, chinese in _GEOMETRY_WORDS:
                    arg = arg.replace(english, chinese)
                args.append(arg)
            return template.format(*args)
    return chinese_part(note)


# --- file names ---------------------------------------------------------------------------------------------
def report_basenames(pids) -> dict[str, str]:
    """A file name per project id, unique even where ids differ only by characters a file name cannot hold
    ('XM/001', 'XM 001', 'XM:001'), by case (Windows, macOS) or collide with the index page ('index')."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for pid in pids:
        if pid in names:
            continue
        safe = re.sub(r"[^\w\-.]+", "_", unicodedata.normalize("NFKC", pid)).strip("._")[:80] or "project"
        if safe != pid or safe.lower() in RESERVED_NAMES or safe.lower() in taken:
            safe = f"{safe}_{hashlib.sha1(pid.encode('utf-8')).hexdigest()[:8]}"  # nosec B324 - a name, no secret
        n = 2
        base = safe
        while safe.lower() in taken:
            safe = f"{base}_{n}"
            n += 1
        taken.add(safe.lower())
        names[pid] = safe
    return names


# --- the basis ----------------------------------------------------------------------------------------------
@dataclass
class Basis:
    """What every report of a run rests on."""

    scheme_name: str
    scheme_version: str
    library_revision: str  # SHA-256 of the library's YAML files
    units_name: str
    units_sha256: str
    date: datetime.date
    valid_days: int = DEFAULT_VALID_DAYS
    taxonomy: str = ""
    rules: str = ""
    rules_sha256: str = ""
    tool: str = "EcoZoning"

    @property
    def valid_until(self) -> datetime.date:
        return self.date + datetime.timedelta(days=self.valid_days)

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("分区管控方案（准入清单）", f"{self.scheme_name} {self.scheme_version}".strip()),
            ("清单库修订（SHA-256）", self.library_revision or "—"),
            ("环境管控单元图层", self.units_name),
            ("单元图层 SHA-256", self.units_sha256),
            ("分类体系", self.taxonomy or "—"),
            (
                "研判规则",
                f"{self.rules}（SHA-256 {self.rules_sha256[:16]}）" if self.rules_sha256 else self.rules or "—",
            ),
            ("研判日期", self.date.isoformat()),
            ("有效期", self.validity()),
            ("生成工具", self.tool),
        ]

    def validity(self) -> str:
        return (
            f"至 {self.valid_until.isoformat()}，或至方案版本 {self.scheme_version or '—'} 被替代之日（以先到者为准）"
        )


@dataclass
class Decision:
    """The reviewer's decision (审查意见) on a project's screening."""

    pid: str
    decision: str  # one of VERDICTS
    reason: str
    reviewer: str
    time: str  # ISO date or date-time
    system_verdict: str = ""
    report_number: str = ""


class DecisionError(ValueError):
    pass


def check_decision(decision: Decision, where: str = "") -> Decision:
    """Refuse a decision a reviewer could not sign: unknown verdict, empty reason, no reviewer, no project id."""
    prefix = f"{where}: " if where else ""
    if not str(decision.pid or "").strip():
        raise DecisionError(f"{prefix}审查意见缺少项目编号")
    if decision.decision not in VERDICTS:
        raise DecisionError(
            f"{prefix}项目 {decision.pid} 的审查结论“{decision.decision}”无效，应为 {'、'.join(VERDICTS)} 之一"
        )
    if not str(decision.reason or "").strip():
        raise DecisionError(f"{prefix}项目 {decision.pid} 的审查意见缺少理由：确认或改变系统研判结论都须写明理由")
    if not str(decision.reviewer or "").strip():
        raise DecisionError(f"{prefix}项目 {decision.pid} 的审查意见缺少审查人")
    return decision


def latest_decisions(decisions) -> dict[str, Decision]:
    """The current decision of each project: the latest by time (a later decision on the same project wins)."""
    current: dict[str, Decision] = {}
    for decision in sorted(decisions, key=lambda d: str(d.time)):
        current[decision.pid] = decision
    return current


# --- the report ---------------------------------------------------------------------------------------------
@dataclass
class HitRow:
    code: str
    name: str
    class_label: str
    type_label: str
    measure: float
    hectares: float | None
    share_project: float
    share_target: float | None


@dataclass
class ClauseLine:
    unit_code: str
    level: str
    clause_id: str
    kind: str
    text: str
    industries: str
    industry_match: str
    compliance: str
    source: str


@dataclass
class Report:
    number: str
    pid: str
    name: str
    industry: str
    buffer_m: float
    kind: str
    total: float
    outside_share: float
    verdict: str
    reasons: list[str]
    other_findings: list[str]
    notes: list[str]
    units: list[HitRow]
    zones: list[HitRow]
    clauses: dict[str, list[ClauseLine]]  # dimension label -> rows, in DIMENSIONS order
    sources: list[str]
    basis: Basis
    decision: Decision | None = None
    supersedes: dict | None = None  # the previous report's record and what changed
    map_image: str = ""
    zones_screened: bool = False
    fingerprint: dict = field(default_factory=dict)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def size_text(self) -> str:
        if self.kind == "area":
            return f"{self.total / 10000:,.4f} 公顷（{self.total:,.1f} 平方米）"
        if self.kind == "length":
            return f"{self.total:,.1f} 米"
        if self.kind == "point":
            return f"{self.total:,.0f} 个点位"
        return "—"

    def record(self) -> dict:
        """What a later run needs to say what changed (written next to the report)."""
        return {
            "number": self.number,
            "pid": self.pid,
            "date": self.basis.date.isoformat(),
            "valid_until": self.basis.valid_until.isoformat(),
            "scheme_version": self.basis.scheme_version,
            "library_revision": self.basis.library_revision,
            "units_sha256": self.basis.units_sha256,
            "verdict": self.verdict,
            "units": sorted({u.code for u in self.units}),
            "zones": sorted({z.code for z in self.zones}),
            "clauses": sorted({c.clause_id for rows in self.clauses.values() for c in rows}),
            "decision": asdict(self.decision) if self.decision else None,
        }


def _measure_hectares(kind, measure):
    return measure / 10000 if kind == "area" else None


def _hit_rows(hits, kind, taxonomy, units: bool) -> list[HitRow]:
    rows = []
    for hit in hits:
        target = hit.target
        if units:
            class_label = CLASS_LABELS.get(target.target_class, "类别不明")
        else:
            class_label = {1: "优先保护", 2: "重点管控", 3: "一般管控"}.get(target.target_class, "—")
        type_label = taxonomy.subtype_label(target.key) if taxonomy is not None and target.key else target.key or "—"
        rows.append(
            HitRow(
                target.code,
                target.name,
                class_label,
                type_label,
                hit.measure,
                _measure_hectares(kind, hit.measure),
                hit.share_project,
                hit.share_target,
            )
        )
    return rows


def compliance_reading(kind: str, industry_match) -> str:
    if industry_match is True and kind in ("prohibit", "restrict"):
        return COMPLIANCE_READINGS[f"{kind}_match"]
    if industry_match is False:
        return COMPLIANCE_READINGS["industry_other"]
    return COMPLIANCE_READINGS.get(kind, "待核实")


def fingerprint(result: Result, basis: Basis) -> dict:
    """Everything the verdict rests on, canonical: the same inputs give the same report number on any machine."""
    footprint = ""
    if result.footprint is not None:
        # coordinates rounded to 1e-7° (1 cm) by numpy, not by GEOS: the same text under every GEOS version
        rounded = shapely.transform(result.footprint, lambda xy: np.round(xy, 7))
        footprint = shapely.to_wkt(shapely.normalize(rounded), rounding_precision=7, output_dimension=2)
    p = result.project
    return {
        "scheme_version": basis.scheme_version,
        "library_revision": basis.library_revision,
        "units_sha256": basis.units_sha256,
        "rules_sha256": basis.rules_sha256,
        "taxonomy": basis.taxonomy,
        "pid": p.pid,
        "name": p.name,
        "industry": p.industry,
        "buffer_m": round(float(p.buffer_m or 0.0), 3),
        "footprint": hashlib.sha256(footprint.encode("utf-8")).hexdigest(),
        "verdict": result.verdict,
        "reasons": [list(r) for r in result.reasons],
        "units": [h.target.code for h in result.unit_hits],
        "zones": [h.target.code for h in result.zone_hits],
        "clauses": [[r.unit_code, r.clause.id] for r in result.clauses],
    }


def report_number(result: Result, basis: Basis) -> str:
    digest = hashlib.sha256(json.dumps(fingerprint(result, basis), sort_keys=True).encode("utf-8")).hexdigest()
    version = re.sub(r"\s+", "", basis.scheme_version or "v0")
    return f"{version}-{result.project.pid}-{digest[:8].upper()}"


def build_report(
    result: Result,
    basis: Basis,
    library: Library | None,
    taxonomy=None,
    decision: Decision | None = None,
    previous: dict | None = None,
    map_image: str = "",
    zones_screened: bool = False,
) -> Report:
    p = result.project
    number = report_number(result, basis)
    reasons = [chinese_part(r) for v, _, r in result.reasons if v == result.verdict]
    others = [f"{VERDICT_LABELS[v]}：{chinese_part(r)}" for v, _, r in result.reasons if v != result.verdict]
    groups: dict[str, list[ClauseLine]] = {}
    sources: list[str] = []
    for dimension in (*DIMENSIONS, None):
        rows = [r for r in result.clauses if (r.clause.dimension == dimension) == (dimension is not None)]
        if dimension is None:
            rows = [r for r in result.clauses if r.clause.dimension not in DIMENSIONS]
        if not rows:
            continue
        label = (library.dimension_label(dimension) if library else dimension) if dimension else "其他（维度未知）"
        lines = []
        for row in rows:
            clause = row.clause
            match = {True: "是", False: "否", None: "—"}[row.industry_match]
            lines.append(
                ClauseLine(
                    row.unit_code,
                    LEVEL_LABELS.get(row.level, row.level),
                    clause.id,
                    KIND_LABELS.get(clause.kind, clause.kind),
                    clause.text,
                    "、".join(clause.industries),
                    match,
                    compliance_reading(clause.kind, row.industry_match),
                    clause.source,
                )
            )
            if clause.source and clause.source not in sources:
                sources.append(clause.source)
        groups[label] = lines
    report = Report(
        number=number,
        pid=p.pid,
        name=p.name,
        industry=p.industry,
        buffer_m=float(p.buffer_m or 0.0),
        kind=result.kind,
        total=result.total,
        outside_share=result.outside_share,
        verdict=result.verdict,
        reasons=reasons,
        other_findings=others,
        notes=[note_zh(n) for n in result.notes],
        units=_hit_rows(result.unit_hits, result.kind, taxonomy, True),
        zones=_hit_rows(result.zone_hits, result.kind, taxonomy, False),
        clauses=groups,
        sources=sources,
        basis=basis,
        decision=decision if decision is not None and decision.pid == p.pid else None,
        map_image=map_image,
        zones_screened=zones_screened,
        fingerprint=fingerprint(result, basis),
    )
    if previous and previous.get("number") and previous.get("number") != number:
        report.supersedes = {"record": previous, "changes": changes_since(previous, report)}
    return report


def changes_since(previous: dict, report: Report) -> list[str]:
    """What changed for the project since the report it supersedes (new unit, new clauses, new verdict…)."""
    now = report.record()
    changes = []
    if previous.get("scheme_version") != now["scheme_version"]:
        changes.append(f"方案版本由 {previous.get('scheme_version') or '—'} 更新为 {now['scheme_version'] or '—'}")
    elif previous.get("library_revision") != now["library_revision"]:
        changes.append("准入清单库内容已修订（版本号未变）")
    if previous.get("units_sha256") != now["units_sha256"]:
        changes.append("环境管控单元图层已更新")
    for key, label in (("units", "管控单元"), ("zones", "要素管控分区"), ("clauses", "适用条款")):
        before, after = set(previous.get(key) or []), set(now[key])
        if after - before:
            changes.append(f"新增{label}：{'、'.join(sorted(after - before))}")
        if before - after:
            changes.append(f"不再涉及的{label}：{'、'.join(sorted(before - after))}")
    if previous.get("verdict") != now["verdict"]:
        old = VERDICT_LABELS.get(previous.get("verdict"), previous.get("verdict") or "—")
        changes.append(f"研判结论由“{old}”变为“{VERDICT_LABELS[now['verdict']]}”")
    if not changes:
        changes.append("项目信息或范围有变化，研判结论未变")
    return changes


# --- HTML (the HTML file and, through Qt's rich-text engine, the PDF) ---------------------------------------
_CSS = (
    "body{font-size:10.5pt;color:#111111}"
    "h1{font-size:18pt;text-align:center;margin:0 0 4px 0}"
    "h2{font-size:13pt;margin:14px 0 6px 0;color:#1a3a5c}"
    "h3{font-size:11pt;margin:10px 0 4px 0}"
    "table{border-collapse:collapse;margin:2px 0 6px 0}"
    "th{background-color:#e8eef5;font-weight:bold;text-align:left}"
    "td,th{border:1px solid #888888;padding:3px;vertical-align:top;font-size:9.5pt}"
    ".hash{font-size:8pt}"
    ".caption{background-color:#ffffff;font-size:11pt;border:none}"
    ".num{text-align:right}"
    ".verdict{font-size:16pt;font-weight:bold}"
    ".fail{color:#b71c1c}.conditional{color:#e65100}.need_info{color:#1565c0}.pass{color:#2e7d32}"
    ".small{font-size:9pt;color:#444444}"
    ".mapbreak{page-break-before:always}"
)
_TABLE = "<table width='100%' border='1' cellspacing='0' cellpadding='3'>"


def _esc(value) -> str:
    return html.escape(str(value if value is not None else ""))


def _share(value, digits=2) -> str:
    return f"{100 * value:.{digits}f}%" if value is not None else "—"


def _measure_label(kind: str) -> str:
    return {"area": "面积（m²）", "length": "长度（m）", "point": "点位数"}.get(kind, "规模")


def hit_table_html(rows: list[HitRow], kind: str, units: bool) -> str:
    if not rows:
        return "<p>未涉及。</p>"
    area = kind == "area"
    head = (
        f"<thead><tr><th width='17%'>{'单元编码' if units else '分区编码'}</th><th>名称</th><th width='13%'>类别</th>"
        f"<th width='13%'>类型</th><th class='num' width='11%'>{_measure_label(kind)}</th>"
        + ("<th class='num' width='10%'>公顷</th>" if area else "")
        + "<th class='num' width='9%'>占项目</th>"
        + ("<th class='num' width='10%'>占单元</th>" if area else "")
        + "</tr></thead>"
    )
    body = []
    for r in rows:
        measure = f"{r.measure:,.0f}" if kind == "point" else f"{r.measure:,.1f}"
        body.append(
            f"<tr><td>{_esc(r.code)}</td><td>{_esc(r.name or '—')}</td><td>{_esc(r.class_label)}</td>"
            f"<td>{_esc(r.type_label)}</td><td class='num'>{measure}</td>"
            + (f"<td class='num'>{r.hectares:,.4f}</td>" if kind == "area" else "")
            + f"<td class='num'>{_share(r.share_project)}</td>"
            + (f"<td class='num'>{_share(r.share_target, 3)}</td>" if kind == "area" else "")
            + "</tr>"
        )
    return f"{_TABLE}{head}<tbody>{''.join(body)}</tbody></table>"


def clause_tables_html(report: Report) -> str:
    if not report.clauses:
        return "<p>无适用条款（未选择准入清单库，或所涉单元无适用条款）。</p>"
    parts = []
    for n, (label, lines) in enumerate(report.clauses.items(), start=1):
        body = "".join(
            f"<tr><td>{_esc(c.clause_id)}</td><td>{_esc(c.level)}</td><td>{_esc(c.kind)}</td>"
            f"<td>{_esc(c.text)}</td><td>{_esc(c.unit_code)}</td><td>{_esc(c.industry_match)}</td>"
            f"<td>{_esc(c.compliance)}</td></tr>"
            for c in lines
        )
        # the dimension's title is the table's first header row: it repeats on every page and never stays behind
        parts.append(
            f"{_TABLE}<thead><tr><td colspan='7' class='caption'><b>（{n}）{_esc(label)}（{len(lines)} 条）</b></td></tr>"
            "<tr><th width='14%'>条款编号</th><th width='6%'>层级</th><th width='6%'>类型</th><th>条款内容</th>"
            f"<th width='18%'>单元</th><th width='7%'>行业适用</th><th width='14%'>符合性</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    return "".join(parts)


def _decision_html(report: Report) -> str:
    d = report.decision
    if d is None:
        return (
            f"{_TABLE}<tr><th width='22%'>审查意见</th><td>尚未审查（待审查人员确认或改变系统研判结论，并写明理由）</td></tr>"
            "</table>"
        )
    stale = ""
    if d.report_number and d.report_number != report.number:
        stale = (
            f"<br><span class='small'>该意见针对报告 {_esc(d.report_number)} 作出，其后研判依据有变化，请复核。</span>"
        )
    return (
        f"{_TABLE}<tr><th width='22%'>审查意见</th><td class='{d.decision}'><b>{_esc(VERDICT_LABELS[d.decision])}</b>"
        f"{'（确认系统研判）' if d.decision == report.verdict else '（改变系统研判）'}</td></tr>"
        f"<tr><th>理由</th><td>{_esc(d.reason)}{stale}</td></tr>"
        f"<tr><th>审查人</th><td>{_esc(d.reviewer)}</td></tr><tr><th>审查时间</th><td>{_esc(d.time)}</td></tr></table>"
    )


def report_html(report: Report, stamp_extra: dict | None = None) -> str:
    """The report as HTML: page 1 the header, the verdict with every reason, the decision and next steps;
    then the map; then units and zones hit, clauses by dimension, basis, signatures and the disclaimer."""
    b = report.basis
    reasons = "".join(f"<li>{_esc(r)}</li>" for r in report.reasons)
    findings = "".join(f"<li>{_esc(r)}</li>" for r in report.other_findings)
    notes = "".join(f"<li>{_esc(n)}</li>" for n in report.notes)
    supersedes = ""
    if report.supersedes:
        old = report.supersedes["record"]
        changes = "".join(f"<li>{_esc(c)}</li>" for c in report.supersedes["changes"])
        supersedes = (
            f"<p><b>本报告替代</b> {_esc(old.get('number'))}（{_esc(old.get('date'))}）。变化：</p><ul>{changes}</ul>"
        )
    header = (
        f"{_TABLE}<tr><th width='16%'>报告编号</th><td width='40%'>{_esc(report.number)}</td>"
        f"<th width='14%'>研判日期</th><td>{_esc(b.date.isoformat())}</td></tr>"
        f"<tr><th>分区管控方案</th><td>{_esc(b.scheme_name)}</td><th>方案版本</th><td>{_esc(b.scheme_version)}</td></tr>"
        f"<tr><th>清单库修订</th><td>{_esc(b.library_revision[:16])}</td><th>有效期</th><td>{_esc(b.validity())}</td></tr>"
        f"<tr><th>单元图层 SHA-256</th><td colspan='3' class='hash'>{_esc(b.units_sha256)}</td></tr></table>"
    )
    project = (
        f"{_TABLE}<tr><th width='16%'>项目编号</th><td width='40%'>{_esc(report.pid)}</td>"
        f"<th width='14%'>项目名称</th><td>{_esc(report.name or '—')}</td></tr>"
        f"<tr><th>行业代码</th><td>{_esc(report.industry or '未提供')}</td><th>缓冲距离</th><td>{report.buffer_m:g} 米</td></tr>"
        f"<tr><th>项目规模</th><td>{_esc(report.size_text())}</td><th>位于单元外</th>"
        f"<td>{_share(report.outside_share)}</td></tr></table>"
    )
    image = (
        f"<h2 class='mapbreak'>二、项目位置及涉及管控单元图</h2><p><img src='{_esc(report.map_image)}' width='657'></p>"
        if report.map_image
        else "<h2>二、项目位置及涉及管控单元图</h2><p>项目范围无效，无法制图。</p>"
    )
    zones = (
        hit_table_html(report.zones, report.kind, False)
        if report.zones_screened
        else "<p>未提供环境要素管控分区图层，按管控单元的主导类型研判。</p>"
    )
    basis_rows = b.rows() + [(k, v) for k, v in (stamp_extra or {}).items()]
    basis = "".join(
        f"<tr><th width='24%'>{_esc(k)}</th><td{' class=hash' if 'SHA' in k else ''}>{_esc(v)}</td></tr>"
        for k, v in basis_rows
    )
    sources = "".join(f"<li>{_esc(s)}</li>" for s in report.sources)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE} {_esc(report.number)}</title>
<style>{_CSS}</style></head><body>
<h1>{TITLE}</h1>
{header}
{supersedes}
<h2>一、研判结论</h2>
{project}
<p class="verdict {report.verdict}">系统研判：{_esc(report.verdict_label)}</p>
<p><b>理由：</b></p><ol>{reasons}</ol>
{f"<p><b>其他提示：</b></p><ul>{findings}</ul>" if findings else ""}
{f"<p><b>说明：</b></p><ul>{notes}</ul>" if notes else ""}
{_decision_html(report)}
<p><b>后续工作：</b>{_esc(NEXT_STEPS[report.decision.decision if report.decision else report.verdict])}</p>
{image}
<h2>三、涉及环境管控单元</h2>
{hit_table_html(report.units, report.kind, True)}
<h2>四、涉及环境要素管控分区</h2>
{zones}
<h2>五、生态环境准入清单逐条对照</h2>
{clause_tables_html(report)}
<h2>六、研判依据</h2>
{_TABLE}{basis}</table>
{f"<p><b>引用文件：</b></p><ul>{sources}</ul>" if sources else ""}
<h2>七、“三线一单”符合性分析（供环评引用）</h2>
<p>{_esc(eia_paragraph(report))}</p>
<h2>八、签署</h2>
{_TABLE}<tr><th width='16%'>研判人</th><td width='34%'>&nbsp;<br>&nbsp;</td><th width='16%'>日期</th><td>&nbsp;</td></tr>
<tr><th>审核人</th><td>&nbsp;<br>&nbsp;</td><th>日期</th><td>&nbsp;</td></tr></table>
<p class="small"><b>声明：</b>{_esc(DISCLAIMER)}</p>
</body></html>
"""


# --- the EIA paragraph --------------------------------------------------------------------------------------
def eia_paragraph(report: Report) -> str:
    """The paragraph for the EIA's “三线一单”符合性分析 section, in the register EIA reports use."""
    b = report.basis
    where = report.name or report.pid
    if report.units:
        units = "、".join(
            f"{u.name or u.code}（编码 {u.code}，{u.class_label}，占项目{'面积' if report.kind == 'area' else '规模'}"
            f"{_share(u.share_project)}）"
            for u in report.units
        )
        text = f"根据{b.scheme_name}（{b.scheme_version}），{where}位于{units}"
        if report.outside_share > 0.001:
            text += f"，另有 {_share(report.outside_share)} 位于管控单元覆盖范围之外"
        text += "。"
    else:
        text = f"根据{b.scheme_name}（{b.scheme_version}），{where}未落入任何环境管控单元。"
    if report.zones_screened:
        if report.zones:
            zones = "、".join(f"{z.type_label}（{z.code}）" for z in report.zones)
            text += f"项目涉及的环境要素管控分区为{zones}。"
        else:
            text += "项目不涉及环境要素管控分区。"
    if report.clauses:
        parts = []
        for label, lines in report.clauses.items():
            ids = "、".join(dict.fromkeys(c.clause_id for c in lines))
            parts.append(f"{label}方面适用{ids}等 {len({c.clause_id for c in lines})} 条要求")
        text += "对照所在单元生态环境准入清单，" + "；".join(parts) + "。"
        conflicts = [c for lines in report.clauses.values() for c in lines if c.compliance.startswith("不符合")]
        if conflicts:
            text += "其中，" + "；".join(f"{c.clause_id}“{c.text}”" for c in conflicts) + "，项目与之不符。"
    verdict = report.decision.decision if report.decision else report.verdict
    reasons = "；".join(report.reasons)
    conclusion = {
        "pass": "项目建设符合生态环境分区管控要求",  # nosec B105 - a verdict key, no password
        "conditional": "项目在落实上述限制和要求类条款的前提下，符合生态环境分区管控要求",
        "fail": "项目不符合生态环境分区管控要求",
        "need_info": "现有资料不足以判断项目与生态环境分区管控要求的符合性，需补充资料后重新分析",
    }[verdict]
    text += f"经研判（报告编号 {report.number}），{conclusion}"
    text += f"，主要依据为：{reasons}。" if reasons else "。"
    if report.decision is not None:
        text += f"审查意见：{VERDICT_LABELS[report.decision.decision]}，{report.decision.reason}。"
    return text


# --- records of earlier reports (supersession) ----------------------------------------------------------------
def read_record(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("number") else None


def write_text_atomic(path: str, text: str) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    if os.path.exists(path):
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    os.replace(tmp, path)


# --- the batch index --------------------------------------------------------------------------------------------
@dataclass
class IndexRow:
    pid: str
    name: str
    industry: str
    verdict: str
    reasons: str
    decision: str
    decision_reason: str
    reviewer: str
    number: str
    pdf: str
    docx: str
    html: str
    supersedes: str = ""


def index_row(report: Report, files: dict[str, str]) -> IndexRow:
    d = report.decision
    return IndexRow(
        report.pid,
        report.name,
        report.industry,
        report.verdict,
        "；".join(report.reasons),
        d.decision if d else "",
        d.reason if d else "",
        d.reviewer if d else "",
        report.number,
        files.get("pdf", ""),
        files.get("docx", ""),
        files.get("html", ""),
        report.supersedes["record"]["number"] if report.supersedes else "",
    )


def index_html(rows: list[IndexRow], basis: Basis) -> str:
    counts = {v: sum(r.verdict == v for r in rows) for v in VERDICTS}
    summary = " · ".join(f"{VERDICT_LABELS[v]} {counts[v]}" for v in VERDICTS)
    reviewed = sum(bool(r.decision) for r in rows)

    def link(target, text):
        return f"<a href='{_esc(target)}'>{text}</a>" if target else ""

    body = "".join(
        f"<tr><td>{link(r.html, _esc(r.pid))}</td><td>{_esc(r.name)}</td><td>{_esc(r.industry)}</td>"
        f"<td class='{r.verdict}'>{_esc(VERDICT_LABELS[r.verdict])}</td><td>{_esc(r.reasons)}</td>"
        f"<td class='{r.decision}'>{_esc(VERDICT_LABELS.get(r.decision, '未审查'))}</td><td>{_esc(r.decision_reason)}</td>"
        f"<td>{_esc(r.reviewer)}</td><td>{_esc(r.number)}{'<br>替代 ' + _esc(r.supersedes) if r.supersedes else ''}</td>"
        f"<td>{link(r.pdf, 'PDF')} {link(r.docx, 'Word')}</td></tr>"
        for r in rows
    )
    basis_rows = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in basis.rows())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>环境准入研判汇总</title>
<style>body{{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em;font-size:10.5pt}}
table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}}
th{{background:#e8eef5}}.fail{{color:#b71c1c}}.conditional{{color:#e65100}}.need_info{{color:#1565c0}}.pass{{color:#2e7d32}}
</style></head><body>
<h1>环境准入研判汇总</h1><p>共 {len(rows)} 个项目：{_esc(summary)}；已审查 {reviewed} 个。汇总表：<a href="summary.xlsx">summary.xlsx</a></p>
<table><tr><th>项目编号</th><th>项目名称</th><th>行业</th><th>系统研判</th><th>理由</th><th>审查意见</th><th>审查理由</th>
<th>审查人</th><th>报告编号</th><th>报告</th></tr>{body}</table>
<h2>研判依据</h2><table>{basis_rows}</table></body></html>
"""


SUMMARY_HEADERS = (
    "项目编号",
    "项目名称",
    "行业代码",
    "系统研判",
    "理由",
    "审查意见",
    "审查理由",
    "审查人",
    "报告编号",
    "替代报告",
    "PDF",
    "Word",
)


def write_summary_xlsx(path: str, rows: list[IndexRow], basis: Basis) -> str:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "研判汇总"
    sheet.append(list(SUMMARY_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(
            [
                r.pid,
                r.name,
                r.industry,
                VERDICT_LABELS[r.verdict],
                r.reasons,
                VERDICT_LABELS.get(r.decision, "未审查"),
                r.decision_reason,
                r.reviewer,
                r.number,
                r.supersedes,
                r.pdf,
                r.docx,
            ]
        )
        line = sheet.max_row
        for column, target in ((11, r.pdf), (12, r.docx)):
            if target:
                sheet.cell(line, column).hyperlink = target
                sheet.cell(line, column).style = "Hyperlink"
    for column, width in zip("ABCDEFGHIJKL", (14, 28, 10, 12, 50, 12, 30, 10, 30, 30, 18, 18)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    basis_sheet = book.create_sheet("研判依据")
    for key, value in basis.rows():
        basis_sheet.append([key, value])
    basis_sheet.column_dimensions["A"].width = 24
    basis_sheet.column_dimensions["B"].width = 90
    tmp = f"{path}.tmp{os.getpid()}"
    book.save(tmp)
    os.replace(tmp, path)
    return path
