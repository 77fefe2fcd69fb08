"""ecozoning:screenprojects — project footprints in, overlaps, clauses, verdicts and fileable reports out."""

from __future__ import annotations

import datetime
import os
import re

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

from ...core.errors import EcoZoningError
from ...core.filing import sha256_file
from ...core.library_store import folder_digest
from ...core.lists import LEVEL_LABELS
from ...core.screening import VERDICT_LABELS, VERDICTS, Project, Target, index_html, load_rules, report_html, screen
from ...core.taxonomy import load_taxonomy
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
    POLYGON_GEOMETRY,
    SOURCE_POLYGON,
    SOURCE_VECTOR,
    SOURCE_VECTOR_ANY_GEOMETRY,
)
from ..report_render import footprint_layer, html_to_pdf, padded_extent, render_map, units_style_layer
from .base import EcoZoningAlgorithm
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
    ("REPORT", "str", 254),
]


def _sink_type(source_type, buffered: bool):
    geometry_type = QgsWkbTypes.geometryType(source_type)
    if buffered:
        return MULTIPOLYGON
    if geometry_type == POLYGON_GEOMETRY:
        return MULTIPOLYGON
    return QgsWkbTypes.multiType(QgsWkbTypes.flatType(source_type))


def library_digest(root: str) -> str:
    return folder_digest(root) if os.path.isdir(root) else root  # a team database library: its label


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
        "lies partly outside the units). REPORT_FOLDER receives one HTML and one PDF report per project, with a map, "
        "and an index page, stamped with the SHA-256 of the unit layer and of the library. A bad project never stops "
        "the batch: it gets need_info with the reason.\n"
        "Enforcement (执法监管线索筛选): run it on a layer of existing enterprises (points with industry codes); the "
        "fail and conditional rows of VERDICTS are the leads."
    )
    HELP_ZH = (
        "对项目范围（点、线或面，任意坐标系，可设缓冲）开展环境准入研判：列出每个项目涉及的环境管控单元和环境要素管控分区，"
        "重叠面积（平方米、公顷，线状项目为长度）及其占项目和占单元的比例；列出适用的全部准入条款及其层级、是否与项目"
        "行业代码（GB/T 4754）匹配，并留出符合性一栏供审查人员填写；按规则文件给出研判结论（判定通过、受限准入、"
        "判定不通过、待补充信息）及理由（默认：占用生态保护红线、水环境优先保护区或触及本行业禁止类条款为不通过；"
        "涉及优先保护单元或本行业限制类条款为受限准入；缺少行业代码或部分位于单元覆盖范围外为待补充信息）。"
        "REPORT_FOLDER 中为每个项目生成含地图的 HTML 和 PDF 报告及汇总页，并注明单元图层和清单库的 SHA-256。"
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
            "When set: one HTML and one PDF report per project, with a map, and index.html.",
        )
        for verdict in VERDICTS:
            self._add_output(QgsProcessingOutputNumber(f"{verdict.upper()}_COUNT", self.tr(f"Projects: {verdict}")))
        self._add_output(QgsProcessingOutputNumber("PROJECT_COUNT", self.tr("Number of projects")))

    def run_algorithm(self, parameters, context, feedback):
        rules_path = self.parameterAsFile(parameters, "RULES", context) if parameters.get("RULES") else ""
        try:
            rules = load_rules(rules_path or None)
        except EcoZoningError as exc:
            raise QgsProcessingException(str(exc)) from exc
        library = open_library(self, parameters, context)
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
            projects.append(
                Project(
                    pid=pid,
                    geom=geom,
                    name=str(attrs.get(optional["NAME_FIELD"]) or "") if optional["NAME_FIELD"] else "",
                    industry=str(attrs.get(optional["INDUSTRY_FIELD"]) or "").strip()
                    if optional["INDUSTRY_FIELD"]
                    else "",
                    buffer_m=buffer,
                )
            )
        units_layer = self.parameterAsVectorLayer(parameters, "UNITS", context)
        if units_layer is None:
            raise QgsProcessingException("The unit layer (UNITS) could not be opened: choose a valid layer.")
        unit_label = f"Unit layer '{units_layer.name()}'"
        require_field(units_layer, "HJGKDYBM", unit_label, "unit codes")
        unit_fields = units_layer.fields().names()
        units = []
        for _, geom, attrs in read_features(units_layer, context, feedback, label=unit_label):
            if geom is None or geom.is_empty:
                continue
            code = str(attrs.get("HJGKDYBM") or "")
            unit_class = attrs.get("ZHGKDYFL") if "ZHGKDYFL" in unit_fields else None
            unit_class = (
                int(unit_class)
                if unit_class not in (None, "")
                else (int(code[8]) if re.match(r"^ZH\d{7}", code) else 3)
            )
            units.append(
                Target(
                    code,
                    str(attrs.get("HJGKDYMC") or ""),
                    unit_class,
                    str(attrs.get("GKDYLX") or ""),
                    geom,
                    str(attrs.get("XZQDM") or ""),
                )
            )
        if not units:
            raise QgsProcessingException(f"{unit_label} has no units.")
        zones = None
        if parameters.get("ZONES"):
            zones = []
            for layer in self.parameterAsLayerList(parameters, "ZONES", context):
                zone_label = f"Zone layer '{layer.name()}'"
                require_field(layer, "YSXL", zone_label, "subtype keys (run 'Standardize element zones' first)")
                for _, geom, attrs in read_features(layer, context, feedback, label=zone_label):
                    if geom is not None and not geom.is_empty:
                        zones.append(
                            Target(
                                str(attrs.get("YSBM") or ""),
                                str(attrs.get("YSMC") or ""),
                                int(attrs.get("GKFL") or 3),
                                str(attrs.get("YSXL") or ""),
                                geom,
                                str(attrs.get("XZQDM") or ""),
                            )
                        )
        feedback.pushInfo(
            f"{len(projects)} projects, {len(units)} units, {len(zones) if zones is not None else 0} element zones"
        )

        results = screen(
            projects, units, zones, library, rules, feedback.isCanceled, lambda f: feedback.setProgress(int(80 * f))
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

        report_files = {}
        folder = self.parameterAsString(parameters, "REPORT_FOLDER", context) if parameters.get("REPORT_FOLDER") else ""
        if folder:
            report_files = self._write_reports(folder, results, units_layer, library, feedback)
            outputs["REPORT_FOLDER"] = folder

        verdict_fields = make_fields(VERDICT_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "VERDICTS", context, verdict_fields, geometry_type, STORAGE_CRS)
        for result in results:
            reasons = [r for v, _, r in result.reasons if v == result.verdict] + [
                f"[{v}] {r}" for v, _, r in result.reasons if v != result.verdict
            ]
            values = {
                "PROJ_ID": result.project.pid, "NAME": result.project.name[:254], "INDUSTRY": result.project.industry,
                "VERDICT": result.verdict, "VERDICT_ZH": VERDICT_LABELS[result.verdict], "REASONS": "；".join(reasons),
                "UNITS": ",".join(h.target.code for h in result.unit_hits), "OUTSIDE": round(result.outside_share, 6),
                "REPORT": report_files.get(result.project.pid, ""),
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
        return outputs

    def _write_reports(self, folder, results, units_layer, library, feedback) -> dict[str, str]:
        os.makedirs(folder, exist_ok=True)
        source_path = units_layer.source().split("|")[0]
        stamp = {
            "单元图层 Units": units_layer.name(),
            "单元图层 SHA-256": sha256_file(source_path) if os.path.isfile(source_path) else "(memory layer)",
            "准入清单 Library": f"{library.name} {library.version}",
            "清单库 SHA-256": library_digest(library.root),
            "日期 Date": datetime.date.today().isoformat(),
            "工具 Tool": "EcoZoning",
        }
        styled = units_style_layer(units_layer, load_taxonomy())
        files = {}
        for n, result in enumerate(results):
            if feedback.isCanceled():
                break
            feedback.setProgress(80 + int(20 * n / max(len(results), 1)))
            base = re.sub(r"[^\w\-.]+", "_", result.project.pid)[:80] or f"project{n}"
            image = ""
            if result.footprint is not None:
                image = f"{base}.png"
                render_map(
                    [footprint_layer(result.footprint, result.kind), styled],
                    padded_extent(result.footprint),
                    os.path.join(folder, image),
                )
            text = report_html(result, stamp, image, library)
            with open(os.path.join(folder, f"{base}.html"), "w", encoding="utf-8") as handle:
                handle.write(text)
            html_to_pdf(text, folder, os.path.join(folder, f"{base}.pdf"))
            files[result.project.pid] = f"{base}.html"
        with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as handle:
            handle.write(index_html(results, stamp, files))
        return files


def _feature(fields, values, geom, geometry_type):
    feature = new_feature(fields, values)
    if geom is not None and not geom.is_empty:
        qgs = to_qgs(geom)
        converted = qgs.coerceToType(geometry_type)
        if converted:
            feature.setGeometry(converted[0])
    return feature
