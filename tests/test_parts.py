"""Each owner's part of a task: who may record, what a task's parts make of it, sane records,
corrections and withdrawals, and what `check` says of records written by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityplan_cli import queries
from cityplan_cli.index import Index
from cityplan_cli.load import fields
from cityplan_cli.load.fields import tomllib
from cityplan_cli.load.progress import parse_progress
from cityplan_cli.model import ROLES
from cityplan_cli.tracking import Tracker

TODAY = dt.date(2026, 11, 27)  # a Friday: the week 2026-11-23 to 2026-11-29
# 甘政发〔2024〕57号 (四): 省住建厅 leads; every 市州 government and 兰州新区管委会 implement (a rule).
TASK = "gzf-2024-57-04"


@pytest.fixture
def rec(run, data):
    """Record through the CLI on TODAY; returns the result."""
    run.today = TODAY

    def record(unit: str, *args: str, task: str = TASK, code: int = 0):
        return run("progress", task, "--unit", unit, *args, data=data, code=code)

    return record


def show(run, data, *args: str) -> dict:
    return run.json("show", TASK, *args, data=data)


def week(run, data) -> dict:
    return json.loads(run("report", "--as-of", TODAY.isoformat(), "--format", "json", data=data).stdout)


def row_of(report: dict, task: str = TASK) -> dict:
    return next(t for group in report["by_lead"] for t in group["tasks"] if t["id"] == task)


def hand_written(data: Path, unit: str, body: str, name: str | None = None) -> Path:
    """A progress file written by hand, where the unit's records belong (or at `name`)."""
    path = data / "progress" / (name or f"{unit}.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'unit = "{unit}"\n\n{body}', encoding="utf-8")
    return path


def problems(run, data, code: int = 2) -> list[dict]:
    run.today = run.today or TODAY
    return json.loads(run("check", "--format", "json", data=data, code=code).stdout)


# ---------------------------------------------------------------------------------------------
# A task's state, from its parts


def test_a_local_implementers_done_does_not_close_the_task(run, data, rec):
    rec("金昌市政府", "--status", "done", "--note", "本市已完成", "--date", "2026-11-24")
    task = show(run, data)
    assert task["status"] == "in_progress"
    parts = {p["unit"]: p for p in task["parts"]}
    assert len(parts) == 16  # 省住建厅, 兰州新区管委会 and the 14 市州 governments
    assert (parts["金昌市政府"]["status"], parts["金昌市政府"]["via"]) == ("done", "各市州政府")
    assert parts["省住建厅"]["status"] is None and parts["省住建厅"]["role"] == "lead"
    assert row_of(week(run, data))["light"] != "closed"
    rec("省住建厅", "--status", "done", "--note", "全省已完成")
    # Its lead's word makes it done, awaiting the supervisor's confirmation (待销号).
    assert show(run, data)["status"] == "pending"
    assert row_of(week(run, data))["light"] == "yellow"
    run("confirm", TASK, "--by", "省政府办公厅", data=data)
    assert (show(run, data)["status"], row_of(week(run, data))["light"]) == ("done", "closed")


def test_a_local_implementers_blocked_makes_the_task_red_with_its_name(run, data, rec):
    rec("省住建厅", "--status", "in_progress", "--note", "推进中", "--date", "2026-11-23")
    rec("金昌市政府", "--status", "受阻", "--note", "资金未到位", "--date", "2026-11-25")
    assert show(run, data)["status"] == "blocked"
    report = week(run, data)
    assert [(t["id"], t["reasons"]) for t in report["red"]] == [(TASK, ["受阻（金昌市政府）：资金未到位"])]
    row = row_of(report)
    assert [(p["unit"], p["status"], p["note"]) for p in row["parts"]] == [
        ("省住建厅", "in_progress", "推进中"),
        ("金昌市政府", "blocked", "资金未到位"),
    ]
    assert row["note"] == "资金未到位"
    assert [t["id"] for t in run.json("tasks", "--status", "blocked", data=data)] == [TASK]
    assert [t["id"] for t in run.json("tasks", "--light", "red", data=data)] == [TASK]
    md = run("report", "--as-of", TODAY.isoformat(), data=data).stdout
    assert "受阻（金昌市政府）：资金未到位" in md  # the red list
    assert (
        "省住建厅 推进中 2026-11-23：推进中；金昌市政府 受阻 2026-11-25：资金未到位" in md
    )  # its lead's table
    html = run("report", "--as-of", TODAY.isoformat(), "--format", "html", data=data).stdout
    assert "金昌市政府 受阻 2026-11-25：资金未到位" in html
    # The ledger says the same: one derivation for every command.
    out = data.parent / "台账.xlsx"
    run("export", "--out", out, "--as-of", TODAY.isoformat(), data=data)
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True)["任务总表"]
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    assert any(TASK in r and "受阻（金昌市政府）：资金未到位" in "".join(map(str, r)) for r in rows)


