"""Time and peak memory of the main commands, each beside its target; exit 1 when one falls short.

    python benchmarks/run.py [--sizes 10000 50000 100000] [--units 2000] [--rounds 5]

Data comes from benchmarks/gen.py (made under build/ when missing) and is copied before anything
writes to it. Each command runs in a process of its own, with a private cache directory, as an
installed program runs (byte-code cached). The floor is what the TOML parser alone takes to read every
data file, in one process, measured in the same run. Targets apply at 100,000 tasks; the smaller sizes
show how each figure grows (it should grow about linearly with the tasks). Beside each time is the CPU
time it took (the command's and its processes'): where that is larger, the command used several CPUs,
and its time depends on how many the machine has (printed first).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLED = HERE.parent / "tasks"
UNIT = "测试单位00007"
GB = 1024
# Measured at 100,000 tasks (seconds), except the last, on the bundled data.
TARGETS: dict[str, Callable[[float], float]] = {
    "first query on new data": lambda floor: 1.5 * floor,
    "duties (warm)": lambda floor: 0.3,
    "progress (one record)": lambda floor: 0.5,
    "duties after one progress record": lambda floor: 1.0,
    "duties after editing one document": lambda floor: 2.0,
    "report --format json": lambda floor: 5.0,
    "checklist --all (md)": lambda floor: 10.0,
    "export": lambda floor: 20.0,
}
PEAK_MB = 1024
BUNDLED_TARGET = 0.15
FLOOR = """\
import sys
import tomli
from pathlib import Path

root = Path(sys.argv[1])
for path in sorted(root.glob("*.toml")) + sorted((root / "progress").glob("**/*.toml")):
    tomli.loads(path.read_bytes().decode("utf-8"))
