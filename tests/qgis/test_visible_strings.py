"""Chinese first, everywhere a user reads: in a Chinese QGIS (zh_CN) every visible string of the toolbox (names,
groups, parameters, outputs, help), of the list dock and of the clause dialog, and the messages of failing runs
and of a broken library, is Chinese — no untranslated English and no "中文 English" side by side. In an English
QGIS the same strings carry no Chinese beside the English."""

from __future__ import annotations

import gc
import re
import textwrap

import pytest
from qgis.core import QgsApplication, QgsProcessingException, QgsSettings
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QAbstractButton, QComboBox, QLabel, QListWidget, QTreeView
from test_list_dock import UNITS, unit_layer, wait_until_loaded, write_library

import ecozoning
from ecozoning.core.i18n import CJK, looks_bilingual, looks_english
from ecozoning.core.lists import load_library, validate_library
from ecozoning.processing.i18n import core_message


@pytest.fixture()
def locale(qgis_processing):
    """Set QGIS's locale, load the plugin (its translator), unload it afterwards."""
    settings = QgsSettings()
    saved = settings.value("locale/userLocale", None)
    plugins = []

    def set_locale(name: str):
        settings.setValue("locale/userLocale", name)  # noqa: QGS202 - QgsSettings.setValue returns nothing
        plugin = ecozoning.classFactory(None)
        plugin.initProcessing()
        plugins.append(plugin)
        return plugin

    yield set_locale
    for plugin in plugins:
        plugin.unload()
    gc.collect()
    if saved is None:
        settings.remove("locale/userLocale")
    else:
        settings.setValue("locale/userLocale", saved)  # noqa: QGS202 - QgsSettings.setValue returns nothing


def toolbox_strings() -> list[tuple[str, str]]:
    """(where, text) of everything the toolbox, an algorithm dialog and the modeler show of our algorithms."""
    provider = QgsApplication.processingRegistry().providerById("ecozoning")
    shown = []
    for alg in provider.algorithms():
        where = alg.id()
        if where == "ecozoning:wholechain":
            continue  # a .model3 file: its labels are not translated through Qt (see the README)
        shown += [(f"{where} name", alg.displayName()), (f"{where} group", alg.group())]
        shown.append((f"{where} help", alg.shortHelpString()))
        for param in alg.parameterDefinitions():
            shown.append((f"{where} {param.name()}", param.description()))
            shown.append((f"{where} {param.name()} help", param.help()))
            for option in getattr(param, "options", lambda: [])() if hasattr(param, "usesStaticStrings") else []:
                if not param.usesStaticStrings():
                    shown.append((f"{where} {param.name()} option", option))
        for output in alg.outputDefinitions():
            shown.append((f"{where} output {output.name()}", output.description()))
    return [(w, t) for w, t in shown if t]


def check_chinese(shown: list[tuple[str, str]]) -> list[str]:
    bad = [
        f"{where}: {text[:120]!r}"
        for where, text in shown
        if looks_english(text) or (not where.endswith("help") and looks_bilingual(text.split("\n")[0]))
    ]
    return bad


def dock_strings(dock) -> list[tuple[str, str]]:
    shown = [("dock title", dock.windowTitle())]
    for widget in dock.findChildren(QLabel):
        if widget.isVisibleTo(dock) and widget.text():
            shown.append((f"label {widget.objectName()}", widget.text()))
    for widget in dock.findChildren(QAbstractButton):
        if widget.isVisibleTo(dock):
            shown += [("button", widget.text()), ("button tip", widget.toolTip())]
    for action in dock.actions() + [a for bar in dock.findChildren(QTreeView) for a in bar.actions()]:
        shown += [("action", action.text()), ("action tip", action.toolTip())]
    for toolbar_action in [a for w in dock.findChildren(QAbstractButton) for a in w.actions()]:
        shown.append(("toolbar", toolbar_action.text()))
    for combo in dock.findChildren(QComboBox):
        if isinstance(combo, QgsMapLayerComboBox):
            continue  # the user's layer names
        shown += [("combo", combo.itemText(i)) for i in range(combo.count())]
    for view in (dock.unit_view, dock.clause_view, dock.problem_view):
        model = view.model()
        shown += [("header", str(model.headerData(c, 1))) for c in range(model.columnCount())]
    model = dock.effective_model
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        shown.append(("group", group.data()))
        for child in range(model.rowCount(group)):
            shown += [("clause cell", model.index(child, c, group).data() or "") for c in (1, 2)]
            shown.append(("clause tip", model.index(child, 0, group).data(3) or ""))
    shown.append(("detail", dock.detail_view.toPlainText()))
    return [(w, t) for w, t in shown if t and t != "None"]


