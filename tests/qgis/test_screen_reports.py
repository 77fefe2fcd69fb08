"""The reports of ecozoning:screenprojects as a reviewer reads them: the PDF's pages (text positions from
pdftotext -bbox, pixels from pdftoppm), the map's layout items, the Word file, the batch index and summary,
report numbers and supersession, and the reviewer's decisions (refused without a reason, kept across re-runs)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess  # nosec B404 - poppler's tools, as a reviewer's PDF reader
import time
from pathlib import Path

import pytest
import shapely
from docx import Document
from openpyxl import load_workbook
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsField,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from test_screen_algorithm import LIBRARY, PROJECTS, params, rows

from ecozoning.core.report import Decision
from ecozoning.processing.adapter import to_qgs
from ecozoning.processing.decision_store import append_decision, read_decisions

MM = 72 / 25.4


def pdf_pages(path: Path) -> list[dict]:
    """[{'width', 'height', 'words': [(xmin, ymin, xmax, ymax, text)]}] as pdftotext -bbox reports them (points)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True).stdout  # nosec
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', match.group(3)
            )
        ]
        pages.append({"width": float(match.group(1)), "height": float(match.group(2)), "words": words})
    return pages


def page_text(page) -> str:
    return "".join(w[4] for w in page["words"])


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout  # nosec


def lines_of(page) -> list[float]:
    return sorted({round(w[1], 0) for w in page["words"]})


