"""The EcoZoning Processing provider (id ``ecozoning``)."""

from __future__ import annotations

import os

from qgis.core import QgsApplication, QgsProcessingModelAlgorithm, QgsProcessingProvider, QgsXmlUtils
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtXml import QDomDocument

from .algorithms import all_algorithms

ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icons", "ecozoning.svg")
MODELS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "models")


class ShippedModel(QgsProcessingModelAlgorithm):
    """A model of resources/models: its id is ecozoning:<model name> (lowercase ASCII); the toolbox shows the
    title kept in the model's help under DISPLAY_NAME."""

    def displayName(self):
        return self.helpContent().get("DISPLAY_NAME") or self.name()

    def processAlgorithm(self, parameters, context, feedback):
        # a model hands its own parameters to the steps as given: fill in the defaults of those left out (qgis_process
        # and processing.run leave them out; the algorithm dialog fills them in)
        filled = dict(parameters)
        for definition in self.parameterDefinitions():
            if filled.get(definition.name()) is None and not definition.isDestination():
                if definition.defaultValue() is not None:
                    filled[definition.name()] = definition.defaultValue()
        return super().processAlgorithm(filled, context, feedback)

    def load(self, path: str) -> bool:
        document = QDomDocument()
        with open(path, "rb") as handle:
            if not document.setContent(handle.read()):
                return False
        return self.load_variant(QgsXmlUtils.readVariant(document.firstChildElement()))

    def load_variant(self, variant) -> bool:
        if not self.loadVariant(variant):
            return False
        # QGIS 3.22 writes each parameter's help to the .model3 but does not read it back
        for name, definition in (variant.get("parameterDefinitions") or {}).items():
            parameter = self.parameterDefinition(name)
            if parameter is not None and definition.get("help"):
                parameter.setHelp(definition["help"])
        return True

    def createInstance(self):
        model = ShippedModel()
        model.load_variant(self.toVariant())
        return model


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
        self.models = []
        for name in sorted(os.listdir(MODELS)) if os.path.isdir(MODELS) else []:
            model = ShippedModel()
            if name.endswith(".model3") and model.load(os.path.join(MODELS, name)):
                self.addAlgorithm(model)
                self.models.append(model)
        if self.models and QgsApplication.processingRegistry().providerById(self.id()) is None:
            # first registration: our own algorithms are not in the registry yet, resolve the models' steps after
            QgsApplication.processingRegistry().providerAdded.connect(self._attach_models)

    def _attach_models(self, provider_id):
        if provider_id != self.id():
            return
        QgsApplication.processingRegistry().providerAdded.disconnect(self._attach_models)
        for model in self.models:
            model.load_variant(model.toVariant())
