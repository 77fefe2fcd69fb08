"""Files of the filing package that need GDAL or QGIS: vector data (GeoPackage, Shapefile) and the class map."""

from __future__ import annotations

import os

import shapely
from osgeo import gdal, ogr, osr
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QFont

from ..core import schema
from ..core.filing import cut_to_bytes, normalize_dbf, normalize_pdf
from ..core.projection import gk_epsg, gk_zone

OGR_TYPES = {"str": ogr.OFTString, "int": ogr.OFTInteger, "float": ogr.OFTReal}


def write_vector(
    path: str, layer_name: str, spec, rows, date, driver: str = "GPKG", encoding: str = "UTF-8"
) -> list[str]:
    """rows: (shapely geometry, {field: value}). Returns the Shapefile cuts ('code field: n bytes')."""
    gdal.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", f"{date.isoformat()}T00:00:00Z")  # reproducible GeoPackages
    # QGIS sets SHAPE_ENCODING to '' (no recoding), and GDAL then ignores the ENCODING option: UTF-8 bytes would
    # land under a .cpg that says GBK. The encoding is set for the time of the write, and restored.
    saved_encoding = gdal.GetConfigOption("SHAPE_ENCODING")
    if driver == "ESRI Shapefile":
        gdal.SetConfigOption("SHAPE_ENCODING", "GBK" if encoding.upper() == "GBK" else "UTF-8")
    try:
        return _write_vector(path, layer_name, spec, rows, date, driver, encoding)
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", saved_encoding)
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)


def _write_vector(path, layer_name, spec, rows, date, driver, encoding) -> list[str]:
    if os.path.exists(path):
        ogr.GetDriverByName(driver).DeleteDataSource(path)
    source = ogr.GetDriverByName(driver).CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    options = [f"ENCODING={encoding}"] if driver == "ESRI Shapefile" else []
    layer = source.CreateLayer(layer_name, srs, ogr.wkbMultiPolygon, options=options)
    for name, kind, width in spec:
        definition = ogr.FieldDefn(name, OGR_TYPES[kind])
        if driver == "ESRI Shapefile" and kind == "str":
            definition.SetWidth(254)
        elif width:
            definition.SetWidth(width)
        layer.CreateField(definition)
    cuts = []
    codec = "gbk" if encoding.upper() == "GBK" else "utf-8"
    for geom, values in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in values.items():
            if value is None:
                continue
            if driver == "ESRI Shapefile" and isinstance(value, str):
                where = values.get(schema.CODE) or values.get("YSBM")
                encodable = value.encode(codec, errors="replace").decode(codec)
                if encodable != value:
                    cuts.append(f"{where} {name}: characters {codec.upper()} cannot hold written as '?'")
                value, cut = cut_to_bytes(encodable, 254, codec)
                if cut:
                    cuts.append(f"{where} {name}: cut to 254 bytes")
            feature.SetField(name, value)
        multi = geom if geom.geom_type == "MultiPolygon" else shapely.MultiPolygon(list(shapely.get_parts(geom)))
        feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(multi, output_dimension=2)))
        if layer.CreateFeature(feature) != 0:
            raise OSError(f"could not write a feature to {path}")
    source = None
    if driver == "ESRI Shapefile":
        base = os.path.splitext(path)[0]
        with open(base + ".cpg", "w", encoding="ascii") as handle:
            handle.write("GBK" if codec == "gbk" else "UTF-8")  # noqa: QGS201 - a file, not a QgsProject
        normalize_dbf(base + ".dbf", date)
    return cuts


def _fit(rect: QgsRectangle, ratio: float) -> QgsRectangle:
    """The rectangle grown to width/height = ratio around its centre (the map frame's shape)."""
    width, height = rect.width(), rect.height()
    if width / height < ratio:
        width = height * ratio
    else:
        height = width / ratio
    centre = rect.center()
    return QgsRectangle(
        centre.x() - width / 2, centre.y() - height / 2, centre.x() + width / 2, centre.y() + height / 2
    )


def north_arrow_svg() -> str:
    for folder in QgsApplication.svgPaths():
        for name in ("arrows/NorthArrow_02.svg", "arrows/NorthArrow_01.svg"):
            path = os.path.join(folder, name)
            if os.path.exists(path):
                return path
    return ""


def export_class_map(
    units_path: str, title: str, source_note: str, pdf_path: str, png_path: str, date, taxonomy
) -> None:
    """The class map (附图) as PDF and PNG, reproducibly (no creation time in either)."""
    from .report_render import units_style_layer

    project = QgsProject()
    layer = QgsVectorLayer(f"{units_path}|layername=units", "环境管控单元", "ogr")
    if not layer.isValid():
        raise OSError(f"cannot open {units_path} for the map")
    styled = units_style_layer(layer, taxonomy)
    styled.setName("环境管控单元 Control units")
    if project.addMapLayer(styled) is None:
        raise OSError("could not add the units to the map")
    layout = class_map_layout(project, styled, title, source_note)
    exporter = QgsLayoutExporter(layout)
    pdf = QgsLayoutExporter.PdfExportSettings()
    pdf.exportMetadata = False
    pdf.rasterizeWholeImage = False
    if exporter.exportToPdf(pdf_path, pdf) != QgsLayoutExporter.ExportResult.Success:
        raise OSError(f"could not export {pdf_path}: {exporter.errorMessage()}")
    normalize_pdf(pdf_path, date)
    image = QgsLayoutExporter.ImageExportSettings()
    image.dpi = 100
    image.exportMetadata = False  # no creation time: the same inputs give the same bytes
    if exporter.exportToImage(png_path, image) != QgsLayoutExporter.ExportResult.Success:
        raise OSError(f"could not export {png_path}: {exporter.errorMessage()}")