@pytest.fixture(scope="module")
def batch(sample_processing, sample_chain, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    decisions = out / "decisions.gpkg"
    append_decision(
        str(decisions),
        Decision("XM-005", "conditional", "企业承诺焦炉整体搬迁入园，限期落实", "张三", "2026-12-01T09:30:00"),
    )
    result = sample_processing.run(
        "ecozoning:screenprojects",
        params(
            "projects",
            sample_chain,
            out,
            REPORT_FOLDER=str(out / "reports"),
            DECISIONS=f"{decisions}|layername=decisions",
        ),
    )
    return out, result


def test_page_one_holds_the_verdict_every_reason_and_the_decision(batch):
    out, _ = batch
    verdicts = {r["PROJ_ID"]: r for r in rows(out / "projects_verdicts.gpkg")}
    for pid, row in verdicts.items():
        pages = pdf_pages(out / "reports" / row["REPORT_PDF"])
        first = page_text(pages[0])
        assert pid in first and row["REPORT_NO"] in first and row["VERDICT_ZH"] in first, pid
        # every reason of the verdict, in its Chinese part (the first words before the English)
        for reason in row["REASONS"].split("；"):
            if reason.startswith("["):
                continue
            chinese = re.match(r"[^A-Za-z]+", reason).group(0).strip().split("：")[0]
            assert chinese.replace(" ", "") in first, (pid, chinese)
        # no blank gap between the header and the next steps: the lines follow each other
        lines = lines_of(pages[0])
        body = [y for y in lines if y < pages[0]["height"] - 20 * MM]  # above the footer
        gaps = [b - a for a, b in zip(body, body[1:])]
        assert max(gaps) < 18 * MM, (pid, max(gaps) / MM)
    xm5 = page_text(pdf_pages(out / "reports" / verdicts["XM-005"]["REPORT_PDF"])[0])
    assert "审查意见" in xm5 and "受限准入" in xm5 and "企业承诺焦炉整体搬迁入园" in xm5 and "张三" in xm5
    assert verdicts["XM-005"]["VERDICT"] == "fail" and verdicts["XM-005"]["DECISION"] == "conditional"
    assert verdicts["XM-005"]["DEC_REASON"].startswith("企业承诺") and verdicts["XM-005"]["REVIEWER"] == "张三"


def test_codes_are_searchable_and_tables_fit_the_page_in_real_point_sizes(batch):
    out, _ = batch
    overlaps = [o for o in rows(out / "projects_overlaps.gpkg") if o["PROJ_ID"] == "XM-005"]
    pdf = out / "reports" / "XM-005.pdf"
    text = pdf_text(pdf)
    assert text.count("ZH2301") >= 2 and "XM-005" in text and "P-SL-005" in text and "C2520" in text
    for overlap in overlaps:
        assert overlap["CODE"] in text.replace("\n", "")
    assert "⽬" not in text and "项目" in text  # 目, not the Kangxi radical: what a reader searches for
    for page in pdf_pages(pdf):
        for xmin, _, xmax, _, word in page["words"]:
            assert xmin >= 17 * MM and xmax <= page["width"] - 17 * MM, f"'{word}' runs out of the table/page"
        cells = [w for w in page["words"] if re.fullmatch(r"ZH\d{11,12}", w[4])]
        for _, ymin, _, ymax, word in cells:
            assert ymax - ymin >= 9.0, f"{word} set in {ymax - ymin:.1f} pt"  # tables at ~9.5 pt, not 7


def test_the_map_page_shows_a_map(batch):
    out, _ = batch
    pdf = out / "reports" / "XM-005.pdf"
    pages = pdf_pages(pdf)
    map_page = next(n for n, page in enumerate(pages) if "项目位置" in page_text(page))
    assert map_page == 1  # right after page 1
    listed = subprocess.run(  # nosec
        ["pdfimages", "-f", "2", "-l", "2", "-list", str(pdf)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert listed and max(int(line.split()[3]) for line in listed) >= 1000  # the map, at print resolution
    from PIL import Image

    image = Image.open(out / "reports" / "XM-005.png").convert("RGB")
    image.thumbnail((600, 600))
    pixels = list(image.getdata())
    coloured = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 30)
    red = sum(1 for r, g, b in pixels if r > 180 and g < 60 and b < 60)
    assert coloured > 0.5 * len(pixels) and red > 20  # units in class colours, the footprint's red outline


def test_report_map_layout_items(batch, sample_chain):
    from ecozoning.core.lists import load_library
    from ecozoning.core.screening import Index, load_rules, screen_project
    from ecozoning.core.taxonomy import load_taxonomy
    from ecozoning.processing.report_map import ReportMap
    from ecozoning.processing.screening_io import PreparedLayer, county_outlines, make_project, read_units

    units_layer = QgsVectorLayer(sample_chain["units"], "units", "ogr")
    projects = QgsVectorLayer(f"{PROJECTS}|layername=projects", "projects", "ogr")
    feature = next(projects.getFeatures("\"XMBH\" = 'XM-005'"))
    from ecozoning.processing.adapter import to_shapely

    data = read_units(PreparedLayer(units_layer))
    project = make_project("XM-005", to_shapely(feature.geometry()), "焦化", "C2520")
    result = screen_project(project, Index(data.targets), None, load_library(str(LIBRARY)), load_rules())
    report_map = ReportMap(result, data.targets, [], county_outlines(data.targets), data.county_names, load_taxonomy())
    for item_id in ("main_map", "overview_map", "legend", "scale_bar", "north_arrow"):
        assert report_map.item(item_id) is not None, item_id
    main = report_map.item("main_map")
    assert main.grids().size() == 1 and main.grids().grid(0).annotationEnabled()
    names = [layer.name() for layer in main.layers()]
    assert names[0] == "项目范围" and "环境管控单元" in names and "县级行政区界" in names
    assert report_map.item("overview_map").overviews().overview(0).linkedMap() is main
    assert report_map.item("scale_bar").linkedMap() is main
    assert main.extent().contains(main.extent()) and main.scale() < 200000  # a site map, not the province
    assert report_map.units.labelsEnabled() and report_map.units.labeling().settings().fieldName == "HJGKDYBM"
    codes = {f["HJGKDYBM"] for f in report_map.units.getFeatures()}
    assert {h.target.code for h in result.unit_hits} <= codes and len(codes) > len(result.unit_hits)  # neighbours too
    del report_map


def test_word_report_holds_every_clause_row(batch):
    out, _ = batch
    clauses = [c for c in rows(out / "projects_clauses.csv") if c["PROJ_ID"] == "XM-005"]
    document = Document(str(out / "reports" / "XM-005.docx"))
    table_rows = {
        (row.cells[0].text, row.cells[4].text) for table in document.tables for row in table.rows if len(row.cells) == 7
    }
    assert {(c["CLAUSE_ID"], c["UNIT_CODE"]) for c in clauses} <= table_rows
    text = "\n".join(p.text for p in document.paragraphs)
    assert "“三线一单”符合性分析" in text and "根据黑龙江省生态环境准入清单（示例）" in text
    assert len(document.inline_shapes) == 1  # the map


def test_index_and_summary_list_every_project_with_links(batch):
    out, result = batch
    verdicts = rows(out / "projects_verdicts.gpkg")
    page = (out / "reports" / "index.html").read_text(encoding="utf-8")
    sheet = load_workbook(out / "reports" / "summary.xlsx")["研判汇总"]
    listed = {sheet.cell(n, 1).value: n for n in range(2, sheet.max_row + 1)}
    assert set(listed) == {r["PROJ_ID"] for r in verdicts} and result["PROJECT_COUNT"] == len(listed)
    for row in verdicts:
        assert f"href='{row['REPORT_PDF']}'" in page and f"href='{row['REPORT_DOC']}'" in page
        assert (out / "reports" / row["REPORT_PDF"]).exists() and (out / "reports" / row["REPORT_DOC"]).exists()
        line = listed[row["PROJ_ID"]]
        assert (
            sheet.cell(line, 9).value == row["REPORT_NO"] and sheet.cell(line, 11).hyperlink.target == row["REPORT_PDF"]
        )
    assert sheet.cell(listed["XM-005"], 6).value == "受限准入"


def odd_projects(units_path) -> QgsVectorLayer:
    """Four projects whose ids share one file name or the index page's name."""
    units = QgsVectorLayer(units_path, "units", "ogr")
    centre = next(units.getFeatures()).geometry().pointOnSurface().asPoint()
    layer = QgsVectorLayer("Polygon?crs=EPSG:4490", "odd", "memory")
    assert layer.dataProvider().addAttributes([QgsField("XMBH", QVariant.String)])  # noqa: QGS402 - 3.22 test data
    layer.updateFields()
    features = []
    for n, pid in enumerate(("XM/001", "XM 001", "XM:001", "index")):
        feature = QgsFeature(layer.fields())
        feature["XMBH"] = pid
        x, y = centre.x() + n * 1e-4, centre.y()
        feature.setGeometry(to_qgs(shapely.box(x, y, x + 5e-4, y + 5e-4)))
        features.append(feature)
    ok, _ = layer.dataProvider().addFeatures(features)
    assert ok
    return layer


def test_ids_sharing_a_file_name_and_a_project_called_index(sample_processing, sample_chain, tmp_path):
    layer = odd_projects(sample_chain["units"])
    assert QgsProject.instance().addMapLayer(layer) is not None
    try:
        sample_processing.run(
            "ecozoning:screenprojects",
            {
                "PROJECTS": layer.id(),
                "ID_FIELD": "XMBH",
                "UNITS": sample_chain["units"],
                "LIBRARY": str(LIBRARY),
                "VERDICTS": str(tmp_path / "v.gpkg"),
                "REPORT_FOLDER": str(tmp_path / "reports"),
            },
        )
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    verdicts = rows(tmp_path / "v.gpkg")
    files = {r["PROJ_ID"]: r["REPORT_PDF"] for r in verdicts}
    assert len(set(files.values())) == 4 and "index.pdf" not in files.values()
    for pid, name in files.items():
        assert pid.replace(" ", "") in page_text(pdf_pages(tmp_path / "reports" / name)[0])
    assert "环境准入研判汇总" in (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")


def test_same_inputs_same_number_and_a_new_scheme_supersedes(sample_processing, sample_chain, tmp_path):
    library = tmp_path / "library"
    shutil.copytree(LIBRARY, library)
    run = {"LIBRARY": str(library), "REPORT_FOLDER": str(tmp_path / "reports")}
    sample_processing.run("ecozoning:screenprojects", params("projects", sample_chain, tmp_path, **run))
    first = {r["PROJ_ID"]: r["REPORT_NO"] for r in rows(tmp_path / "projects_verdicts.gpkg")}
    sample_processing.run("ecozoning:screenprojects", params("projects", sample_chain, tmp_path, **run))
    assert {r["PROJ_ID"]: r["REPORT_NO"] for r in rows(tmp_path / "projects_verdicts.gpkg")} == first
    assert not (tmp_path / "reports" / "superseded").exists()  # the same report: nothing superseded

    meta = library / "library.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("version: 2024-sample", "version: 2025-r1"), "utf-8")
    sample_processing.run("ecozoning:screenprojects", params("projects", sample_chain, tmp_path, **run))
    second = {r["PROJ_ID"]: r["REPORT_NO"] for r in rows(tmp_path / "projects_verdicts.gpkg")}
    assert all(second[pid] != first[pid] and second[pid].startswith("2025-r1-") for pid in first)
    text = pdf_text(tmp_path / "reports" / "XM-005.pdf")
    assert f"本报告替代 {first['XM-005']}" in text.replace("\n", "") and "方案版本由 2024-sample 更新为 2025-r1" in text
    assert (tmp_path / "reports" / "superseded" / first["XM-005"] / "XM-005.pdf").exists()


def test_decisions_are_kept_across_re_runs_and_never_overwritten(sample_processing, sample_chain, tmp_path):
    decisions = tmp_path / "decisions.gpkg"
    append_decision(
        str(decisions), Decision("XM-003", "fail", "现场核查发现位于饮用水水源地上游", "李四", "2026-12-01")
    )
    source = f"{decisions}|layername=decisions"
    for _ in range(2):
        sample_processing.run("ecozoning:screenprojects", params("projects", sample_chain, tmp_path, DECISIONS=source))
        verdicts = {r["PROJ_ID"]: r for r in rows(tmp_path / "projects_verdicts.gpkg")}
        assert verdicts["XM-003"]["VERDICT"] == "pass" and verdicts["XM-003"]["DECISION"] == "fail"
        assert read_decisions(str(decisions))["XM-003"].reason == "现场核查发现位于饮用水水源地上游"
    with pytest.raises(QgsProcessingException, match="审查意见|is the input DECISIONS"):
        sample_processing.run(
            "ecozoning:screenprojects",
            params("projects", sample_chain, tmp_path, DECISIONS=source, VERDICTS=str(decisions)),
        )
    assert read_decisions(str(decisions))["XM-003"].decision == "fail"  # the file is still there, untouched


def test_a_decision_without_a_reason_is_refused(sample_processing, sample_chain, tmp_path):
    table = tmp_path / "decisions.csv"
    table.write_text("PROJ_ID,DECISION,REASON,REVIEWER,DATE\nXM-005,确认,,张三,2026-12-01\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="缺少理由"):
        sample_processing.run(
            "ecozoning:screenprojects", params("projects", sample_chain, tmp_path, DECISIONS=str(table))
        )


def test_screenprojects_runs_as_a_background_task(sample_processing, sample_chain, tmp_path):
    """As the toolbox runs it: QgsProcessingAlgRunnerTask on the task manager (processAlgorithm on a worker
    thread, reports drawn in postProcessAlgorithm on the main thread)."""
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("ecozoning:screenprojects")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    task = QgsProcessingAlgRunnerTask(
        algorithm,
        params("projects", sample_chain, tmp_path, REPORT_FOLDER=str(tmp_path / "reports")),
        context,
        feedback,
    )
    done = []
    task.executed.connect(lambda ok, results: done.append((ok, results)))
    QgsApplication.taskManager().addTask(task)
    deadline = time.monotonic() + 120
    while not done:
        QgsApplication.processEvents()
        assert time.monotonic() < deadline, "the task did not finish"
        time.sleep(0.02)
    ok, results = done[0]
    assert ok and results["PROJECT_COUNT"] == 9
    verdicts = {r["PROJ_ID"]: r for r in rows(tmp_path / "projects_verdicts.gpkg")}
    assert verdicts["XM-005"]["VERDICT"] == "fail"
    assert (tmp_path / "reports" / "XM-005.pdf").exists() and (tmp_path / "reports" / "index.html").exists()
