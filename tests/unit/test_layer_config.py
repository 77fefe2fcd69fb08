"""The layers.yaml -> standardizezones parameter mapping the demo, the tests and the benchmark share."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecozoning.core.errors import InputError
from ecozoning.core.layer_config import load_layer_config, standardize_parameters

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def test_whole_layer_subtype_with_name_field():
    assert standardize_parameters({"subtype": "eco_redline", "name_field": "NAME"}) == {
        "SUBTYPE": "eco_redline",
        "NAME_FIELD": "NAME",
    }


def test_field_mapping_without_name_field():
    spec = {"subtype_field": "类型", "value_map": "一般管控:soil_general"}
    assert standardize_parameters(spec) == {"SUBTYPE_FIELD": "类型", "VALUE_MAP": "一般管控:soil_general"}


def test_sample_configuration_maps_every_layer():
    config = load_layer_config(SAMPLE / "layers.yaml")
    params = {name: standardize_parameters(spec) for name, spec in config["layers"].items()}
    assert params["water_zones"]["SUBTYPE_FIELD"] == "类型"
    assert "优先保护:water_priority" in params["water_zones"]["VALUE_MAP"]
    assert params["parks"] == {"SUBTYPE": "dev_park", "NAME_FIELD": "NAME"}
    assert all(("SUBTYPE" in p) != ("SUBTYPE_FIELD" in p) for p in params.values())


def test_a_file_without_layers_is_refused_by_name(tmp_path):
    path = tmp_path / "layers.yaml"
    path.write_text("admin: {file: counties.gpkg}\n", encoding="utf-8")
    with pytest.raises(InputError, match="layers.yaml.*'layers'"):
        load_layer_config(path)
