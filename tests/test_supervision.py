"""The supervision cycle on the bundled data: who supervises a document, 办结审核 (a done task awaits
its supervisor's verdict: confirm closes it, reject sends it back), and receipts (签收)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityplan_cli.load.fields import tomllib

TODAY = dt.date(2026, 11, 27)
TASK = "gzf-2024-57-04"  # 省住建厅 leads; the 市州 governments and 兰州新区管委会 implement


@pytest.fixture
def at(run, data):
    """The CLI on TODAY against a private copy of the bundled data."""
    run.today = TODAY

    def call(*args: str, code: int = 0):
        return run(*args, data=data, code=code)

    return call


def record(at, task: str, unit: str, status: str, note: str, date: str = "", *more: str, code: int = 0):
    """One progress record through the CLI (dated today when `date` is empty), with `more` options."""
    dated = ("--date", date) if date else ()
    return at("progress", task, "--unit", unit, "--status", status, "--note", note, *dated, *more, code=code)


def show(run, data, task: str = TASK) -> dict:
    return run.json("show", task, data=data)


def problems(run, data) -> list[dict]:
    return json.loads(run("check", "--format", "json", data=data, code=None).stdout)


def hand_written(data: Path, unit: str, body: str) -> Path:
    path = data / "progress" / unit / "hand.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'unit = "{unit}"\n\n{body}', encoding="utf-8")
    return path


# --- the supervisor ---------------------------------------------------------------------------------


def test_a_documents_supervisor_defaults_to_its_issuers_general_office(run, data):
    assert show(run, data)["supervisor"] == "省政府办公厅"  # 甘肃省人民政府 → its 办公厅
    assert show(run, data, "jc-xxgk-2023-01")["supervisor"] == "金昌市政府办公室"
    # A document the general office issues itself is supervised by it.
    assert show(run, data, "jzbf-2023-66-01")["supervisor"] == "金昌市政府办公室"


def test_the_document_and_the_settings_name_the_supervisor(run, data, edit):
    (data / "cityplan.toml").write_text('[supervision]\nsupervisor = "省发展改革委"\n', encoding="utf-8")
    assert show(run, data)["supervisor"] == "省发展改革委"
    edit(
        data / "gzf-2024-57.toml",
        'issuer = "甘肃省人民政府"\n',
        'issuer = "甘肃省人民政府"\nsupervisor = "甘肃省人民政府办公厅"\n',
    )
    assert show(run, data)["supervisor"] == "省政府办公厅"  # by its full name, shown by its short one
    assert show(run, data, "jc-xxgk-2023-01")["supervisor"] == "省发展改革委"


def test_check_refuses_a_supervisor_it_does_not_know(run, data, edit):
    edit(
        data / "gzf-2024-57.toml",
        'issuer = "甘肃省人民政府"\n',
        'issuer = "甘肃省人民政府"\nsupervisor = "省督查室"\n',
    )
    (data / "cityplan.toml").write_text(
        '# 督查\n[supervision]\nsupervisor = "各市州政府"\n', encoding="utf-8"
    )
    found = [(Path(p["file"]).name, p["line"], p["message"]) for p in problems(run, data)]
    assert found[0][:2] == ("cityplan.toml", 3) and "'各市州政府' is a collective" in found[0][2]
    assert found[1][:2] == ("gzf-2024-57.toml", 12) and "unknown unit '省督查室'" in found[1][2]
    assert len(found) == 2


# --- 办结审核 ----------------------------------------------------------------------------------------


def test_done_awaits_the_supervisor_who_closes_it_or_sends_it_back(run, data, at):
    at("progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "已完成", "--date", "2026-03-02")
    task = show(run, data)
    assert (task["status"], task["supervisor"]) == ("pending", "省政府办公厅")
    # Only the supervisor gives a verdict, and a rejection says why.
    result = at("confirm", TASK, "--by", "省住建厅", code=2)
    assert "only 省政府办公厅, the supervisor of 甘政发〔2024〕57号, confirms" in result.stderr
    assert "--reject needs --note" in at("confirm", TASK, "--by", "省政府办公厅", "--reject", code=2).stderr
    at("confirm", TASK, "--by", "省政府办公厅", "--reject", "--note", "缺少验收材料", "--date", "2026-03-05")
    task = show(run, data)
    assert task["status"] == "in_progress" and [r["kind"] for r in task["review"]] == ["reject"]
    # Sent back, it awaits its leads' done again: a second verdict is refused until then.
    assert "not 待销号" in at("confirm", TASK, "--by", "省政府办公厅", code=2).stderr
    at("progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "已补齐", "--date", "2026-03-09")
    assert show(run, data)["status"] == "pending"
    at("confirm", TASK, "--by", "甘肃省人民政府办公厅", "--date", "2026-03-10")
    assert show(run, data)["status"] == "done"
    assert run.json("tasks", "--status", "待销号", data=data) == []
    written = (data / "progress" / "省政府办公厅").glob("*.toml")
    (path,) = list(written)
    kinds = [r.get("kind") for r in tomllib.loads(path.read_text("utf-8"))["records"]]
    assert kinds == ["reject", "confirm"]


def test_a_report_shows_a_pending_task_yellow_and_counts_it(run, data, at):
    at("progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "已完成", "--date", "2026-11-20")
    report = json.loads(at("report", "--as-of", "2026-11-27", "--format", "json").stdout)
    row = next(t for g in report["by_lead"] for t in g["tasks"] if t["id"] == TASK)
    assert (row["status"], row["light"]) == ("pending", "yellow")
    assert row["reasons"] == ["待销号：2026-11-20 报完成，待省政府办公厅审核"]
    assert report["totals"]["status"]["pending"] == 1
    assert "待销号" in at("report", "--as-of", "2026-11-27", "--format", "md").stdout


def test_a_document_without_a_supervisor_closes_on_its_leads_word(run, data, edit, at):
    # 省住建厅 has no general office in the registry: a document it issues has no supervisor.
    edit(data / "gzf-2024-57.toml", 'issuer = "甘肃省人民政府"', 'issuer = "省住建厅"')
    at("progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "已完成", "--date", "2026-03-02")
    assert (show(run, data)["status"], show(run, data)["supervisor"]) == ("done", None)
    assert "has no supervisor" in at("confirm", TASK, "--by", "省政府办公厅", code=2).stderr


def test_check_refuses_a_verdict_by_any_unit_but_the_supervisor(run, data, at):
    at("progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "已完成", "--date", "2026-03-02")
    body = f'[[records]]\ntask = "{TASK}"\ndate = 2026-03-04\nkind = "confirm"\n'
    hand_written(data, "省住建厅", body)
    found = problems(run, data)
    assert [(Path(p["file"]).name, p["line"]) for p in found] == [("hand.toml", 6)]
    assert "only gzf-2024-57's supervisor (省政府办公厅) confirms or rejects" in found[0]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('kind = "close"\n', "kind 'close' is not one of ack, confirm, reject"),
        ('kind = "reject"\n', "a rejection needs a note"),
        ('kind = "confirm"\nstatus = "done"\n', "has no status, percent, amends or withdraws"),
    ],
)
def test_check_refuses_malformed_verdicts(run, data, body, message):
    hand_written(data, "省政府办公厅", f'[[records]]\ntask = "{TASK}"\ndate = 2026-03-04\n{body}')
    found = problems(run, data)
    assert len(found) == 1 and message in found[0]["message"], found
    assert Path(found[0]["file"]).name == "hand.toml"


# --- 签收 -------------------------------------------------------------------------------------------


def test_an_owner_acknowledges_once_and_only_owners_do(run, data, at):
    first = at("ack", TASK, "--unit", "甘肃省住房和城乡建设厅", "--date", "2024-11-25").stdout
    assert "省住建厅 2024-11-25 签收" in first
    again = at("ack", TASK, "--unit", "省住建厅", "--date", "2024-11-28").stdout
    assert "已于 2024-11-25 签收" in again
    assert [r["date"] for r in show(run, data)["review"]] == ["2024-11-25"]
    assert "does not own" in at("ack", TASK, "--unit", "省财政厅", code=2).stderr
    assert "is a collective" in at("ack", TASK, "--unit", "各市州政府", code=2).stderr
    assert (
        "before the document's date"
        in at("ack", TASK, "--unit", "金昌市政府", "--date", "2024-11-01", code=2).stderr
    )
    at("ack", TASK, "--unit", "金昌市政府", "--date", "2024-11-20")  # a member of a collective owner
    body = f'[[records]]\ntask = "{TASK}"\ndate = 2024-11-26\nkind = "ack"\n'
    hand_written(data, "省财政厅", body)
    found = problems(run, data)
    assert [(Path(p["file"]).name, p["line"]) for p in found] == [("hand.toml", 4)]
    assert "'省财政厅' does not own" in found[0]["message"]


def unacknowledged(run, data, day: str) -> dict[str, list[dict]]:
    report = json.loads(run("report", "--as-of", day, "--format", "json", data=data).stdout)
    return {t["id"]: t["unacknowledged"] for t in report["unacknowledged"]}


def test_an_owner_that_has_not_acknowledged_in_time_turns_the_task_yellow(run, data, at):
    # Assigned on Wednesday 2026-02-11: five working days are 2/12, 2/13, Saturday 2/14 (worked
    # instead of a Spring Festival holiday), then, after the holiday of 2/15 to 2/23, 2/24 and 2/25.
    run.today = dt.date(2026, 2, 11)
    at("assign", TASK, "--lead", "省住建厅")
    run.today = TODAY
    assert TASK not in unacknowledged(run, data, "2026-02-25")  # the last day to acknowledge
    late = unacknowledged(run, data, "2026-02-26")
    assert late[TASK] == [{"unit": "省住建厅", "deadline": "2026-02-25"}]
    report = json.loads(at("report", "--as-of", "2026-02-26", "--format", "json").stdout)
    row = next(t for g in report["by_lead"] for t in g["tasks"] if t["id"] == TASK)
    assert row["light"] == "yellow" and "未签收：省住建厅（签收期限 2026-02-25）" in row["reasons"]
    assert "逾期未签收" in at("report", "--as-of", "2026-02-26", "--format", "md").stdout
    # The local implementers' receipts do not decide: only its lead's is awaited.
    at("ack", TASK, "--unit", "省住建厅", "--date", "2026-02-27")
    assert TASK not in unacknowledged(run, data, "2026-02-27")
    assert TASK in unacknowledged(run, data, "2026-02-26")  # not yet, that day


def test_a_record_is_a_receipt_and_ack_days_is_a_setting(run, data, at):
    # 甘政发〔2024〕57号 is dated Sunday 2024-11-17: five working days end on Friday 11-22.
    assert unacknowledged(run, data, "2024-11-23")[TASK] == [{"unit": "省住建厅", "deadline": "2024-11-22"}]
    record(at, TASK, "省住建厅", "in_progress", "已部署", "2024-11-23")
    assert TASK not in unacknowledged(run, data, "2024-11-23")
    (data / "cityplan.toml").write_text("[supervision]\nack_days = 10\n", encoding="utf-8")
    assert "gzf-2024-57-05" not in unacknowledged(run, data, "2024-11-29")
    assert "gzf-2024-57-05" in unacknowledged(run, data, "2024-11-30")  # 10 working days end on 11-29
    (data / "cityplan.toml").write_text("[supervision]\nack_days = -1\n", encoding="utf-8")
    found = problems(run, data)
    assert [(Path(p["file"]).name, p["line"]) for p in found] == [("cityplan.toml", 2)]
    assert "'ack_days' must be 0 to 366, not -1" in found[0]["message"]


# --- milestones -------------------------------------------------------------------------------------

MILESTONES = """
[[tasks.milestones]]
date = 2026-01-30
text = "完成摸底调查"

