"""ecozoning:exportlisttable — the 附表1 spreadsheet and a joinable table of the four list texts per unit."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)

from ...core import schema
from ...core.list_table import export_list_table, numbered_text
from ...core.lists import DIMENSIONS
from ...core.schema import CODE_LENGTH
from ..adapter import make_fields, new_feature, write
from ..compat import NO_GEOMETRY, SOURCE_POLYGON, SOURCE_VECTOR
from .base import EcoZoningAlgorithm
from .lists_common import LibraryParameters, open_store, read_unit_infos

# filing-table field names of the four dimensions (docs/domain-rules.md §4)
DIMENSION_FIELDS = {
    "spatial_layout": "KJBJYS",
    "emission_control": "PWWPFGK",
    "risk_prevention": "HJFXFK",
    "resource_efficiency": "ZYLYXL",
}


class ExportListTable(EcoZoningAlgorithm, LibraryParameters):
    NAME = "exportlisttable"
    DISPLAY = "Export admission-list table (附表1)"
    GROUP_ID = "lists"
    HELP_EN = (
        "Writes the 附表1 spreadsheet of a unit layer's admission lists: one row per unit (code, name, prefecture, "
        "county, class) with one column per dimension holding the unit's effective clauses (province + regions + "
        "prefecture + unit, filtered by class and subtype, replaced clauses removed) as numbered text, each clause "
        "followed by its level and id; a second sheet lists every clause with its id, level and filters, and can be "
        "imported back. OUTPUT is a table with the four texts per unit code (KJBJYS, PWWPFGK, HJFXFK, ZYLYXL), "
        "joinable to the units on HJGKDYBM."
    )
    HELP_ZH = (
        "导出环境管控单元准入清单附表1（xlsx）：每个单元一行（编码、名称、地市、区县、类别），每个管控维度一列，"
        "列出该单元的有效条款（省级 + 区域 + 市级 + 单元级，按单元类别和类型筛选并去除被替代条款），编号排列并注明层级和条款编号；"
        "第二个工作表列出全部条款及其编号、层级和筛选条件，可再导入。OUTPUT 为按单元编码列出四个维度文本"
        "（KJBJYS、PWWPFGK、HJFXFK、ZYLYXL）的表，可按 HJGKDYBM 连接到单元图层。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFeatureSource("UNITS", self.tr("Control units"), [SOURCE_POLYGON, SOURCE_VECTOR]),
            "The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX, CITY, COUNTY).",
        )
        self._add_library_parameters()
        self._add(
            QgsProcessingParameterFileDestination("OUTPUT_XLSX", self.tr("附表1 spreadsheet"), "Excel (*.xlsx)"),
            "The .xlsx file to write (replaced atomically).",
        )
        self._add(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", self.tr("List texts per unit"), SOURCE_VECTOR, optional=True, createByDefault=True
            ),
            "A table with the four dimension texts per unit code, to join to the units.",
        )
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Number of units")))
        self._add_output(QgsProcessingOutputString("REVISION", self.tr("Library revision")))

    def run_algorithm(self, parameters, context, feedback):
        store, library = open_store(self, parameters, context)
        revision = store.revision()
        store.close()
        units = read_unit_infos(self, parameters, context, feedback)
        path = self.parameterAsFileOutput(parameters, "OUTPUT_XLSX", context)
        if not path.lower().endswith(".xlsx"):
            raise QgsProcessingException(f"OUTPUT_XLSX must be an .xlsx file, got {path}")
        count = export_list_table(library, units, path, revision)
        results = {"OUTPUT_XLSX": path, "UNIT_COUNT": count, "REVISION": revision}
        fields = make_fields(
            [(schema.CODE, "str", CODE_LENGTH)] + [(DIMENSION_FIELDS[d], "str", 0) for d in DIMENSIONS]
        )
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, NO_GEOMETRY)
        if sink is not None:
            for unit in units:
                if feedback.isCanceled():
                    break
                texts = numbered_text(library, unit)
                values = {schema.CODE: unit.code, **{DIMENSION_FIELDS[d]: texts[d] for d in DIMENSIONS}}
                write(sink, new_feature(fields, values), f"the texts of unit {unit.code}")
            results["OUTPUT"] = dest
        feedback.pushInfo(f"附表1 with {count} units written to {path} (library revision {revision})")
        return results
