"""The one place where QGIS features meet core's shapely geometries (WKB both ways)."""

from __future__ import annotations

import shapely
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsVectorLayerFeatureSource,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.admin import build_counties
from ..core.errors import EcoZoningError
from .compat import FAST_INSERT, POLYGON_GEOMETRY, SKIP_GEOMETRY_CHECKS

STORAGE_CRS = QgsCoordinateReferenceSystem("EPSG:4490")  # CGCS2000, storage and filing CRS (domain.md §3)


def layer_label(source, fallback: str) -> str:
    name = source.sourceName() if source is not None and hasattr(source, "sourceName") else ""
    return f"'{name}'" if name else fallback


def require_source(algorithm, parameters, name: str, context, label: str):
    source = algorithm.parameterAsSource(parameters, name, context)
    if source is None:
        raise QgsProcessingException(f"{label} ({name}) could not be opened: choose a valid layer.")
    return source


def require_polygons(source, label: str):
    if QgsWkbTypes.geometryType(source.wkbType()) != POLYGON_GEOMETRY:
        raise QgsProcessingException(
            f"{label} holds {QgsWkbTypes.displayString(source.wkbType())} geometries; it must be a polygon layer."
        )
    if source.featureCount() == 0:
        raise QgsProcessingException(f"{label} is empty: it has no features (check the selection or the filter).")


def require_field(source, field_name: str, label: str, what: str) -> int:
    index = source.fields().lookupField(field_name) if field_name else -1
    if index < 0:
        names = ", ".join(source.fields().names())
        raise QgsProcessingException(
            f"{label} has no field '{field_name}' ({what}). Its fields are: {names}. Choose the right field."
        )
    return index


def to_shapely(geometry: QgsGeometry):
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    geom = shapely.from_wkb(bytes(geometry.asWkb()))
    return shapely.force_2d(geom) if shapely.has_z(geom) else geom


def to_qgs(geom) -> QgsGeometry:
    result = QgsGeometry()
    if geom is None or geom.is_empty:
        return result
    # 2D explicitly: inside QGIS, shapely runs on QGIS's own GEOS (3.11 on Debian 12), which refuses the
    # 4-dimensional default of shapely's bundled GEOS
    result.fromWkb(shapely.to_wkb(geom, output_dimension=2))
    return result


def to_multipolygon_qgs(geom) -> QgsGeometry:
    result = to_qgs(geom)
    if not result.isNull() and not result.isMultipart() and not result.convertToMultiType():
        raise QgsProcessingException("Could not convert a polygon to a multipolygon")
    return result


class PreparedSource:
    """A layer's features as a snapshot made on the main thread (prepareAlgorithm), safe to read from the
    Processing worker thread: project layers themselves must not be touched there."""

    def __init__(self, layer):
        self._name = layer.name()
        self._crs = layer.crs()
        self._fields = layer.fields()
        self._wkb_type = layer.wkbType()
        self._count = layer.featureCount()
        self._source = QgsVectorLayerFeatureSource(layer)

    def sourceName(self):  # noqa: N802 - the QgsFeatureSource API read_features expects
        return self._name

    def sourceCrs(self):  # noqa: N802
        return self._crs

    def fields(self):
        return self._fields

    def wkbType(self):  # noqa: N802
        return self._wkb_type

    def featureCount(self):  # noqa: N802
        return self._count

    def getFeatures(self, request=None):  # noqa: N802
        return self._source.getFeatures(request or QgsFeatureRequest())


