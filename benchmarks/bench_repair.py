"""Cost of the one validity check every algorithm makes when it reads a layer (processing/adapter.read_features,
issue 19), side by side in one run with the way users make layers valid today:

  - plain:  read_features(repair=False): reading and reprojecting only, the cost before the check existed;
  - ours:   read_features(): curves segmentized, invalid polygons repaired in the layer's CRS and logged;
  - native: QGIS "Fix geometries" (native:fixgeometries) into a memory layer, then the plain read.

  source scripts/qgis_env.sh && .venv/bin/python benchmarks/bench_repair.py [--repeat 5]

Data: the layers of the messy Harbin sample (self-intersections, duplicates, slivers) and the counties; with
scripts/make_province_data.sh, also the province's messy zones. Prints medians and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build" / "pkg"))
sys.path.append("/usr/share/qgis/python/plugins")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = [
    ROOT / "resources/sample/harbin_zones_messy.gpkg",
    ROOT / "resources/sample/harbin_counties.gpkg",
    ROOT / "benchmarks/data/heilongjiang_zones_messy.gpkg",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from qgis import processing

    from ecozoning.processing.adapter import read_features

    class Quiet(QgsProcessingFeedback):
        def pushWarning(self, warning):  # noqa: N802
            pass

        def pushInfo(self, info):  # noqa: N802
            pass

    context, feedback = QgsProcessingContext(), Quiet()
    from osgeo import ogr

    rows = []
    for path in DATA:
        if not path.exists():
            print(f"(skipped {path.relative_to(ROOT)}: not there)")
            continue
        source = ogr.Open(str(path))
        names = [source.GetLayer(i).GetName() for i in range(source.GetLayerCount())]
        source = None
        for name in names:
            layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
            if not layer.isValid() or layer.geometryType() != 2:  # polygons only
                continue

            def plain(layer=layer):
                return sum(1 for _ in read_features(layer, context, feedback, repair=False))

            def ours(layer=layer):
                return sum(1 for _ in read_features(layer, context, feedback))

            def native(layer=layer):
                fixed = processing.run(
                    "native:fixgeometries", {"INPUT": layer, "OUTPUT": "memory:"}, context=context, feedback=feedback
                )["OUTPUT"]
                return sum(1 for _ in read_features(fixed, context, feedback, repair=False))

            times = {}
            for label, function in (("plain", plain), ("ours", ours), ("native", native)):
                samples = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    function()
                    samples.append(time.perf_counter() - started)
                times[label] = statistics.median(samples)
            rows.append((f"{path.stem}:{name}", layer.featureCount(), times))
    print(
        f"{'layer':45} {'features':>8} {'plain s':>8} {'ours s':>8} {'native s':>9} {'ours/plain':>10} {'native/ours':>11}"
    )
    for label, count, t in rows:
        print(
            f"{label:45} {count:8d} {t['plain']:8.3f} {t['ours']:8.3f} {t['native']:9.3f} "
            f"{t['ours'] / t['plain']:10.2f} {t['native'] / t['ours']:11.2f}"
        )
    total = {k: sum(t[k] for _, _, t in rows) for k in ("plain", "ours", "native")}
    print(
        f"{'all':45} {sum(c for _, c, _ in rows):8d} {total['plain']:8.3f} {total['ours']:8.3f} {total['native']:9.3f} "
        f"{total['ours'] / total['plain']:10.2f} {total['native'] / total['ours']:11.2f}"
    )
    app.exitQgis()


if __name__ == "__main__":
    main()
