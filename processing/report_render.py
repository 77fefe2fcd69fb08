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
from qgis.PyQt.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt, QUrl
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from ..core import schema
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
    layer.setRenderer(QgsCategorizedSymbolRenderer(schema.CLASS, categories))
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


LATIN_FONTS = ("DejaVu Sans", "Arial", "Liberation Sans", "Helvetica")
# TrueType CJK fonts first: Qt's PDF writer maps CFF-based fonts (Noto Sans CJK) to wrong text (digits lost,
# 目 read as the Kangxi radical ⽬), so a PDF reader could not search or copy codes
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Source Han Sans SC",
    "Noto Sans CJK SC",
)
PAGE_MARGINS_MM = (18.0, 16.0, 18.0, 18.0)  # left, top, right, bottom
RESOLUTION = 96  # device pixels per inch of the PDF's layout: <img width> in CSS pixels


def report_fonts() -> list[str]:
    """The first Latin and the first CJK family this machine has (Latin first: digits and codes stay searchable)."""
    available = set(QFontDatabase().families())
    latin = next((f for f in LATIN_FONTS if f in available), "")
    cjk = next((f for f in CJK_FONTS if f in available), "")
    return [f for f in (latin, cjk) if f] or ["sans-serif"]


def html_to_pdf(html_text: str, folder: str, path: str, footer: str = "", title: str = "") -> int:
    """Lay the report out on A4 portrait with Qt's rich-text engine at the printer's own resolution (fonts keep
    their point size), one page after another with `footer` and “第 n 页 共 m 页” on each; images are resolved
    relative to `folder`. Returns the number of pages."""
    writer = QPdfWriter(path)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    writer.setCreator("EcoZoning")
    if title:
        writer.setTitle(title)
    px = RESOLUTION / 25.4
    left, top, right, bottom = (m * px for m in PAGE_MARGINS_MM)
    width, height = writer.width() - left - right, writer.height() - top - bottom
    families = report_fonts()
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setBaseUrl(QUrl.fromLocalFile(os.path.join(folder, "")))
    font = QFont(families[0], 10)
    document.setDefaultFont(font)
    families_css = ",".join(f"'{f}'" for f in families)
    document.setDefaultStyleSheet(f"body {{ font-family: {families_css}; }}")
    document.setDocumentMargin(0)
    document.setPageSize(QSizeF(width, height))
    document.setHtml(html_text)  # noqa: QGS202 - QTextDocument.setHtml returns nothing
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF {path}")
    footer_font = QFont(families[0], 8)
    if hasattr(footer_font, "setFamilies"):  # Qt 5.13 and later: CJK in the footer falls back per glyph
        footer_font.setFamilies(families)
    try:
        for page in range(pages):
            if page and not writer.newPage():
                raise OSError(f"cannot add a page to {path}")
            painter.save()
            painter.translate(left, top - page * height)
            document.drawContents(painter, QRectF(0, page * height, width, height))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#555555"))
            line = f"{footer}    第 {page + 1} 页 共 {pages} 页".strip()
            painter.drawText(
                QRectF(left, writer.height() - bottom + 4 * px, width, 8 * px),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                line,
            )
    finally:
        painter.end()
    return pages
