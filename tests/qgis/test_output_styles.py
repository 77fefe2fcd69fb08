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


def test_the_one_map_project_by_default_lands_next_to_the_units(sample_processing, sample_chain, tmp_path):
    """Left temporary, the project goes next to the units as 一张图.qgz (never over another one); it has the
    county lines with names, zone legends with only the subtypes a layer holds, multi-line list texts."""
    import shutil
    from pathlib import Path

    from qgis.core import QgsProject

    folder = tmp_path / "scheme"
    folder.mkdir()
    units = folder / "units.gpkg"
    shutil.copy(sample_chain["units"], units)
    (folder / "一张图.qgz").write_bytes(b"an earlier project")
    sample = Path(__file__).resolve().parents[2] / "resources" / "sample"
    result = sample_processing.run(
        "ecozoning:buildproject",
        {
            "UNITS": str(units),
            "ZONES": [sample_chain["zones"]["eco_redline"], sample_chain["zones"]["water_zones"]],
            "ADMIN": f"{sample / 'harbin_counties.gpkg'}|layername=counties",
            "LIBRARY": str(sample / "library"),
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    assert Path(result["OUTPUT"]) == folder / "一张图_2.qgz"
    assert (folder / "一张图.qgz").read_bytes() == b"an earlier project"
    project = QgsProject()
    try:
        assert project.read(result["OUTPUT"])
        counties = project.mapLayersByName("县级行政区")[0]
        assert counties.labelsEnabled() and counties.labeling().settings().fieldName == "COUNTY"
        redline = project.mapLayersByName("生态保护红线")[0]
        assert [c.value() for c in redline.renderer().categories()] == ["eco_redline"]
        water = [layer for layer in project.mapLayers().values() if layer.name() not in ("生态保护红线",)]
        water = [layer for layer in water if layer.fields().lookupField("YSXL") >= 0]
        held = {str(v) for v in water[0].uniqueValues(water[0].fields().lookupField("YSXL"))}
        assert {c.value() for c in water[0].renderer().categories()} == held and len(held) < 26
        unit_layer = project.mapLayersByName("环境管控单元")[0]
        setup = unit_layer.editorWidgetSetup(unit_layer.fields().lookupField("KJBJYS"))
        assert setup.type() == "TextEdit" and setup.config().get("IsMultiline")
    finally:
        project.clear()
