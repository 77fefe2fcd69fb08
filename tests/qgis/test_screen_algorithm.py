"""ecozoning:screenprojects on the sample projects: the verdict each sample project was placed to get, its
shares, clauses and reports; lines and enterprise points (enforcement leads); batch-style reuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject, QgsVectorLayer

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
PROJECTS = SAMPLE / "projects.gpkg"
LIBRARY = SAMPLE / "library"

# what each sample project was placed to show (scripts/make_sample_projects.py)
EXPECTED = {
    "XM-001": "fail",  # inside the red line
    "XM-002": "fail",  # chemical industry: the prefecture prohibits C26 along the Songhua
    "XM-003": "pass",
    "XM-004": "pass",
    "XM-005": "fail",  # coking, C25: prohibited by the province
    "XM-006": "need_info",  # no industry code while clauses filter by industry
    "XM-007": "need_info",  # half outside the prefecture
    "XM-009": "conditional",  # priority unit (general ecological space), no red line
}


def rows(path):
    layer = QgsVectorLayer(str(path), "rows", "ogr")
    assert QgsProject.instance().addMapLayer(layer, False) is not None
    names = layer.fields().names()
    out = [{n: f[n] for n in names} for f in layer.getFeatures()]
    QgsProject.instance().removeMapLayer(layer.id())
    return out


def params(layer, sample_chain, out, **extra):
    base = {
        "PROJECTS": f"{PROJECTS}|layername={layer}",
        "ID_FIELD": "XMBH",
        "NAME_FIELD": "XMMC",
        "INDUSTRY_FIELD": "HYDM",
        "UNITS": sample_chain["units"],
        "LIBRARY": str(LIBRARY),
        "ZONES": [sample_chain["zones"][n] for n in ("eco_redline", "water_zones", "parks", "urban")],
        "OVERLAPS": str(out / f"{layer}_overlaps.gpkg"),
        "ZONE_HITS": str(out / f"{layer}_zone_hits.gpkg"),
        "CLAUSES": str(out / f"{layer}_clauses.csv"),
        "VERDICTS": str(out / f"{layer}_verdicts.gpkg"),
    }
    base.update(extra)
    return base


@pytest.fixture(scope="module")
def screened(sample_processing, sample_chain, tmp_path_factory):
    out = tmp_path_factory.mktemp("screen")
    result = sample_processing.run(
        "ecozoning:screenprojects", params("projects", sample_chain, out, REPORT_FOLDER=str(out / "reports"))
    )
    return out, result


def test_each_sample_project_gets_its_verdict(screened):
    out, result = screened
    verdicts = {r["PROJ_ID"]: r for r in rows(out / "projects_verdicts.gpkg")}
    for pid, verdict in EXPECTED.items():
        assert verdicts[pid]["VERDICT"] == verdict, (pid, verdicts[pid]["REASONS"])
    assert "P-SL-005" in verdicts["XM-005"]["REASONS"] and "C2520" in verdicts["XM-005"]["REASONS"]
    assert verdicts["XM-007"]["OUTSIDE"] == pytest.approx(0.5, abs=0.2)
    assert result["FAIL_COUNT"] == sum(r["VERDICT"] == "fail" for r in verdicts.values())
    assert result["PROJECT_COUNT"] == len(verdicts)


def test_shares_add_up_and_areas_are_in_hectares_too(screened):
    out, _ = screened
    overlaps = rows(out / "projects_overlaps.gpkg")
    verdicts = {r["PROJ_ID"]: r for r in rows(out / "projects_verdicts.gpkg")}
    for pid, verdict in verdicts.items():
        shares = sum(o["SHARE_PROJ"] for o in overlaps if o["PROJ_ID"] == pid)
        if verdict["UNITS"]:
            assert shares + verdict["OUTSIDE"] == pytest.approx(1.0, abs=1e-4), pid
    for o in overlaps:
        assert o["AREA_HA"] == pytest.approx(o["AREA_M2"] / 10000, rel=1e-6)
        assert 0 < o["SHARE_UNIT"] <= 1


def test_clause_rows_carry_level_industry_match_and_an_empty_compliance_column(screened):
    out, _ = screened
    clauses = rows(out / "projects_clauses.csv")
    coke = [c for c in clauses if c["PROJ_ID"] == "XM-005"]
    p5 = next(c for c in coke if c["CLAUSE_ID"] == "P-SL-005")
    assert (
        p5["LEVEL"] == "province" and p5["LEVEL_ZH"] == "省级" and p5["IND_MATCH"] == "yes" and p5["KIND"] == "prohibit"
    )
    assert all(c["COMPLIANCE"] in ("", None) for c in clauses)
    assert {c["LEVEL"] for c in coke} >= {"province", "region", "city", "unit"}


def test_reports_are_written_for_every_project(screened):
    out, _ = screened
    reports = out / "reports"
    verdicts = rows(out / "projects_verdicts.gpkg")
    for row in verdicts:
        html = reports / row["REPORT"]
        assert html.exists(), row["PROJ_ID"]
        text = html.read_text(encoding="utf-8")
        assert row["PROJ_ID"] in text and "SHA-256" in text and "符合性" in text
        pdf = html.with_suffix(".pdf")
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert all(r["PROJ_ID"] in index for r in verdicts)


def test_linear_projects_are_measured_in_metres(sample_processing, sample_chain, tmp_path):
    sample_processing.run("ecozoning:screenprojects", params("linear_projects", sample_chain, tmp_path))
    overlaps = rows(tmp_path / "linear_projects_overlaps.gpkg")
    assert (
        overlaps
        and all(o["LENGTH_M"] > 0 and o["AREA_M2"] in (None,) for o in overlaps)
        or all(o["LENGTH_M"] > 0 for o in overlaps)
    )
    verdicts = {r["PROJ_ID"]: r["VERDICT"] for r in rows(tmp_path / "linear_projects_verdicts.gpkg")}
    assert verdicts["XL-001"] == "fail"  # crosses the red line


def test_enterprise_points_give_enforcement_leads_in_batch(sample_chain, sample_processing, tmp_path):
    """The toolbox's batch mode runs one algorithm instance per row: do the same through the Processing API."""
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("ecozoning:screenprojects")
    results = []
    for n, layer in enumerate(("enterprises", "projects")):
        (tmp_path / f"row{n}").mkdir()
        context = QgsProcessingContext()
        feedback = QgsProcessingFeedback()
        outputs, ok = algorithm.run(params(layer, sample_chain, tmp_path / f"row{n}", BUFFER=50), context, feedback)
        assert ok
        results.append(outputs)
    leads = {r["PROJ_ID"]: r["VERDICT"] for r in rows(tmp_path / "row0" / "enterprises_verdicts.gpkg")}
    assert leads["QY-001"] == "fail"  # coking plant in a general unit
    assert leads["QY-003"] == "fail"  # quarry in the red line
    assert results[1]["PROJECT_COUNT"] == 9
