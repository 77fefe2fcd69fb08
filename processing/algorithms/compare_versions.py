"""ecozoning:compareversions — explain a dynamic update or a 5-year adjustment."""

from __future__ import annotations

import datetime
import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
)

from ...core import schema
from ...core.compare import NONE, VersionUnit, compare, report_html, transition_label
from ...core.lists import LibraryError
from ...core.schema import CODE_LENGTH, UNIT_CODE_RE
from ..adapter import (
    STORAGE_CRS,
    layer_label,
    make_fields,
    new_feature,
    read_features,
    require_field,
    require_source,
    write,
)
from ..compat import FILE_FOLDER, MULTIPOLYGON, NO_GEOMETRY, SOURCE_POLYGON, SOURCE_VECTOR
from .base import EcoZoningAlgorithm
from .lists_common import open_library

CHANGE_FIELDS = [("OLD_CODE", "str", CODE_LENGTH), ("NEW_CODE", "str", CODE_LENGTH), ("OLD_CLASS", "str", 2), ("NEW_CLASS", "str", 2),
                 ("OLD_TYPE", "str", 40), ("NEW_TYPE", "str", 40), ("AREA_M2", "float", 0), ("AREA_KM2", "float", 0)]  # fmt: skip
TRANSITION_FIELDS = [("KIND", "str", 8), ("FROM", "str", 40), ("FROM_ZH", "str", 60), ("TO", "str", 40), ("TO_ZH", "str", 60), ("AREA_KM2", "float", 0)]  # fmt: skip
UNIT_FIELDS = [("CODE", "str", CODE_LENGTH), ("NAME", "str", 254), ("STATUS", "str", 80), ("OLD_KM2", "float", 0), ("NEW_KM2", "float", 0),
               ("CAME_FROM", "str", 0), ("WENT_TO", "str", 0)]  # fmt: skip
CLAUSE_FIELDS = [("CLAUSE_ID", "str", 60), ("CHANGE", "str", 10), ("LEVEL", "str", 10), ("SCOPE", "str", 20), ("FIELDS", "str", 120),
                 ("OLD_TEXT", "str", 0), ("NEW_TEXT", "str", 0)]  # fmt: skip
PRIORITY_FIELDS = [("XZQDM", "str", 6), ("OLD_KM2", "float", 0), ("NEW_KM2", "float", 0), ("LOST_KM2", "float", 0), ("GAINED_KM2", "float", 0)]  # fmt: skip