[[tasks.milestones]]
date = 2026-06-30
text = "出台实施方案"
"""


def with_milestones(data: Path, edit) -> None:
    """Item (四) of 57号 with a due date and two milestones, written as `import` writes them."""
    edit(
        data / "gzf-2024-57.toml",
        'title = "健全农业转移人口住房保障体系"\n',
        'title = "健全农业转移人口住房保障体系"\ndue = 2026-12-31\n',
    )
    anchor = '[[tasks]]\nid = "gzf-2024-57-05"'
    edit(data / "gzf-2024-57.toml", anchor, MILESTONES.lstrip() + "\n" + anchor)


def light(run, data, day: str) -> tuple[str, list[str], dict | None]:
    report = json.loads(run("report", "--as-of", day, "--format", "json", data=data).stdout)
    row = next(t for g in report["by_lead"] for t in g["tasks"] if t["id"] == TASK)
    return row["light"], row["reasons"], row["milestone"]


def test_lights_follow_the_next_open_milestone(run, data, edit, at):
    with_milestones(data, edit)
    record(at, TASK, "省住建厅", "in_progress", "摸底中", "2026-01-20")
    assert light(run, data, "2026-01-20") == (
        "yellow",
        ["节点10 天后到期（节点 2026-01-30：完成摸底调查）"],
        {"date": "2026-01-30", "text": "完成摸底调查"},
    )
    colour, reasons, _ = light(run, data, "2026-02-02")
    assert (colour, reasons[0]) == ("red", "节点逾期 3 天（节点 2026-01-30：完成摸底调查）")
    # Reached, reported late: the next milestone is the one the lights follow.
    record(at, TASK, "省住建厅", "in_progress", "已完成摸底", "2026-02-03", "--milestone", "2026-01-30")
    assert light(run, data, "2026-02-03") == ("green", [], {"date": "2026-06-30", "text": "出台实施方案"})
    # A local implementer's word does not reach a milestone for the task: its lead's does.
    record(at, TASK, "金昌市政府", "done", "本市已出台", "2026-02-04", "--milestone", "2026-06-30")
    assert light(run, data, "2026-02-04")[2] == {"date": "2026-06-30", "text": "出台实施方案"}
    assert (
        "has no milestone that day"
        in record(at, TASK, "省住建厅", "in_progress", "x", "", "--milestone", "2026-02-01", code=2).stderr
    )
    path = hand_written(
        data,
        "省住建厅",
        f'[[records]]\ntask = "{TASK}"\ndate = 2026-02-04\nstatus = "in_progress"\nmilestone = 2026-02-01\n',
    )
    found = problems(run, data)
    assert [(Path(p["file"]), p["line"]) for p in found] == [(path, 7)]
    assert "has no milestone on that day" in found[0]["message"]


# --- evidence ---------------------------------------------------------------------------------------


def test_evidence_is_kept_by_its_hash_listed_and_verified(run, data, at, tmp_path):
    report_pdf = tmp_path / "验收报告.pdf"
    report_pdf.write_bytes(b"%PDF-1.4 acceptance report")
    photo = tmp_path / "现场.JPG"
    photo_bytes = b"\xff\xd8 site photo"
    photo.write_bytes(photo_bytes)
    record(
        at,
        TASK,
        "省住建厅",
        "in_progress",
        "已验收",
        "2026-03-02",
        "--attach",
        str(report_pdf),
        "--attach",
        str(photo),
        "--attach",
        str(report_pdf),
    )
    sha = hashlib.sha256(b"%PDF-1.4 acceptance report").hexdigest()
    kept = data / "evidence" / "省住建厅" / f"{sha}.pdf"
    assert kept.read_bytes() == b"%PDF-1.4 acceptance report"
    (kept_record,) = show(run, data)["progress"]
    assert [(e["file"], e["name"]) for e in kept_record["evidence"]] == [
        (f"evidence/省住建厅/{sha}.pdf", "验收报告.pdf"),
        (f"evidence/省住建厅/{hashlib.sha256(photo_bytes).hexdigest()}.jpg", "现场.JPG"),
    ]
    assert "验收报告.pdf、现场.JPG" in at("show", TASK).stdout
    assert "验收报告.pdf、现场.JPG" in at("report", "--as-of", "2026-03-02", "--format", "md").stdout
    assert problems(run, data) == []
    # A file changed after it was attached, or gone, is an error at its record's line.
    record_file = next((data / "progress" / "省住建厅").glob("*.toml"))
    line = (
        record_file.read_text("utf-8")
        .splitlines()
        .index(next(x for x in record_file.read_text("utf-8").splitlines() if x.startswith("evidence")))
        + 1
    )
    kept.write_bytes(b"tampered")
    found = problems(run, data)
    assert [(Path(p["file"]), p["line"]) for p in found] == [(record_file, line)]
    assert "does not match its sha256" in found[0]["message"]
    # Attaching again never overwrites a kept file whose content differs from its name.
    result = record(
        at, TASK, "省住建厅", "in_progress", "再附", "2026-03-03", "--attach", str(report_pdf), code=2
    )
    assert "exists with other content" in result.stderr and kept.read_bytes() == b"tampered"
    kept.unlink()
    found = problems(run, data)
    assert [(Path(p["file"]), p["line"]) for p in found] == [(record_file, line)] and "is missing" in found[
        0
    ]["message"]
    missing = record(
        at, TASK, "省住建厅", "in_progress", "x", "", "--attach", str(tmp_path / "none.pdf"), code=2
    )
    assert "not a file" in missing.stderr


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ('"x.pdf"', "'evidence' must be a list of tables"),
        ('[{file = "../x.pdf", sha256 = "' + "a" * 64 + '"}]', "is not a file under evidence/"),
        ('[{file = "evidence/省住建厅/a.pdf", sha256 = "ABC"}]', "is not 64 lower-case hex digits"),
        ('[{file = "evidence/省住建厅/a.pdf"}]', "'file' and 'sha256' are required strings"),
        ('[{file = "evidence/a/b.pdf", sha256 = "' + "a" * 64 + '", size = 3}]', "unknown key 'size'"),
    ],
)
def test_check_refuses_evidence_written_wrong(run, data, evidence, message):
    body = f'[[records]]\ntask = "{TASK}"\ndate = 2026-03-04\nstatus = "in_progress"\nevidence = {evidence}\n'
    path = hand_written(data, "省住建厅", body)
    found = problems(run, data)
    assert [(Path(p["file"]), p["line"]) for p in found] == [(path, 7)]
    assert message in found[0]["message"]


# --- 催办 -------------------------------------------------------------------------------------------


def remind_rows(run, data, tmp_path: Path, day: str) -> list[str]:
    out = tmp_path / day
    run("remind", "--as-of", day, "--unit", "省住建厅", "--out", str(out), data=data)
    summary = (out / "催办汇总.md").read_text("utf-8")
    return [line for line in summary.splitlines() if line.startswith(f"| 省住建厅 | {TASK} ")]


def test_a_unit_is_reminded_of_what_it_has_not_acknowledged_then_of_what_it_has_not_updated(
    run, data, at, tmp_path
):
    # 57号 is dated 2024-11-17: 签收 was due on 11-22.
    (row,) = remind_rows(run, data, tmp_path, "2024-11-25")
    assert "| 逾期未签收 | 签收期限 2024-11-22 | 尚无进展记录 | 省政府办公厅 |" in row
    record(at, TASK, "省住建厅", "in_progress", "已部署", "2024-11-25")
    assert remind_rows(run, data, tmp_path, "2024-12-09") == []  # updated 14 days ago: in time
    (row,) = remind_rows(run, data, tmp_path, "2024-12-10")
    assert "| 未按时反馈 | 未定期限 | 2024-11-25 推进中：已部署 | 省政府办公厅 |" in row
    assert (
        "is a collective" in at("remind", "--unit", "各市州政府", "--out", str(tmp_path / "x"), code=2).stderr
    )
    # Its part done, it is reminded of nothing more on the task.
    at("progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "已完成", "--date", "2024-12-10")
    assert remind_rows(run, data, tmp_path, "2024-12-11") == []


@given(st.dates(dt.date(2004, 1, 1), dt.date(2028, 12, 31)), st.integers(-30, 800))
def test_working_days_between_two_days_are_the_calendars(start, span):
    """As the official calendar (chinese_calendar) says of each day after `start` up to `end`, and
    Monday to Friday for a year it does not know yet."""
    import chinese_calendar

    from cityplan_cli.workdays import working_days_between

    def working(day: dt.date) -> bool:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    end = start + dt.timedelta(days=span)
    expected = sum(working(start + dt.timedelta(days=n)) for n in range(1, span + 1))
    assert working_days_between(start, end) == expected
