"""The taxonomy file: the national default matches docs/domain-rules.md §2, and bad files are reported by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecozoning.core.errors import TaxonomyError
from ecozoning.core.taxonomy import DEFAULT_TAXONOMY, load_taxonomy, parse_taxonomy

# (key, element, element class, raises unit to) straight from docs/domain-rules.md §2, in the table's order
DOMAIN_TABLE = [
    ("eco_redline", "ecology", 1, 1), ("eco_general", "ecology", 1, 1),
    ("water_priority", "water", 1, 1), ("water_industrial", "water", 2, 2), ("water_urban", "water", 2, 2),
    ("water_agri", "water", 2, 3), ("water_general", "water", 3, 3),
    ("air_priority", "air", 1, 1), ("air_receptor_sensitive", "air", 2, 2), ("air_high_emission", "air", 2, 2),
    ("air_layout_sensitive", "air", 2, 2), ("air_weak_diffusion", "air", 2, 3), ("air_general", "air", 3, 3),
    ("soil_farmland_priority", "soil", 1, 3), ("soil_farmland_risk", "soil", 2, 3),
    ("soil_construction_risk", "soil", 2, 2), ("soil_general", "soil", 3, 3),
    ("res_eco_water_supply", "resource", 1, 3), ("res_groundwater", "resource", 2, 3), ("res_land", "resource", 2, 3),
    ("res_fuel_ban", "resource", 2, 3), ("dev_park", "development", 2, 2), ("dev_urban", "development", 2, 2),
    ("sea_priority", "sea", 1, 1), ("sea_key", "sea", 2, 2), ("sea_general", "sea", 3, 3),
]  # fmt: skip


def test_national_taxonomy_matches_domain_table():
    taxonomy = load_taxonomy()
    assert list(taxonomy.zones) == [row[0] for row in DOMAIN_TABLE]
    for key, element, zone_class, raises_to in DOMAIN_TABLE:
        zone = taxonomy.zones[key]
        assert (zone.element, zone.zone_class, zone.raises_to) == (element, zone_class, raises_to), key
        assert zone.zh and zone.en and zone.color.startswith("#")
    ranks = [taxonomy.zones[k].rank for k, *_ in DOMAIN_TABLE]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert taxonomy.zones["eco_redline"].zh == "生态保护红线"
    assert taxonomy.zones["dev_park"].named and taxonomy.zones["eco_redline"].protected


def test_air_key_subtypes_ranked_as_jiangsu():
    taxonomy = load_taxonomy()
    order = [k for k in taxonomy.ordered_keys() if k.startswith("air_") and taxonomy.zones[k].zone_class == 2]
    assert order[:3] == ["air_receptor_sensitive", "air_high_emission", "air_layout_sensitive"]


def _national_text() -> str:
    return Path(DEFAULT_TAXONOMY).read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_duplicate_rank_names_both_lines():
    text = _national_text().replace("rank: 5,", "rank: 4,")
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, "province.yaml")
    message = str(err.value)
    assert f"province.yaml:{_line_of(text, 'water_urban:')}" in message
    assert f"line {_line_of(text, 'water_industrial:')}" in message


def test_bad_class_unknown_element_and_unknown_field_are_reported_with_lines():
    text = (
        _national_text()
        .replace(
            "soil_general: {element: soil, zone_class: 3, raises_to: 3",
            "soil_general: {element: soil, zone_class: 3, raises_to: 4",
        )
        .replace("res_land: {element: resource", "res_land: {element: mining")
        .replace("sea_key: {element: sea,", "sea_key: {element: sea, colour: red,")
    )
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, "p.yaml")
    problems = err.value.problems
    assert any(f"p.yaml:{_line_of(text, 'soil_general:')}" in p and "raises_to" in p for p in problems)
    assert any(f"p.yaml:{_line_of(text, 'res_land:')}" in p and "unknown element 'mining'" in p for p in problems)
    assert any(f"p.yaml:{_line_of(text, 'sea_key:')}" in p and "unknown field 'colour'" in p for p in problems)


def test_broken_yaml_names_the_line():
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy("name: x\nzones:\n  a: {element: [\n", "broken.yaml")
    assert "broken.yaml:line" in str(err.value)


def test_duplicate_zone_key_reported():
    text = _national_text() + "  eco_redline: {element: ecology, zone_class: 1, raises_to: 1, rank: 99, zh: x, en: x}\n"
    with pytest.raises(TaxonomyError, match="duplicate key 'eco_redline'"):
        parse_taxonomy(text, "dup.yaml")


def test_a_province_can_reclassify_a_zone(tmp_path):
    # some provinces put farmland priority zones into priority units
    text = _national_text().replace(
        "soil_farmland_priority: {element: soil, zone_class: 1, raises_to: 3",
        "soil_farmland_priority: {element: soil, zone_class: 1, raises_to: 1",
    )
    path = tmp_path / "province.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_taxonomy(str(path)).zones["soil_farmland_priority"].raises_to == 1


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(str(tmp_path / "nope.yaml"))