def test_every_owner_closes_it_when_settings_say_all(run, data, rec):
    (data / "cityplan.toml").write_text('[tracking]\ndone_when = "all"\n', encoding="utf-8")
    rec("省住建厅", "--status", "done", "--note", "全省已完成")
    assert show(run, data)["status"] == "in_progress"
    everyone = [p["unit"] for p in show(run, data)["parts"] if p["status"] is None]
    for unit in everyone:
        rec(unit, "--status", "done", "--note", "已完成")
    assert show(run, data)["status"] == "pending"  # done by every owner's word, awaiting the supervisor
    (data / "cityplan.toml").write_text('[tracking]\ndone_when = "some"\n', encoding="utf-8")
    found = problems(run, data)
    assert [(Path(p["file"]).name, p["line"]) for p in found] == [("cityplan.toml", 2)]
    assert "done_when 'some' is not one of lead, all" in found[0]["message"]


def test_duties_show_the_units_own_part(run, data, rec):
    rec("金昌市政府", "--status", "in_progress", "--note", "本市已部署", "--percent", "40")
    rows = {r["id"]: r for r in run.json("duties", "金昌市政府", data=data)}
    assert (
        rows[TASK]["part"],
        rows[TASK]["part_date"],
        rows[TASK]["part_note"],
        rows[TASK]["part_percent"],
    ) == (
        "in_progress",
        TODAY.isoformat(),
        "本市已部署",
        40,
    )
    assert rows["gzf-2024-57-05"]["part"] is None
    # Another city's duties list its own part, which it has not reported.
    assert {r["id"]: r for r in run.json("duties", "白银市政府", data=data)}[TASK]["part"] is None
    table = run("duties", "金昌市政府", "--format", "csv", data=data).stdout
    assert "本单位进展" in table.splitlines()[0] and ",推进中," in table


# ---------------------------------------------------------------------------------------------
# Who may record, and what it may record


def test_refusals_write_nothing(run, data, rec):
    rec("省住建厅", "--status", "in_progress", "--note", "第一次")
    before = sorted((str(p), p.stat().st_size) for p in data.rglob("*"))
    done = ("--status", "done", "--note", "x")
    refused = {
        "'各市州政府' is a collective": ("各市州政府", *done),
        "'省妇联' does not own": ("省妇联", *done),
        "is after today (2026-11-27)": ("省住建厅", *done, "--date", "2026-12-01"),
        "before the document's date (2024-11-17)": ("省住建厅", *done, "--date", "2024-11-16"),
        "--note must say what blocks it": ("省住建厅", "--status", "blocked", "--note", "  "),
        "--note holds U+0007 BELL, a control character": ("省住建厅", "--status", "done", "--note", "a\ab"),
        "--note holds U+202E RIGHT-TO-LEFT OVERRIDE": ("省住建厅", "--status", "done", "--note", "a\u202eb"),
        "--by holds U+000A LINE FEED": ("省住建厅", *done, "--by", "a\nb"),
        "give --status": ("省住建厅", "--note", "x"),
        "a withdrawal has no --status": ("省住建厅", "--withdraw", *done),
        "one record does one of them": ("省住建厅", "--amend", "--withdraw", *done),
        "'金昌市政府' has no record on gzf-2024-57-04 to amend": ("金昌市政府", "--amend", *done),
        "has no record 'nope'": ("省住建厅", "--withdraw", "--record", "nope", "--note", "x"),
        "--record names the record": ("省住建厅", "--record", "x", *done),
        "is not a status": ("省住建厅", "--status", "finished", "--note", "x"),
    }
    for message, args in refused.items():
        result = rec(*args, code=2)
        assert message in result.stderr, (message, result.stderr)
        assert len(result.stderr.strip().splitlines()) <= 2 and "Traceback" not in result.stderr
    assert rec("省住建厅", "--status", "done", "--percent", "101", "--note", "x", code=2).stderr
    assert sorted((str(p), p.stat().st_size) for p in data.rglob("*")) == before


