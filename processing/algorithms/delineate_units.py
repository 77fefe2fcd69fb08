"""ecozoning:delineateunits — standardized element zones -> environmental control units."""

from __future__ import annotations

import re

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ...core import schema
from ...core.delineate import CODE_PATTERN, Options, PreviousUnit, Zone, delineate
from ...core.schema import CODE_LENGTH
from ..adapter import (
    STORAGE_CRS,
    PreparedSource,
    has_field,
    make_fields,
    new_feature,
    read_counties,
    read_features,
    require_polygons,
    write,
)
from ..compat import MULTIPOLYGON, NO_GEOMETRY, NUMBER_DOUBLE, SOURCE_POLYGON, SOURCE_VECTOR
from .base import EcoZoningAlgorithm, load_taxonomy_param, parallel_params

UNIT_FIELDS = [
    (schema.CODE, "str", CODE_LENGTH),
    (schema.NAME, "str", 254),
    (schema.CLASS, "int", 0),
    (schema.SUBTYPE, "str", 40),
    ("XZQDM", "str", 6),
    ("PROV", "str", 50),
    ("CITY", "str", 50),
    ("COUNTY", "str", 50),
    ("MJ", "float", 0),
    ("YSBM", "str", 0),
    ("BBH", "str", 20),
    ("BZ", "str", 254),
    ("ZDXH", "int", 0),
]
RETIRED_FIELDS = [
    (schema.CODE, "str", CODE_LENGTH),
    (schema.NAME, "str", 254),
    (schema.CLASS, "int", 0),
    ("XZQDM", "str", 6),
]
LOG_FIELDS = [
    ("XZQDM", "str", 6),
    ("ACTION", "str", 24),
    ("FROM_CLASS", "int", 0),
    ("FROM_TYPE", "str", 40),
    ("FROM_NAME", "str", 254),
    ("AREA_M2", "float", 0),
    ("INTO_CODE", "str", CODE_LENGTH),
    ("INTO_CLASS", "int", 0),
    ("INTO_TYPE", "str", 40),
    ("SHARED_M", "float", 0),
    ("REASON", "str", 254),
]


def _keys(text: str) -> frozenset:
    return frozenset(k.strip() for k in (text or "").replace("，", ",").split(",") if k.strip())


