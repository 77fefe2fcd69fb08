"""A map tool that picks the control unit under a click on the unit layer."""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsApplication, QgsFeature, QgsFeatureRequest, QgsGeometry, QgsRectangle, QgsVectorLayer
from qgis.gui import QgsMapTool
from qgis.PyQt.QtCore import Qt, pyqtSignal


class UnitMapTool(QgsMapTool):
    """Emits `unitPicked(feature)` with the unit under a left click: the unit containing the point, else the
    nearest one within the search radius (so a click on a shared boundary or a sliver still picks one)."""

    unitPicked = pyqtSignal(QgsFeature)

    def __init__(self, canvas, layer: Optional[QgsVectorLayer] = None):
        super().__init__(canvas)
        self._layer = layer
        self.setCursor(QgsApplication.getThemeCursor(QgsApplication.Cursor.Identify))

    def layer(self) -> Optional[QgsVectorLayer]:
        return self._layer

    def setLayer(self, layer: Optional[QgsVectorLayer]) -> None:  # noqa: N802 (QgsMapToolIdentifyFeature's name)
        self._layer = layer

    def canvasReleaseEvent(self, event):  # noqa: N802 (QGIS API name)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        feature = self.unit_at(event.mapPoint())
        if feature is not None:
            self.unitPicked.emit(feature)

    def unit_at(self, map_point) -> Optional[QgsFeature]:
        layer = self._layer
        if layer is None or not layer.isValid():
            return None
        radius = QgsMapTool.searchRadiusMU(self.canvas())
        around = QgsRectangle(
            map_point.x() - radius, map_point.y() - radius, map_point.x() + radius, map_point.y() + radius
        )
        click = QgsGeometry.fromPointXY(self.toLayerCoordinates(layer, map_point))
        request = QgsFeatureRequest().setFilterRect(self.toLayerCoordinates(layer, around))
        best, best_distance = None, None
        for feature in layer.getFeatures(request):
            if not feature.hasGeometry():
                continue
            distance = feature.geometry().distance(click)
            if best_distance is None or distance < best_distance:
                best, best_distance = QgsFeature(feature), distance
            if distance == 0:
                break
        return best
