"""Progress records, due dates on the working-day calendar, lights, and the weekly report."""

from __future__ import annotations

import datetime as dt
import errno
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from cityplan_cli import files
from cityplan_cli.load import tomllib

PROGRESS = Path("progress")


def record(run, data, task, unit, status, note, date, *extra, code=0):
    return run(
        "progress",
        task,
        "--unit",
        unit,
        "--status",
        status,
        "--note",
        note,
        "--date",
        date,
        *extra,
        data=data,
        code=code,
    )


def saved_records(folder: Path) -> list[dict]:
    """Every record in a unit's progress folder, as the files say."""
    return [
        r for path in sorted(folder.glob("*.toml")) for r in tomllib.loads(path.read_text("utf-8"))["records"]
    ]


def test_recording_and_history(run, data):
    out = record(
        run,
        data,
        "gzf-2024-57-04",
        "甘肃省住房和城乡建设厅",
        "in_progress",
        "已完成摸底",
        "2026-11-24",
        "--percent",
        "30",
        "--by",
        "张三",
    )
    said = re.fullmatch(
        r"gzf-2024-57-04: 省住建厅 2026-11-24 推进中 \[(2026-11-24-[0-9a-f]{6})\] → (.*)\n", out.stdout
    )
    assert said, out.stdout
    ident, path = said[1], Path(said[2])
    # This clone's file for the unit, in the unit's folder, named by the clone's own id.
    assert path.parent == data / PROGRESS / "省住建厅" and re.fullmatch(r"[0-9a-f]{8}\.toml", path.name)
    # A member of a collective owner records for itself: 金昌市政府 through 各市州政府.
    record(run, data, "gzf-2024-57-04", "金昌市人民政府", "in_progress", "本市已部署", "2026-11-25")
    assert (data / PROGRESS / "金昌市政府" / path.name).is_file()  # the same clone, the same name
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    (entry,) = saved["records"]
    entered = entry.pop("entered")
    assert saved["unit"] == "省住建厅" and entry == {
        "id": ident,
        "task": "gzf-2024-57-04",
        "date": entry["date"],
        "status": "in_progress",
        "percent": 30,
        "note": "已完成摸底",
        "by": "张三",
    }
    assert entry["date"].isoformat() == "2026-11-24" and entered.tzinfo is not None
    task = run.json("show", "gzf-2024-57-04", data=data)
    assert [(p["date"], p["unit"], p["status"], p["id"]) for p in task["progress"]] == [
        ("2026-11-24", "省住建厅", "in_progress", ident),
        ("2026-11-25", "金昌市政府", "in_progress", task["progress"][1]["id"]),
    ]
    assert task["status"] == "in_progress"
    assert "Progress records" in run("show", "gzf-2024-57-04", "--format", "table", data=data).stdout
    assert [t["id"] for t in run.json("tasks", "--status", "in_progress", data=data)] == ["gzf-2024-57-04"]
    run("check", "--strict", data=data)


def test_a_part_that_is_not_the_leads_does_not_close_a_task(run, data):
    record(run, data, "gzf-2024-57-07", "省发展改革委", "done", "配合部分完成", "2026-11-20")
    assert run.json("show", "gzf-2024-57-07", data=data)["status"] == "in_progress"
    record(run, data, "gzf-2024-57-07", "省住建厅", "done", "牵头部分完成", "2026-11-18")
    # The lead's word makes it done, awaiting the supervisor (待销号).
    assert run.json("show", "gzf-2024-57-07", data=data)["status"] == "pending"


def test_refusals(run, data):
    before = sorted(str(p) for p in data.rglob("*"))
    result = record(run, data, "gzf-2024-57-07", "省司法厅", "blocked", "x", "2026-11-25", code=2)
    assert "'省司法厅' does not own gzf-2024-57-07; its owners are 省住建厅, 省发展改革委" in result.stderr
    assert (
        "unknown unit '省住房厅'"
        in record(run, data, "gzf-2024-57-07", "省住房厅", "done", "x", "2026-11-25", code=2).stderr
    )
    assert (
        "no task" in record(run, data, "gzf-2024-57-99", "省住建厅", "done", "x", "2026-11-25", code=2).stderr
    )
    record(run, data, "gzf-2024-57-07", "省住建厅", "finished", "x", "2026-11-25", code=2)
    record(run, data, "gzf-2024-57-07", "省住建厅", "done", "x", "2026-13-45", code=2)
    record(run, data, "gzf-2024-57-07", "省住建厅", "done", "x", "2026-11-25", "--percent", "101", code=2)
    assert sorted(str(p) for p in data.rglob("*")) == before