def test_the_toolbox_is_chinese_in_a_chinese_qgis(locale):
    locale("zh_CN")
    shown = toolbox_strings()
    assert len(shown) > 300
    assert check_chinese(shown) == []
    names = dict(shown)
    assert names["ecozoning:exportfiling name"] == "导出备案材料包"
    assert names["ecozoning:exportlisttable name"] == "导出准入清单表（附表1）"


def test_the_toolbox_is_english_in_an_english_qgis(locale):
    locale("en_US")
    shown = toolbox_strings()
    side_by_side = [(w, t) for w, t in shown if "help" not in w and CJK.search(t) and "附表1" not in t]
    assert side_by_side == []


@pytest.fixture()
def zh_dock(locale, tmp_path, qgis_new_project, qgis_canvas, monkeypatch):
    locale("zh_CN")
    from qgis.core import QgsProject

    from ecozoning.ui.list_dock import ListDock

    layer = unit_layer()
    assert QgsProject.instance().addMapLayer(layer) is not None
    dock = ListDock(qgis_canvas)
    dock.set_layer(layer)
    dock.open_library(str(write_library(tmp_path / "library")))
    wait_until_loaded(dock)
    yield dock
    dock.cleanup()
    dock.deleteLater()


def test_the_list_dock_and_clause_dialog_are_chinese(zh_dock):
    dock = zh_dock
    assert dock.select_unit(UNITS[0][0])
    assert dock.select_clause("P-SL-001")
    shown = dock_strings(dock)
    assert ("group", "空间布局约束 (4)") in shown or any(t.startswith("空间布局约束") for _w, t in shown)
    assert check_chinese(shown) == []
    assert re.fullmatch(r"问题（\d+）", dock.problem_label.text())
    assert [dock.level_combo.itemText(i) for i in range(dock.level_combo.count())][:2] == ["省级", "区域 哈大绥"]
    dialog = dock.clause_dialog("编辑条款", {"id": "U-1", "text": "t", "subtypes": ["eco_redline"]}, False)
    texts = [("dialog label", w.text()) for w in dialog.findChildren(QLabel) if w.text()]
    for widget in dialog.findChildren(QListWidget):
        texts += [("dialog item", widget.item(r).text()) for r in range(widget.count())]
    assert check_chinese(texts) == []
    assert any(t.startswith("生态保护红线") for _w, t in texts)
    dialog.deleteLater()


def test_messages_of_a_broken_library_are_chinese(locale, tmp_path):
    locale("zh_CN")
    root = tmp_path / "broken"
    (root / "units").mkdir(parents=True)
    (root / "library.yaml").write_text("name: 测试\nversion: '1'\nprovince: '230000'\n", encoding="utf-8")
    (root / "province.yaml").write_text(
        textwrap.dedent(
            """
            level: province
            clauses:
              - {id: P-1, dimension: spatial_layout, kind: forbid, text: 禁止}
              - {id: P-1, dimension: spatial_layout, kind: prohibit, text: 重复}
              - {id: P-2, dimension: noise, kind: prohibit, text: ''}
              - {id: P-3, dimension: spatial_layout, kind: prohibit, text: 三, classes: [5], subtypes: [moon]}
              - {id: P-4, dimension: spatial_layout, kind: prohibit, text: 四, industries: [XYZ], replaces: P-99}
            """
        ),
        encoding="utf-8",
    )
    (root / "units" / "230100.yaml").write_text("ZH2301: {clauses: []}\n", encoding="utf-8")
    problems = validate_library(load_library(str(root)), unit_codes=["ZH23010210001"])
    assert len(problems) >= 7
    messages = [core_message(str(p)) for p in problems]
    assert [m for m in messages if looks_english(m) or looks_bilingual(m)] == []
    assert any("条款 P-2 没有内容" in m for m in messages)


