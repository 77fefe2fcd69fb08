"""ecozoning:exportfiling — a complete, verifiable filing package (备案) in one reproducible zip."""

from __future__ import annotations

import configparser
import csv
import datetime
import hashlib
import os
import shutil
import tempfile

import shapely
from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ...core import filing, schema
from ...core.compare import VersionUnit, compare
from ...core.compare import report_html as update_report
from ...core.list_table import UnitInfo, export_list_table, numbered_text
from ...core.lists import DIMENSIONS, validate_library
from ...core.projection import area_m2, zone_for_geometry
from ...core.schema import CODE_LENGTH, PACKAGE_LAYOUT
from ...core.severity import count_by_severity
from ...core.taxonomy import load_taxonomy
from ...core.validate import UnitRecord, count_by_kind, html_report, validate_units
from ..adapter import read_counties, read_features, require_field, require_source
from ..compat import FILE_FOLDER, SOURCE_POLYGON
from ..filing_writers import export_class_map, write_vector
from .base import EcoZoningAlgorithm, severity_outputs
from .export_list_table import DIMENSION_FIELDS
from .lists_common import LibraryParameters, open_library, open_store

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
UNIT_SPEC = [(schema.CODE, "str", CODE_LENGTH), (schema.NAME, "str", 254), (schema.CLASS, "int", 0), (schema.SUBTYPE, "str", 40),
             ("XZQDM", "str", 6), ("PROV", "str", 50), ("CITY", "str", 50), ("COUNTY", "str", 50), ("MJ", "float", 0),
             ("YSBM", "str", 0), ("BBH", "str", 20)] + [(DIMENSION_FIELDS[d], "str", 0) for d in DIMENSIONS]  # fmt: skip
ZONE_SPEC = [
    ("YSBM", "str", 20),
    ("YSMC", "str", 254),
    ("HJYS", "str", 20),
    ("YSXL", "str", 40),
    ("GKFL", "int", 0),
    ("XZQDM", "str", 6),
]
ADMIN_SPEC = [("XZQDM", "str", 6), ("COUNTY", "str", 50), ("CITY", "str", 50), ("PROV", "str", 50)]
SCHEME_LEVELS = list(filing.SCHEME_LEVELS)
UPDATE_TYPES = list(filing.UPDATE_TYPES)
ENCODINGS = ["UTF-8", "GBK"]


def content_sha256(rows) -> str:
    """A digest of features (geometry and attributes), for inputs that are not files."""
    digest = hashlib.sha256()
    for _, geom, attrs in sorted(rows, key=lambda r: str(sorted((k, str(v)) for k, v in r[2].items()))):
        digest.update(repr(sorted((k, str(v)) for k, v in attrs.items())).encode("utf-8"))
        digest.update(shapely.to_wkb(geom, output_dimension=2) if geom is not None else b"")
    return digest.hexdigest()


def plugin_version() -> str:
    config = configparser.ConfigParser()
    config.read(os.path.join(PLUGIN_DIR, "metadata.txt"), encoding="utf-8")
    return config.get("general", "version", fallback="")


