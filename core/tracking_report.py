"""The tracking-assessment report (跟踪评估与监管执法线索报告) as HTML, Chinese or English: the summary, a map of the
flagged units by reason, the ranked inspection list and one section per flagged unit (its reasons, the leads with
the clauses they touch, its indicators). Same look as the screening reports; QGIS renders the maps and the PDF."""

from __future__ import annotations

import html

from .tracking import (
    SEVERITY_LABELS,
    FlaggedUnit,
    TrackingResult,
    TrackingRules,
    class_label,
    class_name,
    kind_label,
    label,
    level_label,
)

# Latin and digits in DejaVu Sans first: Qt's PDF writer maps the digits of Noto Sans CJK to no text, so codes such
# as ZH23010220003 would read as "ZH" in a PDF reader's copy and search; Chinese falls back to the CJK fonts. On
# every element: Qt's default style sheet (report_render.html_to_pdf) would win over an inherited body font.
STYLE = """*{font-family:'DejaVu Sans','Noto Sans CJK SC','Microsoft YaHei',sans-serif}body{margin:1.5em;font-size:10pt}
table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#e8eef5}.sev3{color:#b71c1c;font-weight:bold}.sev2{color:#e65100}.sev1{color:#1565c0}
table.legend{width:auto}
h2{border-bottom:1px solid #999;padding-bottom:2px}img{max-width:100%;border:1px solid #999}"""

WORDS = {
    "zh": {
        "title": "跟踪评估与监管执法线索报告",
        "summary": "概况",
        "units": "参评管控单元",
        "flagged": "列为监管执法重点的单元",
        "leads": "执法线索",
        "inputs": "使用的数据",
        "changes": "变化图斑",
        "sites": "监测点位",
        "measurements": "监测结果",
        "sources": "污染源",
        "map": "重点单元分布（按原因）",
        "multiple": "多项原因",
        "ranked": "监管执法重点单元排序",
        "rank": "排序",
        "code": "单元编码",
        "name": "单元名称",
        "class": "单元类别",
        "subtype": "主导类型",
        "county": "县级代码",
        "area": "面积（平方公里）",
        "focus": "原因",
        "severity": "严重程度",
        "reasons": "判定依据",
        "lead_count": "线索数",
        "section": "第 {rank} 位：{code} {name}",
        "unit_map": "单元及线索位置",
        "lead_type": "类型",
        "object": "对象",
        "detail": "情况",
        "clause": "涉及条款",
        "level": "层级",
        "kind": "类型",
        "text": "条款内容",
        "location": "位置（经度, 纬度）",
        "indicators": "单元指标",
        "indicator": "指标",
        "value": "当前值",
        "base": "基准值",
        "change": "变化",
        "threshold": "阈值",
        "rule": "规则",
        "hit": "触发",
        "yes": "是",
        "no": "否",
        "problems": "输入数据问题（已跳过，未中断运行）",
        "more_problems": "另有 {n} 条，见运行日志",
        "none_flagged": "未发现需列为监管执法重点的单元。",
        "basis": "依据",
        "obj_change": "变化图斑",
        "obj_site": "监测点位",
        "obj_source": "污染源",
        "no_clause": "单元清单中无对应条款",
        "permit": "排污许可证",
        "emission": "排放量（t/a）",
    },
    "en": {
        "title": "Tracking assessment and enforcement leads",
        "summary": "Summary",
        "units": "Units assessed",
        "flagged": "Units flagged for enforcement",
        "leads": "Enforcement leads",
        "inputs": "Data used",
        "changes": "change polygons",
        "sites": "monitoring sites",
        "measurements": "monitoring results",
        "sources": "sources",
        "map": "Flagged units by reason",
        "multiple": "several reasons",
        "ranked": "Inspection list (ranked)",
        "rank": "Rank",
        "code": "Unit code",
        "name": "Unit name",
        "class": "Class",
        "subtype": "Dominant subtype",
        "county": "County code",
        "area": "Area (km²)",
        "focus": "Reason",
        "severity": "Severity",
        "reasons": "Grounds",
        "lead_count": "Leads",
        "section": "No. {rank}: {code} {name}",
        "unit_map": "The unit and its leads",
        "lead_type": "Type",
        "object": "Object",
        "detail": "Finding",
        "clause": "Clause",
        "level": "Level",
        "kind": "Kind",
        "text": "Clause text",
        "location": "Location (lon, lat)",
        "indicators": "Indicators of the unit",
        "indicator": "Indicator",
        "value": "Value",
        "base": "Base",
        "change": "Change",
        "threshold": "Threshold",
        "rule": "Rule",
        "hit": "Triggered",
        "yes": "yes",
        "no": "no",
        "problems": "Input problems (left out; the run went on)",
        "more_problems": "{n} more in the log",
        "none_flagged": "No unit needs to be flagged for enforcement.",
        "basis": "Basis",
        "obj_change": "change polygon",
        "obj_site": "monitoring site",
        "obj_source": "source",
        "no_clause": "no clause of the unit's list addresses it",
        "permit": "Permit",
        "emission": "Emissions (t/a)",
    },
}
MAX_PROBLEMS = 300
MULTIPLE_COLOR = "#6a1b9a"  # units flagged for more than one reason