class DelineateUnits(EcoZoningAlgorithm):
    NAME = "delineateunits"
    DISPLAY = "Delineate environmental control units"
    GROUP_ID = "units"
    HELP_EN = (
        "Overlays standardized element zones inside each county and partitions the county into environmental "
        "control units: priority protection (1), key control (2), general control (3). Each piece takes the "
        "highest class raised by the zones covering it (uncovered land is class 3); one unit per county, class "
        "and dominant subtype, one key unit per named park or urban area. Pieces under MIN_AREA merge into the "
        "neighbouring unit with the longest shared boundary, except red-line and water-priority pieces; every "
        "merge is in MERGE_LOG. Units cover each county exactly, never cross a county line, and get codes "
        "ZH + county + class + serial (same inputs, same codes). Areas (MJ, km²) are measured in the county's "
        "CGCS2000 3-degree Gauss-Krüger zone. Counties are processed in parallel worker processes, or on a Dask "
        "cluster (SCHEDULER)."
    )
    HELP_ZH = (
        "在每个县内叠加标准化的环境要素管控分区，将全县划分为优先保护（1）、重点管控（2）、一般管控（3）三类"
        "环境管控单元：每个图斑取覆盖它的分区所提升到的最高类别（未覆盖的为一般管控）；每县每类每主导类型一个单元，"
        "每个具名产业园区或城镇建成区单独成为一个重点管控单元。小于 MIN_AREA 的碎图斑并入公共边最长的相邻单元"
        "（生态保护红线和水环境优先保护区图斑不被合并），每次合并记入 MERGE_LOG。单元全域覆盖、不跨县界，"
        "编码为 ZH + 县级代码 + 类别 + 序号，相同输入得到相同编码。面积（MJ，平方公里）按所在县的 CGCS2000 "
        "3度带高斯-克吕格投影计算。各县在多个工作进程中并行计算，也可提交到 Dask 集群（SCHEDULER）。"
    )

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_POLYGON]
        self._add(
            QgsProcessingParameterFeatureSource("ADMIN", self.tr("Admin areas (counties)"), polygon),
            "County polygons with 6-digit GB/T 2260 codes: the area to partition.",
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
        for name, label in (
            ("PROV_FIELD", "Province name field"),
            ("CITY_FIELD", "Prefecture name field"),
            ("COUNTY_FIELD", "County name field"),
        ):
            self._add(
                QgsProcessingParameterField(name, self.tr(label), parentLayerParameterName="ADMIN", optional=True),
                f"Optional field copied to the units' {name.split('_')[0]} field and used in unit names.",
            )
        self._add(
            QgsProcessingParameterMultipleLayers("ZONES", self.tr("Standardized element zones"), SOURCE_POLYGON),
            "Outputs of 'Standardize element zones' (fields YSBM, YSXL, YSMC), one or more layers.",
        )
        self._add(
            QgsProcessingParameterString(
                "NAMED_SUBTYPES",
                self.tr("Subtypes whose features are units of their own"),
                defaultValue="dev_park,dev_urban",
            ),
            "Comma-separated taxonomy keys; each feature of these becomes one key unit named after it.",
        )
        self._add(
            QgsProcessingParameterBoolean("SPLIT_PARTS", self.tr("One unit per connected part"), defaultValue=False),
            "When checked, every connected part becomes a unit of its own instead of multipart units.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "MIN_AREA", self.tr("Fragment area (m²)"), NUMBER_DOUBLE, 10000.0, minValue=0.0
            ),
            "Pieces smaller than this merge into the neighbouring unit with the longest shared boundary.",
        )
        self._add(
            QgsProcessingParameterString(
                "PROTECTED", self.tr("Subtypes never absorbed"), defaultValue="eco_redline,water_priority"
            ),
            "Comma-separated taxonomy keys whose fragments are kept even when small.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "REVIEW_AREA", self.tr("Review area (m²)"), NUMBER_DOUBLE, 1000000.0, minValue=0.0
            ),
            "Units smaller than this are flagged for review (BZ field and MERGE_LOG).",
        )
        self._add(
            QgsProcessingParameterString("VERSION", self.tr("Version (BBH)"), defaultValue="V1"),
            "Version label written to every unit's BBH field.",
        )
        self._add(
            QgsProcessingParameterFile("TAXONOMY", self.tr("Taxonomy file (YAML)"), extension="yaml", optional=True),
            "A province's own taxonomy; the national default is used when empty.",
            advanced=True,
        )
        self._add_parallel_parameters()
        self._add(
            QgsProcessingParameterFeatureSource(
                "PREVIOUS", self.tr("Previous version of the units"), [SOURCE_POLYGON], optional=True
            ),
            "Units of the previous version: a new unit that matches one (same county and class, overlap of at least "
            "MATCH_SHARE of the larger; a named unit by its name) keeps its code; new units get serials after the "
            "highest ever used (field ZDXH), so retired codes are never reused.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "MATCH_SHARE", self.tr("Overlap share to keep a code"), NUMBER_DOUBLE, 0.5, minValue=0.01, maxValue=1.0
            ),
            "Share of the larger of the two units their overlap must reach for the new unit to keep the old code.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFeatureSink("UNITS", self.tr("Environmental control units"), SOURCE_POLYGON),
            "Units with the fields of the national practice (HJGKDYBM, HJGKDYMC, ZHGKDYFL, …) in EPSG:4490.",
        )
        self._add(
            QgsProcessingParameterFeatureSink(
                "MERGE_LOG",
                self.tr("Fragment merge log"),
                SOURCE_POLYGON,
                optional=True,
                createByDefault=True,
            ),
            "Every fragment merged or kept, and every unit flagged for review, with its geometry.",
        )
        self._add(
            QgsProcessingParameterFeatureSink(
                "RETIRED", self.tr("Retired codes"), SOURCE_VECTOR, optional=True, createByDefault=True
            ),
            "Codes of previous units no new unit matches: retired, never to be reused.",
        )
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Number of units")))
        for name, label in (
            ("KEPT_COUNT", "Units that kept a previous code"),
            ("NEW_COUNT", "Units with a new code"),
            ("RETIRED_COUNT", "Retired codes"),
        ):
            self._add_output(QgsProcessingOutputNumber(name, self.tr(label)))
        for cls in (1, 2, 3):
            self._add_output(QgsProcessingOutputNumber(f"AREA_CLASS{cls}", self.tr(f"Area of class {cls} units (km²)")))

        self._add_repair_tolerance()

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        """On the main thread: snapshots of the zone layers (processAlgorithm runs in a worker thread, where
        project layers must not be read)."""
        self._zone_sources = [
            PreparedSource(layer) for layer in self.parameterAsLayerList(parameters, "ZONES", context)
        ]
        return True

    def run_algorithm(self, parameters, context, feedback):
        taxonomy = load_taxonomy_param(self, parameters, context)
        counties = read_counties(
            self,
            parameters,
            context,
            feedback,
            prov_param="PROV_FIELD",
            city_param="CITY_FIELD",
            county_param="COUNTY_FIELD",
        )
        named = _keys(self.parameterAsString(parameters, "NAMED_SUBTYPES", context))
        protected = _keys(self.parameterAsString(parameters, "PROTECTED", context))
        for key in sorted(named | protected):
            if key not in taxonomy.zones:
                raise QgsProcessingException(
                    f"Unknown subtype '{key}' in NAMED_SUBTYPES or PROTECTED. Known: {', '.join(taxonomy.ordered_keys())}"
                )
        workers, scheduler = parallel_params(self, parameters, context)
        options = Options(
            named_subtypes=named,
            split_parts=self.parameterAsBool(parameters, "SPLIT_PARTS", context),
            min_area=self.parameterAsDouble(parameters, "MIN_AREA", context),
            protected=protected,
            review_area=self.parameterAsDouble(parameters, "REVIEW_AREA", context),
            version=self.parameterAsString(parameters, "VERSION", context) or "V1",
            workers=workers,
            previous=self._read_previous(parameters, context, feedback),
            match_share=self.parameterAsDouble(parameters, "MATCH_SHARE", context),
        )
        zones = self._read_zones(parameters, context, feedback, taxonomy)
        where = f"on the Dask cluster {scheduler}" if scheduler else "on this machine"
        feedback.pushInfo(f"{len(counties)} counties, {len(zones)} element zones, {where}")
        results = delineate(
            counties,
            zones,
            taxonomy,
            options,
            is_canceled=feedback.isCanceled,
            progress=lambda f: feedback.setProgress(int(100 * f)),
            scheduler=scheduler,
        )
        if feedback.isCanceled():
            return {}

        fields = make_fields(UNIT_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "UNITS", context, fields, MULTIPOLYGON, STORAGE_CRS)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "UNITS"))
        area = {1: 0.0, 2: 0.0, 3: 0.0}
        count = 0
        for result in results:
            for unit in result.units:
                values = {
                    schema.CODE: unit.code,
                    schema.NAME: unit.name,
                    schema.CLASS: unit.unit_class,
                    schema.SUBTYPE: unit.subtype,
                    "XZQDM": unit.county.code,
                    "PROV": unit.county.prov,
                    "CITY": unit.county.city,
                    "COUNTY": unit.county.name,
                    "MJ": round(unit.area_m2 / 1e6, 6),
                    "YSBM": ",".join(unit.zone_codes),
                    "BBH": options.version,
                    "ZDXH": unit.max_serial,
                    "BZ": unit.note,
                }
                write(sink, new_feature(fields, values, unit.geom), f"unit {unit.code}")
                area[unit.unit_class] += unit.area_m2 / 1e6
                count += 1
        outputs = {"UNITS": dest, "UNIT_COUNT": count, **{f"AREA_CLASS{c}": round(a, 6) for c, a in area.items()}}

        log_fields = make_fields(LOG_FIELDS)
        log_sink, log_dest = self.parameterAsSink(
            parameters, "MERGE_LOG", context, log_fields, MULTIPOLYGON, STORAGE_CRS
        )
        merged = kept = 0
        for result in results:
            for record in result.log:
                merged += record.action.startswith("merged")
                kept += record.action.startswith("kept")
                if log_sink is not None:
                    values = {
                        "XZQDM": record.county,
                        "ACTION": record.action,
                        "FROM_CLASS": record.from_class,
                        "FROM_TYPE": record.from_subtype,
                        "FROM_NAME": record.from_name[:254],
                        "AREA_M2": round(record.area_m2, 3),
                        "INTO_CODE": record.into_code,
                        "INTO_CLASS": record.into_class or None,
                        "INTO_TYPE": record.into_subtype,
                        "SHARED_M": round(record.shared_m, 3),
                        "REASON": record.reason[:254],
                    }
                    write(log_sink, new_feature(log_fields, values, record.geom), "a merge log row")
        if log_sink is not None:
            outputs["MERGE_LOG"] = log_dest
        units_all = [u for r in results for u in r.units]
        retired = [p for r in results for p in r.retired]
        outputs["KEPT_COUNT"] = sum(bool(u.kept_from) for u in units_all)
        outputs["NEW_COUNT"] = len(units_all) - outputs["KEPT_COUNT"]
        outputs["RETIRED_COUNT"] = len(retired)
        retired_fields = make_fields(RETIRED_FIELDS)
        retired_sink, retired_dest = self.parameterAsSink(parameters, "RETIRED", context, retired_fields, NO_GEOMETRY)
        if retired_sink is not None:
            for unit in retired:
                values = {
                    schema.CODE: unit.code,
                    schema.NAME: unit.name[:254],
                    schema.CLASS: unit.unit_class,
                    "XZQDM": unit.county,
                }
                write(retired_sink, new_feature(retired_fields, values), f"retired code {unit.code}")
            outputs["RETIRED"] = retired_dest
        if options.previous is not None:
            feedback.pushInfo(
                f"codes: {outputs['KEPT_COUNT']} kept, {outputs['NEW_COUNT']} new, {len(retired)} retired "
                f"({', '.join(u.code for u in retired[:20])}{'…' if len(retired) > 20 else ''})"
            )
        feedback.pushInfo(
            f"{count} units (class 1: {area[1]:.2f} km², class 2: {area[2]:.2f} km², class 3: {area[3]:.2f} km²); "
            f"{merged} fragments merged, {kept} kept (see MERGE_LOG)"
        )
        from ..styling import style_output  # the units style, applied once the layer is loaded

        style_output(context, dest, "units")
        style_output(context, log_dest, "merge_log")
        return outputs

    def _read_previous(self, parameters, context, feedback):
        if not parameters.get("PREVIOUS"):
            return None
        source = self.parameterAsSource(parameters, "PREVIOUS", context)
        if source is None:
            raise QgsProcessingException("The previous unit layer (PREVIOUS) could not be opened.")
        label = f"Previous units '{source.sourceName()}'"
        names = source.fields().names()
        if not has_field(names, schema.CODE):
            raise QgsProcessingException(f"{label} has no field HJGKDYBM: give the unit layer of the previous version.")
        previous = []
        for fid, geom, attrs in read_features(source, context, feedback, [schema.CODE, schema.NAME, "ZDXH"], label):
            code = str(attrs.get(schema.CODE) or "")
            if not re.match(CODE_PATTERN, code):
                raise QgsProcessingException(
                    f"{label}, feature {fid}: '{code}' is not a unit code (ZH + 6 digits + class + 4-5 digits)."
                )
            if geom is None or geom.is_empty:
                feedback.pushWarning(f"{label}, feature {fid} ({code}) has no geometry: its code can only retire")
                continue
            previous.append(PreviousUnit(code, geom, str(attrs.get(schema.NAME) or ""), int(attrs.get("ZDXH") or 0)))
        return previous

    def _read_zones(self, parameters, context, feedback, taxonomy):
        sources = getattr(self, "_zone_sources", None)
        if sources is None:  # processAlgorithm called without prepareAlgorithm (not by Processing)
            sources = [PreparedSource(layer) for layer in self.parameterAsLayerList(parameters, "ZONES", context)]
        if not sources:
            raise QgsProcessingException("ZONES is empty: give at least one standardized element-zone layer.")
        zones = []
        for source in sources:
            label = f"Zone layer '{source.sourceName()}'"
            require_polygons(source, label)
            names = source.fields().names()
            for needed in ("YSBM", "YSXL"):
                if not has_field(names, needed):
                    raise QgsProcessingException(
                        f"{label} has no field {needed}: it is not standardized. Run 'Standardize element zones' on it first."
                    )
            for fid, geom, attrs in read_features(source, context, feedback, ["YSBM", "YSXL", "YSMC", "XZQDM"], label):
                key = str(attrs.get("YSXL") or "").strip()
                if key not in taxonomy.zones:
                    raise QgsProcessingException(
                        f"{label}, feature {fid}: subtype '{key}' is not in the taxonomy. Fix YSXL or use the matching TAXONOMY file."
                    )
                if geom is None or geom.is_empty:
                    feedback.pushWarning(f"{label}, feature {fid}: empty geometry, skipped")
                    continue
                if not geom.is_valid:
                    from ...core.geometry import repair

                    geom, note = repair(geom)
                    feedback.pushWarning(f"{label}, feature {fid}: invalid geometry repaired ({note})")
                zones.append(
                    Zone(
                        str(attrs.get("YSBM") or f"{source.sourceName()}:{fid}"),
                        key,
                        geom,
                        str(attrs.get("YSMC") or ""),
                        str(attrs.get("XZQDM") or ""),
                    )
                )
        return zones