"""


Figures = tuple[float, float, float]  # seconds, peak resident MB, CPU seconds


def measure(argv: list[str], env: dict[str, str]) -> Figures:
    """Seconds, peak resident MB and CPU seconds of one command, as the kernel accounts for it and its
    children."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return seconds, peak, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000, 100000])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument(
        "--rounds", type=int, default=5, help="runs of each quick command (the median counts)"
    )
    parser.add_argument(
        "--cold-rounds",
        type=int,
        default=3,
        help="runs of the floor and of the first query (the median counts)",
    )
    args = parser.parse_args()
    from rich.cells import cell_len  # a Chinese character takes two columns

    from cityplan_cli.forked import cpus  # the CPUs the program counts on

    script = Path(sys.executable).with_name("cityplan")
    cityplan = [str(script)] if script.exists() else [sys.executable, "-m", "cityplan_cli"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CITYPLAN_NO_CACHE")}
    short: list[str] = []

    def report(size: int, name: str, seconds: float, peak: float, cpu: float, target: float | None) -> None:
        judged = target is not None and size == max(args.sizes)
        mark = ("ok" if seconds <= target else "SHORT") if judged and target is not None else ""
        shown = f"≤ {target:.2f} s" if target is not None else ""
        padded = name + " " * (36 - cell_len(name))
        figures = f"{seconds:>8.2f} s {cpu:>7.2f} s {peak:>7.0f} MB"
        print(f"{size:>7}  {padded} {figures}  {shown:<10} {mark}", flush=True)
        if mark == "SHORT":
            short.append(f"{name}: {seconds:.2f} s > {target:.2f} s")
        if judged and peak > PEAK_MB:
            short.append(f"{name}: peak {peak:.0f} MB > {PEAK_MB} MB")

    print(f"machine: {os.cpu_count()} CPUs, {cpus()} of them for this run")
    print(f"{'tasks':>7}  {'step':<36} {'time':>10} {'cpu':>9} {'peak':>10}  target")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            source = HERE.parent / "build" / f"bench-{size}-{args.units}"
            if not source.is_dir():
                gen = [sys.executable, str(HERE / "gen.py"), str(size), str(args.units), "--out", str(source)]
                subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
            data = Path(tmp) / f"data-{size}"
            shutil.copytree(source, data)
            cache = Path(tmp) / f"cache-{size}"
            run_env = {**env, "CITYPLAN_CACHE_DIR": str(cache)}
            floor_script = Path(tmp) / "floor.py"
            floor_script.write_text(FLOOR, encoding="utf-8")
            floor_argv = [sys.executable, str(floor_script), str(data)]
            floor = median([measure(floor_argv, run_env) for _ in range(args.cold_rounds)])
            report(size, "floor: tomli reads every file", *floor, None)

            def one(argv: list[str], data: Path = data, run_env: dict[str, str] = run_env) -> Figures:
                return measure([*cityplan, *argv, "--data", str(data)], run_env)

            def cold(
                argv: list[str], cache: Path = cache, one: Callable[[list[str]], Figures] = one
            ) -> Figures:
                shutil.rmtree(cache, ignore_errors=True)
                return one(argv)

            duties = ["duties", UNIT, "--format", "json"]
            runs = [cold(duties) for _ in range(args.cold_rounds)]  # the last one's cache stays
            step = "first query on new data"
            report(size, step, *median(runs), TARGETS[step](floor[0]))
            step = "duties (warm)"
            report(size, step, *median([one(duties) for _ in range(args.rounds)]), TARGETS[step](floor[0]))
            record = ["progress", "doc-00001-001", "--unit", _lead_of(data), "--status", "in_progress"]
            step = "progress (one record)"
            report(
                size, step, *one([*record, "--note", "调度", "--date", "2026-11-20"]), TARGETS[step](floor[0])
            )
            step = "duties after one progress record"
            report(size, step, *one(duties), TARGETS[step](floor[0]))
            document = data / "doc-00002.toml"
            document.write_text(
                document.read_text(encoding="utf-8").replace("第1项", "第1项（修订）", 1), "utf-8"
            )
            step = "duties after editing one document"
            report(size, step, *one(duties), TARGETS[step](floor[0]))
            out = Path(tmp) / f"out-{size}"
            for step, argv in (
                ("report --format json", ["report", "--as-of", "2026-11-26", "--format", "json"]),
                ("checklist --all (md)", ["checklist", "--all", "--format", "md", "--out", str(out)]),
                ("export", ["export", "--out", str(out / "台账.xlsx"), "--as-of", "2026-11-26"]),
            ):
                report(size, step, *one(argv), TARGETS[step](floor[0]))
            shutil.rmtree(data)
            shutil.rmtree(out, ignore_errors=True)
        bundled_env = {**env, "CITYPLAN_CACHE_DIR": str(Path(tmp) / "cache-bundled")}
        argv = [*cityplan, "duties", "省住建厅", "--format", "json", "--data", str(BUNDLED)]
        measure(argv, bundled_env)  # the index, and byte-code, made once
        bundled = median([measure(argv, bundled_env) for _ in range(max(args.rounds, 9))])
        typer = median(
            [measure([sys.executable, "-c", "import typer"], env) for _ in range(max(args.rounds, 9))]
        )
        print(f"{'bundled':>7}  {'import typer (for reference)':<36} {typer[0]:>8.2f} s {typer[2]:>7.2f} s")
        report(0, "duties 省住建厅 (warm, bundled)", *bundled, BUNDLED_TARGET)
        seconds = bundled[0]
        if seconds > BUNDLED_TARGET:
            short.append(f"duties on the bundled data: {seconds:.3f} s > {BUNDLED_TARGET} s")
    if short:
        print("short of target:\n  " + "\n  ".join(short))
        return 1
    print("every target met")
    return 0


def median(runs: list[Figures]) -> Figures:
    """The median time and CPU time of several runs, and the highest peak."""
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def _lead_of(data: Path) -> str:
    """The lead unit of the first task of the first document, as written there."""
    import tomli

    first = tomli.loads((data / "doc-00001.toml").read_text(encoding="utf-8"))["tasks"][0]
    return first["lead"][0]


if __name__ == "__main__":
    sys.exit(main())
