"""Project screening (环境准入研判, docs/domain-rules.md §6): which units and element zones a footprint touches, by how
much, which clauses apply, and the verdict the rules give, with its reasons.

Measures are taken in the CGCS2000 3-degree Gauss-Krüger zone of the project (areas for polygons, lengths
for lines, counts for points); shares of the project add up to one with the part outside every unit.
One bad project never stops the batch: it gets `need_info` with the reason.
"""

from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .errors import EcoZoningError, InputError
from .geometry import polygonal, repair
from .lists import DIMENSIONS, KIND_LABELS, LEVEL_LABELS, Clause, Library
from .projection import area_m2, from_gk, length_m, to_gk, zone_for_geometry
from .rulesfile import load_rules_yaml
from .schema import parse_industry_codes

DEFAULT_RULES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "rules", "verdict_rules.yaml")
VERDICTS = ("pass", "conditional", "fail", "need_info")
# bandit reads the key "pass" as a password
VERDICT_LABELS = {"pass": "判定通过", "conditional": "受限准入", "fail": "判定不通过", "need_info": "待补充信息"}  # nosec B105
CONDITIONS = {
    "zone_keys",
    "unit_classes",
    "clause_kinds",
    "industry_match",
    "industry_missing",
    "outside_share_above",
    "no_unit",
    "bad_geometry",
}


class RulesError(EcoZoningError):
    pass


@dataclass
class Rule:
    id: str
    verdict: str
    when: dict
    reason: str


@dataclass
class Rules:
    order: list[str]
    rules: list[Rule]
    min_overlap_m2: float = 1.0
    min_overlap_m: float = 0.5
    path: str = ""


def load_rules(path: str | None = None) -> Rules:
    path = path or DEFAULT_RULES
    data = load_rules_yaml(path, RulesError, "resources/rules/verdict_rules.yaml")
    order = [str(v) for v in data.get("order", ["fail", "need_info", "conditional", "pass"])]
    problems = [f"order: unknown verdict '{v}'" for v in order if v not in VERDICTS]
    rules = []
    for n, item in enumerate(data["rules"], start=1):
        rid = str(item.get("id") or f"rule {n}") if isinstance(item, dict) else f"rule {n}"
        if not isinstance(item, dict):
            problems.append(f"{rid}: must be a mapping")
            continue
        if item.get("verdict") not in VERDICTS:
            problems.append(f"{rid}: verdict must be one of {', '.join(VERDICTS)}, got {item.get('verdict')!r}")
        when = item.get("when") or {}
        unknown = sorted(set(when) - CONDITIONS)
        if unknown or not when:
            problems.append(f"{rid}: unknown or missing conditions {unknown} (use {', '.join(sorted(CONDITIONS))})")
        rules.append(Rule(rid, str(item.get("verdict")), dict(when), str(item.get("reason") or rid)))
    if problems:
        raise RulesError(f"{path}: " + "; ".join(problems))
    return Rules(order, rules, float(data.get("min_overlap_m2", 1.0)), float(data.get("min_overlap_m", 0.5)), path)


MAX_BUFFER_M = 100_000.0  # a screening buffer beyond 100 km is a unit mistake (km or degrees for metres)


def check_buffer(value: float, where: str) -> float:
    """A project's buffer in metres, or InputError naming the project: negative, not finite or beyond 100 km."""
    if not math.isfinite(value) or value < 0:
        raise InputError(
            f"{where}: buffer {value:g} m is negative or not a number; give the buffer in metres (0 or more)"
        )
    if value > MAX_BUFFER_M:
        raise InputError(
            f"{where}: buffer {value:g} m is beyond {MAX_BUFFER_M / 1000:g} km; give the buffer in metres, not km or degrees"
        )
    return value


@dataclass
class Project:
    pid: str
    geom: BaseGeometry | None
    name: str = ""
    industry: str = ""
    buffer_m: float = 0.0


@dataclass
class Target:
    """A unit (level: its class; kind: its dominant subtype) or an element zone (its class and subtype key)."""

    code: str
    name: str
    target_class: int
    key: str
    geom: BaseGeometry
    county: str = ""


