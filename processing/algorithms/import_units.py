"""ecozoning:importunits — a department's own unit layer → the standard unit layer every other algorithm takes."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
)

from ...core import schema
from ...core.geometry import repair
from ...core.import_units import (
    ROLES,
    area_in_km2,
    dbf_encoding,
    detect_fields,
    duplicates,
    max_serials,
    message,
    read_unit,
)
from ...core.projection import area_m2
from ...core.schema import CODE_LENGTH
from ...core.validate import Tolerances, UnitRecord, validate_units
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
from ..compat import MULTIPOLYGON, NO_GEOMETRY, SOURCE_POLYGON, SOURCE_VECTOR
from .base import EcoZoningAlgorithm, user_language
from .delineate_units import UNIT_FIELDS
from .validate_units import ISSUE_FIELDS, write_issues

OVERRIDES = (
    ("CODE_FIELD", "code", "Unit code field"),
    ("NAME_FIELD", "name", "Unit name field"),
    ("CLASS_FIELD", "class", "Class field (1/2/3, or the class written out)"),
    ("TYPE_FIELD", "type", "Unit type field (e.g. the type text of an industrial-park key control unit)"),
    ("COUNTY_CODE_FIELD", "county_code", "County code field (6 digits)"),
    ("COUNTY_FIELD", "county", "County name field"),
    ("CITY_FIELD", "city", "Prefecture name field"),
    ("PROV_FIELD", "prov", "Province name field"),
    ("AREA_FIELD", "area", "The source's own area field"),
)
REPORT_FIELDS = [
    ("SRC_FID", "int", 0),
    (schema.CODE, "str", 40),
    ("STATUS", "str", 10),
    (schema.CLASS, "int", 0),
    ("CLASS_FROM", "str", 10),
    ("XZQDM", "str", 6),
    ("MJ", "float", 0),
    ("SRC_MJ", "float", 0),
    ("DIFF_PCT", "float", 0),
    ("REPAIRED", "int", 0),
    ("MESSAGE", "str", 0),
]
SOURCE_AREA_FIELD = "YMJ"  # the source's own area (km²), kept beside the measured MJ


class ImportUnits(EcoZoningAlgorithm):
    NAME = "importunits"
    DISPLAY = "Import an existing unit layer"
    GROUP_ID = "units"
    HELP_EN = (
        "Brings a published unit layer in (GeoPackage, Shapefile in UTF-8 or GBK with or without .cpg, PostGIS; any "
        "CRS, projected CGCS2000 Gauss–Krüger zones included) and writes the standard unit layer the other "
        "algorithms take: HJGKDYBM, HJGKDYMC, ZHGKDYFL, XZQDM, PROV, CITY, COUNTY, MJ (km², measured in the "
        "Gauss–Krüger zone), BBH, ZDXH, in EPSG:4490. Fields are found by the names real schemes use "
        "(HJGKDYBM/HJZHGKDYBM/DYBM/管控单元编码, HJGKDYMC/HJZHGKDYMC/管控单元名称, ZHGKDYFL or a type text such as "
        "园区型重点管控单元1, XZQDM/AREA, PROV/SHENG/省, CITY/SHI/市, AREA/COUNTY/XIAN/县; case ignored) unless "
        "given. Codes are kept as they are: malformed codes and class digits that contradict the class field are "
        "reported per feature; duplicate codes stop the run naming both features. Invalid geometries are repaired "
        "and reported; overlaps are reported, and with ADMIN the gaps and county crossings too (the checks of "
        "validateunits). The source's own area field is kept as YMJ (km²) and its difference reported. REPORT has "
        "one row per feature: how each field was read, repairs and warnings."
    )
    HELP_ZH = (
        "导入已发布的环境管控单元图层（GeoPackage、UTF-8 或 GBK 编码的 Shapefile（有无 .cpg 均可）、PostGIS；"
        "任意坐标系，包括 CGCS2000 高斯-克吕格投影带），输出其他算法使用的标准单元图层：HJGKDYBM、HJGKDYMC、"
        "ZHGKDYFL、XZQDM、PROV、CITY、COUNTY、MJ（平方公里，按高斯-克吕格投影带实测）、BBH、ZDXH，坐标系 EPSG:4490。"
        "未指定字段时按常见字段名自动识别（HJGKDYBM/HJZHGKDYBM/DYBM/管控单元编码，HJGKDYMC/HJZHGKDYMC/管控单元名称，"
        "ZHGKDYFL 或“园区型重点管控单元1”等类型文字，XZQDM/AREA，PROV/SHENG/省，CITY/SHI/市，AREA/COUNTY/XIAN/县；"
        "不区分大小写）。编码按原样保留：格式不符或类别位与分类字段矛盾的逐要素报告；编码重复则报错并指明两个要素。"
        "无效几何自动修复并报告；报告重叠，提供 ADMIN 时还报告缝隙和跨县界（与 validateunits 相同的检查）。"
        "原有面积字段保留为 YMJ（平方公里）并报告差异。REPORT 每个要素一行：各字段的读取方式、修复和警告。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFeatureSource("INPUT", self.tr("Published unit layer"), [SOURCE_POLYGON]),
            "The department's unit polygons, in their own fields and CRS.",
        )
        for name, _role, label in OVERRIDES:
            self._add(
                QgsProcessingParameterField(name, self.tr(label), parentLayerParameterName="INPUT", optional=True),
                "Leave empty to find the field by its usual names.",
                advanced=name not in ("CODE_FIELD", "NAME_FIELD", "CLASS_FIELD"),
            )
        self._add(
            QgsProcessingParameterFeatureSource(
                "ADMIN", self.tr("Admin areas (counties)"), [SOURCE_POLYGON], optional=True
            ),
            "County polygons: when given, gaps, county crossings and units outside the area are reported too.",
        )
        self._add(
            QgsProcessingParameterField(
                "ADMIN_CODE_FIELD",
                self.tr("County code field"),
                defaultValue="XZQDM",
                parentLayerParameterName="ADMIN",
                optional=True,
            ),
            "Field of the admin layer holding the 6-digit county code.",
        )
        self._add(
            QgsProcessingParameterString("VERSION", self.tr("Version (BBH)"), defaultValue="", optional=True),
            "Written to BBH when the layer has no version field of its own.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Imported units"), SOURCE_POLYGON),
            "The standard unit layer (EPSG:4490).",
        )
        self._add(
            QgsProcessingParameterFeatureSink("REPORT", self.tr("Import report"), SOURCE_VECTOR),
            "One row per source feature: how each field was read, repairs and warnings.",
        )
        self._add(
            QgsProcessingParameterFeatureSink(
                "ISSUES", self.tr("Validation issues"), SOURCE_POLYGON, optional=True, createByDefault=False
            ),
            "Overlaps, gaps and other problems found by the checks of validateunits, with their location.",
        )
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Number of units")))
        self._add_output(QgsProcessingOutputNumber("WARNING_COUNT", self.tr("Number of features with warnings")))

    def run_algorithm(self, parameters, context, feedback):
        lang = user_language()
        source = require_source(self, parameters, "INPUT", context, "The unit layer")
        label = f"Unit layer {layer_label(source, 'INPUT')}"
        source = _with_dbf_encoding(self, parameters, context, feedback, source, label, lang)
        require_polygons(source, label)
        _check_zone_prefix(source, label)
        names = source.fields().names()
        repaired_on_read: dict = {}  # the shared validity check repairs in the layer's own CRS
        rows = list(read_features(source, context, feedback, label=label, repairs=repaired_on_read))
        overrides = {}
        for name, role, _label in OVERRIDES:
            value = self.parameterAsString(parameters, name, context)
            if value:
                if value not in names:
                    raise QgsProcessingException(
                        f"{label} has no field '{value}' ({name}). Its fields are: {', '.join(names)}"
                    )
                overrides[role] = value
        fields_by_role, notes = detect_fields(names, [attrs for _fid, _geom, attrs in rows], overrides)
        for note in notes:
            (feedback.reportError if note.severity == "error" else feedback.pushInfo)(f"{label}: {note.text(lang)}")
        if not fields_by_role.get("code"):
            raise QgsProcessingException(
                f"{label} has no unit code field (HJGKDYBM, HJZHGKDYBM, DYBM, 管控单元编码 …). Its fields are: "
                f"{', '.join(names)}. Choose it in CODE_FIELD."
            )
        units = [read_unit(fid, attrs, fields_by_role) for fid, _geom, attrs in rows]
        dupes = duplicates(units)
        if dupes:
            raise QgsProcessingException(
                f"{label}: "
                + "; ".join(message("duplicate", lang, code=c, fid=first, other=later) for c, first, later in dupes)
                + ". Every unit needs its own code: correct the layer and run again."
            )
        highest = max_serials(units)
        version_field = next((n for n in names if n.upper() == "BBH"), None)
        version = self.parameterAsString(parameters, "VERSION", context)

        spec = [(n, k, CODE_LENGTH if n == schema.CODE else length) for n, k, length in UNIT_FIELDS]
        has_area = bool(fields_by_role.get("area"))
        if has_area:
            spec.append((SOURCE_AREA_FIELD, "float", 0))
        out_fields = make_fields(spec)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, out_fields, MULTIPOLYGON, STORAGE_CRS)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        report_fields = make_fields(REPORT_FIELDS)
        report, report_dest = self.parameterAsSink(parameters, "REPORT", context, report_fields, NO_GEOMETRY)
        if report is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "REPORT"))

        records: list[UnitRecord] = []
        measured: dict[int, tuple[float, float | None, bool]] = {}
        for n, ((fid, geom, attrs), unit) in enumerate(zip(rows, units)):
            if feedback.isCanceled():
                return {}
            feedback.setProgress(int(80 * n / max(len(units), 1)))
            fixed, reason = repair(geom)
            reason = reason or repaired_on_read.get(fid, "")
            if fixed.is_empty:
                unit.warn("empty", "error")
                measured[fid] = (0.0, unit.source_area, False)
                continue
            if reason:
                unit.warn("repaired", reason=reason)
            km2 = float(area_m2(fixed)) / 1e6
            source_km2 = area_in_km2(unit.source_area, km2) if unit.source_area is not None else None
            if source_km2 is not None and km2 > 0:
                unit.warn(
                    "area_diff",
                    "info" if abs(source_km2 - km2) <= 0.01 * km2 else "warning",
                    source=source_km2,
                    measured=km2,
                    percent=100 * (source_km2 - km2) / km2,
                )
            measured[fid] = (km2, source_km2, bool(reason))
            serial_key = (unit.code[2:8], int(unit.code[8])) if len(unit.code) > 8 and unit.code[8].isdigit() else None
            values = {
                schema.CODE: unit.code,
                schema.NAME: unit.name,
                schema.CLASS: unit.unit_class,
                schema.SUBTYPE: "",
                "XZQDM": unit.county_code,
                "PROV": unit.prov,
                "CITY": unit.city,
                "COUNTY": unit.county,
                "MJ": round(km2, 6),
                "YSBM": "",
                "BBH": str(attrs.get(version_field) or "") if version_field else version,
                "BZ": "",
                "ZDXH": highest.get(serial_key, 0) if serial_key else 0,
            }
            if has_area:
                values[SOURCE_AREA_FIELD] = round(source_km2, 6) if source_km2 is not None else None
            write(sink, new_feature(out_fields, values, fixed), f"unit {unit.code} (feature {fid})")
            records.append(UnitRecord(fid, fixed, values))

        counties = read_counties(self, parameters, context, feedback) if parameters.get("ADMIN") else []
        issues = validate_units(records, counties, [f for f, _k, _n in spec], Tolerances())
        geometric = ("overlap", "crosses_county", "outside_admin", "sliver", "county_mismatch", "gap")
        if not counties:  # without ADMIN there is no county to compare with
            issues = [i for i in issues if i.kind != "county_mismatch"]
        by_fid: dict[int, list[str]] = {}
        for issue in issues:
            if issue.kind in geometric and issue.fid is not None:
                by_fid.setdefault(issue.fid, []).append(issue.message)
            elif issue.kind == "gap":
                feedback.pushWarning(f"{label}: {issue.message}")
        issue_sink, issue_dest = self.parameterAsSink(
            parameters, "ISSUES", context, make_fields(ISSUE_FIELDS), MULTIPOLYGON, STORAGE_CRS
        )
        if issue_sink is not None:
            write_issues(issue_sink, make_fields(ISSUE_FIELDS), issues)

        warned = 0
        for unit in units:
            km2, source_km2, repaired = measured.get(unit.fid, (0.0, None, False))
            texts = [note.text(lang) for note in unit.notes] + by_fid.get(unit.fid, [])
            severities = {note.severity for note in unit.notes}
            status = (
                "error"
                if "error" in severities
                else "warning"
                if "warning" in severities or unit.fid in by_fid
                else "ok"
            )
            warned += status != "ok"
            values = {
                "SRC_FID": unit.fid,
                schema.CODE: unit.code,
                "STATUS": status,
                schema.CLASS: unit.unit_class,
                "CLASS_FROM": unit.class_source,
                "XZQDM": unit.county_code,
                "MJ": round(km2, 6),
                "SRC_MJ": round(source_km2, 6) if source_km2 is not None else None,
                "DIFF_PCT": round(100 * (source_km2 - km2) / km2, 3) if source_km2 is not None and km2 else None,
                "REPAIRED": int(repaired),
                "MESSAGE": "; ".join(texts),
            }
            write(report, new_feature(report_fields, values), f"the report row of feature {unit.fid}")
            for text in texts:
                if status != "ok":
                    feedback.pushWarning(text)
        used = ", ".join(f"{role}←{fields_by_role[role]}" for role in ROLES if fields_by_role.get(role))
        feedback.pushInfo(f"{label}: {len(records)} units imported ({used}); {warned} with warnings")
        outputs = {"OUTPUT": dest, "REPORT": report_dest, "UNIT_COUNT": len(records), "WARNING_COUNT": warned}
        if issue_sink is not None:
            outputs["ISSUES"] = issue_dest
        return outputs


def _with_dbf_encoding(algorithm, parameters, context, feedback, source, label, lang):
    """A Shapefile without .cpg is read by QGIS as UTF-8, which garbles GBK text beyond repair: reopen it with the
    encoding its .dbf bytes show, and say so."""
    import os

    from qgis.core import QgsProcessingFeatureSource, QgsVectorLayer

    layer = algorithm.parameterAsVectorLayer(parameters, "INPUT", context)
    if layer is None or layer.providerType() != "ogr":
        return source
    path = layer.source().split("|")[0]
    if not path.lower().endswith(".shp") or os.path.exists(os.path.splitext(path)[0] + ".cpg"):
        return source
    encoding = dbf_encoding(path)
    if encoding in (None, "UTF-8"):
        return source
    reopened = QgsVectorLayer(path, layer.name(), "ogr")
    reopened.setProviderEncoding(encoding)
    if not reopened.isValid():
        return source
    if context.temporaryLayerStore().addMapLayer(reopened) is None:
        return source
    feedback.pushWarning(f"{label}: {message('encoding', lang, encoding=encoding)}")
    return QgsProcessingFeatureSource(reopened, context)


def _check_zone_prefix(source, label: str) -> None:
    """A Gauss–Krüger layer whose eastings carry a zone prefix its CRS does not (or the reverse) would land far
    from China: refuse, naming the CRS that fits the coordinates."""
    crs = source.sourceCrs()
    authid = crs.authid() if crs.isValid() else ""
    if not authid.startswith("EPSG:"):
        return
    code = int(authid.split(":")[1])
    extent = source.sourceExtent()
    if extent.isNull() or extent.isEmpty():
        return
    x = extent.center().x()
    if 4534 <= code <= 4554 and x > 1e7:  # CM without prefix, eastings with one
        zone = int(x // 1e6)
        right = 4513 + zone - 25
    elif 4513 <= code <= 4533 and x < 1e6:  # zone prefix expected, eastings without
        right = 4534 + code - 4513
    else:
        return
    raise QgsProcessingException(
        f"{label}: its CRS is {authid} but its eastings ({x:,.0f} m) fit EPSG:{right}. Set the layer's CRS to "
        f"EPSG:{right} (Layer Properties → Source, or Assign projection) and run again."
    )
