"""Admission-list library: inheritance, replacement, validation with file and line, safe saving."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from ecozoning.core.list_table import UNIT_SHEET, UnitInfo, export_list_table, import_list_table, write_library_to
from ecozoning.core.lists import (
    Clause,
    ConflictError,
    LibraryError,
    load_library,
    save_library,
    validate_library,
)

FILES = {
    "library.yaml": """
        name: 黑龙江省生态环境准入清单
        version: "2024"
        province: "230000"
        regions:
          hds: {name: 哈大绥, cities: ["230100", "230600"]}
        """,
    "province.yaml": """
        level: province
        clauses:
          - id: P-SL-001
            dimension: spatial_layout
            kind: prohibit
            text: 禁止在生态保护红线内开展不符合功能定位的开发建设活动
            classes: [1]
            subtypes: [eco_redline]
          - id: P-SL-002
            dimension: spatial_layout
            kind: require
            text: 工业项目原则上应入园集聚发展
          - id: P-EC-001
            dimension: emission_control
            kind: require
            text: 新建、改建、扩建项目实行主要污染物排放等量或倍量替代
            classes: [2]
          - id: P-RP-001
            dimension: risk_prevention
            kind: prohibit
            text: 禁止新建石油加工、炼焦项目
            industries: [C25]
        """,
    "regions/hds.yaml": """
        level: region
        clauses:
          - id: R-HDS-001
            dimension: resource_efficiency
            kind: require
            text: 哈大绥地区严格控制地下水开采
        """,
    "cities/230100.yaml": """
        level: city
        clauses:
          - id: C-230100-001
            dimension: spatial_layout
            kind: require
            text: 哈尔滨市工业项目应进入合规园区
            replaces: P-SL-002
          - id: C-230100-002
            dimension: emission_control
            kind: restrict
            text: 哈尔滨市建成区限制新建燃煤锅炉
            classes: [2]
            subtypes: [dev_urban]
        """,
    "units/230100.yaml": """
        ZH23010210001:
          clauses:
            - id: U-ZH23010210001-001
              dimension: spatial_layout
              kind: prohibit
              text: 单元内禁止新建工业项目
        ZH23010220001:
          clauses:
            - id: U-ZH23010220001-001
              dimension: risk_prevention
              kind: require
              text: 园区应编制突发环境事件应急预案
        """,
}


def write_library(root, files=FILES):
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


@pytest.fixture
def library(tmp_path):
    return load_library(str(write_library(tmp_path / "lib")))


def ids(effective):
    return [(e.clause.id, e.level) for e in effective]


def test_effective_list_inherits_filters_and_replaces(library):
    red = library.effective("ZH23010210001", 1, ["eco_redline"])
    assert ids(red) == [
        ("P-SL-001", "province"),
        ("P-RP-001", "province"),
        ("R-HDS-001", "region"),
        ("C-230100-001", "city"),
        ("U-ZH23010210001-001", "unit"),
    ]  # P-SL-002 replaced by the city; class-2 clauses filtered out
    urban = library.effective("ZH23010220001", 2, ["dev_urban"])
    assert ids(urban) == [
        ("P-EC-001", "province"),
        ("P-RP-001", "province"),
        ("R-HDS-001", "region"),
        ("C-230100-001", "city"),
        ("C-230100-002", "city"),
        ("U-ZH23010220001-001", "unit"),
    ]
    outside_region = library.effective("ZH23040130001", 3, ["general"])
    assert ids(outside_region) == [("P-SL-002", "province"), ("P-RP-001", "province")]


def test_industry_filter_matches_by_prefix(library):
    clause = library.find("P-RP-001")[0]
    assert clause.matches_industry("C2511") is True
    assert clause.matches_industry("C26") is False
    assert clause.matches_industry("") is False
    assert library.find("P-SL-002")[0].matches_industry("C25") is None


def test_affected_units_counts_where_a_clause_applies(library):
    units = [
        ("ZH23010210001", 1, ["eco_redline"]),
        ("ZH23010220001", 2, ["dev_urban"]),
        ("ZH23010230001", 3, ["general"]),
    ]
    assert library.affected_units("C-230100-001", units) == [u[0] for u in units]
    assert library.affected_units("C-230100-002", units) == ["ZH23010220001"]


def test_clean_library_validates_without_errors(library):
    problems = validate_library(library, unit_codes=["ZH23010210001", "ZH23010220001"])
    assert [p for p in problems if p.severity == "error"] == []


def test_validation_names_file_and_line(tmp_path):
    files = dict(FILES)
    files["cities/230100.yaml"] = """
        level: city
        clauses:
          - id: P-SL-001
            dimension: layout
            kind: forbid
            text: ""
            replaces: NOPE-1
        """
    files["units/230100.yaml"] = """
        ZH2301021001:
          clauses: []
        ZH23010220001:
          clauses:
            - id: U-1
              dimension: spatial_layout
              kind: require
              text: x
        """
    library = load_library(str(write_library(tmp_path / "bad", files)))
    problems = validate_library(library, unit_codes=["ZH23010220001", "ZH23010230009"])
    by_kind = {p.kind: p for p in problems}
    assert by_kind["duplicate_id"].file == "cities/230100.yaml" and by_kind["duplicate_id"].line == 3
    assert "province.yaml:3" in by_kind["duplicate_id"].message
    assert by_kind["unknown_dimension"].line == 3 and "layout" in by_kind["unknown_dimension"].message
    assert "forbid" in by_kind["unknown_kind"].message
    assert by_kind["empty_text"].ref == "P-SL-001"
    assert "NOPE-1" in by_kind["bad_replaces"].message
    assert by_kind["bad_unit_code"].ref == "ZH2301021001" and by_kind["bad_unit_code"].line == 1
    assert by_kind["unit_without_list"].ref == "ZH23010230009"


def test_broken_yaml_is_reported_with_its_line_and_never_overwritten(tmp_path):
    files = dict(FILES)
    files["regions/hds.yaml"] = "level: region\nclauses:\n  - id: R-1\n    text: [unclosed\n"
    root = write_library(tmp_path / "broken", files)
    library = load_library(str(root))
    problem = next(p for p in validate_library(library) if p.kind == "yaml_error")
    assert problem.file == "regions/hds.yaml" and problem.line >= 4
    before = (root / "regions/hds.yaml").read_bytes()
    library.files["regions/hds.yaml"].dirty = True
    save_library(library, all_files=True)
    assert (root / "regions/hds.yaml").read_bytes() == before


def test_save_is_canonical_atomic_and_keeps_a_backup(library):
    root = library.root
    city = library.clause_list("city", "230100")
    city[0].text = "哈尔滨市新建工业项目应进入合规园区"
    library.files["cities/230100.yaml"].dirty = True
    assert save_library(library) == ["cities/230100.yaml"]
    saved = yaml.safe_load(Path(os.path.join(root, "cities/230100.yaml")).read_text(encoding="utf-8"))
    assert saved["clauses"][0] == {
        "id": "C-230100-001",
        "dimension": "spatial_layout",
        "kind": "require",
        "text": "哈尔滨市新建工业项目应进入合规园区",
        "replaces": "P-SL-002",
    }
    backup = Path(os.path.join(root, "cities/230100.yaml.bak")).read_text(encoding="utf-8")
    assert "哈尔滨市工业项目应进入合规园区" in backup
    assert not [n for n in os.listdir(os.path.join(root, "cities")) if n.startswith(".tmp")]
    # saving twice without a change writes the same bytes: diffs stay small
    first = Path(os.path.join(root, "cities/230100.yaml")).read_bytes()
    library.files["cities/230100.yaml"].dirty = True
    save_library(library)
    assert Path(os.path.join(root, "cities/230100.yaml")).read_bytes() == first


def test_external_change_is_a_conflict_not_an_overwrite(library):
    path = os.path.join(library.root, "province.yaml")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("  - {id: P-X, dimension: spatial_layout, kind: require, text: 他人新增}\n")
    library.clause_list("province", "province")[0].text = "改"
    library.files["province.yaml"].dirty = True
    with pytest.raises(ConflictError) as err:
        save_library(library)
    assert err.value.paths == ["province.yaml"]
    assert "他人新增" in Path(path).read_text(encoding="utf-8")
    save_library(library, force=True)
    assert "他人新增" not in Path(path).read_text(encoding="utf-8")
    assert "他人新增" in Path(path + ".bak").read_text(encoding="utf-8")


def test_invalid_clauses_survive_a_save(tmp_path):
    files = dict(FILES)
    files["regions/hds.yaml"] = """
        level: region
        clauses:
          - id: R-BAD
            dimension: nowhere
            kind: require
            text: 保留我
            custom_note: 保留未知字段
        """
    library = load_library(str(write_library(tmp_path / "keep", files)))
    save_library(library, all_files=True)
    again = load_library(library.root)
    clause = again.find("R-BAD")[0]
    assert clause.text == "保留我" and clause.dimension == "nowhere" and clause.extra == {"custom_note": "保留未知字段"}


def test_not_a_library_folder(tmp_path):
    with pytest.raises(LibraryError, match="no library.yaml"):
        load_library(str(tmp_path))


def test_spreadsheet_round_trip_keeps_ids_texts_and_levels(library, tmp_path):
    library.clause_list("unit", "ZH23010220001").append(
        Clause(
            "U-ZH23010220001-002",
            "emission_control",
            "restrict",
            "多行文本\n第二行",
            classes=[2],
            industries=["C25", "C26"],
        )
    )
    units = [UnitInfo("ZH23010210001", "道里区生态保护红线优先保护单元", "哈尔滨市", "道里区", 1, ["eco_redline"]),
             UnitInfo("ZH23010220001", "哈尔滨经济技术开发区重点管控单元", "哈尔滨市", "南岗区", 2, ["dev_urban"])]  # fmt: skip
    path = str(tmp_path / "附表1.xlsx")
    assert export_list_table(library, units, path) == 2
    sheet = load_workbook(path)[UNIT_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][6:] == ("空间布局约束", "污染物排放管控", "环境风险防控", "资源利用效率")
    assert rows[1][1] == "ZH23010210001" and rows[1][5] == "优先保护单元"
    assert rows[1][6].splitlines()[0] == "1. 禁止在生态保护红线内开展不符合功能定位的开发建设活动（省级 P-SL-001）"
    assert "（市级 C-230100-001）" in rows[1][6] and "P-SL-002" not in rows[1][6]
    imported = import_list_table(path)
    original = {(c.id, level, scope, c.dimension, c.kind, c.text, tuple(c.classes), tuple(c.subtypes), tuple(c.industries), c.replaces)
                for c, level, scope, _ in library.iter_clauses()}  # fmt: skip
    back = {(c.id, level, scope, c.dimension, c.kind, c.text, tuple(c.classes), tuple(c.subtypes), tuple(c.industries), c.replaces)
            for c, level, scope, _ in imported.iter_clauses()}  # fmt: skip
    assert back == original
    assert imported.regions == {"hds": {"name": "哈大绥", "cities": ["230100", "230600"]}}
    write_library_to(imported, str(tmp_path / "rebuilt"))
    rebuilt = load_library(str(tmp_path / "rebuilt"))
    assert ids(rebuilt.effective("ZH23010220001", 2, ["dev_urban"])) == ids(
        library.effective("ZH23010220001", 2, ["dev_urban"])
    )


def test_a_saved_list_file_keeps_its_permissions(tmp_path):
    """A list on a shared folder stays readable by colleagues: the rewrite keeps the file's mode."""
    import os
    import stat

    from ecozoning.core.lists import atomic_write

    path = tmp_path / "province.yaml"
    path.write_text("level: province\n", encoding="utf-8")
    os.chmod(path, 0o664)
    atomic_write(str(path), "level: province\nclauses: []\n")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o664
    new = tmp_path / "cities" / "230100.yaml"
    old_umask = os.umask(0o022)
    try:
        atomic_write(str(new), "level: city\n")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o644
