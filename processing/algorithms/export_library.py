"""ecozoning:exportlibrary — write the team database's library as a library folder."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterProviderConnection,
)

from ...core.db_library import export_library
from ...core.errors import EcoZoningError
from ..db_connections import connection_params
from .base import EcoZoningAlgorithm


class ExportLibrary(EcoZoningAlgorithm):
    NAME = "exportlibrary"
    DISPLAY = "Export admission-list library from a team database"
    GROUP_ID = "lists"
    HELP_EN = (
        "Writes the library of a team database (published with Publish admission-list library) as a library "
        "folder: library.yaml, province.yaml, regions/, cities/, units/. Every unit gets the same effective list "
        "as in the database. Files are written atomically; a file already there is kept as .bak. REVISION says "
        "which state of the database was exported (its last history entry)."
    )
    HELP_ZH = (
        "将团队数据库中的准入清单（由“发布准入清单库”发布）导出为清单库文件夹：library.yaml、province.yaml、regions/、"
        "cities/、units/，每个单元的有效清单与数据库中一致。文件以原子方式写入，已有文件保留为 .bak。REVISION 记录导出的"
        "数据库状态（最后一条历史记录编号）。"
    )

    def initAlgorithm(self, config=None):
        self._add(
            QgsProcessingParameterProviderConnection(
                "DATABASE", self.tr("Team library database (PostgreSQL connection)"), "postgres"
            ),
            "A saved PostgreSQL connection whose database holds the team library.",
        )
        self._add(
            QgsProcessingParameterFolderDestination("OUTPUT", self.tr("Library folder")),
            "The folder to write the library to (created when missing).",
        )
        self._add_output(QgsProcessingOutputNumber("FILE_COUNT", self.tr("Number of files")))
        self._add_output(QgsProcessingOutputString("REVISION", self.tr("Library revision")))

    def run_algorithm(self, parameters, context, feedback):
        name = self.parameterAsConnectionName(parameters, "DATABASE", context)
        folder = self.parameterAsString(parameters, "OUTPUT", context)
        try:
            written, revision = export_library(connection_params(name), folder)
        except EcoZoningError as exc:
            raise QgsProcessingException(f"connection '{name}': {exc}") from exc
        except OSError as exc:
            raise QgsProcessingException(f"cannot write {folder}: {exc}") from exc
        feedback.pushInfo(f"{len(written)} files written to {folder} (revision {revision})")
        return {"OUTPUT": folder, "FILE_COUNT": len(written), "REVISION": revision}
