"""ecozoning:publishlibrary — copy a folder library (and optionally the units) into the team database."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterProviderConnection,
    QgsWkbTypes,
)

from ...core import schema
from ...core.db_library import publish_library, publish_units
from ...core.errors import EcoZoningError
from ..compat import FILE_FOLDER, SOURCE_POLYGON
from ..db_connections import connection_params
from .base import EcoZoningAlgorithm
from .lists_common import open_library


class PublishLibrary(EcoZoningAlgorithm):
    NAME = "publishlibrary"
    DISPLAY = "Publish admission-list library to a team database"
    GROUP_ID = "lists"
    HELP_EN = (
        "Copies an admission-list library folder into a PostgreSQL/PostGIS database so that the province and its "
        "prefectures edit one library at once (the list dock opens it from QGIS's saved connections). The "
        "database's EcoZoning schema is created or migrated first (PostGIS enabled, tables, roles, row-level "
        "security, history triggers): run it as the database owner. A database that already holds a library is "
        "replaced only with REPLACE; its history is kept. Optionally the control units are published too "
        "(ecozoning.units, EPSG:4490). A folder with an unreadable file is refused, naming the file."
    )
    HELP_ZH = (
        "将准入清单库文件夹发布到 PostgreSQL/PostGIS 团队数据库，供省级和各地市同时编辑同一套清单（准入清单面板可从 QGIS "
        "已保存的连接中打开）。先创建或升级数据库中的 EcoZoning 结构（启用 PostGIS，建表、角色、行级安全策略和历史触发器），"
        "请以数据库所有者身份运行。数据库中已有清单时，仅在勾选 REPLACE 时替换，历史记录保留。可同时发布管控单元"
        "（ecozoning.units，EPSG:4490）。文件夹中有无法读取的文件时拒绝发布并指出文件。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterFile("LIBRARY", self.tr("Admission-list library folder"), FILE_FOLDER),
            "The folder holding library.yaml and the list files.",
        )
        self._add(
            QgsProcessingParameterProviderConnection(
                "DATABASE", self.tr("Team library database (PostgreSQL connection)"), "postgres"
            ),
            "A saved PostgreSQL connection (its user must own the database, or may create schemas, roles and the "
            "PostGIS extension).",
        )
        self._add(
            QgsProcessingParameterBoolean("REPLACE", self.tr("Replace the library already in the database"), False),
            "When the database already holds a library, replace its lists (history is kept); otherwise refuse.",
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                "UNITS", self.tr("Control units (optional)"), [SOURCE_POLYGON], optional=True
            ),
            "When given, the unit layer (HJGKDYBM, HJGKDYMC, ZHGKDYFL, GKDYLX, CITY, COUNTY) replaces the "
            "database's units table.",
            advanced=True,
        )
        self._add_output(QgsProcessingOutputNumber("CLAUSE_COUNT", self.tr("Number of clauses")))
        self._add_output(QgsProcessingOutputNumber("UNIT_COUNT", self.tr("Number of units")))
        self._add_output(QgsProcessingOutputString("REVISION", self.tr("Library revision")))

    def run_algorithm(self, parameters, context, feedback):
        library = open_library(self, parameters, context)
        broken = [p for p in library.load_problems if p.kind in ("yaml_error", "bad_file")]
        if broken:
            raise QgsProcessingException(
                "not published, these files cannot be read (fix them first): " + "; ".join(str(p) for p in broken)
            )
        name = self.parameterAsConnectionName(parameters, "DATABASE", context)
        try:
            params = connection_params(name)
            revision = publish_library(library, params, self.parameterAsBool(parameters, "REPLACE", context))
        except EcoZoningError as exc:
            raise QgsProcessingException(f"connection '{name}': {exc}") from exc
        clauses = sum(1 for _ in library.iter_clauses())
        feedback.pushInfo(f"{clauses} clauses of {library.root} published to '{name}' (revision {revision})")
        units = 0
        if parameters.get("UNITS"):
            units = self._publish_units(parameters, context, feedback, params)
            feedback.pushInfo(f"{units} units published to '{name}'")
        return {"CLAUSE_COUNT": clauses, "UNIT_COUNT": units, "REVISION": revision}

    def _publish_units(self, parameters, context, feedback, params) -> int:
        source = self.parameterAsSource(parameters, "UNITS", context)
        if source is None:
            raise QgsProcessingException("The unit layer could not be read.")
        fields = source.fields().names()
        if schema.CODE not in fields:
            raise QgsProcessingException("The unit layer has no HJGKDYBM field (unit codes).")
        transform = QgsCoordinateTransform(
            source.sourceCrs(), QgsCoordinateReferenceSystem("EPSG:4490"), context.transformContext()
        )
        rows = []
        for feature in source.getFeatures(QgsFeatureRequest()):
            if feedback.isCanceled():
                raise QgsProcessingException("Canceled: no unit was published.")
            code = str(feature[schema.CODE] or "").strip()
            geometry = feature.geometry()
            if not code or geometry.isEmpty():
                feedback.pushWarning(f"feature {feature.id()}: no code or no geometry, not published")
                continue
            geometry.transform(transform)
            geometry.convertToMultiType()  # noqa: QGS202 (False only when it is multi already)
            if QgsWkbTypes.geometryType(geometry.wkbType()) != QgsWkbTypes.GeometryType.PolygonGeometry:
                feedback.pushWarning(f"unit {code} (feature {feature.id()}): not a polygon, not published")
                continue

            def text(name, feature=feature):
                return str(feature[name] or "") if name in fields else ""

            raw_class = text(schema.CLASS)
            rows.append(
                {
                    "code": code,
                    "name": text(schema.NAME),
                    "unit_class": int(raw_class) if raw_class.isdigit() else None,
                    "subtype": text(schema.SUBTYPE),
                    "city": text("CITY"),
                    "county": text("COUNTY"),
                    "wkb": bytes(geometry.asWkb()),
                }
            )
        try:
            return publish_units(params, rows)
        except EcoZoningError as exc:
            raise QgsProcessingException(str(exc)) from exc