def map_crs(units: QgsVectorLayer, extent: QgsRectangle, project: QgsProject) -> QgsCoordinateReferenceSystem:
    """The CGCS2000 3-degree Gauss–Krüger zone of the units' centre (whatever the units' CRS); outside the zones
    EPSG numbers (units beyond China), the same projection written out."""
    storage = QgsCoordinateReferenceSystem("EPSG:4490")
    if units.crs().isValid() and units.crs() != storage:
        extent = QgsCoordinateTransform(units.crs(), storage, project).transformBoundingBox(extent)
    zone = gk_zone((extent.xMinimum() + extent.xMaximum()) / 2)
    try:
        return QgsCoordinateReferenceSystem(f"EPSG:{gk_epsg(zone)}")
    except ValueError:
        return QgsCoordinateReferenceSystem.fromProj(
            f"+proj=tmerc +lat_0=0 +lon_0={3 * zone} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
        )


def class_map_layout(
    project: QgsProject, units: QgsVectorLayer, title: str, source_note: str, name: str = ""
) -> QgsPrintLayout:
    """An A4 landscape class map (as the filing's 附图): title, units by class, legend, scale bar, north arrow,
    data source; the map follows the units theme."""
    extent = units.extent()
    crs = map_crs(units, extent, project)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    if name:
        layout.setName(name)
    page = layout.pageCollection().page(0)
    page.setPageSize("A4", page.Orientation.Landscape)
    mm = QgsUnitTypes.LayoutUnit.LayoutMillimeters

    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)
    map_item.attemptMove(QgsLayoutPoint(10, 22, mm))
    map_item.attemptResize(QgsLayoutSize(200, 178, mm))
    map_item.setCrs(crs)
    map_item.setLayers([units])
    map_item.setKeepLayerSet(True)
    projected = QgsCoordinateTransform(units.crs(), crs, project).transformBoundingBox(extent)
    projected.scale(1.05)
    map_item.setExtent(_fit(projected, 200 / 178))
    map_item.setFrameEnabled(True)

    def label(text, x, y, w, h, size, bold=False):
        item = QgsLayoutItemLabel(layout)
        layout.addLayoutItem(item)
        item.setText(text)
        font = QFont(MAP_FONT, size)
        font.setBold(bold)
        if hasattr(item, "setTextFormat"):  # QGIS >= 3.24; setFont is deprecated from 3.40 on
            item.setTextFormat(QgsTextFormat.fromQFont(font))
        else:
            item.setFont(font)
        item.attemptMove(QgsLayoutPoint(x, y, mm))
        item.attemptResize(QgsLayoutSize(w, h, mm))

    label(title, 10, 6, 277, 12, 18, True)
    legend = QgsLayoutItemLegend(layout)
    layout.addLayoutItem(legend)
    legend.setTitle("图例 Legend")
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    root.addLayer(units)
    legend.attemptMove(QgsLayoutPoint(215, 30, mm))
    scale = QgsLayoutItemScaleBar(layout)
    layout.addLayoutItem(scale)
    scale.setStyle("Single Box")
    scale.setLinkedMap(map_item)
    scale.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    scale.setUnitLabel("km")
    scale.setUnitsPerSegment(max(1.0, round(projected.width() / 1000 / 10)))
    scale.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFixed)
    scale.setNumberOfSegments(2)
    scale.setNumberOfSegmentsLeft(0)
    scale.attemptMove(QgsLayoutPoint(215, 160, mm))
    arrow = north_arrow_svg()
    if arrow:
        picture = QgsLayoutItemPicture(layout)
        layout.addLayoutItem(picture)
        picture.setPicturePath(arrow)
        picture.attemptMove(QgsLayoutPoint(260, 130, mm))
        picture.attemptResize(QgsLayoutSize(15, 20, mm))
    label(source_note, 215, 178, 75, 22, 8)
    pin_fonts(legend, scale)
    return layout


MAP_FONT = "Noto Sans CJK SC"


def pin_fonts(legend, scale) -> None:
    """Every text of the map in one font: left to Qt's default, the legend and scale bar fall back per process
    (NotoSansCJKjp in one run, DejaVuSans in the next) and two exports of the same inputs differ."""
    from qgis.core import QgsLegendStyle, QgsTextFormat

    for style, size in (
        (QgsLegendStyle.Style.Title, 12),
        (QgsLegendStyle.Style.Group, 10),
        (QgsLegendStyle.Style.Subgroup, 10),
        (QgsLegendStyle.Style.SymbolLabel, 9),
    ):
        font = QFont(MAP_FONT)
        font.setPointSizeF(size)
        legend_style = legend.rstyle(style)
        if hasattr(legend_style, "setTextFormat"):  # QGIS 3.30+
            text = QgsTextFormat()
            text.setFont(font)
            text.setSize(size)
            legend_style.setTextFormat(text)
        else:
            legend_style.setFont(font)
    text = QgsTextFormat()
    text.setFont(QFont(MAP_FONT))
    text.setSize(8)
    scale.setTextFormat(text)
