#!/usr/bin/env python3
"""Run an EcoZoning algorithm outside the QGIS desktop (batch jobs, a cluster's head node), optionally on Dask.

    source scripts/qgis_env.sh
    python3 scripts/ecozoning_cli.py delineateunits \\
        ADMIN='resources/sample/harbin_counties.gpkg|layername=counties' \\
        ZONES=demo_output/zones_eco_redline.gpkg ZONES=demo_output/zones_water_zones.gpkg \\
        UNITS=/tmp/units.gpkg MERGE_LOG=/tmp/merge_log.gpkg --scheduler tcp://10.0.0.5:8786

Arguments are the algorithm's parameters as KEY=VALUE (a key given twice makes a list, as ZONES above);
``--scheduler`` sets SCHEDULER (delineateunits, validateunits): the county tasks go to that dask.distributed
scheduler's workers; without it they run in worker processes on this machine. The same algorithm code runs as
in QGIS (QGIS's Processing framework, headless), so the results are the same. Prints the outputs as JSON.
Exit status 1 with the algorithm's message when it fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _plugin_on_path() -> None:
    """The plugin imports itself relatively, as package 'ecozoning' (its folder name once installed)."""
    if ROOT.name == "ecozoning":
        sys.path.insert(0, str(ROOT.parent))
        return
    pkg = ROOT / "build" / "pkg"
    pkg.mkdir(parents=True, exist_ok=True)
    link = pkg / "ecozoning"
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(pkg))


def parse_parameters(items: list[str]) -> dict:
    parameters: dict = {}
    for item in items:
        if "=" not in item:
            raise SystemExit(f"'{item}' is not KEY=VALUE")
        key, value = item.split("=", 1)
        if key in parameters:
            previous = parameters[key]
            parameters[key] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            parameters[key] = value
    return parameters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "algorithm", help="an EcoZoning algorithm id, e.g. delineateunits (or ecozoning:delineateunits)"
    )
    parser.add_argument("parameters", nargs="*", help="KEY=VALUE")
    parser.add_argument("--scheduler", default="", help="dask.distributed scheduler address, e.g. tcp://host:8786")
    args = parser.parse_args(argv)
    parameters = parse_parameters(args.parameters)
    if args.scheduler:
        parameters["SCHEDULER"] = args.scheduler
    # a list parameter (ZONES) given once is still a list
    if isinstance(parameters.get("ZONES"), str):
        parameters["ZONES"] = [parameters["ZONES"]]

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _plugin_on_path()
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingFeedback

    app = QgsApplication([], False)
    app.initQgis()
    try:
        from processing.core.Processing import Processing

        Processing.initialize()
        from ecozoning.processing.provider import EcoZoningProvider

        provider = EcoZoningProvider()
        if not QgsApplication.processingRegistry().addProvider(provider):
            print("could not register the EcoZoning provider", file=sys.stderr)
            return 1
        from qgis import processing

        algorithm = args.algorithm if ":" in args.algorithm else f"ecozoning:{args.algorithm}"

        class Feedback(QgsProcessingFeedback):
            def pushInfo(self, info):  # noqa: N802 - QGIS API
                print(info, file=sys.stderr)

            def pushWarning(self, warning):  # noqa: N802 - QGIS API
                print(f"warning: {warning}", file=sys.stderr)

            def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
                print(f"error: {error}", file=sys.stderr)

        try:
            result = processing.run(algorithm, parameters, feedback=Feedback())
        except QgsProcessingException as exc:
            print(f"{algorithm} failed: {exc}", file=sys.stderr)
            return 1
        print(json.dumps({k: v for k, v in result.items() if isinstance(v, (str, int, float))}, ensure_ascii=False))
        return 0
    finally:
        app.exitQgis()


if __name__ == "__main__":
    sys.exit(main())
