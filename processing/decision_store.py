"""The reviewer's decisions (审查意见) in a GeoPackage the reviewer chooses: read from any table (a GeoPackage layer,
CSV, spreadsheet) with the fields of core/schema.DECISION_FIELDS, and appended — never rewritten — by the dock.

A re-run of the screening reads the decisions and never writes to them; every decision stays in the table (the
latest per project is the current one), so a changed mind is on record too."""

from __future__ import annotations

import os

from osgeo import gdal, ogr

from ..core import schema
from ..core.report import Decision, DecisionError, check_decision, latest_decisions
from ..core.screening import VERDICT_LABELS

_BY_LABEL = {label: key for key, label in VERDICT_LABELS.items()}
CONFIRM_WORDS = {"confirm", "confirmed", "确认", "同意", "维持"}


def parse_verdict(value, system_verdict: str = "") -> str:
    """'fail', '判定不通过', or 'confirm'/'确认' (the system's verdict) → a verdict key; '' when unreadable."""
    text = str(value or "").strip()
    if text.lower() in VERDICT_LABELS:
        return text.lower()
    if text in _BY_LABEL:
        return _BY_LABEL[text]
    if text.lower() in CONFIRM_WORDS and system_verdict:
        return system_verdict
    return text


def decision_from_attrs(attrs: dict, where: str, system_verdicts: dict | None = None) -> Decision:
    names = list(attrs)

    def get(key):
        field = schema.find_field(
            names, schema.DECISION_FIELDS[key], schema.DECISION_ALIASES.get(schema.DECISION_FIELDS[key], ())
        )
        value = attrs.get(field) if field else None
        return (
            "" if value is None else str(value.toString("yyyy-MM-dd") if hasattr(value, "toString") else value).strip()
        )

    pid = get("pid")
    system = (system_verdicts or {}).get(pid, "") or get("system_verdict")
    decision = Decision(
        pid=pid,
        decision=parse_verdict(get("decision"), system),
        reason=get("reason"),
        reviewer=get("reviewer"),
        time=get("time"),
        system_verdict=system,
        report_number=get("report_number"),
    )
    return check_decision(decision, where)


def decisions_from_rows(rows, label: str, system_verdicts: dict | None = None) -> dict[str, Decision]:
    """rows: (fid, attrs). A row a reviewer could not sign (no reason, unknown verdict…) stops with its row."""
    decisions = []
    for fid, attrs in rows:
        if not any(v not in (None, "") for v in attrs.values()):
            continue  # an empty row of a spreadsheet
        decisions.append(decision_from_attrs(attrs, f"{label}，第 {fid} 行", system_verdicts))
    return latest_decisions(decisions)


def read_decisions(path: str) -> dict[str, Decision]:
    """The current decision per project of the GeoPackage's decisions table ({} when the file has none)."""
    if not path or not os.path.exists(path):
        return {}
    gdal.UseExceptions()
    source = ogr.Open(path)
    layer = source.GetLayerByName(schema.DECISION_LAYER) if source is not None else None
    if layer is None:
        return {}
    definition = layer.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    rows = []
    for feature in layer:
        rows.append((feature.GetFID(), {name: feature.GetField(name) for name in names}))
    result = decisions_from_rows(rows, f"{path} 的 {schema.DECISION_LAYER} 表")
    source = None
    return result


def append_decision(path: str, decision: Decision) -> str:
    """Add the decision to the GeoPackage's decisions table (made when missing); earlier rows stay as they are."""
    check_decision(decision)
    gdal.UseExceptions()
    driver = ogr.GetDriverByName("GPKG")
    source = ogr.Open(path, 1) if os.path.exists(path) else driver.CreateDataSource(path)
    if source is None:
        raise DecisionError(f"无法打开或新建审查意见文件 {path}")
    layer = source.GetLayerByName(schema.DECISION_LAYER)
    if layer is None:
        layer = source.CreateLayer(schema.DECISION_LAYER, geom_type=ogr.wkbNone)
        for key in schema.DECISION_FIELDS.values():
            layer.CreateField(ogr.FieldDefn(key, ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    for attribute, key in schema.DECISION_FIELDS.items():
        feature.SetField(key, str(getattr(decision, attribute) or ""))
    if layer.CreateFeature(feature) != 0:
        raise DecisionError(f"无法写入审查意见 {path}")
    source.FlushCache()
    source = None
    return path
