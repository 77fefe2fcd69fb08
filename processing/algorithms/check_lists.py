"""ecozoning:checklists — check an admission-list library against a unit layer."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)

from ...core.lists import validate_library
from ...core.taxonomy import load_taxonomy
from ..adapter import make_fields, new_feature, write
from ..compat import NO_GEOMETRY, SOURCE_POLYGON, SOURCE_VECTOR
from .base import EcoZoningAlgorithm
from .lists_common import LibraryParameters, open_store, read_unit_infos

ISSUE_FIELDS = [
    ("SEVERITY", "str", 10),
    ("KIND", "str", 24),
    ("FILE", "str", 120),
    ("LINE", "int", 0),
    ("REF", "str", 60),
    ("MESSAGE", "str", 254),
]


class CheckLists(EcoZoningAlgorithm, LibraryParameters):
    NAME = "checklists"
    DISPLAY = "Check admission lists"
    GROUP_ID = "lists"
    HELP_EN = (
        "Checks an admission-list library (a folder with library.yaml, province.yaml, regions/, cities/, units/) "
        "against a unit layer: duplicate clause ids, unknown dimensions or kinds, empty texts, 'replaces' pointing "
        "nowhere, malformed unit codes, units of the library missing from the layer and units of the layer with "
        "no list of their own, unreadable YAML. Each problem is one row naming the file, the line and the clause "
        "id or unit code. A clean library gives an empty ISSUES table."
    )
    HELP_ZH = (
        "对照环境管控单元图层检查准入清单库（含 library.yaml、province.yaml、regions/、cities/、units/ 的文件夹）："
        "条款编号重复、维度或类型未知、条款内容为空、replaces 指向不存在的条款、单元编码格式错误、清单中的单元不在图层中、"
        "图层中的单元没有单元级清单、YAML 无法读取等。每个问题一行，注明文件、行号及条款编号或单元编码。"
        "清单库无问题时 ISSUES 表为空。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFeatureSource("UNITS", self.tr("Control units"), [SOURCE_POLYGON, SOURCE_VECTOR]),
            "The unit layer (field HJGKDYBM; ZHGKDYFL and GKDYLX are used when present).",
        )
        self._add_library_parameters()
        self._add(
            QgsProcessingParameterFeatureSink("ISSUES", self.tr("List problems"), SOURCE_VECTOR),
            "One row per problem: severity, kind, file, line, clause id or unit code, message.",
        )
        self._add_output(QgsProcessingOutputNumber("ISSUE_COUNT", self.tr("Number of problems")))
        self._add_output(QgsProcessingOutputNumber("ERROR_COUNT", self.tr("Number of errors")))
        self._add_output(QgsProcessingOutputNumber("WARNING_COUNT", self.tr("Number of warnings")))

    def run_algorithm(self, parameters, context, feedback):
        store, library = open_store(self, parameters, context, complete=False)
        store.close()
        units = read_unit_infos(self, parameters, context, feedback)
        problems = validate_library(library, unit_codes=[u.code for u in units], subtype_keys=load_taxonomy().zones)
        fields = make_fields(ISSUE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "ISSUES", context, fields, NO_GEOMETRY)
        for problem in problems:
            values = {
                "SEVERITY": problem.severity,
                "KIND": problem.kind,
                "FILE": problem.file,
                "LINE": problem.line,
                "REF": problem.ref,
                "MESSAGE": problem.message[:254],
            }
            write(sink, new_feature(fields, values), "a problem row")
        errors = sum(p.severity == "error" for p in problems)
        for problem in problems[:50]:
            feedback.pushWarning(str(problem))
        feedback.pushInfo(f"{len(problems)} problems ({errors} errors) in {library.root} for {len(units)} units")
        return {
            "ISSUES": dest,
            "ISSUE_COUNT": len(problems),
            "ERROR_COUNT": errors,
            "WARNING_COUNT": len(problems) - errors,
        }
