"""A copy of the sample scheme in the form another department publishes it, for `make demo` (issue 11).

- the units as a GBK Shapefile without .cpg, in the CGCS2000 3-degree Gauss–Krüger zone without zone prefix
  (EPSG:4551, central meridian 126°E), with the field names HJZHGKDYBM, HJZHGKDYMC, SHENG, SHI, AREA (county
  name) and ZHGKDYFL written as text (优先保护单元 …), and an area field of its own in mu (亩);
- the admission lists as a 附表1 spreadsheet in 佛山市's layout: the unit cells merged over the unit's rows,
  管控维度 | 管控要求 with Guangdong's labels, clauses numbered ``1-1.【要素/禁止类】…`` (each unit's effective list,
  so the province's clauses are repeated in every unit, as published tables do).

    python scripts/foreign_scheme.py UNITS.gpkg LIBRARY_DIR OUT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUANGDONG_LABELS = {
    "spatial_layout": "区域布局管控",
    "resource_efficiency": "能源资源利用",
    "emission_control": "污染物排放管控",
    "risk_prevention": "环境风险防控",
}
CLASS_TEXT = {1: "优先保护单元", 2: "重点管控单元", 3: "一般管控单元"}
KIND_TAG = {"prohibit": "禁止类", "restrict": "限制类", "encourage": "鼓励引导类", "require": "综合类"}
ELEMENT = {
    "spatial_layout": "空间",
    "emission_control": "排放",
    "risk_prevention": "风险",
    "resource_efficiency": "资源",
}


def write_units(units_gpkg: Path, shp: Path) -> list[dict]:
    from osgeo import ogr, osr

    source = ogr.Open(str(units_gpkg))
    layer = source.GetLayer(0)
    target_srs = osr.SpatialReference()
    target_srs.ImportFromEPSG(4551)
    source_srs = layer.GetSpatialRef()
    for srs in (source_srs, target_srs):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source_srs, target_srs)
    driver = ogr.GetDriverByName("ESRI Shapefile")
    if shp.exists():
        driver.DeleteDataSource(str(shp))
    out = driver.CreateDataSource(str(shp))
    out_layer = out.CreateLayer(shp.stem, target_srs, ogr.wkbMultiPolygon, options=["ENCODING=CP936"])
    for name, kind, width in (("HJZHGKDYBM", ogr.OFTString, 20), ("HJZHGKDYMC", ogr.OFTString, 100),
                              ("SHENG", ogr.OFTString, 20), ("SHI", ogr.OFTString, 20), ("AREA", ogr.OFTString, 20),
                              ("ZHGKDYFL", ogr.OFTString, 20), ("MJ_MU", ogr.OFTReal, 0)):  # fmt: skip
        field = ogr.FieldDefn(name, kind)
        if width:
            field.SetWidth(width)
        out_layer.CreateField(field)
    units = []
    for feature in layer:
        geometry = feature.GetGeometryRef().Clone()
        geometry.Transform(transform)
        row = ogr.Feature(out_layer.GetLayerDefn())
        unit_class = int(feature.GetField("ZHGKDYFL"))
        values = {
            "HJZHGKDYBM": feature.GetField("HJGKDYBM"),
            "HJZHGKDYMC": feature.GetField("HJGKDYMC"),
            "SHENG": feature.GetField("PROV"),
            "SHI": feature.GetField("CITY"),
            "AREA": feature.GetField("COUNTY"),
            "ZHGKDYFL": CLASS_TEXT[unit_class],
            "MJ_MU": round(geometry.GetArea() / 666.6667, 1),
        }
        for key, value in values.items():
            row.SetField(key, value)
        row.SetGeometry(geometry)
        out_layer.CreateFeature(row)
        units.append({"code": values["HJZHGKDYBM"], "name": values["HJZHGKDYMC"], "class": unit_class,
                      "subtype": feature.GetField("GKDYLX") or "", "prov": values["SHENG"], "city": values["SHI"],
                      "county": values["AREA"]})  # fmt: skip
        row = None
    out_layer = out = layer = source = None
    strip_code_page(shp)
    return units


def strip_code_page(shp: Path) -> None:
    """Remove the .cpg and zero the .dbf's code-page byte: a GBK Shapefile as many departments ship it."""
    shp.with_suffix(".cpg").unlink(missing_ok=True)
    descriptor = os.open(shp.with_suffix(".dbf"), os.O_RDWR)
    try:
        os.pwrite(descriptor, b"\x00", 29)
    finally:
        os.close(descriptor)


def write_table(units: list[dict], library_dir: Path, xlsx: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from openpyxl import Workbook

    from core.lists import load_library  # the plugin's core: pure Python

    library = load_library(str(library_dir))
    book = Workbook()
    sheet = book.active
    sheet.title = "附表1"
    sheet.append(["附表1 环境管控单元生态环境准入清单"])
    sheet.append(["环境管控单元编码", "环境管控单元名称", "省", "市", "县", "管控单元分类", "管控维度", "管控要求"])
    clauses = 0
    for unit in sorted(units, key=lambda u: u["code"]):
        effective = library.effective(unit["code"], unit["class"], [unit["subtype"]] if unit["subtype"] else [])
        first = sheet.max_row + 1
        info = [unit["code"], unit["name"], unit["prov"], unit["city"], unit["county"], CLASS_TEXT[unit["class"]]]
        for number, dimension in enumerate(GUANGDONG_LABELS, start=1):
            items = [e.clause for e in effective if e.clause.dimension == dimension]
            for serial, clause in enumerate(items, start=1):
                text = f"{number}-{serial}.【{ELEMENT[dimension]}/{KIND_TAG[clause.kind]}】{clause.text}"
                label = GUANGDONG_LABELS[dimension] if serial == 1 else ""
                sheet.append((info if sheet.max_row + 1 == first else [""] * 6) + [label, text])
                clauses += 1
        if sheet.max_row < first:
            sheet.append(info + ["", "执行省级总体管控要求"])
        last = sheet.max_row
        if last > first:
            for column in range(1, 7):
                sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    os.makedirs(xlsx.parent, exist_ok=True)
    book.save(xlsx)
    return clauses


def main(units_gpkg: str, library_dir: str, out_dir: str) -> tuple[Path, Path, int]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shp = out / "foreign_units.shp"
    xlsx = out / "foreign_附表1.xlsx"
    units = write_units(Path(units_gpkg), shp)
    clauses = write_table(units, Path(library_dir), xlsx)
    return shp, xlsx, clauses


if __name__ == "__main__":
    print(main(*sys.argv[1:4]))
