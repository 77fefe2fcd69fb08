"""ecozoning:buildproject — one map (一张图): a .qgz project with the styled units, the element zones grouped by
element, the admission-list texts joined to the units, a map theme per element and a print layout of the class map."""

from __future__ import annotations

import os
import re
from collections import Counter

from qgis.core import (
    Qgis,
    QgsEditorWidgetSetup,
    QgsFeature,
    QgsFillSymbol,
    QgsMapThemeCollection,
    QgsPalLayerSettings,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProject,
    QgsProviderRegistry,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsVectorLayerJoinInfo,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QFont

from ...core import schema
from ...core.lists import DIMENSIONS
from ..compat import FILE_FOLDER, SOURCE_POLYGON
from ..filing_writers import class_map_layout
from ..styling import apply_style
from .base import EcoZoningAlgorithm, load_taxonomy_param
from .export_list_table import DIMENSION_FIELDS
from .lists_common import UNIT_CODE_FIELD, open_library, read_unit_infos

NO_THREADING = (
    Qgis.ProcessingAlgorithmFlag.NoThreading
    if hasattr(Qgis, "ProcessingAlgorithmFlag") and hasattr(Qgis.ProcessingAlgorithmFlag, "NoThreading")
    else QgsProcessingAlgorithm.Flag.FlagNoThreading
)
UNITS_NAME = "环境管控单元"
ZONES_GROUP = "环境要素管控分区"
LISTS_NAME = "准入清单文本"
CLASS_THEME = "环境管控单元"
LAYOUT_NAME = "环境管控单元分类图"
COUNTIES_NAME = "县级行政区"


def _writer_options(layer_name: str, append: bool):
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.fileEncoding = "UTF-8"
    options.layerName = layer_name
    options.actionOnExistingFile = (
        QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
        if append
        else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
    )
    return options


class _Store:
    """A GeoPackage next to the .qgz holding what has no file of its own (memory layers, the list texts)."""

    def __init__(self, path: str, context):
        self.path = path
        self.context = context
        self.names: set[str] = set()

    def write(self, layer: QgsVectorLayer, wanted: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]+", "_", wanted).strip("_") or "layer"
        name, n = base, 1
        while name.lower() in self.names:
            n += 1
            name = f"{base}_{n}"
        append = bool(self.names) and os.path.exists(self.path)
        if not append and os.path.exists(self.path):
            os.remove(self.path)
        result = QgsVectorFileWriter.writeAsVectorFormatV3(
            layer, self.path, self.context.transformContext(), _writer_options(name, append)
        )
        if result[0] != QgsVectorFileWriter.WriterError.NoError:
            raise QgsProcessingException(f"could not write '{wanted}' to {self.path}: {result[1]}")
        self.names.add(name.lower())
        return f"{self.path}|layername={name}"


def _portable(layer: QgsVectorLayer, name: str, store: _Store) -> QgsVectorLayer:
    """A new layer on the same data the project can save: files and databases by their source, memory layers
    copied to the project's GeoPackage."""
    provider = layer.providerType()
    if provider == "memory":
        source, provider = store.write(layer, layer.name() or name), "ogr"
    else:
        source = layer.source()
        path = QgsProviderRegistry.instance().decodeUri(provider, source).get("path")
        if provider == "ogr" and path and not os.path.exists(path):
            raise QgsProcessingException(f"Layer '{layer.name()}' points at a missing file: {path}")
    copy = QgsVectorLayer(source, name, provider)
    if not copy.isValid():
        raise QgsProcessingException(f"Layer '{layer.name()}' ({source}) cannot be opened for the project.")
    return copy


def _add_layer(project: QgsProject, layer: QgsVectorLayer) -> None:
    """Give the layer to the project (placed in the layer tree by the caller)."""
    if project.addMapLayer(layer, False) is None:
        raise QgsProcessingException(f"could not add '{layer.name()}' to the project")


def _subtype_counts(layer: QgsVectorLayer) -> Counter:
    index = layer.fields().lookupField("YSXL")
    if index < 0:
        raise QgsProcessingException(
            f"Zone layer '{layer.name()}' has no field YSXL: run 'Standardize element zones' on it first."
        )
    counts: Counter = Counter()
    for feature in layer.getFeatures():
        counts[str(feature[index] or "").strip()] += 1
    return counts


def _is_temporary(path: str) -> bool:
    temp = os.path.abspath(QgsProcessingUtils.tempFolder())
    return os.path.abspath(path).startswith(temp + os.sep) or path == "TEMPORARY_OUTPUT"


def _default_project_path(units) -> str:
    """一张图.qgz next to the unit layer's file (or in ~/EcoZoning), never over an existing project."""
    folder = ""
    if units is not None and units.providerType() == "ogr":
        path = QgsProviderRegistry.instance().decodeUri("ogr", units.source()).get("path") or ""
        folder = os.path.dirname(os.path.abspath(path)) if path else ""
    if not folder or not os.access(folder, os.W_OK):
        folder = os.path.join(os.path.expanduser("~"), "EcoZoning")
    candidate, n = os.path.join(folder, "一张图.qgz"), 1
    while os.path.exists(candidate):
        n += 1
        candidate = os.path.join(folder, f"一张图_{n}.qgz")
    return candidate


def _present_categories(layer: QgsVectorLayer) -> None:
    """Keep in the legend only the categories the layer holds (a red-line layer lists the red line only)."""
    renderer = layer.renderer()
    if renderer is None or renderer.type() != "categorizedSymbol":
        return
    index = layer.fields().lookupField(renderer.classAttribute())
    if index < 0:
        return
    present = {str(v) for v in layer.uniqueValues(index)}
    for position in reversed(range(len(renderer.categories()))):
        if str(renderer.categories()[position].value()) not in present:
            renderer.deleteCategory(position)


def _county_style(layer: QgsVectorLayer) -> None:
    """County lines over the units, without fill, labelled with the county name."""
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#37474f", "outline_width": "0.5", "outline_style": "dash"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    names = [n for n in ("COUNTY", "NAME", "XZQMC", "name") if layer.fields().lookupField(n) >= 0]
    if not names:
        return
    settings = QgsPalLayerSettings()
    settings.fieldName = names[0]
    text = QgsTextFormat()
    text.setFont(QFont("Noto Sans CJK SC"))
    text.setSize(10)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    text.setBuffer(buffer)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _multiline_texts(units: QgsVectorLayer, names) -> None:
    """The list texts in the feature form: multi-line text boxes, not one-line edits."""
    for name in names:
        index = units.fields().lookupField(name)
        if index >= 0:
            units.setEditorWidgetSetup(index, QgsEditorWidgetSetup("TextEdit", {"IsMultiline": True, "UseHtml": False}))


def _theme(project: QgsProject, name: str, layers: list) -> None:
    records = []
    for layer in layers:
        record = QgsMapThemeCollection.MapThemeLayerRecord(layer)
        record.usingCurrentStyle = True
        record.currentStyle = layer.styleManager().currentStyle()
        records.append(record)
    theme = QgsMapThemeCollection.MapThemeRecord()
    theme.setLayerRecords(records)
    project.mapThemeCollection().insert(name, theme)


class BuildProject(EcoZoningAlgorithm):
    NAME = "buildproject"
    DISPLAY = "Build the one-map project"
    GROUP_ID = "units"
    HELP_EN = (
        "Writes a QGIS project (.qgz) with the control units styled by class (unit codes labelled from 1:250,000), "
        "the element zones styled by subtype and grouped by element (ecology, water, air, soil, resources, "
        "development; the element of each layer's YSXL values in the taxonomy), a map theme per element and one "
        "for the units, and a print layout of the class map. With an admission-list library, the four list texts "
        "of every unit (KJBJYS, PWWPFGK, HJFXFK, ZYLYXL) are written to a table next to the project and joined to "
        "the units on HJGKDYBM. Layers are saved by their file paths (relative to the project); memory layers are "
        "copied into a GeoPackage next to the project, so it opens without missing layers."
    )
    HELP_ZH = (
        "生成“一张图”QGIS 工程（.qgz）：环境管控单元按类别配色（1:25万及更大比例尺显示单元编码），环境要素管控分区按"
        "类型配色并按要素分组（生态、水环境、大气环境、土壤环境、资源利用、开发建设，依据各图层 YSXL 值在分类体系中"
        "所属的要素），每个要素一个地图主题，另有管控单元主题，以及管控单元分类图的打印布局。给出准入清单库时，"
        "每个单元的四个维度清单文本（KJBJYS、PWWPFGK、HJFXFK、ZYLYXL）写入工程旁的表，并按 HJGKDYBM 连接到单元图层。"
        "图层按文件路径（相对工程）保存；内存图层复制到工程旁的 GeoPackage，工程打开时不缺图层。"
    )

    def flags(self):
        # layouts are Qt graphics scenes: built in the main thread
        return super().flags() | NO_THREADING

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterVectorLayer("UNITS", self.tr("Control units"), [SOURCE_POLYGON]),
            "The unit layer of 'Delineate environmental control units' (HJGKDYBM, ZHGKDYFL, …).",
        )
        self._add(
            QgsProcessingParameterMultipleLayers("ZONES", self.tr("Standardized element zones"), SOURCE_POLYGON),
            "Outputs of 'Standardize element zones' (field YSXL); each layer goes to the group of its element.",
        )
        self._add(
            QgsProcessingParameterVectorLayer("ADMIN", self.tr("Counties"), [SOURCE_POLYGON], optional=True),
            "County boundaries drawn over the units, labelled with their names (field COUNTY, NAME or XZQMC).",
        )
        self._add(
            QgsProcessingParameterFile(
                "LIBRARY",
                self.tr("Admission-list library folder"),
                FILE_FOLDER,
                optional=True,
            ),
            "When given, the four list texts of every unit are joined to the units (a table next to the project).",
        )
        self._add(
            QgsProcessingParameterString(
                "TITLE", self.tr("Map title"), defaultValue="环境管控单元分类图", optional=True
            ),
            "Title of the class map layout.",
        )
        self._add(
            QgsProcessingParameterFile("TAXONOMY", self.tr("Taxonomy file (YAML)"), extension="yaml", optional=True),
            "A province's own taxonomy (elements of the subtypes); the national default is used when empty.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFileDestination("OUTPUT", self.tr("Project file"), "QGIS project (*.qgz)"),
            "The .qgz to write; memory layers and the list texts are stored in GeoPackages next to it. Left "
            "temporary, the project is written as 一张图.qgz next to the unit layer's file (never over another).",
        )
        self._add_output(QgsProcessingOutputNumber("LAYER_COUNT", self.tr("Number of layers in the project")))

    def extra_outputs(self, parameters, context):
        """The GeoPackages written next to the .qgz (checked like OUTPUT: never one of the inputs)."""
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        if not out:
            return []
        base = os.path.splitext(os.path.realpath(os.path.abspath(out)))[0]
        return [("OUTPUT", base + ".qgz"), ("OUTPUT", base + "_data.gpkg"), ("OUTPUT", base + "_lists.gpkg")]

    def run_algorithm(self, parameters, context, feedback):
        taxonomy = load_taxonomy_param(self, parameters, context)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        units_in = self.parameterAsVectorLayer(parameters, "UNITS", context)
        if not out or _is_temporary(out):  # a project in a temporary folder looks as if nothing happened
            out = _default_project_path(units_in)
            feedback.pushInfo(f"no project file given: writing {out}")
        if not out.lower().endswith(".qgz"):
            out = os.path.splitext(out)[0] + ".qgz"
        folder = os.path.dirname(os.path.abspath(out))
        os.makedirs(folder, exist_ok=True)
        stem = os.path.splitext(os.path.basename(out))[0]
        if units_in is None or not units_in.isValid():
            raise QgsProcessingException("The unit layer (UNITS) could not be opened: choose a valid layer.")
        if units_in.fields().lookupField(UNIT_CODE_FIELD) < 0 or units_in.fields().lookupField(schema.CLASS) < 0:
            raise QgsProcessingException(
                f"Unit layer '{units_in.name()}' lacks HJGKDYBM or ZHGKDYFL: give the output of 'Delineate units'."
            )
        zones_in = self.parameterAsLayerList(parameters, "ZONES", context)
        if not zones_in:
            raise QgsProcessingException("ZONES is empty: give at least one standardized element-zone layer.")
        library = (
            open_library(self, parameters, context) if self.parameterAsFile(parameters, "LIBRARY", context) else None
        )
        title = self.parameterAsString(parameters, "TITLE", context) or LAYOUT_NAME

        store = _Store(os.path.join(folder, f"{stem}_data.gpkg"), context)
        project = QgsProject()
        project.setFileName(out)
        project.setCrs(units_in.crs())
        project.setTitle(title)
        root = project.layerTreeRoot()

        units = _portable(units_in, UNITS_NAME, store)
        _add_layer(project, units)
        root.insertLayer(0, units)
        apply_style(units, "units")

        # the element zones, one group per element in the taxonomy's order
        by_element: dict[str, list[QgsVectorLayer]] = {}
        for layer in zones_in:
            if feedback.isCanceled():
                return {}
            counts = _subtype_counts(layer)
            unknown = sorted(k for k in counts if k not in taxonomy.zones)
            if unknown:
                raise QgsProcessingException(
                    f"Zone layer '{layer.name()}': subtypes {', '.join(unknown)} are not in the taxonomy."
                )
            if not counts:
                feedback.pushWarning(f"Zone layer '{layer.name()}' is empty; left out")
                continue
            elements = Counter()
            for key, n in counts.items():
                elements[taxonomy.zones[key].element] += n
            element = max(elements, key=lambda e: (elements[e], -taxonomy.elements[e].digit))
            name = taxonomy.zones[next(iter(counts))].zh if len(counts) == 1 else layer.name()
            zone_layer = _portable(layer, name, store)
            _add_layer(project, zone_layer)
            apply_style(zone_layer, "zones")
            _present_categories(zone_layer)
            by_element.setdefault(element, []).append(zone_layer)
        zones_group = root.addGroup(ZONES_GROUP)
        for element in sorted(by_element, key=lambda e: taxonomy.elements[e].digit):
            group = zones_group.addGroup(taxonomy.elements[element].zh)
            for zone_layer in by_element[element]:
                node = group.addLayer(zone_layer)
                node.setItemVisibilityChecked(False)
            group.setExpanded(False)

        admin_in = self.parameterAsVectorLayer(parameters, "ADMIN", context) if parameters.get("ADMIN") else None
        if admin_in is not None:
            admin = _portable(admin_in, COUNTIES_NAME, store)
            _add_layer(project, admin)
            root.insertLayer(0, admin)
            _county_style(admin)

        if library is not None:
            self._join_list_texts(project, units, library, parameters, context, feedback, store)

        # map themes: the units, and each element's zones
        _theme(project, CLASS_THEME, [units])
        for element in sorted(by_element, key=lambda e: taxonomy.elements[e].digit):
            _theme(project, taxonomy.elements[element].zh, by_element[element])

        note = f"数据来源：{units_in.name()}；EcoZoning 生成"
        layout = class_map_layout(project, units, title, note, LAYOUT_NAME)
        if not project.layoutManager().addLayout(layout):
            raise QgsProcessingException("could not add the class map layout to the project")

        if not project.write():
            raise QgsProcessingException(f"could not write the project {out}: {project.error()}")
        count = len(project.mapLayers())
        feedback.pushInfo(
            f"{out}: {count} layers, {len(by_element)} element groups, "
            f"{len(project.mapThemeCollection().mapThemes())} map themes, layout '{LAYOUT_NAME}'"
        )
        project.clear()
        return {"OUTPUT": out, "LAYER_COUNT": count}

    def _join_list_texts(self, project, units, library, parameters, context, feedback, store):
        infos = read_unit_infos(self, parameters, context, feedback)
        from ...core.list_table import numbered_text

        spec = "&".join(
            [f"field={UNIT_CODE_FIELD}:string(0)"] + [f"field={DIMENSION_FIELDS[d]}:string(0)" for d in DIMENSIONS]
        )
        table = QgsVectorLayer(f"None?{spec}", "list_texts", "memory")
        features = []
        for unit in infos:
            texts = numbered_text(library, unit)
            feature = QgsFeature(table.fields())
            feature.setAttributes([unit.code] + [texts[d] for d in DIMENSIONS])
            features.append(feature)
        if not table.dataProvider().addFeatures(features)[0]:
            raise QgsProcessingException(f"could not collect the list texts: {table.dataProvider().lastError()}")
        lists_store = _Store(store.path.replace("_data.gpkg", "_lists.gpkg"), context)
        texts_layer = QgsVectorLayer(lists_store.write(table, "list_texts"), LISTS_NAME, "ogr")
        del table
        if not texts_layer.isValid():
            raise QgsProcessingException("the list texts table cannot be opened")
        _add_layer(project, texts_layer)
        project.layerTreeRoot().addLayer(texts_layer)
        join = QgsVectorLayerJoinInfo()
        join.setJoinLayer(texts_layer)
        join.setJoinFieldName(UNIT_CODE_FIELD)
        join.setTargetFieldName(UNIT_CODE_FIELD)
        join.setPrefix("")
        join.setUsingMemoryCache(True)
        if not units.addJoin(join):
            raise QgsProcessingException("could not join the list texts to the units")
        for dimension in DIMENSIONS:
            index = units.fields().lookupField(DIMENSION_FIELDS[dimension])
            if index >= 0:
                units.setFieldAlias(index, library.dimension_label(dimension))
        _multiline_texts(units, DIMENSION_FIELDS.values())
        _multiline_texts(texts_layer, DIMENSION_FIELDS.values())
        feedback.pushInfo(f"list texts of {len(infos)} units joined on {UNIT_CODE_FIELD}")
