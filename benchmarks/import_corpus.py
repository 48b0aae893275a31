"""Owners recovered by `cityplan import` on the corpus of real documents in tests/corpus: precision,
recall and F1 of (item, unit, role) triples, per layout and overall. Exits 1 below the target.

Each document there has a hand-written TOML beside it: its layout (`group`), where it was published,
and for each item the words its text starts with (`key`) and its lead, support and local units as the
document states them. Names are compared after the registry's resolution, as import resolves them.

    .venv/bin/python benchmarks/import_corpus.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
TARGET = 0.95
ROLES = ("lead", "support", "local")


def documents(corpus: Path = CORPUS) -> list[tuple[Path, Path]]:
    """(input, expected) pairs: each expected TOML with the input file of the same name."""
    pairs = []
    for expected in sorted(corpus.glob("*.toml")):
        inputs = [p for p in corpus.glob(expected.stem + ".*") if p.suffix != ".toml"]
        if len(inputs) == 1:
            pairs.append((inputs[0], expected))
    return pairs


def imported(source: Path, registry_dir: Path, out: Path) -> tuple[list[dict], str]:
    """The tasks `cityplan import` writes for `source`, through the real command line."""
    from typer.testing import CliRunner

    from cityplan_cli.cli import app
    from cityplan_cli.load import tomllib

    result = CliRunner().invoke(app, ["import", str(source), "--out", str(out), "--data", str(registry_dir)])
    if result.exit_code != 0:
        return [], result.stderr
    tasks = []
    for path in sorted(out.glob("*.toml")):
        tasks += tomllib.loads(path.read_text(encoding="utf-8")).get("tasks", [])
    return tasks, result.stderr


def triples(expected: dict, tasks: list[dict], resolve) -> tuple[set, set]:
    """(expected, found) triples (item, unit, role); an item is the task whose words start with its key."""
    want, got = set(), set()
    matched: dict[int, int] = {}
    for n, item in enumerate(expected.get("items", [])):
        for role in ROLES:
            want |= {(n, resolve(unit), role) for unit in item.get(role, [])}
        key = item["key"]
        for k, task in enumerate(tasks):
            if k not in matched.values() and (task["title"].startswith(key) or task["text"].startswith(key)):
                matched[n] = k
                break
    by_task = {k: n for n, k in matched.items()}
    for k, task in enumerate(tasks):
        item = by_task.get(k, f"unmatched task {k}")
        for role in ROLES:
            got |= {(item, unit, role) for unit in task.get(role, [])}
    return want, got


def score(corpus: Path = CORPUS) -> dict[str, dict[str, float]]:
    """Per layout and overall: true positives, false positives, false negatives, precision, recall, F1."""
    from cityplan_cli.load import load

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        registry_dir = Path(tmp, "data")
        registry_dir.mkdir()
        shutil.copy(ROOT / "tasks" / "units.toml", registry_dir)
        registry = load(registry_dir)[0].registry
        from cityplan_cli.load import tomllib

        def resolve(name: str) -> str:
            return registry.resolve(name) or name

        for source, expected_path in documents(corpus):
            expected = tomllib.loads(expected_path.read_text(encoding="utf-8"))
            tasks, _ = imported(source, registry_dir, Path(tmp, source.name))
            want, got = triples(expected, tasks, resolve)
            for group in (expected.get("group", "other"), "overall"):
                counts[group][0] += len(want & got)
                counts[group][1] += len(got - want)
                counts[group][2] += len(want - got)
    figures = {}
    for group, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[group] = {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}
    return figures


def main() -> int:
    figures = score()
    print(f"{'layout':<28} {'docs':>4} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    docs: dict[str, int] = defaultdict(int)
    from cityplan_cli.load import tomllib

    for _, expected in documents():
        group = tomllib.loads(expected.read_text(encoding="utf-8")).get("group", "other")
        docs[group] += 1
        docs["overall"] += 1
    for group in sorted(figures, key=lambda g: (g == "overall", g)):
        f = figures[group]
        print(
            f"{group:<28} {docs[group]:>4} {f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f}"
            f"  {f['tp']:>3} {f['fp']:>3} {f['fn']:>3}"
        )
    overall = figures["overall"]["f1"]
    print(f"overall F1 {overall:.3f} (target {TARGET})")
    return 0 if overall >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
