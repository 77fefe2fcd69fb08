"""Foreign data in core: each case ends repaired with the right answer or refused with a message that names
the file, feature or row (issue 19). Property tests feed random self-intersecting, duplicated and tiny
geometries to screening and validation."""

from __future__ import annotations

import os
import stat
import textwrap

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from ecozoning.core.admin import County
from ecozoning.core.filing_check import Problem, check_copy_texts, check_list_table, report_html
from ecozoning.core.geometry import RepairRefusedError, check_polygon
from ecozoning.core.lists import Clause, Library, load_library, save_library
from ecozoning.core.projection import area_m2
from ecozoning.core.screening import Project, Target, check_buffer, screen
from ecozoning.core.severity import readiness
from ecozoning.core.validate import UnitRecord, html_report, validate_units

# --- geometry: repair or refuse ------------------------------------------------------------------------


def test_a_bow_tie_is_repaired_to_its_two_triangles():
    bow = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    fixed, repair = check_polygon(bow)
    assert fixed.is_valid and fixed.area == pytest.approx(50.0)
    assert "Self-intersection" in repair.reason and repair.ambiguity == pytest.approx(0.0, abs=1e-9)


def test_a_ring_that_can_be_read_two_ways_is_refused():
    # the outer ring runs around twice over a band: as shells unioned it is the whole square, as faces
    # enclosed an odd number of times the band is a hole
    twice = Polygon([(0, 0), (10, 0), (10, 10), (0, 10), (0, 2), (8, 2), (8, 8), (2, 8), (2, 0.5), (0, 0.5)])
    with pytest.raises(RepairRefusedError) as refused:
        check_polygon(twice, tolerance=0.01)
    assert refused.value.args[0].ambiguity > 0.01


def test_a_valid_polygon_is_left_as_it_is():
    square = box(0, 0, 1, 1)
    fixed, repair = check_polygon(square)
    assert fixed is square and repair is None


# --- industry codes as people write them ----------------------------------------------------------------

COKING = Clause("P-SL-005", "spatial_layout", "prohibit", "禁止新建炼焦项目", industries=["C25"])


@pytest.mark.parametrize(
    "written", ["2520", "C 2520", "C-2520", "Ｃ2520", "C２５２０", "C1311、C2520", "C1311,C2520", "炼焦 C2520"]
)
def test_a_coking_project_is_caught_however_its_code_is_written(written):
    assert COKING.matches_industry(written) is True


def test_an_unreadable_industry_code_is_said_and_counts_as_missing():
    red = Target("ZH23010230001", "一般", 3, "water_general", box(126.0, 45.0, 126.1, 45.1))
    library = Library(root="")
    library.clause_list("province", "province").append(COKING)
    result = screen([Project("X", box(126.01, 45.01, 126.02, 45.02), industry="炼焦")], [red], None, library)[0]
    assert result.verdict == "need_info"
    assert any("炼焦" in note and "Industry code not read" in note for note in result.notes)


# --- screening on broken units --------------------------------------------------------------------------


def _grid(n: int = 3, x0: float = 126.0, y0: float = 45.0, step: float = 0.02):
    units = []
    for i in range(n):
        for j in range(n):
            cell = box(x0 + i * step, y0 + j * step, x0 + (i + 1) * step, y0 + (j + 1) * step)
            units.append(Target(f"ZH230102300{i}{j}", "u", 3, "water_general", cell))
    return units


def _twisted(poly: Polygon, d: float = 1e-4) -> Polygon:
    """The polygon with a small zig-zag through its first corner: a ring self-intersection, as other tools leave."""
    ring = list(poly.exterior.coords)[:-1]
    x, y = ring[0]
    loop = [(x + d, y + d), (x + d, y - d), (x - d, y + d), (x - d, y - d), (x, y)]
    return Polygon([ring[0], *loop, *ring[1:]])


