"""What the admission-list algorithms share: opening a library, reading the unit layer's attributes."""

from __future__ import annotations

from qgis.core import QgsProcessingException, QgsProcessingParameterFile, QgsProcessingParameterProviderConnection

from ...core import schema
from ...core.errors import EcoZoningError
from ...core.library_store import FolderStore
from ...core.list_table import UnitInfo
from ...core.lists import LibraryError, load_library
from ...core.schema import find_field, unit_class
from ..adapter import layer_label, require_field, require_source, tr
from ..compat import FILE_FOLDER, REQUEST_NO_GEOMETRY

UNIT_CODE_FIELD = schema.CODE


def open_library(algorithm, parameters, context, name: str = "LIBRARY", complete: bool = True):
    """The library of the parameter. With `complete` (every algorithm that uses the clauses), a library with a
    file that does not load whole is refused: running without its clauses would give wrong verdicts."""
    folder = algorithm.parameterAsFile(parameters, name, context)
    if not folder:
        raise QgsProcessingException(
            "Choose the admission-list library folder (it holds library.yaml), or a team library DATABASE."
        )
    try:
        library = load_library(folder)
    except LibraryError as exc:
        raise QgsProcessingException(str(exc)) from exc
    broken = [p for p in library.load_problems if p.file in library.files and library.files[p.file].broken]
    if complete and broken:
        listing = "; ".join(str(p) for p in broken[:10]) + (f" … ({len(broken)})" if len(broken) > 10 else "")
        raise QgsProcessingException(
            tr(
                "The admission-list library {folder} has files that do not load whole: {listing}. Their clauses "
                "would be missing from the results. Fix these files (run 'Check admission lists' for every "
                "problem) and run again."
            ).format(folder=library.root, listing=listing)
        )
    return library


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


def open_store(algorithm, parameters, context, complete: bool = True):
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
    library = open_library(algorithm, parameters, context, complete=complete)
    return FolderStore(library.root), library


def read_unit_infos(algorithm, parameters, context, feedback, name: str = "UNITS") -> list[UnitInfo]:
    """Codes, names, classes and subtypes of the unit layer (attributes only, no geometry)."""
    from qgis.core import QgsFeatureRequest

    source = require_source(algorithm, parameters, name, context, "The unit layer")
    label = f"Unit layer {layer_label(source, name)}"
    code_field = require_field(source, UNIT_CODE_FIELD, label, "unit codes")
    names = source.fields().names()
    fields = {
        wanted: find_field(names, wanted) for wanted in (schema.CLASS, schema.SUBTYPE, schema.NAME, "CITY", "COUNTY")
    }

    def value(feature, wanted):
        name = fields[wanted]
        raw = feature[name] if name else None
        return None if raw is None or (hasattr(raw, "isNull") and raw.isNull()) else raw

    request = QgsFeatureRequest().setFlags(REQUEST_NO_GEOMETRY)
    units = []
    for feature in source.getFeatures(request):
        if feedback.isCanceled():
            break
        code = str(feature[code_field] or "").strip()
        subtype = str(value(feature, schema.SUBTYPE) or "")
        units.append(
            UnitInfo(
                code=code,
                name=str(value(feature, schema.NAME) or ""),
                city=str(value(feature, "CITY") or ""),
                county=str(value(feature, "COUNTY") or ""),
                unit_class=unit_class(value(feature, schema.CLASS), code),
                subtypes=[subtype] if subtype else [],
            )
        )
    if not units:
        raise QgsProcessingException(f"{label} is empty: it has no units.")
    return units
