"""A map tool to sketch a project footprint: left clicks add vertices, a right click finishes, Esc cancels,
Backspace removes the last vertex. The sketch is shown as a rubber band that follows the mouse."""

from __future__ import annotations

from qgis.core import Qgis, QgsGeometry, QgsPointXY, QgsWkbTypes
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor


def _geometry_type(new_name: str, old_name: str):
    """Qgis.GeometryType from QGIS 3.30 (and only that in QGIS 4), QgsWkbTypes.GeometryType before."""
    owner = getattr(Qgis, "GeometryType", None)
    if owner is not None and hasattr(owner, new_name):
        return getattr(owner, new_name)
    return getattr(QgsWkbTypes.GeometryType, old_name)


POINT_GEOMETRY = _geometry_type("Point", "PointGeometry")
LINE_GEOMETRY = _geometry_type("Line", "LineGeometry")
POLYGON_GEOMETRY = _geometry_type("Polygon", "PolygonGeometry")
MINIMUM_VERTICES = {"polygon": 3, "line": 2}


class SketchMapTool(QgsMapTool):
    """Emits `sketched(geometry)` with a polygon or a line in the canvas's CRS when the user right-clicks."""

    sketched = pyqtSignal(QgsGeometry)

    def __init__(self, canvas, kind: str = "polygon"):
        super().__init__(canvas)
        if kind not in MINIMUM_VERTICES:
            raise ValueError(f"kind must be 'polygon' or 'line', not {kind!r}")
        self.kind = kind
        self.points: list[QgsPointXY] = []
        self.band = QgsRubberBand(canvas, self._band_type())
        self.band.setStrokeColor(QColor(213, 0, 0, 230))
        self.band.setFillColor(QColor(213, 0, 0, 50))
        self.band.setWidth(2)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def _band_type(self):
        return POLYGON_GEOMETRY if self.kind == "polygon" else LINE_GEOMETRY

    def _redraw(self, floating: QgsPointXY | None = None):
        self.band.reset(self._band_type())
        points = self.points + ([floating] if floating is not None else [])
        for n, point in enumerate(points):
            self.band.addPoint(point, n == len(points) - 1)  # noqa: QGS202 (QgsRubberBand.addPoint returns nothing)

    def vertex_count(self) -> int:
        return len(self.points)

    def canvasMoveEvent(self, event):  # noqa: N802 (QGIS API name)
        if self.points:
            self._redraw(event.mapPoint())

    def canvasReleaseEvent(self, event):  # noqa: N802 (QGIS API name)
        if event.button() == Qt.MouseButton.LeftButton:
            self.points.append(QgsPointXY(event.mapPoint()))
            self._redraw()
        elif event.button() == Qt.MouseButton.RightButton:
            self.finish()

    def keyPressEvent(self, event):  # noqa: N802 (QGIS API name)
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            event.accept()
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and self.points:
            self.points.pop()
            self._redraw()
            event.accept()
        else:
            event.ignore()

    def finish(self) -> bool:
        """End the sketch: emits `sketched` when it has enough vertices; starts a new sketch either way."""
        points = list(self.points)
        self.clear()
        if len(points) < MINIMUM_VERTICES[self.kind]:
            return False
        if self.kind == "polygon":
            geometry = QgsGeometry.fromPolygonXY([points + [points[0]]])
        else:
            geometry = QgsGeometry.fromPolylineXY(points)
        self.sketched.emit(geometry)
        return True

    def clear(self):
        self.points = []
        self.band.reset(self._band_type())

    def deactivate(self):
        self.clear()
        super().deactivate()

    def remove(self):
        """Before the tool goes away: take the rubber band off the canvas."""
        self.clear()
        scene = self.canvas().scene()
        if scene is not None:
            scene.removeItem(self.band)
