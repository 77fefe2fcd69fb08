"""Shared behaviour of EcoZoning algorithms: translation, bilingual help, instance creation."""

from __future__ import annotations

import traceback

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale

from ...core.errors import EcoZoningError
from ..compat import FLAG_ADVANCED


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
        "lists": "Admission lists",
        "screening": "Project screening",
        "filing": "Filing",
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

    def processAlgorithm(self, parameters, context, feedback):
        """Runs `run_algorithm()` and turns every failure into a QgsProcessingException raised from here, once
        the failing frames (and the feature sources they hold) are gone."""
        try:
            return self.run_algorithm(parameters, context, feedback)
        except QgsProcessingException as exc:
            message = str(exc)
        except EcoZoningError as exc:
            message = str(exc)
        except Exception as exc:  # a bug: say what and where, without keeping the frames alive
            feedback.pushDebugInfo(traceback.format_exc())
            message = f"{type(exc).__name__}: {exc} (EcoZoning internal error; please report it with the log)"
        # QGIS 3.22 (sip's error handler) leaks the frame an exception leaves processAlgorithm from: keep it
        # light, so the layers and the context it would hold can still be freed before QgsApplication is
        del parameters, context, feedback
        raise QgsProcessingException(message)

    def run_algorithm(self, parameters, context, feedback):
        raise NotImplementedError

    def _add(self, parameter, help_text: str, advanced: bool = False):
        """Add a parameter with its help (shown in the dialog and the modeler)."""
        parameter.setHelp(self.tr(help_text))
        if advanced:
            parameter.setFlags(parameter.flags() | FLAG_ADVANCED)
        if not self.addParameter(parameter):
            raise RuntimeError(f"{self.NAME}: could not add parameter {parameter.name()}")

    def _add_output(self, output):
        if not self.addOutput(output):
            raise RuntimeError(f"{self.NAME}: could not add output {output.name()}")


def load_taxonomy_param(algorithm, parameters, context, name: str = "TAXONOMY"):
    """The taxonomy file of the parameter, or the national default; a bad file is a clear error."""
    from qgis.core import QgsProcessingException

    from ...core.errors import TaxonomyError
    from ...core.taxonomy import load_taxonomy

    path = algorithm.parameterAsFile(parameters, name, context) if name in parameters else ""
    try:
        return load_taxonomy(path or None)
    except TaxonomyError as exc:
        raise QgsProcessingException(str(exc)) from exc


def parallel_params(algorithm, parameters, context) -> tuple[int, str]:
    """(workers, scheduler address); a malformed address is refused with the form expected."""
    from ...core.parallel import SchedulerError, check_scheduler

    workers = algorithm.parameterAsInt(parameters, "WORKERS", context)
    try:
        scheduler = check_scheduler(algorithm.parameterAsString(parameters, "SCHEDULER", context))
    except SchedulerError as exc:
        raise QgsProcessingException(str(exc)) from exc
    return workers, scheduler
