"""ecozoning:publishlookup: the public lookup site on the clean Harbin sample, in a real headless Chromium (Debian's
chromium + chromedriver through selenium) served by http.server on 127.0.0.1, and its QGIS Server project under
qgis_mapserver; plus the bad inputs of the issue (non-empty folder, other CRS, invalid geometry, unit without list).

Expected codes and points come from the unit layer itself (read with GDAL and shapely), never from the page."""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import pytest
import shapely
from osgeo import ogr
from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsVectorLayer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
LIBRARY = SAMPLE / "library"
ADMIN = f"{SAMPLE / 'harbin_counties.gpkg'}|layername=counties"
OUTPUT = ROOT / "test_output"
sys.path.insert(0, str(ROOT / "scripts"))
from headless import (  # noqa: E402
    LOCAL_SCHEMES,
    feature_info_url,
    get,
    make_driver,
    qgis_mapserver,
    requested_urls,
    serve_folder,
    wait_for,
)


# --- reference data, independent of the code under test -------------------------------------------------------
def read_units(path: str) -> dict[str, tuple[int, object]]:
    source = ogr.Open(path)
    layer = source.GetLayer(0)
    units = {}
    for feature in layer:
        geometry = feature.GetGeometryRef()
        units[feature.GetField("HJGKDYBM")] = (
            int(feature.GetField("ZHGKDYFL")),
            shapely.from_wkb(bytes(geometry.ExportToIsoWkb())),
        )
    return units


def gcj02(lon: float, lat: float) -> tuple[float, float]:
    """The published GCJ-02 forward formula (WGS84 -> GCJ-02), written here independently of coords.js."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    d_lat = (d_lat * 180.0) / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    d_lon = (d_lon * 180.0) / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def unit_clause_texts(code: str) -> list[str]:
    import yaml

    data = yaml.safe_load((LIBRARY / "units" / f"{code[2:6]}00.yaml").read_text(encoding="utf-8"))
    return [c["text"] for c in data[code]["clauses"]]


# --- fixtures ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(sample_processing, sample_chain, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lookup") / "site"
    result = sample_processing.run(
        "ecozoning:publishlookup",
        {
            "UNITS": sample_chain["units"],
            "LIBRARY": str(LIBRARY),
            "ADMIN": ADMIN,
            "TITLE": "哈尔滨市生态环境分区管控公共查阅",
            "VERSION": "2024-sample",
            "DATE": "2024-06-30",
            "OUTPUT_FOLDER": str(folder),
        },
    )
    return {"folder": folder, "result": result, "units": read_units(sample_chain["units"])}


@pytest.fixture(scope="module")
def served(site):
    with serve_folder(site["folder"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser(served, tmp_path_factory):
    driver = make_driver(str(tmp_path_factory.mktemp("chromium")), 1366, 860)
    try:
        driver.get(served)
        wait_for(driver, "return window.ECOZ_STATE && window.ECOZ_STATE.ready")
        yield driver
    finally:
        driver.quit()


def answer_after(driver, action) -> str:
    """Run an action that starts a query; wait for its answer; return the answer's state."""
    before = driver.execute_script("return window.ECOZ_STATE.queries")
    action()
    wait_for(driver, f"return window.ECOZ_STATE.queries > {before} && window.ECOZ_STATE.last && "
             "document.getElementById('answer').getAttribute('data-state') !== 'loading'")  # fmt: skip
    return driver.find_element("id", "answer").get_attribute("data-state")


