"""Compare two versions of a scheme (docs/domain-rules.md §7): what changed where, how much area moved between classes,
the lineage of every code, the clause changes, and whether priority protection shrank.

Areas are measured per county in that county's CGCS2000 Gauss-Krüger zone (one zone per county, so that the
pieces of the overlay add up to the units of both versions).
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .geometry import polygonal
from .lists import CLAUSE_KEYS, LEVEL_LABELS, Library
from .projection import area_m2, gk_zone

NONE = "-"  # class or subtype of land a version does not cover
CLASS_LABELS = {1: "优先保护", 2: "重点管控", 3: "一般管控", NONE: "未覆盖"}


@dataclass
class VersionUnit:
    code: str
    unit_class: int
    subtype: str
    county: str
    geom: BaseGeometry
    name: str = ""


@dataclass
class Piece:
    old: VersionUnit | None
    new: VersionUnit | None
    geom: BaseGeometry
    area_m2: float

    @property
    def changed(self) -> bool:
        if self.old is None or self.new is None:
            return True
        return (self.old.code, self.old.unit_class, self.old.subtype) != (
            self.new.code,
            self.new.unit_class,
            self.new.subtype,
        )


@dataclass
class UnitChange:
    code: str
    statuses: list[str]
    old_area_m2: float = 0.0
    new_area_m2: float = 0.0
    came_from: list[tuple[str, float]] = field(default_factory=list)  # (old code, share of this new unit)
    went_to: list[tuple[str, float]] = field(default_factory=list)  # (new code, share of this old unit)
    name: str = ""


@dataclass
class ClauseChange:
    clause_id: str
    change: str  # added | removed | changed
    level: str
    scope: str
    fields: list[str]
    old_text: str = ""
    new_text: str = ""


@dataclass
class Comparison:
    pieces: list[Piece]
    transitions: dict[tuple, float]  # (old class, new class) -> m2
    subtype_transitions: dict[tuple, float]
    unit_changes: list[UnitChange]
    clause_changes: list[ClauseChange]
    priority: dict[str, dict[str, float]]  # county -> old, new, lost, gained (m2)

    def total_old(self) -> float:
        return sum(a for (old, _), a in self.transitions.items() if old != NONE)

    def total_new(self) -> float:
        return sum(a for (_, new), a in self.transitions.items() if new != NONE)


def _county_zones(units: list[VersionUnit]) -> dict[str, int]:
    bounds: dict[str, list[float]] = {}
    for unit in units:
        minx, _, maxx, _ = unit.geom.bounds
        low, high = bounds.get(unit.county, [minx, maxx])
        bounds[unit.county] = [min(low, minx), max(high, maxx)]
    return {county: gk_zone((low + high) / 2) for county, (low, high) in bounds.items()}


def overlay(old: list[VersionUnit], new: list[VersionUnit], zones: dict[str, int]) -> list[Piece]:
    """Pieces of the two versions: old ∩ new, and what only one of them covers."""
    pieces: list[Piece] = []
    new_geoms = np.array([u.geom for u in new], dtype=object)
    tree = shapely.STRtree(new_geoms) if len(new) else None
    covered_new: dict[int, list[BaseGeometry]] = defaultdict(list)
    for unit in old:
        zone = zones[unit.county]
        hits = tree.query(unit.geom, predicate="intersects").tolist() if tree is not None else []
        inside = []
        for j in sorted(hits):
            piece = polygonal(shapely.intersection(unit.geom, new[j].geom))
            if piece.is_empty:
                continue
            area = float(area_m2(piece, zone))
            if area <= 0.01:
                continue
            pieces.append(Piece(unit, new[j], piece, area))
            inside.append(piece)
            covered_new[j].append(piece)
        rest = polygonal(shapely.difference(unit.geom, shapely.union_all(inside))) if inside else unit.geom
        rest_area = float(area_m2(rest, zone)) if not rest.is_empty else 0.0
        if rest_area > 0.01:
            pieces.append(Piece(unit, None, rest, rest_area))
    for j, unit in enumerate(new):
        inside = covered_new.get(j, [])
        rest = polygonal(shapely.difference(unit.geom, shapely.union_all(inside))) if inside else unit.geom
        rest_area = float(area_m2(rest, zones[unit.county])) if not rest.is_empty else 0.0
        if rest_area > 0.01:
            pieces.append(Piece(None, unit, rest, rest_area))
    return pieces


def compare(old: list[VersionUnit], new: list[VersionUnit], old_library: Library | None = None,
            new_library: Library | None = None, split_share: float = 0.05) -> Comparison:  # fmt: skip
    zones = _county_zones(old + new)
    pieces = overlay(old, new, zones)
    transitions: dict[tuple, float] = defaultdict(float)
    subtype_transitions: dict[tuple, float] = defaultdict(float)
    for piece in pieces:
        old_class = piece.old.unit_class if piece.old else NONE
        new_class = piece.new.unit_class if piece.new else NONE
        transitions[(old_class, new_class)] += piece.area_m2
        subtype_transitions[(piece.old.subtype if piece.old else NONE, piece.new.subtype if piece.new else NONE)] += (
            piece.area_m2
        )
    changes = _unit_changes(old, new, pieces, zones, split_share)
    clause_changes = diff_libraries(old_library, new_library) if old_library and new_library else []
    if old_library and new_library:
        _mark_list_changes(changes, old, new, old_library, new_library)
    priority: dict[str, dict[str, float]] = defaultdict(lambda: {"old": 0.0, "new": 0.0, "lost": 0.0, "gained": 0.0})
    for piece in pieces:
        county = (piece.old or piece.new).county
        was = piece.old is not None and piece.old.unit_class == 1
        now = piece.new is not None and piece.new.unit_class == 1
        priority[county]["old"] += piece.area_m2 if was else 0.0
        priority[county]["new"] += piece.area_m2 if now else 0.0
        priority[county]["lost"] += piece.area_m2 if was and not now else 0.0
        priority[county]["gained"] += piece.area_m2 if now and not was else 0.0
    return Comparison(pieces, dict(transitions), dict(subtype_transitions), changes, clause_changes, dict(priority))


def _unit_changes(old, new, pieces, zones, split_share) -> list[UnitChange]:
    old_by_code = {u.code: u for u in old}
    new_by_code = {u.code: u for u in new}
    old_area = {u.code: float(area_m2(u.geom, zones[u.county])) for u in old}
    new_area = {u.code: float(area_m2(u.geom, zones[u.county])) for u in new}
    went: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    came: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for piece in pieces:
        if piece.old and piece.new:
            went[piece.old.code][piece.new.code] += piece.area_m2
            came[piece.new.code][piece.old.code] += piece.area_m2
    result = []
    for code in sorted(set(old_by_code) | set(new_by_code)):
        before, after = old_by_code.get(code), new_by_code.get(code)
        change = UnitChange(code, [], old_area.get(code, 0.0), new_area.get(code, 0.0), name=(after or before).name)
        change.came_from = (
            sorted(((c, a / new_area[code]) for c, a in came[code].items()), key=lambda x: -x[1]) if after else []
        )
        change.went_to = (
            sorted(((c, a / old_area[code]) for c, a in went[code].items()), key=lambda x: -x[1]) if before else []
        )
        if before is None:
            change.statuses.append("new")
        elif after is None:
            change.statuses.append("retired")
        else:
            if before.unit_class != after.unit_class or before.subtype != after.subtype:
                change.statuses.append("class_changed")
            moved = float(
                area_m2(polygonal(shapely.symmetric_difference(before.geom, after.geom)), zones[after.county])
            )
            if moved > max(1.0, 1e-6 * max(change.old_area_m2, change.new_area_m2)):
                change.statuses.append("boundary_changed")
        # split / merged: the area went to (came from) several units of the same class; area that changed
        # class is a class transition, not a split
        if before is not None:
            heirs = [
                c
                for c, share in change.went_to
                if share >= split_share and new_by_code[c].unit_class == before.unit_class
            ]
            if len(heirs) >= 2:
                change.statuses.append("split")
        if after is not None:
            sources = [
                c
                for c, share in change.came_from
                if share >= split_share and old_by_code[c].unit_class == after.unit_class
            ]
            if len(sources) >= 2:
                change.statuses.append("merged")
        if not change.statuses:
            change.statuses.append("unchanged")
        result.append(change)
    return result


def _clause_index(library: Library) -> dict[str, tuple]:
    return {c.id: (c, level, scope) for c, level, scope, _ in library.iter_clauses()}


def diff_libraries(old: Library, new: Library) -> list[ClauseChange]:
    before, after = _clause_index(old), _clause_index(new)
    changes = []
    for cid in sorted(set(before) | set(after)):
        if cid not in after:
            c, level, scope = before[cid]
            changes.append(ClauseChange(cid, "removed", level, scope, [], c.text, ""))
        elif cid not in before:
            c, level, scope = after[cid]
            changes.append(ClauseChange(cid, "added", level, scope, [], "", c.text))
        else:
            (a, la, sa), (b, lb, sb) = before[cid], after[cid]
            differ = [k for k in CLAUSE_KEYS if getattr(a, k) != getattr(b, k)]
            if (la, sa) != (lb, sb):
                differ.append("level")
            if differ:
                changes.append(ClauseChange(cid, "changed", lb, sb, differ, a.text, b.text))
    return changes


def _mark_list_changes(changes, old, new, old_library, new_library) -> None:
    old_by_code = {u.code: u for u in old}
    new_by_code = {u.code: u for u in new}
    for change in changes:
        before, after = old_by_code.get(change.code), new_by_code.get(change.code)
        if before is None or after is None:
            continue
        a = [
            (e.clause.id, e.clause.text, e.level)
            for e in old_library.effective(before.code, before.unit_class, [before.subtype])
        ]
        b = [
            (e.clause.id, e.clause.text, e.level)
            for e in new_library.effective(after.code, after.unit_class, [after.subtype])
        ]
        if a != b:
            change.statuses = [s for s in change.statuses if s != "unchanged"] + ["list_changed"]


def transition_label(value) -> str:
    return CLASS_LABELS.get(value, str(value))


def report_html(comparison: Comparison, context: dict[str, str], largest: int = 20) -> str:
    """更新说明: summary, class transition table, the largest changes, list changes, priority indicator."""
    esc = html.escape
    km2 = 1e6
    classes = [1, 2, 3, NONE]
    head = "".join(f"<th>{esc(transition_label(c))}</th>" for c in classes)
    matrix = "".join(
        f"<tr><th>{esc(transition_label(o))}</th>"
        + "".join(f"<td>{comparison.transitions.get((o, n), 0.0) / km2:.4f}</td>" for n in classes)
        + f"<td>{sum(comparison.transitions.get((o, n), 0.0) for n in classes) / km2:.4f}</td></tr>"
        for o in classes
    )
    totals = "".join(
        f"<td>{sum(comparison.transitions.get((o, n), 0.0) for o in classes) / km2:.4f}</td>" for n in classes
    )
    counts: dict[str, int] = defaultdict(int)
    for change in comparison.unit_changes:
        for status in change.statuses:
            counts[status] += 1
    summary = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
    sentences = []
    for (o, n), area in sorted(comparison.transitions.items(), key=lambda kv: -kv[1]):
        if o != n and area >= 1e4:
            sentences.append(
                f"{transition_label(n)}单元面积增加{area / km2:.2f}平方公里，来自原{transition_label(o)}单元"
            )
    changed = sorted((p for p in comparison.pieces if p.changed), key=lambda p: -p.area_m2)[:largest]
    rows = "".join(
        f"<tr><td>{esc(p.old.code if p.old else NONE)}</td><td>{esc(transition_label(p.old.unit_class) if p.old else '')}</td>"
        f"<td>{esc(p.new.code if p.new else NONE)}</td><td>{esc(transition_label(p.new.unit_class) if p.new else '')}</td>"
        f"<td>{p.area_m2 / km2:.4f}</td></tr>"
        for p in changed
    )
    clauses = "".join(
        f"<tr><td>{esc(c.clause_id)}</td><td>{esc(c.change)}</td><td>{esc(LEVEL_LABELS.get(c.level, c.level))} {esc(c.scope)}</td>"
        f"<td>{esc(', '.join(c.fields))}</td><td>{esc(c.old_text)}</td><td>{esc(c.new_text)}</td></tr>"
        for c in comparison.clause_changes
    )
    priority = "".join(
        f"<tr><td>{esc(county)}</td><td>{v['old'] / km2:.4f}</td><td>{v['new'] / km2:.4f}</td><td>{v['lost'] / km2:.4f}</td><td>{v['gained'] / km2:.4f}</td></tr>"
        for county, v in sorted(comparison.priority.items())
    )
    lost = sum(v["lost"] for v in comparison.priority.values()) / km2
    gained = sum(v["gained"] for v in comparison.priority.values()) / km2
    info = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in context.items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>生态环境分区管控方案更新说明</title>
<style>body{{font-family:'Noto Sans CJK SC',sans-serif;margin:1.5em}}table{{border-collapse:collapse;margin:.5em 0}}
td,th{{border:1px solid #999;padding:3px 6px;text-align:left}}th{{background:#e8eef5}}</style></head><body>
<h1>生态环境分区管控方案更新说明 Update explanation</h1><table>{info}</table>
<h2>概况 Summary</h2><p>单元变化 Unit changes：{esc(summary)}</p>
<p>优先保护单元面积减少 {lost:.2f} 平方公里，增加 {gained:.2f} 平方公里（净变化 {gained - lost:+.2f}）。
Priority protection lost {lost:.2f} km², gained {gained:.2f} km².</p>
<ul>{"".join(f"<li>{esc(s)}</li>" for s in sentences[:10])}</ul>
<h2>类别转移矩阵（平方公里） Class transitions (km², rows: old, columns: new)</h2>
<table><tr><th>原\\新</th>{head}<th>合计</th></tr>{matrix}<tr><th>合计</th>{totals}<td></td></tr></table>
<h2>主要变化 Largest changes</h2><table><tr><th>原编码</th><th>原类别</th><th>新编码</th><th>新类别</th><th>面积 km²</th></tr>{rows}</table>
<h2>清单变化 List changes</h2><table><tr><th>条款</th><th>变化</th><th>层级</th><th>字段</th><th>原文</th><th>新文</th></tr>{clauses}</table>
<h2>优先保护单元面积（分县） Priority area by county (km²)</h2>
<table><tr><th>县</th><th>原</th><th>新</th><th>减少</th><th>增加</th></tr>{priority}</table>
</body></html>
"""