@dataclass
class Hit:
    target: Target
    geom: BaseGeometry
    measure: float  # m2, m or number of points
    share_project: float
    share_target: float | None


@dataclass
class ClauseRow:
    unit_code: str
    clause: Clause
    level: str
    scope: str
    industry_match: bool | None


@dataclass
class Result:
    project: Project
    footprint: BaseGeometry | None
    kind: str  # area | length | point | none
    total: float
    unit_hits: list[Hit] = field(default_factory=list)
    zone_hits: list[Hit] = field(default_factory=list)
    clauses: list[ClauseRow] = field(default_factory=list)
    outside_share: float = 0.0
    verdict: str = "need_info"
    reasons: list[tuple[str, str, str]] = field(default_factory=list)  # (verdict, rule id, reason)
    notes: list[str] = field(default_factory=list)

    def verdict_reasons(self) -> list[str]:
        return [reason for verdict, _, reason in self.reasons if verdict == self.verdict]


class Index:
    def __init__(self, targets: list[Target]):
        # foreign unit layers are often self-intersecting: overlaid as they are, they give shares over 100 %
        for target in targets:
            if target.geom is not None and not target.geom.is_empty and not target.geom.is_valid:
                target.geom, _note = repair(target.geom)
        self.targets = targets
        self.tree = shapely.STRtree(np.array([t.geom for t in targets], dtype=object)) if targets else None
        self._areas: dict[tuple[int, int], float] = {}

    def area(self, target: Target, zone: int) -> float:
        """A target's area in a GK zone, measured once (units are large; projects hit the same ones)."""
        key = (id(target), zone)  # by object: codes of bad input may repeat
        if key not in self._areas:
            self._areas[key] = float(area_m2(target.geom, zone))
        return self._areas[key]

    def query(self, geom) -> list[Target]:
        if self.tree is None:
            return []
        return [self.targets[i] for i in sorted(self.tree.query(geom, predicate="intersects").tolist())]


def _footprint(project: Project) -> tuple[BaseGeometry | None, str, list[str]]:
    notes = []
    geom = project.geom
    if geom is None or geom.is_empty:
        return None, "none", ["empty geometry"]
    if geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        fixed, note = repair(geom)
        if note:
            notes.append(f"footprint repaired: {note}")
        if fixed.is_empty and geom.geom_type == "GeometryCollection":
            fixed = geom
        geom = fixed
    elif not geom.is_valid:
        geom = shapely.make_valid(geom)
        notes.append("footprint repaired")
    if project.buffer_m and project.buffer_m > 0:
        zone = zone_for_geometry(geom)
        geom = from_gk(shapely.buffer(to_gk(geom, zone), project.buffer_m, quad_segs=16), zone)
        notes.append(f"buffered by {project.buffer_m:g} m")
    if geom.is_empty:
        return None, "none", notes + ["empty geometry"]
    dim = shapely.get_dimensions(geom)
    return geom, {2: "area", 1: "length", 0: "point"}[int(dim)], notes


def _measure(geom, kind: str, zone: int) -> float:
    if geom is None or geom.is_empty:
        return 0.0
    if kind == "area":
        return float(area_m2(polygonal(geom), zone))
    if kind == "length":
        return float(length_m(geom, zone))
    return float(len(shapely.get_parts(shapely.extract_unique_points(geom))))


def _hits(footprint, kind, total, zone, index: Index, rules: Rules) -> list[Hit]:
    hits = []
    for target in index.query(footprint):
        inter = shapely.intersection(footprint, target.geom)
        if inter.is_empty:
            continue
        if kind == "area":
            inter = polygonal(inter)
        measure = _measure(inter, kind, zone)
        threshold = rules.min_overlap_m2 if kind == "area" else rules.min_overlap_m if kind == "length" else 0.5
        if measure < threshold:
            continue
        share_target = measure / index.area(target, zone) if kind == "area" else None
        hits.append(Hit(target, inter, measure, measure / total if total else 0.0, share_target))
    hits.sort(key=lambda h: (-h.measure, h.target.code))
    return hits


