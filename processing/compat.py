"""QGIS enums spelled so that they work from 3.22 (PyQt5) to QGIS 4 (Qt 6, scoped enums only).

3.22 has only the old classes' scoped enums (QgsWkbTypes.Type…); newer versions move them to Qgis.*
and QGIS 4 drops the old ones. Each name below picks whichever the running QGIS has.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingFeatureSource,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)


def _pick(new_owner: str, new_name: str, old):
    owner = getattr(Qgis, new_owner, None)
    return getattr(owner, new_name) if owner is not None and hasattr(owner, new_name) else old()


MULTIPOLYGON = _pick("WkbType", "MultiPolygon", lambda: QgsWkbTypes.Type.MultiPolygon)
NO_GEOMETRY = _pick("WkbType", "NoGeometry", lambda: QgsWkbTypes.Type.NoGeometry)
POLYGON_GEOMETRY = _pick("GeometryType", "Polygon", lambda: QgsWkbTypes.GeometryType.PolygonGeometry)
SOURCE_POLYGON = _pick("ProcessingSourceType", "VectorPolygon", lambda: QgsProcessing.SourceType.TypeVectorPolygon)
SOURCE_VECTOR_ANY_GEOMETRY = _pick(
    "ProcessingSourceType", "VectorAnyGeometry", lambda: QgsProcessing.SourceType.TypeVectorAnyGeometry
)
SOURCE_VECTOR = _pick("ProcessingSourceType", "Vector", lambda: QgsProcessing.SourceType.TypeVector)
NUMBER_DOUBLE = _pick("ProcessingNumberParameterType", "Double", lambda: QgsProcessingParameterNumber.Type.Double)
NUMBER_INTEGER = _pick("ProcessingNumberParameterType", "Integer", lambda: QgsProcessingParameterNumber.Type.Integer)
FLAG_ADVANCED = _pick("ProcessingParameterFlag", "Advanced", lambda: QgsProcessingParameterDefinition.Flag.FlagAdvanced)
SKIP_GEOMETRY_CHECKS = _pick(
    "ProcessingFeatureSourceFlag",
    "SkipGeometryValidityChecks",
    lambda: QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks,
)
FAST_INSERT = QgsFeatureSink.Flag.FastInsert
FILE_FOLDER = _pick("ProcessingFileParameterBehavior", "Folder", lambda: QgsProcessingParameterFile.Behavior.Folder)
REQUEST_NO_GEOMETRY = _pick("FeatureRequestFlag", "NoGeometry", lambda: QgsFeatureRequest.Flag.NoGeometry)
POINT = _pick("WkbType", "Point", lambda: QgsWkbTypes.Type.Point)
SOURCE_POINT = _pick("ProcessingSourceType", "VectorPoint", lambda: QgsProcessing.SourceType.TypeVectorPoint)
