"""The storage interface without a server: the folder store, who may edit which list, what a failed connection
says, and the migration list (the database itself is tested in tests/qgis/test_team_*.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecozoning.core import db_library as db
from ecozoning.core.db_migrations import MIGRATIONS, SCHEMA_VERSION, pending
from ecozoning.core.library_store import FolderStore, Permissions, SchemaTooNewError, folder_digest
from ecozoning.core.lists import ConflictError, load_library

SAMPLE_LIBRARY = Path(__file__).resolve().parents[2] / "resources" / "sample" / "library"


def test_the_folder_store_loads_saves_and_refuses_a_file_changed_on_disk(tmp_path):
    root = tmp_path / "library"
    shutil.copytree(SAMPLE_LIBRARY, root)
    store = FolderStore(str(root))
    before = store.revision()
    assert before == "sha256:" + folder_digest(str(root)) and len(before) == 71
    library = store.load()
    clause, _level, _scope, list_file = library.find("C-230100-001")
    clause.text = "改过的市级条款"
    list_file.dirty = True
    assert store.save(library) == ["cities/230100.yaml"]
    assert "改过的市级条款" in (root / "cities" / "230100.yaml").read_text(encoding="utf-8")
    assert store.revision() != before
    (root / "cities" / "230100.yaml").write_text("level: city\nclauses: []\n", encoding="utf-8")
    list_file.dirty = True
    with pytest.raises(ConflictError):
        store.save(library)
    assert store.permissions().can_edit("province", "province") == (True, "")
    assert not store.supports_history and store.history() == []


@pytest.mark.parametrize(
    ("kind", "cities", "allowed"),
    [
        ("owner", [], {"province", "region", "city", "unit", "other_city", "other_unit"}),
        ("province", [], {"province", "region"}),
        ("prefecture", ["230100"], {"city", "unit"}),
        ("reviewer", [], set()),
    ],
)
def test_who_may_edit_which_list(kind, cities, allowed):
    perms = Permissions(kind, cities, "someone")
    lists = {
        "province": ("province", "province"),
        "region": ("region", "hds"),
        "city": ("city", "230100"),
        "unit": ("unit", "ZH23010210001"),
        "other_city": ("city", "230200"),
        "other_unit": ("unit", "ZH23020210001"),
    }
    assert {name for name, key in lists.items() if perms.can_edit(*key)[0]} == allowed
    refused = [perms.can_edit(*key)[1] for name, key in lists.items() if name not in allowed]
    assert all(refused)  # every refusal has a reason
    assert db.refusal_text(perms, "city", "230200") != ""


def test_connection_failures_say_which_and_what_to_do():
    where = "bob@db.example:5432/scheme"
    cases = {
        'FATAL:  password authentication failed for user "bob"': "wrong_password",
        'connection to server at "db.example", port 5432 failed: Connection refused': "server_down",
        "timeout expired": "server_down",
        'FATAL:  database "scheme" does not exist': "no_database",
        'FATAL:  no pg_hba.conf entry for host "10.0.0.2"': "no_rights",
    }
    for text, reason in cases.items():
        error = db.connection_error(Exception(text), where)
        assert error.reason == reason, text
        assert where in str(error)
    assert "password" not in db.describe({"host": "h", "port": 1, "dbname": "d", "user": "u", "password": "secret"})
    assert "secret" not in db.describe({"host": "h", "port": 1, "dbname": "d", "user": "u", "password": "secret"})


def test_migrations_are_numbered_in_order_and_a_newer_schema_names_both_versions():
    numbers = [m[0] for m in MIGRATIONS]
    assert numbers == list(range(1, len(MIGRATIONS) + 1)) and SCHEMA_VERSION == numbers[-1]
    assert pending(SCHEMA_VERSION) == [] and [m[0] for m in pending(0)] == numbers
    message = str(SchemaTooNewError(7, SCHEMA_VERSION))
    assert "version 7" in message and f"version {SCHEMA_VERSION}" in message


def test_library_rows_cover_every_clause_and_list_of_the_sample():
    library = load_library(str(SAMPLE_LIBRARY))
    rows, lists = db.library_rows(library)
    assert len(rows) == sum(1 for _ in library.iter_clauses())
    assert {("unit", code) for code in library.unit_codes()} <= set(lists)
    assert ("province", "province") in lists and ("city", "230100") in lists and ("region", "hds") in lists
    for level, scope, position, clause in rows:
        assert library.clause_list(level, scope)[position] is clause