def test_half_outside_with_self_intersecting_units_is_need_info_and_shares_add_up():
    units = _grid()
    for unit in units[::2]:
        unit.geom = _twisted(unit.geom)
    assert not all(u.geom.is_valid for u in units)
    # the footprint: half on the grid's east column, half east of it
    footprint = box(126.05, 45.01, 126.07, 45.03)
    result = screen([Project("XM-HALF", footprint, industry="C1311")], units, None, None)[0]
    shares = sum(h.share_project for h in result.unit_hits)
    assert shares + result.outside_share == pytest.approx(1.0, abs=1e-6)
    assert result.outside_share == pytest.approx(0.5, abs=0.01)
    assert result.verdict == "need_info"


def test_overlapping_units_cannot_push_the_inside_share_past_one():
    a = Target("ZH23010230001", "a", 3, "water_general", box(126.0, 45.0, 126.1, 45.1))
    b = Target("ZH23010230002", "b", 3, "water_general", box(126.0, 45.0, 126.1, 45.1))  # a copy of a
    footprint = box(126.08, 45.04, 126.12, 45.06)  # half outside both
    result = screen([Project("X", footprint, industry="C1311")], [a, b], None, None)[0]
    assert result.outside_share == pytest.approx(0.5, abs=0.01)
    assert result.verdict == "need_info"
    assert any("Units overlap" in n for n in result.notes)


@pytest.mark.parametrize("value", [-5.0, float("nan"), 5_000_000.0])
def test_negative_missing_or_huge_buffers_are_refused_naming_the_project(value):
    with pytest.raises(Exception, match="XM-009"):
        check_buffer(value, "projects, feature 9 (XM-009)")


# --- property tests ------------------------------------------------------------------------------------

coordinate = st.floats(min_value=0.0, max_value=0.05, allow_nan=False, allow_infinity=False)
ring = st.lists(st.tuples(coordinate, coordinate), min_size=3, max_size=8)


def _polygon(points, x0=126.0, y0=45.0, scale=1.0):
    return Polygon([(x0 + x * scale, y0 + y * scale) for x, y in points])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rings=st.lists(ring, min_size=1, max_size=4), footprint=ring, tiny=st.booleans(), duplicate=st.booleans())
def test_screening_shares_of_random_broken_units_add_up(rings, footprint, tiny, duplicate):
    units = [
        Target(f"ZH2301023{n:04d}", "u", 3, "water_general", _polygon(r, scale=1e-6 if tiny and n == 0 else 1.0))
        for n, r in enumerate(rings)
    ]
    if duplicate:
        units.append(Target("ZH23010239999", "dup", 3, "water_general", units[0].geom))
    result = screen([Project("P", _polygon(footprint), industry="C1311")], units, None, None)[0]
    assert 0.0 <= result.outside_share <= 1.0
    for hit in result.unit_hits:
        assert hit.measure >= 0.0 and 0.0 <= hit.share_project <= 1.0 + 1e-9
    if result.footprint is not None and result.total > 0 and result.unit_hits:
        inside = shapely.union_all([h.geom for h in result.unit_hits])
        assert result.outside_share == pytest.approx(1.0 - area_m2(inside) / result.total, abs=1e-6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rings=st.lists(ring, min_size=1, max_size=5), tiny=st.booleans())
def test_validation_of_random_broken_units_reports_non_negative_areas(rings, tiny):
    county = County("230102", box(126.0, 45.0, 126.05, 45.05), "道里区")
    units = [
        UnitRecord(
            n,
            _polygon(r, scale=1e-6 if tiny and n == 0 else 1.0),
            {"HJGKDYBM": f"ZH2301023{n:04d}", "ZHGKDYFL": 3, "XZQDM": "230102", "HJGKDYMC": "u", "MJ": None},
        )
        for n, r in enumerate(rings)
    ]
    issues = validate_units(units, [county], ["HJGKDYBM", "HJGKDYMC", "ZHGKDYFL", "XZQDM", "MJ"])
    assert all(i.area_m2 >= 0.0 for i in issues)
    assert all(i.severity in ("error", "review") for i in issues)
    for unit in units:
        if not unit.geom.is_valid and not unit.geom.is_empty and unit.geom.area > 0:
            assert any(i.kind == "invalid_geometry" and i.fid == unit.fid for i in issues)


