"""Admission-list benchmark: a generated 1+3+13+N library with 2,000 units, timed as the dock uses it.

  source scripts/qgis_env.sh && .venv/bin/python benchmarks/bench_lists.py [--units 2000] [--runs 7]

Times (median of --runs): load the folder; validate it; compute and show one unit's effective list in the
dock's model; the dock's whole load (load + validation + clause and problem counts of every unit + one unit
shown); one edit as the dock applies it (command + counts again + the unit shown again).
Budget (issue 4): load + validate + show one unit under 1 s. Prints figures and ratios, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUDGET = 1.0
CITIES = [
    "230100", "230200", "230300", "230400", "230500", "230600", "230700",
    "230800", "230900", "231000", "231100", "231200", "232700",
]  # fmt: skip
REGIONS = {
    "hds": {"name": "哈大绥", "cities": ["230100", "230600", "231200"]},
    "dongbu": {"name": "东部煤电化基地", "cities": ["230300", "230400", "230500", "230900"]},
    "daxiao": {"name": "大小兴安岭", "cities": ["230700", "231100", "232700"]},
}
SUBTYPES = {1: ["eco_redline", "eco_general"], 2: ["dev_urban", "dev_park", "water_industrial"], 3: ["general"]}
TEXTS = {
    "spatial_layout": ("禁止在{p}内开展不符合功能定位的开发建设活动", "{p}内工业项目原则上应入园集聚发展"),
    "emission_control": ("{p}新建、改建、扩建项目实行主要污染物排放等量或倍量替代", "{p}严格控制挥发性有机物排放"),
    "risk_prevention": ("{p}涉危险化学品企业应编制突发环境事件应急预案", "禁止在{p}新建石油加工、炼焦项目"),
    "resource_efficiency": ("{p}严格控制地下水开采", "{p}新建项目单位产品水耗应达到国内先进水平"),
}
KINDS = {"禁止": "prohibit", "限制": "restrict", "应": "require"}


def kind_of(text: str) -> str:
    return next((kind for word, kind in KINDS.items() if word in text), "encourage")


def generate(root: str, n_units: int, unit_codes=None):
    """Write the library; returns the units as UnitInfo records (what the dock reads from the layer).
    `unit_codes`: [(code, class)] of a real unit layer to write the unit lists for (instead of n_units made up)."""
    from ecozoning.core.list_table import UnitInfo
    from ecozoning.core.lists import DIMENSIONS, Clause, new_library, save_library

    library = new_library(root, "黑龙江省生态环境准入清单（基准）", "230000", regions=REGIONS)

    def clauses(level, scope, prefix, place, count, filtered=False):
        target = library.clause_list(level, scope)
        for n in range(count):
            dimension = DIMENSIONS[n % 4]
            text = TEXTS[dimension][n // 4 % 2].format(p=place) + f"（第{n + 1}条）"
            unit_class = [1, 2, 3][n % 3] if filtered and n % 2 else None
            target.append(
                Clause(
                    f"{prefix}-{n + 1:03d}",
                    dimension,
                    kind_of(text),
                    text,
                    classes=[unit_class] if unit_class else [],
                    industries=["C25"] if n % 7 == 6 else [],
                    source="《黑龙江省生态环境分区管控方案》",
                )
            )

    clauses("province", "province", "P", "全省", 30, filtered=True)
    for rid, region in REGIONS.items():
        clauses("region", rid, f"R-{rid.upper()}", region["name"] + "地区", 10)
    for city in CITIES:
        clauses("city", city, f"C-{city}", f"{city}市", 15, filtered=True)
    units = []
    for n in range(len(unit_codes) if unit_codes else n_units):
        if unit_codes:
            code, unit_class = unit_codes[n]
            county, city = code[2:8], code[2:6] + "00"
        else:
            city = CITIES[n % len(CITIES)]
            county = city[:4] + f"{2 + n // len(CITIES) % 8:02d}"
            unit_class = [1, 2, 3][n % 3]
            code = f"ZH{county}{unit_class}{n // 24 + 1:04d}"
        subtypes = [SUBTYPES[unit_class][n % len(SUBTYPES[unit_class])]]
        units.append(UnitInfo(code, f"{county}单元{n + 1}", city, county, unit_class, subtypes))
        clauses("unit", code, f"U-{code}", "本单元", 5)
    save_library(library, all_files=True)
    return units


def median_time(function, runs: int):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from qgis.core import QgsApplication

    app = QgsApplication([], True)
    app.initQgis()
    from ecozoning.core.lists import load_library, validate_library
    from ecozoning.core.taxonomy import load_taxonomy
    from ecozoning.ui.list_model import EditClauseCommand, EffectiveListModel, analyse

    with tempfile.TemporaryDirectory(prefix="bench-lists-") as root:
        units = generate(root, args.units)
        library = load_library(root)
        files = len(library.files)
        n_clauses = sum(1 for _ in library.iter_clauses())
        size = sum(f.stat().st_size for f in Path(root).rglob("*.yaml"))
        print(f"library: {len(units)} units, {n_clauses} clauses in {files} files ({size / 1e6:.1f} MB)")
        codes = [u.code for u in units]
        keys = list(load_taxonomy().zones)
        unit = units[len(units) // 2]
        model = EffectiveListModel()

        load, library = median_time(lambda: load_library(root), args.runs)
        validate, problems = median_time(
            lambda: validate_library(library, unit_codes=codes, subtype_keys=keys), args.runs
        )
        show, _ = median_time(lambda: model.show_unit(library, unit), args.runs)
        shown = len(model.entries())
        counts, _ = median_time(lambda: analyse(library, units, keys), args.runs)

        def dock_load():
            loaded = load_library(root)
            analysis = analyse(loaded, units, keys)
            model.show_unit(loaded, unit)
            return analysis

        whole, _ = median_time(dock_load, args.runs)
        city_clause = library.clause_list("city", unit.city)[0]
        texts = iter(range(10**6))

        def edit():
            EditClauseCommand(library, "city", unit.city, city_clause, {"text": f"修改{next(texts)}"}).redo()
            analyse(library, units, keys)
            model.show_unit(library, unit)

        edit_time, _ = median_time(edit, args.runs)

    core = load + validate + show
    print(f"problems found: {len(problems)}" + (f", the first: {problems[0]}" if problems else ""))
    print(f"unit shown: {unit.code} class {unit.unit_class} {unit.subtypes}: {shown} effective clauses")
    print(f"median of {args.runs} runs")
    print(f"  load library            {load * 1000:8.1f} ms")
    print(f"  validate                {validate * 1000:8.1f} ms")
    print(f"  show one unit (model)   {show * 1000:8.1f} ms")
    print(f"  = load+validate+show    {core * 1000:8.1f} ms   {core / BUDGET:.2f} × the 1 s budget")
    print(f"  validate + every unit's counts (dock analysis) {counts * 1000:8.1f} ms")
    print(f"  dock load: load + analysis + show            {whole * 1000:8.1f} ms   {whole / BUDGET:.2f} × budget")
    print(f"  one edit in the dock: command + analysis + show {edit_time * 1000:6.1f} ms")
    app.exitQgis()


if __name__ == "__main__":
    main()
