"""The plugin's main job end to end on the bundled sample, through qgis_process (as an analyst would run it).

standardize every raw layer -> delineate units -> validate them -> check the sample admission lists against
the units -> export the 附表1 list table -> screen the sample projects (with reports) and existing
enterprises (enforcement leads) -> track the units (跟踪评估: flagged units and leads from the sample's land change,
monitoring and sources) -> export the filing package (备案). Run by `make demo`; results in demo_output/.
Usage: demo.py [--messy] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "plugins"))  # the checkout as package ecozoning (scripts/qgis_env.sh)
from ecozoning.core.layer_config import load_layer_config, standardize_parameters  # noqa: E402

SAMPLE = ROOT / "resources" / "sample"
QGIS_PROCESS = os.environ.get("QGIS_PROCESS", "/usr/bin/qgis_process.bin")


def qgis_process(*args: str, timeout: int = 900) -> dict:
    command = [QGIS_PROCESS, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)  # noqa: S603 - fixed binary
    if args[:2] == ("plugins", "enable") and "already enabled" in done.stdout + done.stderr:
        return {}  # a second run: the scratch profile already has it
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"qgis_process failed ({done.returncode}): {' '.join(args[:2])}")
    if "--json" in args:
        return json.loads(done.stdout[done.stdout.index("{") :])
    return {}


def run(algorithm: str, params: dict) -> dict:
    args = ["run", algorithm, "--json", "--"]
    for name, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            args.append(f"{name}={item}")
    started = time.time()
    result = qgis_process(*args)
    print(f"  {algorithm}: {time.time() - started:.1f} s")
    return result.get("results", {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messy", action="store_true", help="use the sample with real-data faults")
    parser.add_argument("--out", default=str(ROOT / "demo_output"))
    args = parser.parse_args()
    demo_started = time.time()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    config = load_layer_config(SAMPLE / "layers.yaml")
    admin_cfg = config["admin"]
    admin = f"{SAMPLE / admin_cfg['file']}|layername={admin_cfg['layer']}"
    zones_file = SAMPLE / ("harbin_zones_messy.gpkg" if args.messy else "harbin_zones.gpkg")

    qgis_process("plugins", "enable", "ecozoning", timeout=120)
    print(f"EcoZoning demo on {zones_file.name} ({'messy' if args.messy else 'clean'} sample of 哈尔滨市)")
    standardized = []
    for layer, spec in config["layers"].items():
        target = out / f"zones_{layer}.gpkg"
        params = {
            "INPUT": f"{zones_file}|layername={layer}",
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": admin_cfg["code_field"],
            "OUTPUT": target,
            "REPORT": out / f"zones_{layer}_report.csv",
        }
        params.update(standardize_parameters(spec))
        for stale in (target, out / f"zones_{layer}_report.csv"):
            stale.unlink(missing_ok=True)
        run("ecozoning:standardizezones", params)
        standardized.append(target)

    units = out / "units.gpkg"
    for stale in (units, out / "merge_log.gpkg", out / "issues.gpkg", out / "list_issues.csv", out / "list_texts.csv"):
        stale.unlink(missing_ok=True)
    result = run(
        "ecozoning:delineateunits",
        {
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": admin_cfg["code_field"],
            "PROV_FIELD": admin_cfg["prov_field"],
            "CITY_FIELD": admin_cfg["city_field"],
            "COUNTY_FIELD": admin_cfg["county_field"],
            "ZONES": [str(p) for p in standardized],
            "UNITS": units,
            "MERGE_LOG": out / "merge_log.gpkg",
        },
    )
    print(
        f"  {int(result['UNIT_COUNT'])} units: priority {result['AREA_CLASS1']:.1f} km², "
        f"key {result['AREA_CLASS2']:.1f} km², general {result['AREA_CLASS3']:.1f} km²"
    )
    check = run(
        "ecozoning:validateunits",
        {
            "UNITS": units,
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": admin_cfg["code_field"],
            "ISSUES": out / "issues.gpkg",
            "REPORT_HTML": out / "validation.html",
        },
    )
    print(f"  validation: {int(check['ISSUE_COUNT'])} issues")
    library = SAMPLE / "library"
    lists = run(
        "ecozoning:checklists",
        {"UNITS": units, "LIBRARY": library, "ISSUES": out / "list_issues.csv"},
    )
    print(f"  admission lists: {int(lists['ISSUE_COUNT'])} problems")
    table = out / "附表1_环境管控单元准入清单.xlsx"
    run(
        "ecozoning:exportlisttable",
        {"UNITS": units, "LIBRARY": library, "OUTPUT_XLSX": table, "OUTPUT": out / "list_texts.csv"},
    )
    projects = SAMPLE / "projects.gpkg"
    zone_files = [out / f"zones_{name}.gpkg" for name in ("eco_redline", "water_zones", "parks", "urban")]
    screened = {}
    for layer, reports in (("projects", out / "screening_reports"), ("enterprises", None)):
        for stale in (out / f"{layer}_verdicts.gpkg", out / f"{layer}_overlaps.gpkg", out / f"{layer}_clauses.csv"):
            stale.unlink(missing_ok=True)
        params = {
            "PROJECTS": f"{projects}|layername={layer}",
            "ID_FIELD": "XMBH",
            "NAME_FIELD": "XMMC",
            "INDUSTRY_FIELD": "HYDM",
            "UNITS": units,
            "LIBRARY": library,
            "ZONES": [str(p) for p in zone_files],
            "OVERLAPS": out / f"{layer}_overlaps.gpkg",
            "CLAUSES": out / f"{layer}_clauses.csv",
            "VERDICTS": out / f"{layer}_verdicts.gpkg",
        }
        if reports:
            params["REPORT_FOLDER"] = reports
        screened[layer] = run("ecozoning:screenprojects", params)
    counts = screened["projects"]
    print(
        f"  screening of {int(counts['PROJECT_COUNT'])} proposed projects: fail {int(counts['FAIL_COUNT'])}, "
        f"conditional {int(counts['CONDITIONAL_COUNT'])}, need_info {int(counts['NEED_INFO_COUNT'])}, pass {int(counts['PASS_COUNT'])}"
    )
    leads = screened["enterprises"]
    print(
        f"  enforcement leads (执法监管线索) among {int(leads['PROJECT_COUNT'])} existing enterprises: "
        f"{int(leads['FAIL_COUNT'] + leads['CONDITIONAL_COUNT'])} (fail + conditional rows of enterprises_verdicts.gpkg)"
    )
    tracking = SAMPLE / "tracking.gpkg"
    for stale in (
        "tracking_indicators.csv",
        "tracking_flagged.gpkg",
        "tracking_leads.gpkg",
        "tracking_lead_areas.gpkg",
    ):
        (out / stale).unlink(missing_ok=True)
    tracked = run(
        "ecozoning:trackunits",
        {
            "UNITS": units,
            "LIBRARY": library,
            "LAND_CHANGE": f"{tracking}|layername=land_change",
            "CHANGE_FIELD": "BHLX",
            "PERIOD_FIELD": "SJ",
            "MONITORING": f"{tracking}|layername=monitoring_sites",
            "RESULTS": f"{tracking}|layername=monitoring_results",
            "SOURCES": f"{tracking}|layername=sources",
            "LANGUAGE": 1,
            "INDICATORS": out / "tracking_indicators.csv",
            "FLAGGED": out / "tracking_flagged.gpkg",
            "LEADS": out / "tracking_leads.gpkg",
            "LEAD_AREAS": out / "tracking_lead_areas.gpkg",
            "REPORT_FOLDER": out / "tracking_report",
        },
    )
    print(
        f"  tracking assessment (跟踪评估): {int(tracked['FLAGGED_COUNT'])} of {int(tracked['UNIT_COUNT'])} units flagged — "
        f"生态功能降低 {int(tracked['ECO_FUNCTION_DECLINE_COUNT'])}, 环境问题突出 {int(tracked['ENVIRONMENT_PROBLEM_COUNT'])}, "
        f"环境质量下降 {int(tracked['QUALITY_DECLINE_COUNT'])}; {int(tracked['LEAD_COUNT'])} enforcement leads; "
        f"{int(tracked['PROBLEM_COUNT'])} input rows reported"
    )
    package = out / "filing_230100.zip"
    all_zones = [str(out / f"zones_{name}.gpkg") for name in config["layers"]]
    filed = run(
        "ecozoning:exportfiling",
        {
            "UNITS": units,
            "ZONES": all_zones,
            "LIBRARY": library,
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": admin_cfg["code_field"],
            "COUNTY_FIELD": admin_cfg["county_field"],
            "CITY_FIELD": admin_cfg["city_field"],
            "PROV_FIELD": admin_cfg["prov_field"],
            "PRODUCER": "EcoZoning demo (sample data)",
            "SCHEME_LEVEL": "city",
            "REGION_CODE": "230100",
            "VERSION": "demo",
            "UPDATE_TYPE": "initial",
            "DATE": "2024-06-29",
            "SHP_ENCODING": "GBK",
            "OVERWRITE": "true",
            "OUTPUT": package,
        },
    )
    print(f"  filing package: {int(filed['UNIT_COUNT'])} units, {int(filed['ISSUE_COUNT'])} validation issues")
    (out / "filing_check.csv").unlink(missing_ok=True)
    checked = run(
        "ecozoning:checkfiling",
        {"PACKAGE": package, "ISSUES": out / "filing_check.csv", "REPORT_HTML": out / "filing_check.html"},
    )
    print(f"  checking the package as the receiving department would: {int(checked['ISSUE_COUNT'])} issues")
    site = out / "lookup"
    published = run(
        "ecozoning:publishlookup",
        {
            "UNITS": units,
            "LIBRARY": library,
            "ADMIN": admin,
            "TITLE": "哈尔滨市生态环境分区管控公共查阅（示例）",
            "VERSION": "2024-sample",
            "OVERWRITE": "true",
            "OUTPUT_FOLDER": site,
        },
    )
    print(
        f"  public lookup: {int(published['UNIT_COUNT'])} units, "
        f"{int(published['WITHOUT_LIST_COUNT'])} without a list of their own"
    )
    imported_units, imported_library = import_foreign_copy(out, units, library, projects, zone_files)
    print("Results:")
    results = [*standardized, units, out / "merge_log.gpkg", out / "issues.gpkg", out / "validation.html"]
    results += [out / "list_issues.csv", table, out / "list_texts.csv", imported_units, imported_library]
    results += [
        out / "projects_verdicts.gpkg",
        out / "screening_reports" / "index.html",
        out / "enterprises_verdicts.gpkg",
        out / "tracking_flagged.gpkg",
        out / "tracking_leads.gpkg",
        out / "tracking_report" / "tracking_report.html",
        package,
        out / "filing_check.html",
        out / "filing_check.csv",
        site / "index.html",
    ]
    for path in results:
        print(f"  {path}" if Path(path).exists() else f"  {path} (missing!)")
    print("Public lookup (公共查阅) — serve it and open http://127.0.0.1:8000/ in a browser:")
    print(f"  python3 -m http.server --bind 127.0.0.1 --directory {site} 8000")
    print(f"  QGIS Server: qgis_mapserver -p {site / 'qgis_server' / 'lookup.qgs'} 127.0.0.1:8001")
    print(f"Done in {time.time() - demo_started:.0f} s")


def import_foreign_copy(out: Path, units: Path, library: Path, projects: Path, zone_files: list[Path]):
    """The sample scheme as another department publishes it (GBK Shapefile without .cpg in EPSG:4551, 佛山市-layout
    附表1), imported back, and the sample projects screened against the imported scheme."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import foreign_scheme

    folder = out / "foreign"
    shp, xlsx, clauses = foreign_scheme.main(str(units), str(library), str(folder))
    imported = folder / "imported_units.gpkg"
    for stale in (imported, folder / "imported_units_report.csv", folder / "imported_list_report.csv"):
        stale.unlink(missing_ok=True)
    result = run(
        "ecozoning:importunits",
        {"INPUT": shp, "OUTPUT": imported, "REPORT": folder / "imported_units_report.csv"},
    )
    print(
        f"  imported {int(result['UNIT_COUNT'])} units from {shp.name} ({int(result['WARNING_COUNT'])} with warnings)"
    )
    lists = run(
        "ecozoning:importlisttable",
        {
            "INPUT": xlsx,
            "UNITS": imported,
            "OUTPUT_FOLDER": folder / "imported_library",
            "OVERWRITE": "true",
            "REPORT": folder / "imported_list_report.csv",
        },
    )
    print(
        f"  imported {int(lists['CLAUSE_COUNT'])} clauses of {int(lists['UNIT_COUNT'])} units from {xlsx.name} "
        f"({clauses} written, {int(lists['UNREADABLE_COUNT'])} unreadable rows)"
    )
    for stale in ("foreign_verdicts.gpkg", "foreign_overlaps.gpkg", "foreign_clauses.csv"):
        (folder / stale).unlink(missing_ok=True)
    screened = run(
        "ecozoning:screenprojects",
        {
            "PROJECTS": f"{projects}|layername=projects",
            "ID_FIELD": "XMBH",
            "NAME_FIELD": "XMMC",
            "INDUSTRY_FIELD": "HYDM",
            "UNITS": imported,
            "LIBRARY": folder / "imported_library",
            "ZONES": [str(p) for p in zone_files],
            "OVERLAPS": folder / "foreign_overlaps.gpkg",
            "CLAUSES": folder / "foreign_clauses.csv",
            "VERDICTS": folder / "foreign_verdicts.gpkg",
        },
    )
    print(
        f"  screening against the imported scheme: fail {int(screened['FAIL_COUNT'])}, conditional "
        f"{int(screened['CONDITIONAL_COUNT'])}, need_info {int(screened['NEED_INFO_COUNT'])}, pass {int(screened['PASS_COUNT'])}"
    )
    return imported, folder / "imported_library"


if __name__ == "__main__":
    main()
