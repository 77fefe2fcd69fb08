"""ecozoning:checkfiling — verify a filing package (备案包) received from elsewhere."""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ...core import schema
from ...core.filing_archive import PackageError, safe_extract
from ...core.filing_report import count_by_kind, report_html
from ...core.filing_rules import (
    ADMIN_GPKG,
    FILING_CRS,
    FILING_KINDS,
    LAYERS,
    LIST_TABLE,
    UNITS_GPKG,
    ZONES_GPKG,
    Problem,
    check_codes,
    check_copy,
    check_copy_texts,
    check_coverage,
    check_fields,
    check_files,
    check_list_table,
    check_metadata,
    load_metadata,
    sha256_file,
)
from ...core.validate import Tolerances
from ..adapter import make_fields, new_feature, read_features, write
from ..compat import NO_GEOMETRY, NUMBER_DOUBLE, POLYGON_GEOMETRY, SOURCE_VECTOR
from .base import EcoZoningAlgorithm, severity_outputs

ISSUE_FIELDS = [
    ("KIND", "str", 24),
    ("FILE", "str", 120),
    ("REF", "str", 60),
    ("MESSAGE", "str", 254),
    ("SEVERITY", "str", 8),
]
MAX_TOTAL_BYTES = 2 * 1024**3
REPORT_METADATA = ("producer", "scheme_level", "region_code", "version", "update_type", "approval_doc", "date")


