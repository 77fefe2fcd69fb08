"""Reading a layer moves the progress bar by the share of features read, inside the span the algorithm gives."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

from ecozoning.processing.adapter import read_features


def points(count: int) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4490&field=ID:integer", "points", "memory")
    features = []
    for n in range(count):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([n])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(126 + n * 1e-4, 45.7)))
        features.append(feature)
    ok, _added = layer.dataProvider().addFeatures(features)
    assert ok
    return layer


def read_with_progress(layer, **kwargs):
    feedback = QgsProcessingFeedback()
    seen: list[float] = []
    feedback.progressChanged.connect(seen.append)
    rows = list(read_features(layer, QgsProcessingContext(), feedback, label="points", **kwargs))
    return rows, seen


def test_progress_rises_through_the_span_while_reading(qgis_app):
    rows, seen = read_with_progress(points(2_345), span=(10, 30))
    assert len(rows) == 2_345 and {attrs["ID"] for _, _, attrs in rows} == set(range(2_345))
    assert seen == sorted(seen), "progress never goes back"
    assert min(seen) >= 10 and seen[-1] == 30
    assert 50 <= len(seen) <= 150, "about a hundred updates, not one per feature"
    # halfway through the features, the bar is about halfway through the span
    assert abs(seen[len(seen) // 2] - 20) < 2


def test_without_a_span_reading_leaves_the_bar_to_the_caller(qgis_app):
    rows, seen = read_with_progress(points(1_200))
    assert len(rows) == 1_200 and seen == []
