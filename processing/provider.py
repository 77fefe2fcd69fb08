"""The EcoZoning Processing provider (id ``ecozoning``)."""

from __future__ import annotations

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .algorithms import all_algorithms

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons", "ecozoning.svg")


class EcoZoningProvider(QgsProcessingProvider):
    def id(self):
        return "ecozoning"

    def name(self):
        return QCoreApplication.translate("EcoZoning", "EcoZoning 生态环境分区管控")

    def longName(self):
        return self.name()

    def icon(self):
        return QIcon(ICON)

    def svgIconPath(self):
        return ICON

    def loadAlgorithms(self):
        for algorithm in all_algorithms():
            self.addAlgorithm(algorithm)
