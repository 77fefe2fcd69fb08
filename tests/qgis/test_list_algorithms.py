"""Admission-list algorithms on the sample: the clean sample library fits the sample's units exactly, a
tampered copy is reported file by file and line by line, and the 附表1 export holds every unit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from qgis.core import QgsProject, QgsVectorLayer

from ecozoning.core.list_table import UNIT_SHEET

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
LIBRARY = SAMPLE / "library"


@pytest.fixture(scope="module")
def processing(sample_processing):
    return sample_processing


@pytest.fixture(scope="module")
def units(sample_chain):
    return sample_chain["units"]


def rows(layer_path: str) -> list[dict]:
    layer = QgsVectorLayer(layer_path, "t", "ogr")
    assert QgsProject.instance().addMapLayer(layer, False) is not None
    names = layer.fields().names()
    result = [{n: f[n] for n in names} for f in layer.getFeatures()]
    QgsProject.instance().removeMapLayer(layer.id())
    return result


def test_sample_library_fits_the_sample_units(processing, units, tmp_path):
    result = processing.run(
        "ecozoning:checklists", {"UNITS": units, "LIBRARY": str(LIBRARY), "ISSUES": str(tmp_path / "issues.csv")}
    )
    assert result["ISSUE_COUNT"] == 0, rows(result["ISSUES"])
    assert rows(result["ISSUES"]) == []


def test_problems_are_reported_with_file_line_and_reference(processing, units, tmp_path):
    library = tmp_path / "library"
    shutil.copytree(LIBRARY, library)
    city = library / "cities" / "230100.yaml"
    text = city.read_text(encoding="utf-8")
    city.write_text(
        text.replace("id: C-230100-002", "id: C-230100-001").replace("dimension: risk_prevention", "dimension: risk"),
        encoding="utf-8",
    )
    unit_file = library / "units" / "230100.yaml"
    data = yaml.safe_load(unit_file.read_text(encoding="utf-8"))
    removed = sorted(k for k in data if k != "level")[0]
    del data[removed]
    data["ZH23019910001"] = {
        "clauses": [{"id": "U-X", "dimension": "spatial_layout", "kind": "require", "text": "不存在的单元"}]
    }
    unit_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = processing.run(
        "ecozoning:checklists", {"UNITS": units, "LIBRARY": str(library), "ISSUES": str(tmp_path / "issues.csv")}
    )
    problems = rows(result["ISSUES"])
    by_kind = {p["KIND"]: p for p in problems}
    lines = text.splitlines()
    duplicate = by_kind["duplicate_id"]
    assert duplicate["FILE"] == "cities/230100.yaml" and duplicate["REF"] == "C-230100-001"
    assert "C-230100-002" in lines[int(duplicate["LINE"]) - 1]  # the line of the clause that now repeats the id
    assert by_kind["unknown_dimension"]["FILE"] == "cities/230100.yaml"
    assert by_kind["unit_not_in_layer"]["REF"] == "ZH23019910001"
    assert by_kind["unit_without_list"]["REF"] == removed
    assert result["ERROR_COUNT"] >= 3 and result["WARNING_COUNT"] >= 1


def test_list_table_export_has_every_unit(processing, units, tmp_path):
    xlsx = tmp_path / "附表1.xlsx"
    result = processing.run(
        "ecozoning:exportlisttable",
        {"UNITS": units, "LIBRARY": str(LIBRARY), "OUTPUT_XLSX": str(xlsx), "OUTPUT": str(tmp_path / "texts.csv")},
    )
    unit_rows = rows(units)
    assert result["UNIT_COUNT"] == len(unit_rows)
    sheet = list(load_workbook(xlsx)[UNIT_SHEET].iter_rows(values_only=True))
    assert len(sheet) == len(unit_rows) + 1
    by_code = {row[1]: row for row in sheet[1:]}
    assert set(by_code) == {u["HJGKDYBM"] for u in unit_rows}
    red = next(u for u in unit_rows if u["GKDYLX"] == "eco_redline")
    layout = by_code[red["HJGKDYBM"]][6]
    assert layout.startswith("1. 禁止在生态保护红线内开展不符合功能定位的开发建设活动")
    assert "（省级 P-SL-001）" in layout and "限 C25 行业" in layout and f"U-{red['HJGKDYBM']}-01" in layout
    texts = {r["HJGKDYBM"]: r for r in rows(result["OUTPUT"])}
    assert set(texts) == set(by_code)
    assert texts[red["HJGKDYBM"]]["KJBJYS"] == layout
    general = next(u for u in unit_rows if u["ZHGKDYFL"] == 3)
    assert "P-SL-001" not in by_code[general["HJGKDYBM"]][6]  # red-line clause filtered by class
    assert "P-SL-004" not in by_code[general["HJGKDYBM"]][6]  # replaced by the prefecture's C-230100-001
    assert "C-230100-001" in by_code[general["HJGKDYBM"]][6]
