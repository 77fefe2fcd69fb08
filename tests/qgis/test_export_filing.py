"""ecozoning:exportfiling on the sample: a complete package, byte-identical when exported twice, whose
contents a receiving department can open and check with GDAL and a spreadsheet program."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from osgeo import ogr
from qgis.core import QgsProcessingException

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
LIBRARY = SAMPLE / "library"


def params(sample_chain, output, **extra):
    base = {
        "UNITS": sample_chain["units"],
        "ZONES": list(sample_chain["zones"].values()),
        "LIBRARY": str(LIBRARY),
        "ADMIN": f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties",
        "COUNTY_FIELD": "COUNTY",
        "CITY_FIELD": "CITY",
        "PROV_FIELD": "PROV",
        "PRODUCER": "哈尔滨市生态环境局（示例）",
        "SCHEME_LEVEL": "city",
        "REGION_CODE": "230100",
        "VERSION": "2024",
        "UPDATE_TYPE": "initial",
        "APPROVAL_DOC": "示例〔2024〕1号",
        "DATE": "2024-06-29",
        "SHP_ENCODING": "GBK",
        "OUTPUT": str(output),
    }
    base.update(extra)
    return base


@pytest.fixture(scope="module")
def package(sample_processing, sample_chain, tmp_path_factory):
    folder = tmp_path_factory.mktemp("filing")
    first, second = folder / "a.zip", folder / "b.zip"
    result = sample_processing.run("ecozoning:exportfiling", params(sample_chain, first))
    sample_processing.run("ecozoning:exportfiling", params(sample_chain, second))
    extracted = folder / "x"
    with zipfile.ZipFile(first) as archive:
        archive.extractall(extracted)
    return {"first": first, "second": second, "dir": extracted, "result": result}


def test_same_inputs_and_date_give_the_same_bytes(package):
    assert package["first"].read_bytes() == package["second"].read_bytes()


def test_manifest_lists_every_file_with_its_hash_and_size(package):
    folder = package["dir"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    assert listed == on_disk
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
    for required in ("data/units.gpkg", "data/units.shp", "data/units.prj", "data/units.cpg", "data/zones.gpkg", "maps/units.pdf",
                     "maps/units.png", "tables/附表1_环境管控单元准入清单.xlsx", "tables/statistics.xlsx", "tables/statistics.csv",
                     "metadata.json", "validation.html"):  # fmt: skip
        assert required in listed


def test_units_open_with_gdal_in_cgcs2000_with_list_texts(package, sample_chain):
    source = ogr.Open(str(package["dir"] / "data" / "units.gpkg"))
    layer = source.GetLayer("units")
    assert layer.GetSpatialRef().GetAuthorityCode(None) == "4490"
    original_source = ogr.Open(sample_chain["units"])  # OGR layers die with their data source: keep it
    original = original_source.GetLayer(0)
    assert layer.GetFeatureCount() == original.GetFeatureCount() == package["result"]["UNIT_COUNT"]
    red = next(f for f in layer if f.GetField("GKDYLX") == "eco_redline")
    assert red.GetField("KJBJYS").startswith("1. 禁止在生态保护红线内")
    shp = ogr.Open(str(package["dir"] / "data" / "units.shp"))
    shp_layer = shp.GetLayer(0)
    assert shp_layer.GetFeatureCount() == layer.GetFeatureCount()
    assert (package["dir"] / "data" / "units.cpg").read_text() == "GBK"
    from qgis.core import QgsVectorLayer

    qgis_layer = QgsVectorLayer(str(package["dir"] / "data" / "units.shp"), "units", "ogr")  # as a user opens it
    names = {f["HJGKDYMC"] for f in qgis_layer.getFeatures()}
    assert any("优先保护单元" in n for n in names)  # GBK text reads back as Chinese


def test_gbk_shapefile_holds_gbk_bytes(package):
    """The bytes, not what a reader makes of them: GDAL under QGIS ignores ENCODING unless SHAPE_ENCODING says so."""
    raw = (package["dir"] / "data" / "units.dbf").read_bytes()
    assert "优先保护单元".encode("gbk") in raw
    assert "优先保护单元".encode() not in raw


def test_every_text_of_the_map_pdf_is_in_the_one_pinned_font(package):
    """Two runs give the same zip only if no text falls back to a font Qt picks per process."""
    import subprocess

    listing = subprocess.run(
        ["pdffonts", str(package["dir"] / "maps" / "units.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = {line.split()[0].split("+")[-1] for line in listing if line.strip()}
    if not fonts:  # QGIS 3.40+ draws the layout's text as outlines here: no font a process could pick
        from qgis.core import Qgis

        assert Qgis.QGIS_VERSION_INT >= 34000, "the map PDF holds no text at all"
        return
    assert all(name.startswith("NotoSansCJK") for name in fonts), fonts
    assert len({name.split("-")[0] for name in fonts}) == 1, fonts  # one face: sc, not jp in one run and sc in another


def test_tables_and_statistics_add_up(package, sample_chain):
    source = ogr.Open(sample_chain["units"])
    units = [f for f in source.GetLayer(0)]
    table = load_workbook(package["dir"] / "tables" / "附表1_环境管控单元准入清单.xlsx").worksheets[0]
    assert table.max_row == len(units) + 1
    rows = list(csv.reader(io.StringIO((package["dir"] / "tables" / "statistics.csv").read_text(encoding="utf-8-sig"))))
    total = next(r for r in rows if r and r[0] == "total" and r[3].startswith("合计"))
    assert int(total[4]) == len(units)
    assert float(total[5]) == pytest.approx(sum(f.GetField("MJ") for f in units), rel=1e-6)
    county_totals = sum(float(r[5]) for r in rows if r and r[0] == "county" and r[3].startswith("合计"))
    assert county_totals == pytest.approx(float(total[5]), rel=1e-9)
    metadata = json.loads((package["dir"] / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["crs"] == "EPSG:4490" and metadata["date"] == "2024-06-29" and metadata["update_type"] == "initial"
    assert metadata["areas_km2"]["total"] == pytest.approx(float(total[5]), rel=1e-9)
    assert (package["dir"] / "maps" / "units.pdf").read_bytes()[:5] == b"%PDF-"


def test_an_existing_package_is_only_replaced_with_overwrite(sample_processing, sample_chain, package):
    before = package["first"].read_bytes()
    with pytest.raises(QgsProcessingException, match="OVERWRITE"):
        sample_processing.run("ecozoning:exportfiling", params(sample_chain, package["first"], DATE="2024-07-01"))
    assert package["first"].read_bytes() == before
    with pytest.raises(QgsProcessingException, match="DATE must look like"):
        sample_processing.run(
            "ecozoning:exportfiling", params(sample_chain, package["first"].with_name("c.zip"), DATE="29/06/2024")
        )
    assert not package["first"].with_name("c.zip").exists()


def test_with_a_previous_version_the_package_explains_the_update(sample_processing, sample_chain, tmp_path):
    output = tmp_path / "update.zip"
    sample_processing.run(
        "ecozoning:exportfiling",
        params(
            sample_chain, output, UPDATE_TYPE="dynamic", PREVIOUS=sample_chain["units"], PREVIOUS_LIBRARY=str(LIBRARY)
        ),
    )
    with zipfile.ZipFile(output) as archive:
        names = set(archive.namelist())
        assert {"comparison/更新说明.html", "comparison/unit_changes.csv", "comparison/transitions.csv"} <= names
        changes = list(csv.DictReader(io.StringIO(archive.read("comparison/unit_changes.csv").decode("utf-8-sig"))))
        metadata = json.loads(archive.read("metadata.json"))
    assert changes and all(row["status"] == "unchanged" for row in changes)  # the same units: nothing changed
    assert metadata["update_type"] == "dynamic" and "comparison/更新说明.html" in metadata["comparison"]


def test_the_receiving_department_finds_the_package_sound_and_sees_tampering(sample_processing, package, tmp_path):
    clean = sample_processing.run(
        "ecozoning:checkfiling", {"PACKAGE": str(package["first"]), "ISSUES": str(tmp_path / "clean.csv")}
    )
    assert clean["ISSUE_COUNT"] == 0, (tmp_path / "clean.csv").read_text(encoding="utf-8")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(package["first"]) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "tables/statistics.csv":
                data = data.replace(b"county", b"County", 1)
            target.writestr(info, data)
    result = sample_processing.run(
        "ecozoning:checkfiling", {"PACKAGE": str(tampered), "ISSUES": str(tmp_path / "t.csv")}
    )
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert (
        result["ISSUE_COUNT"] == 1 and rows[0]["KIND"] == "hash_mismatch" and rows[0]["FILE"] == "tables/statistics.csv"
    )
