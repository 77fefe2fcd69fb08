"""The one screening path of `ecozoning:screenprojects` and the quick-screen dock: layers prepared on the main
thread (`PreparedLayer`), their rows turned into screening targets and projects (`unit_target`, `zone_target`,
`make_project`), the basis every report rests on (`make_basis`), and the reports themselves (`ReportWriter`:
map, PDF, Word, HTML, a record for supersession, the batch index and summary).

`PreparedLayer` holds a QgsVectorLayerFeatureSource, so its rows can be read on a worker thread; everything that
renders (the map layout, the PDF) runs on the main thread.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from dataclasses import dataclass

import shapely
from qgis.core import (
    Qgis,
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayerFeatureSource,
)

from ..core import schema
from ..core.filing import sha256_file
from ..core.geometry import dissolve
from ..core.library_store import library_digest
from ..core.report import (
    RECORD_SUFFIX,
    Basis,
    Decision,
    build_report,
    index_html,
    index_row,
    read_record,
    report_basenames,
    report_html,
    report_number,
    write_summary_xlsx,
    write_text_atomic,
)
from ..core.report_docx import write_report_docx
from ..core.screening import Project, Result, Target
from .adapter import GeometryReader, check_crs

TRANSFORM_OK = Qgis.GeometryOperationResult.Success
REPORT_KINDS = ("pdf", "docx", "html")


# --- layers → rows ------------------------------------------------------------------------------------------
class PreparedLayer:
    """What a worker thread needs to read a layer: a feature source, its fields and the CRS to reproject from.
    Made on the main thread (prepareAlgorithm, the dock's slots)."""

    def __init__(self, layer, transform_context=None):
        self.name = layer.name()
        self.path = layer.source().split("|")[0]
        self.provider = layer.providerType()
        self.fields = layer.fields().names()
        self.crs = layer.crs()
        self.context = transform_context or QgsProject.instance().transformContext()
        try:  # a layer of GK metres without a CRS is refused, not read as degrees (when it is read)
            check_crs(layer, f"'{self.name}'")
            self.crs_error = ""
        except QgsProcessingException as exc:
            self.crs_error = str(exc)
        self.source = QgsVectorLayerFeatureSource(layer)
        self.messages: list[str] = []  # repairs and notes of the last read, for the caller to show

    def field(self, wanted: str, aliases=()) -> str | None:
        return schema.find_field(self.fields, wanted, aliases)

    def sha256(self) -> str:
        if self.provider in ("ogr", "spatialite") and os.path.isfile(self.path):
            return sha256_file(self.path)
        return f"（{self.provider} 图层，无文件）"

    def rows(self, is_canceled=lambda: False):
        """(fid, valid shapely geometry in EPSG:4490, {field: value}) for every feature with a geometry, through
        the plugin's one validity check (adapter.GeometryReader: repaired and said, or refused)."""
        self.messages = []
        if self.crs_error:
            raise ValueError(self.crs_error)
        reader = GeometryReader(
            self.crs, self.context, f"'{self.name}'", self.fields, self.messages.append, self.messages.append
        )
        for feature in self.source.getFeatures(QgsFeatureRequest()):
            if is_canceled():
                return
            if not feature.hasGeometry() or feature.geometry().isEmpty():
                continue
            geom = reader.read(feature)
            if geom is not None and not geom.is_empty:
                yield feature.id(), geom, {name: _plain(feature[name]) for name in self.fields}
        reader.summary()


def _plain(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    return value.value() if hasattr(value, "value") and not isinstance(value, (str, int, float)) else value


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# --- rows → targets and projects ----------------------------------------------------------------------------
def unit_target(attrs: dict, geom) -> Target:
    """A unit as the data contract reads it: class from ZHGKDYFL, else from the code (schema.unit_class)."""
    code = _text(schema.field_value(attrs, schema.CODE))
    unit_class = schema.unit_class(schema.field_value(attrs, schema.CLASS), code)
    county = schema.normalize_county_code(schema.field_value(attrs, schema.COUNTY_CODE)) or schema.county_from_code(
        code
    )
    return Target(
        code,
        _text(schema.field_value(attrs, schema.NAME)),
        unit_class if unit_class is not None else 0,
        _text(schema.field_value(attrs, schema.SUBTYPE)),
        geom,
        county or "",
    )


def zone_target(attrs: dict, geom) -> Target:
    zone_class = schema.parse_class(schema.field_value(attrs, "GKFL"))
    return Target(
        _text(schema.field_value(attrs, schema.ZONE_CODE)),
        _text(schema.field_value(attrs, "YSMC")),
        zone_class if zone_class is not None else 3,
        _text(schema.field_value(attrs, schema.ZONE_SUBTYPE)),
        geom,
        schema.normalize_county_code(schema.field_value(attrs, schema.COUNTY_CODE)) or "",
    )


def county_name(attrs: dict) -> tuple[str, str]:
    code = schema.normalize_county_code(schema.field_value(attrs, schema.COUNTY_CODE)) or schema.county_from_code(
        _text(schema.field_value(attrs, schema.CODE))
    )
    return code or "", _text(schema.field_value(attrs, schema.COUNTY))


def normalize_industry(text) -> tuple[str, list[str]]:
    """An industry code as people write it ('C 2520', 'Ｃ2520', 'c2520、C1311') → ('C2520,C1311', unreadable)."""
    codes, unreadable = schema.parse_industry_codes(text)
    return ",".join(codes), unreadable


def make_project(pid, geom, name="", industry="", buffer_m=0.0) -> Project:
    codes, _ = normalize_industry(industry)
    return Project(pid=str(pid), geom=geom, name=_text(name), industry=codes, buffer_m=float(buffer_m or 0.0))


@dataclass
class UnitData:
    targets: list[Target]
    county_names: dict[str, str]


def read_units(layer: PreparedLayer, is_canceled=lambda: False) -> UnitData:
    targets, names = [], {}
    for _, geom, attrs in layer.rows(is_canceled):
        target = unit_target(attrs, geom)
        targets.append(target)
        code, name = county_name(attrs)
        if code and name:
            names.setdefault(code, name)
    return UnitData(targets, names)


def read_zones(layers: list[PreparedLayer], is_canceled=lambda: False) -> list[Target]:
    return [zone_target(attrs, geom) for layer in layers for _, geom, attrs in layer.rows(is_canceled)]


# --- the basis --------------------------------------------------------------------------------------------------
def make_basis(library, units_name: str, units_sha256: str, rules, taxonomy, valid_days: int, tool: str, date=None):
    rules_sha = sha256_file(rules.path) if rules is not None and rules.path and os.path.isfile(rules.path) else ""
    return Basis(
        scheme_name=library.name if library is not None else "（未选择准入清单库）",
        scheme_version=library.version if library is not None else "",
        library_revision=library_digest(library.root) if library is not None else "",
        units_name=units_name,
        units_sha256=units_sha256,
        date=date or datetime.date.today(),
        valid_days=int(valid_days),
        taxonomy=f"{taxonomy.name} {taxonomy.version}".strip() if taxonomy is not None else "",
        rules=os.path.basename(rules.path) if rules is not None and rules.path else "",
        rules_sha256=rules_sha,
        tool=tool,
    )


def county_outlines(targets: list[Target], codes=None) -> dict[str, object]:
    """County boundaries from the units (they cover each county without gap or overlap): code → geometry."""
    groups: dict[str, list] = {}
    for target in targets:
        if target.county and (codes is None or target.county in codes):
            groups.setdefault(target.county, []).append(target.geom)
    return {code: dissolve(geoms) for code, geoms in groups.items()}


# --- reports ------------------------------------------------------------------------------------------------------
class ReportWriter:
    """Writes each project's report files into `folder` (main thread only: it renders the map and the PDF).

    A project screened before into the same folder keeps its old files under superseded/<number>/ when the new
    report differs (another number), and the new report names the old one and what changed."""

    def __init__(self, folder, basis: Basis, library, taxonomy, units: UnitData, decisions=None, zones_screened=False):
        self.folder = folder
        self.basis = basis
        self.library = library
        self.taxonomy = taxonomy
        self.units = units
        self.decisions: dict[str, Decision] = decisions or {}
        self.zones_screened = zones_screened
        self.rows = []
        self._counties: dict[str, object] = {}
        self._index = None

    report_number = staticmethod(report_number)

    def reports_for(self, results: list[Result]):
        """(result, base name, report without files) per result: the numbers the VERDICTS rows carry."""
        names = report_basenames([r.project.pid for r in results])
        return [(r, names[r.project.pid], self.report(r)) for r in results]

    def report(self, result: Result, map_image: str = "", previous=None):
        return build_report(
            result,
            self.basis,
            self.library,
            self.taxonomy,
            self.decisions.get(result.project.pid),
            previous,
            map_image,
            self.zones_screened,
        )

    def _nearby_units(self, geom) -> list[Target]:
        if self._index is None and self.units.targets:
            self._index = shapely.STRtree([t.geom for t in self.units.targets])
        if self._index is None:
            return []
        minx, miny, maxx, maxy = geom.bounds
        pad = max(12 * max(maxx - minx, maxy - miny), 0.17)  # the widest extent ReportMap may take
        box = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
        return [self.units.targets[i] for i in sorted(self._index.query(box).tolist())]

    def _county_geoms(self, nearby: list[Target]) -> dict:
        codes = {t.county for t in nearby if t.county}
        missing = codes - set(self._counties)
        if missing:
            self._counties.update(county_outlines(self.units.targets, missing))
        return {code: self._counties[code] for code in codes if code in self._counties}

    def write(self, result: Result, base: str, kinds=REPORT_KINDS) -> dict[str, str]:
        """Write the report files of one project; returns kind → file name (relative to the folder)."""
        from .report_map import ReportMap
        from .report_render import html_to_pdf

        os.makedirs(self.folder, exist_ok=True)
        path = os.path.join(self.folder, base)
        previous = read_record(path + RECORD_SUFFIX)
        image = ""
        if result.footprint is not None:
            nearby = self._nearby_units(result.footprint)
            report_map = ReportMap(
                result, nearby, result.zone_hits, self._county_geoms(nearby), self.units.county_names, self.taxonomy
            )
            report_map.export_png(path + ".tmp.png")
            image = base + ".png"
            del report_map
        report = self.report(result, image, previous)
        if previous is not None and previous.get("number") != report.number:
            self._keep_superseded(base, previous["number"])
        if image:
            os.replace(path + ".tmp.png", path + ".png")
        files = {}
        text = report_html(report)
        if "html" in kinds:
            write_text_atomic(path + ".html", text)
            files["html"] = base + ".html"
        if "pdf" in kinds:
            html_to_pdf(text, self.folder, path + ".tmp.pdf", footer=f"报告编号 {report.number}", title=report.number)
            os.replace(path + ".tmp.pdf", path + ".pdf")
            files["pdf"] = base + ".pdf"
        if "docx" in kinds:
            write_report_docx(report, path + ".docx", os.path.join(self.folder, image) if image else "")
            files["docx"] = base + ".docx"
        write_text_atomic(path + RECORD_SUFFIX, json.dumps(report.record(), ensure_ascii=False, indent=1))
        self.rows.append(index_row(report, files))
        return files

    def _keep_superseded(self, base: str, number: str) -> None:
        target = os.path.join(self.folder, "superseded", number)
        os.makedirs(target, exist_ok=True)
        for suffix in (".pdf", ".docx", ".html", ".png", RECORD_SUFFIX):
            source = os.path.join(self.folder, base + suffix)
            if os.path.exists(source):
                shutil.move(source, os.path.join(target, base + suffix))

    def finish(self) -> tuple[str, str]:
        """index.html and summary.xlsx of the reports written so far."""
        os.makedirs(self.folder, exist_ok=True)
        index = os.path.join(self.folder, "index.html")
        write_text_atomic(index, index_html(self.rows, self.basis))
        summary = write_summary_xlsx(os.path.join(self.folder, "summary.xlsx"), self.rows, self.basis)
        return index, summary
