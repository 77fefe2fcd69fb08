"""The map of a screening report, made with QGIS's layout engine: the footprint over the units around it (class
colours, codes labelled), county boundaries, the element zones hit, a scale bar, a north arrow, a legend, a
coordinate grid and an overview inset locating the project in its county.

Layouts, layers and their project are made and rendered on the calling thread, which must be the main thread
(the algorithm renders in postProcessAlgorithm, the dock in its slots)."""

from __future__ import annotations

import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFillSymbol,
    QgsLayerTreeLayer,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..core import schema
from ..core.projection import gk_epsg, zone_for_geometry
from .adapter import STORAGE_CRS, make_fields, to_qgs
from .filing_writers import _fit, north_arrow_svg
from .report_render import footprint_layer
from .styling import units_renderer, zones_renderer

MAP_WIDTH_MM = 174.0
MAP_HEIGHT_MM = 150.0
LEGEND_FONT = "Noto Sans CJK SC"
UNIT_FIELDS = [
    (schema.CODE, "str", 20),
    (schema.NAME, "str", 254),
    (schema.CLASS, "int", 0),
    (schema.SUBTYPE, "str", 40),
]
ZONE_FIELDS = [("YSBM", "str", 40), ("YSMC", "str", 254), ("YSXL", "str", 40)]
COUNTY_FIELDS = [("XZQDM", "str", 6), ("NAME", "str", 100)]


def _memory_layer(name: str, geometry_type: str, spec, rows) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{geometry_type}?crs=EPSG:4490", name, "memory")
    fields = make_fields(spec)
    if not layer.dataProvider().addAttributes(fields.toList()):
        raise RuntimeError(f"could not make the map layer {name}")
    layer.updateFields()
    features = []
    for geom, values in rows:
        feature = QgsFeature(layer.fields())
        for key, value in values.items():
            feature[key] = value
        feature.setGeometry(to_qgs(geom))
        features.append(feature)
    ok, _ = layer.dataProvider().addFeatures(features)
    if not ok:
        raise RuntimeError(f"could not fill the map layer {name}")
    return layer


def _text_format(size: float, color: str = "#202020", bold: bool = False) -> QgsTextFormat:
    text = QgsTextFormat()
    font = QFont(LEGEND_FONT)
    font.setBold(bold)
    text.setFont(font)
    text.setSize(size)
    text.setColor(QColor(color))  # noqa: QGS202 - QgsTextFormat.setColor returns nothing
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#ffffff"))  # noqa: QGS202 - QgsTextBufferSettings.setColor returns nothing
    text.setBuffer(buffer)
    return text


def _labels(field_name: str, size: float, color: str = "#202020", bold: bool = False):
    settings = QgsPalLayerSettings()
    settings.fieldName = field_name
    settings.isExpression = False
    settings.setFormat(_text_format(size, color, bold))
    return QgsVectorLayerSimpleLabeling(settings)


def _outline(color: str, width: float, dash: bool = False, fill: str = "0,0,0,0") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple(
        {
            "color": fill,
            "outline_color": color,
            "outline_width": str(width),
            "outline_style": "dash" if dash else "solid",
        }
    )


