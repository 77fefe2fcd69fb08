"""ecozoning:validateunits — check a unit layer: coverage, codes, fields, geometry."""

from __future__ import annotations

import datetime
import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ...core import schema
from ...core.validate import (
    ISSUE_KINDS,
    Tolerances,
    UnitRecord,
    count_by_kind,
    html_report,
    repaired_issues,
    validate_units,
)
from ..adapter import (
    STORAGE_CRS,
    layer_label,
    make_fields,
    new_feature,
    read_counties,
    read_features,
    require_polygons,
    require_source,
    write,
)
from ..compat import MULTIPOLYGON, NUMBER_DOUBLE, SOURCE_POLYGON
from ..i18n import core_message
from .base import EcoZoningAlgorithm, parallel_params, severity_outputs

ISSUE_FIELDS = [
    ("KIND", "str", 24),
    (schema.CODE, "str", 20),
    ("OTHER", "str", 20),
    ("XZQDM", "str", 6),
    ("SRC_FID", "int", 0),
    ("AREA_M2", "float", 0),
    ("MESSAGE", "str", 254),
    ("SEVERITY", "str", 8),
]


class ValidateUnits(EcoZoningAlgorithm):
    NAME = "validateunits"
    DISPLAY = "Validate environmental control units"
    GROUP_ID = "units"
    HELP_EN = (
        "Checks a unit layer (made by this plugin or by hand) against the admin areas: gaps and overlaps "
        "(full coverage of every county), slivers, units crossing a county line or lying outside the admin area, "
        "invalid or empty geometries, malformed or duplicate codes (ZH + 6 digits + class + 4 digits), a class digit "
        "that differs from ZHGKDYFL, county digits that differ from XZQDM, MJ that differs from the measured area, "
        "and missing fields. Writes an ISSUES layer (with the geometry of each problem), a count per kind and an "
        "HTML report. Works on QGIS 3.22 and later."
    )
    HELP_ZH = (
        "按行政区检查环境管控单元图层（本插件生成或手工制作均可）：缝隙与重叠（各县全域覆盖）、碎图斑、跨县界或超出"
        "行政区的单元、无效或空几何、编码格式错误或重复（ZH + 6位县级代码 + 类别 + 4位序号）、编码类别位与 ZHGKDYFL "
        "不符、县级代码与 XZQDM 不符、MJ 与实测面积不符以及缺少字段。输出问题图层 ISSUES（含问题位置几何）、"
        "各类问题数量和 HTML 报告。适用于 QGIS 3.22 及以上版本。"
    )

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_POLYGON]
        self._add(
            QgsProcessingParameterFeatureSource("UNITS", self.tr("Control units"), polygon),
            "The unit layer to check (fields HJGKDYBM, HJGKDYMC, ZHGKDYFL, XZQDM, MJ).",
        )
        self._add(
            QgsProcessingParameterFeatureSource("ADMIN", self.tr("Admin areas (counties)"), polygon),
            "County polygons the units must cover exactly.",
        )
        self._add(
            QgsProcessingParameterField(
                "ADMIN_CODE_FIELD",
                self.tr("County code field"),
                defaultValue="XZQDM",
                parentLayerParameterName="ADMIN",
                optional=True,
            ),
            "Field with the 6-digit county code.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "GAP_TOLERANCE",
                self.tr("Gap and overlap tolerance (m²)"),
                NUMBER_DOUBLE,
                1.0,
                minValue=0.0,
            ),
            "Gaps, overlaps and areas outside the county smaller than this are rounding and not reported.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "SLIVER_AREA", self.tr("Sliver area (m²)"), NUMBER_DOUBLE, 100.0, minValue=0.0
            ),
            "Unit parts smaller than this (or hair-thin parts under 1 ha) are reported as slivers.",
        )
        self._add_parallel_parameters()
        self._add(
            QgsProcessingParameterFeatureSink("ISSUES", self.tr("Validation issues"), SOURCE_POLYGON),
            "One feature per problem, with its location where it has one.",
        )
        self._add(
            QgsProcessingParameterFileDestination(
                "REPORT_HTML", self.tr("HTML report"), "HTML files (*.html)", optional=True, createByDefault=True
            ),
            "A report a reviewer can read: counts per kind and every issue.",
        )
        self._add_severity_outputs()
        self._add_output(QgsProcessingOutputNumber("ISSUE_COUNT", self.tr("Number of issues")))
        for kind in ISSUE_KINDS:
            self._add_output(QgsProcessingOutputNumber(f"COUNT_{kind.upper()}", self.tr(f"Issues: {kind}")))

        self._add_repair_tolerance()

    def run_algorithm(self, parameters, context, feedback):
        source = require_source(self, parameters, "UNITS", context, "The unit layer")
        label = f"Unit layer {layer_label(source, 'UNITS')}"
        require_polygons(source, label)
        counties = read_counties(self, parameters, context, feedback)
        repairs: dict = {}
        units = [
            UnitRecord(fid, geom, attrs)
            for fid, geom, attrs in read_features(source, context, feedback, label=label, span=(0, 20), repairs=repairs)
        ]
        tolerances = Tolerances(
            gap_m2=self.parameterAsDouble(parameters, "GAP_TOLERANCE", context),
            overlap_m2=self.parameterAsDouble(parameters, "GAP_TOLERANCE", context),
            sliver_m2=self.parameterAsDouble(parameters, "SLIVER_AREA", context),
        )
        workers, scheduler = parallel_params(self, parameters, context)
        issues = validate_units(
            units,
            counties,
            source.fields().names(),
            tolerances,
            feedback.isCanceled,
            lambda f: feedback.setProgress(20 + 80 * f),
            scheduler=scheduler,
            workers=workers,
        )
        if feedback.isCanceled():  # a partial check must not look like a result
            return {}
        issues[:0] = repaired_issues(units, repairs)
        fields = make_fields(ISSUE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "ISSUES", context, fields, MULTIPOLYGON, STORAGE_CRS)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "ISSUES"))
        write_issues(sink, fields, issues)
        counts = count_by_kind(issues)
        outputs = {"ISSUES": dest, "ISSUE_COUNT": len(issues), **{f"COUNT_{k.upper()}": v for k, v in counts.items()}}
        outputs.update(severity_outputs(issues, feedback))
        report_path = self.parameterAsFileOutput(parameters, "REPORT_HTML", context)
        if report_path:
            context_rows = {
                "单元图层 Unit layer": label,
                "单元数 Units": str(len(units)),
                "县数 Counties": str(len(counties)),
                "容差 Tolerance": f"{tolerances.gap_m2:g} m²",
                "时间 Checked": datetime.datetime.now().isoformat(timespec="seconds"),
            }
            os.makedirs(os.path.dirname(os.path.abspath(report_path)), exist_ok=True)
            with open(report_path, "w", encoding="utf-8") as handle:
                handle.write(html_report(issues, "环境管控单元检查报告 Unit validation report", context_rows))
            outputs["REPORT_HTML"] = report_path
        for kind, n in counts.items():
            if n:
                feedback.pushWarning(f"{kind}: {n}")
        feedback.pushInfo(f"{len(issues)} issues in {len(units)} units")
        from ..styling import style_output  # issues by kind, applied once the layer is loaded

        style_output(context, dest, "issues")
        return outputs


def write_issues(sink, fields, issues) -> None:
    """One feature per issue, with its location (a point location drawn as a small disc)."""
    for issue in issues:
        geom = issue.geom if issue.geom is not None and issue.geom.geom_type in ("Polygon", "MultiPolygon") else None
        if issue.geom is not None and geom is None:
            geom = issue.geom.buffer(1e-5)
        values = {
            "KIND": issue.kind,
            schema.CODE: issue.code,
            "OTHER": issue.other,
            "XZQDM": issue.county,
            "SRC_FID": issue.fid,
            "AREA_M2": round(issue.area_m2, 3),
            "MESSAGE": core_message(issue.message)[:254],
            "SEVERITY": issue.severity,
        }
        write(sink, new_feature(fields, values, geom), f"issue {issue.kind}")
