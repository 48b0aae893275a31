"""The benchmark data generator: the same files for the same arguments, and data the tool accepts."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_generator_is_deterministic(tmp_path, run):
    for name in ("a", "b"):
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "gen.py"), "300", "40", "--out", str(tmp_path / name)],
            check=True,
            capture_output=True,
        )
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.toml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.toml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert len(run.json("tasks", data=tmp_path / "a")) == 300
    run("check", "--strict", data=tmp_path / "a")
    assert any(f.parts[0] == "progress" for f in files)
