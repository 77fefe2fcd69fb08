"""Shared behaviour of EcoZoning algorithms: translation, bilingual help, instance creation."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale


def user_language() -> str:
    locale = str(QgsSettings().value("locale/userLocale", "") or QLocale().name())
    return "zh" if locale.lower().startswith("zh") else "en"


class EcoZoningAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, GROUP_ID, DISPLAY (English), HELP_EN and HELP_ZH."""

    NAME = ""
    DISPLAY = ""
    GROUP_ID = "units"
    GROUPS = {
        "zones": "Element zones",
        "units": "Control units",
    }
    HELP_EN = ""
    HELP_ZH = ""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def name(self):
        return self.NAME

    def displayName(self):
        return self.tr(self.DISPLAY)

    def group(self):
        return QCoreApplication.translate("EcoZoningAlgorithm", self.GROUPS[self.GROUP_ID])

    def groupId(self):
        return self.GROUP_ID

    def shortHelpString(self):
        return self.HELP_ZH if user_language() == "zh" else self.HELP_EN

    def helpString(self):
        return self.HELP_ZH + "\n\n" + self.HELP_EN

    def createInstance(self):
        return type(self)()
