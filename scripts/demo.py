"""The plugin's main job end to end on the bundled sample, through qgis_process (as an analyst would run it).

standardize every raw layer -> delineate units -> validate them -> check the sample admission lists against
the units -> export the 附表1 list table -> screen the sample projects (with reports) and existing
enterprises (enforcement leads) -> export the filing package (备案). Run by `make demo`; results in demo_output/.
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

import yaml

ROOT = Path(__file__).resolve().parent.parent
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
    config = yaml.safe_load((SAMPLE / "layers.yaml").read_text(encoding="utf-8"))
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
        if "subtype" in spec:
            params["SUBTYPE"] = spec["subtype"]
        else:
            params["SUBTYPE_FIELD"] = spec["subtype_field"]
            params["VALUE_MAP"] = spec["value_map"]
        if spec.get("name_field"):
            params["NAME_FIELD"] = spec["name_field"]
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
    print("Results:")
    results = [*standardized, units, out / "merge_log.gpkg", out / "issues.gpkg", out / "validation.html"]
    results += [out / "list_issues.csv", table, out / "list_texts.csv"]
    results += [
        out / "projects_verdicts.gpkg",
        out / "screening_reports" / "index.html",
        out / "enterprises_verdicts.gpkg",
        package,
        out / "filing_check.html",
        out / "filing_check.csv",
    ]
    for path in results:
        print(f"  {path}" if Path(path).exists() else f"  {path} (missing!)")
    print(f"Done in {time.time() - demo_started:.0f} s")


if __name__ == "__main__":
    main()