def test_statuses_by_their_chinese_labels(run, data, rec):
    for label, status in (
        ("未启动", "not_started"),
        ("推进中", "in_progress"),
        ("已完成", "done"),
        ("受阻", "blocked"),
    ):
        rec("省住建厅", "--status", label, "--note", "说明")
        assert show(run, data)["progress"][-1]["status"] == status


# ---------------------------------------------------------------------------------------------
# Corrections and withdrawals, and the audit trail


def test_amend_corrects_the_units_last_record(run, data, rec):
    first = rec(
        "省住建厅", "--status", "blocked", "--note", "资金未到位", "--date", "2026-11-20", "--by", "张三"
    )
    first_id = re.search(r"\[(.*)\] → ", first.stdout)[1]
    out = rec("省住建厅", "--amend", "--status", "in_progress", "--note", "资金已到位", "--by", "李四")
    assert f"推进中 (amends {first_id})" in out.stdout
    task = show(run, data)
    assert task["status"] == "in_progress"
    # The correction stands on the amended record's day, and the amended one no longer counts.
    assert [(p["date"], p["status"], p["amends"], p["by"]) for p in task["progress"]] == [
        ("2026-11-20", "in_progress", first_id, "李四")
    ]
    assert week(run, data)["red"] == []
    history = show(run, data, "--history")["history"]
    assert [(h["id"] == first_id, h["amended_by"] is not None, h["by"]) for h in history] == [
        (True, True, "张三"),
        (False, False, "李四"),
    ]
    assert all(h["entered"] for h in history)
    text = run("show", TASK, "--history", "--format", "md", data=data).stdout
    assert "## 全部记录" in text and f"更正 {first_id}" in text and "已被" in text


def test_withdrawn_records_stop_counting(run, data, rec):
    rec("省住建厅", "--status", "in_progress", "--note", "推进中", "--date", "2026-11-23")
    rec("金昌市政府", "--status", "blocked", "--note", "误报受阻", "--date", "2026-11-24")
    assert show(run, data)["status"] == "blocked"
    out = rec("金昌市政府", "--withdraw", "--note", "误报,撤回")
    assert "金昌市政府 withdraws 2026-11-24-" in out.stdout
    task = show(run, data)
    assert task["status"] == "in_progress"
    assert [p["unit"] for p in task["progress"]] == ["省住建厅"]
    assert {p["unit"]: p["status"] for p in task["parts"]}["金昌市政府"] is None
    report = week(run, data)
    assert report["red"] == [] and [u["unit"] for u in report["updates"]] == ["省住建厅"]
    assert row_of(report)["parts"] == [
        {
            "unit": "省住建厅",
            "role": "lead",
            "via": None,
            "status": "in_progress",
            "date": "2026-11-23",
            "percent": None,
            "note": "推进中",
            "record": task["progress"][0]["id"],
        }
    ]
    assert {r["id"]: r for r in run.json("duties", "金昌市政府", data=data)}[TASK]["part"] is None
    assert run.json("tasks", "--status", "blocked", data=data) == []
    history = show(run, data, "--history")["history"]
    withdrawn = next(h for h in history if h["unit"] == "金昌市政府" and h["status"] == "blocked")
    withdrawal = next(h for h in history if h["withdraws"])
    assert withdrawn["withdrawn_by"] == withdrawal["id"] and withdrawal["status"] is None
    assert "撤回" in run("show", TASK, "--history", "--format", "table", data=data).stdout
    # A record no longer counting cannot be withdrawn again, nor amended.
    assert (
        "no longer counts"
        in rec("金昌市政府", "--withdraw", "--record", withdrawn["id"], "--note", "x", code=2).stderr
    )
    run("check", "--strict", data=data)


