"""Chinese first: with QGIS's locale set to Simplified Chinese (zh_CN, or zh-Hans as recent QGIS saves it) the
plugin installs resources/i18n/ecozoning_zh_CN.qm and the toolbox shows Chinese algorithm names, groups and
parameter descriptions; with en_US it stays English. Every string scripts/i18n.py extracts has a translation."""

from __future__ import annotations

import gc
import importlib.util
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

import ecozoning

ROOT = Path(__file__).resolve().parents[2]


def _i18n():
    spec = importlib.util.spec_from_file_location("ecozoning_i18n", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def locale_setting(qgis_processing):
    settings = QgsSettings()
    saved = settings.value("locale/userLocale", None)
    yield settings
    if saved is None:
        settings.remove("locale/userLocale")
    else:
        settings.setValue("locale/userLocale", saved)  # noqa: QGS202 - QgsSettings.setValue returns nothing


def strings_under(settings, locale: str) -> dict:
    """What the toolbox shows with QGIS's locale set to ``locale``; the plugin is unloaded afterwards."""
    settings.setValue("locale/userLocale", locale)  # noqa: QGS202 - QgsSettings.setValue returns nothing
    plugin = ecozoning.classFactory(None)
    try:
        plugin.initProcessing()
        registry = QgsApplication.processingRegistry()
        algorithm = registry.algorithmById("ecozoning:delineateunits")
        screen = registry.algorithmById("ecozoning:screenprojects")
        return {
            "translator": plugin.translator is not None,
            "display": algorithm.displayName(),
            "group": algorithm.group(),
            "screen_group": screen.group(),
            "param": algorithm.parameterDefinition("ADMIN").description(),
            "help": algorithm.parameterDefinition("ADMIN").help(),
            "menu": QCoreApplication.translate("EcoZoning", "Delineate control units…"),
            "dock": QCoreApplication.translate("EcoZoning", "准入清单 Admission lists"),
        }
    finally:
        plugin.unload()
        gc.collect()
        assert [p for p in QgsApplication.processingRegistry().providers() if p.id() == "ecozoning"] == []


@pytest.mark.parametrize("locale", ["zh_CN", "zh-Hans"])
def test_chinese_locale_translates_the_toolbox(locale_setting, locale):
    shown = strings_under(locale_setting, locale)
    assert shown["translator"], f"no translation loaded for {locale}"
    assert shown["display"] == "划定环境管控单元"
    assert shown["group"] == "2 环境管控单元"
    assert shown["screen_group"] == "4 环境准入研判"
    assert shown["param"] == "行政区（县级）"
    assert shown["help"].startswith("带 6 位 GB/T 2260")
    assert shown["menu"] == "划定环境管控单元…"
    assert shown["dock"] == "准入清单"


def test_english_locale_stays_english(locale_setting):
    shown = strings_under(locale_setting, "en_US")
    assert not shown["translator"]
    assert shown["display"] == "Delineate environmental control units"
    assert shown["group"] == "2 Control units"
    assert shown["param"] == "Admin areas (counties)"
    assert shown["menu"] == "Delineate control units…"
    assert shown["dock"] == "准入清单 Admission lists"


def test_translator_is_removed_on_unload(locale_setting):
    strings_under(locale_setting, "zh_CN")
    assert QCoreApplication.translate("DelineateUnits", "Delineate environmental control units") == (
        "Delineate environmental control units"
    )


def test_every_source_string_is_translated():
    i18n = _i18n()
    found, _warnings = i18n.extract()
    merged, missing = i18n.merge(found, i18n.load_dictionary())
    assert sum(len(v) for v in merged.values()) > 100
    assert "Delineate environmental control units" in found["DelineateUnits"]
    assert "Control units" in found["EcoZoningAlgorithm"]
    assert missing == [], "untranslated strings (add them to resources/i18n/zh_CN.yaml, run make translations)"


def test_committed_translation_is_up_to_date():
    i18n = _i18n()
    found, _warnings = i18n.extract()
    merged, _missing = i18n.merge(found, i18n.load_dictionary())
    assert i18n.TS_FILE.read_text(encoding="utf-8") == i18n.render_ts(merged), "run make translations"
    qm = i18n.TS_FILE.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_size > 0
