"""The language helpers of core/i18n.py and the catalogue of core/ messages fed from resources/i18n/zh_CN.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ecozoning.core.i18n import MessageCatalogue, chinese_part, english_part, looks_bilingual, looks_english
from ecozoning.core.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalogue():
    data = yaml.safe_load((ROOT / "resources" / "i18n" / "zh_CN.yaml").read_text(encoding="utf-8"))
    return MessageCatalogue(data["core"])


def test_bilingual_sources_split_into_their_languages():
    assert english_part("准入清单面板 Admission lists") == "Admission lists"
    assert english_part("单元 {} 不在图层中 Unit {} is not in the layer") == "Unit {} is not in the layer"
    assert english_part("Delineate control units…") == "Delineate control units…"
    # the English half lacks a named placeholder: the string stays whole rather than lose a value
    assert english_part("已载入 Loaded {name}: {files} 个文件 files") == "已载入 Loaded {name}: {files} 个文件 files"
    assert chinese_part("检查 Validate") == "检查"


def test_bilingual_and_english_texts_are_recognised():
    assert looks_bilingual("问题 Problems (0)")
    assert looks_bilingual("区域 Region 哈大绥")
    assert not looks_bilingual("问题（0）")
    assert not looks_bilingual("导出 GeoPackage 和 Shapefile（UTF-8 或 GBK），字段 HJGKDYBM、eco_redline，units.gpkg")
    assert not looks_bilingual("无法注册处理工具提供者“ecozoning”")
    assert looks_english("Export filing package")
    assert not looks_english("EPSG:4490")


def test_core_messages_are_translated_with_their_values(catalogue):
    assert catalogue.translate("clause P-SL-009 has no text") == "条款 P-SL-009 没有内容"
    assert catalogue.translate("province.yaml:12: clause P-1 replaces 'P-99', which is not in the library") == (
        "province.yaml:12：条款 P-1 替代的“P-99”不在清单库中"
    )
    assert catalogue.translate("units ZH23010210001 and ZH23010220001 overlap by 12.5 m2") == (
        "单元 ZH23010210001 与 ZH23010220001 重叠 12.5 平方米"
    )
    two = "clause A has no text\nunit ZH23010210001 has an empty list"
    assert catalogue.translate(two) == "条款 A 没有内容\n单元 ZH23010210001 的清单为空"
    assert catalogue.translate("something no template knows") == "something no template knows"


def test_every_core_translation_keeps_its_values(catalogue):
    """A Chinese template uses exactly the values of its English one: nothing dropped, nothing invented."""
    import re

    token = re.compile(r"\{[^{}]+\}")
    for template, chinese in catalogue.entries.items():
        assert set(token.findall(chinese)) == set(token.findall(template)), template


def test_subtypes_are_found_by_key_and_by_name():
    taxonomy = load_taxonomy()
    assert taxonomy.resolve_key("生态保护红线") == "eco_redline"
    assert taxonomy.resolve_key("eco_redline") == "eco_redline"
    assert taxonomy.resolve_key("ecological protection red line") == "eco_redline"
    with pytest.raises(KeyError):
        taxonomy.resolve_key("月球")


def test_value_map_takes_subtype_names():
    from ecozoning.core.standardize import parse_value_map

    taxonomy = load_taxonomy()
    assert parse_value_map("优先保护:水环境优先保护区;一般:water_general", taxonomy) == {
        "优先保护": "water_priority",
        "一般": "water_general",
    }
