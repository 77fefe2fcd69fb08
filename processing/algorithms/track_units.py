"""ecozoning:trackunits — tracking assessment and enforcement targeting (跟踪评估、监管执法线索筛选), seed 十三."""

from __future__ import annotations

import datetime
import os

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
)

from ...core.errors import EcoZoningError
from ...core.filing import sha256_file
from ...core.library_store import library_digest
from ...core.schema import (
    CLASS,
    CODE,
    COUNTY_CODE,
    FIELD_ALIASES,
    NAME,
    SUBTYPE,
    find_field,
    tracking_field,
    unit_class,
)
from ...core.screening import Target
from ...core.tracking import (
    SEVERITY_LABELS,
    ChangePatch,
    Site,
    Source,
    kind_label,
    level_label,
    load_tracking_rules,
    parse_results,
    read_csv_table,
    track,
    where,
)
from ...core.tracking_report import focus_label
from ..adapter import STORAGE_CRS, _value, make_fields, new_feature, read_features, require_source, to_qgs, write
from ..compat import (
    FILE_FOLDER,
    MULTIPOLYGON,
    NO_GEOMETRY,
    POINT,
    REQUEST_NO_GEOMETRY,
    SOURCE_POINT,
    SOURCE_POLYGON,
    SOURCE_VECTOR,
    SOURCE_VECTOR_ANY_GEOMETRY,
)
from ..tracking_report import style_outputs, write_report
from .base import EcoZoningAlgorithm, user_language
from .lists_common import open_library

LAYER_WORDS = {
    "UNITS": ("单元图层", "Unit layer"),
    "LAND_CHANGE": ("变化图斑图层", "Land-change layer"),
    "MONITORING": ("监测点位图层", "Monitoring-site layer"),
    "RESULTS": ("监测结果表", "Results table"),
    "SOURCES": ("污染源图层", "Source layer"),
}
FOCUS_COUNTS = ("eco_function_decline", "environment_problem", "quality_decline")
LANGUAGES = ("", "zh", "en")
INDICATOR_FIELDS = [
    ("UNIT_CODE", "str", 20),
    ("UNIT_NAME", "str", 254),
    ("CLASS", "int", 0),
    ("INDICATOR", "str", 40),
    ("LABEL", "str", 100),
    ("OBJECT", "str", 100),
    ("UOM", "str", 20),
    ("VALUE", "float", 0),
    ("BASE", "float", 0),
    ("CHANGE", "float", 0),
    ("THRESHOLD", "str", 100),
    ("RULE", "str", 60),
    ("FLAGGED", "int", 0),
    ("NOTE", "str", 100),
]
FLAGGED_FIELDS = [
    ("RANK", "int", 0),
    (CODE, "str", 20),
    (NAME, "str", 254),
    (CLASS, "int", 0),
    (SUBTYPE, "str", 40),
    (COUNTY_CODE, "str", 6),
    ("AREA_KM2", "float", 0),
    ("FOCUS", "str", 40),
    ("FOCUS_L", "str", 100),
    ("FOCUSES", "str", 200),
    ("SEVERITY", "int", 0),
    ("SEVERITY_L", "str", 10),
    ("SCORE", "int", 0),
    ("RULES", "str", 254),
    ("REASONS", "str", 0),
    ("LEADS", "int", 0),
]
LEAD_FIELDS = [
    ("RANK", "int", 0),
    ("UNIT_CODE", "str", 20),
    ("UNIT_NAME", "str", 254),
    ("UNIT_CLASS", "int", 0),
    ("FOCUS", "str", 40),
    ("FOCUS_L", "str", 100),
    ("RULE", "str", 60),
    ("SEVERITY", "int", 0),
    ("OBJ_TYPE", "str", 10),
    ("OBJ_ID", "str", 100),
    ("OBJ_NAME", "str", 254),
    ("DETAIL", "str", 0),
    ("CLAUSE_ID", "str", 60),
    ("CLAUSE_LVL", "str", 20),
    ("CLAUSE_KND", "str", 20),
    ("CLAUSE_TXT", "str", 0),
    ("OTHER_CLS", "str", 254),
    ("AREA_M2", "float", 0),
    ("INDUSTRY", "str", 60),
    ("PERMIT", "str", 60),
    ("EMISSION", "float", 0),
    ("PERIOD", "str", 60),
    ("LON", "float", 0),
    ("LAT", "float", 0),
]


