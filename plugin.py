"""EcoZoning plugin shell: Processing provider, menu, toolbar, translation."""

from __future__ import annotations

import os

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator
from qgis.PyQt.QtGui import QIcon

from .dependencies import find_missing, install_hint

PLUGIN_DIR = os.path.dirname(__file__)
MENU = "&EcoZoning"
ICON = os.path.join(PLUGIN_DIR, "resources", "icons", "ecozoning.svg")


def tr(text: str) -> str:
    from .processing.i18n import translate

    return translate("EcoZoning", text)


def _user_locale() -> str:
    value = QgsSettings().value("locale/userLocale", "") or QLocale().name()
    return str(value)


class EcoZoningPlugin:
    def __init__(self, iface):  # noqa: QGS105 (QGIS hands iface over through classFactory)
        self.iface = iface
        self.provider = None
        self.actions = []
        self.toolbar = None
        self.list_dock = None  # created when first shown
        self.screen_dock = None  # created when first shown
        self.translator = None
        self.missing = find_missing()
        self._missing_logged = False
        self._install_translator()

    # Translation: zh_CN first, English fallback (no file loaded).
    def _install_translator(self):
        locale = _user_locale()
        if locale.lower().replace("-", "_").startswith(("zh_hans", "zh_cn", "zh_sg")) or locale.lower() == "zh":
            locale = "zh_CN"  # QGIS saves Simplified Chinese as zh-Hans on recent versions, zh_CN on others
        path = os.path.join(PLUGIN_DIR, "resources", "i18n", f"ecozoning_{locale[:5]}.qm")
        if not os.path.exists(path):
            path = os.path.join(PLUGIN_DIR, "resources", "i18n", f"ecozoning_{locale[:2]}.qm")
        if os.path.exists(path):
            self.translator = QTranslator()
            if self.translator.load(path):
                QCoreApplication.installTranslator(self.translator)

    def initProcessing(self):  # noqa: N802 (QGIS API name)
        if self.provider is not None:
            return
        if self.missing:
            # qgis_process only calls initProcessing: log here so that its users learn why there is no provider.
            if not self._missing_logged:
                QgsMessageLog.logMessage(install_hint(self.missing), "EcoZoning", Qgis.MessageLevel.Critical)
                self._missing_logged = True
            return
        from .processing.provider import EcoZoningProvider

        provider = EcoZoningProvider()
        if QgsApplication.processingRegistry().addProvider(provider):
            self.provider = provider
        else:
            QgsMessageLog.logMessage(
                tr("Could not register the Processing provider 'ecozoning': is another copy of the plugin loaded?"),
                "EcoZoning",
                Qgis.MessageLevel.Critical,
            )

    def initGui(self):  # noqa: N802 (QGIS API name)
        self.initProcessing()
        if self.missing and self.iface is not None:
            message = install_hint(self.missing)
            self.iface.messageBar().pushMessage("EcoZoning", message, Qgis.MessageLevel.Critical, 0)
        if self.iface is None:
            return
        from qgis.PyQt.QtWidgets import QAction

        self.toolbar = self.iface.addToolBar("EcoZoning")
        self.toolbar.setObjectName("EcoZoningToolbar")
        for algorithm in self.menu_algorithms():
            action = QAction(algorithm.icon(), algorithm.displayName() + "…", self.iface.mainWindow())
            action.setObjectName(f"ecozoning_{algorithm.name()}")
            action.setToolTip(algorithm.displayName())
            action.triggered.connect(lambda _checked=False, alg=algorithm.name(): self.open_algorithm(alg))
            action.setEnabled(not self.missing)
            self.iface.addPluginToMenu(MENU, action)
            self.actions.append(action)
        if not self.actions:  # the provider could not load (a missing package): the menu still says so
            for name, label in (
                ("standardizezones", tr("Standardize element zones…")),
                ("delineateunits", tr("Delineate control units…")),
                ("validateunits", tr("Validate control units…")),
            ):
                action = QAction(QIcon(ICON), label, self.iface.mainWindow())
                action.setObjectName(f"ecozoning_{name}")
                action.setEnabled(False)
                self.iface.addPluginToMenu(MENU, action)
                self.actions.append(action)
        delineate = next(a for a in self.actions if a.objectName() == "ecozoning_delineateunits")
        self.toolbar.addAction(delineate)
        list_action = QAction(
            QgsApplication.getThemeIcon("/mActionOpenTable.svg"),
            tr("准入清单面板 Admission lists"),
            self.iface.mainWindow(),
        )
        list_action.setObjectName("ecozoning_listdock")
        list_action.setCheckable(True)
        list_action.toggled.connect(self.show_list_dock)
        list_action.setEnabled(not self.missing)
        self.iface.addPluginToMenu(MENU, list_action)
        self.toolbar.addAction(list_action)
        self.actions.append(list_action)
        screen_action = QAction(
            QgsApplication.getThemeIcon("/mActionIdentify.svg"), tr("快速研判 Quick screen"), self.iface.mainWindow()
        )
        screen_action.setObjectName("ecozoning_screendock")
        screen_action.setCheckable(True)
        screen_action.toggled.connect(self.show_screen_dock)
        screen_action.setEnabled(not self.missing)
        self.iface.addPluginToMenu(MENU, screen_action)
        self.toolbar.addAction(screen_action)
        self.actions.append(screen_action)

    def menu_algorithms(self) -> list:
        """Every algorithm of the provider (later ones appear by themselves), in the order of the work: element
        zones, units, lists, screening, filing; within a group in the order of the provider's list."""
        if self.provider is None:
            return []
        from .processing.algorithms import all_algorithms
        from .processing.algorithms.base import EcoZoningAlgorithm

        groups = list(EcoZoningAlgorithm.GROUPS)
        order = [a.name() for a in all_algorithms()]
        return sorted(
            (a for a in self.provider.algorithms() if a.name() in order),
            key=lambda a: (groups.index(a.groupId()) if a.groupId() in groups else len(groups), order.index(a.name())),
        )

    def show_list_dock(self, show: bool = True):
        if self.list_dock is None:
            if not show:
                return
            from qgis.PyQt.QtCore import Qt

            from .ui.list_dock import ListDock

            self.list_dock = ListDock(self.iface.mapCanvas(), self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.list_dock)
            toggle = next(a for a in self.actions if a.objectName() == "ecozoning_listdock")
            self.list_dock.closedStateChanged.connect(lambda closed: toggle.setChecked(not closed))
        self.list_dock.setUserVisible(show)

    def show_screen_dock(self, show: bool = True):
        if self.screen_dock is None:
            if not show:
                return
            from qgis.PyQt.QtCore import Qt

            from .ui.screen_panel import ScreenPanel

            self.screen_dock = ScreenPanel(
                self.iface.mapCanvas(),
                self.iface.mainWindow(),
                iface=self.iface,
                library_source=lambda: self.list_dock.library if self.list_dock is not None else None,
            )
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.screen_dock)
            toggle = next(a for a in self.actions if a.objectName() == "ecozoning_screendock")
            self.screen_dock.closedStateChanged.connect(lambda closed: toggle.setChecked(not closed))
        self.screen_dock.setUserVisible(show)

    def open_algorithm(self, name: str):
        from qgis import processing

        processing.execAlgorithmDialog(f"ecozoning:{name}", {})

    def unload(self):
        if self.list_dock is not None:
            self.list_dock.cleanup()
            self.iface.mainWindow().removeDockWidget(self.list_dock)
            self.list_dock.deleteLater()
            self.list_dock = None
        if self.screen_dock is not None:
            self.screen_dock.cleanup()
            self.iface.mainWindow().removeDockWidget(self.screen_dock)
            self.screen_dock.deleteLater()
            self.screen_dock = None
        for action in self.actions:
            if self.iface is not None:
                self.iface.removePluginMenu(MENU, action)
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)  # noqa: QGS202 (False: already gone)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