class CompareVersions(EcoZoningAlgorithm):
    NAME = "compareversions"
    DISPLAY = "Compare scheme versions"
    GROUP_ID = "units"
    HELP_EN = (
        "Compares two versions of the units (a dynamic update or the 5-year adjustment): CHANGES holds the polygons "
        "where code, class or subtype changed; TRANSITIONS the old-class × new-class area matrix in km² (and the same by "
        "subtype; '-' is land a version does not cover), which adds up to the area of each version; UNIT_CHANGES one row "
        "per code with its status (new, retired, unchanged, boundary_changed, class_changed, split, merged, list_changed) "
        "and its lineage (where its area came from and went to, with shares); CLAUSE_DIFF the clauses added, removed or "
        "changed between the two libraries; PRIORITY the priority-protection area lost and gained per county; and an "
        "update explanation (更新说明) in HTML to attach to a filing."
    )
    HELP_ZH = (
        "比较两个版本的环境管控单元（动态更新或五年定期调整）：CHANGES 为编码、类别或类型发生变化的图斑；TRANSITIONS 为原类别×新类别"
        "面积转移矩阵（平方公里，另按类型统计；“-”表示该版本未覆盖的区域），其合计等于各版本面积；UNIT_CHANGES 每个编码一行，"
        "给出状态（新增、撤销、未变、边界调整、类别调整、拆分、合并、清单调整）及面积来源与去向（含比例）；CLAUSE_DIFF 为两版清单库"
        "中新增、删除、修改的条款；PRIORITY 为分县优先保护单元面积的减少和增加；并生成可随备案材料提交的更新说明（HTML）。"
    )

    def initAlgorithm(self, config=None):
        for name, label in (("OLD_UNITS", "Units, previous version"), ("NEW_UNITS", "Units, new version")):
            self._add(
                QgsProcessingParameterFeatureSource(name, self.tr(label), [SOURCE_POLYGON]),
                "A unit layer (HJGKDYBM, ZHGKDYFL, GKDYLX, XZQDM).",
            )
        for name, label in (
            ("OLD_LIBRARY", "Admission lists, previous version"),
            ("NEW_LIBRARY", "Admission lists, new version"),
        ):
            self._add(
                QgsProcessingParameterFile(name, self.tr(label), FILE_FOLDER, optional=True),
                "Optional library folders: with both, clause changes and units whose effective list changed are reported.",
            )
        sinks = (
            (
                "CHANGES",
                "Changed areas",
                SOURCE_POLYGON,
                "Polygons where the code, class or subtype changed, with old and new values.",
            ),
            (
                "TRANSITIONS",
                "Class transitions",
                SOURCE_VECTOR,
                "Old × new class (and subtype) area matrix in km², one row per pair.",
            ),
            (
                "UNIT_CHANGES",
                "Changes per unit code",
                SOURCE_VECTOR,
                "Status and lineage of every code of either version.",
            ),
            (
                "CLAUSE_DIFF",
                "Clause changes",
                SOURCE_VECTOR,
                "Clauses added, removed or changed between the libraries.",
            ),
            (
                "PRIORITY",
                "Priority area per county",
                SOURCE_VECTOR,
                "Priority protection area before and after, lost and gained.",
            ),
        )
        for name, label, kind, help_text in sinks:
            self._add(
                QgsProcessingParameterFeatureSink(
                    name, self.tr(label), kind, optional=name != "CHANGES", createByDefault=True
                ),
                help_text,
            )
        self._add(
            QgsProcessingParameterFileDestination(
                "REPORT_HTML",
                self.tr("Update explanation"),
                "HTML files (*.html)",
                optional=True,
                createByDefault=True,
            ),
            "Summary, transition table, largest changes, list changes and the priority indicator.",
        )
        for name, label in (("PRIORITY_LOST_KM2", "Priority area lost (km²)"), ("PRIORITY_GAINED_KM2", "Priority area gained (km²)"),
                            ("NEW_COUNT", "New codes"), ("RETIRED_COUNT", "Retired codes"), ("CHANGED_COUNT", "Changed units")):  # fmt: skip
            self._add_output(QgsProcessingOutputNumber(name, self.tr(label)))

        self._add_repair_tolerance()

    def _units(self, parameters, name, context, feedback, span) -> list[VersionUnit]:
        source = require_source(self, parameters, name, context, f"The unit layer {name}")
        label = f"{name} {layer_label(source, name)}"
        require_field(source, schema.CODE, label, "unit codes")
        units = []
        for fid, geom, attrs in read_features(source, context, feedback, label=label, span=span):
            code = str(attrs.get(schema.CODE) or "")
            if not UNIT_CODE_RE.match(code):
                raise QgsProcessingException(f"{label}, feature {fid}: '{code}' is not a unit code.")
            if geom is None or geom.is_empty:
                continue
            unit_class = schema.unit_class(attrs.get(schema.CLASS), code)
            county = schema.normalize_county_code(attrs.get("XZQDM")) or code[2:8]
            units.append(
                VersionUnit(
                    code,
                    unit_class,
                    str(attrs.get(schema.SUBTYPE) or ""),
                    county,
                    geom,
                    str(attrs.get(schema.NAME) or ""),
                )
            )
        if not units:
            raise QgsProcessingException(f"{label} has no units.")
        return units

    def run_algorithm(self, parameters, context, feedback):
        old = self._units(parameters, "OLD_UNITS", context, feedback, (0, 30))
        new = self._units(parameters, "NEW_UNITS", context, feedback, (30, 60))
        libraries = []
        for name in ("OLD_LIBRARY", "NEW_LIBRARY"):
            folder = self.parameterAsFile(parameters, name, context) if parameters.get(name) else ""
            try:
                libraries.append(open_library(self, parameters, context, name) if folder else None)
            except LibraryError as exc:
                raise QgsProcessingException(f"{name}: {exc}") from exc
        result = compare(old, new, libraries[0], libraries[1])
        feedback.setProgress(80)
        outputs = {}
        fields = make_fields(CHANGE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "CHANGES", context, fields, MULTIPOLYGON, STORAGE_CRS)
        for piece in result.pieces:
            if not piece.changed:
                continue
            values = {
                "OLD_CODE": piece.old.code if piece.old else "", "NEW_CODE": piece.new.code if piece.new else "",
                "OLD_CLASS": str(piece.old.unit_class) if piece.old else NONE, "NEW_CLASS": str(piece.new.unit_class) if piece.new else NONE,
                "OLD_TYPE": piece.old.subtype if piece.old else "", "NEW_TYPE": piece.new.subtype if piece.new else "",
                "AREA_M2": round(piece.area_m2, 3), "AREA_KM2": round(piece.area_m2 / 1e6, 6),
            }  # fmt: skip
            write(sink, new_feature(fields, values, piece.geom), "a changed area")
        outputs["CHANGES"] = dest
        tables = {
            "TRANSITIONS": (TRANSITION_FIELDS, [
                {"KIND": kind, "FROM": str(a), "FROM_ZH": transition_label(a), "TO": str(b), "TO_ZH": transition_label(b), "AREA_KM2": round(area / 1e6, 6)}
                for kind, table in (("class", result.transitions), ("subtype", result.subtype_transitions))
                for (a, b), area in sorted(table.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1])))
            ]),
            "UNIT_CHANGES": (UNIT_FIELDS, [
                {"CODE": c.code, "NAME": c.name[:254], "STATUS": ",".join(c.statuses), "OLD_KM2": round(c.old_area_m2 / 1e6, 6),
                 "NEW_KM2": round(c.new_area_m2 / 1e6, 6), "CAME_FROM": ";".join(f"{code}:{share:.4f}" for code, share in c.came_from),
                 "WENT_TO": ";".join(f"{code}:{share:.4f}" for code, share in c.went_to)}
                for c in result.unit_changes
            ]),
            "CLAUSE_DIFF": (CLAUSE_FIELDS, [
                {"CLAUSE_ID": c.clause_id, "CHANGE": c.change, "LEVEL": c.level, "SCOPE": c.scope, "FIELDS": ",".join(c.fields),
                 "OLD_TEXT": c.old_text, "NEW_TEXT": c.new_text}
                for c in result.clause_changes
            ]),
            "PRIORITY": (PRIORITY_FIELDS, [
                {"XZQDM": county, "OLD_KM2": round(v["old"] / 1e6, 6), "NEW_KM2": round(v["new"] / 1e6, 6),
                 "LOST_KM2": round(v["lost"] / 1e6, 6), "GAINED_KM2": round(v["gained"] / 1e6, 6)}
                for county, v in sorted(result.priority.items())
            ]),
        }  # fmt: skip
        for name, (spec, rows) in tables.items():
            table_fields = make_fields(spec)
            sink, dest = self.parameterAsSink(parameters, name, context, table_fields, NO_GEOMETRY)
            if sink is None:
                continue
            for row in rows:
                write(sink, new_feature(table_fields, row), f"a row of {name}")
            outputs[name] = dest
        report = self.parameterAsFileOutput(parameters, "REPORT_HTML", context)
        if report:
            os.makedirs(os.path.dirname(os.path.abspath(report)), exist_ok=True)
            context_rows = {
                "原版本 Previous": f"{len(old)} units",
                "新版本 New": f"{len(new)} units",
                "日期 Date": datetime.date.today().isoformat(),
            }
            with open(report, "w", encoding="utf-8") as handle:
                handle.write(report_html(result, context_rows))
            outputs["REPORT_HTML"] = report
        lost = sum(v["lost"] for v in result.priority.values()) / 1e6
        gained = sum(v["gained"] for v in result.priority.values()) / 1e6
        outputs.update(
            PRIORITY_LOST_KM2=round(lost, 6),
            PRIORITY_GAINED_KM2=round(gained, 6),
            NEW_COUNT=sum("new" in c.statuses for c in result.unit_changes),
            RETIRED_COUNT=sum("retired" in c.statuses for c in result.unit_changes),
            CHANGED_COUNT=sum(c.statuses != ["unchanged"] for c in result.unit_changes),
        )
        feedback.pushInfo(f"priority area lost {lost:.3f} km², gained {gained:.3f} km²")
        return outputs