def test_a_failing_run_says_why_in_chinese(locale):
    locale("zh_CN")
    from qgis import processing

    with pytest.raises(QgsProcessingException) as failure:
        processing.run(
            "ecozoning:standardizezones",
            {
                "INPUT": "resources/sample/harbin_zones.gpkg|layername=eco_redline",
                "SUBTYPE_FIELD": "fid",
                "VALUE_MAP": "1 2",
                "ADMIN": "resources/sample/harbin_counties.gpkg|layername=counties",
                "OUTPUT": "memory:",
            },
        )
    message = str(failure.value)
    assert "VALUE_MAP 条目" in message and not looks_english(message) and not looks_bilingual(message)


def test_subtype_by_its_chinese_name(locale):
    from qgis import processing

    locale("en_US")
    result = processing.run(
        "ecozoning:standardizezones",
        {
            "INPUT": "resources/sample/harbin_zones.gpkg|layername=eco_redline",
            "SUBTYPE": "生态保护红线",
            "ADMIN": "resources/sample/harbin_counties.gpkg|layername=counties",
            "OUTPUT": "memory:",
        },
    )
    layer = result["OUTPUT"] if not isinstance(result["OUTPUT"], str) else None
    if layer is None:
        from qgis.core import QgsProcessingContext

        layer = QgsProcessingContext().getMapLayer(result["OUTPUT"])
    assert layer.featureCount() > 0
    assert {f["YSXL"] for f in layer.getFeatures()} == {"eco_redline"}


def test_clause_dialog_refuses_an_unknown_replaced_clause(zh_dock):
    from qgis.PyQt.QtWidgets import QDialogButtonBox

    dialog = zh_dock.clause_dialog("添加", {"id": "C-230100-009", "text": "新条款", "industries": ["C2520"]}, True)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.replaces_combo.setEditText("P-NOPE-001")
    assert not ok.isEnabled() and "P-NOPE-001" in dialog.warning_label.text()
    dialog.replaces_combo.setCurrentIndex(dialog.replaces_combo.findData("P-SL-002"))
    assert ok.isEnabled()
    dialog.industry_search.setText("化学原料")
    visible = [dialog.industry_list.item(r) for r in range(dialog.industry_list.count())]
    visible = [i.text().strip() for i in visible if not i.isHidden()]
    assert visible == ["C26  化学原料和化学制品制造业"]
    values = dialog.values()
    assert values["replaces"] == "P-SL-002" and values["industries"] == ["C2520"]  # a class code is kept
    dialog.deleteLater()


def test_clause_rows_wrap_their_text_and_the_unit_columns_fit(zh_dock):
    """At a narrow dock the clause text wraps over more lines (never cut off), and every unit column stays on
    screen at 620 px; the problems pane shows only when there are problems."""
    from qgis.PyQt.QtWidgets import QApplication

    dock = zh_dock
    dock.resize(620, 1000)
    dock.show()
    assert dock.select_unit(UNITS[0][0])
    QApplication.processEvents()
    header = dock.unit_view.horizontalHeader()
    assert all(
        header.sectionViewportPosition(c) + header.sectionSize(c) <= dock.unit_view.viewport().width() + 1
        for c in range(header.count())
    )
    entry = max(dock.effective_model.entries(), key=lambda e: len(e.clause.text))
    index = dock.effective_model.index_of(entry.clause.id)
    line = dock.clause_view.fontMetrics().height()
    dock.resize(300, 1000)
    QApplication.processEvents()
    QApplication.processEvents()
    width = dock.clause_view.columnWidth(0)
    assert dock.clause_view.fontMetrics().horizontalAdvance(entry.clause.text) > width
    assert dock.clause_view.visualRect(index).height() >= 2 * line
    assert dock.problem_pane.isVisibleTo(dock) == bool(dock.analysis.problems)
