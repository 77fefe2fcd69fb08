"""publishlibrary and exportlibrary through Processing on a throwaway PostgreSQL + PostGIS, and the library
revision that exportlisttable and exportfiling record when they read a team database."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import psycopg2
import pytest
from openpyxl import load_workbook
from qgis.core import QgsApplication, QgsProcessingException, QgsProviderRegistry, QgsVectorLayer

from ecozoning.core.list_table import META_SHEET
from ecozoning.core.lists import load_library
from ecozoning.processing.db_connections import save_connection, store_basic_auth

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
LIBRARY = SAMPLE / "library"


@pytest.fixture(scope="module")
def database(pg_server, sample_processing):
    """An empty database and a saved connection of its owner (credentials in an authcfg)."""
    params = pg_server.create_database("algorithms")
    auth = QgsApplication.authManager()
    if not auth.masterPasswordIsSet():
        assert auth.setMasterPassword("test-master-password", True)
    authcfg = store_basic_auth("algorithms owner", params["user"], params["password"])
    save_connection("eco-algorithms", params["host"], params["port"], params["dbname"], authcfg)
    yield params
    QgsProviderRegistry.instance().providerMetadata("postgres").deleteConnection("eco-algorithms")


def unit_rows(path):
    layer = QgsVectorLayer(path, "units", "ogr")
    assert layer.isValid()
    return [(f["HJGKDYBM"], f["ZHGKDYFL"], f["GKDYLX"]) for f in layer.getFeatures()]


def query(params, sql):
    conn = psycopg2.connect(**params)
    with conn.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    conn.close()
    return rows


def test_publish_then_export_gives_every_unit_the_same_list(sample_processing, sample_chain, database, tmp_path):
    result = sample_processing.run(
        "ecozoning:publishlibrary",
        {"LIBRARY": str(LIBRARY), "DATABASE": "eco-algorithms", "UNITS": sample_chain["units"]},
    )
    folder = load_library(str(LIBRARY))
    assert result["CLAUSE_COUNT"] == sum(1 for _ in folder.iter_clauses())
    units = unit_rows(sample_chain["units"])
    assert result["UNIT_COUNT"] == len(units)
    assert query(database, "SELECT count(*), count(DISTINCT code), min(ST_SRID(geom)) FROM ecozoning.units")[0] == (
        len(units),
        len({u[0] for u in units}),
        4490,
    )
    assert query(database, "SELECT count(*) FROM ecozoning.units WHERE NOT ST_IsValid(geom)")[0][0] == 0

    with pytest.raises(QgsProcessingException, match="already holds a library"):
        sample_processing.run("ecozoning:publishlibrary", {"LIBRARY": str(LIBRARY), "DATABASE": "eco-algorithms"})
    again = sample_processing.run(
        "ecozoning:publishlibrary", {"LIBRARY": str(LIBRARY), "DATABASE": "eco-algorithms", "REPLACE": True}
    )
    assert int(again["REVISION"].split("#")[1]) > int(result["REVISION"].split("#")[1])

    exported = sample_processing.run(
        "ecozoning:exportlibrary", {"DATABASE": "eco-algorithms", "OUTPUT": str(tmp_path / "exported")}
    )
    assert exported["REVISION"] == again["REVISION"]
    back = load_library(str(tmp_path / "exported"))
    for code, unit_class, subtype in units:
        mine = [(e.level, e.clause.id, e.clause.text) for e in folder.effective(code, unit_class, [subtype])]
        theirs = [(e.level, e.clause.id, e.clause.text) for e in back.effective(code, unit_class, [subtype])]
        assert theirs == mine, code


def test_list_table_and_filing_record_the_library_revision(sample_processing, sample_chain, database, tmp_path):
    sample_processing.run(
        "ecozoning:publishlibrary", {"LIBRARY": str(LIBRARY), "DATABASE": "eco-algorithms", "REPLACE": True}
    )
    last = query(database, "SELECT max(id) FROM ecozoning.history")[0][0]
    table = sample_processing.run(
        "ecozoning:exportlisttable",
        {"UNITS": sample_chain["units"], "DATABASE": "eco-algorithms", "OUTPUT_XLSX": str(tmp_path / "t.xlsx")},
    )
    assert table["REVISION"].endswith(f"/algorithms#{last}")
    about = dict(load_workbook(tmp_path / "t.xlsx")[META_SHEET].iter_rows(min_row=2, values_only=True))
    assert about["revision"] == table["REVISION"]
    folder_table = sample_processing.run(
        "ecozoning:exportlisttable",
        {"UNITS": sample_chain["units"], "LIBRARY": str(LIBRARY), "OUTPUT_XLSX": str(tmp_path / "f.xlsx")},
    )
    assert folder_table["REVISION"].startswith("sha256:") and len(folder_table["REVISION"]) == 71

    from test_export_filing import params as filing_params

    filing = filing_params(sample_chain, tmp_path / "filing.zip", LIBRARY=None, DATABASE="eco-algorithms")
    sample_processing.run("ecozoning:exportfiling", filing)
    with zipfile.ZipFile(tmp_path / "filing.zip") as archive:
        name = next(n for n in archive.namelist() if n.endswith("metadata.json"))
        metadata = json.loads(archive.read(name))
    assert metadata["library_revision"] == table["REVISION"]
