"""A layer configuration (like resources/sample/layers.yaml): how each raw element layer maps to taxonomy keys,
and the 'Standardize element zones' parameters that follow from it.

    admin:  {file, layer, code_field, prov_field, city_field, county_field}
    layers: {layer name: {subtype: KEY} or {subtype_field: FIELD, value_map: "value:KEY;..."}, name_field: FIELD}
"""

from __future__ import annotations

import yaml

from .errors import InputError


def load_layer_config(path) -> dict:
    with open(path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    if not isinstance(config, dict) or not isinstance(config.get("layers"), dict):
        raise InputError(f"{path}: a layer configuration needs a 'layers' mapping (layer name: subtype or mapping)")
    return config


def standardize_parameters(spec: dict) -> dict:
    """SUBTYPE, or SUBTYPE_FIELD + VALUE_MAP, and NAME_FIELD of `standardizezones` for one layer's entry."""
    if "subtype" in spec:
        params = {"SUBTYPE": spec["subtype"]}
    else:
        params = {"SUBTYPE_FIELD": spec["subtype_field"], "VALUE_MAP": spec["value_map"]}
    if spec.get("name_field"):
        params["NAME_FIELD"] = spec["name_field"]
    return params
