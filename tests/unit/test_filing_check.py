"""Filing-package checks without QGIS: hostile archives are refused before anything is written, the manifest
catches every changed, missing or extra file, metadata and codes are checked field by field, 附表1 matches
the units both ways, and coverage problems come from validate_units."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from shapely.geometry import box

from ecozoning.core.filing_check import (
    FILING_KINDS,
    KIND_LABELS,
    LIST_TABLE,
    MANIFEST,
    REQUIRED_FILES,
    PackageError,
    Problem,
    UnsafeArchiveError,
    check_codes,
    check_copy,
    check_coverage,
    check_fields,
    check_files,
    check_list_table,
    check_manifest,
    check_metadata,
    count_by_kind,
    load_metadata,
    report_html,
    safe_extract,
)
from ecozoning.core.projection import area_m2

GOOD_META = {
    "producer": "黑龙江省生态环境厅",
    "scheme_level": "city",
    "region_code": "230100",
    "version": "2024.1",
    "update_type": "dynamic",
    "approval_doc": "黑环函〔2024〕12号",
    "date": "2024-06-30",
    "crs": "EPSG:4490",
    "counts": {"units": 4},
    "areas_km2": {"total": 123.4},
    "tool": {"name": "EcoZoning", "version": "0.1.0"},
    "inputs_sha256": {"units": "a" * 64},
}


def kinds(problems):
    return {k: v for k, v in count_by_kind(problems).items() if v}


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# --- safe extraction ---------------------------------------------------------------------------------------


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


@pytest.fixture()
def sandbox(tmp_path):
    """(zip folder, extraction folder): the extraction folder sits inside a folder that must stay empty."""
    outer = tmp_path / "outer"
    dest = outer / "dest"
    outer.mkdir()
    return tmp_path, outer, dest


@pytest.mark.parametrize(
    ("bad_name", "why"),
    [
        ("../evil.txt", "'..'"),
        ("data/../../evil.txt", "'..'"),
        ("/abs/path", "absolute"),
        ("C:/windows/evil.txt", "drive letter"),
        ("..\\evil.txt", "'..'"),
        ("data/file.txt:stream", "':'"),
    ],
)
def test_hostile_paths_are_refused_before_anything_is_written(sandbox, bad_name, why):
    tmp_path, outer, dest = sandbox
    archive = make_zip(tmp_path / "evil.zip", [("metadata.json", b"{}"), (bad_name, b"pwned"), ("z.txt", b"z")])
    with pytest.raises(UnsafeArchiveError) as excinfo:
        safe_extract(str(archive), str(dest))
    message = str(excinfo.value)
    assert repr(bad_name) in message and why in message and "refused" in message
    assert tree(outer) == [], "nothing may be written, not even the safe entries before the bad one"
    assert not (tmp_path / "evil.txt").exists() and not Path("/abs/path").exists()


def test_a_symbolic_link_entry_is_refused(sandbox):
    tmp_path, outer, dest = sandbox
    link = zipfile.ZipInfo("data/units.gpkg")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip(tmp_path / "link.zip", [(link, b"/etc/passwd")])
    with pytest.raises(UnsafeArchiveError, match=r"'data/units.gpkg' is a symbolic link"):
        safe_extract(str(archive), str(dest))
    assert tree(outer) == []


def test_an_oversized_archive_is_refused_by_its_declared_size(sandbox):
    tmp_path, outer, dest = sandbox
    archive = make_zip(tmp_path / "big.zip", [("a.bin", b"\0" * 600), ("b.bin", b"\0" * 600)])
    with pytest.raises(UnsafeArchiveError, match=r"'b.bin' brings the uncompressed size to 1200 bytes.*1000"):
        safe_extract(str(archive), str(dest), max_total_bytes=1000)
    assert tree(outer) == []
    assert safe_extract(str(archive), str(dest), max_total_bytes=1200) == ["a.bin", "b.bin"]


def test_too_many_entries_and_duplicate_names_are_refused(sandbox):
    tmp_path, outer, dest = sandbox
    many = make_zip(tmp_path / "many.zip", [(f"f{n}.txt", b"x") for n in range(5)])
    with pytest.raises(UnsafeArchiveError, match="5 entries, more than the bound of 4"):
        safe_extract(str(many), str(dest), max_entries=4)
    with pytest.warns(UserWarning):  # zipfile warns about the duplicate name it is asked to write
        twice = make_zip(tmp_path / "twice.zip", [("a.txt", b"1"), ("A.txt", b"2"), ("a.txt", b"3")])
    with pytest.raises(UnsafeArchiveError, match="same file"):
        safe_extract(str(twice), str(dest))
    assert tree(outer) == []


def test_not_a_zip_is_a_clear_error(tmp_path):
    bogus = tmp_path / "package.zip"
    bogus.write_bytes(b"this is not a zip")
    with pytest.raises(PackageError, match="not a readable zip"):
        safe_extract(str(bogus), str(tmp_path / "out"))


def test_a_damaged_entry_is_a_clear_error_and_leaves_nothing(tmp_path):
    archive = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        out.writestr("a.txt", b"first file")
        out.writestr("b.txt", b"payload that will be damaged")
    archive.write_bytes(archive.read_bytes().replace(b"payload that", b"PAYLOAD that"))
    with pytest.raises(PackageError, match="damaged"):
        safe_extract(str(archive), str(tmp_path / "out"))
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []


def test_a_clean_archive_is_extracted_with_chinese_names(tmp_path):
    archive = make_zip(tmp_path / "ok.zip", [(LIST_TABLE, b"xlsx"), ("data/", b""), ("data/units.gpkg", b"g")])
    assert safe_extract(str(archive), str(tmp_path / "out")) == [LIST_TABLE, "data/units.gpkg"]
    assert (tmp_path / "out" / "tables" / "附表1_环境管控单元准入清单.xlsx").read_bytes() == b"xlsx"


# --- manifest ------------------------------------------------------------------------------------------------


def write_package_folder(folder: Path) -> Path:
    """Every required file (any bytes), metadata.json and a correct manifest.json."""
    for rel in REQUIRED_FILES:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel == "metadata.json":
            path.write_text(json.dumps(GOOD_META, ensure_ascii=False), encoding="utf-8")
        elif rel != MANIFEST:
            path.write_bytes(f"content of {rel}".encode())
    write_manifest(folder)
    return folder


def write_manifest(folder: Path) -> None:
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        data = path.read_bytes()
        files.append(
            {"path": path.relative_to(folder).as_posix(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        )
    files.sort(key=lambda f: f["path"])
    (folder / MANIFEST).write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")


def test_a_complete_package_folder_has_no_file_problems(tmp_path):
    folder = write_package_folder(tmp_path / "pkg")
    assert check_files(str(folder)) == []


def test_one_changed_byte_is_a_hash_mismatch_naming_the_file(tmp_path):
    folder = write_package_folder(tmp_path / "pkg")
    target = folder / "data" / "units.gpkg"
    data = bytearray(target.read_bytes())
    data[3] ^= 0x01
    target.write_bytes(bytes(data))
    problems = check_manifest(str(folder))
    assert problems == [problems[0]] and problems[0].kind == "hash_mismatch"
    assert problems[0].file == "data/units.gpkg" and "changed after export" in problems[0].message


def test_a_longer_file_is_a_size_and_hash_mismatch(tmp_path):
    folder = write_package_folder(tmp_path / "pkg")
    with open(folder / "maps" / "units.png", "ab") as handle:
        handle.write(b"!")
    assert {(p.kind, p.file) for p in check_manifest(str(folder))} == {
        ("size_mismatch", "maps/units.png"),
        ("hash_mismatch", "maps/units.png"),
    }


def test_missing_and_extra_files(tmp_path):
    folder = write_package_folder(tmp_path / "pkg")
    (folder / "tables" / "statistics.csv").unlink()
    (folder / "data" / "backdoor.txt").write_text("hi", encoding="utf-8")
    problems = check_files(str(folder))
    assert {(p.kind, p.file) for p in problems} == {
        ("missing_file", "tables/statistics.csv"),
        ("extra_file", "data/backdoor.txt"),
    }, "a file both listed and required is reported once"


def test_a_required_file_left_out_of_manifest_and_package_is_still_missing(tmp_path):
    folder = write_package_folder(tmp_path / "pkg")
    (folder / "validation.html").unlink()
    write_manifest(folder)
    assert [(p.kind, p.file) for p in check_files(str(folder))] == [("missing_file", "validation.html")]


def test_manifest_missing_or_malformed(tmp_path):
    folder = write_package_folder(tmp_path / "pkg")
    (folder / MANIFEST).unlink()
    assert kinds(check_files(str(folder))) == {"manifest_missing": 1}
    (folder / MANIFEST).write_text("{not json", encoding="utf-8")
    assert kinds(check_manifest(str(folder))) == {"manifest_invalid": 1}
    entries = [
        {"path": "../etc/passwd", "sha256": "0" * 64, "size": 1},
        {"path": "maps/units.png", "sha256": "XYZ", "size": -1},
        {"path": "data/units.gpkg", "sha256": "0" * 64, "size": 1},
    ]
    (folder / MANIFEST).write_text(json.dumps({"files": entries}), encoding="utf-8")
    problems = check_manifest(str(folder))
    invalid = [p for p in problems if p.kind == "manifest_invalid"]
    assert {p.ref for p in invalid} == {"../etc/passwd", "maps/units.png", "files"}  # unsafe, bad values, unsorted
    assert {p.file for p in problems if p.kind == "extra_file"} >= {"metadata.json", "validation.html"}


# --- metadata ------------------------------------------------------------------------------------------------


def test_good_metadata_passes():
    assert check_metadata(GOOD_META, unit_count=4, county_codes=["230102", "230103"]) == []


def test_bad_metadata_is_reported_field_by_field():
    meta = dict(GOOD_META)
    del meta["producer"]
    meta.update(
        date="2024-13-01",
        update_type="annual",
        scheme_level="county",
        crs="EPSG:4326",
        region_code="23010",
        approval_doc="",
        tool={"name": "EcoZoning"},
        inputs_sha256={"units": "abc"},
    )
    problems = check_metadata(meta)
    by_ref = {p.ref: p.kind for p in problems}
    assert by_ref == {
        "producer": "metadata_missing",
        "date": "metadata_invalid",
        "update_type": "metadata_invalid",
        "scheme_level": "metadata_invalid",
        "crs": "metadata_invalid",
        "region_code": "metadata_invalid",
        "approval_doc": "metadata_invalid",  # an update names its approval document
        "tool.version": "metadata_invalid",
        "inputs_sha256.units": "metadata_invalid",
    }
    assert all(p.file == "metadata.json" for p in problems)


def test_metadata_must_agree_with_the_data():
    problems = check_metadata(GOOD_META, unit_count=5, county_codes=["230102", "230203"])
    assert {p.ref for p in problems} == {"counts.units", "region_code"}
    assert "230203" in next(p.message for p in problems if p.ref == "region_code")
    initial = dict(GOOD_META, update_type="initial", approval_doc="", date="2024-6-30")
    assert {p.ref for p in check_metadata(initial)} == {"date"}  # an initial filing may not have its approval yet
    assert check_metadata(["not", "an", "object"])[0].kind == "metadata_invalid"
    by_class = dict(GOOD_META, counts={"units": {"1": 2, "3": 2}})
    assert check_metadata(by_class, unit_count=4) == []  # only a plain total is compared


def test_load_metadata(tmp_path):
    assert load_metadata(str(tmp_path))[1][0].kind == "metadata_missing"
    (tmp_path / "metadata.json").write_text("[1, 2", encoding="utf-8")
    assert load_metadata(str(tmp_path))[1][0].kind == "metadata_invalid"
    (tmp_path / "metadata.json").write_text(json.dumps(GOOD_META), encoding="utf-8")
    assert load_metadata(str(tmp_path)) == (GOOD_META, [])


# --- codes, fields, copies, coverage ---------------------------------------------------------------------------


def unit(fid, code, cls, geom=None, county="230102"):
    attrs = {"HJGKDYBM": code, "HJGKDYMC": "x", "ZHGKDYFL": cls, "XZQDM": county}
    if geom is not None:
        attrs["MJ"] = round(area_m2(geom) / 1e6, 6)
    return (fid, geom, attrs)


def test_codes():
    units = [
        unit(1, "ZH23010210001", 1),
        unit(2, "ZH23010230001", 3.0),  # a class read as a float is still class 3
        unit(3, "ZH23010230001", 3),
        unit(4, "ZH2301021001", 1),
        unit(5, "ZH23010220001", 3),
        unit(6, None, 1),
    ]
    problems = check_codes(units)
    assert sorted((p.kind, p.ref) for p in problems) == [
        ("bad_code", "ZH2301021001"),
        ("bad_code", "fid 6"),
        ("class_mismatch", "ZH23010220001"),
        ("duplicate_code", "ZH23010230001"),
    ]
    assert "features 2, 3" in next(p.message for p in problems if p.kind == "duplicate_code")
    assert check_codes([{"HJGKDYBM": "ZH23010210001", "ZHGKDYFL": "1"}]) == []


def test_fields_and_shapefile_copy():
    assert [p.ref for p in check_fields("data/zones.gpkg", ["YSBM", "YSMC", "HJYS", "YSXL", "XZQDM"])] == ["GKFL"]
    assert check_copy(["A", "B"], ["B", "A"], "data/units.shp", "data/units.gpkg") == []
    (problem,) = check_copy(["A", "B"], ["A", "C"], "data/units.shp", "data/units.gpkg")
    assert problem.kind == "shp_mismatch" and "missing: B" in problem.message and "C" in problem.message


def counties():
    return [
        (1, box(126.0, 45.0, 126.1, 45.1), "230102", "道里区", "哈尔滨市", "黑龙江省"),
        (2, box(126.1, 45.0, 126.2, 45.1), "230103", "南岗区", "哈尔滨市", "黑龙江省"),
    ]


def four_units(shift=0.0):
    return [
        unit(1, "ZH23010210001", 1, box(126.0, 45.0 + shift, 126.05, 45.1 + shift)),
        unit(2, "ZH23010230001", 3, box(126.05, 45.0, 126.1, 45.1)),
        unit(3, "ZH23010310001", 1, box(126.1, 45.0, 126.15, 45.1), "230103"),
        unit(4, "ZH23010330001", 3, box(126.15, 45.0, 126.2, 45.1), "230103"),
    ]


def test_coverage():
    assert check_coverage(four_units(), counties()) == []
    problems = check_coverage(four_units(shift=0.01), counties())
    assert {"gap", "outside_admin"} <= set(kinds(problems))
    gap = next(p for p in problems if p.kind == "gap")
    assert gap.ref == "230102" and gap.file == "data/units.gpkg" and "near 126.0" in gap.message
    bad_admin = [(1, box(0, 0, 1, 1), "2301", "", "", "")]
    assert kinds(check_coverage(four_units(), bad_admin)) == {"bad_layer": 1}


# --- 附表1 ----------------------------------------------------------------------------------------------------


def write_list_table(path: Path, codes: list) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "环境管控单元编码", "环境管控单元名称"])
    for n, code in enumerate(codes, start=1):
        sheet.append([n, code, f"单元{n}"])
    book.save(path)
    return path


def test_list_table_both_ways(tmp_path):
    codes = ["ZH23010210001", "ZH23010230001", "ZH23010310001"]
    table = write_list_table(tmp_path / "t.xlsx", codes)
    assert check_list_table(str(table), codes) == []
    table = write_list_table(tmp_path / "t.xlsx", [codes[0], codes[0], "ZH99999910001", None, codes[2]])
    problems = check_list_table(str(table), codes)
    assert sorted((p.kind, p.ref) for p in problems) == [
        ("list_duplicate", codes[0]),
        ("list_without_unit", "ZH99999910001"),
        ("list_without_unit", "row 5"),
        ("not_in_list", codes[1]),
    ]
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    assert kinds(check_list_table(str(tmp_path / "bad.xlsx"), codes)) == {"list_unreadable": 1}
    assert kinds(check_list_table(str(tmp_path / "absent.xlsx"), codes)) == {"list_unreadable": 1}


# --- report ------------------------------------------------------------------------------------------------------


def test_report_escapes_package_texts_and_labels_every_kind():
    assert set(KIND_LABELS) == set(FILING_KINDS)
    problems = [Problem("extra_file", "<script>alert(1)</script>", "", "in the package but not listed")]
    page = report_html(problems, "备案包核验报告", {"Package": "a&b.zip"})
    assert "<script>" not in page and "&lt;script&gt;" in page and "a&amp;b.zip" in page
    assert "Not ready to file: 1 errors" in page  # severity first: one error, nothing to review
    assert "Passed" in report_html([], "t", {})
    assert os.path.basename(LIST_TABLE) in str(Problem("not_in_list", LIST_TABLE, "ZH1", "x"))