def _record(args: tuple[str, int]) -> int:
    from typer.testing import CliRunner

    from cityplan_cli.cli import app

    data, n = args
    argv = ["progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "in_progress"]
    argv += ["--note", f"第{n}次", "--date", "2026-11-25", "--data", data]
    return CliRunner().invoke(app, argv).exit_code


def test_concurrent_recorders_lose_no_record(data):
    jobs = [(str(data), n) for n in range(24)]
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        assert pool.map(_record, jobs) == [0] * len(jobs)
    saved = saved_records(data / PROGRESS / "省住建厅")
    assert sorted(r["note"] for r in saved) == sorted(f"第{n}次" for n in range(24))
    assert len({r["id"] for r in saved}) == 24


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_write_that_fails_midway_leaves_nothing(run, data, monkeypatch, failing):
    first = record(run, data, "gzf-2024-57-04", "省住建厅", "in_progress", "第一次", "2026-11-24")
    folder = data / PROGRESS / "省住建厅"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder))

    monkeypatch.setattr(files.os, failing, disk_full)
    result = record(run, data, "gzf-2024-57-04", "省住建厅", "done", "第二次", "2026-11-25", code=2)
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no record, no temporary file
    assert first.stdout.strip().endswith(str(folder / next(iter(before))))


def test_a_file_of_records_written_by_hand_is_never_rewritten(run, data):
    """Records kept by hand in one file (progress/UNIT.toml, as earlier versions wrote them) keep
    loading, comments and all; recording adds files beside it and leaves it as it is."""
    path = data / PROGRESS / "省住建厅.toml"
    path.parent.mkdir()
    text = (
        "# 省住建厅进展台账,由办公室维护\n"
        'unit = "省住建厅"\n\n'
        '[[records]]\ntask = "gzf-2024-57-04"\ndate = 2026-11-24\nstatus = "in_progress"\n'
        'note = "第一次"  # 电话核实\n'
    )
    path.write_text(text, encoding="utf-8")
    record(run, data, "gzf-2024-57-07", "省住建厅", "blocked", "资金未到位", "2026-11-25")
    assert path.read_text(encoding="utf-8") == text
    shown = run.json("show", "gzf-2024-57-04", data=data)["progress"]
    assert [(p["id"], p["note"]) for p in shown] == [("2026-11-24#1", "第一次")]
    run("check", "--strict", data=data)


# ---------------------------------------------------------------------------------------------
# Due dates on the official calendar

PLAN = """[document]
id = "t"
title = "测试方案"
issuer = "甘肃省人民政府"
date = 2025-01-20
{doc_extra}

[[tasks]]
id = "t-1"
seq = 1
title = "报送实施方案"
lead = ["省住建厅"]
{task_extra}
"""


def plan(tmp_path: Path, doc_extra: str = "", task_extra: str = "") -> Path:
    root = tmp_path / "plan"
    root.mkdir(exist_ok=True)
    shutil.copy(Path(__file__).parents[1] / "tasks" / "units.toml", root)
    (root / "t.toml").write_text(PLAN.format(doc_extra=doc_extra, task_extra=task_extra), encoding="utf-8")
    return root


def test_working_days_across_the_spring_festival(run, tmp_path):
    # 2025: 春节 holiday 1月28日–2月4日, with 1月26日 (Sunday) and 2月8日 (Saturday) worked instead.
    # Five working days after Friday 1月24日: 1/26, 1/27, 2/5, 2/6, 2/7.
    root = plan(tmp_path, task_extra="start = 2025-01-24\ndue_working_days = 5")
    assert run.json("show", "t-1", data=root)["due"] == "2025-02-07"
    # From the document's date, Monday 1月20日, twenty working days end on 2月21日 (2/8 counted).
    root = plan(tmp_path, doc_extra="due_working_days = 20")
    assert run.json("show", "t-1", data=root)["due"] == "2025-02-21"
    # An explicit due date wins.
    root = plan(tmp_path, doc_extra="due_working_days = 20", task_extra="due = 2025-03-01")
    assert run.json("show", "t-1", data=root)["due"] == "2025-03-01"


def test_a_year_the_calendar_does_not_know_is_a_warning(run, tmp_path):
    root = plan(tmp_path, task_extra="start = 2026-12-20\ndue_working_days = 20")
    found = json.loads(run("check", "--format", "json", data=root).stdout)
    assert [p["severity"] for p in found] == ["warning"]
    assert "counted Monday to Friday" in found[0]["message"] and found[0]["line"] == 14
    assert run.json("show", "t-1", data=root)["due"] == "2027-01-15"


