"""The data contract (core/schema.py): codes, classes, county codes, industry codes and field lookup."""

from __future__ import annotations

import pytest

from ecozoning.core import schema


@pytest.mark.parametrize(
    ("code", "unit_class"),
    [("ZH23010220003", 2), ("ZH440605200001", 2), ("ZH23010210001", 1), ("ZH2301023000", None), ("YS23010211", None)],
)
def test_class_digit_of_13_and_14_character_codes(code, unit_class):
    assert schema.class_from_code(code) == unit_class


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1),
        (2.0, 2),
        ("3", 3),
        ("1.0", 1),
        ("优先保护单元", 1),
        ("园区型重点管控单元1", 2),
        ("一般管控", 3),
        ("4", None),
        ("", None),
        (None, None),
    ],
)
def test_class_as_departments_write_it(value, expected):
    assert schema.parse_class(value) == expected


def test_class_field_wins_over_the_code_and_the_code_fills_an_empty_field():
    assert schema.unit_class("1", "ZH23010230001") == 1
    assert schema.unit_class(None, "ZH23010230001") == 3
    assert schema.unit_class("", "not a code") is None


@pytest.mark.parametrize("value", [230102, 230102.0, "230102", " 230102", "230102.0", "２３０１０２"])
def test_county_codes_stored_as_numbers_or_padded_text(value):
    assert schema.normalize_county_code(value) == "230102"


@pytest.mark.parametrize("value", [23010, "2301021", 230102.5, "", None, "ZH2301"])
def test_county_codes_that_are_not_six_digits(value):
    assert schema.normalize_county_code(value) is None


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("2520", ["2520"]),
        ("C 2520", ["C2520"]),
        ("C-2520", ["C2520"]),
        ("Ｃ2520", ["C2520"]),
        ("C２５２０", ["C2520"]),
        ("c2520", ["C2520"]),
        ("C1311、C2520", ["C1311", "C2520"]),
        ("C1311,C2520", ["C1311", "C2520"]),
        ("炼焦 C2520", ["C2520"]),
    ],
)
def test_industry_codes_as_people_write_them(text, codes):
    assert schema.parse_industry_codes(text) == (codes, [])


def test_unreadable_industry_text_is_returned_not_dropped():
    assert schema.parse_industry_codes("XYZ") == ([], ["XYZ"])


def test_industry_match_by_prefix_with_or_without_section_letter():
    assert schema.industry_matches("C2520", "C25")
    assert schema.industry_matches("2520", "C25")
    assert schema.industry_matches("C2520", "2520")
    assert not schema.industry_matches("C2620", "C25")


def test_field_lookup_ignores_case_and_finds_aliases():
    assert schema.find_field(["fid", "hjgkdybm"], schema.CODE) == "hjgkdybm"
    assert schema.find_field(["HJZHGKDYBM"], schema.CODE, schema.FIELD_ALIASES[schema.CODE]) == "HJZHGKDYBM"
    assert schema.find_field(["管控单元名称"], schema.NAME, schema.FIELD_ALIASES[schema.NAME]) == "管控单元名称"
    assert schema.find_field(["NAME"], schema.CODE) is None
    assert schema.field_value({"xzqdm": "230102"}, schema.COUNTY_CODE) == "230102"


def test_unit_field_names_are_written_only_in_the_contract():
    """The plugin's code reads the unit fields through core/schema.py: a string constant spelling one of them
    anywhere else (docstrings and messages aside) is a second copy of the contract that can drift."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = {"HJGKDYBM", "HJGKDYMC", "ZHGKDYFL", "GKDYLX"}
    copies = []
    for folder in ("core", "processing", "ui"):
        for path in sorted((root / folder).rglob("*.py")):
            if path.name == "schema.py" and path.parent.name == "core":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and node.value in names:
                    copies.append(f"{path.relative_to(root)}:{node.lineno} {node.value}")
    assert copies == []