def screen_project(
    project: Project, units: Index, zones: Index | None, library: Library | None, rules: Rules
) -> Result:
    footprint, kind, notes = _footprint(project)
    if footprint is None:
        result = Result(project, None, "none", 0.0, notes=notes)
        _decide(result, rules, zones is not None)
        return result
    zone = zone_for_geometry(footprint)
    total = _measure(footprint, kind, zone)
    result = Result(project, footprint, kind, total, notes=notes)
    result.unit_hits = _hits(footprint, kind, total, zone, units, rules)
    if zones is not None:
        result.zone_hits = _hits(footprint, kind, total, zone, zones, rules)
    shares = sum(h.share_project for h in result.unit_hits)
    covered = shares
    if len(result.unit_hits) > 1 and total:
        # the part inside the units is their union: with overlapping units (foreign layers) the sum of the
        # shares counts the overlap twice
        covered = _measure(shapely.union_all([h.geom for h in result.unit_hits]), kind, zone) / total
        if shares > covered + 1e-6:
            result.notes.append(
                f"单元重叠：各单元占比之和为 {100 * shares:.2f} %，单元内占比 {100 * covered:.2f} % "
                f"Units overlap: their shares add up to {100 * shares:.2f} %, {100 * covered:.2f} % lies inside them"
            )
    result.outside_share = min(1.0, max(0.0, 1.0 - covered)) if total else 1.0
    codes, unreadable = parse_industry_codes(project.industry)
    if not codes and (project.industry or "").strip():
        unreadable = [project.industry.strip()]
    if unreadable:
        result.notes.append(
            f"行业代码无法识别：{'、'.join(unreadable)} Industry code not read: {', '.join(unreadable)} "
            "(GB/T 4754, e.g. C2520)"
        )
    if library is not None:
        for hit in result.unit_hits:
            for item in library.effective(hit.target.code, hit.target.target_class, [hit.target.key]):
                match = item.clause.matches_industry(project.industry)
                result.clauses.append(ClauseRow(hit.target.code, item.clause, item.level, item.scope, match))
    _decide(result, rules, zones is not None)
    return result


def _decide(result: Result, rules: Rules, have_zones: bool) -> None:
    industry = "、".join(parse_industry_codes(result.project.industry)[0])
    zone_keys = {h.target.key for h in result.zone_hits} if have_zones else {h.target.key for h in result.unit_hits}
    classes = {h.target.target_class for h in result.unit_hits}
    for rule in rules.rules:
        when = rule.when
        checks = []
        if "bad_geometry" in when:
            checks.append(bool(when["bad_geometry"]) == (result.footprint is None))
        if "no_unit" in when:
            checks.append(bool(when["no_unit"]) == (result.footprint is not None and not result.unit_hits))
        if "zone_keys" in when:
            checks.append(bool(zone_keys & set(when["zone_keys"])))
        if "unit_classes" in when:
            checks.append(bool(classes & {int(c) for c in when["unit_classes"]}))
        if "outside_share_above" in when:
            checks.append(
                result.footprint is not None
                and bool(result.unit_hits)
                and result.outside_share > float(when["outside_share_above"])
            )
        if "industry_missing" in when:
            filtered = any(row.clause.industries for row in result.clauses)
            checks.append(bool(when["industry_missing"]) == (filtered and not industry))
        if "clause_kinds" in when or "industry_match" in when:
            kinds = set(when.get("clause_kinds") or [])
            wanted = when.get("industry_match")
            checks.append(
                any(
                    (not kinds or row.clause.kind in kinds) and (wanted is None or row.industry_match is bool(wanted))
                    for row in result.clauses
                )
            )
        if checks and all(checks):
            detail = _detail(rule, result, zone_keys)
            result.reasons.append((rule.verdict, rule.id, rule.reason + detail))
    triggered = {verdict for verdict, _, _ in result.reasons}
    result.verdict = next((v for v in rules.order if v in triggered), "pass")
    if result.verdict == "pass" and "pass" not in triggered:
        result.reasons.append(("pass", "no_conflict", "未发现冲突 No rule found a conflict"))