def test_working_days_need_a_start(run, tmp_path):
    root = plan(tmp_path, task_extra="due_working_days = 5")
    text = (root / "t.toml").read_text(encoding="utf-8").replace("date = 2025-01-20\n", "")
    (root / "t.toml").write_text(text, encoding="utf-8")
    found = json.loads(run("check", "--format", "json", data=root, code=2).stdout)
    assert "working days need a start" in found[0]["message"]


# ---------------------------------------------------------------------------------------------
# Lights


def light_of(run, root: Path, as_of: str, task: str = "t-1") -> tuple[str, list[str]]:
    report = json.loads(run("report", "--as-of", as_of, "--format", "json", data=root).stdout)
    row = next(t for group in report["by_lead"] for t in group["tasks"] if t["id"] == task)
    return row["light"], row["reasons"]


def fresh(run, root: Path, date: str, status: str = "in_progress", note: str = "推进中") -> None:
    run.today = dt.date(2026, 12, 31)  # a day after every record these tests make
    record(run, root, "t-1", "省住建厅", status, note, date)


@pytest.mark.parametrize(
    ("as_of", "light", "reason"),
    [
        ("2026-11-30", "yellow", "1 天后到期（期限 2026-12-01）"),
        ("2026-12-01", "yellow", "今日到期（期限 2026-12-01）"),
        ("2026-12-02", "red", "逾期 1 天（期限 2026-12-01）"),
    ],
    ids=["day before", "due day", "day after"],
)
def test_lights_around_a_due_date(run, tmp_path, as_of, light, reason):
    root = plan(tmp_path, task_extra="due = 2026-12-01")
    fresh(run, root, "2026-11-29")
    assert light_of(run, root, as_of) == (light, [reason])


def test_green_yellow_stale_blocked_closed(run, tmp_path):
    root = plan(tmp_path, task_extra="due = 2027-06-30")
    fresh(run, root, "2026-11-20")
    assert light_of(run, root, "2026-11-26") == ("green", [])
    assert light_of(run, root, "2026-12-05") == ("yellow", ["15 天未更新"])
    fresh(run, root, "2026-12-06", "blocked", "资金未到位")
    assert light_of(run, root, "2026-12-07") == ("red", ["受阻（省住建厅）：资金未到位"])
    fresh(run, root, "2026-12-08", "done", "已完成")
    assert light_of(run, root, "2026-12-09") == ("yellow", ["待销号：2026-12-08 报完成，待省政府办公厅审核"])
    run("confirm", "t-1", "--by", "甘肃省人民政府办公厅", "--date", "2026-12-10", data=root)
    assert light_of(run, root, "2026-12-09") == ("yellow", ["待销号：2026-12-08 报完成，待省政府办公厅审核"])
    assert light_of(run, root, "2026-12-10") == ("closed", [])
    # Before those records the task had none at all, long after the document was issued.
    # Nor had its lead acknowledged it: five working days from the document's date, Monday 1月20日,
    # end on Sunday 1月26日, a day worked instead of a Spring Festival holiday.
    assert light_of(run, root, "2026-11-19") == (
        "yellow",
        ["尚无进展记录", "未签收：省住建厅（签收期限 2025-01-26）"],
    )


def test_light_limits_are_settings(run, tmp_path):
    root = plan(tmp_path, task_extra="due = 2026-12-01")
    (root / "cityplan.toml").write_text("[lights]\ndue_soon_days = 3\nstale_days = 30\n", encoding="utf-8")
    fresh(run, root, "2026-11-01")
    assert light_of(run, root, "2026-11-27") == ("green", [])  # 4 days left, 26 days since the update
    assert light_of(run, root, "2026-11-28") == ("yellow", ["3 天后到期（期限 2026-12-01）"])


# ---------------------------------------------------------------------------------------------
# The weekly report


@pytest.fixture
def tracked(run, data):
    run.today = dt.date(2026, 11, 30)
    record(
        run, data, "gzf-2024-57-04", "省住建厅", "in_progress", "已完成摸底", "2026-11-17", "--percent", "20"
    )
    record(
        run, data, "gzf-2024-57-04", "省住建厅", "in_progress", "完成方案", "2026-11-24", "--percent", "40"
    )
    record(run, data, "gzf-2024-57-07", "省住建厅", "blocked", "资金未到位", "2026-11-25")
    record(run, data, "gzf-2024-57-23", "省住建厅", "done", "已完成", "2026-11-26")
    record(run, data, "gzf-2024-57-24", "省住建厅", "in_progress", "下周的记录", "2026-11-30")
    return data


