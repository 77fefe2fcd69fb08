"""Shared behaviour of EcoZoning algorithms: translation, bilingual help, instance creation."""

from __future__ import annotations

import traceback

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication

from ...core.errors import EcoZoningError
from ...core.geometry import DEFAULT_REPAIR_TOLERANCE
from ..adapter import REPAIR_TOLERANCE
from ..compat import FLAG_ADVANCED, NUMBER_DOUBLE, NUMBER_INTEGER
from ..guards import check_outputs
from ..i18n import core_message, translate, user_language

__all__ = ["EcoZoningAlgorithm", "load_taxonomy_param", "user_language"]


class EcoZoningAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, GROUP_ID, DISPLAY (English), HELP_EN and HELP_ZH."""

    NAME = ""
    DISPLAY = ""
    GROUP_ID = "units"
    # in the order of the work, as the menu lists them; the toolbox sorts groups by name, so group() numbers them
    GROUPS = {
        "zones": "Element zones",
        "units": "Control units",
        "lists": "Admission lists",
        "screening": "Project screening",
        "filing": "Filing",
        "tracking": "Tracking and enforcement",
    }
    HELP_EN = ""
    HELP_ZH = ""
    # one QGIS theme icon per algorithm, so that the toolbox, the menu and the toolbar tell them apart
    ICONS = {
        "standardizezones": "/algorithms/mAlgorithmCheckGeometry.svg",
        "delineateunits": "/algorithms/mAlgorithmUnion.svg",
        "validateunits": "/algorithms/mAlgorithmSelectLocation.svg",
        "checklists": "/mActionFilter2.svg",
        "exportlisttable": "/mIconTableLayer.svg",
        "publishlibrary": "/mActionSharingExport.svg",
        "exportlibrary": "/mActionSharingImport.svg",
        "screenprojects": "/algorithms/mAlgorithmIntersect.svg",
        "compareversions": "/algorithms/mAlgorithmDifference.svg",
        "exportfiling": "/mIconZip.svg",
        "checkfiling": "/mActionFileOpen.svg",
        "buildproject": "/mActionNewMap.svg",
        "importunits": "/mActionAddOgrLayer.svg",
        "importlisttable": "/mActionAddDelimitedTextLayer.svg",
        "trackunits": "/mActionAnnotation.svg",
        "publishlookup": "/mIconWms.svg",
    }

    def tr(self, text: str) -> str:
        return translate(type(self).__name__, text)

    def name(self):
        return self.NAME

    def displayName(self):
        return self.tr(self.DISPLAY)

    def group(self):
        position = list(self.GROUPS).index(self.GROUP_ID) + 1
        return f"{position} {translate('EcoZoningAlgorithm', self.GROUPS[self.GROUP_ID])}"

    def groupId(self):
        return self.GROUP_ID

    def icon(self):
        name = self.ICONS.get(self.NAME)
        return QgsApplication.getThemeIcon(name) if name else super().icon()

    def shortHelpString(self):
        return self.HELP_ZH if user_language() == "zh" else self.HELP_EN

    def helpString(self):
        return self.HELP_ZH + "\n\n" + self.HELP_EN

    def createInstance(self):
        return type(self)()

    def processAlgorithm(self, parameters, context, feedback):
        """Runs `run_algorithm()` and turns every failure into a QgsProcessingException raised from here, once
        the failing frames (and the feature sources they hold) are gone."""
        token = None
        try:
            check_outputs(self, parameters, context, self.extra_outputs(parameters, context))
            if self.parameterDefinition("REPAIR_TOLERANCE") is not None:
                given = parameters.get("REPAIR_TOLERANCE")
                percent = (
                    self.parameterAsDouble(parameters, "REPAIR_TOLERANCE", context)
                    if given not in (None, "")
                    else 100 * DEFAULT_REPAIR_TOLERANCE
                )
                token = REPAIR_TOLERANCE.set(percent / 100.0)
            results = self.run_algorithm(parameters, context, feedback)
            from ..styling import embed_styles  # the sinks are closed now: GeoPackage outputs get their style

            embed_styles(self.NAME, results or {}, feedback)
            return results
        except QgsProcessingException as exc:
            message = core_message(exc)  # the glue often passes a message of core/ on
        except EcoZoningError as exc:
            message = core_message(exc)
        except Exception as exc:  # a bug: say what and where, without keeping the frames alive
            feedback.pushDebugInfo(traceback.format_exc())
            message = f"{type(exc).__name__}: {exc} (EcoZoning internal error; please report it with the log)"
        finally:
            if token is not None:
                REPAIR_TOLERANCE.reset(token)
        # QGIS 3.22 (sip's error handler) leaks the frame an exception leaves processAlgorithm from: keep it
        # light, so the layers and the context it would hold can still be freed before QgsApplication is
        del parameters, context, feedback
        raise QgsProcessingException(message)

    def run_algorithm(self, parameters, context, feedback):
        raise NotImplementedError

    def extra_outputs(self, parameters, context) -> list[tuple[str, str]]:
        """[(parameter, real path)] of files written besides the declared outputs (checked like them)."""
        return []

    def _add_repair_tolerance(self):
        """The share of a feature's area a geometry repair may move (processing/adapter.read_features)."""
        parameter = QgsProcessingParameterNumber(
            "REPAIR_TOLERANCE",
            QCoreApplication.translate("EcoZoningAlgorithm", "Geometry repair tolerance (%)"),
            NUMBER_DOUBLE,
            100 * DEFAULT_REPAIR_TOLERANCE,
            optional=True,  # models and scripts written before it stay valid: the default applies
            minValue=0.0,
            maxValue=100.0,
        )
        parameter.setHelp(
            QCoreApplication.translate(
                "EcoZoningAlgorithm",
                "Invalid polygons (self-intersections…) are repaired in the layer's own CRS and logged. When the "
                "two ways of reading a feature's rings differ by more than this share of its area, the run stops "
                "naming the feature.",
            )
        )
        parameter.setFlags(parameter.flags() | FLAG_ADVANCED)
        if not self.addParameter(parameter):
            raise RuntimeError(f"{self.NAME}: could not add parameter REPAIR_TOLERANCE")

    def _add_parallel_parameters(self):
        """WORKERS and SCHEDULER: where the independent county tasks run (core/parallel.py)."""

        workers = QgsProcessingParameterNumber(
            "WORKERS",
            QCoreApplication.translate("EcoZoningAlgorithm", "Parallel workers (0 = all cores)"),
            NUMBER_INTEGER,
            0,
            optional=True,
            minValue=0,
        )
        workers.setHelp(
            QCoreApplication.translate(
                "EcoZoningAlgorithm",
                "Counties are independent tasks, run by this many workers on this machine (threads inside QGIS, "
                "processes from the command line; 1: one after the other). Not used with a SCHEDULER.",
            )
        )
        scheduler = QgsProcessingParameterString(
            "SCHEDULER",
            QCoreApplication.translate("EcoZoningAlgorithm", "Dask scheduler (empty = this machine)"),
            defaultValue="",
            optional=True,
        )
        scheduler.setHelp(
            QCoreApplication.translate(
                "EcoZoningAlgorithm",
                "Address of a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786: the county tasks run on its "
                "workers (each needs this plugin and the same Python packages; see the README). Empty: this machine.",
            )
        )
        for parameter in (workers, scheduler):
            parameter.setFlags(parameter.flags() | FLAG_ADVANCED)
            if not self.addParameter(parameter):
                raise RuntimeError(f"{self.NAME}: could not add parameter {parameter.name()}")

    def _add_severity_outputs(self):
        """ERROR_COUNT, REVIEW_COUNT and READY (1 when there is no error: a package with review items only is
        ready to file), for the algorithms that check units or packages."""
        from qgis.core import QgsProcessingOutputNumber

        for name, label in (
            ("ERROR_COUNT", "Errors (must be fixed before filing)"),
            ("REVIEW_COUNT", "Items to review (do not stop filing)"),
            ("READY", "Ready to file (1 = yes, 0 = no)"),
        ):
            self._add_output(QgsProcessingOutputNumber(name, QCoreApplication.translate("EcoZoningAlgorithm", label)))

    def _add(self, parameter, help_text: str, advanced: bool = False):
        """Add a parameter with its help (shown in the dialog and the modeler)."""
        parameter.setHelp(self.tr(help_text))
        if isinstance(parameter, QgsProcessingParameterNumber) and parameter.dataType() == NUMBER_DOUBLE:
            metadata = parameter.metadata()  # the dialog shows 6 decimals unless told: 10000.000000
            wrapper = dict(metadata.get("widget_wrapper") or {})
            wrapper.setdefault("decimals", 2)
            metadata["widget_wrapper"] = wrapper
            parameter.setMetadata(metadata)
        if advanced:
            parameter.setFlags(parameter.flags() | FLAG_ADVANCED)
        if not self.addParameter(parameter):
            raise RuntimeError(f"{self.NAME}: could not add parameter {parameter.name()}")

    def _add_output(self, output):
        if not self.addOutput(output):
            raise RuntimeError(f"{self.NAME}: could not add output {output.name()}")


def severity_outputs(items, feedback=None) -> dict:
    """The values of the outputs of _add_severity_outputs; the readiness sentence goes to the log first."""
    from ...core.severity import ERROR, REVIEW, count_by_severity, readiness

    counts = count_by_severity(items)
    ready, sentence = readiness(items)
    if feedback is not None:
        (feedback.pushInfo if ready else feedback.pushWarning)(sentence)
    return {"ERROR_COUNT": counts[ERROR], "REVIEW_COUNT": counts[REVIEW], "READY": int(ready)}


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
