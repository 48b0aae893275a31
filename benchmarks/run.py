"""Wall time and peak memory of the main commands at 1k, 10k and 100k tasks (2,000 units).

    python benchmarks/run.py [--sizes 1000 10000 100000] [--units 2000]

Data comes from benchmarks/gen.py (made under build/ when missing). Each command runs in a process
of its own with a private query cache: `duties (first)` builds the cache, the commands after it find
it. Read the growth off the figures: every command should grow about linearly with the tasks.
Targets at 100,000 tasks on a 2-core machine: check ≤ 15 s and ≤ 1.5 GB; duties and tasks --unit
≤ 1 s once the cache is built; checklist --all ≤ 60 s; report ≤ 10 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = {"check": 15, "duties": 1, "tasks --unit": 1, "checklist --all csv": 60, "report": 10}


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident MB of one command, as the kernel accounts for that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--units", type=int, default=2000)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("cityplan")
    cityplan = [str(script)] if script.exists() else [sys.executable, "-m", "cityplan_cli"]
    print(f"{'tasks':>7}  {'command':<22} {'seconds':>8} {'peak MB':>8}  target")
    for size in args.sizes:
        data = HERE.parent / "build" / f"bench-{size}-{args.units}"
        if not data.is_dir():
            generate = [sys.executable, str(HERE / "gen.py"), str(size), str(args.units), "--out", str(data)]
            subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
            env = {**os.environ, "CITYPLAN_CACHE_DIR": cache}
            unit = "测试单位00007"
            runs = [
                ("check", ["check"]),
                ("duties (first)", ["duties", unit, "-f", "json"]),
                ("duties", ["duties", unit, "-f", "json"]),
                ("tasks --unit", ["tasks", "--unit", unit, "-f", "json"]),
                ("checklist --all csv", ["checklist", "--all", "-f", "csv", "--out", out]),
                ("report", ["report", "--as-of", "2026-11-26", "-f", "json"]),
                ("export", ["export", "--out", f"{out}/ledger.xlsx", "--as-of", "2026-11-26"]),
            ]
            for name, argv in runs:
                seconds, peak = measure([*cityplan, *argv, "--data", str(data)], env)
                target = TARGETS.get(name)
                mark = "" if target is None or size < 100_000 else ("ok" if seconds <= target else "OVER")
                print(f"{size:>7}  {name:<22} {seconds:>8.2f} {peak:>8.0f}  {mark}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
