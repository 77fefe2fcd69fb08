"""core/lookup.py: the simplified drawing keeps the coverage, the published lists and what is (not) published."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from ecozoning.core.lists import load_library
from ecozoning.core.lookup import PublishError, PublishUnit, build_site, simplify_coverage, write_site

ROOT = Path(__file__).resolve().parents[2]
COLORS = {1: "#2e7d32", 2: "#f9a825", 3: "#1565c0"}


def wiggly_grid(n: int = 3, steps: int = 200) -> list:
    """n x n cells of 1° whose shared edges are sine waves of `steps` vertices (a coverage)."""

    def wave(t, phase):
        return 0.05 * math.sin(math.pi * t) * math.sin(40 * t + phase)  # zero at both ends: corners stay put

    def vertical(x0, y0, y1):
        return [(x0 + wave(k / steps, x0 + y0), y0 + (y1 - y0) * k / steps) for k in range(steps + 1)]

    def horizontal(y0, x0, x1):
        return [(x0 + (x1 - x0) * k / steps, y0 + wave(k / steps, 2 * y0 + x0)) for k in range(steps + 1)]

    def edge_v(x, y0, y1):
        return vertical(x, y0, y1) if 0 < x < n else [(x, y0), (x, y1)]

    def edge_h(y, x0, x1):
        return horizontal(y, x0, x1) if 0 < y < n else [(x0, y), (x1, y)]

    cells = []
    for i in range(n):
        for j in range(n):
            ring = edge_h(j, i, i + 1) + edge_v(i + 1, j, j + 1)[1:]
            ring += list(reversed(edge_h(j + 1, i, i + 1)))[1:] + list(reversed(edge_v(i, j, j + 1)))[1:]
            cells.append(Polygon(ring))
    return cells


def test_simplified_coverage_has_no_gaps_or_overlaps_and_far_fewer_vertices():
    cells = wiggly_grid()
    assert all(c.is_valid for c in cells) and shapely.union_all(cells).area == pytest.approx(9.0, rel=1e-9)
    simple = simplify_coverage(cells, 0.02)
    assert len(simple) == len(cells)
    before = sum(shapely.get_num_coordinates(c) for c in cells)
    after = sum(shapely.get_num_coordinates(c) for c in simple)
    assert after < before / 4
    assert all(g.is_valid and not g.is_empty for g in simple)
    overlap = sum(simple[a].intersection(simple[b]).area for a in range(len(simple)) for b in range(a + 1, len(simple)))
    assert overlap < 1e-9
    union = shapely.union_all(simple)
    assert union.area == pytest.approx(9.0, rel=1e-9)  # the outer square is kept: no gap opened anywhere
    assert isinstance(union, Polygon) and len(union.interiors) == 0
    for original, simplified in zip(cells, simple):  # every cell stays where it was, within the tolerance
        assert original.symmetric_difference(simplified).area < 0.1 * original.area
        assert simplified.hausdorff_distance(original) < 0.03


def test_simplification_keeps_holes_islands_and_tiny_units():
    outer = box(0, 0, 10, 10)
    lake = box(4, 4, 6, 6)
    island = box(4.9, 4.9, 5.1, 5.1)  # a unit inside a hole of another
    ring = outer.difference(lake)
    simple = simplify_coverage([ring, lake.difference(island), island, None], 0.5)
    assert simple[3] is None
    assert simple[2].area == pytest.approx(0.04)
    assert simple[0].area + simple[1].area + simple[2].area == pytest.approx(100.0)
    assert simple[0].intersection(simple[1]).area == pytest.approx(0.0, abs=1e-12)


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "library"
    (root / "cities").mkdir(parents=True)
    (root / "units").mkdir()
    (root / "regions").mkdir()
    (root / "library.yaml").write_text(
        "name: 测试清单\nversion: v2\nprovince: '230000'\nregions:\n  hds:\n    name: 哈大绥\n    cities: ['230100']\n",
        encoding="utf-8",
    )
    (root / "province.yaml").write_text(
        "level: province\nclauses:\n"
        "- {id: P-1, dimension: spatial_layout, kind: prohibit, text: 禁止在生态保护红线内开展开发建设活动, classes: [1]}\n"
        "- {id: P-2, dimension: emission_control, kind: require, text: 新建项目实行主要污染物排放等量替代}\n",
        encoding="utf-8",
    )
    (root / "regions" / "hds.yaml").write_text(
        "level: region\nclauses:\n- {id: R-1, dimension: risk_prevention, kind: require, text: 加强松花江流域风险防控}\n",
        encoding="utf-8",
    )
    (root / "cities" / "230100.yaml").write_text(
        "level: city\nclauses:\n"
        "- {id: C-1, dimension: spatial_layout, kind: restrict, text: 工业项目原则上应入园集聚发展, industries: [C25]}\n",
        encoding="utf-8",
    )
    (root / "units" / "230100.yaml").write_text(
        "level: unit\nZH23010210001:\n  clauses:\n"
        "  - {id: U-1, dimension: spatial_layout, kind: prohibit, text: 单元内禁止新建工业项目</script>, replaces: P-1,"
        " source: 内部审查意见不公开}\n",
        encoding="utf-8",
    )
    return load_library(str(root))


def units():
    return [
        PublishUnit(
            "ZH23010210001", "道里区优先保护单元", 1, "230102", "道里区", MultiPolygon([box(126.0, 45.0, 126.5, 45.5)])
        ),
        PublishUnit(
            "ZH23010230001", "道里区一般管控单元", 3, "230102", "道里区", MultiPolygon([box(126.5, 45.0, 127.0, 45.5)])
        ),
        PublishUnit(
            "ZH23010320001", "南岗区重点管控单元", 2, "230103", "", MultiPolygon([box(127.0, 45.0, 127.5, 45.5)])
        ),
    ]


def build(library, **kwargs):
    return build_site(
        units(), library, title="哈尔滨市公共查阅", version="2024", date="2024-06-30", class_colors=COLORS,
        county_names={"230103": "南岗区"}, **kwargs,
    )  # fmt: skip


def test_effective_list_by_dimension_with_levels(library):
    site = build(library)
    unit = next(u for u in site.counties["230102"]["units"] if u["code"] == "ZH23010210001")
    groups = {g["dimension"]: [(c["level"], c["id"]) for c in g["clauses"]] for g in unit["lists"]}
    assert [g["dimension"] for g in unit["lists"]] == [
        "spatial_layout", "emission_control", "risk_prevention", "resource_efficiency",
    ]  # fmt: skip
    # P-1 is replaced by the unit's U-1; C-1 is the city's, R-1 the region's
    assert groups == {
        "spatial_layout": [("city", "C-1"), ("unit", "U-1")],
        "emission_control": [("province", "P-2")],
        "risk_prevention": [("region", "R-1")],
        "resource_efficiency": [],
    }
    region = unit["lists"][2]["clauses"][0]
    assert region["scope"] == "哈大绥" and region["text"] == "加强松花江流域风险防控"
    assert unit["lists"][0]["clauses"][0]["industries"] == ["C25"]
    assert unit["notes"] == [] and unit["county"] == "道里区" and unit["class"] == 1


def test_units_without_a_list_get_a_note_and_are_reported(library):
    site = build(library)
    assert site.units_without_list == ["ZH23010230001", "ZH23010320001"]
    general = next(u for u in site.counties["230102"]["units"] if u["code"] == "ZH23010230001")
    assert general["notes"] == ["no_unit_list"]
    assert site.counties["230103"]["name"] == "南岗区"  # the admin name where the units have none


def test_only_published_content_is_written(library, tmp_path):
    site = build(library)
    out = tmp_path / "site"
    write_site(site, str(out))
    for name in ("index.html", "lookup.js", "coords.js", "lookup.css", "vendor/leaflet/leaflet.js",
                 "vendor/leaflet/LICENSE", "data/overview.js", "data/county/230102.js", "data/county/230103.js"):  # fmt: skip
        assert (out / name).is_file(), name
    texts = "".join(p.read_text(encoding="utf-8") for p in (out / "data").rglob("*.js"))
    assert "内部审查意见不公开" not in texts  # a clause's source note is not public content
    assert "</script>" not in texts and "单元内禁止新建工业项目<\\/script>" in texts
    county = (out / "data/county/230102.js").read_text(encoding="utf-8")
    assert county.startswith("ECOZ.county(") and county.rstrip().endswith(");")
    payload = json.loads(county[len("ECOZ.county(") : county.rindex(")")])
    assert set(payload["units"][0]) == {
        "code",
        "name",
        "class",
        "county",
        "county_code",
        "notes",
        "lists",
        "bbox",
        "geom",
    }
    # full precision in the county file: the exact corner, not a rounded one
    assert [126.0, 45.0] in payload["units"][0]["geom"][0][0]
    # the drawing: integers at 10^5, first vertex absolute, then differences
    overview = (out / "data/overview.js").read_text(encoding="utf-8")
    drawing = json.loads(overview[len("ECOZ.overview(") : overview.rindex(")")])
    assert drawing["meta"]["drawing_digits"] == 5
    flat = next(u for u in drawing["units"] if u["code"] == "ZH23010210001")["geom"][0][0]
    xs, ys = [], []
    x = y = 0
    for dx, dy in zip(flat[0::2], flat[1::2]):
        x, y = x + dx, y + dy
        xs.append(x / 1e5)
        ys.append(y / 1e5)
    assert (min(xs), min(ys), max(xs), max(ys)) == pytest.approx((126.0, 45.0, 126.5, 45.5), abs=1e-9)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>哈尔滨市公共查阅</title>" in index
    assert "http://" not in index and "https://" not in index


def test_a_non_empty_folder_is_refused_unless_overwrite(library, tmp_path):
    site = build(library)
    out = tmp_path / "site"
    out.mkdir()
    (out / "mine.txt").write_text("a user's file", encoding="utf-8")
    with pytest.raises(PublishError, match="not empty"):
        write_site(site, str(out))
    assert (out / "mine.txt").exists() and not (out / "index.html").exists()
    write_site(site, str(out), overwrite=True)
    assert (out / "index.html").exists() and not (out / "mine.txt").exists()
    assert (tmp_path / "site.bak" / "mine.txt").read_text(encoding="utf-8") == "a user's file"
    empty = tmp_path / "empty"
    empty.mkdir()
    write_site(site, str(empty))
    assert (empty / "index.html").exists() and not (tmp_path / "empty.bak").exists()


def test_coordinate_module_passes_its_own_tests():
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the page's JavaScript tests (scripts/setup.sh installs nodejs)"
    done = subprocess.run(
        [node, "--test", str(ROOT / "tests/js/coords.test.js")], capture_output=True, text=True, timeout=120
    )  # noqa: S603
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout
