"""Reading a department's own unit fields (issue 11): field names real schemes use, codes kept as they are and
checked, classes from field, type text or code, county codes, duplicates, source areas, .dbf encodings."""

from __future__ import annotations

import pytest

from ecozoning.core.import_units import area_in_km2, dbf_encoding, detect_fields, duplicates, read_unit

FOSHAN = [
    {"HJZHGKDYBM": "ZH440605200001", "hjzhgkdymc": "九江镇重点管控区", "PROV": "广东省", "CITY": "佛山市",
     "AREA": "南海区", "ZHGKDYFL": "重点管控单元1"},
    {"HJZHGKDYBM": "ZH44060410001", "hjzhgkdymc": "南庄镇优先保护区", "PROV": "广东省", "CITY": "佛山市",
     "AREA": "禅城区", "ZHGKDYFL": "1"},
]  # fmt: skip


def fields_of(rows, overrides=None):
    found, _notes = detect_fields(list(rows[0]), rows, overrides)
    return found


def test_foshan_fields_are_found_ignoring_case_and_area_is_the_county_name():
    found = fields_of(FOSHAN)
    assert found["code"] == "HJZHGKDYBM" and found["name"] == "hjzhgkdymc"
    assert found["class"] == "ZHGKDYFL" and found["prov"] == "PROV" and found["city"] == "CITY"
    assert found["county"] == "AREA" and found["county_code"] is None and found["area"] is None
    unit = read_unit(0, FOSHAN[0], found)
    assert (unit.code, unit.name, unit.unit_class, unit.class_source) == (
        "ZH440605200001", "九江镇重点管控区", 2, "field",
    )  # fmt: skip
    assert (unit.county_code, unit.county, unit.city, unit.prov) == ("440605", "南海区", "佛山市", "广东省")
    assert not [n for n in unit.notes if n.severity != "info"]


def test_area_holding_county_codes_or_areas():
    rows = [{"DYBM": "ZH23010220001", "AREA": "230102"}, {"DYBM": "ZH23010230001", "AREA": 230102.0}]
    found = fields_of(rows)
    assert found["county_code"] == "AREA" and found["county"] is None
    rows = [{"管控单元编码": "ZH23010220001", "XZQDM": "230102", "AREA": 12.5}]
    found = fields_of(rows)
    assert found["code"] == "管控单元编码" and found["county_code"] == "XZQDM" and found["area"] == "AREA"
    assert read_unit(0, rows[0], found).source_area == 12.5


def test_codes_are_kept_and_problems_reported_per_feature():
    rows = [
        {"HJGKDYBM": "ZH2301022001", "ZHGKDYFL": 2},  # one digit short
        {"HJGKDYBM": "ZH23010220002", "ZHGKDYFL": 1},  # class digit 2, field 1
        {"HJGKDYBM": "ZH23010230003", "ZHGKDYFL": None, "XZQDM": "230103"},  # class from code; county differs
        {"HJGKDYBM": "", "HJGKDYMC": "松北区一般管控单元"},
    ]
    found = fields_of([{**rows[0], "XZQDM": "", "HJGKDYMC": ""}])
    units = [read_unit(i, r, found) for i, r in enumerate(rows)]
    assert [u.code for u in units] == ["ZH2301022001", "ZH23010220002", "ZH23010230003", ""]
    keys = [[n.key for n in u.notes] for u in units]
    assert "bad_code" in keys[0]
    assert "class_conflict" in keys[1] and units[1].unit_class == 1
    assert units[2].unit_class == 3 and units[2].class_source == "code"
    assert "county_conflict" in keys[2] and units[2].county_code == "230103"
    assert "no_code" in keys[3] and units[3].unit_class == 3 and units[3].class_source == "name"
    assert "class_conflict" in [n.key for n in units[1].notes]
    conflict = next(n for n in units[1].notes if n.key == "class_conflict")
    zh, en = conflict.text("zh"), conflict.text("en")
    assert "ZH23010220002" in zh and "编码" in zh and "class digit" in en


def test_type_text_gives_the_class_when_there_is_no_class_field():
    rows = [{"HJGKDYBM": "ZH44060520010", "单元类型": "园区型重点管控单元3"}]
    found = fields_of(rows)
    unit = read_unit(0, rows[0], found)
    assert unit.unit_class == 2 and unit.class_source == "type"


def test_duplicates_name_both_features():
    found = fields_of([{"HJGKDYBM": "x"}])
    units = [read_unit(i, {"HJGKDYBM": c}, found) for i, c in enumerate(["ZH1", "ZH2", "ZH1"])]
    assert duplicates(units) == [("ZH1", 0, 2)]
    assert "0" in units[2].notes[-1].text("en") and "2" in units[2].notes[-1].text("en")


@pytest.mark.parametrize(("value", "expected"), [(4.0, 4.0), (400.0, 4.0), (4_000_000.0, 4.0), (6000.0, 4.0)])
def test_source_area_units(value, expected):
    assert area_in_km2(value, 4.01) == pytest.approx(expected)


def test_dbf_encoding(tmp_path):
    def dbf(text: bytes):
        header = bytearray(32)
        header[8:10] = (33).to_bytes(2, "little")
        path = tmp_path / "u.shp"
        (tmp_path / "u.dbf").write_bytes(bytes(header) + b"\r" + b" " + text)
        return str(path)

    assert dbf_encoding(dbf("九江镇".encode("gbk"))) == "GBK"
    assert dbf_encoding(dbf("九江镇".encode())) == "UTF-8"
    assert dbf_encoding(dbf(b"ZH44060410001")) is None
    assert dbf_encoding(str(tmp_path / "none.shp")) is None
