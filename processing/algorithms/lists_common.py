"""What the admission-list algorithms share: opening a library, reading the unit layer's attributes."""

from __future__ import annotations

from qgis.core import QgsProcessingException, QgsProcessingParameterFile, QgsProcessingParameterProviderConnection

from ...core.errors import EcoZoningError
from ...core.library_store import FolderStore
from ...core.list_table import UnitInfo
from ...core.lists import LibraryError, load_library
from ..adapter import layer_label, require_field, require_source
from ..compat import FILE_FOLDER, REQUEST_NO_GEOMETRY

UNIT_CODE_FIELD = "HJGKDYBM"


def open_library(algorithm, parameters, context, name: str = "LIBRARY"):
    folder = algorithm.parameterAsFile(parameters, name, context)
    if not folder:
        raise QgsProcessingException(
            "Choose the admission-list library folder (it holds library.yaml), or a team library DATABASE."
        )
    try:
        return load_library(folder)
    except LibraryError as exc:
        raise QgsProcessingException(str(exc)) from exc


class LibraryParameters:
    """Mixin of the algorithms that read a library: LIBRARY (a folder) or DATABASE (a saved PostgreSQL
    connection holding a team library)."""

    def _add_library_parameters(self):
        self._add(
            QgsProcessingParameterFile("LIBRARY", self.tr("Admission-list library folder"), FILE_FOLDER, optional=True),
            "The folder holding library.yaml and the list files; leave it empty when the library is in a team "
            "database (DATABASE).",
        )
        self._add(
            QgsProcessingParameterProviderConnection(
                "DATABASE", self.tr("Team library database (PostgreSQL connection)"), "postgres", optional=True
            ),
            "A saved PostgreSQL connection whose database holds the team library (published with Publish "
            "admission-list library); used instead of LIBRARY.",
        )


def open_store(algorithm, parameters, context):
    """(store, library) of LIBRARY or DATABASE; the store says the library's revision."""
    connection = ""
    if parameters.get("DATABASE"):
        connection = algorithm.parameterAsConnectionName(parameters, "DATABASE", context)
    if connection:
        from ...core.db_library import DatabaseStore
        from ..db_connections import connection_params

        try:
            store = DatabaseStore(connection_params(connection))
            return store, store.load()
        except EcoZoningError as exc:
            raise QgsProcessingException(f"connection '{connection}': {exc}") from exc
    library = open_library(algorithm, parameters, context)
    return FolderStore(library.root), library


def read_unit_infos(algorithm, parameters, context, feedback, name: str = "UNITS") -> list[UnitInfo]:
    """Codes, names, classes and subtypes of the unit layer (attributes only, no geometry)."""
    from qgis.core import QgsFeatureRequest

    source = require_source(algorithm, parameters, name, context, "The unit layer")
    label = f"Unit layer {layer_label(source, name)}"
    require_field(source, UNIT_CODE_FIELD, label, "unit codes")
    fields = source.fields().names()
    request = QgsFeatureRequest().setFlags(REQUEST_NO_GEOMETRY)
    units = []
    for feature in source.getFeatures(request):
        if feedback.isCanceled():
            break
        code = str(feature[UNIT_CODE_FIELD] or "").strip()
        unit_class = feature["ZHGKDYFL"] if "ZHGKDYFL" in fields else None
        try:
            unit_class = (
                int(unit_class)
                if unit_class not in (None, "")
                else (int(code[8]) if len(code) > 8 and code[8].isdigit() else None)
            )
        except (TypeError, ValueError):
            unit_class = None
        subtype = str(feature["GKDYLX"]) if "GKDYLX" in fields and feature["GKDYLX"] else ""
        units.append(
            UnitInfo(
                code=code,
                name=str(feature["HJGKDYMC"] or "") if "HJGKDYMC" in fields else "",
                city=str(feature["CITY"] or "") if "CITY" in fields else "",
                county=str(feature["COUNTY"] or "") if "COUNTY" in fields else "",
                unit_class=unit_class,
                subtypes=[subtype] if subtype else [],
            )
        )
    if not units:
        raise QgsProcessingException(f"{label} is empty: it has no units.")
    return units