def test_a_unit_that_still_reports_is_not_taken_off_a_task(run, data, rec):
    rec("金昌市政府", "--status", "in_progress", "--note", "本市已部署", task="gzf-2024-57-05")
    # Naming a city drops the rule that adds every 市州 government, so 金昌市政府 would be no owner.
    before = sorted((str(p), p.read_bytes()) for p in data.rglob("*") if p.is_file())
    result = run("assign", "gzf-2024-57-05", "--local", "白银市政府", data=data, code=2)
    assert "'金昌市政府' has records on gzf-2024-57-05 that still count" in result.stderr
    assert sorted((str(p), p.read_bytes()) for p in data.rglob("*") if p.is_file()) == before
    rec("金昌市政府", "--withdraw", "--note", "改由白银市落实", task="gzf-2024-57-05")
    run("assign", "gzf-2024-57-05", "--local", "白银市政府", data=data)
    # Its records stand; what check now says is only that 金昌's own plan still names the item as one
    # it carries out (its `implements` links), a part 金昌 no longer has.
    linked = [t["id"] for t in run.json("tasks", data=data) if "gzf-2024-57-05" in t["implements"]]
    found = problems(run, data, code=0)
    assert {p["severity"] for p in found} == {"warning"}
    assert [p["message"].split(",")[0] for p in found] == [
        f"'{task}' implements 'gzf-2024-57-05'" for task in linked
    ]
    assert all("金昌市政府 (issuer of jc-cxrh-2023) owns no part" in p["message"] for p in found)


def test_who_enters_a_record_defaults_to_the_git_user(run, data, rec, tmp_path, monkeypatch):
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = 王五\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    rec("省住建厅", "--status", "in_progress", "--note", "x")
    assert show(run, data)["progress"][-1]["by"] == "王五"
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    monkeypatch.setenv("USER", "zhaoliu")
    rec("省住建厅", "--status", "in_progress", "--note", "y")
    assert show(run, data)["progress"][-1]["by"] == "zhaoliu"


# ---------------------------------------------------------------------------------------------
# Records written by hand: `check` applies the same rules


def test_a_non_owners_record_fails_check(run, data):
    path = hand_written(
        data,
        "省妇联",
        f'[[records]]\ntask = "{TASK}"\ndate = 2026-11-20\nstatus = "done"\nnote = "完成"\n',
    )
    found = problems(run, data)
    assert [(p["file"], p["line"], p["severity"]) for p in found] == [(str(path), 4, "error")]
    assert f"'省妇联' does not own {TASK}" in found[0]["message"]
    assert "does not own" in run("show", TASK, data=data, code=2).stderr  # every command refuses it


def test_a_collectives_record_fails_check(run, data):
    hand_written(data, "各市州政府", f'[[records]]\ntask = "{TASK}"\ndate = 2026-11-20\nstatus = "done"\n')
    found = problems(run, data)
    assert [(p["line"], p["message"]) for p in found] == [
        (1, "'各市州政府' is a collective: each of its members records its own part")
    ]


def test_insane_records_written_by_hand_fail_check(run, data):
    body = "".join(
        f'[[records]]\ntask = "{TASK}"\n{fields}\n\n'
        for fields in (
            'date = 2026-12-25\nstatus = "in_progress"',  # after today
            'date = 2024-01-02\nstatus = "in_progress"',  # before the document
            'date = 2026-11-20\nstatus = "in_progress"\npercent = -1',
            'date = 2026-11-20\nstatus = "blocked"\nnote = ""',
            'date = 2026-11-20\nstatus = "in_progress"\nnote = "a\\u0000b"',
            'date = 2026-11-20\nwithdraws = "2026-11-20#1"\nstatus = "done"',
            'date = 2026-11-21\namends = "2026-11-19#1"\nstatus = "done"',
        )
    )
    path = hand_written(data, "省住建厅", body)
    run.today = TODAY
    found = [(p["line"], p["message"]) for p in problems(run, data)]
    lines = path.read_text(encoding="utf-8").splitlines()

    def at(line: int) -> str:
        return lines[line - 1]

    assert [(at(line).split(" =")[0], message) for line, message in found] == [
        ("date", "date 2026-12-25 is after today (2026-11-27)"),
        ("date", "date 2024-01-02 is before the document's date (2024-11-17)"),
        ("percent", "'percent' must be 0 to 100, not -1"),
        ("note", "a blocked part needs a note saying what blocks it"),
        (
            "note",
            "'note' \"a\\u0000b\" holds U+0000 NULL, a control character: "
            "remove it (a text may hold tabs and line breaks, nothing else of the kind)",
        ),
        ("withdraws", "a record that withdraws another has no status, percent or amends"),
        ("amends", "amends '2026-11-19#1': '省住建厅' has no record with that id"),
    ]


