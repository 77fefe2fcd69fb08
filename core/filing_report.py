"""The filing check's report: problems counted by kind and a self-contained bilingual HTML page."""

from __future__ import annotations

import html

from .filing_rules import FILING_KINDS, Problem
from .severity import SEVERITY_LABELS, count_by_severity, readiness

KIND_LABELS = {
    "manifest_missing": "缺少文件清单 manifest.json missing",
    "manifest_invalid": "文件清单格式错误 Malformed manifest",
    "missing_file": "缺少文件 Missing file",
    "extra_file": "多余文件 File not in the manifest",
    "hash_mismatch": "校验值不符 SHA-256 differs from the manifest",
    "size_mismatch": "文件大小不符 Size differs from the manifest",
    "metadata_missing": "元数据缺项 Missing metadata",
    "metadata_invalid": "元数据无效 Invalid metadata",
    "bad_layer": "图层无法使用 Unusable layer",
    "crs": "坐标系不符 CRS is not CGCS2000 (EPSG:4490)",
    "missing_field": "缺少字段 Missing field",
    "shp_mismatch": "Shapefile 副本与 GeoPackage 不一致 Shapefile copy differs",
    "bad_code": "编码格式错误 Malformed code",
    "duplicate_code": "编码重复 Duplicate code",
    "class_mismatch": "编码类别位与分类不符 Class digit differs from ZHGKDYFL",
    "county_mismatch": "编码县级代码与XZQDM不符 County differs",
    "crosses_county": "跨县界 Crosses a county line",
    "outside_admin": "超出行政区 Outside the admin area",
    "gap": "缝隙 Gap",
    "overlap": "重叠 Overlap",
    "invalid_geometry": "几何无效 Invalid geometry",
    "empty_geometry": "空几何 Empty geometry",
    "sliver": "碎图斑 Sliver",
    "area_mismatch": "面积字段不符 MJ differs from the geometry's area",
    "not_in_list": "单元不在附表1中 Unit missing from 附表1",
    "list_without_unit": "附表1中的单元不存在 附表1 row with no unit",
    "list_duplicate": "附表1单元重复 Unit repeated in 附表1",
    "list_unreadable": "附表1无法读取 附表1 unreadable",
}


def count_by_kind(problems: list[Problem]) -> dict[str, int]:
    counts = {kind: 0 for kind in FILING_KINDS}
    for problem in problems:
        counts[problem.kind] = counts.get(problem.kind, 0) + 1
    return counts


def report_html(problems: list[Problem], title: str, context: dict[str, str], max_rows: int = 5000) -> str:
    """A self-contained bilingual HTML report; every text from the package is escaped."""
    esc = html.escape
    counts = count_by_kind(problems)
    summary = "".join(
        f"<tr class='{'bad' if n else 'ok'}'><td>{esc(KIND_LABELS.get(kind, kind))}</td>"
        f"<td><code>{esc(kind)}</code></td><td>{n}</td></tr>"
        for kind, n in counts.items()
    )
    info = "".join(f"<tr><th>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in context.items())
    details = "".join(
        f"<tr><td>{esc(SEVERITY_LABELS.get(p.severity, p.severity))}</td><td>{esc(KIND_LABELS.get(p.kind, p.kind))}</td>"
        f"<td>{esc(p.file)}</td><td>{esc(p.ref)}</td><td>{esc(p.message)}</td></tr>"
        for p in problems[:max_rows]
    )
    more = f"<p>… {len(problems) - max_rows} more in the ISSUES table.</p>" if len(problems) > max_rows else ""
    _ready, verdict = readiness(problems)
    verdict += "".join(f" · {SEVERITY_LABELS[k]} {v}" for k, v in count_by_severity(problems).items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #bbb;padding:4px 8px;text-align:left}}
tr.bad td{{background:#fde2e1}}tr.ok td{{background:#e6f4ea}}</style></head>
<body><h1>{esc(title)}</h1><p><b>{esc(verdict)}</b></p>
<table>{info}</table>
<h2>问题统计 Problems by kind</h2><table><tr><th>类型</th><th>Kind</th><th>数量 Count</th></tr>{summary}</table>
<h2>问题明细 Details</h2><table><tr><th>严重程度 Severity</th><th>类型 Kind</th><th>文件 File</th><th>对象 Ref</th><th>说明 Message</th></tr>{details}</table>{more}
</body></html>
"""
