"""Build resources/models/ecozoning_chain.model3, the Processing model of the whole chain, with the PyQGIS model API.

standardize the raw red line, water zones, air zones, parks and urban areas -> delineate the units -> validate them
-> export the filing package. The provider adds every resources/models/*.model3 to the toolbox (id
ecozoning:wholechain). Run with the environment of scripts/qgis_env.sh: python3 scripts/make_model.py [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILE = ROOT / "resources" / "models" / "ecozoning_chain.model3"
MODEL_NAME = "wholechain"
MODEL_GROUP = "chain"
DISPLAY_NAME = "EcoZoning whole chain 生态环境分区管控全流程"

HELP_ZH = (
    "生态环境分区管控全流程：将生态保护红线、水环境分区（按类型字段与值映射）、大气环境分区、产业园区和城镇开发边界等原始"
    "图层标准化为要素分区，叠加划定环境管控单元，检查单元的编码、覆盖、重叠与碎片，并导出可报送备案的成果包（zip，内含"
    " manifest.json）。输出：环境管控单元、检查问题和备案包。"
)
HELP_EN = (
    "EcoZoning whole chain: standardizes the raw red line, water zones (type field and value map), air zones, "
    "industrial parks and urban development areas into element zones, delineates the environmental control units "
    "from them, validates the units (codes, coverage, overlaps, slivers) and exports the filing package (a zip with "
    "manifest.json). Outputs: the control units, the validation issues and the filing package."
)
WATER_MAP = (
    "优先保护:water_priority;工业污染重点管控:water_industrial;城镇生活污染重点管控:water_urban;"
    "农业污染重点管控:water_agri;一般管控:water_general"
)
AIR_MAP = (
    "优先保护:air_priority;受体敏感:air_receptor_sensitive;高排放:air_high_emission;布局敏感:air_layout_sensitive;"
    "弱扩散:air_weak_diffusion;一般管控:air_general"
)
# raw layer parameter -> (label, standardize child id, fixed subtype or None, type field, value map, name field)
RAW_LAYERS = [
    ("REDLINE", "Ecological red line 生态保护红线", "standardize_redline", "eco_redline", None, None, "NAME"),
    ("WATER", "Water environment zones 水环境分区", "standardize_water", None, "类型", WATER_MAP, None),
    ("AIR", "Air environment zones 大气环境分区", "standardize_air", None, "类型", AIR_MAP, None),
    ("PARKS", "Industrial parks 产业园区", "standardize_parks", "dev_park", None, None, "NAME"),
    ("URBAN", "Urban development areas 城镇开发边界", "standardize_urban", "dev_urban", None, None, "NAME"),
]


def start_qgis():
    """A headless QgsApplication with Processing and the EcoZoning provider (from build/plugins, see qgis_env.sh)."""
    sys.path.insert(0, str(ROOT / "build" / "plugins"))
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    import ecozoning

    plugin = ecozoning.classFactory(None)
    plugin.initProcessing()
    return app, plugin


def build_model():
    from qgis.core import (
        QgsProcessing,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildDependency,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterField,
        QgsProcessingParameterFile,
        QgsProcessingParameterString,
    )
    from qgis.PyQt.QtCore import QPointF

    model = QgsProcessingModelAlgorithm(DISPLAY_NAME, MODEL_GROUP)
    model.setName(MODEL_NAME)
    model.setGroup(MODEL_GROUP)
    model.setHelpContent(
        {
            "DISPLAY_NAME": DISPLAY_NAME,  # the toolbox title (processing/provider.py); the id is the name
            "ALG_DESC": f"{HELP_ZH}\n\n{HELP_EN}",
            "SHORT_DESCRIPTION": "生态环境分区管控全流程 / the whole EcoZoning chain",
            "ALG_CREATOR": "EcoZoning",
            "ALG_HELP_CREATOR": "EcoZoning",
        }
    )
    polygon = [QgsProcessing.TypeVectorPolygon]
    y = [60.0]

    def add_parameter(definition, help_text: str, x: float = 120.0):
        definition.setHelp(help_text)
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(x, y[0]))
        component.setDescription(definition.description())
        model.addModelParameter(definition, component)
        y[0] += 60

    def param(name: str):
        return QgsProcessingModelChildParameterSource.fromModelParameter(name)

    def static(value):
        return QgsProcessingModelChildParameterSource.fromStaticValue(value)

    def set_sources(child, sources: dict):
        # one name at a time: setParameterSources() with a dict of lists crashes sip in QGIS 3.22
        for name, values in sources.items():
            child.addParameterSources(name, values)
        # the rest at the algorithm's defaults, as the model builder fills a new step's dialog
        for definition in child.algorithm().parameterDefinitions():
            if definition.isDestination() or definition.name() in sources or definition.defaultValue() is None:
                continue
            child.addParameterSources(definition.name(), [static(definition.defaultValue())])

    def child_output(child_id: str, output: str):
        return QgsProcessingModelChildParameterSource.fromChildOutput(child_id, output)

    add_parameter(
        QgsProcessingParameterFeatureSource("ADMIN", "Admin areas (counties) 行政区（县级）", polygon),
        "County polygons with 6-digit codes: the area to partition. 县级行政区面，带6位行政区划代码。",
    )
    add_parameter(
        QgsProcessingParameterField(
            "ADMIN_CODE_FIELD", "County code field 行政区划代码字段", "XZQDM", "ADMIN", optional=True
        ),
        "Field of the admin layer with the 6-digit county code. 行政区图层中6位县级代码所在字段。",
    )
    for name, label in (("PROV_FIELD", "Province 省"), ("CITY_FIELD", "Prefecture 市"), ("COUNTY_FIELD", "County 县")):
        default = name.split("_")[0]
        add_parameter(
            QgsProcessingParameterField(name, f"{label} name field", default, "ADMIN", optional=True),
            f"Optional name field of the admin layer, used in unit names. 可选：行政区名称字段（{label}），用于单元命名。",
        )
    for name, label, _child, subtype, type_field, value_map, name_field in RAW_LAYERS:
        add_parameter(
            QgsProcessingParameterFeatureSource(name, label, polygon),
            f"Raw polygons of this element ({subtype or 'typed by a field'}). 该要素的原始分区面图层。",
        )
        if type_field:
            add_parameter(
                QgsProcessingParameterField(
                    f"{name}_TYPE_FIELD", f"{label}: type field 类型字段", type_field, name, optional=True
                ),
                "Field whose values VALUE_MAP maps to taxonomy keys. 类型字段，其取值按值映射对应到分类代码。",
            )
            add_parameter(
                QgsProcessingParameterString(f"{name}_VALUE_MAP", f"{label}: value map 值映射", value_map),
                "value:key;value:key pairs, e.g. 优先保护:water_priority. 取值与分类代码的对应关系。",
            )
        if name_field:
            add_parameter(
                QgsProcessingParameterField(
                    f"{name}_NAME_FIELD", f"{label}: name field 名称字段", name_field, name, optional=True
                ),
                "Optional field with the zone's name. 可选：分区名称字段。",
            )
    add_parameter(
        QgsProcessingParameterFile(
            "LIBRARY", "Admission-list library folder 准入清单库文件夹", QgsProcessingParameterFile.Folder
        ),
        "The admission-list library of the units. 生态环境准入清单库所在文件夹。",
    )
    add_parameter(
        QgsProcessingParameterString("PRODUCER", "Producer 编制单位"),
        "Who made the scheme (unit or company). 成果编制单位。",
    )
    add_parameter(
        QgsProcessingParameterString("REGION_CODE", "Region code (6 digits) 行政区划代码"),
        "Code of the province or prefecture the scheme covers. 方案覆盖的省或市的6位代码。",
    )
    add_parameter(
        QgsProcessingParameterString("DATE", "Date (YYYY-MM-DD) 日期"),
        "Date of the package; every timestamp in it. 成果包日期。",
    )

    x, y_child = 520.0, 60.0
    zone_sources = []
    for name, label, child_id, subtype, _type_field, _value_map, name_field in RAW_LAYERS:
        child = QgsProcessingModelChildAlgorithm("ecozoning:standardizezones")
        child.setChildId(child_id)
        child.setDescription(f"Standardize 标准化: {label}")
        child.setPosition(QPointF(x, y_child))
        y_child += 90
        sources = {
            "INPUT": [param(name)],
            "ADMIN": [param("ADMIN")],
            "ADMIN_CODE_FIELD": [param("ADMIN_CODE_FIELD")],
        }
        if subtype:
            sources["SUBTYPE"] = [static(subtype)]
        else:
            sources["SUBTYPE_FIELD"] = [param(f"{name}_TYPE_FIELD")]
            sources["VALUE_MAP"] = [param(f"{name}_VALUE_MAP")]
        if name_field:
            sources["NAME_FIELD"] = [param(f"{name}_NAME_FIELD")]
        set_sources(child, sources)
        model.addChildAlgorithm(child)
        zone_sources.append(child_output(child_id, "OUTPUT"))

    x = 880.0
    delineate = QgsProcessingModelChildAlgorithm("ecozoning:delineateunits")
    delineate.setChildId("delineate")
    delineate.setDescription("Delineate units 划定环境管控单元")
    delineate.setPosition(QPointF(x, 200))
    set_sources(
        delineate,
        {
            "ADMIN": [param("ADMIN")],
            "ADMIN_CODE_FIELD": [param("ADMIN_CODE_FIELD")],
            "PROV_FIELD": [param("PROV_FIELD")],
            "CITY_FIELD": [param("CITY_FIELD")],
            "COUNTY_FIELD": [param("COUNTY_FIELD")],
            "ZONES": zone_sources,
        },
    )
    units = QgsProcessingModelOutput("UNITS", "Control units 环境管控单元")
    units.setChildOutputName("UNITS")
    units.setChildId("delineate")
    units.setMandatory(True)
    delineate.setModelOutputs({"UNITS": units})
    model.addChildAlgorithm(delineate)

    validate = QgsProcessingModelChildAlgorithm("ecozoning:validateunits")
    validate.setChildId("validate")
    validate.setDescription("Validate units 检查环境管控单元")
    validate.setPosition(QPointF(x + 320, 140))
    set_sources(
        validate,
        {
            "UNITS": [child_output("delineate", "UNITS")],
            "ADMIN": [param("ADMIN")],
            "ADMIN_CODE_FIELD": [param("ADMIN_CODE_FIELD")],
        },
    )
    issues = QgsProcessingModelOutput("ISSUES", "Validation issues 检查问题")
    issues.setChildOutputName("ISSUES")
    issues.setChildId("validate")
    validate.setModelOutputs({"ISSUES": issues})
    model.addChildAlgorithm(validate)

    export = QgsProcessingModelChildAlgorithm("ecozoning:exportfiling")
    export.setChildId("export")
    export.setDescription("Export the filing package 导出备案成果包")
    export.setPosition(QPointF(x + 320, 300))
    set_sources(
        export,
        {
            "UNITS": [child_output("delineate", "UNITS")],
            "ZONES": list(zone_sources),
            "LIBRARY": [param("LIBRARY")],
            "ADMIN": [param("ADMIN")],
            "ADMIN_CODE_FIELD": [param("ADMIN_CODE_FIELD")],
            "PROV_FIELD": [param("PROV_FIELD")],
            "CITY_FIELD": [param("CITY_FIELD")],
            "COUNTY_FIELD": [param("COUNTY_FIELD")],
            "PRODUCER": [param("PRODUCER")],
            "REGION_CODE": [param("REGION_CODE")],
            "DATE": [param("DATE")],
            "OVERWRITE": [static(True)],
        },
    )
    export.setDependencies(
        [QgsProcessingModelChildDependency("validate")]
    )  # the package after the checks, in the order a technician works
    package = QgsProcessingModelOutput("PACKAGE", "Filing package 备案成果包 (.zip)")
    package.setChildOutputName("OUTPUT")
    package.setChildId("export")
    export.setModelOutputs({"PACKAGE": package})
    model.addChildAlgorithm(export)
    model.updateDestinationParameters()
    for definition in model.destinationParameterDefinitions():
        definition.setHelp("Where to write this output of the chain. 全流程的该项输出的保存位置。")
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(MODEL_FILE))
    args = parser.parse_args()
    app, plugin = start_qgis()
    try:
        model = build_model()
        problems = model.validate()  # (ok, [issues]) in QGIS >= 3.14
        ok, issues = problems if isinstance(problems, tuple) else (problems, [])
        if not ok:
            sys.stderr.write("the model does not validate:\n" + "\n".join(issues) + "\n")
            return 1
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        if not model.toFile(args.out):
            sys.stderr.write(f"could not write {args.out}\n")
            return 1
        print(f"{args.out}: {len(model.childAlgorithms())} steps, {len(model.parameterDefinitions())} parameters")
        return 0
    finally:
        plugin.unload()
        app.exitQgis()


if __name__ == "__main__":
    sys.exit(main())
