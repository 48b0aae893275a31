"""Start-up time of `cityplan duties` against the floor of its stack.

Times, in one run and interleaved over several rounds: `python -c pass`; the floor (a one-command
typer app that imports networkx, which every graph query needs); and
`cityplan duties 省住建厅 --format json` on the bundled data. Prints the median of each and the ratios.
Target: cityplan ≤ 1.25 × the floor.

    python benchmarks/startup.py [--rounds N]
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
from pathlib import Path

TARGET = 1.25
DATA = Path(__file__).resolve().parents[1] / "tasks"
FLOOR_APP = """\
import networkx
import typer

app = typer.Typer()


@app.command()
def duties(unit: str, format: str = "table") -> None:
    print("[]")


app()
"""


# Measure as installed: byte-code cached (an editable install compiles on first use, unless told not to).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    script = Path(sys.executable).with_name("cityplan")
    cityplan = [str(script)] if script.exists() else [sys.executable, "-m", "cityplan_cli"]
    with tempfile.TemporaryDirectory() as tmp:
        floor_app = Path(tmp) / "floor.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "floor (typer + networkx)": [sys.executable, str(floor_app), "省住建厅", "--format", "json"],
            "cityplan duties": [*cityplan, "duties", "省住建厅", "--format", "json", "--data", str(DATA)],
        }
        for argv in commands.values():  # warm the file cache and write byte-code
            timed(argv)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                samples[name].append(timed(argv))

    medians = {name: statistics.median(values) for name, values in samples.items()}
    width = max(map(len, medians))
    for name, value in medians.items():
        print(f"{name:<{width}}  {value * 1000:7.1f} ms  (median of {args.rounds})")
    python, floor, ours = medians.values()
    ratio = ours / floor
    print(f"floor / python        {floor / python:5.2f}")
    print(f"cityplan / floor      {ratio:5.2f}  (target ≤ {TARGET})")
    print("target met" if ratio <= TARGET else "target NOT met")
    print(f"(cityplan: {shutil.which(cityplan[0]) or cityplan[0]})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
