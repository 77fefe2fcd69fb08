"""The whole-chain model (resources/models/ecozoning_chain.model3, id ecozoning:wholechain) as users meet it: run
headless with qgis_process on the sample in a fresh profile, and opened through the Processing API as the model
builder opens it (every step resolves to an EcoZoning algorithm)."""

from __future__ import annotations

import gc
import json
import os
import re
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
ZONES = SAMPLE / "harbin_zones.gpkg"
MODEL_FILE = ROOT / "resources" / "models" / "ecozoning_chain.model3"
MODEL_ID = "ecozoning:wholechain"
TIMEOUT = 600


@pytest.fixture(scope="module")
def chain_run(qgis_env_sh, tmp_path_factory) -> dict:
    env = dict(qgis_env_sh)
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path_factory.mktemp("model-profile"))
    executable = env.get("QGIS_PROCESS", "/usr/bin/qgis_process.bin")
    if not os.access(executable, os.X_OK):
        pytest.skip(f"{executable} is not installed")
    out = tmp_path_factory.mktemp("wholechain")

    def qgis_process(*args):
        return subprocess.run(  # noqa: S603 - fixed binary
            [executable, *args], env=env, cwd=out, capture_output=True, text=True, timeout=TIMEOUT
        )

    enabled = qgis_process("plugins", "enable", "ecozoning")
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    outputs = {
        "delineate:UNITS": out / "units.gpkg",
        "validate:ISSUES": out / "issues.gpkg",
        "export:PACKAGE": out / "filing_230100.zip",
    }
    params = {
        "ADMIN": f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties",
        "REDLINE": f"{ZONES}|layername=eco_redline",
        "WATER": f"{ZONES}|layername=water_zones",
        "AIR": f"{ZONES}|layername=air_zones",
        "PARKS": f"{ZONES}|layername=parks",
        "URBAN": f"{ZONES}|layername=urban",
        "LIBRARY": SAMPLE / "library",
        "PRODUCER": "EcoZoning e2e",
        "REGION_CODE": "230100",
        "DATE": "2024-06-29",
        **outputs,
    }
    done = qgis_process("run", MODEL_ID, "--json", "--", *(f"{name}={value}" for name, value in params.items()))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    answer = json.loads(done.stdout[done.stdout.index("{") :])
    return {"results": answer["results"], "outputs": outputs}


def gpkg_rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def table_of(path: Path) -> str:
    rows = gpkg_rows(path, "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")
    assert len(rows) == 1, rows
    return rows[0][0]


def test_the_model_runs_headless_and_writes_its_three_outputs(chain_run):
    for name, path in chain_run["outputs"].items():
        assert Path(chain_run["results"][name]) == path
        assert path.is_file() and path.stat().st_size > 0, name


def test_the_units_cover_the_sample_with_unique_codes(chain_run):
    units = chain_run["outputs"]["delineate:UNITS"]
    codes = [row[0] for row in gpkg_rows(units, f'SELECT HJGKDYBM FROM "{table_of(units)}"')]
    assert len(codes) > 100
    assert len(set(codes)) == len(codes), "unit codes are not unique"
    assert all(re.fullmatch(r"ZH23\d{5}\d{4}", code or "") for code in codes), codes[:5]
    classes = {row[0] for row in gpkg_rows(units, f'SELECT DISTINCT ZHGKDYFL FROM "{table_of(units)}"')}
    assert {1, 2, 3} <= {int(c) for c in classes}  # priority, key and general units from the five layers


def test_the_validation_issues_are_a_layer(chain_run):
    issues = chain_run["outputs"]["validate:ISSUES"]
    assert table_of(issues)  # a (possibly empty) feature table


def test_the_filing_package_has_its_manifest(chain_run):
    package = chain_run["outputs"]["export:PACKAGE"]
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        assert "manifest.json" in names
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
    assert manifest, "empty manifest"
    assert any(name.endswith(".gpkg") or name.endswith(".shp") for name in names)


def test_the_model_opens_as_in_the_model_builder(qgis_processing):
    """fromFile, then every step resolves to a registered EcoZoning algorithm and the model validates."""
    from qgis.core import QgsApplication, QgsProcessingModelAlgorithm

    import ecozoning

    plugin = ecozoning.classFactory(None)
    plugin.initProcessing()
    try:
        model = QgsProcessingModelAlgorithm()
        assert model.fromFile(str(MODEL_FILE))
        assert model.name() == "wholechain"
        children = model.childAlgorithms()
        assert len(children) >= 8
        for child_id, child in children.items():
            assert child.algorithm() is not None, f"step {child_id} ({child.algorithmId()}) does not resolve"
            assert child.algorithmId().startswith("ecozoning:")
        steps = {child.algorithmId() for child in children.values()}
        assert {
            "ecozoning:standardizezones",
            "ecozoning:delineateunits",
            "ecozoning:validateunits",
            "ecozoning:exportfiling",
        } <= steps
        ok, problems = model.validate()
        assert ok, problems
        outputs = {o.name() for o in model.outputDefinitions()}
        assert {"delineate:UNITS", "validate:ISSUES", "export:PACKAGE"} <= outputs
        # the toolbox copy: ecozoning:wholechain with its bilingual title and help
        registered = QgsApplication.processingRegistry().algorithmById("ecozoning:wholechain")
        assert registered is not None and registered.provider().id() == "ecozoning"
        assert "生态环境分区管控全流程" in registered.displayName() and "whole chain" in registered.displayName()
        assert "备案" in registered.shortHelpString() and "filing package" in registered.shortHelpString()
        for parameter in registered.parameterDefinitions():  # restored by the provider (3.22 does not read it)
            assert (parameter.help() or "").strip(), f"{parameter.name()} has no help"
        created = registered.create({})
        assert all(child.algorithm() is not None for child in created.childAlgorithms().values())
        assert created.displayName() == registered.displayName()
        assert all((p.help() or "").strip() for p in created.parameterDefinitions() if not p.isDestination())
    finally:
        plugin.unload()
        gc.collect()
