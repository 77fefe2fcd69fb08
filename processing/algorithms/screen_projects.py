"""ecozoning:screenprojects — project footprints in, overlaps, clauses, verdicts and fileable reports out."""

from __future__ import annotations

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)

from ...core import schema
from ...core.errors import EcoZoningError
from ...core.lists import LEVEL_LABELS
from ...core.report import DEFAULT_VALID_DAYS, DecisionError, build_report, report_basenames
from ...core.screening import VERDICT_LABELS, VERDICTS, check_buffer, load_rules, screen
from ..adapter import (
    STORAGE_CRS,
    layer_label,
    make_fields,
    new_feature,
    read_features,
    require_field,
    require_source,
    to_qgs,
    write,
)
from ..compat import (
    FILE_FOLDER,
    MULTIPOLYGON,
    NO_GEOMETRY,
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
    POLYGON_GEOMETRY,
    SOURCE_POLYGON,
    SOURCE_VECTOR,
    SOURCE_VECTOR_ANY_GEOMETRY,
)
from ..decision_store import decisions_from_rows
from ..screening_io import (
    PreparedLayer,
    ReportWriter,
    make_basis,
    make_project,
    normalize_industry,
    read_units,
    read_zones,
)
from .base import EcoZoningAlgorithm, load_taxonomy_param
from .lists_common import open_library

HIT_FIELDS = [
    ("PROJ_ID", "str", 60),
    ("CODE", "str", 20),
    ("NAME", "str", 254),
    ("CLASS", "int", 0),
    ("SUBTYPE", "str", 40),
    ("AREA_M2", "float", 0),
    ("AREA_HA", "float", 0),
    ("LENGTH_M", "float", 0),
    ("SHARE_PROJ", "float", 0),
    ("SHARE_UNIT", "float", 0),
]
CLAUSE_FIELDS = [
    ("PROJ_ID", "str", 60),
    ("UNIT_CODE", "str", 20),
    ("CLAUSE_ID", "str", 60),
    ("LEVEL", "str", 10),
    ("LEVEL_ZH", "str", 10),
    ("DIMENSION", "str", 24),
    ("KIND", "str", 12),
    ("TEXT", "str", 0),
    ("INDUSTRIES", "str", 100),
    ("IND_MATCH", "str", 8),
    ("COMPLIANCE", "str", 254),
]
VERDICT_FIELDS = [
    ("PROJ_ID", "str", 60),
    ("NAME", "str", 254),
    ("INDUSTRY", "str", 20),
    ("VERDICT", "str", 12),
    ("VERDICT_ZH", "str", 12),
    ("REASONS", "str", 0),
    ("UNITS", "str", 0),
    ("OUTSIDE", "float", 0),
    ("REPORT_NO", "str", 120),
    ("VALID_TO", "str", 10),
    ("DECISION", "str", 12),
    ("DEC_ZH", "str", 12),
    ("DEC_REASON", "str", 0),
    ("REVIEWER", "str", 60),
    ("DEC_DATE", "str", 30),
    ("REPORT", "str", 254),
    ("REPORT_PDF", "str", 254),
    ("REPORT_DOC", "str", 254),
]


def _sink_type(source_type, buffered: bool):
    geometry_type = QgsWkbTypes.geometryType(source_type)
    if buffered:
        return MULTIPOLYGON
    if geometry_type == POLYGON_GEOMETRY:
        return MULTIPOLYGON
    return QgsWkbTypes.multiType(QgsWkbTypes.flatType(source_type))


