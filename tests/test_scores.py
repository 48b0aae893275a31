"""考评 over the duties of the index, worked out by hand on 甘政发〔2024〕57号 (dated 2024-11-17, so
that no 签收 deadline from the document falls in 2026): a dated assignment (交办) moves the 签收
deadline of the units it names and of no other party of the task; a unit's own records count for it
alone. And the weekly report, whose 通报 is worked out while the rest is written in another process,
is the same text however it is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

DIVIDED = "gzf-2024-57-21"  # 省发展改革委 leads, 省住建厅 supports, nine city governments carry it out
OTHER = "gzf-2024-57-13"  # 兰州市政府 carries it out among others
PERIOD = ("--from", "2026-02-01", "--to", "2026-04-30")


def test_a_dated_assignment_and_records_count_for_their_units_alone(run, data):
    def on(day: str, *args: str):
        run.today = dt.date.fromisoformat(day)
        return run(*args, data=data)

    def record(day: str, task: str, unit: str, note: str):
        on(day, "progress", task, "--unit", unit, "--status", "in_progress", "--note", note)

    def scored() -> dict[str, dict]:
        return {s["unit"]: s for s in json.loads(on("2026-04-30", "scores", *PERIOD, "-f", "json").stdout)}

    before = scored()
    for unit in ("金昌市政府", "省住建厅", "兰州市政府"):
        assert (before[unit]["ack_due"], before[unit]["updated"], before[unit]["ack_days_mean"]) == (
            0,
            0,
            None,
        )

    # 交办 on Wednesday 2/11 to 金昌市政府 alone: its 签收 is due five working days on, across the
    # Spring Festival (2/12, 2/13, Saturday 2/14 worked, 2/24, 2/25); 金昌 first reports on 2/27.
    on("2026-02-11", "assign", DIVIDED, "--local", "金昌市政府")
    record("2026-02-27", DIVIDED, "金昌市政府", "已部署")
    # 省住建厅 supports the same task, named by the document, not by the assignment: its deadline
    # stays in 2024, outside the period; its record of 4/25 is within 14 days of 4/30.
    record("2026-04-25", DIVIDED, "省住建厅", "配合推进")
    # 兰州市政府 reports twice on a task of the document alone, eight days apart.
    record("2026-04-20", OTHER, "兰州市政府", "推进中")
    record("2026-04-28", OTHER, "兰州市政府", "过半")
    after = scored()

    changed = {
        unit: {k: v for k, v in after[unit].items() if before[unit][k] != v and k not in ("score", "rank")}
        for unit in after
    }
    # Late by two working days: 2/26 and 2/27 after the deadline, 7 working days from 2/11.
    assert changed["金昌市政府"] == {"ack_due": 1, "ack_days_mean": 7.0}
    assert changed["省住建厅"] == {"updated": 1}
    assert changed["兰州市政府"] == {"updated": 1, "update_interval_mean": 8.0}
    # The eight other cities no longer carry the task out; nobody else's counts moved.
    cities = {
        "武威市政府",
        "陇南市政府",
        "张掖市政府",
        "庆阳市政府",
        "平凉市政府",
        "定西市政府",
        "临夏州政府",
        "甘南州政府",
    }
    for unit in cities:
        assert after[unit]["owned"] == before[unit]["owned"] - 1
    moved = {u for u, c in changed.items() if c and u not in cities}
    assert moved == {"金昌市政府", "省住建厅", "兰州市政府"}


def test_scores_and_the_report_leave_the_stored_index_as_it_was(run, data, private_cache):
    run("scores", "--to", "2026-11-26", "-f", "json", data=data)
    (stored,) = private_cache.glob("*.sqlite")

    def state() -> tuple[str, int]:
        return hashlib.sha256(stored.read_bytes()).hexdigest(), stored.stat().st_mtime_ns

    first = state()
    run("scores", "--to", "2026-11-26", "-f", "json", data=data)
    run("report", "--as-of", "2026-11-26", "-f", "json", data=data)
    assert state() == first
    assert [p.name for p in private_cache.iterdir() if p.name.endswith("-journal")] == []


@pytest.fixture
def with_records(data: Path) -> Path:
    """The bundled data with records that make tasks red, stale, done and unacknowledged."""
    from tests.conftest import Run

    run = Run()
    run.today = dt.date(2026, 11, 26)
    run("progress", DIVIDED, "--unit", "金昌市政府", "--status", "blocked", "--note", "资金未到位", data=data)
    run("progress", OTHER, "--unit", "省发展改革委", "--status", "done", "--note", "已完成", data=data)
    run("progress", OTHER, "--unit", "兰州市政府", "--status", "in_progress", "--note", "推进中", data=data)
    return data


def test_the_report_is_the_same_text_written_in_one_process_or_two(run, with_records, tmp_path, monkeypatch):
    from cityplan_cli import forked

    argv = ("report", "--as-of", "2026-11-26", "-f", "json")
    if forked.processes() < 2:
        pytest.skip("one CPU here: the report is written in one process")
    # Two processes: the rest of the report written beside while the 通报 is worked out.
    beside = run(*argv, data=with_records).stdout_bytes
    out = tmp_path / "周报.json"
    run(*argv, "--out", out, data=with_records)
    monkeypatch.setattr(forked, "processes", lambda: 1)
    alone = run(*argv, data=with_records).stdout_bytes
    assert beside == alone == out.read_bytes()
    record = json.loads(alone)
    assert list(record)[-1] == "bulletin" and record["bulletin"]
    assert DIVIDED in {t["id"] for t in record["red"]}
    # As the program runs: through a pipe, the forked process writes straight to it; the program
    # ends at once, without freeing what it built, having written everything, with its exit code.
    program = [sys.executable, "-m", "cityplan_cli", *argv, "--data", str(with_records)]
    piped = subprocess.run(program, capture_output=True, check=True)
    assert piped.stdout == alone and piped.stderr == b""
    red = subprocess.run([*program, "--fail-on-red"], capture_output=True)
    assert (red.returncode, red.stdout, red.stderr) == (1, alone, b"")
    written = subprocess.run([*program, "--out", str(tmp_path / "b.json")], capture_output=True, check=True)
    assert written.stdout.decode().strip() == str(tmp_path / "b.json")
    assert (tmp_path / "b.json").read_bytes() == alone
    wrong = subprocess.run([*program, "--as-of", "2026-02-30"], capture_output=True)
    assert wrong.returncode == 2 and wrong.stdout == b"" and b"Traceback" not in wrong.stderr


def test_a_reader_that_leaves_early_stops_the_report_quietly(with_records):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cityplan_cli",
            "report",
            "--as-of",
            "2026-11-26",
            "-f",
            "json",
            "--data",
            str(with_records),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{\n  "schem'
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""


def test_what_is_made_aside_comes_back_whole_or_as_an_error(monkeypatch):
    import os
    import signal

    from cityplan_cli import forked
    from cityplan_cli.errors import CityplanError

    if forked.processes() < 2:
        pytest.skip("this system does not fork here")
    pieces = [f"{n}:{'字' * n}\n".encode() for n in range(2000)]
    with forked.aside(iter(pieces)) as made:
        assert b"".join(made()) == b"".join(pieces)

    def failing():
        yield b"part"
        raise ValueError("broken")

    with pytest.raises(CityplanError, match=r"ended early \(status 1\)"), forked.aside(failing()) as made:
        list(made())

    def killed():
        yield b"part"
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(CityplanError, match=r"ended early \(status -9\)"), forked.aside(killed()) as made:
        list(made())
    # Left early, the forked process is ended and waited for: nothing is left behind.
    forks = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", counted)
    with pytest.raises(KeyError), forked.aside(iter(pieces)):
        raise KeyError("early")
    (pid,) = forks
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