# --- fields and values as other tools store them ---------------------------------------------------------


def test_lowercase_fields_and_real_codes_give_no_false_mismatch():
    county = County("230102", box(126.0, 45.0, 126.05, 45.05), "道里区")
    units = [
        UnitRecord(
            1, box(126.0, 45.0, 126.05, 45.05), {"hjgkdybm": "ZH23010230001", "zhgkdyfl": 3.0, "xzqdm": 230102.0}
        )
    ]
    from ecozoning.core.schema import field_value

    class Lower(dict):  # what processing/adapter.Attributes does for layers
        def get(self, key, default=None):
            return field_value(self, key, default)

    units[0].attrs = Lower(units[0].attrs)
    issues = validate_units(units, [county], ["hjgkdybm", "hjgkdymc", "zhgkdyfl", "xzqdm", "mj"])
    kinds = {i.kind for i in issues}
    assert "class_mismatch" not in kinds and "county_mismatch" not in kinds and "missing_field" not in kinds


# --- severity --------------------------------------------------------------------------------------------


def test_a_protected_sliver_is_for_review_and_the_package_is_ready_to_file():
    county = County("230102", box(126.0, 45.0, 126.05, 45.05), "道里区")
    big = box(126.0, 45.0, 126.05, 45.05).difference(box(126.02, 45.02, 126.02005, 45.02005))
    tiny = box(126.02, 45.02, 126.02005, 45.02005)  # ~ 20 m²
    fields = {"HJGKDYMC": "u", "XZQDM": "230102", "MJ": None}
    units = [
        UnitRecord(1, big, {**fields, "HJGKDYBM": "ZH23010230001", "ZHGKDYFL": 3, "GKDYLX": "water_general"}),
        UnitRecord(2, tiny, {**fields, "HJGKDYBM": "ZH23010210001", "ZHGKDYFL": 1, "GKDYLX": "eco_redline"}),
    ]
    issues = validate_units(units, [county], ["HJGKDYBM", "HJGKDYMC", "ZHGKDYFL", "XZQDM", "MJ"])
    assert [(i.kind, i.severity) for i in issues] == [("sliver", "review")]
    ready, sentence = readiness(issues)
    assert ready and sentence.startswith("可以备案")
    page = html_report(issues, "t", {})
    assert page.index("Ready to file") < page.index("问题统计")


def test_an_error_makes_a_package_not_ready():
    page = report_html([Problem("gap", "data/units.gpkg", "230102", "gap of 5 m2")], "t", {})
    assert "Not ready to file: 1 errors" in page


# --- lists ---------------------------------------------------------------------------------------------


def _library(tmp_path, province: str, units: str | None = None):
    (tmp_path / "library.yaml").write_text("name: t\nversion: '1'\nprovince: 黑龙江省\n", encoding="utf-8")
    (tmp_path / "province.yaml").write_text(textwrap.dedent(province), encoding="utf-8")
    if units is not None:
        (tmp_path / "units").mkdir()
        (tmp_path / "units" / "230100.yaml").write_text(textwrap.dedent(units), encoding="utf-8")
    return tmp_path


PROVINCE = """\
    level: province
    clauses:
      - id: '0011'
        dimension: spatial_layout
        kind: prohibit
        text: 禁止新建炼焦项目
      - id: 0012
        dimension: spatial_layout
        kind: require
        text: 节约用水
    """


def test_clause_id_0012_stays_0012(tmp_path):
    library = load_library(str(_library(tmp_path, PROVINCE)))
    assert [c.id for c in library.files["province.yaml"].clauses] == ["0011", "0012"]


