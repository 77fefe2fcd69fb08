"""ecozoning:publishlookup — the public lookup (公共查阅): a static web site anyone can query by map or coordinates,
and a QGIS Server project of the same content."""

from __future__ import annotations

import datetime
import os

import shapely
from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProject,
    QgsVectorLayer,
)

from ...core import schema
from ...core.list_table import UnitInfo, numbered_text
from ...core.lists import DIMENSIONS
from ...core.lookup import (
    DEFAULT_TOLERANCE,
    PublishError,
    PublishUnit,
    as_polygonal,
    build_site,
    folder_state,
    write_site,
)
from ..adapter import layer_label, read_features, require_polygons, require_source
from ..compat import FILE_FOLDER, NUMBER_DOUBLE, SOURCE_POLYGON
from ..filing_writers import write_vector
from ..styling import apply_style
from .base import EcoZoningAlgorithm, load_taxonomy_param
from .lists_common import open_library

SERVER_FOLDER = "qgis_server"
SERVER_PROJECT = "lookup.qgs"
SERVER_DATA = "lookup_units.gpkg"
SERVER_LAYER = "units"


class PublishLookup(EcoZoningAlgorithm):
    NAME = "publishlookup"
    DISPLAY = "Publish the public lookup site"
    GROUP_ID = "filing"
    HELP_EN = (
        "Publishes the scheme as a self-contained web site that anyone can open without QGIS or an account: a map "
        "of the control units by class with county lines and names, a legend, the title, version and date; a "
        "click on the map or typed coordinates (decimal degrees or degrees-minutes-seconds; CGCS2000/WGS84, or "
        "GCJ-02 from Amap/Tencent, or BD-09 from Baidu, converted) give the unit's code, name, class and county "
        "and its effective admission list by dimension, each clause with its level (省级/区域/市级/单元). Answers "
        "use the full-precision geometry, loaded per county on demand; the drawing uses a simplified copy that "
        "keeps the shared boundaries. Only public content is written (geometry, codes, names, classes, clause "
        "texts). The site works from any static web server (and from file:// where the browser allows it); "
        "nothing is fetched from the internet unless TILE_URL is set. The folder also holds qgis_server/lookup.qgs "
        "(styled units with the four list texts) for QGIS Server WMS GetFeatureInfo and OGC API Features."
    )
    HELP_ZH = (
        "将分区管控方案发布为独立的网页，公众无需 QGIS 或账号即可查阅：按类别配色的管控单元地图、县界及县名、图例、"
        "方案名称、版本与日期；点击地图或输入坐标（十进制度或度分秒；CGCS2000/WGS84，或高德/腾讯的 GCJ-02、"
        "百度的 BD-09，自动换算），即显示所在单元的编码、名称、类别、所在县及其按维度列出的有效准入清单，每条注明"
        "层级（省级/区域/市级/单元）。查询结果基于全精度几何（按县按需加载），地图绘制使用保持公共边界的简化副本。"
        "只写出可公开内容（几何、编码、名称、类别、条款文本）。网页可放在任何静态网站服务器上（浏览器允许时也可"
        "直接以 file:// 打开）；除非设置 TILE_URL，运行时不访问互联网。输出文件夹中还包括供 QGIS Server "
        "（WMS GetFeatureInfo、OGC API Features）使用的 qgis_server/lookup.qgs（已配色的单元及四个维度的清单文本）。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFeatureSource("UNITS", self.tr("Control units"), [SOURCE_POLYGON]),
            "The unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, XZQDM, COUNTY); any CRS, reprojected to CGCS2000.",
        )
        self._add(
            QgsProcessingParameterFile("LIBRARY", self.tr("Admission-list library folder"), FILE_FOLDER),
            "The admission-list library (folder with library.yaml); each unit's effective list is published.",
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "ADMIN", self.tr("Counties (for their names)"), [SOURCE_POLYGON], optional=True
            ),
            "Optional county layer: the names of the counties shown on the map and in the answers.",
        )
        self._add(
            QgsProcessingParameterField(
                "ADMIN_CODE_FIELD",
                self.tr("County code field"),
                defaultValue="XZQDM",
                parentLayerParameterName="ADMIN",
                optional=True,
            ),
            "Field of the county layer holding the 6-digit county codes.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterField(
                "ADMIN_NAME_FIELD",
                self.tr("County name field"),
                defaultValue="COUNTY",
                parentLayerParameterName="ADMIN",
                optional=True,
            ),
            "Field of the county layer holding the county names.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterString("TITLE", self.tr("Title"), defaultValue="生态环境分区管控公共查阅"),
            "Title of the page, e.g. the scheme's name.",
        )
        self._add(
            QgsProcessingParameterString("VERSION", self.tr("Version"), optional=True),
            "Version of the scheme shown on the page; the library's version when empty.",
        )
        self._add(
            QgsProcessingParameterString(
                "DATE", self.tr("Date (YYYY-MM-DD)"), defaultValue=datetime.date.today().isoformat()
            ),
            "Publication date shown on the page.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterString("TILE_URL", self.tr("Basemap tile URL"), optional=True),
            "Optional basemap template in CGCS2000/WGS84 such as a Tianditu URL with your own key "
            "(…{z}/{x}/{y}…). Not GCJ-02 tiles (Amap), which would be offset. None by default: "
            "then the page requests nothing from the internet.",
        )
        self._add(
            QgsProcessingParameterNumber(
                "TOLERANCE",
                self.tr("Drawing simplification (degrees)"),
                NUMBER_DOUBLE,
                defaultValue=DEFAULT_TOLERANCE,
                minValue=0.0,
            ),
            "Tolerance of the simplified copy used for drawing only (0.0003° ≈ 30 m; 0 keeps every vertex). "
            "Answers always use the full geometry.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterFile("TAXONOMY", self.tr("Taxonomy file (YAML)"), extension="yaml", optional=True),
            "A province's own taxonomy (class colours); the national default is used when empty.",
            advanced=True,
        )
        self._add(
            QgsProcessingParameterBoolean(
                "OVERWRITE", self.tr("Replace the content of a non-empty folder"), defaultValue=False
            ),
            "A folder that is not empty is refused unless this is set; the previous content is kept as "
            "<folder>.bak until the next publication.",
        )
        self._add(
            QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", self.tr("Output folder")),
            "The folder of the site (index.html, data/, vendor/) and of qgis_server/lookup.qgs.",
        )
        self._add_output(QgsProcessingOutputFile("INDEX", self.tr("Page (index.html)")))
        self._add_output(QgsProcessingOutputFile("QGS", self.tr("QGIS Server project")))
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Number of units published")))
        self._add_output(QgsProcessingOutputNumber("WITHOUT_LIST_COUNT", self.tr("Units without a list of their own")))
        self._add_output(QgsProcessingOutputNumber("REPAIRED_COUNT", self.tr("Geometries repaired")))

    def run_algorithm(self, parameters, context, feedback):
        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        overwrite = self.parameterAsBool(parameters, "OVERWRITE", context)
        if folder_state(folder) in ("site", "other") and not overwrite:
            raise QgsProcessingException(
                self.tr(
                    "The output folder {folder} is not empty: choose an empty or new folder, or set OVERWRITE to "
                    "replace its content (the previous content is kept as {folder}.bak)."
                ).format(folder=folder)
            )
        taxonomy = load_taxonomy_param(self, parameters, context)
        library = open_library(self, parameters, context)
        date_text = self.parameterAsString(parameters, "DATE", context) or datetime.date.today().isoformat()
        try:
            date = datetime.date.fromisoformat(date_text.strip())
        except ValueError as exc:
            raise QgsProcessingException(
                self.tr("DATE '{value}' is not a date: write it as YYYY-MM-DD.").format(value=date_text)
            ) from exc
        units, repaired = self._read_units(parameters, context, feedback)
        county_names = self._county_names(parameters, context, feedback)
        version = self.parameterAsString(parameters, "VERSION", context) or library.version
        colors = {c: taxonomy.class_labels.get(c, {}).get("color", "#cccccc") for c in schema.CLASSES}
        feedback.setProgressText(self.tr("Simplifying the drawing and collecting the lists"))
        site = build_site(
            units,
            library,
            title=self.parameterAsString(parameters, "TITLE", context) or "生态环境分区管控公共查阅",
            version=version,
            date=date.isoformat(),
            class_colors=colors,
            county_names=county_names,
            tile_url=self.parameterAsString(parameters, "TILE_URL", context).strip(),
            tolerance=self.parameterAsDouble(parameters, "TOLERANCE", context),
            progress=lambda p: feedback.setProgress(0.9 * p),
        )
        for code in site.units_without_list:
            feedback.pushWarning(
                self.tr(
                    "Unit {code} has no list of its own: published with a note (province, region and city clauses only)."
                ).format(code=code)
            )
        for code in site.units_without_clauses:
            feedback.pushWarning(self.tr("Unit {code}: no clause of the library applies to it.").format(code=code))

        def server_project(root: str) -> list[str]:
            return self._write_server_project(root, units, library, site, date, context)

        try:
            write_site(site, folder, overwrite=overwrite, add_files=server_project)
        except PublishError as exc:
            raise QgsProcessingException(str(exc)) from exc
        except OSError as exc:
            raise QgsProcessingException(
                self.tr("Could not write the site to {folder}: {error}").format(folder=folder, error=exc)
            ) from exc
        feedback.setProgress(100)
        index = os.path.join(folder, "index.html")
        feedback.pushInfo(
            self.tr(
                "{index}: {units} units in {counties} counties; drawing {drawn} of {vertices} vertices. "
                "Serve it with: python3 -m http.server --bind 127.0.0.1 --directory {folder} 8000"
            ).format(
                index=index,
                units=len(units),
                counties=len(site.counties),
                drawn=site.drawn_vertex_count,
                vertices=site.vertex_count,
                folder=folder,
            )
        )
        return {
            "OUTPUT_FOLDER": folder,
            "INDEX": index,
            "QGS": os.path.join(folder, SERVER_FOLDER, SERVER_PROJECT),
            "UNIT_COUNT": len(units),
            "WITHOUT_LIST_COUNT": len(site.units_without_list),
            "REPAIRED_COUNT": repaired,
        }

    # --- input ----------------------------------------------------------------------------------------------
    def _read_units(self, parameters, context, feedback) -> tuple[list[PublishUnit], int]:
        source = require_source(self, parameters, "UNITS", context, "The unit layer")
        label = f"Unit layer {layer_label(source, 'UNITS')}"
        require_polygons(source, label)
        names = source.fields().names()
        field = {key: schema.find_field(names, key, schema.FIELD_ALIASES.get(key, ())) for key in schema.FIELD_ALIASES}
        field[schema.SUBTYPE] = schema.find_field(names, schema.SUBTYPE)
        if field[schema.CODE] is None:
            raise QgsProcessingException(
                self.tr("{label} has no unit code field ({field}); its fields are: {names}.").format(
                    label=label, field=schema.CODE, names=", ".join(names)
                )
            )
        by_code: dict[str, PublishUnit] = {}
        repaired = 0
        repairs: dict = {}  # repaired (and said) by the shared validity check, in the layer's own CRS
        for fid, geom, attrs in read_features(source, context, feedback, label=label, repairs=repairs):
            code = str(attrs.get(field[schema.CODE]) or "").strip()
            if not schema.UNIT_CODE_RE.match(code):
                raise QgsProcessingException(
                    self.tr(
                        "{label}: feature {fid} has unit code '{code}', which is not ZH + 6 digits + class + serial. "
                        "Fix the code (or run 'Delineate environmental control units') before publishing."
                    ).format(label=label, fid=fid, code=code)
                )
            fixed, note = as_polygonal(geom)
            if note:
                if fixed.is_empty:
                    feedback.reportError(
                        self.tr("{label}: feature {fid} ({code}) has no area ({note}); not published.").format(
                            label=label, fid=fid, code=code, note=note
                        )
                    )
                    continue
                repaired += 1
                feedback.pushWarning(
                    self.tr("{label}: feature {fid} ({code}) had an invalid geometry ({note}); repaired.").format(
                        label=label, fid=fid, code=code, note=note
                    )
                )

            def value(key, attrs=attrs):
                name = field.get(key)
                return attrs.get(name) if name else None

            county = schema.normalize_county_code(value(schema.COUNTY_CODE)) or schema.county_from_code(code)
            subtype = str(value(schema.SUBTYPE) or "").strip()
            if code in by_code:
                feedback.pushWarning(
                    self.tr(
                        "{label}: unit {code} has several features (again feature {fid}); published as one."
                    ).format(label=label, code=code, fid=fid)
                )
                unit = by_code[code]
                unit.geom = as_polygonal(shapely.union_all([unit.geom, fixed]))[0]
                continue
            by_code[code] = PublishUnit(
                code=code,
                name=str(value(schema.NAME) or "").strip(),
                unit_class=schema.unit_class(value(schema.CLASS), code),
                county_code=county,
                county_name=str(value(schema.COUNTY) or "").strip(),
                geom=fixed,
                subtypes=[subtype] if subtype else [],
            )
        if not by_code:
            raise QgsProcessingException(self.tr("{label} has no unit with an area to publish.").format(label=label))
        return [by_code[c] for c in sorted(by_code)], repaired + len(repairs)

    def _county_names(self, parameters, context, feedback) -> dict[str, str]:
        if not parameters.get("ADMIN"):
            return {}
        source = self.parameterAsSource(parameters, "ADMIN", context)
        if source is None:
            return {}
        names = source.fields().names()
        code_field = schema.find_field(
            names,
            self.parameterAsString(parameters, "ADMIN_CODE_FIELD", context) or schema.COUNTY_CODE,
            schema.FIELD_ALIASES[schema.COUNTY_CODE],
        )
        name_field = schema.find_field(
            names,
            self.parameterAsString(parameters, "ADMIN_NAME_FIELD", context) or schema.COUNTY,
            schema.FIELD_ALIASES[schema.COUNTY],
        )
        if code_field is None or name_field is None:
            feedback.pushWarning(
                self.tr("County layer: no code or name field found; county names are taken from the units.")
            )
            return {}
        result = {}
        for feature in source.getFeatures():
            code = schema.normalize_county_code(feature[code_field])
            if code and feature[name_field]:
                result[code] = str(feature[name_field]).strip()
        return result

    # --- QGIS Server --------------------------------------------------------------------------------------
    def _write_server_project(self, root, units, library, site, date, context) -> list[str]:
        """qgis_server/lookup.qgs + lookup_units.gpkg: the published units with the four list texts as fields."""
        folder = os.path.join(root, SERVER_FOLDER)
        os.makedirs(folder, exist_ok=True)
        data_path = os.path.join(folder, SERVER_DATA)
        spec = [
            (schema.CODE, "str", schema.CODE_LENGTH),
            (schema.NAME, "str", 0),
            (schema.CLASS, "int", 0),
            (schema.COUNTY_CODE, "str", 6),
            (schema.COUNTY, "str", 0),
        ] + [(schema.DIMENSION_FIELDS[d], "str", 0) for d in DIMENSIONS]
        rows = []
        for unit in units:
            texts = numbered_text(
                library, UnitInfo(code=unit.code, unit_class=unit.unit_class, subtypes=list(unit.subtypes))
            )
            county = site.counties[unit.county_code]["name"]
            values = {
                schema.CODE: unit.code,
                schema.NAME: unit.name,
                schema.CLASS: unit.unit_class,
                schema.COUNTY_CODE: unit.county_code,
                schema.COUNTY: county,
            }
            values.update({schema.DIMENSION_FIELDS[d]: texts[d] for d in DIMENSIONS})
            rows.append((unit.geom, values))
        write_vector(data_path, SERVER_LAYER, spec, rows, date)
        layer = QgsVectorLayer(f"{data_path}|layername={SERVER_LAYER}", "环境管控单元", "ogr")
        if not layer.isValid():
            raise QgsProcessingException(f"could not open {data_path} for the QGIS Server project")
        apply_style(layer, "units")
        layer.setShortName(SERVER_LAYER)
        for dimension in DIMENSIONS:
            index = layer.fields().lookupField(schema.DIMENSION_FIELDS[dimension])
            layer.setFieldAlias(index, library.dimension_label(dimension))
        project = QgsProject()
        project_path = os.path.join(folder, SERVER_PROJECT)
        project.setFileName(project_path)
        project.setCrs(layer.crs())
        title = site.overview["meta"]["title"]
        project.setTitle(title)
        if project.addMapLayer(layer) is None:
            raise QgsProcessingException("could not add the units to the QGIS Server project")
        bbox = site.overview["meta"]["bbox"]
        project.writeEntry("WMSServiceCapabilities", "/", True)
        project.writeEntry("WMSServiceTitle", "/", title)
        project.writeEntry("WMSServiceAbstract", "/", f"{title} {site.overview['meta']['version']}")
        project.writeEntry("WMSCrsList", "/", ["EPSG:4490", "EPSG:4326", "EPSG:3857"])
        project.writeEntry("WMSExtent", "/", [str(v) for v in bbox])
        project.writeEntry("WMSFeatureInfoPrecision", "/", 8)
        project.writeEntry("WFSLayers", "/", [layer.id()])
        project.writeEntry("WFSLayersPrecision", "/" + layer.id(), 8)
        project.writeEntry("Paths", "/Absolute", False)
        if not project.write():
            raise QgsProcessingException(f"could not write {project_path}: {project.error()}")
        project.clear()
        return [f"{SERVER_FOLDER}/{SERVER_PROJECT}", f"{SERVER_FOLDER}/{SERVER_DATA}"]
