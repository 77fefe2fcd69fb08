"""What the admission-list algorithms share: opening a library, reading the unit layer's attributes."""

from __future__ import annotations

from qgis.core import QgsProcessingException

from ...core.list_table import UnitInfo
from ...core.lists import LibraryError, load_library
from ..adapter import layer_label, require_field, require_source
from ..compat import REQUEST_NO_GEOMETRY

UNIT_CODE_FIELD = "HJGKDYBM"


def open_library(algorithm, parameters, context, name: str = "LIBRARY"):
    folder = algorithm.parameterAsFile(parameters, name, context)
    if not folder:
        raise QgsProcessingException("Choose the admission-list library folder (it holds library.yaml).")
    try:
        return load_library(folder)
    except LibraryError as exc:
        raise QgsProcessingException(str(exc)) from exc


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