@pytest.mark.parametrize(
    "units, kind",
    [
        (
            "ZH23010230001:\n  clauses:\n  - {id: U1, dimension: spatial_layout, kind: require, text: a}\n"
            "ZH23010230001:\n  clauses:\n  - {id: U2, dimension: spatial_layout, kind: require, text: b}\n",
            "duplicate_key",
        ),
        ("ZH23010230001:\n  - {id: U1, dimension: spatial_layout, kind: require, text: a}\n", "bad_unit"),
        ("ZH23010230001:\n  clauses:\n  - 单元内禁止新建化工项目\n", "bad_clause"),
    ],
)
def test_a_unit_file_not_loaded_whole_is_reported_and_never_saved_over(tmp_path, units, kind):
    folder = _library(tmp_path, PROVINCE, units)
    before = (folder / "units" / "230100.yaml").read_bytes()
    library = load_library(str(folder))
    problems = [p for p in library.load_problems if p.file == "units/230100.yaml"]
    assert [p.kind for p in problems][:1] == [kind] and problems[0].line > 0
    assert library.files["units/230100.yaml"].broken
    library.files["units/230100.yaml"].dirty = True
    save_library(library, all_files=True)
    assert (folder / "units" / "230100.yaml").read_bytes() == before


def test_a_billion_laughs_file_is_refused_quickly(tmp_path):
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[n]
        laughs.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    (tmp_path / "library.yaml").write_text("name: t\nversion: '1'\nprovince: x\n", encoding="utf-8")
    (tmp_path / "province.yaml").write_text("level: province\n" + "\n".join(laughs) + "\n", encoding="utf-8")
    library = load_library(str(tmp_path))
    problem = next(p for p in library.load_problems if p.file == "province.yaml")
    assert "aliases" in problem.message and library.files["province.yaml"].broken


def test_regions_written_as_a_list_is_a_clear_error(tmp_path):
    (tmp_path / "library.yaml").write_text("name: t\nregions: [a, b]\n", encoding="utf-8")
    from ecozoning.core.lists import LibraryError

    with pytest.raises(LibraryError, match="regions"):
        load_library(str(tmp_path))


def test_saving_keeps_mode_symlink_and_a_backup_of_the_original(tmp_path):
    folder = _library(tmp_path / "lib", PROVINCE) if (tmp_path / "lib").mkdir() is None else None
    real = tmp_path / "shared_province.yaml"
    os.replace(folder / "province.yaml", real)
    os.symlink(real, folder / "province.yaml")
    os.chmod(real, 0o664)
    original = real.read_bytes()
    library = load_library(str(folder))
    for text in ("第一次修改", "第二次修改"):
        library.files["province.yaml"].clauses[0].text = text
        library.files["province.yaml"].dirty = True
        save_library(library)
    assert os.path.islink(folder / "province.yaml")
    assert "第二次修改" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o664
    assert (tmp_path / "shared_province.yaml.bak").read_bytes() == original


# --- filing checks ---------------------------------------------------------------------------------------


def test_utf8_bytes_under_a_gbk_cpg_are_a_shapefile_mismatch():
    gpkg = [{"HJGKDYBM": "ZH23010230001", "HJGKDYMC": "道里区一般管控单元"}]
    garbled = "道里区一般管控单元".encode().decode("gbk", errors="replace")
    problems = check_copy_texts(gpkg, [{"HJGKDYBM": "ZH23010230001", "HJGKDYMC": garbled}], "HJGKDYBM", "u.shp", "GBK")
    assert [(p.kind, p.ref) for p in problems] == [("shp_mismatch", "ZH23010230001")]
    assert check_copy_texts(gpkg, gpkg, "HJGKDYBM", "u.shp", "GBK") == []


def test_a_list_table_that_expands_a_thousandfold_is_not_parsed(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (130 * 1024**2) + b"</sst>")
    assert path.stat().st_size < 1024**2
    problems = check_list_table(str(path), ["ZH23010230001"])
    assert [p.kind for p in problems] == ["list_unreadable"] and "sharedStrings.xml" in problems[0].message


# --- spreadsheets and dates --------------------------------------------------------------------------------


