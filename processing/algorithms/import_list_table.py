"""ecozoning:importlisttable — a published 附表1 (xlsx, csv, docx) → a new admission-list library."""

from __future__ import annotations

import os

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingOutputFolder,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
)

from ...core import schema
from ...core.import_lists import (
    ImportListError,
    build_library,
    check_units,
    infer_industries,
    inferred_codes,
    parse_file,
    parse_label_pairs,
)
from ...core.schema import CODE, FIELD_ALIASES, NAME, find_field
from ..adapter import layer_label, make_fields, new_feature, require_source, write
from ..compat import NO_GEOMETRY, REQUEST_NO_GEOMETRY, SOURCE_POLYGON, SOURCE_VECTOR
from .base import EcoZoningAlgorithm, user_language

COLUMNS = (
    ("CODE_COLUMN", "code", "Unit code column"),
    ("NAME_COLUMN", "name", "Unit name column"),
    ("DIMENSION_COLUMN", "dimension", "Dimension column"),
    ("TEXT_COLUMN", "text", "Requirement text column"),
)
REPORT_FIELDS = [
    ("ROW", "int", 0),
    ("TABLE_NO", "int", 0),
    ("STATUS", "str", 12),
    (schema.CODE, "str", 40),
    (schema.NAME, "str", 254),
    ("DIMENSION", "str", 24),
    ("LABEL", "str", 60),
    ("CLAUSES", "str", 254),
    ("N_CLAUSES", "int", 0),
    ("INFERRED", "int", 0),
    ("INDUSTRIES", "str", 254),
    ("MESSAGE", "str", 0),
]


