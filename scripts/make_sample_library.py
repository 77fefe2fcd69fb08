"""Write the sample admission-list library (resources/sample/library) for the units of the Harbin sample.

Province, region (哈大绥) and prefecture clauses are fixed texts in the style of the published lists; every
unit gets its own clauses from its class, dominant subtype and name. The unit codes come from the demo's
units (demo_output/units.gpkg, made through qgis_process by `make demo`), so run the demo first.
Usage: make_sample_library.py [--units demo_output/units.gpkg] [--out resources/sample/library]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))

from ecozoning.core.lists import Clause, Library, save_library, save_library_meta  # noqa: E402

SOURCE_PROVINCE = "《黑龙江省生态环境分区管控方案》（示例）"
SOURCE_CITY = "《哈尔滨市生态环境分区管控方案》（示例）"

PROVINCE = [
    (
        "P-SL-001",
        "spatial_layout",
        "prohibit",
        "禁止在生态保护红线内开展不符合功能定位的开发建设活动，法律法规另有规定的从其规定。",
        [1],
        ["eco_redline"],
        [],
    ),
    (
        "P-SL-002",
        "spatial_layout",
        "restrict",
        "一般生态空间内严格限制大规模工业化、城镇化开发，确需建设的应开展生态影响评价。",
        [1],
        ["eco_general"],
        [],
    ),
    (
        "P-SL-003",
        "spatial_layout",
        "prohibit",
        "饮用水水源保护区内禁止新建、改建、扩建与供水设施和保护水源无关的建设项目。",
        [1],
        ["water_priority"],
        [],
    ),
    (
        "P-SL-004",
        "spatial_layout",
        "require",
        "工业项目原则上应入园集聚发展，新建化工项目应进入合规化工园区。",
        [2, 3],
        [],
        [],
    ),
    (
        "P-SL-005",
        "spatial_layout",
        "prohibit",
        "禁止新建、扩建不符合国家产业政策的炼焦、石油加工项目。",
        [],
        [],
        ["C25"],
    ),
    ("P-EC-001", "emission_control", "require", "新建、改建、扩建项目实行主要污染物排放等量或倍量替代。", [2], [], []),
    (
        "P-EC-002",
        "emission_control",
        "require",
        "涉挥发性有机物排放的项目应采用低挥发性原辅材料，配套高效收集治理设施。",
        [2],
        [],
        ["C26", "C29"],
    ),
    (
        "P-EC-003",
        "emission_control",
        "restrict",
        "城市建成区限制新建每小时35蒸吨以下燃煤锅炉。",
        [2],
        ["dev_urban", "air_receptor_sensitive"],
        [],
    ),
    (
        "P-RP-001",
        "risk_prevention",
        "require",
        "涉危险化学品、重金属企业应编制突发环境事件应急预案并定期演练。",
        [2],
        [],
        ["C26", "C32", "C33"],
    ),
    (
        "P-RP-002",
        "risk_prevention",
        "require",
        "建设用地土壤污染风险管控和修复名录内地块，未达到风险管控和修复目标的，禁止开工建设与风险管控和修复无关的项目。",
        [],
        ["soil_construction_risk"],
        [],
    ),
    (
        "P-RE-001",
        "resource_efficiency",
        "require",
        "严格落实用水总量和强度控制，新建项目单位产品能耗、水耗应达到国内先进水平。",
        [],
        [],
        [],
    ),
    (
        "P-RE-002",
        "resource_efficiency",
        "prohibit",
        "高污染燃料禁燃区内禁止新建、扩建燃用高污染燃料的设施。",
        [],
        ["res_fuel_ban"],
        [],
    ),
]
REGION = [
    (
        "R-HDS-001",
        "spatial_layout",
        "require",
        "哈大绥区域重点发展绿色食品、高端装备等产业，严控新增高耗能高排放项目。",
        [2, 3],
        [],
        [],
    ),
    (
        "R-HDS-002",
        "emission_control",
        "require",
        "哈大绥区域秋冬季实施重污染天气应急减排措施，重点行业执行大气污染物特别排放限值。",
        [2],
        [],
        [],
    ),
    ("R-HDS-003", "resource_efficiency", "restrict", "地下水超采区限制新增地下水取水。", [], ["res_groundwater"], []),
]
CITY = [
    (
        "C-230100-001",
        "spatial_layout",
        "require",
        "哈尔滨市新建工业项目应进入依法合规设立的产业园区，园区外现有企业只减不增。",
        [2, 3],
        [],
        [],
        "P-SL-004",
    ),
    (
        "C-230100-002",
        "spatial_layout",
        "prohibit",
        "松花江干流岸线一公里范围内禁止新建、扩建化工园区和化工项目。",
        [],
        [],
        ["C26"],
        "",
    ),
    (
        "C-230100-003",
        "emission_control",
        "require",
        "哈尔滨市主城区新建燃煤供热项目应实现超低排放。",
        [2],
        ["dev_urban"],
        [],
        "",
    ),
    (
        "C-230100-004",
        "risk_prevention",
        "require",
        "松花江沿岸涉水风险企业应设置事故应急池，防范突发水污染事件。",
        [2],
        ["water_industrial", "water_urban"],
        [],
        "",
    ),
    (
        "C-230100-005",
        "resource_efficiency",
        "encourage",
        "鼓励秸秆综合利用和清洁取暖，推进农业面源污染治理。",
        [3],
        [],
        [],
        "",
    ),
]

UNIT_TEXTS = {
    1: [("spatial_layout", "prohibit", "{name}内严格按照生态保护红线和优先保护单元管理要求，禁止新建、扩建工业项目。"),
        ("resource_efficiency", "require", "{name}内加强水源涵养和生物多样性保护，严格控制开发强度。")],
    2: [("spatial_layout", "restrict", "{name}内新建项目应符合园区或城镇规划及规划环评要求。"),
        ("emission_control", "require", "{name}内重点排污单位应安装污染物排放自动监测设备并与生态环境部门联网。"),
        ("risk_prevention", "require", "{name}应建立环境风险隐患排查治理制度。")],
    3: [("spatial_layout", "require", "{name}执行区域生态环境保护的基本要求，落实国土空间用途管制。"),
        ("emission_control", "require", "{name}内加强农业面源污染和农村生活污水治理。")],
}  # fmt: skip


def clause(item, source: str, replaces: str = "") -> Clause:
    cid, dimension, kind, text, classes, subtypes, industries = item[:7]
    return Clause(cid, dimension, kind, text, list(classes), list(subtypes), list(industries), replaces, source)


def read_units(path: Path) -> list[tuple[str, str, int]]:
    from osgeo import ogr

    source = ogr.Open(str(path))
    if source is None:
        raise SystemExit(f"{path} not found: run `make demo` first")
    layer = source.GetLayer(0)
    return sorted((f.GetField("HJGKDYBM"), f.GetField("HJGKDYMC"), int(f.GetField("ZHGKDYFL"))) for f in layer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", default=str(ROOT / "demo_output" / "units.gpkg"))
    parser.add_argument("--out", default=str(ROOT / "resources" / "sample" / "library"))
    args = parser.parse_args()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    library = Library(
        root=str(out),
        name="黑龙江省生态环境准入清单（示例）",
        version="2024-sample",
        province="230000",
        regions={"hds": {"name": "哈大绥", "cities": ["230100", "230600", "231200"]}},
    )
    save_library_meta(library)
    for item in PROVINCE:
        library.clause_list("province", "province").append(clause(item, SOURCE_PROVINCE))
    for item in REGION:
        library.clause_list("region", "hds").append(clause(item, SOURCE_PROVINCE))
    for item in CITY:
        library.clause_list("city", "230100").append(clause(item, SOURCE_CITY, replaces=item[7]))
    for code, name, unit_class in read_units(Path(args.units)):
        for n, (dimension, kind, text) in enumerate(UNIT_TEXTS[unit_class], start=1):
            library.clause_list("unit", code).append(
                Clause(f"U-{code}-{n:02d}", dimension, kind, text.format(name=name), source=SOURCE_CITY)
            )
    for list_file in library.files.values():
        list_file.dirty = True
    written = save_library(library)
    for backup in out.rglob("*.bak"):
        backup.unlink()
    print(f"wrote {len(written) + 1} files to {out}")


if __name__ == "__main__":
    main()
