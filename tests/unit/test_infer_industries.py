"""Industry codes of imported prohibit/restrict clauses inferred from their wording (resources/data/industry_keywords.yaml):
published 附表1 tables carry no GB/T 4754 codes, and a clause without codes filters no industry."""

from __future__ import annotations

import csv
import os

import pytest
import yaml

from ecozoning.core.import_lists import build_library, infer_industries, inferred_codes, parse_file
from ecozoning.core.industries import KEYWORDS, TABLE, KeywordTableError, industry_words, load_keywords
from ecozoning.core.lists import load_library, save_library, save_library_meta


def codes_of(text: str) -> list[str]:
    return [code for _word, codes in industry_words(text) for code in codes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("禁止新建、扩建不符合国家产业政策的炼焦项目。", ["C2520"]),
        ("禁止新建焦化项目。", ["C2520"]),
        ("禁止新建电石项目。", ["C261"]),
        ("禁止新建铁合金项目。", ["C3150"]),
        ("严格限制新建水泥熟料项目。", ["C3011"]),
        ("禁止新建平板玻璃项目。", ["C3041"]),
        ("禁止新增钢铁产能。", ["C31"]),
        ("禁止新建炼铁、炼钢项目。", ["C3110", "C3120"]),
        ("禁止新建电解铝项目。", ["C3216"]),
        ("禁止新建造纸项目。", ["C22"]),
        ("禁止新建化学制浆项目。", ["C221"]),
        ("禁止新建制革项目。", ["C191"]),
        ("禁止新建鞣革项目。", ["C191"]),
        ("禁止新建印染项目。", ["C1713", "C1723", "C1733", "C1743", "C1752", "C1762"]),
        ("禁止新建电镀项目。", ["C3360"]),
        (
            "园区不得引入专业电镀、漂染等污染物排放量大的项目。",
            ["C3360", "C1713", "C1723", "C1733", "C1743", "C1752", "C1762"],
        ),
        ("禁止新建农药项目。", ["C263"]),
        ("禁止新建化工项目。", ["C26"]),
        ("禁止新建以化学原料生产为主的项目。", ["C26"]),
        ("限制新建石化项目。", ["C251"]),
        ("禁止新建炼油项目。", ["C251"]),
        ("禁止新建燃煤发电项目。", ["D4411", "D4412"]),
        ("限制新建火电项目。", ["D4411", "D4412"]),
        ("禁止采矿。", ["B"]),
        ("禁止矿产开采。", ["B"]),
        ("禁止规模化畜禽养殖。", ["A03"]),
    ],
)
def test_each_keyword_gives_its_codes(text, expected):
    assert codes_of(text) == expected


def test_a_longer_word_wins_and_each_word_counts_once():
    assert codes_of("禁止新建化学原料药项目。") == ["C2710"]  # pharmaceuticals (C27), not chemicals (C26)
    assert codes_of("禁止新建水泥制品项目。") == ["C3021"]
    assert [w for w, _ in industry_words("禁止新建炼焦、电石、铁合金项目，现有炼焦企业限期退出。")] == [
        "炼焦",
        "电石",
        "铁合金",
    ]
    assert codes_of("禁止新建炼 焦项目") == ["C2520"]  # a line break or space inside the word in the cell


@pytest.mark.parametrize(
    "text",
    [
        "禁止在生态保护红线内开展不符合功能定位的开发建设活动，法律法规另有规定的从其规定。",
        "城市建成区限制新建每小时35蒸吨以下燃煤锅炉。",
        "高污染燃料禁燃区内禁止新建、扩建燃用高污染燃料的设施。",
        "饮用水水源保护区内禁止新建、改建、扩建与供水设施和保护水源无关的建设项目。",
        "禁止新建、扩建工业项目。",
        "",
    ],
)
def test_a_clause_naming_no_industry_gets_no_code(text):
    assert industry_words(text) == []


def test_the_shipped_table_uses_gbt4754_codes_only():
    """Read both tables with plain YAML: every code is a section, a division of the standard or a group/class in one."""
    with open(TABLE, encoding="utf-8") as handle:
        standard = yaml.safe_load(handle)
    with open(KEYWORDS, encoding="utf-8") as handle:
        keywords = yaml.safe_load(handle)["keywords"]
    assert len(keywords) >= 20
    for word, codes in keywords.items():
        assert codes, word
        for code in codes:
            assert code in standard["sections"] or code[:3] in standard["divisions"], (word, code)
            assert len(code) in (1, 3, 4, 5), (word, code)
    assert standard["divisions"]["C25"].startswith("石油、煤炭") and keywords["炼焦"] == ["C2520"]


