"""The plugin from the command line: qgis_process with the environment of scripts/qgis_env.sh and a fresh profile.

What a user (or a CI job, or an R/Python script calling qgis_process) does: enable the plugin, list and read the
algorithms, run one on real data and open the result with GDAL.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
COUNTIES = SAMPLE / "harbin_counties.gpkg"
ZONES = SAMPLE / "harbin_zones.gpkg"
ALGORITHMS = ("ecozoning:standardizezones", "ecozoning:delineateunits", "ecozoning:validateunits")
TIMEOUT = 180  # seconds for any single qgis_process call; a normal one takes a few


@pytest.fixture(scope="module")
def env(tmp_path_factory, qgis_env_sh) -> dict[str, str]:
    environment = dict(qgis_env_sh)
    environment["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path_factory.mktemp("qgis-profile"))
    return environment


@pytest.fixture(scope="module")
def qgis_process(env, tmp_path_factory):
    executable = env.get("QGIS_PROCESS", "/usr/bin/qgis_process.bin")
    if not os.access(executable, os.X_OK):
        pytest.skip(f"{executable} is not installed (scripts/setup.sh installs QGIS)")
    workdir = tmp_path_factory.mktemp("qgis-process-cwd")

    def run(*args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run(
            [executable, *args], env=env, cwd=workdir, capture_output=True, text=True, timeout=timeout
        )

    return run


@pytest.fixture(scope="module")
def enabled(qgis_process):
    """`plugins enable ecozoning` in the fresh profile; every other test needs it."""
    return qgis_process("plugins", "enable", "ecozoning")


def test_plugins_enable_succeeds_and_the_plugin_is_listed_as_enabled(enabled, qgis_process, env):
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    ini = Path(env["QGIS_CUSTOM_CONFIG_PATH"], "profiles", "default", "QGIS", "QGIS3.ini")
    assert re.search(r"^ecozoning=true$", ini.read_text(encoding="utf-8"), re.MULTILINE), "not saved in the profile"
    listing = qgis_process("plugins")
    assert listing.returncode == 0, listing.stderr
    assert re.search(r"^\*\s+ecozoning\s*$", listing.stdout, re.MULTILINE), listing.stdout


def test_list_shows_the_provider_and_its_algorithms(enabled, qgis_process):
    assert enabled.returncode == 0
    result = qgis_process("--json", "list")
    assert result.returncode == 0, result.stderr
    providers = json.loads(result.stdout)["providers"]
    assert "ecozoning" in providers, sorted(providers)
    provider = providers["ecozoning"]
    assert provider["is_active"]
    assert "生态环境分区管控" in provider["name"]
    for alg_id in ALGORITHMS:
        assert alg_id in provider["algorithms"], sorted(provider["algorithms"])
        assert provider["algorithms"][alg_id]["name"].strip()

    text = qgis_process("list")  # the plain listing people read
    for alg_id in ALGORITHMS:
        assert alg_id in text.stdout


def test_help_describes_delineateunits_and_every_argument(enabled, qgis_process):
    assert enabled.returncode == 0
    text = qgis_process("help", "ecozoning:delineateunits")
    assert text.returncode == 0, text.stderr
    description = text.stdout.split("Description", 1)[1].split("Arguments", 1)[0].strip("-\n ")
    assert len(description) > 40, text.stdout[:500]

    result = qgis_process("--json", "help", "ecozoning:delineateunits")
    assert result.returncode == 0, result.stderr
    details = json.loads(result.stdout)
    assert details["algorithm_details"]["id"] == "ecozoning:delineateunits"
    parameters = details["parameters"]
    assert parameters and details["outputs"]
    for name, parameter in parameters.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name)
        assert parameter["help"].strip(), f"{name} has no help"
        assert name in text.stdout  # every argument is explained in the text help too


def test_help_of_an_unknown_algorithm_fails_cleanly(enabled, qgis_process):
    result = qgis_process("help", "ecozoning:nosuchalgorithm")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr


def test_standardizezones_codes_the_sample_red_line(enabled, qgis_process, tmp_path):
    missing = [str(p.relative_to(ROOT)) for p in (COUNTIES, ZONES) if not p.exists()]
    if missing:
        pytest.skip(f"sample data not committed yet: {', '.join(missing)} (made by scripts/generate_zones.py)")
    from osgeo import ogr

    ogr.UseExceptions()
    assert enabled.returncode == 0
    output, report = tmp_path / "eco_redline_zones.gpkg", tmp_path / "report.gpkg"
    result = qgis_process(
        "--json",
        "run",
        "ecozoning:standardizezones",
        "--",
        f"INPUT={ZONES}|layername=eco_redline",
        "SUBTYPE=eco_redline",
        f"ADMIN={COUNTIES}|layername=counties",
        "ADMIN_CODE_FIELD=XZQDM",
        f"OUTPUT={output}",
        f"REPORT={report}",
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    results = json.loads(result.stdout)["results"]
    assert Path(results["OUTPUT"].split("|", 1)[0]) == output
    assert output.exists()

    counties = ogr.Open(str(COUNTIES))
    county_codes = {f.GetField("XZQDM") for f in counties.GetLayerByName("counties")}
    dataset = ogr.Open(str(output))
    layer = dataset.GetLayer(0)
    assert layer.GetFeatureCount() > 0
    codes = []
    for feature in layer:
        code = feature.GetField("YSBM")
        codes.append(code)
        # YS + county + element 1 (ecology) + class 1 (priority) + serial
        assert re.fullmatch(r"YS\d{6}11\d{4}", code or ""), code
        assert code[2:8] in county_codes, f"{code} names no county of the sample"
        geometry = feature.GetGeometryRef()
        assert geometry is not None and not geometry.IsEmpty() and geometry.GetArea() > 0
    assert len(codes) == len(set(codes)), "element-zone codes are not unique"