class ExportFiling(EcoZoningAlgorithm, LibraryParameters):
    NAME = "exportfiling"
    DISPLAY = "Export filing package"
    GROUP_ID = "filing"
    HELP_EN = (
        "Writes the filing package for the higher-level ecology department as one zip: units and element zones as "
        "GeoPackage (EPSG:4490, with the four admission-list texts on every unit) and as Shapefile copies with .prj and "
        ".cpg (UTF-8 or GBK; texts over 254 bytes are cut there and the cuts are listed in the validation report), the "
        "附表1 list table, statistics (count and area per class per county, prefecture and in total; element-zone area per "
        "subtype) as xlsx and csv, a class map made with QGIS's layout engine (PDF and PNG), metadata.json, "
        "validation.html and manifest.json with the SHA-256 and size of every file. The same inputs and DATE give a "
        "byte-identical zip; the zip is written to a temporary file and renamed at the end, and an existing package is "
        "only replaced when OVERWRITE is set. With PREVIOUS units, the package also explains the update (comparison/)."
    )
    HELP_ZH = (
        "生成报上一级生态环境主管部门备案的材料包（zip）：管控单元和要素分区的 GeoPackage（EPSG:4490，单元附四个维度的准入清单"
        "文本）及 Shapefile 副本（含 .prj、.cpg，UTF-8 或 GBK 编码；超过 254 字节的文本会被截断，截断情况列入检查报告），附表1 清单表，"
        "统计表（分县、分市及合计的各类单元数量和面积，各类要素分区面积，xlsx 和 csv），用 QGIS 制图引擎生成的单元分类图（PDF、PNG），"
        "metadata.json、validation.html 及记录每个文件 SHA-256 和大小的 manifest.json。相同输入和 DATE 生成的 zip 逐字节相同；"
        "先写入临时文件再改名，失败时不会留下不完整的材料包；已有材料包仅在勾选 OVERWRITE 时替换。给出 PREVIOUS 时附带更新说明（comparison/）。"
    )

    def flags(self):
        # the class map is drawn with QGIS's layout engine, which wants the main thread
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_POLYGON]
        self._add(
            QgsProcessingParameterFeatureSource("UNITS", self.tr("Control units"), polygon),
            "The units to file (from Delineate).",
        )
        self._add(
            QgsProcessingParameterMultipleLayers(
                "ZONES", self.tr("Standardized element zones"), SOURCE_POLYGON, optional=True
            ),
            "Element-zone layers (YSBM, YSXL…); an imported scheme may have none (the zone layer is then empty).",
        )
        self._add_library_parameters()
        self._add(
            QgsProcessingParameterFeatureSource("ADMIN", self.tr("Admin areas (counties)"), polygon),
            "The counties the units must cover.",
        )
        self._add(
            QgsProcessingParameterField(
                "ADMIN_CODE_FIELD", self.tr("County code field"), "XZQDM", "ADMIN", optional=True
            ),
            "6-digit county codes.",
        )
        for name, label in (
            ("COUNTY_FIELD", "County name field"),
            ("CITY_FIELD", "Prefecture name field"),
            ("PROV_FIELD", "Province name field"),
        ):
            self._add(
                QgsProcessingParameterField(name, self.tr(label), None, "ADMIN", optional=True),
                "Optional names written to data/admin.gpkg.",
            )
        self._add(
            QgsProcessingParameterString("PRODUCER", self.tr("Producer")), "Who made the scheme (unit or company)."
        )
        self._add(
            QgsProcessingParameterEnum(
                "SCHEME_LEVEL", self.tr("Scheme level"), SCHEME_LEVELS, defaultValue="city", usesStaticStrings=True
            ),
            "province or city.",
        )
        self._add(
            QgsProcessingParameterString("REGION_CODE", self.tr("Region code (6 digits)")),
            "Code of the province or prefecture the scheme covers.",
        )
        self._add(
            QgsProcessingParameterString("VERSION", self.tr("Version"), defaultValue="V1"), "Version of the scheme."
        )
        self._add(
            QgsProcessingParameterEnum(
                "UPDATE_TYPE", self.tr("Update type"), UPDATE_TYPES, defaultValue="initial", usesStaticStrings=True
            ),
            "initial, dynamic or periodic.",
        )
        self._add(
            QgsProcessingParameterString("APPROVAL_DOC", self.tr("Approval document number"), optional=True),
            "e.g. 哈政发〔2024〕1号.",
        )
        self._add(
            QgsProcessingParameterString(
                "DATE", self.tr("Date (YYYY-MM-DD)"), defaultValue=datetime.date.today().isoformat()
            ),
            "Date of the package; every timestamp in it.",
        )
        self._add(
            QgsProcessingParameterEnum(
                "SHP_ENCODING", self.tr("Shapefile encoding"), ENCODINGS, defaultValue="UTF-8", usesStaticStrings=True
            ),
            "Many receiving systems read GBK.",
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "PREVIOUS", self.tr("Previous version of the units"), polygon, optional=True
            ),
            "With it, comparison/ explains the update.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFile(
                "PREVIOUS_LIBRARY", self.tr("Previous admission-list library"), FILE_FOLDER, optional=True
            ),
            "For the list changes of the update.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterBoolean("OVERWRITE", self.tr("Replace an existing package"), defaultValue=False),
            "Without it an existing zip is never replaced.",
        )
        self._add(
            QgsProcessingParameterFileDestination("OUTPUT", self.tr("Filing package (.zip)"), "Zip archives (*.zip)"),
            "The zip to write.",
        )
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Units in the package")))
        self._add_severity_outputs()
        self._add_output(QgsProcessingOutputNumber("ISSUE_COUNT", self.tr("Validation issues")))

        self._add_repair_tolerance()

    def run_algorithm(self, parameters, context, feedback):
        text = {
            k: self.parameterAsString(parameters, k, context).strip()
            for k in (
                "PRODUCER",
                "REGION_CODE",
                "VERSION",
                "APPROVAL_DOC",
                "DATE",
                "SCHEME_LEVEL",
                "UPDATE_TYPE",
                "SHP_ENCODING",
            )
        }
        try:
            date = filing.parse_date(text["DATE"])
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if not text["REGION_CODE"].isdigit() or len(text["REGION_CODE"]) != 6:
            raise QgsProcessingException(f"REGION_CODE must be a 6-digit code, got '{text['REGION_CODE']}'")
        if not text["PRODUCER"]:
            raise QgsProcessingException("PRODUCER is required: who made the scheme.")
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        if not output.lower().endswith(".zip"):
            raise QgsProcessingException(f"OUTPUT must be a .zip file, got {output}")
        if os.path.exists(output) and not self.parameterAsBool(parameters, "OVERWRITE", context):
            raise QgsProcessingException(f"{output} exists: set OVERWRITE to replace it, or choose another file.")
        store, library = open_store(self, parameters, context)
        revision = store.revision()
        store.close()
        counties = read_counties(
            self,
            parameters,
            context,
            feedback,
            prov_param="PROV_FIELD",
            city_param="CITY_FIELD",
            county_param="COUNTY_FIELD",
        )
        units_source = require_source(self, parameters, "UNITS", context, "The unit layer")
        require_field(units_source, schema.CODE, "The unit layer", "unit codes")
        units = list(read_features(units_source, context, feedback, label="Unit layer", span=(0, 5)))
        zones = []
        zone_layers = self.parameterAsLayerList(parameters, "ZONES", context)
        for n, layer in enumerate(zone_layers):
            require_field(layer, "YSXL", f"Zone layer '{layer.name()}'", "subtype keys")
            span = (5 + 5 * n / len(zone_layers), 5 + 5 * (n + 1) / len(zone_layers))
            zones += list(read_features(layer, context, feedback, label=f"Zone layer '{layer.name()}'", span=span))

        for stale in filing.remove_stale_workdirs(
            tempfile.gettempdir(), "ecozoning-filing-"
        ) + filing.remove_stale_part(output):
            feedback.pushInfo(self.tr("Removed {path}, left by an export that was stopped").format(path=stale))
        work = filing.make_workdir(tempfile.gettempdir(), "ecozoning-filing-")
        try:
            for folder in ("data", "tables", "maps"):
                os.makedirs(os.path.join(work, folder))
            feedback.setProgress(10)
            infos, unit_rows, stats = [], [], []
            gk_zones = {c.code: zone_for_geometry(c.geom) for c in counties}
            for _, geom, attrs in sorted(units, key=lambda u: str(u[2].get(schema.CODE))):
                if geom is None or geom.is_empty:
                    continue
                code = str(attrs.get(schema.CODE) or "").strip()
                cls = schema.unit_class(attrs.get(schema.CLASS), code)
                if cls is None:
                    raise QgsProcessingException(
                        self.tr(
                            "Unit layer: unit '{code}' has class '{value}' and a code without a class digit: set "
                            "ZHGKDYFL to 1, 2 or 3 (or fix HJGKDYBM) and run again."
                        ).format(code=code, value=attrs.get(schema.CLASS))
                    )
                county_code = schema.normalize_county_code(attrs.get("XZQDM")) or schema.county_from_code(code) or ""
                info = UnitInfo(
                    code,
                    str(attrs.get(schema.NAME) or ""),
                    str(attrs.get("CITY") or ""),
                    str(attrs.get("COUNTY") or ""),
                    cls,
                    [str(attrs.get(schema.SUBTYPE) or "")],
                )
                texts = numbered_text(library, info)
                values = {name: attrs.get(name) for name, _, _ in UNIT_SPEC if name in attrs}
                values.update({DIMENSION_FIELDS[d]: texts[d] for d in DIMENSIONS})
                values.update({schema.CLASS: cls, "XZQDM": county_code or values.get("XZQDM")})
                infos.append(info)
                unit_rows.append((geom, values))
                area = filing.unit_area_km2(geom, attrs.get("MJ"), gk_zones.get(county_code))
                if area is None:
                    area = float(area_m2(geom, gk_zones.get(county_code))) / 1e6
                    feedback.pushWarning(
                        self.tr(
                            "Unit {code}: MJ = {mj} differs from the geometry's {area} km²; the statistics use the "
                            "geometry (validation.html reports the difference)"
                        ).format(code=code, mj=attrs.get("MJ"), area=f"{area:.6f}")
                    )
                stats.append(filing.UnitStat(code, cls, county_code, info.county, info.city, area))
            if not unit_rows:
                raise QgsProcessingException("The unit layer has no units with geometry.")
            zone_rows = [
                (g, {n: a.get(n) for n, _, _ in ZONE_SPEC})
                for _, g, a in sorted(zones, key=lambda z: str(z[2].get("YSBM")))
                if g is not None and not g.is_empty
            ]
            admin_rows = [
                (c.geom, {"XZQDM": c.code, "COUNTY": c.name, "CITY": c.city, "PROV": c.prov}) for c in counties
            ]
            write_vector(os.path.join(work, PACKAGE_LAYOUT["units"]), "units", UNIT_SPEC, unit_rows, date)
            write_vector(os.path.join(work, PACKAGE_LAYOUT["zones"]), "zones", ZONE_SPEC, zone_rows, date)
            write_vector(os.path.join(work, PACKAGE_LAYOUT["admin"]), "admin", ADMIN_SPEC, admin_rows, date)
            cuts = write_vector(
                os.path.join(work, "data", "units.shp"),
                "units",
                UNIT_SPEC,
                unit_rows,
                date,
                "ESRI Shapefile",
                text["SHP_ENCODING"],
            )
            cuts += write_vector(
                os.path.join(work, "data", "zones.shp"),
                "zones",
                ZONE_SPEC,
                zone_rows,
                date,
                "ESRI Shapefile",
                text["SHP_ENCODING"],
            )
            feedback.setProgress(40)
            table = os.path.join(work, PACKAGE_LAYOUT["list_table"])
            export_list_table(library, infos, table)
            filing.normalize_xlsx(table, date)
            zone_areas: dict[str, float] = {}
            for _, geom, attrs in zones:
                if geom is not None and not geom.is_empty:
                    zone_areas[str(attrs.get("YSXL"))] = (
                        zone_areas.get(str(attrs.get("YSXL")), 0.0) + float(area_m2(geom)) / 1e6
                    )
            filing.write_statistics(
                filing.statistics_rows(stats, zone_areas),
                os.path.join(work, PACKAGE_LAYOUT["statistics_csv"]),
                os.path.join(work, PACKAGE_LAYOUT["statistics_xlsx"]),
                date,
            )
            feedback.setProgress(55)
            records = [UnitRecord(fid, geom, attrs) for fid, geom, attrs in units]
            issues = validate_units(records, counties, units_source.fields().names())
            list_problems = validate_library(library, unit_codes=[i.code for i in infos])
            checklist = {
                "日期 Date": text["DATE"],
                "单元 Units": str(len(unit_rows)),
                "清单问题 List problems": str(len(list_problems)),
                "Shapefile 截断 Shapefile cuts": "; ".join(cuts[:50]) + (f" … ({len(cuts)})" if len(cuts) > 50 else "")
                if cuts
                else "0",
            }
            with open(os.path.join(work, PACKAGE_LAYOUT["validation"]), "w", encoding="utf-8") as handle:
                handle.write(html_report(issues, "备案材料检查报告 Filing validation report", checklist))
            feedback.setProgress(65)
            region = next((c.city for c in counties if c.city), "") or text["REGION_CODE"]
            export_class_map(
                os.path.join(work, PACKAGE_LAYOUT["units"]),
                f"{region}环境管控单元分类图",
                f"数据来源：{text['PRODUCER']}\n版本：{text['VERSION']}  日期：{text['DATE']}\n坐标系：CGCS2000",
                os.path.join(work, PACKAGE_LAYOUT["map_pdf"]),
                os.path.join(work, PACKAGE_LAYOUT["map_png"]),
                date,
                load_taxonomy(),
            )
            feedback.setProgress(80)
            comparison_files = self._comparison(parameters, context, feedback, work, units, library)
            class_area = {str(c): round(sum(s.area_km2 for s in stats if s.unit_class == c), 6) for c in (1, 2, 3)}
            # SHA-256 of each input file (of its features' content when it is not a file, e.g. a memory layer)
            inputs = {"library": revision.split(":", 1)[1] if revision.startswith("sha256:") else revision}
            admin_content = [(c.fid, c.geom, {"XZQDM": c.code, "COUNTY": c.name}) for c in counties]
            for name, rows in (("UNITS", units), ("ADMIN", admin_content)):
                layer = self.parameterAsVectorLayer(parameters, name, context)
                path = layer.source().split("|")[0] if layer is not None else ""
                inputs[name.lower()] = filing.sha256_file(path) if os.path.isfile(path) else content_sha256(rows)
            for layer in self.parameterAsLayerList(parameters, "ZONES", context):
                path = layer.source().split("|")[0]
                key = f"zones:{os.path.basename(path) if os.path.isfile(path) else layer.name()}"
                inputs[key] = (
                    filing.sha256_file(path)
                    if os.path.isfile(path)
                    else content_sha256(list(read_features(layer, context, feedback)))
                )
            metadata = {
                "producer": text["PRODUCER"], "scheme_level": text["SCHEME_LEVEL"], "region_code": text["REGION_CODE"],
                "version": text["VERSION"], "update_type": text["UPDATE_TYPE"], "approval_doc": text["APPROVAL_DOC"],
                "date": text["DATE"], "crs": "EPSG:4490", "shp_encoding": text["SHP_ENCODING"],
                "counts": {"units": len(unit_rows), "zones": len(zone_rows), "counties": len(counties),
                           **{f"class{c}": sum(s.unit_class == c for s in stats) for c in (1, 2, 3)}},
                "areas_km2": {**{f"class{c}": class_area[str(c)] for c in (1, 2, 3)}, "total": round(sum(s.area_km2 for s in stats), 6)},
                "validation": {k: v for k, v in count_by_kind(issues).items() if v},
                "validation_severity": count_by_severity(issues),
                "comparison": comparison_files,
                "tool": {"name": "EcoZoning", "version": plugin_version()},
                "inputs_sha256": inputs,
                "library_revision": revision,
            }  # fmt: skip
            filing.write_json(os.path.join(work, PACKAGE_LAYOUT["metadata"]), metadata)
            filing.write_json(os.path.join(work, PACKAGE_LAYOUT["manifest"]), filing.manifest(work))
            os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
            filing.deterministic_zip(work, output, date)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        feedback.pushInfo(
            f"filing package with {len(unit_rows)} units written to {output}; {len(issues)} validation issues"
        )
        return {
            "OUTPUT": output,
            "UNIT_COUNT": len(unit_rows),
            "ISSUE_COUNT": len(issues),
            **severity_outputs(issues, feedback),
        }

    def _comparison(self, parameters, context, feedback, work, units, library) -> list[str]:
        if not parameters.get("PREVIOUS"):
            return []
        source = require_source(self, parameters, "PREVIOUS", context, "The previous unit layer")

        def version(rows):
            return [VersionUnit(str(a.get(schema.CODE)), int(a.get(schema.CLASS) or str(a.get(schema.CODE))[8]), str(a.get(schema.SUBTYPE) or ""),
                                str(a.get("XZQDM") or str(a.get(schema.CODE))[2:8]), g, str(a.get(schema.NAME) or ""))
                    for _, g, a in rows if g is not None and not g.is_empty]  # fmt: skip

        previous_library = None
        if parameters.get("PREVIOUS_LIBRARY"):
            previous_library = open_library(self, parameters, context, "PREVIOUS_LIBRARY")
        result = compare(
            version(read_features(source, context, feedback, label="Previous units")),
            version(units),
            previous_library,
            library if previous_library else None,
        )
        os.makedirs(os.path.join(work, "comparison"))
        with open(os.path.join(work, "comparison", "更新说明.html"), "w", encoding="utf-8") as handle:
            handle.write(
                update_report(result, {"版本 Version": self.parameterAsString(parameters, "VERSION", context)})
            )
        rows = [["code", "status", "old_km2", "new_km2", "came_from", "went_to"]]
        for c in result.unit_changes:
            rows.append([c.code, ",".join(c.statuses), round(c.old_area_m2 / 1e6, 6), round(c.new_area_m2 / 1e6, 6),
                         ";".join(f"{k}:{v:.4f}" for k, v in c.came_from), ";".join(f"{k}:{v:.4f}" for k, v in c.went_to)])  # fmt: skip
        with open(
            os.path.join(work, "comparison", "unit_changes.csv"), "w", encoding="utf-8-sig", newline=""
        ) as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        transitions = [["from", "to", "area_km2"]] + [
            [str(a), str(b), round(v / 1e6, 6)]
            for (a, b), v in sorted(result.transitions.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1])))
        ]
        with open(os.path.join(work, "comparison", "transitions.csv"), "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(transitions)
        return ["comparison/更新说明.html", "comparison/unit_changes.csv", "comparison/transitions.csv"]
