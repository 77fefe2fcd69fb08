"""Fixtures shared by the QGIS-tier tests: the provider loaded the way QGIS loads it, and the clean
sample's standardized zones and units, made once per session through the algorithms."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import ecozoning
from ecozoning.core.layer_config import load_layer_config, standardize_parameters

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
LAYER_CONFIG = load_layer_config(SAMPLE / "layers.yaml")


@pytest.fixture(scope="module")
def sample_processing(qgis_processing, sample_chain):
    """qgis.processing with the EcoZoning provider loaded through classFactory, unloaded after the module
    (test_plugin_load checks the registry is clean between loads). The sample chain is made first, as it
    loads and unloads a provider of its own."""
    plugin = ecozoning.classFactory(None)
    plugin.initProcessing()
    from qgis import processing as module

    yield module
    plugin.unload()
    gc.collect()


@pytest.fixture(scope="session")
def sample_chain(qgis_processing, tmp_path_factory):
    """{'zones': {layer: gpkg path}, 'units': gpkg path} of the clean Harbin sample (files, made once)."""
    plugin = ecozoning.classFactory(None)
    plugin.initProcessing()
    try:
        return _make_sample_chain(tmp_path_factory.mktemp("sample_chain"))
    finally:
        plugin.unload()
        gc.collect()


def _make_sample_chain(out: Path) -> dict:
    from qgis import processing as sample_processing

    admin = f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties"
    zones = {}
    for name, spec in LAYER_CONFIG["layers"].items():
        params = {
            "INPUT": f"{SAMPLE / 'harbin_zones.gpkg'}|layername={name}",
            "ADMIN": admin,
            "OUTPUT": str(out / f"{name}.gpkg"),
        }
        params.update(standardize_parameters(spec))
        zones[name] = sample_processing.run("ecozoning:standardizezones", params)["OUTPUT"]
    units = str(out / "units.gpkg")
    sample_processing.run(
        "ecozoning:delineateunits",
        {
            "ADMIN": admin,
            "COUNTY_FIELD": "COUNTY",
            "CITY_FIELD": "CITY",
            "PROV_FIELD": "PROV",
            "ZONES": list(zones.values()),
            "UNITS": units,
        },
    )
    return {"zones": zones, "units": units}


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server (scripts/pgserver.py) on 127.0.0.1 and a free port, for the team tests."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import pgserver

    if not pgserver.postgres_bin():
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql-15-postgis-3; CI installs it)")
    if not pgserver.postgis_installed():
        pytest.skip("PostGIS is not installed (apt-get install postgresql-15-postgis-3; CI installs it)")
    server = pgserver.ThrowawayServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def team_db(pg_server, request):
    """A fresh database holding the sample library and the team roles: {role: psycopg2 keywords}."""
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import pgserver

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    return pgserver.seed_team(pg_server, name, str(SAMPLE / "library"))
