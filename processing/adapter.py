"""The one place where QGIS features meet core's shapely geometries (WKB both ways)."""

from __future__ import annotations

import contextvars
import weakref

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
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ..core import schema
from ..core.admin import build_counties
from ..core.encoding import regbk, unreadable
from ..core.errors import EcoZoningError
from ..core.geometry import DEFAULT_REPAIR_TOLERANCE, RepairRefusedError, check_polygon, polygonal
from ..core.projection import area_m2
from .compat import FAST_INSERT, POLYGON_GEOMETRY, SKIP_GEOMETRY_CHECKS

STORAGE_CRS = QgsCoordinateReferenceSystem("EPSG:4490")  # CGCS2000, storage and filing CRS (docs/domain-rules.md §3)
# The share of a feature's area a geometry repair may move before the feature is refused; algorithms with a
# REPAIR_TOLERANCE parameter set it for the run (processing/algorithms/base.py).
REPAIR_TOLERANCE: contextvars.ContextVar[float] = contextvars.ContextVar(
    "ecozoning_repair_tolerance", default=DEFAULT_REPAIR_TOLERANCE
)
# Fields that name a feature in messages, in order of preference.
_LABEL_FIELDS = (schema.CODE, schema.ZONE_CODE, schema.COUNTY_CODE, "ID", "XMBH", "NAME")


def tr(text: str) -> str:
    return QCoreApplication.translate("EcoZoning", text)


class Attributes(dict):
    """A feature's attributes, looked up without regard to case: attrs.get("HJGKDYBM") reads `hjgkdybm`."""

    __slots__ = ("_keys",)

    def __init__(self, values, keys: dict[str, str]):
        super().__init__(values)
        self._keys = keys  # casefolded name -> actual name, shared by the features of a layer

    def _actual(self, key):
        if isinstance(key, str) and not dict.__contains__(self, key):
            return self._keys.get(key.casefold(), key)
        return key

    def __getitem__(self, key):
        return dict.__getitem__(self, self._actual(key))

    def __contains__(self, key):
        return dict.__contains__(self, self._actual(key))

    def get(self, key, default=None):
        return dict.get(self, self._actual(key), default)


_SOURCE_LABELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def layer_label(source, fallback: str) -> str:
    """'file' or, for one layer of a multi-layer GeoPackage, 'file' layer 'name' (QGIS names it after the file)."""
    try:
        known = _SOURCE_LABELS.get(source)
    except TypeError:
        known = None
    if known:
        return known
    name = source.sourceName() if source is not None and hasattr(source, "sourceName") else ""
    return f"'{name}'" if name else fallback


def _uri_label(uri: str) -> str:
    path, _, options = str(uri or "").partition("|")
    layer = next((o.split("=", 1)[1] for o in options.split("|") if o.startswith("layername=")), "")
    if not path or not layer:
        return ""
    import os

    return f"'{os.path.basename(path)}' layer '{layer}'"


def require_source(algorithm, parameters, name: str, context, label: str):
    source = algorithm.parameterAsSource(parameters, name, context)
    if source is None:
        raise QgsProcessingException(f"{label} ({name}) could not be opened: choose a valid layer.")
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    described = _uri_label(layer.source()) if layer is not None else ""
    if described:
        try:
            _SOURCE_LABELS[source] = described
        except TypeError:
            pass
    return source


def require_polygons(source, label: str):
    if QgsWkbTypes.geometryType(source.wkbType()) != POLYGON_GEOMETRY:
        raise QgsProcessingException(
            f"{label} holds {QgsWkbTypes.displayString(source.wkbType())} geometries; it must be a polygon layer."
        )
    if source.featureCount() == 0:
        raise QgsProcessingException(f"{label} is empty: it has no features (check the selection or the filter).")


def require_field(source, field_name: str, label: str, what: str) -> str:
    """The actual name of field `field_name` of the layer (matched without regard to case), or a clear error."""
    actual = schema.find_field(source.fields().names(), field_name) if field_name else None
    if actual is None:
        names = ", ".join(source.fields().names())
        raise QgsProcessingException(
            tr("{label} has no field '{field}' ({what}). Its fields are: {names}. Choose the right field.").format(
                label=label, field=field_name, what=what, names=names
            )
        )
    return actual


def has_field(names, wanted: str) -> bool:
    return schema.find_field(names, wanted) is not None


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
        self._extent = layer.extent()
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

    def sourceExtent(self):  # noqa: N802
        return self._extent

    def getFeatures(self, request=None):  # noqa: N802
        return self._source.getFeatures(request or QgsFeatureRequest())


