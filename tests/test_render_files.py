"""Writing files: modes kept, links written through, read-only files refused, leftovers of killed
runs removed, a full disk named; file names unique and stable."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityplan_cli import files
from cityplan_cli.files import safe_names, write_atomic

TEMP = ".cityplan-tmp-"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set the process's umask for one test."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield lambda value: os.umask(value)
    os.umask(saved)


@pytest.mark.parametrize("kept", [0o644, 0o600, 0o640, 0o664])
def test_an_existing_files_mode_is_kept(tmp_path, kept):
    path = tmp_path / "a.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(kept)
    write_atomic(path, "new")
    assert (path.read_text(encoding="utf-8"), mode(path)) == ("new", kept)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_umasks_mode(tmp_path, umask, mask, expected):
    umask(mask)
    write_atomic(tmp_path / "new.csv", b"x")
    assert mode(tmp_path / "new.csv") == expected


def test_file_modes_survive_every_command_that_writes(run, data, tmp_path):
    """Progress records, assignments, checklists, the ledger, the report and graph files keep the
    mode an administrator gave them."""
    out = tmp_path / "out"
    out.mkdir()
    run("progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "in_progress", "--note", "一",
        "--date", "2026-11-24", data=data)  # fmt: skip
    (progress,) = (data / "progress").rglob("*.toml")
    targets = {
        progress: ["progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "done", "--note", "二",
                   "--date", "2026-11-25"],
        data / "gzf-2023-73.toml": ["assign", "gzf-2023-73-01", "--lead", "省工信厅"],
        out / "省住建厅.md": ["checklist", "省住建厅", "-f", "md", "--out", out],
        out / "省住建厅.xlsx": ["checklist", "省住建厅", "-f", "xlsx", "--out", out],
        out / "台账.xlsx": ["export", "--out", out / "台账.xlsx", "--as-of", "2026-11-26"],
        out / "周报.md": ["report", "--as-of", "2026-11-26", "--format", "md", "--out", out / "周报.md"],
        out / "g.graphml": ["graph", "--out", out / "g.graphml"],
    }  # fmt: skip
    for n, (path, argv) in enumerate(targets.items()):
        if not path.exists():
            path.write_bytes(b"")
        given_mode = (0o640, 0o664, 0o604)[n % 3]
        path.chmod(given_mode)
        before = path.read_bytes()
        run(*argv, data=data)
        assert path.read_bytes() != before, argv
        assert mode(path) == given_mode, argv


def test_a_link_is_written_through(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    real = tmp_path / "shared" / "省住建厅清单.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    (out / "省住建厅.md").symlink_to(real)
    run("checklist", "省住建厅", "-f", "md", "--out", out)
    assert (out / "省住建厅.md").is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# 省住建厅任务清单\n")
    assert not [p for p in real.parent.iterdir() if TEMP in p.name]


def test_a_read_only_file_is_refused_by_name(run, tmp_path):
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"kept")
    out.chmod(0o444)
    result = run("export", "--out", out, code=2)
    assert result.stderr.startswith(f"cityplan: error: {out} is read-only")
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == b"kept" and mode(out) == 0o444


def test_a_full_disk_names_the_file_and_keeps_the_old_one(run, tmp_path, monkeypatch):
    out = tmp_path / "省住建厅.md"
    out.write_text("old", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    result = run("checklist", "省住建厅", "-f", "md", "--out", tmp_path, code=2)
    assert result.stderr == f"cityplan: error: {out}: No space left on device\n"
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["省住建厅.md"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_runs_are_removed_by_the_next_write(run, tmp_path):
    """A temporary file whose process is gone is removed; one whose process still runs is not."""
    gone = tmp_path / f".省住建厅.md{TEMP}{dead_pid()}-0a1b2c3d"
    gone.write_text("half", encoding="utf-8")
    alive = tmp_path / f".金昌市政府.md{TEMP}{os.getppid()}-0a1b2c3d"
    alive.write_text("being written", encoding="utf-8")
    mine_by_name = tmp_path / ".notes.cityplan-tmp-backup"  # not a temporary file of ours
    mine_by_name.write_text("keep", encoding="utf-8")
    files._swept.clear()
    run("checklist", "省住建厅", "-f", "md", "--out", tmp_path)
    assert not gone.exists() and alive.exists() and mine_by_name.exists()


def test_kill_9_during_checklist_all_leaves_nothing_after_the_next_run(tmp_path):
    """Runs killed at several moments leave at most temporary files; the next run removes them and
    every file it lists is whole."""
    out = tmp_path / "out"
    argv = [
        sys.executable,
        "-m",
        "cityplan_cli",
        "checklist",
        "--all",
        "-f",
        "md",
        "-f",
        "xlsx",
        "--out",
        str(out),
    ]
    for delay in (0.8, 1.2, 1.6):
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert not [p.name for p in out.iterdir() if TEMP in p.name]
    written = done.stdout.splitlines()
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(w).name for w in written)
    for path in out.glob("*.md"):
        assert path.read_text(encoding="utf-8").startswith("# ")


def test_names_cleaned_alike_never_share_a_file():
    names = ["a/b", "a:b", "省住建厅", "省住\u200b建厅", "省住建厅\x00", "CON", "con", "Abc", "abc"]
    result = safe_names(names)
    assert len({f.casefold() for f in result.values()}) == len(names)
    assert result["省住建厅"] == "省住建厅"  # a name that is already a good file name stays itself
    assert result["abc"] == "abc"
    for name in names:  # the same file name whatever else is listed, and in whatever order
        assert safe_names([name])[name] == result[name]
        assert safe_names(reversed(names))[name] == result[name]
    assert result["a/b"].startswith("a_b-") and result["a:b"].startswith("a_b-")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=100), max_size=12))
def test_file_names_are_stable(names):
    result = safe_names(names)
    for name in names:
        assert safe_names([name])[name] == result[name]
