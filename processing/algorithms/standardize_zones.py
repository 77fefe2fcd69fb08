"""ecozoning:standardizezones — one raw element layer -> standard element zones."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from ...core.errors import EcoZoningError
from ...core.standardize import RawFeature, parse_value_map, repair_rows, standardize
from ..adapter import (
    STORAGE_CRS,
    layer_label,
    make_fields,
    new_feature,
    read_counties,
    read_features,
    require_field,
    require_polygons,
    require_source,
    write,
)
from ..compat import MULTIPOLYGON, NO_GEOMETRY, SOURCE_POLYGON, SOURCE_VECTOR
from .base import EcoZoningAlgorithm, load_taxonomy_param

ZONE_FIELDS = [
    ("YSBM", "str", 20),
    ("YSMC", "str", 254),
    ("HJYS", "str", 20),
    ("YSXL", "str", 40),
    ("GKFL", "int", 0),
    ("XZQDM", "str", 6),
    ("SRC_FID", "int", 0),
]
REPORT_FIELDS = [("SRC_FID", "int", 0), ("ACTION", "str", 20), ("DETAIL", "str", 254), ("AREA_M2", "float", 0)]


class StandardizeZones(EcoZoningAlgorithm):
    NAME = "standardizezones"
    DISPLAY = "Standardize element zones"
    GROUP_ID = "zones"
    INPUT = "INPUT"
    SUBTYPE = "SUBTYPE"
    SUBTYPE_FIELD = "SUBTYPE_FIELD"
    VALUE_MAP = "VALUE_MAP"
    NAME_FIELD = "NAME_FIELD"
    ADMIN = "ADMIN"
    ADMIN_CODE_FIELD = "ADMIN_CODE_FIELD"
    TAXONOMY = "TAXONOMY"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"
    HELP_EN = (
        "Turns one raw element layer (red line, water zones, air zones, parks…) into standard element zones: "
        "invalid geometries are repaired, empty ones and exact duplicates dropped, everything is clipped to "
        "the admin area and split at county lines, and each zone gets a code YS + county + element digit + "
        "class digit + serial and the fields YSBM, YSMC, HJYS, YSXL, GKFL, XZQDM, SRC_FID.\n"
        "Give either SUBTYPE (one taxonomy key for the whole layer, e.g. eco_redline) or SUBTYPE_FIELD with "
        "VALUE_MAP (e.g. 优先保护:water_priority;工业污染重点管控:water_industrial); unmapped values stop the run "
        "and are listed. The REPORT table lists every repair, dropped feature and clipped area per source feature. "
        "Inputs in another CRS are reprojected; the output is in CGCS2000 (EPSG:4490)."
    )
    HELP_ZH = (
        "将一个原始要素图层（生态保护红线、水环境分区、大气环境分区、产业园区等）标准化为环境要素管控分区："
        "修复无效几何，剔除空几何和完全重复的要素，按行政区裁剪并在县界处切分，为每个分区赋编码"
        "（YS + 县级代码 + 要素位 + 类别位 + 序号）及字段 YSBM、YSMC、HJYS、YSXL、GKFL、XZQDM、SRC_FID。\n"
        "可指定 SUBTYPE（整层一个分类键，如 eco_redline），或指定 SUBTYPE_FIELD 与 VALUE_MAP"
        "（如 优先保护:water_priority;工业污染重点管控:water_industrial）；未映射的取值会报错并列出。"
        "REPORT 表逐要素记录修复、剔除和裁剪面积。其他坐标系的输入会自动投影，输出为 CGCS2000（EPSG:4490）。"
    )

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_POLYGON]
        self._add(
            QgsProcessingParameterFeatureSource(self.INPUT, self.tr("Raw element layer"), polygon),
            "Polygons of one element (e.g. the red line, or a water-zone partition).",
        )
        self._add(
            QgsProcessingParameterString(self.SUBTYPE, self.tr("Subtype key for the whole layer"), optional=True),
            "A subtype of the taxonomy by key (eco_redline) or by name (Ecological protection red line). "
            "Leave empty to use SUBTYPE_FIELD and VALUE_MAP.",
        )
        self._add(
            QgsProcessingParameterField(
                self.SUBTYPE_FIELD,
                self.tr("Field holding the zone type"),
                parentLayerParameterName=self.INPUT,
                optional=True,
            ),
            "Field whose values are mapped to taxonomy keys by VALUE_MAP.",
        )
        self._add(
            QgsProcessingParameterString(self.VALUE_MAP, self.tr("Value map (value:key;value:key)"), optional=True),
            "Maps each value of SUBTYPE_FIELD to a taxonomy key, e.g. 优先保护:water_priority;一般管控:water_general.",
        )
        self._add(
            QgsProcessingParameterField(
                self.NAME_FIELD, self.tr("Name field"), parentLayerParameterName=self.INPUT, optional=True
            ),
            "Field with the zone's name (parks and urban areas are named after it).",
        )
        self._add(
            QgsProcessingParameterFeatureSource(self.ADMIN, self.tr("Admin areas (counties)"), polygon),
            "County polygons with 6-digit GB/T 2260 codes; zones are clipped to them and split at their lines.",
        )
        self._add(
            QgsProcessingParameterField(
                self.ADMIN_CODE_FIELD,
                self.tr("County code field"),
                defaultValue="XZQDM",
                parentLayerParameterName=self.ADMIN,
                optional=True,
            ),
            "Field of the admin layer holding the 6-digit county code.",
        )
        self._add(
            QgsProcessingParameterFile(self.TAXONOMY, self.tr("Taxonomy file (YAML)"), extension="yaml", optional=True),
            "A province's own taxonomy; the national default is used when empty.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Standardized element zones"), SOURCE_POLYGON),
            "Repaired, clipped and coded element zones in EPSG:4490.",
        )
        self._add(
            QgsProcessingParameterFeatureSink(
                self.REPORT,
                self.tr("Standardization report"),
                SOURCE_VECTOR,
                optional=True,
                createByDefault=True,
            ),
            "One row per repair, dropped feature, clipped area or overlap, with the source feature id.",
        )
        self._add_output(QgsProcessingOutputNumber("ZONE_COUNT", self.tr("Number of zones")))

        self._add_repair_tolerance()

    def run_algorithm(self, parameters, context, feedback):
        taxonomy = load_taxonomy_param(self, parameters, context)
        source = require_source(self, parameters, self.INPUT, context, "The raw element layer")
        label = f"Input layer {layer_label(source, self.INPUT)}"
        require_polygons(source, label)
        subtype = self.parameterAsString(parameters, self.SUBTYPE, context).strip()
        field = self.parameterAsString(parameters, self.SUBTYPE_FIELD, context)
        value_map_text = self.parameterAsString(parameters, self.VALUE_MAP, context)
        name_field = self.parameterAsString(parameters, self.NAME_FIELD, context)
        if subtype and field:
            raise QgsProcessingException("Give either SUBTYPE or SUBTYPE_FIELD with VALUE_MAP, not both.")
        if not subtype and not field:
            raise QgsProcessingException(
                "Say what kind of zone the layer holds: set SUBTYPE (e.g. eco_redline) or SUBTYPE_FIELD + VALUE_MAP."
            )
        try:
            if subtype:
                subtype = taxonomy.resolve_key(subtype)  # eco_redline, 生态保护红线 or Ecological protection red line
                value_map = None
            else:
                require_field(source, field, label, "zone types")
                value_map = parse_value_map(value_map_text, taxonomy)
        except (KeyError, EcoZoningError) as exc:
            raise QgsProcessingException(str(exc).strip('"')) from exc
        if name_field:
            require_field(source, name_field, label, "zone names")

        counties = read_counties(self, parameters, context, feedback)
        raw, unmapped, repairs = [], {}, {}
        for fid, geom, attrs in read_features(source, context, feedback, label=label, span=(0, 20), repairs=repairs):
            key = subtype
            if value_map is not None:
                value = attrs.get(field)
                key = value_map.get(str(value).strip() if value is not None else "")
                if key is None:
                    unmapped.setdefault(str(value), []).append(fid)
                    continue
            name = attrs.get(name_field) if name_field else ""
            raw.append(RawFeature(fid, geom, key, str(name) if name is not None else ""))
        if unmapped:
            listing = "; ".join(
                f"'{v}' (features {', '.join(map(str, f[:5]))}{'…' if len(f) > 5 else ''})"
                for v, f in sorted(unmapped.items())
            )
            raise QgsProcessingException(
                f"{label}: values of {field} not in VALUE_MAP: {listing}. Add them to VALUE_MAP as value:subtype_key."
            )
        try:
            zones, report = standardize(
                raw,
                counties,
                taxonomy,
                is_canceled=feedback.isCanceled,
                progress=lambda f: feedback.setProgress(20 + 80 * f),
            )
        except EcoZoningError as exc:
            raise QgsProcessingException(f"{label}: {exc}") from exc
        report = repair_rows(raw, repairs) + [r for r in report if r.src_fid not in repairs or r.action != "empty"]
        if not zones and any(f.geom is not None and not f.geom.is_empty for f in raw):
            raise QgsProcessingException(
                self.tr(
                    "{label}: none of its {n} features lies inside the admin area, so there is no zone to write. "
                    "Check that the layer and the admin layer have the right CRS and cover the same region."
                ).format(label=label, n=len(raw))
            )

        fields = make_fields(ZONE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, MULTIPOLYGON, STORAGE_CRS)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for zone in zones:
            values = {
                "YSBM": zone.code,
                "YSMC": zone.name,
                "HJYS": zone.element,
                "YSXL": zone.key,
                "GKFL": zone.zone_class,
                "XZQDM": zone.county,
                "SRC_FID": zone.src_fid,
            }
            write(sink, new_feature(fields, values, zone.geom), f"zone {zone.code}")
        results = {self.OUTPUT: dest, "ZONE_COUNT": len(zones)}
        report_fields = make_fields(REPORT_FIELDS)
        report_sink, report_dest = self.parameterAsSink(parameters, self.REPORT, context, report_fields, NO_GEOMETRY)
        if report_sink is not None:
            for row in report:
                write(
                    report_sink,
                    new_feature(
                        report_fields,
                        {
                            "SRC_FID": row.src_fid,
                            "ACTION": row.action,
                            "DETAIL": row.detail[:254],
                            "AREA_M2": row.area_m2,
                        },
                    ),
                    "a report row",
                )
            results[self.REPORT] = report_dest
        for row in report:
            if row.action in ("repaired", "empty", "no_area", "duplicate", "clipped"):
                feedback.pushInfo(f"{label} feature {row.src_fid}: {row.action}: {row.detail}")
        feedback.pushInfo(f"{len(zones)} element zones from {len(raw)} features; {len(report)} report rows")
        from ..styling import style_output  # the zones style, applied once the layer is loaded

        style_output(context, dest, "zones")
        return results