def check_crs(source, label: str) -> None:
    """A layer without a CRS is read as CGCS2000 longitude/latitude; refuse it when its coordinates cannot be
    degrees (a Shapefile of Gauss–Krüger metres without its .prj would otherwise grow without bound)."""
    if source.sourceCrs().isValid():
        return
    extent = source.sourceExtent()
    if extent.isNull():
        return
    if -180.0 <= extent.xMinimum() and extent.xMaximum() <= 180.0 and -90.0 <= extent.yMinimum():
        if extent.yMaximum() <= 90.0:
            return
    raise QgsProcessingException(
        tr(
            "{label} has no CRS and its coordinates ({x:.0f}, {y:.0f}) cannot be longitude/latitude degrees: "
            "set the layer's CRS (Layer Properties > Source, or add its .prj file) and run again."
        ).format(label=label, x=extent.xMinimum(), y=extent.yMinimum())
    )


class GeometryReader:
    """The one validity check of every layer the plugin reads, feature by feature: curves are segmentized;
    invalid polygons are repaired in the layer's own CRS, before reprojection (polygons kept only), each repair
    reported with the feature's id, code and the area it moved; a repair that would change the area by more
    than `tolerance` is refused naming the feature; the result is reprojected to EPSG:4490.

    `warn(message)` and `info(message)` receive what the user should read (a feedback's pushWarning/pushInfo, or
    a list's append on a worker thread); `summary()` reports the totals once the layer is read."""

    def __init__(
        self,
        crs,
        transform_context,
        label: str,
        field_names,
        warn,
        info,
        repair: bool = True,
        tolerance: float | None = None,
    ):
        self.label, self.warn, self.info, self.repair = label, warn, info, repair
        self.tolerance = REPAIR_TOLERANCE.get() if tolerance is None else tolerance
        self.transform = None
        if crs.isValid() and crs != STORAGE_CRS:
            self.transform = QgsCoordinateTransform(crs, STORAGE_CRS, transform_context)
        self.geographic = not crs.isValid() or crs.isGeographic()
        keys = {name.casefold(): name for name in reversed(list(field_names))}
        self.label_field = next((keys[f.casefold()] for f in _LABEL_FIELDS if f.casefold() in keys), None)
        self.curved = self.repaired = 0
        self.moved_total = 0.0
        self.repairs: dict = {}  # fid -> reason

    def read(self, feature):
        """The feature's geometry as valid shapely in EPSG:4490 (None when it has none)."""
        label = self.label
        geometry = QgsGeometry(feature.geometry())
        if not geometry.isNull() and QgsWkbTypes.isCurvedType(geometry.wkbType()):
            # CurvePolygon / MultiSurface (ArcGIS GeoPackages): shapely reads no curves
            geometry = QgsGeometry(geometry.constGet().segmentize())
            self.curved += 1
        try:
            geom = to_shapely(geometry)
        except shapely.errors.GEOSException as exc:
            self.warn(f"{label}: feature {feature.id()} has unreadable geometry ({exc}); treated as empty")
            return None
        changed = False
        if self.repair and geom is not None:
            try:
                fixed, done = check_polygon(geom, self.tolerance)
            except RepairRefusedError as exc:
                raise QgsProcessingException(
                    _refusal(label, feature, self.label_field, exc.args[0], self.tolerance)
                ) from None
            if done is not None:
                moved = _area_m2(done.moved, geom, self.geographic)
                self.repaired += 1
                self.moved_total += moved
                self.warn(
                    tr(
                        "{label}: feature {fid}{code} repaired ({reason}); area {before} → {after} m² ({moved} m² moved)"
                    ).format(
                        label=label,
                        fid=feature.id(),
                        code=_feature_code(feature, self.label_field),
                        reason=done.reason,
                        before=f"{_area_m2(done.area_before, geom, self.geographic):.1f}",
                        after=f"{_area_m2(done.area_after, geom, self.geographic):.1f}",
                        moved=f"{moved:.1f}",
                    )
                )
                self.repairs[feature.id()] = done.reason
                geom, changed = fixed, True
        if self.transform is not None and geom is not None:
            if changed:
                geometry = to_qgs(geom)
            try:
                failed = geometry.transform(self.transform) != 0  # Qgis.GeometryOperationResult.Success
            except Exception as exc:  # QgsCsException: coordinates outside the CRS's area
                failed = exc
            if failed:
                raise QgsProcessingException(
                    tr("{label}: feature {fid} cannot be reprojected to EPSG:4490. Check the layer's CRS.").format(
                        label=label, fid=feature.id()
                    )
                )
            geom = to_shapely(geometry)
            if self.repair and geom is not None and geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_valid:
                # valid in the layer's CRS, invalid only after reprojection (vertices a few nm apart): not the
                # user's error, repaired without a word
                geom = polygonal(shapely.make_valid(geom, method="structure", keep_collapsed=False))
        return geom

    def summary(self):
        if self.curved:
            self.info(
                tr("{label}: {n} curved geometries converted to straight segments").format(
                    label=self.label, n=self.curved
                )
            )
        if self.repaired:
            self.warn(
                tr("{label}: {n} invalid geometries repaired, {moved} m² of area moved in all").format(
                    label=self.label, n=self.repaired, moved=f"{self.moved_total:.1f}"
                )
            )


