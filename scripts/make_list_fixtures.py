#!/usr/bin/env python3
"""Write the 附表1 test fixtures of tests/unit/data from the published 佛山市 list (foshan_units.json).

The text is the published scheme's (an official document); the layouts are the ones departments publish:

- ``foshan_long.csv``: one row per printed row, unit cells "merged" (filled on the first row of a unit only),
  管控维度 | 管控要求 columns; clauses wrap over rows and one dimension label is split over two rows, as printed;
- ``foshan_wide.csv``: one row per unit, one column per dimension (Jiangsu/Zhejiang labels), priority units'
  requirements in a 管控要求 column, each cell's printed lines kept as line breaks;
- ``foshan_clauses.csv``: one row per clause (number, dimension, tag and text in their own columns).

    python scripts/make_list_fixtures.py /work/shared/data/real-lists/foshan_units.json tests/unit/data
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

BLOCKS = ("ZH44060410001", "ZH44060520010", "ZH440605200001")  # priority; split label; 14-character code
UNIT_HEADER = ["环境管控单元编码", "环境管控单元名称", "省", "市", "县", "管控单元分类", "涉及要素"]
WIDE_LABELS = {  # Foshan label -> the label a Jiangsu/Zhejiang table prints
    "区域布局管控": "空间布局约束",
    "空间布局约束": "空间布局约束",
    "区域布局约束": "空间布局约束",
    "污染物排放管控": "污染物排放管控",
    "环境风险防控": "环境风险防控",
    "能源资源利用": "资源开发效率要求",
}
CLAUSE_START = re.compile(r"^(\d+(?:-\d+)?)\.?(【[^】]*】)")


def cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def blocks(path: Path):
    for block in json.loads(path.read_text(encoding="utf-8")):
        rows = [cells(r) for r in block["rows"]]
        if rows and rows[0][0] in BLOCKS:
            yield rows


def unit_info(rows) -> tuple[list[str], list[list[str]]]:
    head = [r for r in rows if len(r) == 7]
    info = ["".join(r[i] for r in head) if i in (1, 6) else head[0][i] for i in range(7)]
    body = [r for r in rows if len(r) != 7 and r[0] not in ("管控维度",) and r != ["管控要求"]]
    return info, body


def main(source: str, folder: str) -> None:
    out = Path(folder)
    long_rows = [UNIT_HEADER + ["管控维度", "管控要求"]]
    wide_rows = [
        ["环境管控单元编码", "环境管控单元名称", "县", "管控单元分类", *dict.fromkeys(WIDE_LABELS.values()), "管控要求"]
    ]
    clause_rows = [["单元编码", "管控维度", "编号", "属性", "管控要求"]]
    for rows in blocks(Path(source)):
        info, body = unit_info(rows)
        first = True
        wide: dict[str, list[str]] = {}
        label = ""
        clause = None
        for row in body:
            dimension, text = (row[0], row[1]) if len(row) == 2 else ("", row[0])
            long_rows.append((info if first else [""] * 7) + [dimension, text])
            first = False
            if dimension:
                label = dimension if label != "污染物排放管" else label + dimension
            column = WIDE_LABELS.get(label, "管控要求" if not label else None)
            if label == "共性要求":
                continue
            if column is None and label != "污染物排放管":
                raise SystemExit(f"unknown label {label}")
            wide.setdefault(column or "污染物排放管控", []).append(text)
            match = CLAUSE_START.match(text)
            if match:
                clause = [info[0], WIDE_LABELS.get(label, label) if label else "", match.group(1),
                          match.group(2), text[match.end():]]  # fmt: skip
                clause_rows.append(clause)
            elif clause is not None:
                clause[4] += text
        wide_rows.append([info[0], info[1], info[4], info[5]] + ["\n".join(wide.get(c, [])) for c in wide_rows[0][4:]])
    for name, rows in (
        ("foshan_long.csv", long_rows),
        ("foshan_wide.csv", wide_rows),
        ("foshan_clauses.csv", clause_rows),
    ):
        with open(out / name, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        print(f"{out / name}: {len(rows) - 1} rows")


if __name__ == "__main__":
    main(*sys.argv[1:3])