def click_map(driver, lon: float, lat: float) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_script(f"ECOZ.map.setView([{lat}, {lon}], 13, {{animate: false}});")
    time.sleep(0.3)
    x, y = driver.execute_script(f"var p = ECOZ.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y];")
    element = driver.find_element("id", "map")
    size = element.size
    ActionChains(driver).move_to_element_with_offset(
        element, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()


def type_coordinates(driver, text: str, crs: str) -> None:
    from selenium.webdriver.support.ui import Select

    field = driver.find_element("id", "coords")
    field.clear()
    field.send_keys(text)
    Select(driver.find_element("id", "crs")).select_by_value(crs)
    driver.find_element("id", "go").click()


def inner_point(geom, margin: float = 0.002):
    """A point well inside the polygon (away from its boundary by `margin` degrees when possible)."""
    core = geom.buffer(-margin)
    return shapely.point_on_surface(core if not core.is_empty else geom)


# --- the algorithm's output -------------------------------------------------------------------------------------
def test_site_files_and_counts(site):
    folder, result, units = site["folder"], site["result"], site["units"]
    assert int(result["UNIT_COUNT"]) == len(units)
    assert int(result["WITHOUT_LIST_COUNT"]) == 0  # the sample library has a list for every unit
    counties = {code[2:8] for code in units}
    assert sorted(p.stem for p in (folder / "data" / "county").glob("*.js")) == sorted(counties)
    assert (folder / "vendor" / "leaflet" / "LICENSE").read_text(encoding="utf-8").startswith("BSD 2-Clause")
    marker = json.loads((folder / "ecozoning_lookup.json").read_text(encoding="utf-8"))
    assert marker["units"] == len(units) and marker["date"] == "2024-06-30"
    overview = (folder / "data" / "overview.js").read_text(encoding="utf-8")
    assert "道里区" in overview and "2024-sample" in overview


def test_non_empty_folder_refused_unless_overwrite(sample_processing, sample_chain, tmp_path):
    from qgis.core import QgsProcessingException

    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    params = {"UNITS": sample_chain["units"], "LIBRARY": str(LIBRARY), "TITLE": "t", "OUTPUT_FOLDER": str(folder)}
    with pytest.raises(QgsProcessingException, match="not empty"):
        sample_processing.run("ecozoning:publishlookup", params)
    assert (folder / "notes.txt").exists() and not (folder / "index.html").exists()
    sample_processing.run("ecozoning:publishlookup", dict(params, OVERWRITE=True))
    assert (folder / "index.html").exists()
    assert (tmp_path / "www.bak" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def _memory_units(sample_chain, crs: str, break_code: str = "", drop_list_code: str = "") -> QgsVectorLayer:
    source = QgsVectorLayer(sample_chain["units"], "units", "ogr")
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs}", "units_other", "memory")
    provider = layer.dataProvider()
    assert provider.addAttributes(source.fields().toList())
    layer.updateFields()
    from qgis.core import QgsCoordinateTransform, QgsGeometry, QgsProject

    transform = QgsCoordinateTransform(source.crs(), QgsCoordinateReferenceSystem(crs), QgsProject.instance())
    features = []
    for feature in source.getFeatures():
        copy = QgsFeature(layer.fields())
        copy.setAttributes(feature.attributes())
        geometry = QgsGeometry(feature.geometry())
        assert geometry.transform(transform) == 0
        if feature["HJGKDYBM"] == break_code:  # a bow-tie part added: an invalid geometry
            box = geometry.boundingBox()
            w, h = box.width() / 10, box.height() / 10
            x0, y0 = box.xMinimum() - 2 * w, box.yMinimum()  # beside the unit: one right repair (two triangles)
            bowtie = QgsGeometry.fromWkt(
                f"POLYGON(({x0} {y0}, {x0 + w} {y0 + h}, {x0 + w} {y0}, {x0} {y0 + h}, {x0} {y0}))"
            )
            multi = geometry.asGeometryCollection() + [bowtie]
            geometry = QgsGeometry.collectGeometry(multi)
            assert not geometry.isGeosValid()
        if feature["HJGKDYBM"] == drop_list_code:
            copy["HJGKDYBM"] = drop_list_code[:-1] + "9"  # a unit the library has no list for
        copy.setGeometry(geometry)
        features.append(copy)
    assert provider.addFeatures(features)[0]
    return layer


def test_other_crs_invalid_geometry_and_unit_without_list(sample_processing, sample_chain, site, tmp_path):
    units = site["units"]
    codes = sorted(units)
    broken, unlisted = codes[0], codes[-1]
    layer = _memory_units(sample_chain, "EPSG:3857", break_code=broken, drop_list_code=unlisted)
    from qgis.core import QgsProcessingFeedback

    messages = []

    class Feedback(QgsProcessingFeedback):
        def pushWarning(self, text):  # noqa: N802 - QGIS API
            messages.append(text)
            super().pushWarning(text)

        def pushInfo(self, text):  # noqa: N802 - QGIS API
            messages.append(text)
            super().pushInfo(text)

    folder = tmp_path / "site3857"
    result = sample_processing.run(
        "ecozoning:publishlookup",
        {"UNITS": layer, "LIBRARY": str(LIBRARY), "TITLE": "t", "OUTPUT_FOLDER": str(folder)},
        feedback=Feedback(),
    )
    # the bow-tie is repaired and reported; the round trip through EPSG:3857 may leave a few more self-touching
    # rings, each reported by feature and code
    repaired = [m for m in messages if "repaired" in m and "m²" in m and "moved)" in m]
    assert any(f"({broken})" in m for m in repaired)
    assert int(result["REPAIRED_COUNT"]) == len(repaired) and int(result["WITHOUT_LIST_COUNT"]) == 1
    assert any("EPSG:3857" in m and "EPSG:4490" in m for m in messages)
    missing = unlisted[:-1] + "9"
    assert any(missing in m and "no list of its own" in m for m in messages)
    county = (folder / "data" / "county" / f"{missing[2:8]}.js").read_text(encoding="utf-8")
    payload = json.loads(county[len("ECOZ.county(") : county.rindex(")")])
    record = next(u for u in payload["units"] if u["code"] == missing)
    assert "no_unit_list" in record["notes"]
    # reprojected back to CGCS2000 degrees: the unit's published bbox matches the original within ~1 cm
    original = units[unlisted][1]
    assert record["bbox"] == pytest.approx(list(original.bounds), abs=1e-7)


# --- the page in a real browser -----------------------------------------------------------------------------------
def test_click_inside_a_known_unit_shows_its_code_and_clauses(browser, site):
    code = "ZH23010210001"
    point = inner_point(site["units"][code][1])
    state = answer_after(browser, lambda: click_map(browser, point.x, point.y))
    assert state == "unit"
    answer = browser.find_element("id", "answer")
    cards = answer.find_elements("css selector", "article.unit")
    assert [c.get_attribute("data-code") for c in cards] == [code]
    text = answer.text
    assert code in text and "优先保护单元" in text and "道里区" in text
    assert unit_clause_texts(code)[0] in text
    badges = [b.text for b in answer.find_elements("css selector", ".badge")]
    assert "单元" in badges and "省级" in badges
    dims = [h.text for h in answer.find_elements("css selector", "section.dimension h4")]
    assert [d.split("（")[0] for d in dims] == ["空间布局约束", "污染物排放管控", "环境风险防控", "资源利用效率"]


def test_gcj02_coordinates_are_converted(browser, site):
    # a point whose GCJ-02 coordinates, taken as CGCS2000, would fall outside its unit: the test fails without the
    # conversion
    found = None
    for candidate, (_cls, geom) in sorted(site["units"].items(), key=lambda kv: -kv[1][1].area):
        point = inner_point(geom, 0.003)
        glon, glat = gcj02(point.x, point.y)
        if not geom.contains(shapely.Point(glon, glat)):
            found = candidate
            break
    assert found, "the sample has a unit where the GCJ-02 offset leaves it"
    code = found
    state = answer_after(browser, lambda: type_coordinates(browser, f"{glon:.7f}, {glat:.7f}", "gcj02"))
    assert state == "unit"
    codes = [c.get_attribute("data-code") for c in browser.find_elements("css selector", "#answer article.unit")]
    assert codes == [code]
    assumed = browser.find_element("id", "assumed").text
    assert "GCJ-02" in assumed
    # the same numbers read as BD-09 or CGCS2000 are another place: the page names what it assumed
    type_coordinates(browser, f"{glon:.7f}, {glat:.7f}", "cgcs2000")
    wait_for(
        browser,
        "return document.getElementById('assumed') && document.getElementById('assumed').textContent.indexOf('CGCS2000') >= 0",
    )
    assert code not in [
        c.get_attribute("data-code") for c in browser.find_elements("css selector", "#answer article.unit")
    ]


def test_dms_coordinates_and_a_point_at_sea_or_outside(browser, site):
    code = "ZH23010210001"
    point = inner_point(site["units"][code][1])

    def dms(value, pos):
        d = int(value)
        m = int((value - d) * 60)
        s = ((value - d) * 60 - m) * 60
        return f"{d}°{m}′{s:.4f}″{pos}"

    state = answer_after(
        browser, lambda: type_coordinates(browser, f"{dms(point.y, 'N')} {dms(point.x, 'E')}", "cgcs2000")
    )
    assert state == "unit"
    assert browser.find_element("css selector", "#answer article.unit").get_attribute("data-code") == code
    for text in ("37.0N 123.0E", "131.5, 45.0"):  # the Yellow Sea; east of Harbin
        state = answer_after(browser, lambda text=text: type_coordinates(browser, text, "cgcs2000"))
        assert state == "outside"
        assert "不在本方案的任何环境管控单元内" in browser.find_element("id", "answer").text
    type_coordinates(browser, "126°75′ 45°10′", "cgcs2000")
    wait_for(browser, "return document.getElementById('answer').getAttribute('data-state') === 'error'")
    assert "分和秒应小于 60" in browser.find_element("id", "answer").text


def test_point_on_a_boundary_names_both_units(browser, site):
    units = site["units"]
    codes = sorted(units)
    pair = None
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            shared = units[a][1].boundary.intersection(units[b][1].boundary)
            if shared.length > 0.01:
                pair = (a, b, shared)
                break
        if pair:
            break
    assert pair, "the sample has neighbouring units"
    a, b, shared = pair
    line = max(shapely.get_parts(shapely.line_merge(shared)), key=lambda g: g.length)
    point = line.interpolate(0.5, normalized=True)
    state = answer_after(browser, lambda: browser.execute_script(f"ECOZ.query({point.x!r}, {point.y!r});"))
    assert state == "boundary"
    codes = [c.get_attribute("data-code") for c in browser.find_elements("css selector", "#answer article.unit")]
    assert sorted(codes) == sorted([a, b])
    assert "边界上" in browser.find_element("id", "answer").text


def test_english_toggle(browser, site):
    browser.find_element("id", "lang").click()
    try:
        assert browser.find_element("id", "lang").text == "中文"
        assert browser.find_element("css selector", "label[for=coords]").text == "Coordinates"
        assert "Priority protection unit" in browser.find_element("id", "legend").text
    finally:
        browser.find_element("id", "lang").click()
    assert browser.find_element("css selector", "label[for=coords]").text == "输入坐标"


def test_no_request_leaves_the_host_and_screenshots(served, site, tmp_path):
    OUTPUT.mkdir(exist_ok=True)
    code = "ZH23010210001"
    point = inner_point(site["units"][code][1])
    for name, (width, height) in {"desktop": (1366, 860), "phone": (390, 844)}.items():
        driver = make_driver(str(tmp_path / name), width, height)
        try:
            driver.get(served)
            wait_for(driver, "return window.ECOZ_STATE && window.ECOZ_STATE.ready")
            answer_after(
                driver, lambda driver=driver: type_coordinates(driver, f"{point.x:.6f}, {point.y:.6f}", "cgcs2000")
            )
            time.sleep(0.5)
            driver.save_screenshot(str(OUTPUT / f"lookup_{name}.png"))
            urls = requested_urls(driver)
        finally:
            driver.quit()
        assert any(u.endswith("/data/overview.js") for u in urls) and any("/data/county/" in u for u in urls)
        # the browser's own pages (chrome://, about:) are not network requests; everything else must be our server
        outside = [u for u in urls if not (u.startswith(served) or u.startswith(LOCAL_SCHEMES))]
        assert outside == [], outside
        assert (OUTPUT / f"lookup_{name}.png").stat().st_size > 10000


# --- QGIS Server -----------------------------------------------------------------------------------------------------
def test_qgis_server_getfeatureinfo_returns_the_unit(site, tmp_path):
    project = Path(site["result"]["QGS"])
    assert project.exists()
    code = "ZH23010210001"
    point = inner_point(site["units"][code][1])
    with qgis_mapserver(str(project), str(tmp_path / "profile")) as base:
        capabilities = get(base + "?SERVICE=WMS&REQUEST=GetCapabilities").decode("utf-8")
        assert "<Name>units</Name>" in capabilities
        info = json.loads(get(feature_info_url(base, "units", point.x, point.y)).decode("utf-8"))
        features = info["features"]
        assert [f["properties"]["HJGKDYBM"] for f in features] == [code]
        # the list texts are joined, shown under their Chinese labels (the field aliases)
        assert unit_clause_texts(code)[0] in features[0]["properties"]["空间布局约束"]
        d = 0.001
        items = base + f"wfs3/collections/units/items.json?bbox={point.x - d},{point.y - d},{point.x + d},{point.y + d}"
        collection = json.loads(get(items).decode("utf-8"))
        assert code in [f["properties"]["HJGKDYBM"] for f in collection["features"]]


def test_opens_from_a_usb_stick_file_url(site, tmp_path):
    """Opened as file:// (no web server), the page loads its county files too and answers."""
    code = "ZH23010210001"
    point = inner_point(site["units"][code][1])
    driver = make_driver(str(tmp_path / "profile"), 1024, 768)
    try:
        driver.get((site["folder"] / "index.html").as_uri())
        wait_for(driver, "return window.ECOZ_STATE && window.ECOZ_STATE.ready")
        assert answer_after(driver, lambda: driver.execute_script(f"ECOZ.query({point.x!r}, {point.y!r});")) == "unit"
        assert driver.find_element("css selector", "#answer article.unit").get_attribute("data-code") == code
    finally:
        driver.quit()