class ScreenProjects(EcoZoningAlgorithm):
    NAME = "screenprojects"
    DISPLAY = "Screen projects against control units"
    GROUP_ID = "screening"
    HELP_EN = (
        "Environmental admission screening (环境准入研判) of project footprints (points, lines or polygons, any CRS, "
        "optionally buffered): every unit and element zone each project touches with the overlap (m², ha, or m for "
        "lines) and its share of the project and of the unit, every applicable clause of the admission lists with its "
        "level and whether its industry filter matches the project's GB/T 4754 code (plus an empty compliance column "
        "for the reviewer), and a verdict (pass / conditional / fail / need_info) with the reasons that produced it, "
        "from a rules file (defaults: fail on the red line, water priority zones or a prohibit clause of the industry; "
        "conditional in priority units or on a restrict clause; need_info when the industry is missing or the footprint "
        "lies partly outside the units). REPORT_FOLDER receives per project an A4 PDF, a Word file and an HTML page: "
        "a stable report number (scheme version + project id + content hash), the date and validity (VALID_DAYS, or "
        "until the scheme version is replaced), the verdict with every reason on page 1, a map (units with class colours "
        "and codes, county boundaries, zones hit, scale bar, north arrow, legend, grid, overview), the units and zones "
        "hit, every applicable clause by dimension with a compliance column, the basis (SHA-256 of the unit layer and "
        "the library), signatures, next steps, and the paragraph for the EIA's 三线一单 compliance section; index.html "
        "and summary.xlsx list them. The reviewer's DECISIONS are shown beside the system's verdict in VERDICTS and in "
        "the reports. A bad project never stops the batch: it gets need_info with the reason.\n"
        "Enforcement (执法监管线索筛选): run it on a layer of existing enterprises (points with industry codes); the "
        "fail and conditional rows of VERDICTS are the leads."
    )
    HELP_ZH = (
        "对项目范围（点、线或面，任意坐标系，可设缓冲）开展环境准入研判：列出每个项目涉及的环境管控单元和环境要素管控分区，"
        "重叠面积（平方米、公顷，线状项目为长度）及其占项目和占单元的比例；列出适用的全部准入条款及其层级、是否与项目"
        "行业代码（GB/T 4754）匹配，并留出符合性一栏供审查人员填写；按规则文件给出研判结论（判定通过、受限准入、"
        "判定不通过、待补充信息）及理由（默认：占用生态保护红线、水环境优先保护区或触及本行业禁止类条款为不通过；"
        "涉及优先保护单元或本行业限制类条款为受限准入；缺少行业代码或部分位于单元覆盖范围外为待补充信息）。"
        "REPORT_FOLDER 中为每个项目生成 A4 版 PDF、Word 和 HTML 报告：稳定的报告编号（方案版本+项目编号+内容校验值）、"
        "研判日期和有效期（VALID_DAYS，或至方案版本被替代），第一页为研判结论及全部理由，附位置图（单元分类着色并标注编码、"
        "县界、涉及的要素分区、比例尺、指北针、图例、经纬网、鹰眼图），涉及的单元和分区，按维度逐条对照的适用条款及符合性一栏，"
        "研判依据（单元图层和清单库的 SHA-256）、签署栏、后续工作，以及可直接用于环评“三线一单”符合性分析的段落；"
        "index.html 和 summary.xlsx 汇总全部报告。DECISIONS 中的审查意见与系统研判并列显示在 VERDICTS 和报告中。"
        "单个项目有问题不会中断批处理，该项目结论为待补充信息并注明原因。\n"
        "执法监管线索筛选：对现有企业点位图层（含行业代码）运行本算法，VERDICTS 中判定不通过和受限准入的记录即为线索。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFeatureSource(
                "PROJECTS", self.tr("Project footprints"), [SOURCE_VECTOR_ANY_GEOMETRY]
            ),
            "Points, lines or polygons of the proposed projects (or existing enterprises), in any CRS.",
        )
        self._add(
            QgsProcessingParameterField("ID_FIELD", self.tr("Project id field"), parentLayerParameterName="PROJECTS"),
            "A field with a unique id per project; it names the rows and the report files.",
        )
        self._add(
            QgsProcessingParameterField(
                "NAME_FIELD", self.tr("Project name field"), parentLayerParameterName="PROJECTS", optional=True
            ),
            "Optional project name shown in the reports.",
        )
        self._add(
            QgsProcessingParameterField(
                "INDUSTRY_FIELD",
                self.tr("Industry code field (GB/T 4754)"),
                parentLayerParameterName="PROJECTS",
                optional=True,
            ),
            "Optional GB/T 4754 industry code such as C2511; clauses filtered by industry match it by prefix.",
        )
        self._add(
            QgsProcessingParameterNumber("BUFFER", self.tr("Buffer (m)"), NUMBER_DOUBLE, 0.0, minValue=0.0),
            "Buffer every footprint by this distance (metres, in the CGCS2000 Gauss-Krüger zone of the project).",
        )
        self._add(
            QgsProcessingParameterField(
                "BUFFER_FIELD",
                self.tr("Per-project buffer field (m)"),
                parentLayerParameterName="PROJECTS",
                optional=True,
            ),
            "Optional numeric field with a buffer per project; it replaces BUFFER where it has a value.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterVectorLayer("UNITS", self.tr("Control units"), [SOURCE_POLYGON]),
            "The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX).",
        )
        self._add(
            QgsProcessingParameterFile("LIBRARY", self.tr("Admission-list library folder"), FILE_FOLDER),
            "The folder holding library.yaml and the list files.",
        )
        self._add(
            QgsProcessingParameterMultipleLayers(
                "ZONES", self.tr("Standardized element zones"), SOURCE_POLYGON, optional=True
            ),
            "Optional element zones (YSBM, YSXL): red-line and water-priority hits are then found on the zones themselves.",
        )
        self._add(
            QgsProcessingParameterFile("RULES", self.tr("Verdict rules (YAML)"), extension="yaml", optional=True),
            "A province's own verdict rules; resources/rules/verdict_rules.yaml documents the defaults.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFile("TAXONOMY", self.tr("Taxonomy file (YAML)"), extension="yaml", optional=True),
            "A province's own element-zone taxonomy: the subtype names and colours of the reports; national by default.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "DECISIONS", self.tr("Reviewer's decisions"), [SOURCE_VECTOR], optional=True
            ),
            "A table of the reviewer's decisions (PROJ_ID, DECISION, REASON, REVIEWER, DATE), such as the decisions "
            "layer of the GeoPackage the quick-screen dock records into: DECISION is a verdict (pass, conditional, fail, "
            "need_info, or its Chinese name) or 'confirm'; a row without a reason is refused. It is only read, never written.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "VALID_DAYS", self.tr("Report validity (days)"), NUMBER_INTEGER, DEFAULT_VALID_DAYS, minValue=1
            ),
            "Each report is valid for this many days, or until the scheme version it rests on is replaced, whichever is first.",
            advanced=True,
        )
        for name, label, help_text in (
            ("OVERLAPS", "Unit overlaps", "Intersections of each project with each unit: measures and shares."),
            ("ZONE_HITS", "Element-zone hits", "Intersections of each project with each element zone."),
        ):
            self._add(
                QgsProcessingParameterFeatureSink(
                    name, self.tr(label), SOURCE_VECTOR_ANY_GEOMETRY, optional=True, createByDefault=True
                ),
                help_text,
            )
        self._add(
            QgsProcessingParameterFeatureSink(
                "CLAUSES", self.tr("Applicable clauses"), SOURCE_VECTOR, optional=True, createByDefault=True
            ),
            "One row per project, unit and clause, with level, dimension, kind, text, industry match and a compliance column.",
        )
        self._add(
            QgsProcessingParameterFeatureSink("VERDICTS", self.tr("Verdicts"), SOURCE_VECTOR_ANY_GEOMETRY),
            "One row per project: verdict, its reasons, the units hit, the share outside the units, the report file.",
        )
        self._add(
            QgsProcessingParameterFolderDestination(
                "REPORT_FOLDER", self.tr("Report folder"), optional=True, createByDefault=False
            ),
            "When set: per project a PDF, a Word (.docx, with the EIA paragraph) and an HTML report with a map; index.html "
            "and summary.xlsx list them all. A project screened into the same folder before keeps its old report under "
            "superseded/, and the new one names it and what changed.",
        )
        for verdict in VERDICTS:
            self._add_output(QgsProcessingOutputNumber(f"{verdict.upper()}_COUNT", self.tr(f"Projects: {verdict}")))
        self._add_output(QgsProcessingOutputNumber("PROJECT_COUNT", self.tr("Number of projects")))

        self._add_repair_tolerance()

    # Layers are read through feature sources made here, on the main thread; screening runs in processAlgorithm
    # (a worker thread from the toolbox); the maps and PDFs are rendered in postProcessAlgorithm, which QGIS
    # runs on the main thread again. The state kept on self lives for one run of this instance only.
    def prepareAlgorithm(self, parameters, context, feedback):
        units_layer = self.parameterAsVectorLayer(parameters, "UNITS", context)
        if units_layer is None:
            raise QgsProcessingException("The unit layer (UNITS) could not be opened: choose a valid layer.")
        self._units = PreparedLayer(units_layer, context.transformContext())
        self._zones = None
        if parameters.get("ZONES"):
            self._zones = [
                PreparedLayer(layer, context.transformContext())
                for layer in self.parameterAsLayerList(parameters, "ZONES", context)
            ]
        self._decisions_path = ""
        if parameters.get("DECISIONS"):
            decisions = self.parameterAsVectorLayer(parameters, "DECISIONS", context)
            if decisions is not None:
                self._decisions_path = os.path.realpath(decisions.source().split("|")[0])
        self._render = None
        return True

    def run_algorithm(self, parameters, context, feedback):
        rules_path = self.parameterAsFile(parameters, "RULES", context) if parameters.get("RULES") else ""
        try:
            rules = load_rules(rules_path or None)
        except EcoZoningError as exc:
            raise QgsProcessingException(str(exc)) from exc
        taxonomy = load_taxonomy_param(self, parameters, context)
        library = open_library(self, parameters, context)
        self._refuse_overwriting_decisions(parameters, context)
        projects_source = require_source(self, parameters, "PROJECTS", context, "The project layer")
        label = f"Project layer {layer_label(projects_source, 'PROJECTS')}"
        if projects_source.featureCount() == 0:
            raise QgsProcessingException(f"{label} is empty: there is no project to screen.")
        id_field = self.parameterAsString(parameters, "ID_FIELD", context)
        require_field(projects_source, id_field, label, "project ids")
        optional = {}
        for key in ("NAME_FIELD", "INDUSTRY_FIELD", "BUFFER_FIELD"):
            value = self.parameterAsString(parameters, key, context)
            if value:
                require_field(projects_source, value, label, key.lower().replace("_field", "s"))
            optional[key] = value
        buffer_default = self.parameterAsDouble(parameters, "BUFFER", context)
        projects, seen = [], {}
        duplicates = set()
        unreadable = {}
        for fid, geom, attrs in read_features(projects_source, context, feedback, label=label):
            pid = str(attrs.get(id_field) if attrs.get(id_field) is not None else "").strip() or f"fid{fid}"
            if pid in seen:
                duplicates.add(pid)
            seen[pid] = fid
            buffer = buffer_default
            if optional["BUFFER_FIELD"] and attrs.get(optional["BUFFER_FIELD"]) not in (None, ""):
                try:
                    buffer = float(attrs[optional["BUFFER_FIELD"]])
                except (TypeError, ValueError):
                    feedback.reportError(
                        f"{label}, feature {fid}: buffer '{attrs[optional['BUFFER_FIELD']]}' is not a number; {buffer_default:g} m used"
                    )
            buffer = check_buffer(buffer, f"{label}, feature {fid} ({pid})")
            industry = attrs.get(optional["INDUSTRY_FIELD"]) if optional["INDUSTRY_FIELD"] else ""
            _, bad = normalize_industry(industry)
            if bad:
                unreadable[pid] = bad
                feedback.pushWarning(f"{label}, feature {fid}: industry code parts not understood: {', '.join(bad)}")
            name = attrs.get(optional["NAME_FIELD"]) if optional["NAME_FIELD"] else ""
            projects.append(make_project(pid, geom, name or "", industry or "", buffer))
        try:
            units = read_units(self._units, feedback.isCanceled)
            zones = read_zones(self._zones, feedback.isCanceled) if self._zones is not None else None
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for layer in [self._units, *(self._zones or [])]:
            for message in layer.messages:
                feedback.pushWarning(message)
        unit_label = f"Unit layer '{self._units.name}'"
        if self._units.field(schema.CODE, schema.FIELD_ALIASES[schema.CODE]) is None:
            raise QgsProcessingException(
                f"{unit_label} has no field '{schema.CODE}' (unit codes). Its fields are: {', '.join(self._units.fields)}."
            )
        if not units.targets:
            raise QgsProcessingException(f"{unit_label} has no units.")
        feedback.pushInfo(
            f"{len(projects)} projects, {len(units.targets)} units, {len(zones) if zones is not None else 0} element zones"
        )

        results = screen(
            projects,
            units.targets,
            zones,
            library,
            rules,
            feedback.isCanceled,
            lambda f: feedback.setProgress(int(80 * f)),
        )
        for result in results:
            if result.project.pid in duplicates:
                result.reasons.append(
                    (
                        "need_info",
                        "duplicate_id",
                        f"项目编号重复 The id {result.project.pid} is used by more than one project",
                    )
                )
                result.verdict = next(v for v in rules.order if v in {r[0] for r in result.reasons})

        decisions = {}
        if parameters.get("DECISIONS"):
            decisions_source = require_source(self, parameters, "DECISIONS", context, "The decisions table")
            dec_label = f"审查意见表 {layer_label(decisions_source, 'DECISIONS')}"
            system = {r.project.pid: r.verdict for r in results}
            try:
                decisions = decisions_from_rows(
                    (
                        (fid, attrs)
                        for fid, _, attrs in read_features(decisions_source, context, feedback, label=dec_label)
                    ),
                    dec_label,
                    system,
                )
            except DecisionError as exc:
                raise QgsProcessingException(str(exc)) from exc
            unknown = sorted(set(decisions) - set(system))
            if unknown:
                feedback.pushWarning(f"{dec_label}: decisions for projects not screened here: {', '.join(unknown)}")

        valid_days = self.parameterAsInt(parameters, "VALID_DAYS", context)
        basis = make_basis(
            library, self._units.name, self._units.sha256(), rules, taxonomy, valid_days, "EcoZoning screenprojects"
        )
        folder = self.parameterAsString(parameters, "REPORT_FOLDER", context) if parameters.get("REPORT_FOLDER") else ""
        writer = ReportWriter(folder, basis, library, taxonomy, units, decisions, zones is not None) if folder else None
        names = report_basenames([r.project.pid for r in results])
        planned = []
        for result in results:
            report = build_report(
                result, basis, library, taxonomy, decisions.get(result.project.pid), None, "", zones is not None
            )
            planned.append((result, names[result.project.pid], report))

        buffered = buffer_default > 0 or bool(optional["BUFFER_FIELD"])
        geometry_type = _sink_type(projects_source.wkbType(), buffered)
        outputs = {}
        hit_fields = make_fields(HIT_FIELDS)
        for name, attribute in (("OVERLAPS", "unit_hits"), ("ZONE_HITS", "zone_hits")):
            sink, dest = self.parameterAsSink(parameters, name, context, hit_fields, geometry_type, STORAGE_CRS)
            if sink is None:
                continue
            for result in results:
                for hit in getattr(result, attribute):
                    values = {
                        "PROJ_ID": result.project.pid, "CODE": hit.target.code, "NAME": hit.target.name[:254],
                        "CLASS": hit.target.target_class, "SUBTYPE": hit.target.key,
                        "AREA_M2": round(hit.measure, 3) if result.kind == "area" else None,
                        "AREA_HA": round(hit.measure / 10000, 6) if result.kind == "area" else None,
                        "LENGTH_M": round(hit.measure, 3) if result.kind == "length" else None,
                        "SHARE_PROJ": round(hit.share_project, 6),
                        "SHARE_UNIT": round(hit.share_target, 8) if hit.share_target is not None else None,
                    }  # fmt: skip
                    write(
                        sink,
                        _feature(hit_fields, values, hit.geom, geometry_type),
                        f"an overlap of {result.project.pid}",
                    )
            outputs[name] = dest
        clause_fields = make_fields(CLAUSE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "CLAUSES", context, clause_fields, NO_GEOMETRY)
        if sink is not None:
            for result in results:
                for row in result.clauses:
                    values = {
                        "PROJ_ID": result.project.pid, "UNIT_CODE": row.unit_code, "CLAUSE_ID": row.clause.id,
                        "LEVEL": row.level, "LEVEL_ZH": LEVEL_LABELS.get(row.level, row.level),
                        "DIMENSION": row.clause.dimension, "KIND": row.clause.kind, "TEXT": row.clause.text,
                        "INDUSTRIES": ",".join(row.clause.industries),
                        "IND_MATCH": {True: "yes", False: "no", None: ""}[row.industry_match], "COMPLIANCE": "",
                    }  # fmt: skip
                    write(sink, new_feature(clause_fields, values), f"a clause row of {result.project.pid}")
            outputs["CLAUSES"] = dest

        verdict_fields = make_fields(VERDICT_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "VERDICTS", context, verdict_fields, geometry_type, STORAGE_CRS)
        for result, base, report in planned:
            reasons = [r for v, _, r in result.reasons if v == result.verdict] + [
                f"[{v}] {r}" for v, _, r in result.reasons if v != result.verdict
            ]
            decision = report.decision
            values = {
                "PROJ_ID": result.project.pid, "NAME": result.project.name[:254], "INDUSTRY": result.project.industry[:20],
                "VERDICT": result.verdict, "VERDICT_ZH": VERDICT_LABELS[result.verdict], "REASONS": "；".join(reasons),
                "UNITS": ",".join(h.target.code for h in result.unit_hits), "OUTSIDE": round(result.outside_share, 6),
                "REPORT_NO": report.number, "VALID_TO": basis.valid_until.isoformat(),
                "DECISION": decision.decision if decision else "",
                "DEC_ZH": VERDICT_LABELS[decision.decision] if decision else "",
                "DEC_REASON": decision.reason if decision else "", "REVIEWER": decision.reviewer if decision else "",
                "DEC_DATE": decision.time if decision else "",
                "REPORT": f"{base}.html" if folder else "", "REPORT_PDF": f"{base}.pdf" if folder else "",
                "REPORT_DOC": f"{base}.docx" if folder else "",
            }  # fmt: skip
            write(
                sink,
                _feature(verdict_fields, values, result.footprint, geometry_type),
                f"the verdict of {result.project.pid}",
            )
        outputs["VERDICTS"] = dest
        from ..styling import style_output  # verdicts by verdict, applied once the layer is loaded

        style_output(context, dest, "verdicts")
        for verdict in VERDICTS:
            outputs[f"{verdict.upper()}_COUNT"] = sum(r.verdict == verdict for r in results)
        outputs["PROJECT_COUNT"] = len(results)
        feedback.pushInfo(" · ".join(f"{VERDICT_LABELS[v]} {outputs[f'{v.upper()}_COUNT']}" for v in VERDICTS))
        if folder:
            outputs["REPORT_FOLDER"] = folder
            self._render = (writer, [(result, base) for result, base, _ in planned])
        self._outputs = outputs
        return outputs

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802 - QGIS API
        """Maps and PDFs are drawn here, on the main thread (QGIS runs postProcessAlgorithm there)."""
        outputs = dict(getattr(self, "_outputs", {}) or {})
        render, self._render = getattr(self, "_render", None), None
        if render is None:
            return outputs
        writer, jobs = render
        try:
            for n, (result, base) in enumerate(jobs):
                if feedback.isCanceled():
                    break
                feedback.setProgress(int(100 * n / max(len(jobs), 1)))
                writer.write(result, base)
            index, summary = writer.finish()
        except (OSError, RuntimeError, ValueError) as exc:
            raise QgsProcessingException(
                f"无法写出研判报告 Cannot write the reports to {writer.folder}: {exc}"
            ) from exc
        feedback.pushInfo(f"{len(writer.rows)} reports, {index}, {summary}")
        return outputs

    def _refuse_overwriting_decisions(self, parameters, context):
        """A sink written into the reviewer's decision GeoPackage would replace it: say so instead."""
        if not self._decisions_path:
            return
        for name in ("OVERLAPS", "ZONE_HITS", "CLAUSES", "VERDICTS"):
            if not parameters.get(name):
                continue
            target = self.parameterAsOutputLayer(parameters, name, context) or ""
            path = target.split("|")[0]
            if path.startswith("ogr:"):
                continue  # a layer added to an existing database, not a new file
            if path and os.path.realpath(path) == self._decisions_path:
                raise QgsProcessingException(
                    f"{name} 会覆盖审查意见文件 {path}：请将结果写到其他文件。"
                    f" {name} would overwrite the reviewer's decisions in {path}: write it to another file."
                )


def _feature(fields, values, geom, geometry_type):
    feature = new_feature(fields, values)
    if geom is not None and not geom.is_empty:
        qgs = to_qgs(geom)
        converted = qgs.coerceToType(geometry_type)
        if converted:
            feature.setGeometry(converted[0])
    return feature
