"""Maps and files of the tracking report: flagged units coloured by reason over all units, one map per flagged unit
with its leads; HTML from core.tracking_report, PDF and PNG by QGIS (report_render)."""

from __future__ import annotations

import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsFillSymbol,
    QgsMarkerSymbol,
    QgsProcessingLayerPostProcessorInterface,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

from ..core.tracking import TrackingResult, TrackingRules
from ..core.tracking_report import MULTIPLE_COLOR, focus_label, report_html, words
from .adapter import to_qgs
from .report_render import html_to_pdf, padded_extent, render_map

MULTIPLE = "multiple"
CHANGE_MARK = {"name": "circle", "color": "0,0,0,0", "outline_color": "#d50000", "outline_width": "0.6", "size": "5"}
LEAD_SYMBOLS = {
    "site": {"name": "triangle", "color": "#1565c0", "size": "4", "outline_color": "#ffffff"},
    "source": {"name": "star", "color": "#d50000", "size": "5", "outline_color": "#000000"},
}


def _memory_layer(kind: str, name: str, rows: list[tuple]) -> QgsVectorLayer:
    """rows: (geometry, category) in EPSG:4490."""
    layer = QgsVectorLayer(f"{kind}?crs=EPSG:4490&field=cat:string(40)", name, "memory")
    features = []
    for geom, category in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(to_qgs(geom))
        feature["cat"] = category
        features.append(feature)
    ok, _ = layer.dataProvider().addFeatures(features)
    if not ok:
        raise RuntimeError(f"could not draw the map layer {name}")
    return layer


def _unit_base(units) -> QgsVectorLayer:
    layer = _memory_layer("MultiPolygon", "units", [(u.geom, "") for u in units])
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple({"color": "#f2f2f2", "outline_color": "#9e9e9e", "outline_width": "0.15"})
        )
    )
    return layer


def _flagged_layer(result: TrackingResult, rules: TrackingRules, lang: str) -> QgsVectorLayer:
    rows = [(f.unit.geom, f.focuses[0] if len(f.focuses) == 1 else MULTIPLE) for f in result.flagged]
    layer = _memory_layer("MultiPolygon", "flagged", rows)
    categories = []
    present = {cat for _, cat in rows}
    for focus, spec in [*rules.focuses.items(), (MULTIPLE, {"color": MULTIPLE_COLOR})]:
        if focus not in present:
            continue
        symbol = QgsFillSymbol.createSimple(
            {"color": str(spec.get("color", "#999999")), "outline_color": "#212121", "outline_width": "0.3"}
        )
        name = words(lang)["multiple"] if focus == MULTIPLE else focus_label(rules, focus, lang)
        categories.append(QgsRendererCategory(focus, symbol, name))
    layer.setRenderer(QgsCategorizedSymbolRenderer("cat", categories))
    return layer


def _lead_layers(leads) -> list[QgsVectorLayer]:
    layers = []
    for obj_type, symbol in LEAD_SYMBOLS.items():
        rows = [(lead.geom, obj_type) for lead in leads if lead.obj_type == obj_type]
        if rows:
            layer = _memory_layer("Point", obj_type, rows)
            layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(symbol)))
            layers.append(layer)
    rows = [(lead.geom, "change") for lead in leads if lead.obj_type == "change"]
    if rows:  # a marker too: a patch of a few hectares is a speck on the map of a large unit
        marks = _memory_layer("Point", "change_marks", [(g.representative_point(), c) for g, c in rows])
        marks.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(CHANGE_MARK)))
        layers.append(marks)
        layer = _memory_layer("MultiPolygon", "change", rows)
        layer.setRenderer(
            QgsSingleSymbolRenderer(
                QgsFillSymbol.createSimple({"color": "255,0,0,90", "outline_color": "#d50000", "outline_width": "0.5"})
            )
        )
        layers.append(layer)
    return layers


def _outline(geom) -> QgsVectorLayer:
    layer = _memory_layer("MultiPolygon", "unit", [(geom, "")])
    symbol = QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": "#000000", "outline_width": "0.6"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def write_report(
    folder: str, result: TrackingResult, rules: TrackingRules, units, stamp: dict, lang: str, feedback
) -> dict[str, str]:
    """tracking_report.html and .pdf with their map images in `folder`; returns the paths written."""
    os.makedirs(folder, exist_ok=True)
    base = _unit_base(units)
    overview = ""
    if units:
        from shapely import union_all

        extent = padded_extent(union_all([u.geom.envelope for u in units]), ratio=0.03)
        overview = "tracking_overview.png"
        render_map([_flagged_layer(result, rules, lang), base], extent, os.path.join(folder, overview), (1000, 800))
    images = {}
    leads_of: dict[str, list] = {}
    for lead in result.leads:
        leads_of.setdefault(lead.unit.code, []).append(lead)
    for n, item in enumerate(result.flagged):
        if feedback.isCanceled():
            break
        feedback.setProgress(90 + int(9 * n / max(len(result.flagged), 1)))
        name = f"tracking_unit_{item.rank:04d}.png"
        layers = [*_lead_layers(leads_of.get(item.unit.code, [])), _outline(item.unit.geom), base]
        render_map(layers, padded_extent(item.unit.geom, ratio=0.1), os.path.join(folder, name), (800, 520))
        images[item.unit.code] = name
    text = report_html(result, rules, stamp, lang, overview, images)
    html_path = os.path.join(folder, "tracking_report.html")
    with open(html_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    pdf_path = html_to_pdf(text, folder, os.path.join(folder, "tracking_report.pdf"))
    return {"html": html_path, "pdf": pdf_path}


# --- styles of the outputs, applied once Processing has loaded them (never inside processAlgorithm) ------------------
def flagged_renderer(rules: TrackingRules, lang: str) -> QgsCategorizedSymbolRenderer:
    """FLAGGED coloured by its first (most severe) reason, as on the report's map."""
    categories = []
    for focus, spec in rules.focuses.items():
        symbol = QgsFillSymbol.createSimple(
            {"color": str(spec.get("color", "#999999")), "outline_color": "#212121", "outline_width": "0.3"}
        )
        symbol.setOpacity(0.8)
        categories.append(QgsRendererCategory(focus, symbol, focus_label(rules, focus, lang)))
    return QgsCategorizedSymbolRenderer("FOCUS", categories)


def leads_renderer(lang: str) -> QgsCategorizedSymbolRenderer:
    names = words(lang)
    categories = [
        QgsRendererCategory(kind, QgsMarkerSymbol.createSimple(spec), names[f"obj_{kind}"])
        for kind, spec in (("change", CHANGE_MARK), *LEAD_SYMBOLS.items())
    ]
    return QgsCategorizedSymbolRenderer("OBJ_TYPE", categories)


class TrackingStyle(QgsProcessingLayerPostProcessorInterface):
    def __init__(self, renderer):
        super().__init__()
        self.renderer = renderer

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - Qt virtual
        if isinstance(layer, QgsVectorLayer) and layer.isValid():
            layer.setRenderer(self.renderer.clone())
            layer.triggerRepaint()


# Processing holds a plain pointer to a post-processor: Python keeps them alive, one per output of the last runs.
_STYLES: dict[str, TrackingStyle] = {}


def style_outputs(context, outputs: dict, rules: TrackingRules, lang: str) -> None:
    for key, renderer in (("FLAGGED", flagged_renderer(rules, lang)), ("LEADS", leads_renderer(lang))):
        dest = outputs.get(key)
        if dest and context.willLoadLayerOnCompletion(dest):
            _STYLES[dest] = TrackingStyle(renderer)
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(_STYLES[dest])
