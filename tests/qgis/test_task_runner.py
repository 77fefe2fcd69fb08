"""delineateunits as the toolbox runs it: a QgsProcessingAlgRunnerTask on the task manager (processAlgorithm in a
worker thread, zone layers of the project prepared on the main thread)."""

from __future__ import annotations

import time
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _project_layers(sample_chain):
    admin = QgsVectorLayer(f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties", "counties", "ogr")
    zones = [QgsVectorLayer(path, name, "ogr") for name, path in sample_chain["zones"].items()]
    for layer in [admin, *zones]:
        assert layer.isValid()
        assert QgsProject.instance().addMapLayer(layer) is not None
    return admin, zones


def _run_task(sample_processing, parameters, cancel_after: float | None = None):
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("ecozoning:delineateunits")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
    outcome = {}
    task.executed.connect(lambda ok, results: outcome.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    started = time.time()
    canceled_at = None
    while "ok" not in outcome and time.time() - started < 300:
        QCoreApplication.processEvents()
        if cancel_after is not None and canceled_at is None and time.time() - started > cancel_after:
            feedback.cancel()
            canceled_at = time.time()
        time.sleep(0.02)
    assert "ok" in outcome, "the task did not end"
    return outcome, (time.time() - canceled_at) if canceled_at else None


def test_delineate_in_a_task_on_the_task_manager(sample_processing, sample_chain, tmp_path):
    admin, zones = _project_layers(sample_chain)
    try:
        units = tmp_path / "units.gpkg"
        outcome, _ = _run_task(
            sample_processing,
            {"ADMIN": admin, "ZONES": zones, "COUNTY_FIELD": "COUNTY", "UNITS": str(units)},
        )
        assert outcome["ok"]
        assert outcome["results"]["UNIT_COUNT"] > 18
        out = QgsVectorLayer(str(units), "units", "ogr")
        codes = sorted(f["HJGKDYBM"] for f in out.getFeatures())
        reference = QgsVectorLayer(sample_chain["units"], "reference", "ogr")
        assert codes == sorted(f["HJGKDYBM"] for f in reference.getFeatures())
    finally:
        QgsProject.instance().removeAllMapLayers()
