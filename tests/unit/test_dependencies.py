"""The dependency check: who is reported missing or too old, and what the user is told to run.

No QGIS here: ``dependencies`` is imported on its own, the way plugin.py uses it before anything else.
"""

from __future__ import annotations

import types

import pytest

from ecozoning import dependencies
from ecozoning.dependencies import MissingDependency, find_missing, install_hint

REQUIRED = dependencies.REQUIRED  # (import name, pip name, minimum version)


def fake_importer(versions: dict[str, object]):
    """An importer that returns modules carrying the given ``__version__``.

    A value of ``None`` means "not installed" (ImportError), an exception instance is raised as is (a broken binary
    wheel), ``...`` means a module without ``__version__``.
    """

    def importer(name: str):
        if name not in versions or versions[name] is None:
            raise ImportError(f"No module named '{name}'")
        value = versions[name]
        if isinstance(value, BaseException):
            raise value
        module = types.ModuleType(name)
        if value is not ...:
            module.__version__ = value
        return module

    return importer


RECENT = {"shapely": "2.1.2", "yaml": "6.0.3", "openpyxl": "3.1.5", "docx": "1.2.0"}


def by_name(missing: list[MissingDependency]) -> dict[str, MissingDependency]:
    return {m.pip_name: m for m in missing}


def test_requirements_txt_matches_the_runtime_check():
    """The check and the file users install from must agree on names and minimum versions."""
    from pathlib import Path

    text = (Path(dependencies.__file__).parent / "requirements.txt").read_text(encoding="utf-8")
    declared = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, minimum = line.partition(">=")
            declared[name.strip().lower()] = minimum.strip()
    checked = {pip: ".".join(map(str, minimum)) for _module, pip, minimum in REQUIRED}
    assert declared == checked


def test_nothing_is_missing_when_recent_versions_are_installed():
    assert find_missing(importer=fake_importer(RECENT)) == []


def test_the_real_environment_has_everything():
    """The environment the tests and the demo run in satisfies the plugin (else the other tiers mean nothing)."""
    assert find_missing() == []


def test_a_too_old_and_an_absent_package_are_both_reported():
    versions = dict(RECENT, shapely="1.8.5", yaml=None)
    missing = by_name(find_missing(importer=fake_importer(versions)))
    assert set(missing) == {"shapely", "pyyaml"}
    assert missing["shapely"] == MissingDependency("shapely", "2.0", "1.8.5")
    assert missing["pyyaml"] == MissingDependency("pyyaml", "5.4", None)


@pytest.mark.parametrize(
    ("found", "reported"),
    [
        ("1.8.5", True),
        ("1.99", True),
        ("2.0", False),
        ("2.0.0", False),
        ("2.1.2", False),
        ("10.0", False),  # numeric, not string comparison
        ("2.0.0rc1", False),  # pre-release of the minimum counts as the minimum
        ("2.1.0.dev0", False),
    ],
)
def test_versions_are_compared_as_numbers(found, reported):
    missing = find_missing(importer=fake_importer(dict(RECENT, shapely=found)))
    assert (missing != []) is reported
    if reported:
        assert missing == [MissingDependency("shapely", "2.0", found)]


def test_a_module_without_a_version_is_reported_as_too_old():
    missing = find_missing(importer=fake_importer(dict(RECENT, openpyxl=...)))
    assert [m.pip_name for m in missing] == ["openpyxl"]
    assert missing[0].found is not None  # installed, but not known to be recent enough


def test_a_broken_binary_wheel_counts_as_not_installed():
    """A shapely wheel built for another numpy raises something other than ImportError on import."""
    broken = OSError("libgeos_c.so.1: cannot open shared object file")
    missing = find_missing(importer=fake_importer(dict(RECENT, shapely=broken)))
    assert missing == [MissingDependency("shapely", "2.0", None)]


MISSING = [MissingDependency("shapely", "2.0", "1.8.5"), MissingDependency("pyyaml", "5.4", None)]


@pytest.mark.parametrize("system", ["Windows", "Darwin", "Linux"])
def test_the_hint_names_every_package_with_what_was_found_and_what_is_needed(system):
    hint = install_hint(MISSING, system=system, executable="/x/python3")
    assert "shapely (found 1.8.5, need >= 2.0)" in hint
    assert "pyyaml (not installed)" in hint
    # a copy-pasteable requirement for each package, quoted so that ">" is no shell redirection
    assert '"shapely>=2.0"' in hint
    assert '"pyyaml>=5.4"' in hint
    assert "restart QGIS" in hint


def test_windows_users_are_sent_to_the_osgeo4w_shell():
    hint = install_hint(MISSING, system="Windows")
    assert "OSGeo4W Shell" in hint
    assert 'python -m pip install --upgrade "shapely>=2.0" "pyyaml>=5.4"' in hint
    assert "/usr/bin/python3" not in hint and "QGIS.app" not in hint


def test_macos_users_get_the_python_inside_qgis_app():
    hint = install_hint(MISSING, system="Darwin")
    assert '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user --upgrade "shapely>=2.0"' in hint
    assert "OSGeo4W" not in hint and "apt" not in hint


def test_linux_users_get_the_system_python_and_apt():
    hint = install_hint(MISSING, system="Linux")
    assert '/usr/bin/python3 -m pip install --user --upgrade "shapely>=2.0" "pyyaml>=5.4"' in hint
    # Debian 12 / Ubuntu 23.04+ refuse plain pip installs into the system Python (PEP 668): say how to get past it
    assert "externally-managed-environment" in hint and "--break-system-packages" in hint
    assert "sudo apt install python3-shapely python3-yaml python3-openpyxl" in hint
    assert "OSGeo4W" not in hint and "QGIS.app" not in hint


def test_the_hint_follows_the_running_system_by_default(monkeypatch):
    monkeypatch.setattr(dependencies.platform, "system", lambda: "Windows")
    assert "OSGeo4W Shell" in install_hint(MISSING)
    monkeypatch.setattr(dependencies.platform, "system", lambda: "Darwin")
    assert "QGIS.app" in install_hint(MISSING)
    monkeypatch.setattr(dependencies.platform, "system", lambda: "Linux")
    assert "/usr/bin/python3 -m pip" in install_hint(MISSING)