def read_features(
    source,
    context,
    feedback,
    attributes: list[str] | None = None,
    label: str = "layer",
    span: tuple[float, float] | None = None,
    repair: bool = True,
    repairs: dict | None = None,
):
    """Yield (fid, shapely geometry in EPSG:4490 or None, {field: value}); reprojects when needed, through the
    one validity check of GeometryReader. `repairs`, when given, receives {fid: reason}. Attributes are looked
    up without regard to case; `attributes` are matched that way too.

    span=(start, end): while reading, move the progress bar from start to end percent by the share of the
    source's features read (the caller owns the rest of the bar); without it, progress is left alone."""
    check_crs(source, label)
    crs = source.sourceCrs()
    if crs.isValid() and crs != STORAGE_CRS:
        feedback.pushInfo(f"{label}: reprojecting from {crs.authid()} to EPSG:4490 (CGCS2000)")
    elif not crs.isValid():
        feedback.pushWarning(f"{label} has no CRS; its coordinates are taken as CGCS2000 longitude/latitude")
    names = source.fields().names()
    keys = {name.casefold(): name for name in reversed(names)}
    wanted = names if attributes is None else [n for n in (keys.get(a.casefold()) for a in attributes) if n]
    reader = GeometryReader(
        crs, context.transformContext(), label, names, feedback.pushWarning, feedback.pushInfo, repair
    )
    request = QgsFeatureRequest()
    if isinstance(source, QgsProcessingFeatureSource):
        # we repair and report invalid geometries ourselves instead of letting QGIS abort the run
        features = source.getFeatures(request, SKIP_GEOMETRY_CHECKS)
    else:
        features = source.getFeatures(request)
    total = source.featureCount() if span else -1
    every = max(1, total // 100) if total > 0 else 0  # about a hundred updates, whatever the size
    regbk_count = 0
    for n, feature in enumerate(features):
        if feedback.isCanceled():
            return
        if every and n % every == 0:
            feedback.setProgress(span[0] + (span[1] - span[0]) * min(n / total, 1.0))
        geom = reader.read(feature)
        attrs = Attributes({name: _value(feature[name]) for name in wanted}, keys)
        for name, value in attrs.items():
            if isinstance(value, str) and value:
                fixed = regbk(value)
                if fixed is not None:
                    attrs[name] = fixed
                    regbk_count += 1
        garbled = next((k for k, v in attrs.items() if isinstance(v, str) and unreadable(v)), None)
        if garbled is not None:
            raise QgsProcessingException(
                tr(
                    "{label}: feature {fid} has text in {field} that is not valid in the layer's encoding "
                    "('{text}'): a Shapefile written in GBK without its .cpg file. Add a .cpg file holding GBK next "
                    "to the .shp (or set the layer's encoding to GBK in Layer Properties > Source) and run again."
                ).format(label=label, fid=feature.id(), field=garbled, text=attrs[garbled][:20])
            )
        yield feature.id(), geom, attrs
    if every:
        feedback.setProgress(span[1])
    if repairs is not None:
        repairs.update(reader.repairs)
    if regbk_count:
        feedback.pushWarning(
            tr(
                "{label}: {n} texts were GBK bytes read as Latin-1 (a Shapefile without its .cpg) and were read as "
                "GBK; add a .cpg file holding GBK next to the .shp"
            ).format(label=label, n=regbk_count)
        )
    reader.summary()


def _feature_code(feature, label_field) -> str:
    if not label_field:
        return ""
    value = _value(feature[label_field])
    return f" ({value})" if value not in (None, "") else ""


def _area_m2(area: float, geom, geographic: bool) -> float:
    """An area measured in the layer's CRS units², in m² (degrees² are scaled at the feature's latitude)."""
    if not geographic:
        return area  # projected CRSs of the users are in metres
    try:
        return area * float(area_m2(shapely.envelope(geom))) / max(float(shapely.envelope(geom).area), 1e-300)
    except (ValueError, shapely.errors.GEOSException):
        return float("nan")


def _refusal(label, feature, label_field, done, tolerance) -> str:
    return tr(
        "{label}: feature {fid}{code} is invalid ({reason}) and its rings can be read in two ways that differ "
        "by {share} of its area (more than the {tolerance} a repair may move): no repair is safe. Fix the "
        "feature in its source (redraw the rings, or run 'Fix geometries' and check the result), or raise "
        "REPAIR_TOLERANCE."
    ).format(
        label=label,
        fid=feature.id(),
        code=_feature_code(feature, label_field),
        reason=done.reason,
        share=f"{100 * done.ambiguity:.2f} %",
        tolerance=f"{100 * tolerance:g} %",
    )


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
    code_field = algorithm.parameterAsString(parameters, code_param, context) or schema.COUNTY_CODE
    code_field = require_field(source, code_field, label, "6-digit county codes")
    extra = {}
    for key, param in (("prov", prov_param), ("city", city_param), ("county", county_param)):
        value = algorithm.parameterAsString(parameters, param, context) if param else ""
        if value:
            value = require_field(source, value, label, f"{key} names")
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