def words(lang: str) -> dict:
    return WORDS["zh" if lang == "zh" else "en"]


def focus_label(rules: TrackingRules, focus: str, lang: str) -> str:
    return label(rules.focuses.get(focus, {"zh": focus, "en": focus}), lang)


def _num(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def report_html(
    result: TrackingResult,
    rules: TrackingRules,
    stamp: dict[str, str],
    lang: str = "zh",
    overview_image: str = "",
    unit_images: dict[str, str] | None = None,
) -> str:
    esc = html.escape
    w = words(lang)
    unit_images = unit_images or {}
    severity = SEVERITY_LABELS["zh" if lang == "zh" else "en"]
    counts = {f: sum(f in item.focuses for item in result.flagged) for f in rules.focuses}
    focus_items = "".join(
        f"<tr><th>{esc(focus_label(rules, f, lang))}</th><td>{counts[f]}</td></tr>" for f in rules.focuses
    )
    used = " · ".join(
        f"{w[k]} {result.counts[k]}" for k in ("changes", "sites", "measurements", "sources") if k in result.counts
    )
    leads_of: dict[int, list] = {}
    for lead in result.leads:
        leads_of.setdefault(lead.rank, []).append(lead)
    ranked_rows = "".join(
        f"<tr><td>{f.rank}</td><td>{esc(f.unit.code)}</td><td>{esc(f.unit.name)}</td>"
        f"<td>{esc(class_label(f.unit.target_class, lang))}</td>"
        f"<td>{esc('、'.join(focus_label(rules, x, lang) for x in f.focuses))}</td>"
        f"<td class='sev{f.severity}'>{esc(severity[f.severity])}</td>"
        f"<td>{esc('；'.join(dict.fromkeys(label(r.rule.text, lang) for r in f.reasons)))}</td><td>{len(leads_of.get(f.rank, []))}</td></tr>"
        for f in result.flagged
    )
    ranked = (
        f"<table><tr><th>{w['rank']}</th><th>{w['code']}</th><th>{w['name']}</th><th>{w['class']}</th><th>{w['focus']}</th>"
        f"<th>{w['severity']}</th><th>{w['reasons']}</th><th>{w['lead_count']}</th></tr>{ranked_rows}</table>"
        if result.flagged
        else f"<p>{w['none_flagged']}</p>"
    )
    sections = "".join(
        _unit_section(item, leads_of.get(item.rank, []), result, rules, lang, unit_images.get(item.unit.code, ""))
        for item in result.flagged
    )
    problems = "".join(f"<li>{esc(p)}</li>" for p in result.problems[:MAX_PROBLEMS])
    if len(result.problems) > MAX_PROBLEMS:
        problems += f"<li>{esc(w['more_problems'].format(n=len(result.problems) - MAX_PROBLEMS))}</li>"
    stamp_rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in stamp.items())
    legend = "".join(
        f"<td bgcolor='{esc(str(spec.get('color', '#999999')))}' width='18'>&nbsp;</td><td>{esc(focus_label(rules, f, lang))}</td>"
        for f, spec in [*rules.focuses.items(), ("multiple", {"color": MULTIPLE_COLOR})]
        if f != "multiple" or any(len(item.focuses) > 1 for item in result.flagged)
    )
    image = (
        f"<h2>{w['map']}</h2><img src='{esc(overview_image)}' alt='map' width='640'>"
        f"<table class='legend'><tr>{legend}</tr></table>"
        if overview_image
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8"><title>{w["title"]}</title>
<style>{STYLE}</style></head><body>
<h1>{w["title"]}</h1>
<h2>{w["summary"]}</h2>
<table><tr><th>{w["units"]}</th><td>{result.unit_count}</td></tr><tr><th>{w["flagged"]}</th><td>{len(result.flagged)}</td></tr>
{focus_items}<tr><th>{w["leads"]}</th><td>{len(result.leads)}</td></tr><tr><th>{w["inputs"]}</th><td>{esc(used)}</td></tr></table>
{image}
<h2>{w["ranked"]}</h2>{ranked}
{sections}
{f"<h2>{w['problems']}</h2><ul>{problems}</ul>" if problems else ""}
<h2>{w["basis"]}</h2><table>{stamp_rows}</table>
</body></html>
"""


def _unit_section(item: FlaggedUnit, leads, result: TrackingResult, rules: TrackingRules, lang: str, image: str) -> str:
    esc = html.escape
    w = words(lang)
    severity = SEVERITY_LABELS["zh" if lang == "zh" else "en"]
    unit = item.unit
    info = (
        f"<table><tr><th>{w['class']}</th><td>{esc(class_label(unit.target_class, lang))}</td><th>{w['subtype']}</th>"
        f"<td>{esc(unit.key or '—')}</td></tr><tr><th>{w['county']}</th><td>{esc(unit.county or '—')}</td>"
        f"<th>{w['area']}</th><td>{item.area_m2 / 1e6:,.3f}</td></tr></table>"
    )
    reasons = "".join(
        f"<li><span class='sev{r.severity}'>[{esc(severity[r.severity])}]</span> "
        f"{esc(focus_label(rules, r.rule.focus, lang))}（{esc(r.rule.id)}）：{esc(r.detail)}</li>"
        if lang == "zh"
        else f"<li><span class='sev{r.severity}'>[{esc(severity[r.severity])}]</span> "
        f"{esc(focus_label(rules, r.rule.focus, lang))} ({esc(r.rule.id)}): {esc(r.detail)}</li>"
        for r in item.reasons
    )
    lead_rows = []
    for lead in leads:
        point = lead.geom.representative_point()
        clauses = "<br>".join(
            f"<b>{esc(c.clause.id)}</b>（{esc(level_label(c.level, lang))}·{esc(kind_label(c.clause.kind, lang))}）"
            f"{esc(c.clause.text)}"
            for c in lead.clauses
        ) or esc(w["no_clause"])
        extra = ""
        if lead.permit:
            extra += f"<br>{w['permit']}：{esc(lead.permit)}"
        if lead.emission is not None:
            extra += f"<br>{w['emission']}：{_num(lead.emission)}"
        lead_rows.append(
            f"<tr><td>{esc(w['obj_' + lead.obj_type])}</td><td>{esc(lead.obj_id)} {esc(lead.obj_name)}</td>"
            f"<td>{esc(lead.detail)}{extra}</td><td>{clauses}</td><td>{point.x:.5f}, {point.y:.5f}</td></tr>"
        )
    lead_table = (
        f"<table><tr><th>{w['lead_type']}</th><th>{w['object']}</th><th>{w['detail']}</th><th>{w['clause']}</th>"
        f"<th>{w['location']}</th></tr>{''.join(lead_rows)}</table>"
    )
    rows = [r for r in result.indicators if r.unit is unit]

    def shown(r, value, digits=2):
        indicator = rules.indicators.get(r.indicator)
        if indicator is not None and indicator.kind == "class" and value is not None:
            return class_name(value)
        return _num(value, digits)

    indicator_rows = "".join(
        f"<tr><td>{esc(r.label)}</td><td>{esc('' if r.indicator == 'land_change' else r.obj)}</td>"
        f"<td>{shown(r, r.value)} {esc(r.unit_of_measure)}</td><td>{shown(r, r.base)}</td><td>{_num(r.change, 4)}</td>"
        f"<td>{esc(r.threshold)}</td><td>{esc(r.rule)}</td><td>{w['yes'] if r.flagged else w['no']}</td></tr>"
        for r in rows
    )
    indicators = (
        f"<h3>{w['indicators']}</h3><table><tr><th>{w['indicator']}</th><th>{w['object']}</th><th>{w['value']}</th>"
        f"<th>{w['base']}</th><th>{w['change']}</th><th>{w['threshold']}</th><th>{w['rule']}</th><th>{w['hit']}</th></tr>"
        f"{indicator_rows}</table>"
    )
    picture = f"<p>{w['unit_map']}</p><img src='{esc(image)}' alt='map' width='560'>" if image else ""
    title = w["section"].format(rank=item.rank, code=esc(unit.code), name=esc(unit.name))
    return (
        f"<h2 id='{esc(unit.code)}'>{title} <span class='sev{item.severity}'>[{esc(severity[item.severity])}]</span></h2>"
        f"{info}<h3>{w['reasons']}</h3><ul>{reasons}</ul>{picture}<h3>{w['leads']}</h3>{lead_table}{indicators}"
    )