def test_record_ids_and_what_they_name(run, data):
    body = (
        f'[[records]]\ntask = "{TASK}"\ndate = 2026-11-20\nstatus = "in_progress"\nnote = "a"\n\n'
        f'[[records]]\ntask = "{TASK}"\ndate = 2026-11-20\nstatus = "blocked"\nnote = "b"\n\n'
        f'[[records]]\nid = "x1"\ntask = "{TASK}"\ndate = 2026-11-21\nstatus = "in_progress"\nnote = "c"\n\n'
        f'[[records]]\nid = "x1"\ntask = "{TASK}"\ndate = 2026-11-21\nstatus = "in_progress"\nnote = "d"\n\n'
        f'[[records]]\ntask = "gzf-2024-57-07"\ndate = 2026-11-22\nwithdraws = "2026-11-20#2"\nnote = "e"\n'
    )
    hand_written(data, "省住建厅", body)
    run.today = TODAY
    found = [p["message"] for p in problems(run, data)]
    assert found[0].startswith("duplicate record id 'x1' of '省住建厅' (first at ")
    assert found[1] == f"withdraws '2026-11-20#2': that record of '省住建厅' is on {TASK}, not gzf-2024-57-07"
    assert len(found) == 2
    # Without ids of their own, records are named by their day and place: DATE#N.
    body = body.replace('id = "x1"\n', "", 1).replace("gzf-2024-57-07", TASK)
    hand_written(data, "省住建厅", body)
    assert [(p["id"], p["status"]) for p in show(run, data)["progress"]] == [
        ("2026-11-20#1", "in_progress"),
        ("2026-11-21#1", "in_progress"),
        ("x1", "in_progress"),
    ]


