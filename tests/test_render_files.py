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
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityplan_cli import files
from cityplan_cli.files import safe_names, write_atomic
from conftest import FIXTURES

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


def _rewrites(run, data: Path, out: Path) -> dict[str, tuple[Path, Callable[[], object]]]:
    """Every command that rewrites a file: the file, made to exist first (by the command itself where
    the file is data, as an old file where it is output), and the run that rewrites it."""
    province = data / "gzf-2024-57.toml"

    def progress(status: str, day: str):
        return lambda: run("progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", status,
                           "--note", status, "--date", day, data=data)  # fmt: skip

    def item_13_names_jinchang() -> None:
        text = province.read_text(encoding="utf-8")
        old = 'local = ["兰州市政府", "白银市政府", "兰州新区管委会"]'
        at = text.index(old, text.index('id = "gzf-2024-57-13"'))
        province.write_text(
            text[:at] + old[:-1] + ', "金昌市政府"]' + text[at + len(old) :], encoding="utf-8"
        )

    def cascade():
        run("cascade", "gzf-2024-57", "--to", "金昌市政府", data=data)
        return data / "gzf-2024-57-jcszf.toml"

    imported = out / "imported"

    def import_():
        run("import", FIXTURES / "import" / "urban-renewal.txt", "--out", imported, data=data)
        return imported / "gzbf-2025-12.toml"

    def existing(name: str) -> Path:
        (out / name).write_bytes(b"old")
        return out / name

    def made(path: Path, then: Callable[[], object] = lambda: None) -> Path:
        then()
        return path

    def cli(*argv) -> Callable[[], object]:
        return lambda: run(*argv, data=data)

    progress("in_progress", "2026-11-24")()
    (progress_file,) = (data / "progress").rglob("*.toml")
    source = FIXTURES / "import" / "urban-renewal.txt"
    return {
        "progress": (progress_file, progress("done", "2026-11-25")),
        "assign": (data / "gzf-2023-73.toml", cli("assign", "gzf-2023-73-01", "--lead", "省工信厅")),
        "import --force": (import_(), cli("import", source, "--out", imported, "--force")),
        "cascade again": (made(cascade(), item_13_names_jinchang), cascade),
        "checklist md": (existing("省住建厅.md"), cli("checklist", "省住建厅", "-f", "md", "--out", out)),
        "checklist xlsx": (
            existing("省住建厅.xlsx"),
            cli("checklist", "省住建厅", "-f", "xlsx", "--out", out),
        ),
        "checklist docx": (
            existing("省住建厅.docx"),
            cli("checklist", "省住建厅", "-f", "docx", "--out", out),
        ),
        "export": (existing("台账.xlsx"), cli("export", "--out", out / "台账.xlsx", "--as-of", "2026-11-26")),
        "report": (
            existing("周报.md"),
            cli("report", "--as-of", "2026-11-26", "-f", "md", "--out", out / "周报.md"),
        ),
        "graph": (existing("g.graphml"), cli("graph", "--out", out / "g.graphml")),
        "tasks --out": (existing("tasks.csv"), cli("tasks", "--format", "csv", "--out", out / "tasks.csv")),
        "codeowners": (existing("CODEOWNERS"), cli("codeowners", "--out", out / "CODEOWNERS")),
    }


REWRITES = [
    "progress",
    "assign",
    "import --force",
    "cascade again",
    "checklist md",
    "checklist xlsx",
    "checklist docx",
    "export",
    "report",
    "graph",
    "tasks --out",
    "codeowners",
]


