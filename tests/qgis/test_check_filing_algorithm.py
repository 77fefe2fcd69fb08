"""ecozoning:checkfiling on a small package built here, file by file, in the fixed filing format: a clean
package passes; one changed byte, one duplicated code, one moved unit and one row removed from 附表1 are each
reported; a zip with a '../' entry is refused with a clear message and nothing written outside."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
import shapely
from osgeo import ogr, osr
from qgis.core import QgsApplication, QgsProcessingException
from shapely import affinity
from shapely.geometry import MultiPolygon, box

import ecozoning
from ecozoning.core.filing_check import FILING_KINDS, LIST_TABLE
from ecozoning.core.projection import area_m2
from ecozoning.processing.algorithms.check_filing import CheckFiling

ALG = "ecozoning:checkfiling"
COUNTIES = [
    ("230102", "道里区", box(126.0, 45.0, 126.1, 45.1)),
    ("230103", "南岗区", box(126.1, 45.0, 126.2, 45.1)),
]
# two units per county; the second county has two key-control (class 2) units, so a code can be duplicated
# without also breaking the class digit
UNITS = [
    ("ZH23010210001", "道里区优先保护单元", 1, "230102", box(126.0, 45.0, 126.05, 45.1)),
    ("ZH23010230001", "道里区一般管控单元", 3, "230102", box(126.05, 45.0, 126.1, 45.1)),
    ("ZH23010320001", "南岗区城镇重点管控单元", 2, "230103", box(126.1, 45.0, 126.15, 45.1)),
    ("ZH23010320002", "南岗区产业重点管控单元", 2, "230103", box(126.15, 45.0, 126.2, 45.1)),
]
UNIT_FIELDS = [
    ("HJGKDYBM", ogr.OFTString), ("HJGKDYMC", ogr.OFTString), ("ZHGKDYFL", ogr.OFTInteger),
    ("GKDYLX", ogr.OFTString), ("XZQDM", ogr.OFTString), ("PROV", ogr.OFTString), ("CITY", ogr.OFTString),
    ("COUNTY", ogr.OFTString), ("MJ", ogr.OFTReal), ("YSBM", ogr.OFTString), ("BBH", ogr.OFTString),
    ("KJBJYS", ogr.OFTString), ("PWWPFGK", ogr.OFTString), ("HJFXFK", ogr.OFTString), ("ZYLYXL", ogr.OFTString),
]  # fmt: skip
ZONE_FIELDS = [(name, ogr.OFTString) for name in ("YSBM", "YSMC", "HJYS", "YSXL", "GKFL", "XZQDM")]
ADMIN_FIELDS = [(name, ogr.OFTString) for name in ("XZQDM", "COUNTY", "CITY", "PROV")]
METADATA = {
    "producer": "哈尔滨市生态环境局",
    "scheme_level": "city",
    "region_code": "230100",
    "version": "2024.1",
    "update_type": "dynamic",
    "approval_doc": "哈环函〔2024〕8号",
    "date": "2024-06-30",
    "crs": "EPSG:4490",
    "counts": {"units": 4, "zones": 1},
    "areas_km2": {"total": 0.0},
    "tool": {"name": "EcoZoning", "version": "0.1.0"},
    "inputs_sha256": {"units": "0" * 64},
}


@pytest.fixture(scope="module")
def processing(qgis_processing):
    """qgis.processing with the provider loaded through classFactory; checkfiling added when the provider does not
    list it yet. Unloaded after the module."""
    plugin = ecozoning.classFactory(None)
    plugin.initProcessing()
    registry = QgsApplication.processingRegistry()
    if registry.algorithmById(ALG) is None:
        assert registry.providerById("ecozoning").addAlgorithm(CheckFiling())
    from qgis import processing as module

    yield module
    plugin.unload()
    gc.collect()


# --- building a package -----------------------------------------------------------------------------------------


def write_layer(path: Path, driver: str, layer: str, fields, rows, options=()) -> None:
    """rows: [(attrs, shapely polygon)] written as MultiPolygons in EPSG:4490 with GDAL."""
    source = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    assert source is not None, path
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    out = source.CreateLayer(layer, srs, ogr.wkbMultiPolygon, list(options))
    for name, kind in fields:
        assert out.CreateField(ogr.FieldDefn(name, kind)) == 0
    for attrs, geom in rows:
        feature = ogr.Feature(out.GetLayerDefn())
        for name, value in attrs.items():
            feature.SetField(name, value)
        multi = geom if geom.geom_type == "MultiPolygon" else MultiPolygon([geom])
        feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(multi)))
        assert out.CreateFeature(feature) == 0
    source = None  # closes and flushes the file


def unit_rows(units):
    rows = []
    for code, name, cls, county, geom in units:
        attrs = {
            "HJGKDYBM": code, "HJGKDYMC": name, "ZHGKDYFL": cls, "GKDYLX": "", "XZQDM": county, "PROV": "黑龙江省",
            "CITY": "哈尔滨市", "COUNTY": dict((c, n) for c, n, _ in COUNTIES)[county],
            "MJ": round(area_m2(geom) / 1e6, 6), "YSBM": "", "BBH": "2024.1", "KJBJYS": "1. 禁止新建化工项目",
            "PWWPFGK": "", "HJFXFK": "", "ZYLYXL": "",
        }  # fmt: skip
        rows.append((attrs, geom))
    return rows


def make_folder(folder: Path, units=UNITS, list_codes=None) -> Path:
    """Every file of a package except manifest.json."""
    data = folder / "data"
    data.mkdir(parents=True)
    zone = {
        "YSBM": "YS23010211001",
        "YSMC": "生态保护红线",
        "HJYS": "1",
        "YSXL": "st_hx",
        "GKFL": "1",
        "XZQDM": "230102",
    }
    zones = [(zone, box(126.0, 45.0, 126.05, 45.1))]
    write_layer(data / "units.gpkg", "GPKG", "units", UNIT_FIELDS, unit_rows(units))
    write_layer(data / "zones.gpkg", "GPKG", "zones", ZONE_FIELDS, zones)
    admin = [({"XZQDM": c, "COUNTY": n, "CITY": "哈尔滨市", "PROV": "黑龙江省"}, g) for c, n, g in COUNTIES]
    write_layer(data / "admin.gpkg", "GPKG", "admin", ADMIN_FIELDS, admin)
    shp = ["ENCODING=UTF-8"]  # writes the .cpg
    write_layer(data / "units.shp", "ESRI Shapefile", "units", UNIT_FIELDS, unit_rows(units), shp)
    write_layer(data / "zones.shp", "ESRI Shapefile", "zones", ZONE_FIELDS, zones, shp)
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert (data / f"units{ext}").is_file() and (data / f"zones{ext}").is_file(), ext

    from openpyxl import Workbook

    tables = folder / "tables"
    tables.mkdir()
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "环境管控单元编码", "环境管控单元名称", "地市", "区县", "管控单元分类"])
    codes = [u[0] for u in units] if list_codes is None else list_codes
    for n, code in enumerate(codes, start=1):
        sheet.append([n, code, f"单元{n}", "哈尔滨市", "", "优先保护单元"])
    book.save(folder / LIST_TABLE)
    Workbook().save(tables / "statistics.xlsx")
    (tables / "statistics.csv").write_text("XZQDM,ZHGKDYFL,COUNT,MJ\n", encoding="utf-8")
    (folder / "maps").mkdir()
    (folder / "maps" / "units.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "maps" / "units.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "metadata.json").write_text(json.dumps(METADATA, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "validation.html").write_text("<html><body>0 issues</body></html>", encoding="utf-8")
    return folder


def write_manifest(folder: Path) -> None:
    files = []
    for path in (p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"):
        data = path.read_bytes()
        files.append({"path": path.relative_to(folder).as_posix(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})  # fmt: skip
    files.sort(key=lambda entry: entry["path"])
    (folder / "manifest.json").write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")


def zip_folder(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(file, file.relative_to(folder).as_posix())
    return path


def build_package(tmp_path: Path, name="package", **kwargs) -> Path:
    folder = make_folder(tmp_path / name, **kwargs)
    write_manifest(folder)
    return zip_folder(folder, tmp_path / f"{name}.zip")


def check(processing, package: Path, out: Path):
    """(results, problem rows) of checkfiling on `package`."""
    out.mkdir(exist_ok=True)
    results = processing.run(
        ALG, {"PACKAGE": str(package), "ISSUES": str(out / "issues.csv"), "REPORT_HTML": str(out / "report.html")}
    )
    with open(results["ISSUES"], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert results["ISSUE_COUNT"] == len(rows)
    return results, rows


def kinds(rows) -> set:
    return {r["KIND"] for r in rows}


# --- tests --------------------------------------------------------------------------------------------------------


def scratch_folders() -> set:
    return {p.name for p in Path(tempfile.gettempdir()).glob("ecozoning-checkfiling-*")}


def test_a_clean_package_has_no_issues(processing, tmp_path):
    package = build_package(tmp_path)
    before = scratch_folders()
    results, rows = check(processing, package, tmp_path / "out")
    assert scratch_folders() == before, "the extraction folder is deleted after the check"
    assert rows == [] and results["ISSUE_COUNT"] == 0
    assert all(results[f"COUNT_{kind.upper()}"] == 0 for kind in FILING_KINDS)
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Passed" in report and "哈环函〔2024〕8号" in report


def test_one_changed_byte_is_a_hash_mismatch_naming_the_file(processing, tmp_path):
    folder = make_folder(tmp_path / "package")
    write_manifest(folder)
    pdf = folder / "maps" / "units.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"1.4", b"1.5"))  # same size, one byte changed
    results, rows = check(processing, zip_folder(folder, tmp_path / "package.zip"), tmp_path / "out")
    assert [(r["KIND"], r["FILE"]) for r in rows] == [("hash_mismatch", "maps/units.pdf")]
    assert results["COUNT_HASH_MISMATCH"] == 1
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "maps/units.pdf" in report and "Not ready to file: 1 errors" in report


def test_a_code_changed_in_the_package_to_a_duplicate_is_reported(processing, tmp_path):
    folder = make_folder(tmp_path / "package")
    write_manifest(folder)
    source = ogr.Open(str(folder / "data" / "units.gpkg"), 1)
    layer = source.GetLayer("units")
    for feature in layer:
        if feature.GetField("HJGKDYBM") == "ZH23010320002":
            feature.SetField("HJGKDYBM", "ZH23010320001")
            assert layer.SetFeature(feature) == 0
    layer = source = None
    results, rows = check(processing, zip_folder(folder, tmp_path / "package.zip"), tmp_path / "out")
    found = {(r["KIND"], r["FILE"], r["REF"]) for r in rows}
    assert ("duplicate_code", "data/units.gpkg", "ZH23010320001") in found
    assert ("hash_mismatch", "data/units.gpkg", "") in found  # the edit is seen by the manifest too
    assert ("list_without_unit", LIST_TABLE, "ZH23010320002") in found  # 附表1 still has the old code
    assert ("shp_mismatch", "data/units.shp", "") in found  # and so has the Shapefile copy
    assert kinds(rows) == {"duplicate_code", "hash_mismatch", "list_without_unit", "shp_mismatch"}


def test_a_moved_unit_leaves_a_gap(processing, tmp_path):
    code, name, cls, county, geom = UNITS[0]
    moved = [(code, name, cls, county, affinity.translate(geom, yoff=0.01)), *UNITS[1:]]
    results, rows = check(processing, build_package(tmp_path, units=moved), tmp_path / "out")
    gaps = [r for r in rows if r["KIND"] == "gap"]
    assert len(gaps) == 1 and gaps[0]["REF"] == "230102" and gaps[0]["FILE"] == "data/units.gpkg"
    assert "covered by no unit" in gaps[0]["MESSAGE"]
    assert results["COUNT_GAP"] == 1
    assert kinds(rows) <= {"gap", "outside_admin", "crosses_county", "area_mismatch"}


def test_a_unit_removed_from_the_list_table_is_reported(processing, tmp_path):
    codes = [u[0] for u in UNITS]
    results, rows = check(processing, build_package(tmp_path, list_codes=codes[:2] + codes[3:]), tmp_path / "out")
    assert [(r["KIND"], r["FILE"], r["REF"]) for r in rows] == [("not_in_list", LIST_TABLE, codes[2])]
    assert results["COUNT_NOT_IN_LIST"] == 1


def test_bad_metadata_and_extra_files_are_reported(processing, tmp_path):
    folder = make_folder(tmp_path / "package")
    meta = dict(METADATA, date="30/06/2024", update_type="yearly")
    del meta["producer"]
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    write_manifest(folder)
    (folder / "maps" / "extra.png").write_bytes(b"x")
    results, rows = check(processing, zip_folder(folder, tmp_path / "package.zip"), tmp_path / "out")
    assert {(r["KIND"], r["REF"] or r["FILE"]) for r in rows} == {
        ("metadata_missing", "producer"),
        ("metadata_invalid", "date"),
        ("metadata_invalid", "update_type"),
        ("extra_file", "maps/extra.png"),
    }


def test_a_zip_slip_archive_is_refused(processing, tmp_path):
    folder = make_folder(tmp_path / "package")
    write_manifest(folder)
    (tmp_path / "work").mkdir()
    evil = zip_folder(folder, tmp_path / "work" / "evil.zip")
    with zipfile.ZipFile(evil, "a") as archive:
        archive.writestr("../evil.txt", b"outside")
        archive.writestr("../../evil.txt", b"outside")
    outside = Path(tempfile.gettempdir()) / "evil.txt"  # where '../evil.txt' of the extraction folder would go
    assert not outside.exists()
    before = scratch_folders()
    with pytest.raises(QgsProcessingException) as excinfo:
        processing.run(ALG, {"PACKAGE": str(evil), "ISSUES": str(tmp_path / "issues.csv")})
    message = str(excinfo.value)
    assert "refused" in message and "'../evil.txt'" in message and "'..'" in message, message
    assert not outside.exists() and scratch_folders() == before
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "work" / "evil.txt").exists()
    assert not (tmp_path.parent / "evil.txt").exists()
