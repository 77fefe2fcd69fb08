"""The contract every EcoZoning algorithm keeps, so that it works in the toolbox, the model builder, batch mode and
qgis_process alike: stable ASCII ids, bilingual help, help on every parameter, nothing hidden, usable in a model.

Walks whatever the provider offers: a new algorithm is checked without touching this file.
"""

from __future__ import annotations

import re

import pytest
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingParameterDefinition,
    QgsSettings,
)

import ecozoning
from ecozoning.processing.algorithms import all_algorithms

PROVIDER_ID = "ecozoning"
ALGORITHM_NAMES = sorted(alg.name() for alg in all_algorithms())
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _flag(old_name: str, new_name: str):
    """Algorithm flags moved to Qgis.ProcessingAlgorithmFlag in QGIS 3.36; 3.22 only has the old spelling."""
    scoped = getattr(Qgis, "ProcessingAlgorithmFlag", None)
    if scoped is not None and hasattr(scoped, new_name):
        return getattr(scoped, new_name)
    return getattr(QgsProcessingAlgorithm, old_name)


def _parameter_flag(old_name: str, new_name: str):
    scoped = getattr(Qgis, "ProcessingParameterFlag", None)
    if scoped is not None and hasattr(scoped, new_name):
        return getattr(scoped, new_name)
    return getattr(QgsProcessingParameterDefinition, old_name)


HIDE_FROM_MODELER = _flag("FlagHideFromModeler", "HideFromModeler")
HIDE_FROM_TOOLBOX = _flag("FlagHideFromToolbox", "HideFromToolbox")
DEPRECATED = _flag("FlagDeprecated", "Deprecated")
OPTIONAL = _parameter_flag("FlagOptional", "Optional")


@pytest.fixture(scope="module")
def provider():
    plugin = ecozoning.classFactory(None)  # as qgis_process loads it
    plugin.initProcessing()
    registered = QgsApplication.processingRegistry().providerById(PROVIDER_ID)
    assert registered is not None
    yield registered
    plugin.unload()


@pytest.fixture(params=ALGORITHM_NAMES)
def alg(request, provider):
    algorithm = QgsApplication.processingRegistry().algorithmById(f"{PROVIDER_ID}:{request.param}")
    assert algorithm is not None, f"{PROVIDER_ID}:{request.param} is not in the registry"
    return algorithm


def test_the_provider_offers_the_expected_algorithms(provider):
    names = sorted(a.name() for a in provider.algorithms())
    # the Python algorithms, plus the shipped models (resources/models/*.model3)
    assert set(ALGORITHM_NAMES) <= set(names)
    assert set(names) - set(ALGORITHM_NAMES) == {"wholechain"}
    assert {"standardizezones", "delineateunits", "validateunits"} <= set(names)


def test_ids_are_stable_ascii(alg):
    assert re.fullmatch(r"[a-z]+", alg.name()), alg.name()
    assert alg.id() == f"{PROVIDER_ID}:{alg.name()}"
    assert alg.provider().id() == PROVIDER_ID
    group_id = alg.groupId()
    assert group_id and group_id.isascii() and not re.search(r"\s", group_id), group_id
    assert alg.group().strip() and alg.displayName().strip()


def test_create_instance_gives_a_new_working_algorithm(alg):
    copy = alg.createInstance()
    assert copy is not None and copy is not alg
    assert type(copy) is type(alg)
    assert copy.name() == alg.name()
    # create() is what the toolbox, the modeler and qgis_process call: a new instance, initialized
    created = alg.create({})
    assert created is not None and created is not alg
    assert [p.name() for p in created.parameterDefinitions()] == [p.name() for p in alg.parameterDefinitions()]
    assert [o.name() for o in created.outputDefinitions()] == [o.name() for o in alg.outputDefinitions()]
    can_execute, why = created.canExecute()
    assert can_execute, why
    # with no input at all it refuses cleanly instead of raising
    ok, message = created.checkParameterValues({}, QgsProcessingContext())
    mandatory = [p for p in created.parameterDefinitions() if not p.flags() & OPTIONAL]
    if mandatory:
        assert not ok and message


def test_help_exists_in_chinese_and_english(alg):
    zh, en = type(alg).HELP_ZH, type(alg).HELP_EN
    assert len(CJK.findall(zh)) >= 20, f"HELP_ZH of {alg.name()} is not Chinese prose: {zh[:80]!r}"
    assert en.strip(), f"{alg.name()} has no HELP_EN"
    visible = [ch for ch in en if not ch.isspace()]
    ascii_share = sum(ch.isascii() for ch in visible) / len(visible)
    assert ascii_share >= 0.9, f"HELP_EN of {alg.name()} is not English ({ascii_share:.0%} ASCII)"
    assert len(re.findall(r"[A-Za-z]+", en)) >= 10, "HELP_EN is too short to help anyone"


@pytest.mark.parametrize(("locale", "language"), [("zh_CN", "zh"), ("en_US", "en"), ("de_DE", "en")])
def test_the_help_panel_follows_the_user_language(alg, locale, language):
    """Chinese users read Chinese help in the algorithm dialog; everybody else gets English."""
    settings = QgsSettings()
    before = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", locale)  # noqa: QGS202 (QgsSettings.setValue returns nothing)
    try:
        shown = alg.shortHelpString()
    finally:
        settings.setValue("locale/userLocale", before)  # noqa: QGS202 (QgsSettings.setValue returns nothing)
    expected = type(alg).HELP_ZH if language == "zh" else type(alg).HELP_EN
    assert shown == expected


def test_nothing_is_hidden(alg):
    flags = alg.flags()
    assert not flags & HIDE_FROM_MODELER, f"{alg.id()} is hidden from the model builder"
    assert not flags & HIDE_FROM_TOOLBOX, f"{alg.id()} is hidden from the toolbox"
    assert not flags & DEPRECATED, f"{alg.id()} is marked deprecated"


def test_every_parameter_has_an_upper_case_name_a_description_and_help(alg):
    parameters = alg.parameterDefinitions()
    assert parameters, f"{alg.id()} has no parameters"
    problems = []
    for parameter in parameters:
        name = parameter.name()
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            problems.append(f"{name}: name is not UPPER_CASE ASCII")
        if not parameter.description().strip():
            problems.append(f"{name}: no description")
        if not (parameter.help() or "").strip():
            problems.append(f"{name}: no help()")
    for output in alg.outputDefinitions():
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", output.name()):
            problems.append(f"output {output.name()}: name is not UPPER_CASE ASCII")
    assert not problems, f"{alg.id()}: " + "; ".join(problems)


def test_it_can_be_a_step_of_a_saved_and_reopened_model(alg):
    model = QgsProcessingModelAlgorithm("contract", "tests")
    child = QgsProcessingModelChildAlgorithm(alg.id())
    child.generateChildId(model)
    child_id = model.addChildAlgorithm(child)
    resolved = model.childAlgorithm(child_id).algorithm()
    assert resolved is not None, f"the model cannot resolve {alg.id()}"
    assert resolved.id() == alg.id()
    assert [p.name() for p in resolved.parameterDefinitions()] == [p.name() for p in alg.parameterDefinitions()]

    # what saving to .model3 and opening it again does
    reopened = QgsProcessingModelAlgorithm()
    assert reopened.loadVariant(model.toVariant())
    again = reopened.childAlgorithm(child_id).algorithm()
    assert again is not None and again.id() == alg.id()
