"""The screening and export algorithms in the toolbox's batch mode, through the Processing API.

Emulates processing/gui/BatchAlgorithmDialog.runAlgorithm: one algorithm instance, several parameter rows run one
after the other, each with preprocessParameters() and a fresh context from dataobjects.createContext(), and a result
dictionary per row.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProcessingFeedback

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
PROJECTS = SAMPLE / "projects.gpkg"
LIBRARY = SAMPLE / "library"


def run_batch(algorithm_id: str, rows: list[dict]) -> list[tuple[bool, dict]]:
    from processing.tools import dataobjects

    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    assert algorithm is not None, algorithm_id
    feedback = QgsProcessingFeedback()
    outcomes = []
    for parameters in rows:
        parameters = algorithm.preprocessParameters(parameters)
        context = dataobjects.createContext(feedback)  # a new context for each row, as the batch dialog does
        ok, message = algorithm.checkParameterValues(parameters, context)
        assert ok, message
        results, ok = algorithm.run(parameters, context, feedback)
        outcomes.append((ok, results))
    return outcomes


def feature_count(path: str) -> int:
    with sqlite3.connect(path) as connection:
        (table,) = connection.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()
        return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def verdicts_of(path: str) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        (table,) = connection.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()
        return dict(connection.execute(f'SELECT PROJ_ID, VERDICT FROM "{table}"').fetchall())


@pytest.mark.parametrize("layers", [("projects", "linear_projects", "enterprises")])
def test_screenprojects_in_batch_mode(sample_processing, sample_chain, tmp_path, layers):
    zones = [sample_chain["zones"][name] for name in ("eco_redline", "water_zones", "parks", "urban")]
    rows = [
        {
            "PROJECTS": f"{PROJECTS}|layername={layer}",
            "ID_FIELD": "XMBH",
            "NAME_FIELD": "XMMC",
            "INDUSTRY_FIELD": "HYDM",
            "UNITS": sample_chain["units"],
            "LIBRARY": str(LIBRARY),
            "ZONES": zones,
            "OVERLAPS": str(tmp_path / f"{layer}_overlaps.gpkg"),
            "CLAUSES": str(tmp_path / f"{layer}_clauses.csv"),
            "VERDICTS": str(tmp_path / f"{layer}_verdicts.gpkg"),
        }
        for layer in layers
    ]
    expected_counts = {"projects": 9, "linear_projects": 2, "enterprises": 4}
    outcomes = run_batch("ecozoning:screenprojects", rows)
    assert len(outcomes) == len(rows)
    for layer, (ok, results) in zip(layers, outcomes):
        assert ok, f"row {layer} failed"
        assert results["VERDICTS"] == str(tmp_path / f"{layer}_verdicts.gpkg")
        assert int(results["PROJECT_COUNT"]) == expected_counts[layer]
        total = sum(int(results[f"{v}_COUNT"]) for v in ("FAIL", "CONDITIONAL", "NEED_INFO", "PASS"))
        assert total == expected_counts[layer], results
        assert feature_count(results["VERDICTS"]) == expected_counts[layer]
        assert Path(results["OVERLAPS"]).is_file() and Path(results["CLAUSES"]).is_file()
    # the row of proposed projects: the coke plant in the red line fails, as in the single run
    verdicts = verdicts_of(outcomes[0][1]["VERDICTS"])
    assert verdicts["XM-005"] == "fail" and verdicts["XM-003"] == "pass"


def test_exportlisttable_in_batch_mode(sample_processing, sample_chain, tmp_path):
    """Two rows: the same units into two folders (e.g. two review rounds); each row writes its own files."""
    rows = [
        {
            "UNITS": sample_chain["units"],
            "LIBRARY": str(LIBRARY),
            "OUTPUT_XLSX": str(tmp_path / f"round{n}" / "附表1.xlsx"),
            "OUTPUT": str(tmp_path / f"round{n}" / "list_texts.csv"),
        }
        for n in (1, 2)
    ]
    for row in rows:
        Path(row["OUTPUT"]).parent.mkdir()
    outcomes = run_batch("ecozoning:exportlisttable", rows)
    unit_count = feature_count(sample_chain["units"])
    for row, (ok, results) in zip(rows, outcomes):
        assert ok
        assert results["OUTPUT_XLSX"] == row["OUTPUT_XLSX"] and Path(row["OUTPUT_XLSX"]).stat().st_size > 1000
        assert Path(row["OUTPUT_XLSX"]).read_bytes()[:2] == b"PK"  # an xlsx is a zip
        assert int(results["UNIT_COUNT"]) == unit_count > 100
        with open(results["OUTPUT"], encoding="utf-8", newline="") as handle:
            table = list(csv.DictReader(handle))
        assert len(table) == unit_count and len({r["HJGKDYBM"] for r in table}) == unit_count
    first, second = (Path(r["OUTPUT"]).read_text(encoding="utf-8") for r in rows)
    assert first == second  # batch rows do not leak into each other