def _detail(rule: Rule, result: Result, zone_keys: set) -> str:
    when = rule.when
    if "zone_keys" in when:
        hits = result.zone_hits or result.unit_hits
        codes = sorted({h.target.code for h in hits if h.target.key in set(when["zone_keys"])})
        return f"：{', '.join(codes)}"
    if "unit_classes" in when:
        codes = sorted({h.target.code for h in result.unit_hits if h.target.target_class in set(when["unit_classes"])})
        return f"：{', '.join(codes)}"
    if "clause_kinds" in when or "industry_match" in when:
        kinds = set(when.get("clause_kinds") or [])
        ids = sorted(
            {r.clause.id for r in result.clauses if (not kinds or r.clause.kind in kinds) and r.industry_match}
        )
        return f"：{', '.join(ids)}（行业 {result.project.industry}）"
    if "outside_share_above" in when:
        return f"（{100 * result.outside_share:.2f} %）"
    return ""


def screen(projects: list[Project], units: list[Target], zones: list[Target] | None, library: Library | None,
           rules: Rules | None = None, is_canceled=lambda: False, progress=lambda fraction: None) -> list[Result]:  # fmt: skip
    rules = rules or load_rules()
    unit_index = Index(units)
    zone_index = Index(zones) if zones is not None else None
    results = []
    for n, project in enumerate(projects):
        if is_canceled():
            break
        try:
            results.append(screen_project(project, unit_index, zone_index, library, rules))
        except Exception as exc:  # noqa: BLE001 - one bad footprint must not stop the batch
            result = Result(project, None, "none", 0.0, notes=[f"could not be screened: {exc}"])
            result.verdict = "need_info"
            result.reasons.append(("need_info", "error", f"无法研判 Could not be screened: {exc}"))
            results.append(result)
        progress((n + 1) / max(len(projects), 1))
    return results


# --- reports --------------------------------------------------------------------------------------------
UNIT_LABEL = {"area": ("面积 m²", "公顷 ha"), "length": ("长度 m", ""), "point": ("点数", ""), "none": ("", "")}


def report_html(result: Result, stamp: dict[str, str], map_image: str = "", library: Library | None = None) -> str:
    esc = html.escape
    p = result.project
    unit_label, ha_label = UNIT_LABEL[result.kind]
    verdict = f"{VERDICT_LABELS[result.verdict]} ({result.verdict})"
    reasons = "".join(f"<li>{esc(r)}</li>" for r in result.verdict_reasons())
    others = "".join(
        f"<li>{esc(VERDICT_LABELS[v])}: {esc(r)}</li>" for v, _, r in result.reasons if v != result.verdict
    )

    def hit_rows(hits):
        rows = []
        for h in hits:
            ha = f"<td>{h.measure / 10000:.4f}</td>" if result.kind == "area" else "<td></td>"
            share_t = f"{100 * h.share_target:.3f} %" if h.share_target is not None else ""
            rows.append(
                f"<tr><td>{esc(h.target.code)}</td><td>{esc(h.target.name)}</td><td>{h.target.target_class}</td>"
                f"<td>{esc(h.target.key)}</td><td>{h.measure:.2f}</td>{ha}<td>{100 * h.share_project:.2f} %</td><td>{share_t}</td></tr>"
            )
        return "".join(rows)

    head = f"<tr><th>编码 Code</th><th>名称 Name</th><th>类别 Class</th><th>类型 Type</th><th>{unit_label}</th><th>{ha_label}</th><th>占项目 Share of project</th><th>占单元 Share of target</th></tr>"
    clause_sections = []
    for dimension in DIMENSIONS:
        rows = [r for r in result.clauses if r.clause.dimension == dimension]
        if not rows:
            continue
        label = library.dimension_label(dimension) if library else dimension
        body = "".join(
            f"<tr><td>{esc(r.unit_code)}</td><td>{esc(LEVEL_LABELS.get(r.level, r.level))}</td><td>{esc(r.clause.id)}</td>"
            f"<td>{esc(KIND_LABELS.get(r.clause.kind, r.clause.kind))}</td><td>{esc(r.clause.text)}</td>"
            f"<td>{'是' if r.industry_match else ('否' if r.industry_match is False else '—')}</td><td class='blank'></td></tr>"
            for r in rows
        )
        clause_sections.append(
            f"<h3>{esc(label)}</h3><table><tr><th>单元 Unit</th><th>层级 Level</th><th>条款 Clause</th><th>类型 Kind</th>"
            f"<th>内容 Text</th><th>行业适用 Industry match</th><th>符合性 Compliance</th></tr>{body}</table>"
        )
    stamp_rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in stamp.items())
    image = f"<img src='{esc(map_image)}' alt='map' style='max-width:100%;border:1px solid #999'>" if map_image else ""
    notes = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
    total = f"{result.total:.2f} {unit_label}" if result.kind != "none" else "—"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>环境准入研判报告 {esc(p.pid)}</title>
