"""Every output layer the plugin writes opens styled: verdicts by verdict, validation issues by kind, the merge
log by what happened to each fragment; legends list only the categories a layer holds."""

from __future__ import annotations

from qgis.core import QgsFeature, QgsGeometry, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

from ecozoning.processing.styling import ISSUE_COLORS, VERDICT_COLORS, post_processor


def layer_with(uri: str, field: str, values: list[str]) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{uri}?crs=EPSG:4490&field={field}:string(24)", "out", "memory")
    features = []
    for n, value in enumerate(values):
        feature = QgsFeature(layer.fields())
        feature[field] = value
        x = 126.5 + n * 0.01
        wkt = f"POINT({x} 45.7)" if uri == "Point" else f"POLYGON(({x} 45.7,{x + 0.005} 45.7,{x} 45.705,{x} 45.7))"
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


def styled(layer: QgsVectorLayer, kind: str) -> QgsVectorLayer:
    post_processor(kind).postProcessLayer(layer, QgsProcessingContext(), QgsProcessingFeedback())
    return layer


def test_verdicts_are_drawn_by_verdict(qgis_processing):
    layer = styled(layer_with("Point", "VERDICT", ["fail", "pass", "pass", "need_info"]), "verdicts")
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "VERDICT"
    categories = {c.value(): c for c in renderer.categories()}
    assert set(categories) == {"pass", "fail", "need_info"}  # no 'conditional': none in the layer
    assert categories["fail"].symbol().color().name() == VERDICT_COLORS["fail"]
    assert categories["pass"].symbol().color().name() != categories["fail"].symbol().color().name()
    assert categories["fail"].label() == "Fail"


def test_validation_issues_are_drawn_by_kind(qgis_processing):
    layer = styled(layer_with("Polygon", "KIND", ["gap", "overlap", "gap", "sliver"]), "issues")
    categories = {c.value(): c for c in layer.renderer().categories()}
    assert list(categories) == ["gap", "overlap", "sliver"]  # the order of the legend, not of the features
    assert categories["gap"].symbol().color().name() == ISSUE_COLORS["gap"]
    assert categories["overlap"].label() == "Overlap"


def test_the_merge_log_shows_merged_and_kept_fragments(qgis_processing):
    layer = styled(layer_with("Polygon", "ACTION", ["merged", "kept_protected", "kept_no_neighbour"]), "merge_log")
    renderer = layer.renderer()
    assert renderer.type() == "RuleRenderer"
    rules = renderer.rootRule().children()
    assert [r.label() for r in rules] == ["Merged into a neighbour", "Kept (protected or no neighbour)"]
    counts = {}
    for feature in layer.getFeatures():
        matched = [r.label() for r in rules if _matches(r, feature, layer)]
        counts[feature["ACTION"]] = matched
    assert counts["merged"] == ["Merged into a neighbour"]
    assert counts["kept_protected"] == ["Kept (protected or no neighbour)"]


def _matches(rule, feature, layer) -> bool:
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils

    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    return bool(QgsExpression(rule.filterExpression()).evaluate(context))


def test_the_geopackages_written_open_styled(sample_chain):
    """The style travels with the file: opened anywhere, units.gpkg shows the classes and a zones file its
    subtypes, not a random single colour."""
    layers = [(sample_chain["units"], "ZHGKDYFL"), (sample_chain["zones"]["eco_redline"], "YSXL")]
    for path, field in layers:
        layer = QgsVectorLayer(path, "reopened", "ogr")  # a fresh layer reads the embedded default style
        assert layer.isValid()
        assert layer.renderer().type() == "categorizedSymbol", path
        assert layer.renderer().classAttribute() == field
        assert len(layer.renderer().categories()) >= 1
