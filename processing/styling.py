"""Styles of the EcoZoning outputs: the QML files of resources/styles, how they are made from a taxonomy, and the
layer post-processor that applies them to algorithm outputs loaded into the project (never inside processAlgorithm).
"""

from __future__ import annotations

import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsPalLayerSettings,
    QgsProcessingLayerPostProcessorInterface,
    QgsRendererCategory,
    QgsRuleBasedRenderer,
    QgsSymbol,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ..core import schema
from .i18n import translate

STYLE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "styles")
KINDS = ("units", "zones")
# outputs styled from code (no QML file): their symbols depend on the geometry type of the layer
CODE_STYLES = ("verdicts", "issues", "merge_log")
VERDICT_COLORS = {"pass": "#2e7d32", "conditional": "#f9a825", "fail": "#c62828", "need_info": "#757575"}  # nosec B105 (the verdict "pass")
ISSUE_COLORS = {  # errors of the coverage in reds, code and attribute problems in purples, slivers in orange
    "gap": "#d32f2f",
    "overlap": "#b71c1c",
    "crosses_county": "#e64a19",
    "outside_admin": "#ff7043",
    "sliver": "#ffa000",
    "invalid_geometry": "#6a1b9a",
    "empty_geometry": "#8e24aa",
    "bad_code": "#3949ab",
    "duplicate_code": "#1e88e5",
    "class_mismatch": "#00897b",
    "county_mismatch": "#43a047",
    "area_mismatch": "#7cb342",
    "missing_field": "#546e7a",
}
# Unit codes are labelled from this scale (1:250,000) and closer.
LABEL_MIN_SCALE = 250000.0


def tr(text: str) -> str:
    return translate("EcoZoning", text)


def verdict_labels() -> dict[str, str]:
    return {
        "pass": tr("Pass"),
        "conditional": tr("Conditional"),
        "fail": tr("Fail"),
        "need_info": tr("Information needed"),
    }


def issue_labels() -> dict[str, str]:
    return {
        "gap": tr("Gap"),
        "overlap": tr("Overlap"),
        "crosses_county": tr("Crosses a county line"),
        "outside_admin": tr("Outside the admin area"),
        "sliver": tr("Sliver"),
        "invalid_geometry": tr("Invalid geometry"),
        "empty_geometry": tr("Empty geometry"),
        "bad_code": tr("Bad code"),
        "duplicate_code": tr("Duplicate code"),
        "class_mismatch": tr("Class does not match the code"),
        "county_mismatch": tr("County does not match the code"),
        "area_mismatch": tr("Area does not match MJ"),
        "missing_field": tr("Missing field"),
    }


def _symbol(geometry_type, color: str, opacity: float = 0.6):
    symbol = QgsSymbol.defaultSymbol(geometry_type)
    symbol.setColor(QColor(color))  # noqa: QGS202 - QgsSymbol.setColor returns nothing
    symbol.setOpacity(opacity)
    return symbol


def _categorized(field: str, geometry_type, colors: dict, labels: dict, values) -> QgsCategorizedSymbolRenderer:
    """One category per value present (the legend lists only what the layer holds), in the order of `colors`."""
    present = [v for v in colors if v in values] + sorted(v for v in values if v not in colors and v)
    categories = [
        QgsRendererCategory(v, _symbol(geometry_type, colors.get(v, "#9e9e9e")), labels.get(v, str(v))) for v in present
    ]
    return QgsCategorizedSymbolRenderer(field, categories)


def code_style_renderer(layer: QgsVectorLayer, kind: str):
    """The renderer of a verdicts, validation issues or merge log layer."""
    geometry_type = layer.geometryType()
    names = layer.fields().names()
    if kind == "verdicts" and "VERDICT" in names:
        values = layer.uniqueValues(layer.fields().indexOf("VERDICT"))
        return _categorized("VERDICT", geometry_type, VERDICT_COLORS, verdict_labels(), values)
    if kind == "issues" and "KIND" in names:
        values = layer.uniqueValues(layer.fields().indexOf("KIND"))
        return _categorized("KIND", geometry_type, ISSUE_COLORS, issue_labels(), values)
    if kind == "merge_log" and "ACTION" in names:
        root = QgsRuleBasedRenderer.Rule(None)
        for expression, color, label in (
            ("\"ACTION\" LIKE 'merged%'", "#1e88e5", tr("Merged into a neighbour")),
            ("\"ACTION\" LIKE 'kept%'", "#e53935", tr("Kept (protected or no neighbour)")),
        ):
            root.appendChild(QgsRuleBasedRenderer.Rule(_symbol(geometry_type, color, 0.8), 0, 0, expression, label))
        return QgsRuleBasedRenderer(root)
    return None