@pytest.mark.parametrize("through_link", [False, True], ids=["file", "link"])
@pytest.mark.parametrize("command", REWRITES)
def test_every_rewrite_keeps_the_mode_and_the_link(run, data, tmp_path, command, through_link):
    """A file an administrator made 0640, or a link to one kept elsewhere, is rewritten in place: new
    content, the same mode, the link still a link to it."""
    out = tmp_path / "out"
    out.mkdir()
    cases = _rewrites(run, data, out)
    assert sorted(cases) == sorted(REWRITES)
    path, rewrite = cases[command]
    real = path
    if through_link:
        real = tmp_path / "elsewhere" / path.name
        real.parent.mkdir()
        path.rename(real)
        path.symlink_to(real)
    real.chmod(0o640)
    before = (real.read_bytes(), real.stat().st_ino)
    rewrite()
    assert (real.read_bytes(), real.stat().st_ino) != before, "not rewritten"
    assert real.stat().st_ino != before[1], "rewritten in place, not replaced whole"
    assert mode(real) == 0o640
    assert path.is_symlink() == through_link
    assert not [p for p in real.parent.iterdir() if TEMP in p.name]


def test_init_gives_new_files_the_umasks_mode(run, tmp_path, umask):
    umask(0o027)
    run("--data", tmp_path, "init", tmp_path / "任务数据")
    written = [p for p in (tmp_path / "任务数据").rglob("*") if p.is_file()]
    assert written and all(mode(p) == 0o640 for p in written)


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


def test_many_files_at_once_a_failure_midway_keeps_the_old_file_and_leaves_no_temporary(
    run, tmp_path, monkeypatch
):
    """checklist --all flushes its files together: when one cannot be put in place, that one keeps
    its old content, nothing temporary stays, and what was reported written is there and whole."""
    victim = tmp_path / "金昌市政府.md"
    victim.write_text("old", encoding="utf-8")
    real = files.os.replace

    def replace(src, dst):
        if Path(dst).name == victim.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    result = run("checklist", "--all", "-f", "md", "--out", tmp_path, code=2)
    assert result.stderr == f"cityplan: error: {victim}: No space left on device\n"
    assert victim.read_text(encoding="utf-8") == "old"
    assert not [p.name for p in tmp_path.iterdir() if TEMP in p.name]
    reported = [Path(line) for line in result.stdout.splitlines()]
    assert reported and victim not in reported
    for path in reported:
        assert path.read_text(encoding="utf-8").startswith("# ")


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


def test_a_batch_reports_each_file_in_the_order_given_once_it_is_in_place(tmp_path):
    from cityplan_cli.files import AtomicBatch

    seen: list[tuple[str, str]] = []
    with AtomicBatch(lambda path: seen.append((path.name, path.read_text(encoding="utf-8")))) as batch:
        for n in range(60):
            batch.write(tmp_path / f"{n}.md", f"# {n}\n" * (n + 1))
    assert seen == [(f"{n}.md", f"# {n}\n" * (n + 1)) for n in range(60)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.md" for n in range(60))


def test_a_failure_seen_as_the_batch_ends_leaves_no_temporary(tmp_path, monkeypatch):
    """The files after the one that failed, their turn not yet come, are left as they were, whether
    the failure is seen while files are still given or only as the batch ends (the threads had not
    yet reached them: here they never start on their own)."""
    import concurrent.futures

    class Held(concurrent.futures.Future):
        def __init__(self, job: Callable[[], None]) -> None:
            super().__init__()
            self.job = job

        def result(self, timeout: float | None = None) -> None:
            if not self.done() and self.set_running_or_notify_cancel():
                try:
                    self.set_result(self.job())
                except BaseException as exc:
                    self.set_exception(exc)
            return super().result(timeout)

    class Waiting:
        def __init__(self, workers: int) -> None:
            pass

        def submit(self, fn, *args):
            return Held(lambda: fn(*args))

        def shutdown(self, wait: bool = True) -> None:
            pass

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", Waiting)
    real = files.os.replace

    def replace(src, dst):
        if Path(dst).name == "b.md":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    for name in "abcd":
        (tmp_path / f"{name}.md").write_text("old", encoding="utf-8")
    seen: list[str] = []
    with (
        pytest.raises(OSError, match="No space left on device"),
        files.AtomicBatch(lambda path: seen.append(path.name)) as batch,
    ):
        for name in "abcd":
            batch.write(tmp_path / f"{name}.md", "new")
    assert seen == ["a.md"]
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == {
        "a.md": "new",
        "b.md": "old",
        "c.md": "old",
        "d.md": "old",
    }