<style>body{{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em;font-size:10pt}}
table{{border-collapse:collapse;margin:.5em 0;width:100%}}td,th{{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}}
th{{background:#e8eef5}}.verdict{{font-size:14pt;font-weight:bold}}.fail{{color:#b71c1c}}.conditional{{color:#e65100}}
.need_info{{color:#1565c0}}.pass{{color:#2e7d32}}td.blank{{min-width:6em}}</style></head><body>
<h1>环境准入研判报告 Project screening report</h1>
<table><tr><th>项目编号 ID</th><td>{esc(p.pid)}</td><th>项目名称 Name</th><td>{esc(p.name)}</td></tr>
<tr><th>行业代码 Industry (GB/T 4754)</th><td>{esc(p.industry or "—")}</td><th>缓冲 Buffer</th><td>{p.buffer_m:g} m</td></tr>
<tr><th>项目规模 Size</th><td>{total}</td><th>单元外占比 Outside units</th><td>{100 * result.outside_share:.2f} %</td></tr></table>
<p class="verdict {result.verdict}">研判结论 Verdict: {esc(verdict)}</p><ul>{reasons}</ul>
{f"<p>其他提示 Other findings:</p><ul>{others}</ul>" if others else ""}
{f"<ul>{notes}</ul>" if notes else ""}
{image}
<h2>涉及环境管控单元 Units</h2><table>{head}{hit_rows(result.unit_hits)}</table>
<h2>涉及环境要素管控分区 Element zones</h2><table>{head}{hit_rows(result.zone_hits)}</table>
<h2>适用准入要求 Applicable clauses</h2>{"".join(clause_sections) or "<p>—</p>"}
<h2>依据 Basis</h2><table>{stamp_rows}</table>
</body></html>
"""


def index_html(results: list[Result], stamp: dict[str, str], files: dict[str, str]) -> str:
    esc = html.escape
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICTS}
    rows = "".join(
        f"<tr><td><a href='{esc(files.get(r.project.pid, ''))}'>{esc(r.project.pid)}</a></td><td>{esc(r.project.name)}</td>"
        f"<td>{esc(r.project.industry)}</td><td class='{r.verdict}'>{esc(VERDICT_LABELS[r.verdict])}</td>"
        f"<td>{esc('; '.join(r.verdict_reasons()))}</td></tr>"
        for r in results
    )
    summary = " · ".join(f"{VERDICT_LABELS[v]} {counts[v]}" for v in VERDICTS)
    stamp_rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in stamp.items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>环境准入研判汇总</title>
<style>body{{font-family:'Noto Sans CJK SC',sans-serif;margin:1.5em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:3px 6px;text-align:left}}.fail{{color:#b71c1c}}.conditional{{color:#e65100}}
.need_info{{color:#1565c0}}.pass{{color:#2e7d32}}</style></head><body>
<h1>环境准入研判汇总 Screening index</h1><p>{len(results)} 个项目 projects: {esc(summary)}</p>
<table><tr><th>编号 ID</th><th>名称 Name</th><th>行业 Industry</th><th>结论 Verdict</th><th>理由 Reasons</th></tr>{rows}</table>
<h2>依据 Basis</h2><table>{stamp_rows}</table></body></html>
"""