def style_path(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown style kind '{kind}' (use {', '.join(KINDS)})")
    return os.path.join(STYLE_DIR, f"{kind}.qml")


def _fill(color: str, opacity: float = 0.75) -> QgsFillSymbol:
    symbol = QgsFillSymbol.createSimple({"color": color, "outline_color": "#555555", "outline_width": "0.2"})
    symbol.setOpacity(opacity)
    return symbol


def units_renderer(taxonomy) -> QgsCategorizedSymbolRenderer:
    categories = []
    for unit_class in (1, 2, 3):
        color = taxonomy.class_labels.get(unit_class, {}).get("color", "#cccccc")
        label = f"{taxonomy.class_label(unit_class)}单元"
        categories.append(QgsRendererCategory(unit_class, _fill(color), label))
    return QgsCategorizedSymbolRenderer(schema.CLASS, categories)


def zones_renderer(taxonomy) -> QgsCategorizedSymbolRenderer:
    categories = []
    for key in sorted(taxonomy.zones, key=lambda k: taxonomy.zones[k].rank):
        zone = taxonomy.zones[key]
        categories.append(QgsRendererCategory(key, _fill(zone.color, 0.7), zone.zh))
    return QgsCategorizedSymbolRenderer("YSXL", categories)


def units_labeling() -> QgsVectorLayerSimpleLabeling:
    settings = QgsPalLayerSettings()
    settings.fieldName = schema.CODE
    settings.isExpression = False
    settings.scaleVisibility = True
    settings.minimumScale = LABEL_MIN_SCALE  # the most zoomed-out scale at which labels show
    settings.maximumScale = 0.0
    text = QgsTextFormat()
    text.setFont(QFont("Noto Sans CJK SC"))
    text.setSize(8)
    text.setColor(QColor("#202020"))  # noqa: QGS202 - QgsTextFormat.setColor returns nothing
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#ffffff"))  # noqa: QGS202 - QgsTextBufferSettings.setColor returns nothing
    text.setBuffer(buffer)
    settings.setFormat(text)
    return QgsVectorLayerSimpleLabeling(settings)


def apply_taxonomy_style(layer: QgsVectorLayer, kind: str, taxonomy) -> None:
    """Style a layer from the taxonomy itself (what scripts/make_styles.py saves as QML)."""
    if kind == "units":
        layer.setRenderer(units_renderer(taxonomy))
        layer.setLabeling(units_labeling())
        layer.setLabelsEnabled(True)
    elif kind == "zones":
        layer.setRenderer(zones_renderer(taxonomy))
        layer.setLabelsEnabled(False)
    else:
        raise ValueError(f"unknown style kind '{kind}'")


def apply_style(layer: QgsVectorLayer, kind: str) -> bool:
    """Load the shipped QML of `kind` onto the layer; False (layer untouched) when it cannot be loaded."""
    path = style_path(kind)
    if not os.path.exists(path):
        return False
    _message, ok = layer.loadNamedStyle(path)
    if ok:
        layer.triggerRepaint()
    return bool(ok)


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Applies the units or zones style to an output layer once Processing has loaded it into the project."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - Qt virtual
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            return
        if self.kind in CODE_STYLES:
            renderer = code_style_renderer(layer, self.kind)
            if renderer is not None:
                layer.setRenderer(renderer)
                layer.triggerRepaint()
            return
        if not apply_style(layer, self.kind):
            feedback.pushWarning(f"could not apply the {self.kind} style ({style_path(self.kind)})")


# Processing holds a plain pointer to the post-processor: Python keeps the objects alive (as QGIS core and
# QuickOSM do). One per kind is enough, as they keep no state of a run.
_POST_PROCESSORS: dict[str, StylePostProcessor] = {}


def post_processor(kind: str) -> StylePostProcessor:
    if kind not in CODE_STYLES:
        style_path(kind)  # checks the kind
    if kind not in _POST_PROCESSORS:
        _POST_PROCESSORS[kind] = StylePostProcessor(kind)
    return _POST_PROCESSORS[kind]


def style_output(context, dest_id, kind: str) -> bool:
    """Attach the style post-processor to the output `dest_id` if it is to be loaded on completion."""
    if not dest_id or not context.willLoadLayerOnCompletion(dest_id):
        return False
    context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(post_processor(kind))
    return True


# outputs whose style is written into the GeoPackage they land in (algorithm, output) -> style kind
EMBEDDED = {
    ("standardizezones", "OUTPUT"): "zones",
    ("delineateunits", "UNITS"): "units",
    ("delineateunits", "MERGE_LOG"): "merge_log",
    ("validateunits", "ISSUES"): "issues",
    ("screenprojects", "VERDICTS"): "verdicts",
}


def style_layer(layer: QgsVectorLayer, kind: str) -> bool:
    if kind in CODE_STYLES:
        renderer = code_style_renderer(layer, kind)
        if renderer is None:
            return False
        layer.setRenderer(renderer)
        return True
    return apply_style(layer, kind)


def embed_styles(algorithm: str, results: dict, feedback=None) -> list[str]:
    """Write the style of every styled output that is a GeoPackage layer into that GeoPackage as its default
    style, so that the file opens styled anywhere (QGIS reads layer_styles). Returns the layers styled."""
    done = []
    for (name, output), kind in EMBEDDED.items():
        dest = results.get(output) if name == algorithm else None
        if not isinstance(dest, str) or not dest.split("|")[0].lower().endswith(".gpkg"):
            continue
        if not os.path.exists(dest.split("|")[0]):
            continue
        layer = QgsVectorLayer(dest, output, "ogr")
        if not layer.isValid() or not style_layer(layer, kind):
            continue
        error = layer.saveStyleToDatabase(kind, "EcoZoning", True, "")
        if error and feedback is not None:
            feedback.pushWarning(f"{dest}: the style could not be embedded ({error})")
        elif not error:
            done.append(dest)
    return done