def test_a_table_with_an_unknown_code_is_refused(tmp_path):
    bad = tmp_path / "k.yaml"
    bad.write_text("keywords:\n  炼焦: [C2520]\n  某业: [Z99]\n", encoding="utf-8")
    with pytest.raises(KeywordTableError, match="某业"):
        load_keywords(str(bad))


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


COKING = "禁止新建、扩建不符合国家产业政策的炼焦、电石、铁合金项目。"
ROWS = [
    ["环境管控单元编码", "环境管控单元名称", "管控维度", "管控要求"],
    ["ZH23010220001", "道里区工业园区", "空间布局约束",
     f"1-1.【产业/禁止类】{COKING}\n1-2.【产业/限制类】严格限制新建水泥熟料项目。\n"
     "1-3.【产业/鼓励引导类】鼓励化工企业入园集聚发展。\n1-4.【生态/禁止类】禁止在生态保护红线内开展开发建设活动。"],
    ["", "", "环境风险防控", "4-1.【风险/综合类】电镀企业应编制突发环境事件应急预案。"],
    ["ZH23010320001", "南岗区工业园区", "空间布局约束", f"1-1.【产业/禁止类】{COKING}"],
]  # fmt: skip


@pytest.fixture
def imported(tmp_path):
    result = parse_file(write_csv(tmp_path / "附表1.csv", ROWS))
    assert infer_industries(result) == 3  # two copies of the coking clause and the cement one
    return result


def clause(clauses, start):
    return next(c for c in clauses if c.text.startswith(start))


def test_import_gives_prohibit_and_restrict_clauses_their_codes(imported):
    unit = imported.clauses["ZH23010220001"]
    coking = clause(unit, "禁止新建、扩建")
    assert coking.industries == ["C2520", "C261", "C3150"] and coking.industries_inferred
    assert clause(unit, "严格限制").industries == ["C3011"]
    # an encourage and a require clause naming an industry are left alone; a prohibit clause naming none too
    for start in ("鼓励化工", "电镀企业", "禁止在生态"):
        assert clause(unit, start).industries == [] and not clause(unit, start).industries_inferred


def test_the_report_row_names_the_codes_and_their_words(imported):
    row = next(r for r in imported.report if r.row == 2)
    zh = next(m for m in row.messages("zh") if "推断" in m and "行业" in m)
    assert "条款 1-1" in zh and "炼焦→C2520" in zh and "电石→C261" in zh and "铁合金→C3150" in zh
    assert "水泥→C3011" in " ".join(row.messages("zh"))
    en = " ".join(row.messages("en"))
    assert "炼焦 → C2520" in en and "inferred from its wording" in en
    assert all("推断" not in m for m in row.messages("en"))
    assert inferred_codes(row) == ["C2520", "C261", "C3150", "C3011"]
    risk = next(r for r in imported.report if r.row == 3)
    assert inferred_codes(risk) == []


def test_the_saved_library_keeps_the_codes_and_the_flag(tmp_path, imported):
    library = build_library(imported, str(tmp_path / "lib"), "test", factor=True)
    os.makedirs(library.root)
    save_library_meta(library)
    save_library(library, all_files=True)
    with open(os.path.join(library.root, "cities", "230100.yaml"), encoding="utf-8") as handle:
        lifted = yaml.safe_load(handle)["clauses"]  # the clause of both units went to the prefecture
    assert [(c["text"], c["industries"], c["industries_inferred"]) for c in lifted] == [
        (COKING, ["C2520", "C261", "C3150"], True)
    ]
    loaded = load_library(library.root)
    assert not loaded.load_problems
    by_text = {e.clause.text: e.clause for e in loaded.effective("ZH23010220001")}
    assert by_text[COKING].matches_industry("C2520") is True  # a coking project fails the clause
    assert by_text[COKING].matches_industry("C3011") is False
    assert by_text["严格限制新建水泥熟料项目。"].matches_industry("C3011") is True
    assert by_text["鼓励化工企业入园集聚发展。"].matches_industry("C2614") is None


def test_without_inference_nothing_changes(tmp_path):
    result = parse_file(write_csv(tmp_path / "附表1.csv", ROWS))
    library = build_library(result, str(tmp_path / "lib"), "test", factor=True)
    assert all(not c.industries and "industries_inferred" not in c.extra for f in library.files.values()
               for c in f.all_clauses())  # fmt: skip
    assert all(not inferred_codes(r) for r in result.report)