class CheckFiling(EcoZoningAlgorithm):
    NAME = "checkfiling"
    DISPLAY = "Check filing package"
    GROUP_ID = "units"
    HELP_EN = (
        "Verifies a filing package (.zip made by Export filing package, or by hand in the same layout) before it "
        "is accepted. The archive is extracted into a temporary folder (deleted afterwards) only if it is safe: "
        "entries with absolute paths, drive letters, '..' components, links or special files, encrypted entries, "
        "more than 10,000 entries or over 2 GiB uncompressed refuse the whole package. Then it checks the "
        "SHA-256 and size of every file against manifest.json, files missing from or not listed in the manifest, "
        "the metadata (producer, scheme level, region code, version, update type, approval document, date, CRS, "
        "counts), the CRS (EPSG:4490) and fields of units, zones and admin layers, the Shapefile copies, unit codes "
        "(format, uniqueness, class digit against ZHGKDYFL), full coverage of the admin area (gaps, overlaps, "
        "county crossings, geometry) and that every unit has one row in 附表1 and every row a unit. Writes one "
        "ISSUES row per problem (kind, file, reference, message), a count per kind and an HTML report. A clean "
        "package gives 0 issues."
    )
    HELP_ZH = (
        "在接收备案包（由“导出备案包”生成或按相同结构手工制作的 .zip）之前进行核验。压缩包仅在安全时解压到临时文件夹"
        "（检查后删除）：含绝对路径、盘符、“..”路径、链接或特殊文件、加密条目、条目超过 10000 个或解压后超过 2 GiB 的，"
        "整个备案包被拒绝。随后检查：各文件的 SHA-256 与大小是否与 manifest.json 一致，是否缺少文件或有清单外文件；"
        "元数据（编制单位、方案层级、行政区代码、版本、更新类型、批复文号、日期、坐标系、数量）是否完整有效；"
        "单元、要素分区和行政区图层的坐标系（EPSG:4490）与字段，Shapefile 副本是否一致；单元编码格式、唯一性及类别位"
        "与 ZHGKDYFL 是否一致；单元是否全域覆盖行政区（缝隙、重叠、跨县界、几何问题）；每个单元在附表1中有且仅有一行，"
        "附表1的每行都有对应单元。每个问题输出一行（类型、文件、对象、说明），并输出各类问题数量和 HTML 报告。"
        "备案包无问题时问题数为 0。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFile("PACKAGE", self.tr("Filing package (.zip)"), extension="zip"),
            "The filing package to verify: a .zip with data/, tables/, maps/, metadata.json, validation.html "
            "and manifest.json.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "GAP_TOLERANCE",
                self.tr("Gap and overlap tolerance (m²)"),
                NUMBER_DOUBLE,
                1.0,
                minValue=0.0,
            ),
            "Gaps, overlaps and areas outside a county smaller than this are rounding and not reported.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFeatureSink("ISSUES", self.tr("Package problems"), SOURCE_VECTOR),
            "One row per problem: kind, file of the package, reference (unit code, field, county…) and message.",
        )
        self._add(
            QgsProcessingParameterFileDestination(
                "REPORT_HTML", self.tr("HTML report"), "HTML files (*.html)", optional=True, createByDefault=True
            ),
            "A report for the receiving department: the package, its metadata, counts per kind and every problem.",
        )
        self._add_severity_outputs()
        self._add_output(QgsProcessingOutputNumber("ISSUE_COUNT", self.tr("Number of problems")))
        for kind in FILING_KINDS:
            self._add_output(QgsProcessingOutputNumber(f"COUNT_{kind.upper()}", self.tr(f"Problems: {kind}")))

    def run_algorithm(self, parameters, context, feedback):
        package = self.parameterAsFile(parameters, "PACKAGE", context)
        if not package or not os.path.isfile(package):
            raise QgsProcessingException(f"The filing package '{package}' does not exist: choose the .zip to check.")
        tolerance = self.parameterAsDouble(parameters, "GAP_TOLERANCE", context)
        workdir = tempfile.mkdtemp(prefix="ecozoning-checkfiling-")
        try:
            try:
                safe_extract(package, workdir, max_total_bytes=MAX_TOTAL_BYTES)
            except PackageError as exc:
                raise QgsProcessingException(
                    f"Filing package {package}: {exc}. Nothing of it was kept; ask the sender for a package made "
                    "by Export filing package."
                ) from exc
            feedback.setProgress(10)
            problems, meta = self._check(workdir, tolerance, context, feedback)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            if os.path.exists(workdir):
                feedback.pushWarning(f"Could not delete the temporary folder {workdir}; delete it by hand.")

        fields = make_fields(ISSUE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "ISSUES", context, fields, NO_GEOMETRY)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "ISSUES"))
        for problem in problems:
            values = {
                "KIND": problem.kind,
                "FILE": problem.file[:120],
                "REF": problem.ref[:60],
                "MESSAGE": problem.message[:254],
                "SEVERITY": problem.severity,
            }
            write(sink, new_feature(fields, values), "a problem row")
        counts = count_by_kind(problems)
        outputs = {"ISSUES": dest, "ISSUE_COUNT": len(problems), **severity_outputs(problems, feedback)}
        outputs.update({f"COUNT_{kind.upper()}": n for kind, n in counts.items()})
        report_path = self.parameterAsFileOutput(parameters, "REPORT_HTML", context)
        if report_path:
            rows = {"备案包 Package": package, "SHA-256": sha256_file(package)}
            if meta:
                for key in REPORT_METADATA:
                    rows[f"metadata.{key}"] = str(meta.get(key, ""))
            rows["时间 Checked"] = datetime.datetime.now().isoformat(timespec="seconds")
            os.makedirs(os.path.dirname(os.path.abspath(report_path)), exist_ok=True)
            with open(report_path, "w", encoding="utf-8") as handle:
                handle.write(report_html(problems, "备案包核验报告 Filing package check", rows))
            outputs["REPORT_HTML"] = report_path
        for problem in problems[:50]:
            feedback.pushWarning(str(problem))
        feedback.pushInfo(f"{len(problems)} problems in {os.path.basename(package)}")
        return outputs

    def _check(self, folder, tolerance, context, feedback):
        problems: list[Problem] = check_files(folder)  # before any layer is opened: GDAL may add -wal files
        meta, meta_problems = load_metadata(folder)
        problems += meta_problems
        feedback.setProgress(20)
        data = {}
        for rel in (UNITS_GPKG, ZONES_GPKG, ADMIN_GPKG):
            if feedback.isCanceled():
                return problems, meta
            data[rel] = self._read_layer(folder, rel, LAYERS[rel], problems, context, feedback)
        for rel, shp in ((UNITS_GPKG, "data/units.shp"), (ZONES_GPKG, "data/zones.shp")):
            copy = self._read_layer(folder, shp, "", problems, context, feedback, copy=True)
            if data[rel] is not None and copy is not None:
                key = schema.CODE if rel == UNITS_GPKG else "YSBM"
                problems += check_copy(
                    [a.get(key) for _, _, a in data[rel]], [a.get(key) for _, _, a in copy], shp, rel
                )
                problems += check_copy_texts(
                    [a for _, _, a in data[rel]], [a for _, _, a in copy], key, shp, (meta or {}).get("shp_encoding")
                )
        feedback.setProgress(40)
        units, admin = data[UNITS_GPKG], data[ADMIN_GPKG]
        if meta is not None:
            problems += check_metadata(
                meta,
                unit_count=len(units) if units is not None else None,
                county_codes=[a.get("XZQDM") for _, _, a in units] if units is not None else None,
            )
        if units is not None:
            problems += check_codes(units)
            problems += check_list_table(
                os.path.join(folder, *LIST_TABLE.split("/")), [a.get(schema.CODE) for _, _, a in units]
            )
            if admin is not None and not feedback.isCanceled():
                admin_rows = [
                    (fid, geom, a.get("XZQDM"), a.get("COUNTY"), a.get("CITY"), a.get("PROV")) for fid, geom, a in admin
                ]
                tolerances = Tolerances(gap_m2=tolerance, overlap_m2=tolerance)
                problems += check_coverage(units, admin_rows, tolerances)
        feedback.setProgress(100)
        return problems, meta

    def _read_layer(self, folder, rel, layer_name, problems, context, feedback, copy=False):
        """[(fid, geometry, attrs)] of one layer of the package, or None (with a problem) when unusable."""
        path = os.path.join(folder, *rel.split("/"))
        if not os.path.isfile(path):
            return None  # reported as a missing file
        uri = f"{path}|layername={layer_name}" if layer_name else path
        layer = QgsVectorLayer(uri, rel, "ogr", QgsVectorLayer.LayerOptions(False, False))
        try:
            if not layer.isValid():
                what = f"no layer '{layer_name}'" if layer_name else "not readable"
                problems.append(Problem("bad_layer", rel, layer_name, f"{what}: {layer.error().summary()}"))
                return None
            crs = layer.crs()
            if not crs.isValid() or crs.authid() != FILING_CRS:
                found = crs.authid() or crs.description() or "no CRS"
                problems.append(Problem("crs", rel, found, f"the layer's CRS is {found}, a package uses {FILING_CRS}"))
            if QgsWkbTypes.geometryType(layer.wkbType()) != POLYGON_GEOMETRY:
                found = QgsWkbTypes.displayString(layer.wkbType())
                problems.append(Problem("bad_layer", rel, layer_name, f"holds {found} geometries, not polygons"))
                return None
            if not copy:
                problems.extend(check_fields(rel, layer.fields().names()))
            # as they are: a package's invalid geometry is a problem to report, not to repair
            return list(read_features(layer, context, feedback, label=rel, repair=False))
        finally:
            del layer
