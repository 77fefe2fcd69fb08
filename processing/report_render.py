"""Map images and PDFs for reports, with QGIS's own renderer and Qt's PDF writer (no iface, no widgets)."""

from __future__ import annotations

import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsMarkerSymbol,
    QgsRectangle,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMarginsF, QSize, QSizeF, QUrl
from qgis.PyQt.QtGui import QColor, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ..core.taxonomy import Taxonomy
from .adapter import STORAGE_CRS, to_qgs


def units_style_layer(source_layer: QgsVectorLayer, taxonomy: Taxonomy) -> QgsVectorLayer:
    """A clone of the unit layer coloured by class (the user's own layer keeps its style)."""
    layer = source_layer.clone()
    categories = []
    for unit_class in (1, 2, 3):
        color = taxonomy.class_labels.get(unit_class, {}).get("color", "#cccccc")
        symbol = QgsFillSymbol.createSimple({"color": color, "outline_color": "#555555", "outline_width": "0.2"})
        symbol.setOpacity(0.75)
        categories.append(QgsRendererCategory(unit_class, symbol, taxonomy.class_label(unit_class)))
    layer.setRenderer(QgsCategorizedSymbolRenderer("ZHGKDYFL", categories))
    return layer


def footprint_layer(geom, kind: str) -> QgsVectorLayer:
    geometry_type = {"area": "MultiPolygon", "length": "MultiLineString", "point": "MultiPoint"}.get(
        kind, "MultiPolygon"
    )
    layer = QgsVectorLayer(f"{geometry_type}?crs=EPSG:4490", "footprint", "memory")
    feature = QgsFeature()
    feature.setGeometry(to_qgs(geom))
    ok, _ = layer.dataProvider().addFeatures([feature])
    if not ok:
        raise RuntimeError("could not draw the footprint")
    if kind == "area":
        symbol = QgsFillSymbol.createSimple({"color": "255,0,0,40", "outline_color": "#d50000", "outline_width": "0.8"})
    elif kind == "length":
        symbol = QgsLineSymbol.createSimple({"color": "#d50000", "width": "1.0"})
    else:
        symbol = QgsMarkerSymbol.createSimple({"name": "star", "color": "#d50000", "size": "5"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def render_map(layers: list[QgsVectorLayer], extent: QgsRectangle, path: str, size=(900, 600)) -> str:
    settings = QgsMapSettings()
    settings.setLayers(layers)  # first is drawn on top
    settings.setDestinationCrs(STORAGE_CRS)
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor("#ffffff"))
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    if not job.renderedImage().save(path, "PNG"):
        raise OSError(f"could not write the map image {path}")
    return path


def padded_extent(geom, ratio: float = 0.6, minimum: float = 0.01) -> QgsRectangle:
    minx, miny, maxx, maxy = geom.bounds
    pad_x = max((maxx - minx) * ratio, minimum)
    pad_y = max((maxy - miny) * ratio, minimum)
    return QgsRectangle(minx - pad_x, miny - pad_y, maxx + pad_x, maxy + pad_y)


def html_to_pdf(html_text: str, folder: str, path: str) -> str:
    """Lay the report out on A4 with Qt's rich-text engine; images are resolved relative to `folder`."""
    document = QTextDocument()
    document.setBaseUrl(QUrl.fromLocalFile(os.path.join(folder, "")))
    document.setDefaultStyleSheet("body { font-family: 'Noto Sans CJK SC'; }")
    document.setHtml(html_text)  # noqa: QGS202 - QTextDocument.setHtml returns nothing
    writer = QPdfWriter(path)
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(12, 12, 12, 12))
    )
    writer.setResolution(150)
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    print_document = getattr(document, "print_", None) or document.print  # PyQt5 spells it print_, PyQt6 print
    print_document(writer)
    return path
