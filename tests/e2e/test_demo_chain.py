"""The whole chain through qgis_process, as `make demo` runs it. Inside qgis_process shapely runs on QGIS's own
GEOS (3.11 on Debian 12), not the one the unit tests use: this is where version differences show."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from osgeo import ogr

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def run_demo(env: dict, out: Path, *extra: str) -> str:
    env = dict(env)
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(out / "profile")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), "--out", str(out), *extra],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def features(path: Path) -> list[dict]:
    source = ogr.Open(str(path))
    layer = source.GetLayer(0)
    definition = layer.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    return [{n: f.GetField(n) for n in names} for f in layer]


def test_demo_on_the_clean_sample(tmp_path, qgis_env_sh):
    printed = run_demo(qgis_env_sh, tmp_path)
    assert "validation: 0 issues" in printed and "admission lists: 0 problems" in printed
    assert "checking the package as the receiving department would: 0 issues" in printed
    units = features(tmp_path / "units.gpkg")
    assert len(units) > 100 and len({u["HJGKDYBM"] for u in units}) == len(units)
    table = load_workbook(tmp_path / "附表1_环境管控单元准入清单.xlsx").worksheets[0]
    assert table.max_row == len(units) + 1
    verdicts = {v["PROJ_ID"]: v["VERDICT"] for v in features(tmp_path / "projects_verdicts.gpkg")}
    assert verdicts["XM-001"] == "fail" and verdicts["XM-009"] == "conditional" and verdicts["XM-003"] == "pass"
    assert (tmp_path / "screening_reports" / "index.html").exists()
    # tracking assessment: every reason of seed 十三 occurs in the sample, and every flagged unit has its leads
    assert re.search(r"生态功能降低 [1-9]\d*, 环境问题突出 [1-9]\d*, 环境质量下降 [1-9]\d*", printed), printed
    flagged = {f["HJGKDYBM"] for f in features(tmp_path / "tracking_flagged.gpkg")}
    assert flagged and flagged == {lead["UNIT_CODE"] for lead in features(tmp_path / "tracking_leads.gpkg")}
    assert (tmp_path / "tracking_report" / "tracking_report.pdf").stat().st_size > 10_000
    # the foreign-format copy of the scheme comes back whole: every unit, every clause, no unreadable row
    imported = features(tmp_path / "foreign" / "imported_units.gpkg")
    assert sorted(u["HJGKDYBM"] for u in imported) == sorted(u["HJGKDYBM"] for u in units)
    assert {u["HJGKDYMC"] for u in imported} == {u["HJGKDYMC"] for u in units}  # GBK names without .cpg
    assert f"imported {len(units)} units from foreign_units.shp" in printed
    written = re.search(
        r"imported (\d+) clauses of \d+ units from foreign_附表1.xlsx \((\d+) written, 0 unreadable", printed
    )
    assert written and written.group(1) == written.group(2), printed
    # the imported scheme screens like the original: a published table carries no industry codes, the importer
    # infers them from the clauses' wording (炼焦 → C2520), so the coking project XM-005 fails against both
    own = re.search(
        r"screening of \d+ proposed projects: (fail \d+, conditional \d+, need_info \d+, pass \d+)", printed
    )
    foreign = re.search(
        r"screening against the imported scheme: (fail \d+, conditional \d+, need_info \d+, pass \d+)", printed
    )
    assert own and foreign and own.group(1) == foreign.group(1), printed
    own_verdicts = {v["PROJ_ID"]: v["VERDICT"] for v in features(tmp_path / "projects_verdicts.gpkg")}
    foreign_verdicts = {v["PROJ_ID"]: v for v in features(tmp_path / "foreign" / "foreign_verdicts.gpkg")}
    assert {k: v["VERDICT"] for k, v in foreign_verdicts.items()} == own_verdicts
    assert foreign_verdicts["XM-005"]["VERDICT"] == "fail" and "C2520" in foreign_verdicts["XM-005"]["REASONS"]
    assert re.search(r"C-230100-\d{3}", foreign_verdicts["XM-005"]["REASONS"])  # the inferred (lifted) clause


def test_demo_on_the_messy_sample_leaves_no_coverage_fault(tmp_path, qgis_env_sh):
    run_demo(qgis_env_sh, tmp_path, "--messy")
    issues = features(tmp_path / "issues.gpkg")
    kinds = {i["KIND"] for i in issues}
    assert not kinds & {"gap", "overlap", "crosses_county", "invalid_geometry", "bad_code", "duplicate_code"}, issues
    actions = set()
    for report in tmp_path.glob("zones_*_report.csv"):
        with open(report, encoding="utf-8") as handle:
            actions |= {row["ACTION"] for row in csv.DictReader(handle)}
    assert {"repaired", "duplicate", "empty", "clipped"} <= actions