def test_clause_texts_with_formulas_and_control_characters_reach_the_list_table(tmp_path):
    from openpyxl import load_workbook

    from ecozoning.core.list_table import UnitInfo, export_list_table, import_list_table

    library = Library(root="")
    library.clause_list("province", "province").extend([
        Clause("P-1", "spatial_layout", "prohibit", "=禁止新建炼焦项目"),
        Clause("P-2", "emission_control", "require", "第一行\v第二行\x01"),
    ])  # fmt: skip
    path = tmp_path / "附表1.xlsx"
    export_list_table(library, [UnitInfo("ZH23010230001", "u", "哈尔滨市", "道里区", 3, [])], str(path))
    sheet = load_workbook(path).worksheets[0]
    row = [c.value for c in sheet[2]]
    assert any(v and v.startswith("1. =禁止新建炼焦项目") for v in row if isinstance(v, str))
    assert any(v and "第一行\n第二行（" in v for v in row if isinstance(v, str))
    back = import_list_table(str(path))
    assert [c.text for c in back.clause_list("province", "province")] == ["=禁止新建炼焦项目", "第一行\n第二行"]


@pytest.mark.parametrize("text", ["2024-02-30", "1899-12-31", "2024-6-1", "3024-01-01"])
def test_a_bad_filing_date_is_a_clear_error(text):
    from ecozoning.core.filing import parse_date

    with pytest.raises(ValueError, match=f"DATE.*{text}|DATE '{text}'"):
        parse_date(text)


def test_deeply_nested_metadata_is_invalid_not_a_crash(tmp_path):
    from ecozoning.core.filing_check import load_metadata

    (tmp_path / "metadata.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    meta, problems = load_metadata(str(tmp_path))
    assert meta is None and [p.kind for p in problems] == ["metadata_invalid"]


def test_checking_lists_names_empty_and_repeated_unit_codes(tmp_path):
    from ecozoning.core.lists import validate_library

    library = load_library(str(_library(tmp_path, PROVINCE)))
    problems = validate_library(library, unit_codes=["ZH23010230001", None, "ZH23010230001", ""])
    kinds = {(p.kind, p.ref) for p in problems}
    assert ("unit_without_code", "") in kinds and ("duplicate_unit_code", "ZH23010230001") in kinds
    assert not any("unit  has" in p.message for p in problems)


def test_overlapping_counties_are_refused_naming_both():
    from ecozoning.core.admin import build_counties
    from ecozoning.core.errors import InputError

    rows = [
        (1, box(126.0, 45.0, 126.1, 45.1), "230102", "道里区", "", ""),
        (2, box(126.098, 45.0, 126.2, 45.1), "230103", "南岗区", "", ""),  # 2 % of a county on its neighbour
    ]
    with pytest.raises(InputError, match=r"230102 \(feature 1\) and 230103 \(feature 2\) overlap"):
        build_counties(rows, "Admin layer 'counties'")
    rows[1] = (2, box(126.1, 45.0, 126.2, 45.1), "230103", "南岗区", "", "")
    counties, notes = build_counties(rows, "Admin layer 'counties'")
    assert len(counties) == 2 and not notes


@pytest.mark.parametrize("name", ["道里区", "哈尔滨市道里区一般管控单元1", "松花江（道里段）"])
def test_gbk_bytes_read_as_latin1_are_read_back_as_gbk(name):
    from ecozoning.core.encoding import regbk

    assert regbk(name.encode("gbk").decode("latin-1")) == name
    assert regbk(name) is None  # right already


@pytest.mark.parametrize("text", ["Zürich", "Harbin 2024", "café crème", ""])
def test_latin_text_is_not_taken_for_gbk(text):
    from ecozoning.core.encoding import regbk

    assert regbk(text) is None


def test_the_leftovers_of_a_killed_export_are_removed_and_a_running_one_is_kept(tmp_path):
    import subprocess
    import sys

    from ecozoning.core import filing

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / "ecozoning-filing-old"
    stale.mkdir()
    (stale / ".owner-pid").write_text(dead.stdout.strip())
    (stale / "units.gpkg").write_bytes(b"x" * 1000)
    running = filing.make_workdir(str(tmp_path), "ecozoning-filing-")
    (tmp_path / "package.zip.part").write_bytes(b"PK")
    assert filing.remove_stale_workdirs(str(tmp_path), "ecozoning-filing-") == [str(stale)]
    assert not stale.exists() and os.path.isdir(running)
    assert filing.remove_stale_part(str(tmp_path / "package.zip")) == [str(tmp_path / "package.zip.part")]
