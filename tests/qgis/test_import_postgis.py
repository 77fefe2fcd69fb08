"""importunits from PostGIS (issue 11): a throwaway PostgreSQL 15 + PostGIS cluster on 127.0.0.1 and a free port,
started and stopped by the test; PostgreSQL lowercases the department's field names (hjzhgkdybm …)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsVectorLayer

BIN = Path("/usr/lib/postgresql/15/bin")
pytestmark = pytest.mark.skipif(
    not (BIN / "initdb").exists() or not Path("/usr/share/postgresql/15/extension/postgis.control").exists(),
    reason="PostgreSQL 15 with PostGIS 3 is not installed (apt-get install postgresql-15-postgis-3)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command: str, **kwargs):
    """Run a PostgreSQL binary as an unprivileged user (initdb refuses root)."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, **kwargs)  # noqa: S603


@pytest.fixture(scope="module")
def postgis():
    folder = tempfile.mkdtemp(prefix="ecozoning-pg-")
    data = os.path.join(folder, "data")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    port = free_port()
    as_postgres(str(BIN / "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
    as_postgres(
        str(BIN / "pg_ctl"), "-D", data, "-l", os.path.join(folder, "log"), "-w", "-t", "60", "-o",
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder}", "start",
    )  # fmt: skip
    try:
        for _ in range(50):
            if subprocess.run([str(BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)]).returncode == 0:  # noqa: S603
                break
            time.sleep(0.1)
        psql = ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        subprocess.run([*psql, "-c", "CREATE DATABASE units"], check=True, capture_output=True)  # noqa: S603
        subprocess.run([*psql, "-d", "units", "-c", "CREATE EXTENSION postgis"], check=True, capture_output=True)  # noqa: S603
        yield {"port": port, "dsn": f"PG:host=127.0.0.1 port={port} user=postgres dbname=units"}
    finally:
        as_postgres(str(BIN / "pg_ctl"), "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_units_from_postgis_with_lowercased_fields(sample_processing, postgis, tmp_path):
    from test_import_scheme import UNITS, gbk_shapefile, rows

    shp = gbk_shapefile(tmp_path / "foshan_units.shp")
    subprocess.run(  # noqa: S603 - fixed binary
        ["ogr2ogr", "-f", "PostgreSQL", postgis["dsn"], shp, "-nln", "foshan_units", "-lco", "GEOMETRY_NAME=geom",
         "-oo", "ENCODING=CP936"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    uri = (
        f"dbname='units' host=127.0.0.1 port={postgis['port']} user='postgres' key='ogc_fid' srid=4547 "
        'type=Polygon table="public"."foshan_units" (geom)'
    )
    layer = QgsVectorLayer(uri, "foshan_units", "postgres")
    assert layer.isValid()
    assert "hjzhgkdybm" in layer.fields().names()  # PostgreSQL lowercases the names
    assert QgsProject.instance().addMapLayer(layer, False) is not None
    try:
        result = sample_processing.run(
            "ecozoning:importunits",
            {"INPUT": layer, "OUTPUT": str(tmp_path / "u.gpkg"), "REPORT": str(tmp_path / "r.csv")},
        )
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    got = {r["HJGKDYBM"]: r for r in rows(result["OUTPUT"])}
    assert set(got) == set(UNITS)
    for code, (name, _class, county, _x) in UNITS.items():
        assert got[code]["HJGKDYMC"] == name and got[code]["COUNTY"] == county
        assert got[code]["ZHGKDYFL"] == int(code[8]) and got[code]["MJ"] == pytest.approx(4.0, rel=2e-3)
