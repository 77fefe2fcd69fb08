"""What the admission-list algorithms share: opening a library, reading the unit layer's attributes."""

from __future__ import annotations

from qgis.core import QgsProcessingException

from ...core.list_table import UnitInfo
from ...core.lists import LibraryError, load_library
from ...core.schema import find_field, unit_class
from ..adapter import layer_label, require_field, require_source, tr
from ..compat import REQUEST_NO_GEOMETRY

UNIT_CODE_FIELD = "HJGKDYBM"


def open_library(algorithm, parameters, context, name: str = "LIBRARY", complete: bool = True):
    """The library of the parameter. With `complete` (every algorithm that uses the clauses), a library with a
    file that does not load whole is refused: running without its clauses would give wrong verdicts."""
    folder = algorithm.parameterAsFile(parameters, name, context)
    if not folder:
        raise QgsProcessingException("Choose the admission-list library folder (it holds library.yaml).")
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


def read_unit_infos(algorithm, parameters, context, feedback, name: str = "UNITS") -> list[UnitInfo]:
    """Codes, names, classes and subtypes of the unit layer (attributes only, no geometry)."""
    from qgis.core import QgsFeatureRequest

    source = require_source(algorithm, parameters, name, context, "The unit layer")
    label = f"Unit layer {layer_label(source, name)}"
    code_field = require_field(source, UNIT_CODE_FIELD, label, "unit codes")
    names = source.fields().names()
    fields = {wanted: find_field(names, wanted) for wanted in ("ZHGKDYFL", "GKDYLX", "HJGKDYMC", "CITY", "COUNTY")}

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
        subtype = str(value(feature, "GKDYLX") or "")
        units.append(
            UnitInfo(
                code=code,
                name=str(value(feature, "HJGKDYMC") or ""),
                city=str(value(feature, "CITY") or ""),
                county=str(value(feature, "COUNTY") or ""),
                unit_class=unit_class(value(feature, "ZHGKDYFL"), code),
                subtypes=[subtype] if subtype else [],
            )
        )
    if not units:
        raise QgsProcessingException(f"{label} is empty: it has no units.")
    return units