def test_records_out_of_their_units_folder_are_a_warning(run, data):
    hand_written(
        data,
        "省住建厅",
        f'[[records]]\ntask = "{TASK}"\ndate = 2026-11-20\nstatus = "done"\n',
        name="x/r.toml",
    )
    found = problems(run, data, code=0)
    assert [(p["severity"], p["message"]) for p in found] == [
        (
            "warning",
            "the records of '省住建厅' belong in progress/省住建厅/, where CODEOWNERS gives them to its team",
        )
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_any_note_is_kept_as_written_or_refused_by_name(tmp_path, note):
    """Whatever a note holds, a record written by hand either reads back with that very note or is
    refused at its line, naming the character."""
    path = tmp_path / "r.toml"
    quoted = json.dumps(note)  # a TOML basic string is a JSON string, \\u escapes included
    path.write_text(
        f'unit = "省住建厅"\n[[records]]\ntask = "t"\ndate = 2026-11-20\nstatus = "done"\nnote = {quoted}\n',
        encoding="utf-8",
    )
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        return  # not TOML (a lone surrogate): the file reader reports the syntax
    parsed = parse_progress(path)
    rows = parsed.rows["progress"]
    if parsed.problems:
        ((line, severity, message),) = parsed.problems
        assert (line, severity) == (6, "error") and re.fullmatch(
            r"'note' \".*\" holds U\+[0-9A-F]{4,6}.*", message
        )
        kept = "".join(c for c in note if c not in fields.refused("note", note))
        assert [r[4] for r in rows] == [kept]  # reported, and kept without what it must not hold
    else:
        assert [r[4] for r in rows] == [note]


@settings(max_examples=40, deadline=None)
@given(name=st.text(alphabet=string.ascii_letters + "·王李张", min_size=1, max_size=12))
def test_record_ids_of_hand_written_files_are_stable(name):
    """The id of a record without one is its day and its place among that day's records, whatever
    else the file holds."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.toml"
        days = ["2026-11-20", "2026-11-21", "2026-11-20"]
        body = "".join(
            f'[[records]]\ntask = "t"\ndate = {d}\nstatus = "done"\nnote = "{name}"\nby = "{name}"\n\n'
            for d in days
        )
        path.write_text(f'unit = "{name}"\n\n{body}', encoding="utf-8")
        rows = parse_progress(path).rows["progress"]
        assert [r[6] for r in rows] == ["2026-11-20#1", "2026-11-21#1", "2026-11-20#2"]


@settings(max_examples=40, deadline=None)
@given(
    notes=st.lists(
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs")), max_size=40),
        min_size=1,
        max_size=4,
    )
)
def test_what_progress_writes_reads_back_as_written(notes):
    """Records added to a clone's file, whatever their words, read back exactly, in order, each with
    an id of its own."""
    import tempfile

    from cityplan_cli.model import Progress
    from cityplan_cli.store import add_record

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        entered = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        for note in notes:
            record = Progress("t-1", "省住建厅", TODAY, "in_progress", note, 5, by=note[:8], entered=entered)
            path, ident = add_record(root, record)
        assert list((root / "progress" / "省住建厅").glob("*.toml")) == [path]  # one file per clone
        parsed = parse_progress(path)
        assert parsed.problems == []
        rows = parsed.rows["progress"]
        assert [(r[1], r[2], r[3], r[4], r[5], r[7], r[8]) for r in rows] == [
            ("t-1", TODAY.isoformat(), "in_progress", n, 5, n[:8], entered.isoformat()) for n in notes
        ]
        assert len({r[6] for r in rows}) == len(notes) and rows[-1][6] == ident


@pytest.mark.parametrize(("word", "days_before"), [("today", 0), ("yesterday", 1), ("昨天", 1)])
def test_today_and_yesterday_are_the_runs_days(run, data, rec, word, days_before):
    """A date given as a word is counted from the run's today, the day `progress` refuses to record
    beyond, whatever the clock says."""
    rec("省住建厅", "--status", "in_progress", "--note", "已部署", "--date", word)
    (record,) = [r for r in show(run, data)["progress"] if r["unit"] == "省住建厅"]
    assert record["date"] == (TODAY - dt.timedelta(days=days_before)).isoformat()


# ---------------------------------------------------------------------------------------------
# Who has a part: the task's parts (tracking) and the units' duties (the index) rank alike

PLAIN = ["甲局", "乙局", "丙局", "丁局", "戊局"]
GROUPS = ["一组", "二组", "三组"]  # each may hold plain units and the groups before it


def names(pool: list[str], most: int, least: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(pool), min_size=least, max_size=most, unique=True)


def listed(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


@settings(max_examples=80, deadline=None)
@given(
    members=st.tuples(*(names(PLAIN + GROUPS[:i], 4, least=1) for i in range(len(GROUPS)))),
    tasks=st.lists(st.tuples(*(names(PLAIN + GROUPS, 3) for _ in ROLES)), min_size=1, max_size=6),
    rule=names(PLAIN + GROUPS, 2),
)
def test_a_tasks_parts_are_its_units_duties(members, tasks, rule):
    """Every unit's duty in a task, as the duties table ranks them (index.THROUGH, in SQL), is its
    part in the task as tracking places it (Tracker.place, in Python): same role, same collective
    it comes through (nearest first, then the role, then the one named first), whatever the
    registry's nesting and the task's roles, rule-added implementers included."""
    root = Path(tempfile.mkdtemp())
    try:
        units = "".join(f'[[units]]\nname = "{u}"\nfull_name = "测试{u}"\nkind = "厅局"\n\n' for u in PLAIN)
        for group, of in zip(GROUPS, members, strict=True):
            units += (
                f'[[collectives]]\nname = "{group}"\nfull_name = "测试{group}"\nmembers = {listed(of)}\n\n'
            )
        (root / "units.toml").write_text(units, encoding="utf-8")
        doc = '[document]\nid = "d"\ntitle = "测试"\nissuer = "甘肃省人民政府"\n'
        if rule:
            doc += f'\n[[document.rules]]\ntext = "均需落实"\nlocal = {listed(rule)}\n'
        for seq, roles in enumerate(tasks, 1):
            doc += f'\n[[tasks]]\nid = "d-{seq}"\nseq = {seq}\ntitle = "任务{seq}"\n'
            doc += "".join(f"{role} = {listed(v)}\n" for role, v in zip(ROLES, roles, strict=True))
        (root / "d.toml").write_text(doc, encoding="utf-8")
        ix = Index.in_memory(root)
        errors = [str(p) for p in ix.problems() if p.severity == "error"]
        tracker = Tracker.of_index(ix)
        parts = {(p.unit, t.id, p.role, p.via) for t in ix.tasks() for p in tracker.parties(t)}
        duties = {
            (unit, d.task_id, d.role, d.via)
            for unit, found in queries.all_duties(ix).items()
            if unit not in GROUPS
            for d in found
        }
    finally:
        shutil.rmtree(root)
    assert errors == []
    assert parts == duties