def read_features(source, context, feedback, attributes: list[str] | None = None, label: str = "layer"):
    """Yield (fid, shapely geometry in EPSG:4490 or None, {field: value}); reprojects when needed."""
    transform = None
    if source.sourceCrs().isValid() and source.sourceCrs() != STORAGE_CRS:
        transform = QgsCoordinateTransform(source.sourceCrs(), STORAGE_CRS, context.transformContext())
        feedback.pushInfo(f"{label}: reprojecting from {source.sourceCrs().authid()} to EPSG:4490 (CGCS2000)")
    elif not source.sourceCrs().isValid():
        feedback.pushWarning(f"{label} has no CRS; its coordinates are taken as CGCS2000 longitude/latitude")
    names = source.fields().names()
    wanted = [n for n in (attributes or names) if n in names]
    request = QgsFeatureRequest()
    if isinstance(source, QgsProcessingFeatureSource):
        # we repair and report invalid geometries ourselves instead of letting QGIS abort the run
        features = source.getFeatures(request, SKIP_GEOMETRY_CHECKS)
    else:
        features = source.getFeatures(request)
    for n, feature in enumerate(features):
        if feedback.isCanceled():
            return
        geometry = QgsGeometry(feature.geometry())
        if transform is not None and not geometry.isNull():
            try:
                failed = geometry.transform(transform) != 0  # Qgis.GeometryOperationResult.Success
            except Exception as exc:  # QgsCsException: coordinates outside the CRS's area
                failed = exc
            if failed:
                raise QgsProcessingException(
                    f"{label}: feature {feature.id()} cannot be reprojected to EPSG:4490. Check the layer's CRS."
                )
        try:
            geom = to_shapely(geometry)
        except shapely.errors.GEOSException as exc:
            feedback.reportError(f"{label}: feature {feature.id()} has unreadable geometry ({exc}); treated as empty")
            geom = None
        yield feature.id(), geom, {name: _value(feature[name]) for name in wanted}
        if n % 500 == 0:
            feedback.setProgress(0)  # keeps the dialog responsive without claiming real progress


def _value(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


def read_counties(
    algorithm,
    parameters,
    context,
    feedback,
    admin_param="ADMIN",
    code_param="ADMIN_CODE_FIELD",
    prov_param=None,
    city_param=None,
    county_param=None,
):
    source = require_source(algorithm, parameters, admin_param, context, "The admin layer")
    label = f"Admin layer {layer_label(source, admin_param)}"
    require_polygons(source, label)
    # optional with a default: QGIS 3.22 rejects a missing non-optional field parameter despite its default
    code_field = algorithm.parameterAsString(parameters, code_param, context) or "XZQDM"
    require_field(source, code_field, label, "6-digit county codes")
    extra = {}
    for key, param in (("prov", prov_param), ("city", city_param), ("county", county_param)):
        value = algorithm.parameterAsString(parameters, param, context) if param else ""
        if value:
            require_field(source, value, label, f"{key} names")
        extra[key] = value
    rows = [
        (
            fid,
            geom,
            attrs.get(code_field),
            attrs.get(extra["county"]),
            attrs.get(extra["city"]),
            attrs.get(extra["prov"]),
        )
        for fid, geom, attrs in read_features(source, context, feedback, label=label)
    ]
    try:
        counties, notes = build_counties(rows, label)
    except EcoZoningError as exc:
        raise QgsProcessingException(str(exc)) from exc
    for note in notes:
        feedback.pushWarning(note)
    return counties


def _field_types() -> dict:
    if Qgis.QGIS_VERSION_INT >= 33800:  # QgsField takes QMetaType from 3.38 on, and only that under Qt 6
        from qgis.PyQt.QtCore import QMetaType

        return {"str": QMetaType.Type.QString, "int": QMetaType.Type.Int, "float": QMetaType.Type.Double}
    # QGIS 3.22-3.36 take QVariant types; this branch never runs on Qt 6
    return {"str": QVariant.String, "int": QVariant.Int, "float": QVariant.Double}  # noqa: QGS402


def make_fields(spec) -> QgsFields:
    """spec: [(name, 'str'|'int'|'float', length)]"""
    fields = QgsFields()
    kinds = _field_types()
    for name, kind, length in spec:
        field = QgsField(name, kinds[kind])
        if length:
            field.setLength(length)
        fields.append(field)
    return fields


def new_feature(fields: QgsFields, values: dict, geom=None) -> QgsFeature:
    feature = QgsFeature(fields)
    for name, value in values.items():
        feature[name] = value
    if geom is not None:
        feature.setGeometry(to_multipolygon_qgs(geom))
    return feature


def write(sink, feature: QgsFeature, what: str) -> None:
    """Add a feature to a sink or stop with the reason (a full disk, a field too short for the format…)."""
    if not sink.addFeature(feature, FAST_INSERT):
        raise QgsProcessingException(f"Could not write {what}: {sink.lastError()}")
