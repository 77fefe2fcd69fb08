"""Delineation on a real Dask cluster on loopback gives the units of a local run.

A `dask scheduler` and two `dask worker` processes on 127.0.0.1 (random ports, from the venv), the Harbin sample
standardized, then delineated twice with scripts/ecozoning_cli.py: on this machine and with --scheduler. Same
codes, classes, names, geometry (symmetric difference under 1e-6 m² scale in degrees² and equals_exact within
1e-9°) and merge log. The cluster's processes are stopped at the end, also when the test fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
CLI = ROOT / "scripts" / "ecozoning_cli.py"
TIMEOUT = 300


def _dask_bin() -> Path:
    return Path(sys.executable).parent / "dask"


@pytest.fixture(scope="module")
def env(qgis_env_sh, tmp_path_factory) -> dict[str, str]:
    environment = dict(qgis_env_sh)
    environment["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path_factory.mktemp("qgis-profile"))
    # workers import the plugin as package 'ecozoning', as QGIS does
    pkg = ROOT / "build" / "pkg"
    pkg.mkdir(parents=True, exist_ok=True)
    if not (pkg / "ecozoning").exists():
        (pkg / "ecozoning").symlink_to(ROOT, target_is_directory=True)
    environment["PYTHONPATH"] = f"{pkg}:{environment.get('PYTHONPATH', '')}"
    return environment


def _cli(env, *args, timeout=TIMEOUT) -> dict:
    done = subprocess.run(
        [sys.executable, str(CLI), *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def standardized(env, tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("zones")
    specs = yaml.safe_load((SAMPLE / "layers.yaml").read_text(encoding="utf-8"))["layers"]
    paths = []
    for layer, spec in specs.items():
        params = [
            f"INPUT={SAMPLE / 'harbin_zones.gpkg'}|layername={layer}",
            f"ADMIN={SAMPLE / 'harbin_counties.gpkg'}|layername=counties",
            f"OUTPUT={out / (layer + '.gpkg')}",
        ]
        if "subtype" in spec:
            params.append(f"SUBTYPE={spec['subtype']}")
        else:
            params += [f"SUBTYPE_FIELD={spec['subtype_field']}", f"VALUE_MAP={spec['value_map']}"]
        if spec.get("name_field"):
            params.append(f"NAME_FIELD={spec['name_field']}")
        paths.append(_cli(env, "standardizezones", *params)["OUTPUT"])
    return paths


@pytest.fixture()
def cluster(env, tmp_path):
    """Scheduler + two single-threaded workers on 127.0.0.1; yields the scheduler address; always stopped."""
    dask = _dask_bin()
    if not dask.exists():
        pytest.skip(f"{dask} missing: pip install -r requirements-dev.txt (distributed)")
    scheduler_file = tmp_path / "scheduler.json"
    processes: list[subprocess.Popen] = []
    logs = []

    def start(*args):
        log = open(tmp_path / f"dask{len(processes)}.log", "wb")  # noqa: SIM115 - closed at the end
        logs.append(log)
        processes.append(
            subprocess.Popen(  # noqa: S603
                [str(dask), *args], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=tmp_path
            )
        )

    try:
        start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--dashboard-address",
            "127.0.0.1:0",
            "--scheduler-file",
            str(scheduler_file),
        )
        deadline = time.time() + 60
        while not scheduler_file.exists() and time.time() < deadline:
            assert processes[0].poll() is None, (tmp_path / "dask0.log").read_text()
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for _ in range(2):
            start(
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--local-directory",
                str(tmp_path),
                "--death-timeout",
                "60",
            )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in processes[::-1]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes[::-1]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in logs:
            log.close()


def _read(path: str) -> list[tuple[dict, object]]:
    import shapely
    from osgeo import ogr

    data_source = ogr.Open(path)
    layer = data_source.GetLayer(0)
    rows = []
    for feature in layer:
        geometry = feature.GetGeometryRef()
        geom = shapely.from_wkb(bytes(geometry.ExportToIsoWkb())) if geometry is not None else None
        rows.append(({k: feature.GetField(k) for k in feature.keys()}, geom))
    return rows


def _delineate(env, zones, out: Path, *extra) -> dict:
    return _cli(
        env,
        "delineateunits",
        f"ADMIN={SAMPLE / 'harbin_counties.gpkg'}|layername=counties",
        "COUNTY_FIELD=COUNTY",
        *[f"ZONES={z}" for z in zones],
        f"UNITS={out / 'units.gpkg'}",
        f"MERGE_LOG={out / 'merge_log.gpkg'}",
        *extra,
    )


def test_dask_cluster_gives_the_local_units(env, standardized, cluster, tmp_path):
    import shapely

    local_dir, dask_dir = tmp_path / "local", tmp_path / "dask"
    local_dir.mkdir()
    dask_dir.mkdir()
    local = _delineate(env, standardized, local_dir)
    remote = _delineate(env, standardized, dask_dir, "--scheduler", cluster)
    assert local["UNIT_COUNT"] == remote["UNIT_COUNT"] > 18  # at least one unit per county

    units_local = {row["HJGKDYBM"]: (row, geom) for row, geom in _read(local["UNITS"])}
    units_dask = {row["HJGKDYBM"]: (row, geom) for row, geom in _read(remote["UNITS"])}
    assert sorted(units_local) == sorted(units_dask)
    for code, (row, geom) in units_local.items():
        other_row, other_geom = units_dask[code]
        for field in ("HJGKDYMC", "ZHGKDYFL", "GKDYLX", "XZQDM", "YSBM"):
            assert row[field] == other_row[field], (code, field)
        assert abs(row["MJ"] - other_row["MJ"]) < 1e-6, code
        assert shapely.area(shapely.symmetric_difference(geom, other_geom)) < 1e-12, code
        assert shapely.equals_exact(shapely.normalize(geom), shapely.normalize(other_geom), tolerance=1e-9), code

    def log_rows(path):
        rows = [
            (r["XZQDM"], r["ACTION"], r["FROM_CLASS"], r["FROM_TYPE"], r["INTO_CODE"], round(r["AREA_M2"], 1))
            for r, _ in _read(path)
        ]
        return sorted(rows, key=lambda r: tuple(str(v) for v in r))

    merges = log_rows(local["MERGE_LOG"])
    assert merges == log_rows(remote["MERGE_LOG"])
    assert any(action == "merged" for _, action, *_ in merges)


def test_unreachable_scheduler_is_a_clear_error(env, standardized, tmp_path):
    import socket

    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = subprocess.run(
        [
            sys.executable,
            str(CLI),
            "delineateunits",
            f"ADMIN={SAMPLE / 'harbin_counties.gpkg'}|layername=counties",
            f"ZONES={standardized[0]}",
            f"UNITS={tmp_path / 'units.gpkg'}",
            "--scheduler",
            f"tcp://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in done.stderr
    assert not (tmp_path / "units.gpkg").exists()