def test_weekly_report_json(run, tracked):
    r = json.loads(run("report", "--as-of", "2026-11-26", "--format", "json", data=tracked).stdout)
    assert (r["week"], r["from"], r["to"]) == ("2026-W48", "2026-11-23", "2026-11-29")
    assert r["totals"]["tasks"] == 164
    # The record dated after the report's day does not count yet.
    assert r["totals"]["status"] == {
        "not_started": 161,
        "in_progress": 1,
        "done": 0,
        "pending": 1,  # done by its lead's word, awaiting the supervisor's
        "blocked": 1,
    }
    assert sum(r["totals"]["lights"].values()) == 164 and r["totals"]["lights"]["closed"] == 0
    assert [(t["id"], t["reasons"]) for t in r["red"]] == [
        ("gzf-2024-57-07", ["受阻（省住建厅）：资金未到位"])
    ]
    # This week's updates: Monday to the report's day; last week's and next week's are not.
    assert [(u["date"], u["task"]) for u in r["updates"]] == [
        ("2026-11-24", "gzf-2024-57-04"),
        ("2026-11-25", "gzf-2024-57-07"),
        ("2026-11-26", "gzf-2024-57-23"),
    ]
    assert {(c["task"], c["from"], c["to"]) for c in r["changes"]} == {
        ("gzf-2024-57-07", "not_started", "blocked"),
        ("gzf-2024-57-23", "not_started", "pending"),
    }
    assert len(r["unowned"]) == 103
    assert {o["unit"] for o in r["overloaded"]} >= {"省发展改革委"}
    lead = next(g for g in r["by_lead"] if g["unit"] == "省住建厅")
    row = next(t for t in lead["tasks"] if t["id"] == "gzf-2024-57-04")
    assert (row["status"], row["percent"], row["last_update"], row["light"]) == (
        "in_progress",
        40,
        "2026-11-24",
        "green",
    )
    assert "gzf-2024-57-04" not in {t["id"] for t in r["stale"]}


def test_report_is_the_same_bytes_every_time(run, tracked, tmp_path):
    for fmt in ("md", "json", "html"):
        first = run("report", "--as-of", "2026-11-26", "--format", fmt, data=tracked).stdout
        second = run("report", "--as-of", "2026-11-26", "--format", fmt, data=tracked).stdout
        assert first == second and len(first) > 1000
    out = tmp_path / "周报.html"
    assert (
        run("report", "--as-of", "2026-11-26", "--format", "html", "--out", out, data=tracked).stdout
        == f"{out}\n"
    )
    assert out.read_text(encoding="utf-8") == second


def test_report_markdown(run, tracked):
    md = run("report", "--as-of", "2026-11-26", data=tracked).stdout
    assert md.startswith("# 任务推进周报（2026-W48）\n")
    assert (
        "## 红灯任务（1）" in md
        and "| gzf-2024-57-07 | 推动环境基础设施提级扩能 | 省住建厅 | 受阻（省住建厅）：资金未到位 |" in md
    )
    assert "## 本周进展（3）" in md and "## 状态变化（2）" in md and "## 未落实责任单位（103）" in md
    assert "### 省住建厅（" in md


def test_fail_on_red_and_bad_dates(run, tracked, data):
    run("report", "--as-of", "2026-11-26", "--fail-on-red", data=tracked, code=1)
    run("report", "--as-of", "2026-11-20", "--fail-on-red", data=tracked, code=0)
    assert "2026-02-30" in run("report", "--as-of", "2026-02-30", data=tracked, code=2).stderr


def test_html_report_is_self_contained(run, tracked):
    html = run("report", "--as-of", "2026-11-26", "--format", "html", data=tracked).stdout
    assert "<style>" in html and html.count("<svg") >= 3
    assert not re.search(r"(src|href)\s*=", html)  # nothing to fetch: offline networks
    assert "@page { size: A4" in html


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CI"):
        pytest.fail("CI must install chromium (.ci/run does)")
    return found


def _headless(browser: str, *args: str) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp()
    try:
        return subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_html_report_in_a_real_browser(run, tracked, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium on this machine")
    out = tmp_path / "weekly.html"
    run("report", "--as-of", "2026-11-26", "--format", "html", "--out", out, data=tracked)
    dom = _headless(browser, "--dump-dom", out.as_uri()).stdout
    for text in (
        "任务推进周报（2026-W48）",
        "红灯任务（1）",
        "推动环境基础设施提级扩能",
        "资金未到位",
        "工作负荷",
    ):
        assert text in dom
    pdf = tmp_path / "weekly.pdf"
    _headless(browser, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", out.as_uri())
    sizes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    assert sizes and all(abs(float(w) - 595.92) < 2 and abs(float(h) - 842.88) < 2 for w, h in sizes)  # A4