class TrackUnits(EcoZoningAlgorithm):
    NAME = "trackunits"
    DISPLAY = "Track units and find enforcement leads"
    GROUP_ID = "tracking"
    HELP_EN = (
        "Tracking assessment and enforcement targeting (seed section 13): finds the units that are the focus of "
        "enforcement — priority units whose ecological function declined (new construction or mining inside above an "
        "area or share threshold), key units with prominent environmental problems (a monitoring site whose latest "
        "value is worse than its target, sources of an industry the unit's list prohibits or restricts) and general "
        "units whose environmental quality dropped (a water section or air station in a worse class than in the base "
        "year) — and the leads an inspector should visit: the change polygons, sites and sources that caused each flag, "
        "with the clause of the unit's list each one touches. Every input but UNITS is optional; what is missing only "
        "leaves its indicators out. Thresholds come from a rules file (resources/rules/tracking_rules.yaml documents "
        "the defaults). Areas are measured in each unit's CGCS2000 Gauss-Krüger zone. Bad rows and features (a site "
        "without location, a year that is not a number, an unknown indicator…) are reported and left out; they never "
        "stop the run. REPORT_FOLDER receives an HTML and a PDF report with a map of the flagged units by reason, the "
        "ranked inspection list and one section per flagged unit."
    )
    HELP_ZH = (
        "跟踪评估与监管执法线索筛选（实施意见第十三条）：找出作为监管执法重点的单元——生态功能明显降低的优先保护单元"
        "（单元内新增建设用地或采矿用地面积或占比超过阈值）、生态环境问题突出的重点管控单元（监测点位最新值劣于目标，"
        "或有单元清单禁止、限制行业的污染源）、环境质量明显下降的一般管控单元（水质断面或空气站点的质量类别较基准年变差），"
        "并给出执法线索：导致判定的变化图斑、监测点位和污染源，以及各自涉及的单元准入清单条款。除 UNITS 外的输入均为可选，"
        "缺少的输入只是不计算相应指标。阈值来自规则文件（默认规则及说明见 resources/rules/tracking_rules.yaml）。"
        "面积在各单元所在的 CGCS2000 高斯-克吕格投影带中计算。有问题的行或要素（无位置的站点、非数字年份、未知指标等）"
        "会逐条报告并跳过，不会中断运行。REPORT_FOLDER 中生成 HTML 和 PDF 报告，含按原因着色的重点单元分布图、排序表和每个重点单元的专节。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFeatureSource("UNITS", self.tr("Control units"), [SOURCE_POLYGON]),
            "The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX; field names in any case).",
        )
        self._add(
            QgsProcessingParameterFile("LIBRARY", self.tr("Admission-list library folder"), FILE_FOLDER, optional=True),
            "The library whose clauses the leads cite (the clause of each unit's list a lead touches).",
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "LAND_CHANGE", self.tr("Land change polygons"), [SOURCE_POLYGON], optional=True
            ),
            "Polygons of land change between two dates from remote-sensing interpretation, in any CRS.",
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "MONITORING", self.tr("Monitoring sites"), [SOURCE_POINT], optional=True
            ),
            "Water quality sections and air stations (points) with a site id; an optional target field (III, 35…).",
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "RESULTS", self.tr("Monitoring results table"), [SOURCE_VECTOR], optional=True
            ),
            "A table (layer or CSV) with site id, year, indicator and value columns (断面编号/年份/指标/值 work too).",
        )
        self._add(
            QgsProcessingParameterFile(
                "RESULTS_CSV", self.tr("Monitoring results CSV"), extension="csv", optional=True
            ),
            "The same results as a CSV file, UTF-8 or GBK, as spreadsheets export it; used besides RESULTS.",
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "SOURCES", self.tr("Pollution sources"), [SOURCE_VECTOR_ANY_GEOMETRY], optional=True
            ),
            "Pollution sources or enterprises (points) with a GB/T 4754 industry code, optionally a permit and emissions.",
        )
        # the fields of the optional inputs, each guessed from the names real data uses when left empty
        for name, label, parent, help_text in (
            ("CHANGE_FIELD", "Change type field", "LAND_CHANGE",
             "The change type (新增建设用地, 采矿, 毁林, 围垦…); guessed from BHLX, 变化类型, TYPE… when empty."),
            ("PERIOD_FIELD", "Date or period field", "LAND_CHANGE",
             "The date or period of the change (2023-2024, 2024-06…), shown with each lead; guessed when empty."),
            ("SITE_ID_FIELD", "Site id field", "MONITORING",
             "The site id the results refer to; guessed from SITE_ID, 断面编号, 站点编号… when empty."),
            ("TARGET_FIELD", "Site target field", "MONITORING",
             "The site's target (water class such as III, or a concentration); the rules' default target otherwise."),
            ("SOURCE_ID_FIELD", "Source id field", "SOURCES", "A source id shown with the leads; guessed when empty."),
            ("SOURCE_NAME_FIELD", "Source name field", "SOURCES", "The source or enterprise name; guessed when empty."),
            ("INDUSTRY_FIELD", "Industry code field (GB/T 4754)", "SOURCES",
             "The GB/T 4754 code such as C2520; guessed when empty."),
            ("PERMIT_FIELD", "Permit number field", "SOURCES", "Optional pollutant discharge permit number."),
            ("EMISSION_FIELD", "Emissions field (t/a)", "SOURCES", "Optional emissions of the source, summed per unit."),
        ):  # fmt: skip
            self._add(
                QgsProcessingParameterField(name, self.tr(label), parentLayerParameterName=parent, optional=True),
                help_text,
            )
        self._add(
            QgsProcessingParameterFile("RULES", self.tr("Tracking rules (YAML)"), extension="yaml", optional=True),
            "A province's own thresholds; resources/rules/tracking_rules.yaml documents the defaults.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterEnum(
                "LANGUAGE",
                self.tr("Language of texts and report"),
                options=[self.tr("As QGIS"), self.tr("Chinese"), self.tr("English")],
                defaultValue=0,
            ),
            "The language of the reasons, lead texts and the report; by default that of QGIS.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFeatureSink("INDICATORS", self.tr("Indicators"), SOURCE_VECTOR),
            "One row per unit and indicator (and site): value, base value, change, threshold, rule, triggered.",
        )
        self._add(
            QgsProcessingParameterFeatureSink("FLAGGED", self.tr("Flagged units"), SOURCE_POLYGON),
            "The units that are the focus of enforcement, with reasons, severity and rank for the inspection plan.",
        )
        self._add(
            QgsProcessingParameterFeatureSink("LEADS", self.tr("Enforcement leads"), SOURCE_VECTOR_ANY_GEOMETRY),
            "Points of the change polygons, sites and sources behind each flag, with the clause each one touches.",
        )
        self._add(
            QgsProcessingParameterFeatureSink(
                "LEAD_AREAS",
                self.tr("Change polygons of the leads"),
                SOURCE_POLYGON,
                optional=True,
                createByDefault=False,
            ),
            "The change polygons of the leads (the part inside the flagged unit), with the same rank and clause.",
        )
        self._add(
            QgsProcessingParameterFolderDestination(
                "REPORT_FOLDER", self.tr("Report folder"), optional=True, createByDefault=False
            ),
            "When set: tracking_report.html and tracking_report.pdf with their maps.",
        )
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Number of units assessed")))
        self._add_output(QgsProcessingOutputNumber("FLAGGED_COUNT", self.tr("Number of flagged units")))
        self._add_output(QgsProcessingOutputNumber("LEAD_COUNT", self.tr("Number of leads")))
        self._add_output(QgsProcessingOutputNumber("PROBLEM_COUNT", self.tr("Number of input problems")))
        for focus in FOCUS_COUNTS:
            self._add_output(QgsProcessingOutputNumber(f"{focus.upper()}_COUNT", self.tr(f"Flagged: {focus}")))

    # --- reading -------------------------------------------------------------------------------------------------
    @staticmethod
    def _names(parameters, key, source, lang):
        """(label for exceptions, function fid -> where for problems) of an input layer."""
        name = source.sourceName() if hasattr(source, "sourceName") else key
        value = parameters.get(key)
        if isinstance(value, str) and "layername=" in value:
            name = f"{name}:{value.split('layername=')[1].split('|')[0]}"
        zh, en = LAYER_WORDS[key]
        label = f"{zh}“{name}”" if lang == "zh" else f"{en} '{name}'"
        return label, lambda fid: where(lang, zh if lang == "zh" else en, name, fid)

    def _field(self, parameters, name, context, source, key, lang="en"):
        chosen = self.parameterAsString(parameters, name, context) if parameters.get(name) else ""
        if chosen:
            found = find_field(source.fields().names(), chosen)
            if found is None:
                fields = ", ".join(source.fields().names())
                raise QgsProcessingException(
                    f"{name}：图层中没有字段“{chosen}”，现有字段：{fields}。"
                    if lang == "zh"
                    else f"{name}: the layer has no field '{chosen}'. Its fields are: {fields}."
                )
            return found
        return tracking_field(source.fields().names(), key) if key else None

    def _required_field(self, parameters, name, context, source, key, lang, label, what_zh, what_en):
        """The field of `name` (or the one guessed for `key`), or a refusal that lists the layer's fields."""
        found = self._field(parameters, name, context, source, key, lang)
        if found is None:
            fields = ", ".join(source.fields().names())
            raise QgsProcessingException(
                f"{label}：请选择{what_zh}字段（{name}），现有字段：{fields}。"
                if lang == "zh"
                else f"{label}: choose the {what_en} field ({name}); its fields are {fields}."
            )
        return found

    def _units(self, parameters, context, feedback, problems, lang):
        source = require_source(self, parameters, "UNITS", context, "The unit layer")
        label, at = self._names(parameters, "UNITS", source, lang)
        names = source.fields().names()
        fields = {key: find_field(names, key, FIELD_ALIASES.get(key, ())) for key in (CODE, NAME, CLASS, COUNTY_CODE)}
        fields[SUBTYPE] = find_field(names, SUBTYPE)
        if fields[CODE] is None:
            raise QgsProcessingException(
                f"{label}没有单元编码字段（{CODE}），现有字段：{', '.join(names)}。请先运行“划定环境管控单元”或重命名编码字段。"
                if lang == "zh"
                else f"{label} has no unit code field ({CODE}). Its fields are: {', '.join(names)}. "
                "Run 'Delineate environmental control units' or rename the code field."
            )
        units = []
        for fid, geom, attrs in read_features(source, context, feedback, label=label):
            code = str(attrs.get(fields[CODE]) or "").strip()
            if geom is None or geom.is_empty:
                problems.append(
                    f"{at(fid)}（{code}）：几何为空，未使用"
                    if lang == "zh"
                    else f"{at(fid)} ({code}): empty geometry; left out"
                )
                continue
            cls = unit_class(attrs.get(fields[CLASS]) if fields[CLASS] else None, code)
            if cls is None:
                problems.append(
                    f"{at(fid)}（{code}）：单元类别无法识别，按类别的规则不适用"
                    if lang == "zh"
                    else f"{at(fid)} ({code}): class unknown; rules by class do not apply"
                )
            text = {
                key: str(attrs.get(fields[key]) or "") if fields[key] else "" for key in (NAME, SUBTYPE, COUNTY_CODE)
            }
            units.append(Target(code, text[NAME], cls, text[SUBTYPE], geom, text[COUNTY_CODE]))
        if not units:
            raise QgsProcessingException(
                f"{label}中没有带几何的单元。" if lang == "zh" else f"{label} has no units with a geometry."
            )
        return source, units

    def _changes(self, parameters, context, feedback, lang):
        source = self.parameterAsSource(parameters, "LAND_CHANGE", context) if parameters.get("LAND_CHANGE") else None
        if source is None:
            return None
        label, at = self._names(parameters, "LAND_CHANGE", source, lang)
        type_field = self._required_field(
            parameters, "CHANGE_FIELD", context, source, "change_type", lang, label, "变化类型", "change type"
        )
        period_field = self._field(parameters, "PERIOD_FIELD", context, source, "period", lang)
        id_field = tracking_field(source.fields().names(), "change_id")
        patches = []
        for fid, geom, attrs in read_features(source, context, feedback, label=label):
            ident = str(attrs.get(id_field) or fid) if id_field else str(fid)
            period = attrs.get(period_field) if period_field else None
            period = period.toString("yyyy-MM-dd") if hasattr(period, "toString") else str(period or "")
            patches.append(ChangePatch(at(fid), ident, str(attrs.get(type_field) or ""), period, geom))
        return patches

    def _sites(self, parameters, context, feedback, lang):
        source = self.parameterAsSource(parameters, "MONITORING", context) if parameters.get("MONITORING") else None
        if source is None:
            return None
        label, at = self._names(parameters, "MONITORING", source, lang)
        id_field = self._required_field(
            parameters, "SITE_ID_FIELD", context, source, "site", lang, label, "站点编号", "site id"
        )
        target_field = self._field(parameters, "TARGET_FIELD", context, source, "target", lang)
        name_field = tracking_field(source.fields().names(), "site_name")
        sites = []
        for fid, geom, attrs in read_features(source, context, feedback, label=label):
            sid = str(attrs.get(id_field) if attrs.get(id_field) is not None else "").strip()
            name = str(attrs.get(name_field) or "") if name_field and name_field != id_field else ""
            target = attrs.get(target_field) if target_field else None
            sites.append(Site(sid or f"fid{fid}", name, geom, target, at(fid)))
        return sites

    def _results(self, parameters, context, feedback, rules, lang, problems):
        tables = []
        source = self.parameterAsSource(parameters, "RESULTS", context) if parameters.get("RESULTS") else None
        if source is not None:
            label, at = self._names(parameters, "RESULTS", source, lang)
            request = QgsFeatureRequest().setFlags(REQUEST_NO_GEOMETRY)
            names = source.fields().names()
            rows = []
            for feature in source.getFeatures(request):
                if feedback.isCanceled():
                    break
                rows.append((at(feature.id()), {name: _value(feature[name]) for name in names}))
            tables.append((label, source.fields().names(), rows))
        path = self.parameterAsFile(parameters, "RESULTS_CSV", context) if parameters.get("RESULTS_CSV") else ""
        if path:
            try:
                names, rows = read_csv_table(path, lang)
            except (OSError, EcoZoningError) as exc:
                raise QgsProcessingException(
                    f"RESULTS_CSV {path} 无法读取：{exc}"
                    if lang == "zh"
                    else f"RESULTS_CSV {path} cannot be read: {exc}"
                ) from exc
            tables.append(
                (
                    f"CSV 文件“{os.path.basename(path)}”" if lang == "zh" else f"CSV file '{os.path.basename(path)}'",
                    names,
                    rows,
                )
            )
        if not tables:
            return None
        measurements = []
        for label, names, rows in tables:
            columns = {key: tracking_field(names, key) for key in ("site", "year", "indicator", "value")}
            missing = [key for key, value in columns.items() if value is None]
            if missing:
                raise QgsProcessingException(
                    f"{label}需要站点编号、年份、指标和值四列；在 {', '.join(names)} 中找不到 {', '.join(missing)} 列"
                    "（可用列名如 断面编号、年份、指标、值 或 SITE_ID、YEAR、INDICATOR、VALUE）。"
                    if lang == "zh"
                    else f"{label} needs the columns site id, year, indicator and value; no column for "
                    f"{', '.join(missing)} among {', '.join(names)} (names such as SITE_ID, YEAR, INDICATOR, VALUE or "
                    "断面编号, 年份, 指标, 值)."
                )
            found, bad = parse_results(rows, columns, rules, lang)
            measurements.extend(found)
            problems.extend(bad)
        return measurements

    def _sources(self, parameters, context, feedback, lang):
        source = self.parameterAsSource(parameters, "SOURCES", context) if parameters.get("SOURCES") else None
        if source is None:
            return None
        label, at = self._names(parameters, "SOURCES", source, lang)
        fields = {
            key: self._field(parameters, name, context, source, key if auto else None, lang)
            for name, key, auto in (
                ("SOURCE_ID_FIELD", "source_id", True),
                ("SOURCE_NAME_FIELD", "source_name", True),
                ("PERMIT_FIELD", "permit", True),
                ("EMISSION_FIELD", "emission", False),
            )
        }
        fields["industry"] = self._required_field(
            parameters, "INDUSTRY_FIELD", context, source, "industry", lang, label, "行业代码", "industry code"
        )
        sources = []
        for fid, geom, attrs in read_features(source, context, feedback, label=label):
            text = {key: str(attrs.get(name) or "").strip() if name else "" for key, name in fields.items()}
            sources.append(
                Source(text["source_id"] or f"fid{fid}", text["source_name"], text["industry"], geom, text["permit"],
                       attrs.get(fields["emission"]) if fields["emission"] else None, at(fid))
            )  # fmt: skip
        return sources

    # --- running -------------------------------------------------------------------------------------------------
    def run_algorithm(self, parameters, context, feedback):
        choice = LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)]
        lang = choice or user_language()
        rules_path = self.parameterAsFile(parameters, "RULES", context) if parameters.get("RULES") else ""
        try:
            rules = load_tracking_rules(rules_path or None)
        except EcoZoningError as exc:
            raise QgsProcessingException(str(exc)) from exc
        library = open_library(self, parameters, context) if parameters.get("LIBRARY") else None
        problems: list[str] = []
        units_source, units = self._units(parameters, context, feedback, problems, lang)
        changes = self._changes(parameters, context, feedback, lang)
        sites = self._sites(parameters, context, feedback, lang)
        measurements = self._results(parameters, context, feedback, rules, lang, problems)
        if sites is not None and measurements is None:
            feedback.pushWarning(
                "已设置监测点位但没有监测结果（RESULTS 或 RESULTS_CSV），未评价监测点位"
                if lang == "zh"
                else "MONITORING is set but no results (RESULTS or RESULTS_CSV): sites are not assessed"
            )
        if measurements is not None and sites is None:
            raise QgsProcessingException(
                "监测结果需要对应的监测点位：请设置 MONITORING。"
                if lang == "zh"
                else "Monitoring results need the sites they refer to: set MONITORING."
            )
        sources = self._sources(parameters, context, feedback, lang)
        counts = [len(x) if x is not None else "—" for x in (units, changes, sites, measurements, sources)]
        feedback.pushInfo(
            "单元 {}，变化图斑 {}，监测点位 {}，监测结果 {}，污染源 {}".format(*counts)
            if lang == "zh"
            else "{} units; change polygons {}, sites {}, results {}, sources {}".format(*counts)
        )
        result = track(
            units, rules, library, changes, sites, measurements, sources, lang, feedback.isCanceled,
            lambda f: feedback.setProgress(int(80 * f)),
        )  # fmt: skip
        result.problems[:0] = problems
        for problem in result.problems:
            feedback.reportError(problem)

        outputs = self._write_outputs(parameters, context, result, rules, lang)
        style_outputs(context, outputs, rules, lang)
        folder = self.parameterAsString(parameters, "REPORT_FOLDER", context) if parameters.get("REPORT_FOLDER") else ""
        if folder:
            stamp = self._stamp(units_source, library, rules, lang)
            write_report(folder, result, rules, units, stamp, lang, feedback)
            outputs["REPORT_FOLDER"] = folder
        outputs.update(
            UNIT_COUNT=len(units), FLAGGED_COUNT=len(result.flagged), LEAD_COUNT=len(result.leads),
            PROBLEM_COUNT=len(result.problems),
        )  # fmt: skip
        for focus in FOCUS_COUNTS:
            outputs[f"{focus.upper()}_COUNT"] = sum(focus in f.focuses for f in result.flagged)
        summary = ", ".join(
            f"{focus_label(rules, focus, lang)} {sum(focus in f.focuses for f in result.flagged)}"
            for focus in rules.focuses
        )
        feedback.pushInfo(
            f"{len(units)} 个单元中 {len(result.flagged)} 个列为监管执法重点（{summary}），执法线索 {len(result.leads)} 条"
            if lang == "zh"
            else f"{len(result.flagged)} / {len(units)} units flagged ({summary}); {len(result.leads)} leads"
        )
        return outputs

    def _write_outputs(self, parameters, context, result, rules, lang):
        outputs = {}
        fields = make_fields(INDICATOR_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "INDICATORS", context, fields, NO_GEOMETRY)
        for row in result.indicators:
            values = {
                "UNIT_CODE": row.unit.code, "UNIT_NAME": row.unit.name[:254], "CLASS": row.unit.target_class,
                "INDICATOR": row.indicator, "LABEL": row.label[:100], "OBJECT": row.obj[:100], "UOM": row.unit_of_measure,
                "VALUE": row.value, "BASE": row.base, "CHANGE": row.change, "THRESHOLD": row.threshold[:100],
                "RULE": row.rule, "FLAGGED": int(row.flagged), "NOTE": row.note[:100],
            }  # fmt: skip
            write(sink, new_feature(fields, values), f"an indicator row of {row.unit.code}")
        outputs["INDICATORS"] = dest
        severity_labels = SEVERITY_LABELS["zh" if lang == "zh" else "en"]
        lead_count: dict[str, int] = {}
        for lead in result.leads:
            lead_count[lead.unit.code] = lead_count.get(lead.unit.code, 0) + 1
        fields = make_fields(FLAGGED_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "FLAGGED", context, fields, MULTIPOLYGON, STORAGE_CRS)
        for item in result.flagged:
            unit = item.unit
            values = {
                "RANK": item.rank, CODE: unit.code, NAME: unit.name[:254], CLASS: unit.target_class, SUBTYPE: unit.key,
                COUNTY_CODE: unit.county[:6], "AREA_KM2": round(item.area_m2 / 1e6, 6), "FOCUS": item.focuses[0],
                "FOCUS_L": "、".join(focus_label(rules, f, lang) for f in item.focuses)[:100],
                "FOCUSES": ",".join(item.focuses), "SEVERITY": item.severity,
                "SEVERITY_L": severity_labels[item.severity], "SCORE": item.score,
                "RULES": ",".join(dict.fromkeys(r.rule.id for r in item.reasons))[:254],
                "REASONS": "；".join(r.detail for r in item.reasons), "LEADS": lead_count.get(unit.code, 0),
            }  # fmt: skip
            write(sink, new_feature(fields, values, unit.geom), f"the flagged unit {unit.code}")
        outputs["FLAGGED"] = dest
        fields = make_fields(LEAD_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "LEADS", context, fields, POINT, STORAGE_CRS)
        area_fields = make_fields(LEAD_FIELDS)
        area_sink, area_dest = self.parameterAsSink(
            parameters, "LEAD_AREAS", context, area_fields, MULTIPOLYGON, STORAGE_CRS
        )
        for lead in result.leads:
            point = lead.geom if lead.geom.geom_type == "Point" else lead.geom.representative_point()
            first = lead.clauses[0] if lead.clauses else None
            values = {
                "RANK": lead.rank, "UNIT_CODE": lead.unit.code, "UNIT_NAME": lead.unit.name[:254],
                "UNIT_CLASS": lead.unit.target_class, "FOCUS": lead.rule.focus,
                "FOCUS_L": focus_label(rules, lead.rule.focus, lang)[:100], "RULE": lead.rule.id,
                "SEVERITY": lead.severity, "OBJ_TYPE": lead.obj_type, "OBJ_ID": lead.obj_id[:100],
                "OBJ_NAME": lead.obj_name[:254], "DETAIL": lead.detail,
                "CLAUSE_ID": first.clause.id if first else "", "CLAUSE_LVL": level_label(first.level, lang) if first else "",
                "CLAUSE_KND": kind_label(first.clause.kind, lang) if first else "",
                "CLAUSE_TXT": first.clause.text if first else "",
                "OTHER_CLS": ",".join(c.clause.id for c in lead.clauses[1:])[:254],
                "AREA_M2": round(lead.area_m2, 2) if lead.area_m2 is not None else None,
                "INDUSTRY": lead.industry[:60], "PERMIT": lead.permit[:60], "EMISSION": lead.emission,
                "PERIOD": lead.period[:60], "LON": round(point.x, 7), "LAT": round(point.y, 7),
            }  # fmt: skip
            feature = new_feature(fields, values)
            feature.setGeometry(to_qgs(point))
            write(sink, feature, f"a lead of {lead.unit.code}")
            if area_sink is not None and lead.obj_type == "change":
                write(area_sink, new_feature(area_fields, values, lead.geom), f"a change polygon of {lead.unit.code}")
        outputs["LEADS"] = dest
        if area_sink is not None:
            outputs["LEAD_AREAS"] = area_dest
        return outputs

    def _stamp(self, units_source, library, rules, lang):
        zh = lang == "zh"
        path = (units_source.sourceName() or "") if hasattr(units_source, "sourceName") else ""
        stamp = {("单元图层" if zh else "Units"): path or "—"}
        if library is not None:
            stamp["准入清单" if zh else "Library"] = f"{library.name} {library.version}"
            stamp["清单库 SHA-256" if zh else "Library SHA-256"] = library_digest(library.root)
        stamp["规则文件" if zh else "Rules"] = rules.path
        if os.path.isfile(rules.path):
            stamp["规则 SHA-256" if zh else "Rules SHA-256"] = sha256_file(rules.path)
        stamp["日期" if zh else "Date"] = datetime.date.today().isoformat()
        stamp["工具" if zh else "Tool"] = "EcoZoning"
        return stamp
