"""Styled outputs and the one-map project: outputs loaded on completion get the units / zones style through the
layer post-processor (as the Processing dialog applies it), and ecozoning:buildproject writes a .qgz that opens with
every layer, the zones grouped by element, the map themes, the class-map layout and the list texts on the units."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
)

from ecozoning.core.taxonomy import load_taxonomy
from ecozoning.processing.algorithms.build_project import LAYOUT_NAME, UNITS_NAME, ZONES_GROUP, BuildProject

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
ADMIN = f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties"
TAXONOMY = load_taxonomy()


def _load_results(context: QgsProcessingContext, project: QgsProject, feedback) -> list:
    """What processing/gui/Postprocessing.handleAlgorithmResults does with the layers to load on completion."""
    loaded = []
    for dest, details in context.layersToLoadOnCompletion().items():
        layer = QgsProcessingUtils.mapLayerFromString(dest, context, typeHint=details.layerTypeHint)
        assert layer is not None, dest
        details.setOutputLayerName(layer)
        taken = context.temporaryLayerStore().takeMapLayer(layer)
        assert project.addMapLayer(taken if taken is not None else layer) is not None
        if details.postProcessor():
            details.postProcessor().postProcessLayer(layer, context, feedback)
        loaded.append(layer)
    return loaded


def _run_loaded(processing, algorithm_id: str, params: dict, output: str, path: Path):
    project = QgsProject()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    params = dict(params, **{output: QgsProcessingOutputLayerDefinition(str(path), project)})
    processing.run(algorithm_id, params, context=context, feedback=feedback)
    assert context.willLoadLayerOnCompletion(str(path)) or context.layersToLoadOnCompletion()
    layers = _load_results(context, project, feedback)
    return project, layers


def test_loaded_units_are_styled_by_class(sample_processing, sample_chain, tmp_path):
    project, layers = _run_loaded(
        sample_processing,
        "ecozoning:delineateunits",
        {"ADMIN": ADMIN, "COUNTY_FIELD": "COUNTY", "ZONES": list(sample_chain["zones"].values())},
        "UNITS",
        tmp_path / "units.gpkg",
    )
    try:
        assert len(layers) == 1
        renderer = layers[0].renderer()
        assert isinstance(renderer, QgsCategorizedSymbolRenderer)
        assert renderer.classAttribute() == "ZHGKDYFL"
        categories = renderer.categories()
        assert len(categories) == 3
        for category in categories:
            unit_class = int(category.value())
            expected = TAXONOMY.class_labels[unit_class]["color"]
            assert category.symbol().color().name().lower() == expected.lower()
            assert TAXONOMY.class_label(unit_class) in category.label()
        assert layers[0].labelsEnabled()
        settings = layers[0].labeling().settings()
        assert settings.fieldName == "HJGKDYBM"
        assert settings.scaleVisibility and settings.minimumScale == 250000
    finally:
        project.removeAllMapLayers()


def test_loaded_zones_are_styled_by_subtype(sample_processing, tmp_path):
    project, layers = _run_loaded(
        sample_processing,
        "ecozoning:standardizezones",
        {"INPUT": f"{SAMPLE / 'harbin_zones.gpkg'}|layername=eco_redline", "ADMIN": ADMIN, "SUBTYPE": "eco_redline"},
        "OUTPUT",
        tmp_path / "zones.gpkg",
    )
    try:
        renderer = layers[0].renderer()
        assert isinstance(renderer, QgsCategorizedSymbolRenderer)
        assert renderer.classAttribute() == "YSXL"
        by_value = {c.value(): c for c in renderer.categories()}
        assert set(by_value) == set(TAXONOMY.zones)
        red = by_value["eco_redline"]
        assert red.label() == "生态保护红线"
        assert red.symbol().color().name().lower() == TAXONOMY.zones["eco_redline"].color.lower()
    finally:
        project.removeAllMapLayers()


def test_outputs_not_loaded_are_left_alone(sample_processing, tmp_path):
    from ecozoning.processing.styling import post_processor, style_output

    context = QgsProcessingContext()
    assert not style_output(context, str(tmp_path / "x.gpkg"), "units")
    assert post_processor("units") is post_processor("units")  # kept alive at module level
    with pytest.raises(ValueError):
        post_processor("nonsense")


def test_build_project_keeps_the_algorithm_contract():
    algorithm = BuildProject().create({})
    names = [p.name() for p in algorithm.parameterDefinitions()]
    assert names == ["UNITS", "ZONES", "ADMIN", "LIBRARY", "TITLE", "TAXONOMY", "OUTPUT"]
    assert all(p.help() for p in algorithm.parameterDefinitions())
    assert len(BuildProject.HELP_ZH) > 100 and len(BuildProject.HELP_EN.split()) > 50
    ok, message = algorithm.checkParameterValues({}, QgsProcessingContext())
    assert not ok and message


def _build(processing, params: dict) -> dict:
    registered = QgsApplication.processingRegistry().algorithmById("ecozoning:buildproject")
    algorithm = registered if registered is not None else BuildProject().create({})
    return processing.run(algorithm, params)


@pytest.fixture
def memory_zone():
    """One zone layer held in memory (a temporary output), to check it is copied next to the project."""
    project = QgsProject()
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4490&field=YSBM:string&field=YSXL:string", "临时分区", "memory")
    assert project.addMapLayer(layer) is not None
    source = QgsVectorLayer(f"{SAMPLE / 'harbin_zones.gpkg'}|layername=parks", "parks", "ogr")
    assert project.addMapLayer(source) is not None
    features = []
    from qgis.core import QgsFeature

    for n, feature in enumerate(source.getFeatures()):
        new = QgsFeature(layer.fields())
        new.setGeometry(feature.geometry())
        new.setAttributes([f"P{n}", "dev_park"])
        features.append(new)
    assert layer.dataProvider().addFeatures(features)[0]
    yield layer
    project.removeAllMapLayers()


def test_build_project_opens_without_missing_layers(sample_processing, sample_chain, memory_zone, tmp_path):
    out = tmp_path / "onemap" / "一张图.qgz"
    zones = [path for name, path in sample_chain["zones"].items() if name != "parks"] + [memory_zone]
    result = _build(
        sample_processing,
        {"UNITS": sample_chain["units"], "ZONES": zones, "LIBRARY": str(SAMPLE / "library"), "OUTPUT": str(out)},
    )
    assert Path(result["OUTPUT"]) == out and out.exists()
    assert (out.parent / "一张图_data.gpkg").exists()  # the memory layer, copied

    project = QgsProject()
    try:
        assert project.read(str(out))
        layers = project.mapLayers().values()
        assert len(layers) == result["LAYER_COUNT"] == len(zones) + 2  # units, zones, list texts
        assert all(layer.isValid() for layer in layers), [x.source() for x in layers if not x.isValid()]

        root = project.layerTreeRoot()
        group = root.findGroup(ZONES_GROUP)
        assert group is not None
        expected = {"生态", "水环境", "大气环境", "土壤环境", "资源利用", "开发建设"}
        assert {child.name() for child in group.children()} == expected
        ecology = {node.layer().name() for node in root.findGroup("生态").findLayers()}
        assert ecology == {"生态保护红线", "一般生态空间"}
        development = root.findGroup("开发建设").findLayers()
        assert {node.layer().name() for node in development} == {"产业园区", "城镇建成区"}
        copied = [node.layer() for node in development if "一张图_data.gpkg" in node.layer().source()]
        assert len(copied) == 1 and copied[0].featureCount() == memory_zone.featureCount()
        assert all(node.layer().providerType() == "ogr" for node in development)

        themes = set(project.mapThemeCollection().mapThemes())
        assert expected | {"环境管控单元"} <= themes
        water_theme = project.mapThemeCollection().mapThemeVisibleLayers("水环境")
        assert water_theme and all(layer.fields().lookupField("YSXL") >= 0 for layer in water_theme)

        layout = project.layoutManager().layoutByName(LAYOUT_NAME)
        assert layout is not None and layout.items()

        units = project.mapLayersByName(UNITS_NAME)[0]
        renderer = units.renderer()
        assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "ZHGKDYFL"
        for field in ("KJBJYS", "PWWPFGK", "HJFXFK", "ZYLYXL"):
            assert units.fields().lookupField(field) >= 0, field
        texts = [f["KJBJYS"] for f in units.getFeatures()]
        assert texts and all(isinstance(t, str) and t.startswith("1. ") for t in texts)
        zone_layer = root.findGroup("生态").findLayers()[0].layer()
        assert zone_layer.renderer().classAttribute() == "YSXL"
    finally:
        project.clear()
        del project
        gc.collect()
