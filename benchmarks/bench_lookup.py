"""Public lookup benchmark (issue 17): a province published with ecozoning:publishlookup, opened and queried in headless
Chromium, side by side with the same questions put to QGIS Server (the lookup.qgs the same step writes).

  source scripts/qgis_env.sh && .venv/bin/python benchmarks/bench_lookup.py [--clicks 20] [--opens 3]

Units: the province unit layer of the delineation chain (benchmarks/data/heilongjiang_*.gpkg from
scripts/make_province_data.sh, units made once by `chains.py ours`); without the province data, the Harbin sample.
Library: a generated 1+3+13+N library with 5 clauses of its own for every unit (bench_lists.generate).

Figures (medians):
- publish: the whole algorithm (read, repair, simplify, lists, site and QGIS Server project);
- open: navigation start -> the map drawn with every unit, county line and label (fresh browser profile each time);
  beside it a WMS GetMap of the whole province at the same size from qgis_mapserver;
- click: a real mouse click on the map -> the answer shown, for points in units of random counties; "cold" when the
  county's full-precision file is loaded by that click, "warm" when it was loaded before; beside it a WMS
  GetFeatureInfo for the same point.
Budgets (issue 17): open < 3 s, click < 0.5 s. Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_lists import generate  # noqa: E402
from bench_screening import ensure_units, start_qgis  # noqa: E402
from bench_screening import read_units as read_screening_units  # noqa: E402
from headless import feature_info_url, get, make_driver, qgis_mapserver, serve_folder, wait_for  # noqa: E402

OPEN_BUDGET, CLICK_BUDGET = 3.0, 0.5
WIDTH, HEIGHT = 1366, 860


def read_units(path: Path):
    """(code, class, geometry) of the unit layer (bench_screening reads it the same way)."""
    return [(t.code, t.target_class, t.geom) for t in read_screening_units(path).targets]


def click_points(units, n: int, seed: int):
    """n points well inside units of n different counties where possible (each click then loads a new county)."""
    import shapely

    rng = random.Random(seed)
    by_county: dict[str, list] = {}
    for code, _cls, geom in units:
        by_county.setdefault(code[2:8], []).append((code, geom))
    counties = sorted(by_county)
    rng.shuffle(counties)
    points = []
    for county in (counties * (n // max(1, len(counties)) + 1))[:n]:
        code, geom = rng.choice(by_county[county])
        core = geom.buffer(-0.002)
        point = shapely.point_on_surface(core if not core.is_empty else geom)
        points.append((code, point.x, point.y))
    return points


def click(driver, lon: float, lat: float) -> dict:
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_script(f"ECOZ.map.setView([{lat}, {lon}], 12, {{animate: false}});")
    time.sleep(0.2)
    x, y = driver.execute_script(f"var p = ECOZ.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y];")
    before = driver.execute_script("return ECOZ_STATE.queries")
    element = driver.find_element("id", "map")
    ActionChains(driver).move_to_element_with_offset(
        element, int(x - element.size["width"] / 2), int(y - element.size["height"] / 2)
    ).click().perform()
    wait_for(driver, f"return ECOZ_STATE.queries > {before} && ECOZ_STATE.last && ECOZ_STATE.last.at")
    return driver.execute_script("return ECOZ_STATE.last")


def median(values):
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    out = ROOT / "benchmarks" / "results" / "lookup"
    units_path, name = ensure_units(out)
    units = read_units(units_path)
    import shapely

    vertices = sum(shapely.get_num_coordinates(g) for _c, _k, g in units)
    print(f"units: {units_path} ({name}): {len(units)} units, {vertices:,} vertices")

    app, _provider = start_qgis()
    from qgis import processing

    work = Path(tempfile.mkdtemp(prefix="bench_lookup_"))
    library = work / "library"
    generate(str(library), 0, unit_codes=[(code, cls) for code, cls, _g in units])
    site = work / "site"
    started = time.perf_counter()
    result = processing.run(
        "ecozoning:publishlookup",
        {
            "UNITS": str(units_path),
            "LIBRARY": str(library),
            "TITLE": "黑龙江省生态环境分区管控公共查阅（基准）",
            "VERSION": "bench",
            "OUTPUT_FOLDER": str(site),
        },
    )
    publish = time.perf_counter() - started
    overview = (site / "data" / "overview.js").stat().st_size
    county_sizes = [p.stat().st_size for p in (site / "data" / "county").glob("*.js")]
    print(
        f"publish: {publish:.1f} s — overview.js {overview / 1e6:.1f} MB, {len(county_sizes)} county files "
        f"(median {median(county_sizes) / 1e6:.2f} MB, largest {max(county_sizes) / 1e6:.2f} MB)"
    )

    points = click_points(units, args.clicks, args.seed)
    tree = shapely.STRtree([g for _c, _k, g in units])

    def expected(lon: float, lat: float) -> list[str]:
        """The units within ~1 m of the point the page answered for (the click lands on a pixel)."""
        hits = tree.query(shapely.Point(lon, lat), predicate="dwithin", distance=1e-5)
        return sorted(units[i][0] for i in hits)

    def check(answer) -> int:
        if sorted(answer.get("codes") or []) != expected(answer["lon"], answer["lat"]):
            print(f"  !! {answer['lon']:.6f}, {answer['lat']:.6f}: page {answer.get('codes')}, "
                  f"layer {expected(answer['lon'], answer['lat'])}")  # fmt: skip
            return 1
        return 0

    opens, cold, warm, wrong = [], [], [], 0
    with serve_folder(str(site)) as url:
        for n in range(args.opens):
            driver = make_driver(str(work / f"profile{n}"), WIDTH, HEIGHT)
            try:
                driver.get(url)
                ready = wait_for(driver, "return ECOZ_STATE.ready && ECOZ_STATE.readyAt", timeout=60)
                opens.append(ready / 1000.0)
                if n == 0:
                    for _code, lon, lat in points:
                        answer = click(driver, lon, lat)
                        cold.append(answer["ms"] / 1000.0)
                        wrong += check(answer)
                    for _code, lon, lat in points:
                        answer = click(driver, lon, lat)
                        warm.append(answer["ms"] / 1000.0)
                        wrong += check(answer)
            finally:
                driver.quit()

    getmap, info = [], []
    minx, miny, maxx, maxy = shapely.total_bounds([g for _c, _k, g in units])
    with qgis_mapserver(result["QGS"], str(work / "server_profile")) as base:
        bbox = f"{miny},{minx},{maxy},{maxx}"
        map_url = (
            f"{base}?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=units&STYLES=&CRS=EPSG:4326&BBOX={bbox}"
            f"&WIDTH={WIDTH}&HEIGHT={HEIGHT}&FORMAT=image/png"
        )
        get(map_url)  # the server's first request opens the project: not counted
        for _ in range(args.opens):
            started = time.perf_counter()
            get(map_url)
            getmap.append(time.perf_counter() - started)
        for _code, lon, lat in points:
            started = time.perf_counter()
            features = json.loads(get(feature_info_url(base, "units", lon, lat)))["features"]
            info.append(time.perf_counter() - started)
            wrong += sorted(f["properties"]["HJGKDYBM"] for f in features) != expected(lon, lat)

    print(f"open the page (fresh profile, median of {len(opens)}): {median(opens):.2f} s (budget {OPEN_BUDGET} s)")
    print(f"  QGIS Server GetMap of the whole area, {WIDTH}x{HEIGHT}: {median(getmap):.2f} s")
    print(f"click -> answer, county loaded by the click (median of {len(cold)}): {median(cold) * 1000:.0f} ms, "
          f"max {max(cold) * 1000:.0f} ms (budget {CLICK_BUDGET * 1000:.0f} ms)")  # fmt: skip
    print(f"click -> answer, county already loaded: {median(warm) * 1000:.0f} ms, max {max(warm) * 1000:.0f} ms")
    print(f"  QGIS Server GetFeatureInfo, same points: {median(info) * 1000:.0f} ms")
    print(f"ratios: open / GetMap {median(opens) / median(getmap):.2f}; cold click / GetFeatureInfo "
          f"{median(cold) / median(info):.2f}; warm click / GetFeatureInfo {median(warm) / median(info):.2f}")  # fmt: skip
    print(f"answers (page and server) that differ from the unit layer at the point: {wrong}")
    del app


if __name__ == "__main__":
    main()