class ReportMap:
    """The layers of one report map (owned by their own QgsProject) and its print layout."""

    def __init__(self, result, unit_targets, zone_hits, counties: dict, county_names: dict, taxonomy, title=""):
        self.project = QgsProject()
        self.footprint = result.footprint
        zone = zone_for_geometry(self.footprint)
        self.crs = QgsCoordinateReferenceSystem(f"EPSG:{gk_epsg(zone)}")
        self.project.setCrs(self.crs)
        # wide enough to show the units around the project, not only the one it lies in (up to ~20 km around)
        ratio, minimum = 1.5, 0.02
        while True:
            self.extent_4490 = _padded(self.footprint, ratio, minimum)
            nearby = [t for t in unit_targets if t.geom.intersects(shapely.box(*self.extent_4490))]
            if len(nearby) >= 3 or minimum >= 0.16:
                break
            ratio, minimum = ratio * 2, minimum * 2
        county = _county_of(self.footprint, counties)
        self.county_code = county
        self.units = _memory_layer(
            "环境管控单元",
            "MultiPolygon",
            UNIT_FIELDS,
            [
                (
                    t.geom,
                    {schema.CODE: t.code, schema.NAME: t.name, schema.CLASS: t.target_class, schema.SUBTYPE: t.key},
                )
                for t in nearby
            ],
        )
        self.units.setRenderer(units_renderer(taxonomy))
        self.units.setLabeling(_labels(schema.CODE, 7))
        self.units.setLabelsEnabled(True)
        self.zones = None
        if zone_hits:
            self.zones = _memory_layer(
                "涉及的要素管控分区",
                "MultiPolygon",
                ZONE_FIELDS,
                [
                    (h.target.geom, {"YSBM": h.target.code, "YSMC": h.target.name, "YSXL": h.target.key})
                    for h in zone_hits
                ],
            )
            renderer = zones_renderer(taxonomy)
            present = {h.target.key for h in zone_hits}
            for n, category in reversed(list(enumerate(renderer.categories()))):
                if category.value() not in present:
                    renderer.deleteCategory(n)
                    continue
                color = category.symbol().color()
                # hatched, outlined in the subtype's colour: the units under the zone stay readable
                symbol = QgsFillSymbol.createSimple(
                    {"color": f"{color.red()},{color.green()},{color.blue()},70", "style": "b_diagonal",
                     "outline_color": color.name(), "outline_width": "0.7"}
                )  # fmt: skip
                renderer.updateCategorySymbol(n, symbol)
            self.zones.setRenderer(renderer)
        self.counties = _memory_layer(
            "县级行政区界",
            "MultiPolygon",
            COUNTY_FIELDS,
            [(geom, {"XZQDM": code, "NAME": county_names.get(code, code)}) for code, geom in sorted(counties.items())],
        )
        self.counties.setRenderer(QgsSingleSymbolRenderer(_outline("#333333", 0.6, dash=True)))
        self.overview_counties = _memory_layer(
            "所在县",
            "MultiPolygon",
            COUNTY_FIELDS,
            [(counties[county], {"XZQDM": county, "NAME": county_names.get(county, county)})] if county else [],
        )
        self.overview_counties.setRenderer(QgsSingleSymbolRenderer(_outline("#333333", 0.4, fill="255,236,179,255")))
        self.overview_counties.setLabeling(_labels("NAME", 6, "#333333", bold=True))
        self.overview_counties.setLabelsEnabled(True)
        self.project_layer = footprint_layer(self.footprint, result.kind)
        self.project_layer.setName("项目范围")
        layers = [self.project_layer, self.counties, self.units, self.overview_counties]
        if self.zones is not None:
            layers.insert(1, self.zones)
        for layer in layers:
            if self.project.addMapLayer(layer, False) is None:
                raise RuntimeError(f"could not add {layer.name()} to the report map")
        self.layout = self._layout(title)

    def _layout(self, title: str) -> QgsPrintLayout:
        layout = QgsPrintLayout(self.project)
        layout.initializeDefaults()
        page = layout.pageCollection().page(0)
        mm = QgsUnitTypes.LayoutUnit.LayoutMillimeters
        page.setPageSize(QgsLayoutSize(MAP_WIDTH_MM, MAP_HEIGHT_MM, mm))
        layout.setName(title or "report map")

        main = QgsLayoutItemMap(layout)
        main.setId("main_map")  # noqa: QGS202 - QgsLayoutItem.setId returns nothing
        layout.addLayoutItem(main)
        main.attemptMove(QgsLayoutPoint(9, 1, mm))
        main.attemptResize(QgsLayoutSize(MAP_WIDTH_MM - 10, MAP_HEIGHT_MM - 12, mm))
        main.setCrs(self.crs)
        map_layers = [self.project_layer] + ([self.zones] if self.zones else []) + [self.counties, self.units]
        main.setLayers(map_layers)
        main.setKeepLayerSet(True)
        extent = _project(self.extent_4490, self.crs, self.project)
        main.setExtent(_fit(extent, (MAP_WIDTH_MM - 10) / (MAP_HEIGHT_MM - 12)))
        main.setFrameEnabled(True)
        grid = QgsLayoutItemMapGrid("经纬网", main)
        main.grids().addGrid(grid)
        grid.setCrs(STORAGE_CRS)
        interval = _nice_interval(self.extent_4490[2] - self.extent_4490[0])
        grid.setIntervalX(interval)
        grid.setIntervalY(interval)
        grid.setStyle(QgsLayoutItemMapGrid.GridStyle.Cross)
        grid.setCrossLength(2.0)
        grid.setAnnotationEnabled(True)
        grid.setAnnotationFormat(QgsLayoutItemMapGrid.AnnotationFormat.DegreeMinute)
        grid.setAnnotationPrecision(0)
        if hasattr(grid, "setAnnotationTextFormat"):  # QGIS 3.16 and later
            grid.setAnnotationTextFormat(_text_format(6))
        for side in (QgsLayoutItemMapGrid.BorderSide.Left, QgsLayoutItemMapGrid.BorderSide.Bottom):
            grid.setAnnotationPosition(QgsLayoutItemMapGrid.AnnotationPosition.OutsideMapFrame, side)
            grid.setAnnotationDirection(
                QgsLayoutItemMapGrid.AnnotationDirection.Vertical
                if side == QgsLayoutItemMapGrid.BorderSide.Left
                else QgsLayoutItemMapGrid.AnnotationDirection.Horizontal,
                side,
            )
        for side in (QgsLayoutItemMapGrid.BorderSide.Right, QgsLayoutItemMapGrid.BorderSide.Top):
            grid.setAnnotationDisplay(QgsLayoutItemMapGrid.DisplayMode.HideAll, side)
        grid.setFrameStyle(QgsLayoutItemMapGrid.FrameStyle.LineBorder)

        # overview inset: the county, the main map's extent framed
        inset = QgsLayoutItemMap(layout)
        inset.setId("overview_map")  # noqa: QGS202 - QgsLayoutItem.setId returns nothing
        layout.addLayoutItem(inset)
        inset.attemptMove(QgsLayoutPoint(11, 3, mm))
        inset.attemptResize(QgsLayoutSize(38, 32, mm))
        inset.setCrs(self.crs)
        inset.setLayers([self.overview_counties, self.project_layer])
        inset.setKeepLayerSet(True)
        county_extent = self.overview_counties.extent()
        if county_extent.isEmpty():
            county_extent = QgsRectangle(*self.extent_4490)
        box = _project(
            (county_extent.xMinimum(), county_extent.yMinimum(), county_extent.xMaximum(), county_extent.yMaximum()),
            self.crs,
            self.project,
        )
        box.scale(1.1)
        inset.setExtent(_fit(box, 38 / 32))
        inset.setFrameEnabled(True)
        inset.setBackgroundColor(QColor("#ffffff"))
        overview = QgsLayoutItemMapOverview("位置", inset)
        inset.overviews().addOverview(overview)
        overview.setLinkedMap(main)
        overview.setFrameSymbol(
            QgsFillSymbol.createSimple({"color": "213,0,0,60", "outline_color": "#d50000", "outline_width": "0.5"})
        )

        legend = QgsLayoutItemLegend(layout)
        legend.setId("legend")  # noqa: QGS202 - QgsLayoutItem.setId returns nothing
        layout.addLayoutItem(legend)
        legend.setTitle("图例")
        legend.setLinkedMap(main)
        legend.setAutoUpdateModel(False)
        legend.setLegendFilterByMapEnabled(True)  # only the classes and zones the map shows
        root = legend.model().rootGroup()
        root.removeAllChildren()
        for layer in map_layers:
            node = root.addLayer(layer)
            if isinstance(node, QgsLayerTreeLayer) and layer is not self.units and layer is not self.zones:
                node.setCustomProperty("legend/title-style", "hidden")
        for style in (QgsLegendStyle.Style.Title, QgsLegendStyle.Style.Subgroup, QgsLegendStyle.Style.SymbolLabel):
            legend_font = QFont(LEGEND_FONT, 7 if style != QgsLegendStyle.Style.Title else 8)
            legend.setStyleFont(style, legend_font)
        legend.setSymbolWidth(5)
        legend.setSymbolHeight(3)
        legend.setBackgroundEnabled(True)
        legend.setBackgroundColor(QColor(255, 255, 255, 230))
        legend.setFrameEnabled(True)
        legend.adjustBoxSize()
        legend.setReferencePoint(QgsLayoutItemLegend.ReferencePoint.LowerLeft)
        legend.attemptMove(QgsLayoutPoint(11, MAP_HEIGHT_MM - 13, mm))

        scale = QgsLayoutItemScaleBar(layout)
        scale.setId("scale_bar")  # noqa: QGS202 - QgsLayoutItem.setId returns nothing
        layout.addLayoutItem(scale)
        scale.setLinkedMap(main)
        scale.setStyle("Single Box")
        scale.applyDefaultSize(QgsUnitTypes.DistanceUnit.DistanceKilometers)
        scale.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
        scale.setUnitLabel("千米")
        scale.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFitWidth)
        scale.setMinimumBarWidth(25)
        scale.setMaximumBarWidth(45)
        scale.setNumberOfSegments(2)
        scale.setNumberOfSegmentsLeft(0)
        scale.setBackgroundEnabled(True)
        scale.setBackgroundColor(QColor(255, 255, 255, 230))
        scale.setTextFormat(_text_format(7))
        scale.update()
        scale.setReferencePoint(QgsLayoutItemScaleBar.ReferencePoint.LowerRight)
        scale.attemptMove(QgsLayoutPoint(MAP_WIDTH_MM - 3, MAP_HEIGHT_MM - 13, mm))

        arrow = north_arrow_svg()
        if arrow:
            picture = QgsLayoutItemPicture(layout)
            picture.setId("north_arrow")  # noqa: QGS202 - QgsLayoutItem.setId returns nothing
            layout.addLayoutItem(picture)
            picture.setPicturePath(arrow)
            picture.attemptResize(QgsLayoutSize(9, 13, mm))
            picture.attemptMove(QgsLayoutPoint(MAP_WIDTH_MM - 13, 4, mm))
            picture.setBackgroundEnabled(True)
            picture.setBackgroundColor(QColor(255, 255, 255, 200))
            picture.setPictureRotation(0)
        scale_label = QgsLayoutItemLabel(layout)
        scale_label.setId("crs_note")  # noqa: QGS202 - QgsLayoutItem.setId returns nothing
        layout.addLayoutItem(scale_label)
        scale_label.setText(f"CGCS2000 3度带高斯-克吕格投影（{self.crs.authid()}）")
        scale_label.setFont(QFont(LEGEND_FONT, 6))
        scale_label.setHAlign(Qt.AlignmentFlag.AlignRight)
        scale_label.attemptMove(QgsLayoutPoint(MAP_WIDTH_MM - 70, MAP_HEIGHT_MM - 4.5, mm))
        scale_label.attemptResize(QgsLayoutSize(68, 4, mm))
        return layout

    def item(self, item_id: str):
        return self.layout.itemById(item_id)

    def export_png(self, path: str, dpi: int = 200) -> str:
        # rendered to an image and saved by Qt: the exporter would try to georeference a PNG through GDAL
        image = QgsLayoutExporter(self.layout).renderPageToImage(0, QSize(), dpi)
        if image.isNull() or not image.save(path, "PNG"):
            raise OSError(f"could not write the report map {path}")
        return path


def _padded(geom, ratio: float = 1.5, minimum: float = 0.02):
    minx, miny, maxx, maxy = geom.bounds
    pad_x = max((maxx - minx) * ratio, minimum)
    pad_y = max((maxy - miny) * ratio, minimum)
    return (minx - pad_x, miny - pad_y, maxx + pad_x, maxy + pad_y)


def _project(bounds, crs, project) -> QgsRectangle:
    from qgis.core import QgsCoordinateTransform

    return QgsCoordinateTransform(STORAGE_CRS, crs, project).transformBoundingBox(QgsRectangle(*bounds))


def _nice_interval(width_deg: float) -> float:
    """A grid interval in degrees giving 2–5 lines across the map (1′, 2′, 5′, 10′, 15′, 30′, 1°…)."""
    for minutes in (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300):
        if width_deg / (minutes / 60) <= 5:
            return minutes / 60
    return 10.0


def _county_of(footprint, counties: dict) -> str:
    best, share = "", 0.0
    for code, geom in counties.items():
        if geom.intersects(footprint):
            overlap = geom.intersection(footprint)
            value = overlap.area if footprint.area else overlap.length if footprint.length else 1.0
            if value >= share:
                best, share = code, value
    return best
