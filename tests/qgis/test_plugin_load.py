"""Load the plugin the way QGIS does, through ``classFactory``, in its two hosts.

- qgis_process: ``classFactory(None)`` then ``initProcessing()`` only;
- the desktop: ``classFactory(iface)`` then ``initGui()``, and ``unload()`` when the user disables or reloads it.
"""

from __future__ import annotations

import pytest
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QMenu, QToolBar

import ecozoning
from ecozoning import plugin as plugin_module
from ecozoning.dependencies import MissingDependency

PROVIDER_ID = "ecozoning"
ALGORITHMS = {"standardizezones", "delineateunits", "validateunits"}
MENU_TITLE = "&EcoZoning"
MENU_ACTIONS = {f"ecozoning_{name}" for name in ALGORITHMS}
TOOLBAR = "EcoZoningToolbar"


def registry():
    return QgsApplication.processingRegistry()


def ecozoning_providers():
    return [p for p in registry().providers() if p.id() == PROVIDER_ID]


def flush_deferred_deletes():
    """Run the ``deleteLater()`` calls of unload(), as the desktop's event loop would."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def no_provider_left_behind():
    """Every test starts and ends without our provider (a leftover would hide a broken unload)."""
    assert ecozoning_providers() == [], "an earlier test left the provider registered"
    yield
    leftovers = ecozoning_providers()
    for provider in leftovers:
        registry().removeProvider(provider)  # noqa: QGS202 (cleanup after a failed test)
    assert leftovers == [], "the provider is still registered after unload()"


@pytest.fixture()
def log():
    """Messages of the QGIS message log (the Log Messages panel; qgis_process prints them)."""
    received = []

    def collect(message, tag, level):
        received.append((tag, level, message))

    QgsApplication.messageLog().messageReceived.connect(collect)
    yield received
    QgsApplication.messageLog().messageReceived.disconnect(collect)


@pytest.fixture()
def desktop_iface(qgis_iface, monkeypatch):
    """pytest-qgis's QgisInterface, with the plugin menu of the real one.

    pytest-qgis 2.1.0's ``addPluginToMenu`` does nothing and it has no ``removePluginMenu`` nor ``pluginMenu``.
    Like QgisApp, this puts a submenu per plugin menu name into a "&Plugins" menu of the menu bar and removes the
    submenu when its last action goes.
    """
    menubar = qgis_iface.mainWindow().menuBar()
    plugins_menu = menubar.findChild(QMenu, "mPluginMenu")
    if plugins_menu is None:
        plugins_menu = menubar.addMenu("&Plugins")
        plugins_menu.setObjectName("mPluginMenu")

    def add_plugin_to_menu(name, action):
        submenu = plugin_submenu(plugins_menu, name)
        if submenu is None:
            submenu = plugins_menu.addMenu(name)
        submenu.addAction(action)

    def remove_plugin_menu(name, action):
        submenu = plugin_submenu(plugins_menu, name)
        if submenu is None:
            return
        submenu.removeAction(action)
        if not submenu.actions():
            plugins_menu.removeAction(submenu.menuAction())
            submenu.deleteLater()

    monkeypatch.setattr(qgis_iface, "addPluginToMenu", add_plugin_to_menu)
    monkeypatch.setattr(qgis_iface, "removePluginMenu", remove_plugin_menu, raising=False)
    monkeypatch.setattr(qgis_iface, "pluginMenu", lambda: plugins_menu, raising=False)
    for messages in qgis_iface.messageBar().messages.values():
        messages.clear()
    return qgis_iface


def plugin_submenu(plugins_menu, title):
    for action in plugins_menu.actions():
        if action.menu() is not None and action.text() == title:
            return action.menu()
    return None


def toolbar_of(interface):
    return interface.mainWindow().findChild(QToolBar, TOOLBAR)


def missing_shapely(monkeypatch):
    missing = [MissingDependency("shapely", "2.0", "1.8.5")]
    monkeypatch.setattr(plugin_module, "find_missing", lambda: list(missing))


# --- qgis_process: iface is None ------------------------------------------------------------------------------


def test_qgis_process_gets_the_provider_once_with_all_algorithms():
    plugin = ecozoning.classFactory(None)
    try:
        plugin.initProcessing()
        plugin.initProcessing()  # QGIS calls it from initGui too; a second call must not add a second provider
        assert len(ecozoning_providers()) == 1
        provider = registry().providerById(PROVIDER_ID)
        assert ALGORITHMS <= {alg.name() for alg in provider.algorithms()}
        for name in ALGORITHMS:
            assert registry().algorithmById(f"{PROVIDER_ID}:{name}") is not None
    finally:
        plugin.unload()
    assert registry().providerById(PROVIDER_ID) is None
    assert registry().algorithmById(f"{PROVIDER_ID}:delineateunits") is None


def test_a_second_copy_of_the_plugin_does_not_register_a_second_provider(log):
    """E.g. a development checkout on QGIS_PLUGINPATH next to the installed copy: one provider, a clear message."""
    first, second = ecozoning.classFactory(None), ecozoning.classFactory(None)
    try:
        first.initProcessing()
        second.initProcessing()
        assert len(ecozoning_providers()) == 1
        assert any(tag == "EcoZoning" and "ecozoning" in message for tag, _level, message in log)
    finally:
        second.unload()
        assert len(ecozoning_providers()) == 1  # unloading the copy that failed leaves the working one alone
        first.unload()


def test_qgis_process_with_a_missing_dependency_logs_why_there_is_no_provider(monkeypatch, log):
    missing_shapely(monkeypatch)
    plugin = ecozoning.classFactory(None)
    plugin.initProcessing()
    plugin.initProcessing()
    try:
        assert registry().providerById(PROVIDER_ID) is None
        ours = [(level, message) for tag, level, message in log if tag == "EcoZoning"]
        assert len(ours) == 1, ours  # once, not once per call
        level, message = ours[0]
        assert level == Qgis.MessageLevel.Critical
        assert "shapely" in message and "1.8.5" in message and "2.0" in message
    finally:
        plugin.unload()


# --- the desktop: a QgisInterface ---------------------------------------------------------------------------


def test_desktop_gets_menu_toolbar_and_provider_and_unload_removes_them(desktop_iface):
    plugin = ecozoning.classFactory(desktop_iface)
    plugin.initGui()
    try:
        assert len(ecozoning_providers()) == 1
        menu = plugin_submenu(desktop_iface.pluginMenu(), MENU_TITLE)
        assert menu is not None, "no EcoZoning entry in the Plugins menu"
        actions = {action.objectName(): action for action in menu.actions()}
        assert MENU_ACTIONS <= set(actions)
        for name in MENU_ACTIONS:
            assert actions[name].isEnabled()
            assert actions[name].text().strip(), f"{name} has no label"
            assert not actions[name].icon().isNull()
        toolbar = toolbar_of(desktop_iface)
        assert toolbar is not None, "no EcoZoning toolbar"
        assert "ecozoning_delineateunits" in {action.objectName() for action in toolbar.actions()}
        # every algorithm of the provider is in the menu, in the order of the work, each with an icon of its own
        provider = ecozoning_providers()[0]
        ours = {f"ecozoning_{a.name()}" for a in provider.algorithms() if a.name() != "wholechain"}
        assert ours <= set(actions)
        listed = [name for name in actions if name in ours]
        assert listed.index("ecozoning_standardizezones") < listed.index("ecozoning_delineateunits")
        assert listed.index("ecozoning_checklists") < listed.index("ecozoning_screenprojects")
        assert listed.index("ecozoning_screenprojects") < listed.index("ecozoning_exportfiling")
        images = {name: actions[name].icon().pixmap(16, 16).toImage() for name in actions}
        same = [(a, b) for a in images for b in images if a < b and images[a] == images[b]]
        assert same == [], "entries sharing an icon"
    finally:
        plugin.unload()
    flush_deferred_deletes()
    assert registry().providerById(PROVIDER_ID) is None
    assert plugin_submenu(desktop_iface.pluginMenu(), MENU_TITLE) is None
    assert toolbar_of(desktop_iface) is None


def test_reloading_the_plugin_does_not_duplicate_anything(desktop_iface):
    """What Plugin Reloader, or disabling and enabling in the Plugin Manager, does."""
    for _ in range(2):
        plugin = ecozoning.classFactory(desktop_iface)
        plugin.initGui()
        assert len(ecozoning_providers()) == 1
        menu = plugin_submenu(desktop_iface.pluginMenu(), MENU_TITLE)
        names = [action.objectName() for action in menu.actions()]
        assert sorted(names) == sorted(set(names))
        assert len(desktop_iface.mainWindow().findChildren(QToolBar, TOOLBAR)) == 1
        plugin.unload()
        flush_deferred_deletes()
    assert registry().providerById(PROVIDER_ID) is None


def test_each_menu_entry_opens_its_algorithm(desktop_iface, qgis_processing, monkeypatch):
    from qgis import processing

    opened = []
    monkeypatch.setattr(processing, "execAlgorithmDialog", lambda alg_id, params=None: opened.append(alg_id))
    plugin = ecozoning.classFactory(desktop_iface)
    plugin.initGui()
    try:
        menu = plugin_submenu(desktop_iface.pluginMenu(), MENU_TITLE)
        algorithm_actions = [a for a in menu.actions() if a.objectName() in MENU_ACTIONS]
        assert len(algorithm_actions) == len(MENU_ACTIONS)
        for action in algorithm_actions:  # the other entries open panels, not algorithms
            opened.clear()
            action.trigger()
            assert len(opened) == 1, action.objectName()
            assert action.objectName() == "ecozoning_" + opened[0].split(":", 1)[1]
            assert registry().algorithmById(opened[0]) is not None, f"{action.objectName()} opens {opened[0]}"
    finally:
        plugin.unload()


def test_desktop_with_a_missing_dependency_tells_the_user_and_does_not_fail(desktop_iface, monkeypatch, log):
    missing_shapely(monkeypatch)
    plugin = ecozoning.classFactory(desktop_iface)
    plugin.initGui()  # must not raise: QGIS would show a Python error and disable the plugin
    try:
        assert registry().providerById(PROVIDER_ID) is None
        shown = desktop_iface.messageBar().get_messages(Qgis.Critical)
        assert len(shown) == 1 and "shapely" in shown[0] and "pip install" in shown[0]
        assert any(tag == "EcoZoning" and "shapely" in message for tag, _level, message in log)
        # the entries are there (the user sees the plugin is installed) but cannot start broken algorithms
        menu = plugin_submenu(desktop_iface.pluginMenu(), MENU_TITLE)
        assert menu is not None
        assert MENU_ACTIONS <= {action.objectName() for action in menu.actions()}
        assert not any(action.isEnabled() for action in menu.actions())
    finally:
        plugin.unload()
    flush_deferred_deletes()
    assert plugin_submenu(desktop_iface.pluginMenu(), MENU_TITLE) is None


def test_the_qgis_running_the_tests_is_one_metadata_txt_claims():
    """metadata.txt claims only what CI tests: run on 3.22 (host), 3.40 and 3.44 (chroots), this fails when a
    suite moves to a QGIS beyond qgisMaximumVersion, or to Qt 6, before the plugin was tested there."""
    import configparser
    from pathlib import Path

    from qgis.PyQt.QtCore import QT_VERSION_STR

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(Path(ecozoning.__file__).parent / "metadata.txt", encoding="utf-8")
    general = parser["general"]

    def number(text: str, patch: int) -> int:
        parts = [int(p) for p in text.split(".")] + [patch]
        return parts[0] * 10000 + parts[1] * 100 + parts[2]

    lowest, highest = number(general["qgisMinimumVersion"], 0), number(general["qgisMaximumVersion"], 99)
    assert lowest <= Qgis.QGIS_VERSION_INT <= highest, (Qgis.QGIS_VERSION, dict(general))
    if QT_VERSION_STR.startswith("6"):
        assert general.getboolean("supportsQt6"), "tested under Qt 6: metadata.txt may say supportsQt6=True"


def test_the_toolbox_lists_the_groups_in_the_order_of_the_work():
    from qgis.gui import QgsProcessingToolboxProxyModel

    plugin = ecozoning.classFactory(None)
    try:
        plugin.initProcessing()
        model = QgsProcessingToolboxProxyModel(None, registry())
        model.setFilters(QgsProcessingToolboxProxyModel.FilterToolbox)
        source = model.toolboxModel()
        provider_index = model.mapFromSource(source.indexForProvider(PROVIDER_ID))
        assert provider_index.isValid()
        groups = [model.data(model.index(row, 0, provider_index)) for row in range(model.rowCount(provider_index))]
    finally:
        plugin.unload()
    assert groups[:6] == [
        "1 Element zones",
        "2 Control units",
        "3 Admission lists",
        "4 Project screening",
        "5 Filing",
        "6 Tracking and enforcement",
    ]
