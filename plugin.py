"""EcoZoning plugin shell: Processing provider, menu, toolbar, translation."""

from __future__ import annotations

import os

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator
from qgis.PyQt.QtGui import QIcon

from .dependencies import find_missing, install_hint

PLUGIN_DIR = os.path.dirname(__file__)
MENU = "&EcoZoning"


def tr(text: str) -> str:
    return QCoreApplication.translate("EcoZoning", text)


def _user_locale() -> str:
    value = QgsSettings().value("locale/userLocale", "") or QLocale().name()
    return str(value)


class EcoZoningPlugin:
    def __init__(self, iface):  # noqa: QGS105 (QGIS hands iface over through classFactory)
        self.iface = iface
        self.provider = None
        self.actions = []
        self.toolbar = None
        self.translator = None
        self.missing = find_missing()
        self._missing_logged = False
        self._install_translator()

    # Translation: zh_CN first, English fallback (no file loaded).
    def _install_translator(self):
        locale = _user_locale()[:5]
        path = os.path.join(PLUGIN_DIR, "resources", "i18n", f"ecozoning_{locale}.qm")
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
        icon = QIcon(os.path.join(PLUGIN_DIR, "resources", "icons", "ecozoning.svg"))
        entries = (
            ("standardizezones", tr("Standardize element zones…")),
            ("delineateunits", tr("Delineate control units…")),
            ("validateunits", tr("Validate control units…")),
        )
        for name, label in entries:
            action = QAction(icon, label, self.iface.mainWindow())
            action.setObjectName(f"ecozoning_{name}")
            action.triggered.connect(lambda _checked=False, alg=name: self.open_algorithm(alg))
            action.setEnabled(not self.missing)
            self.iface.addPluginToMenu(MENU, action)
            self.actions.append(action)
        self.toolbar.addAction(self.actions[1])

    def open_algorithm(self, name: str):
        from qgis import processing

        processing.execAlgorithmDialog(f"ecozoning:{name}", {})

    def unload(self):
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