class ImportListTable(EcoZoningAlgorithm):
    NAME = "importlisttable"
    DISPLAY = "Import a published admission-list table (附表1)"
    GROUP_ID = "lists"
    HELP_EN = (
        "Reads a department's published admission-list table (.xlsx, .csv in UTF-8 or GBK, or the table of a .docx) "
        "into a new list library. The layout is detected from the headers: one row per unit with one column per "
        "dimension; one row per unit × dimension with merged unit cells (佛山市's layout); or one row per clause. "
        "Cells may hold several numbered clauses; a clause may wrap over rows; a dimension label may be split over "
        "two rows. Every clause keeps its number as printed, its text (whitespace normalized), its element tag "
        "(【大气/限制类】) and a kind from its tag or wording. Dimension labels of the national, Guangdong, Jiangsu, "
        "Zhejiang and Guizhou schemes are known; DIMENSION_LABELS adds others. Priority units' undivided 管控要求 get "
        "a dimension inferred from tag and wording, flagged in the report. With FACTOR, a clause found in every unit "
        "of a prefecture (or of the whole table) becomes one clause at that level, and 执行省级/市级总体管控要求 "
        "become level references; every unit's effective list keeps the same texts. Published tables carry no industry "
        "codes: with INFER_INDUSTRIES a prohibit or restrict clause naming an industry (炼焦, 电石, 水泥, 化工 …) gets "
        "its GB/T 4754-2017 codes from the plugin's keyword table (resources/data/industry_keywords.yaml), marked "
        "industries_inferred in the library and named with their words in the report, so screening fails a project "
        "of that industry as the published scheme means. UNITS (the imported units) "
        "links the table to the layer: codes missing from it are reported, their clauses still imported. REPORT "
        "has one row per source row, unreadable rows included."
    )
    HELP_ZH = (
        "将已发布的生态环境准入清单（附表1；.xlsx、UTF-8 或 GBK 编码的 .csv、.docx 中的表格）导入为新的清单库。"
        "按表头自动识别版式：每个单元一行、每个管控维度一列；每个单元×维度一行、单元信息合并单元格（佛山市版式）；"
        "或每条条款一行。单元格可含多条编号条款，条款可跨行，维度名称可分两行书写。每条条款保留原编号、原文"
        "（仅规范空白）、要素标签（【大气/限制类】）及按标签或措辞判定的类型。内置国家、广东、江苏、浙江、贵州等"
        "方案的维度名称，可用 DIMENSION_LABELS 补充。优先保护单元未分维度的“管控要求”按标签和内容推断维度，并在报告中"
        "标明。启用 FACTOR 时，某地市（或全表）所有单元都有的条款提升为该层级的一条条款，“执行省级/市级总体管控要求”"
        "记为层级引用；各单元的有效清单文本保持不变。已发布的清单表不含行业代码：启用 INFER_INDUSTRIES 时，"
        "点名某一行业（炼焦、电石、水泥、化工等）的禁止类、限制类条款按插件的关键词表（resources/data/industry_keywords.yaml）"
        "获得 GB/T 4754-2017 行业代码，在清单库中标记 industries_inferred，并在报告中列出代码及其所据词语，"
        "使审查时该行业的项目按方案原意判为不符合。提供 UNITS（导入的单元图层）时，表中有而图层中没有的编码会被报告，"
        "其条款仍会导入。REPORT 每个源表行一行，包括无法读取的行。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFile(
                "INPUT",
                self.tr("Admission-list table (附表1)"),
                fileFilter="附表1 (*.xlsx *.csv *.docx);;Excel (*.xlsx);;CSV (*.csv);;Word (*.docx)",
            ),
            "The published table: .xlsx, .csv (UTF-8 or GBK) or .docx.",
        )
        self._add(
            QgsProcessingParameterString("SHEET", self.tr("Sheet"), defaultValue="", optional=True),
            "The sheet of an .xlsx to read; empty: the first sheet with a recognisable header.",
        )
        for name, _role, label in COLUMNS:
            self._add(
                QgsProcessingParameterString(name, self.tr(label), defaultValue="", optional=True),
                "The column's header as printed, when it is not recognised by itself.",
                advanced=True,
            )
        self._add(
            QgsProcessingParameterString(
                "DIMENSION_LABELS", self.tr("Extra dimension labels"), defaultValue="", optional=True
            ),
            "label:dimension pairs separated by ';', e.g. 产业准入:spatial_layout;能耗管控:资源利用效率.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "UNITS", self.tr("Imported units"), [SOURCE_POLYGON, SOURCE_VECTOR], optional=True
            ),
            "The unit layer (output of Import an existing unit layer): codes are checked against it, units named "
            "without a code are found by name, and clauses are lifted only where every unit of the layer has them.",
        )
        self._add(
            QgsProcessingParameterBoolean("FACTOR", self.tr("Lift shared clauses to city/province level"), True),
            "A clause found in every unit of a prefecture (or of the whole table) becomes one clause at that level.",
        )
        self._add(
            QgsProcessingParameterBoolean(
                "INFER_INDUSTRIES",
                self.tr("Infer industry codes of prohibit/restrict clauses from their wording"),
                True,
            ),
            "Published tables carry no GB/T 4754 codes: a prohibit or restrict clause naming an industry (炼焦, 电石, "
            "水泥 …) gets the codes of resources/data/industry_keywords.yaml, flagged industries_inferred and named "
            "in the report. Off: such clauses filter no industry.",
        )
        self._add(
            QgsProcessingParameterString("LIBRARY_NAME", self.tr("Library name"), defaultValue="", optional=True),
            "Written to library.yaml; empty: the file name.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterBoolean("OVERWRITE", self.tr("Replace an existing library"), False),
            "When OUTPUT_FOLDER already holds a library it is refused unless this is set; the old folder is then kept "
            "as <folder>.bak-<time>.",
        )
        self._add(
            QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", self.tr("New list library folder")),
            "The folder of the new library (library.yaml, cities/, units/).",
        )
        self._add(
            QgsProcessingParameterFeatureSink("REPORT", self.tr("Import report"), SOURCE_VECTOR),
            "One row per source row: unit, dimension, clauses found, industry codes inferred (INDUSTRIES), warnings.",
        )
        self._add_output(QgsProcessingOutputFolder("LIBRARY", self.tr("List library")))
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Number of units")))
        self._add_output(QgsProcessingOutputNumber("CLAUSE_COUNT", self.tr("Number of clauses in the table")))
        self._add_output(QgsProcessingOutputNumber("UNREADABLE_COUNT", self.tr("Number of unreadable rows")))
        self._add_output(
            QgsProcessingOutputNumber(
                "INDUSTRY_INFERRED_COUNT", self.tr("Number of clauses with industry codes inferred from their wording")
            )
        )

    def run_algorithm(self, parameters, context, feedback):
        lang = user_language()
        path = self.parameterAsFile(parameters, "INPUT", context)
        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        if not path:
            raise QgsProcessingException("Choose the admission-list table (INPUT): an .xlsx, .csv or .docx file.")
        overrides = {role: self.parameterAsString(parameters, n, context) for n, role, _l in COLUMNS}
        layer_codes, names = self._units(parameters, context, feedback)
        try:
            labels = parse_label_pairs(self.parameterAsString(parameters, "DIMENSION_LABELS", context))
            result = parse_file(path, self.parameterAsString(parameters, "SHEET", context), labels, overrides, names)
        except ImportListError as exc:
            raise QgsProcessingException(str(exc)) from exc
        missing = check_units(result, layer_codes) if layer_codes is not None else []
        for code in missing:
            feedback.pushWarning(f"unit {code} of the table is not in the unit layer; its clauses are imported")
        with_industries = 0
        if self.parameterAsBoolean(parameters, "INFER_INDUSTRIES", context):
            with_industries = infer_industries(result)
        name = (
            self.parameterAsString(parameters, "LIBRARY_NAME", context) or os.path.splitext(os.path.basename(path))[0]
        )
        factor = self.parameterAsBoolean(parameters, "FACTOR", context)
        library = build_library(result, folder, name, factor, layer_codes)
        from ...core.import_lists import write_new_library

        try:
            backup = write_new_library(library, folder, self.parameterAsBoolean(parameters, "OVERWRITE", context))
        except ImportListError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if backup:
            feedback.pushWarning(f"the previous library of {folder} is kept as {backup}")

        fields = make_fields(REPORT_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "REPORT", context, fields, NO_GEOMETRY)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "REPORT"))
        unreadable = 0
        for label in sorted({r.messages(lang)[0] for r in result.report if r.status == "skipped"}):
            feedback.pushWarning(f"{os.path.basename(path)}: {label}")
        for row in result.report:
            if feedback.isCanceled():
                break
            unreadable += row.status == "unreadable"
            messages = row.messages(lang)
            if row.status == "unreadable":
                feedback.reportError(f"{os.path.basename(path)} row {row.row}: {'; '.join(messages)}")
            values = {
                "ROW": row.row,
                "TABLE_NO": row.table or None,
                "STATUS": row.status,
                schema.CODE: row.unit,
                schema.NAME: row.name[:254],
                "DIMENSION": row.dimension,
                "LABEL": row.label[:60],
                "CLAUSES": ",".join(row.clauses)[:254],
                "N_CLAUSES": len(row.clauses),
                "INFERRED": int(any(w[0] in ("dimension_inferred", "common") for w in row.warnings)),
                "INDUSTRIES": ",".join(inferred_codes(row))[:254],
                "MESSAGE": "; ".join(messages),
            }
            write(sink, new_feature(fields, values), f"report row {row.row}")
        count = sum(len(v) for v in result.clauses.values())
        lifted = sum(result.lifted.values()) - len(result.lifted)
        feedback.pushInfo(
            f"{result.layout} layout: {len(result.units)} units, {count} clauses, {unreadable} unreadable rows; "
            f"{len(result.lifted)} shared clauses lifted ({lifted} copies saved); {with_industries} prohibit/restrict "
            f"clauses given industry codes from their wording; library written to {folder}"
        )
        return {
            "OUTPUT_FOLDER": folder,
            "LIBRARY": folder,
            "REPORT": dest,
            "UNIT_COUNT": len(result.units),
            "CLAUSE_COUNT": count,
            "UNREADABLE_COUNT": unreadable,
            "INDUSTRY_INFERRED_COUNT": with_industries,
        }

    def _units(self, parameters, context, feedback):
        """(codes, name -> code) of UNITS, or (None, {}) without it."""
        if not parameters.get("UNITS"):
            return None, {}
        source = require_source(self, parameters, "UNITS", context, "The unit layer")
        label = f"Unit layer {layer_label(source, 'UNITS')}"
        names = source.fields().names()
        code_field = find_field(names, CODE, FIELD_ALIASES[CODE])
        if code_field is None:
            raise QgsProcessingException(
                f"{label} has no unit code field (HJGKDYBM …); import it with importunits first"
            )
        name_field = find_field(names, NAME, FIELD_ALIASES[NAME])
        codes: set[str] = set()
        by_name: dict[str, list[str]] = {}
        for feature in source.getFeatures(QgsFeatureRequest().setFlags(REQUEST_NO_GEOMETRY)):
            if feedback.isCanceled():
                break
            code = str(feature[code_field] or "").strip()
            codes.add(code)
            if name_field and feature[name_field]:
                by_name.setdefault(str(feature[name_field]).strip(), []).append(code)
        unique = {n: c[0] for n, c in by_name.items() if len(c) == 1}
        return codes, unique
