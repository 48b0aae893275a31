"""The whole supervision cycle (督查督办) on 甘政发〔2024〕57号, with dates that cross the Spring Festival
of 2026 (the holiday runs from Sunday 2/15 to Monday 2/23; Saturday 2/14 and Saturday 2/28 are
worked instead): assign, acknowledge late, miss a milestone (red), remind (the notice names it, with
the supervisor's contacts), report done (待销号), be sent back, report done again, be confirmed
(closed, late as the dates say), and the scores, worked out here by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cityplan_cli.load.fields import tomllib

TASK = "gzf-2024-57-04"  # 健全农业转移人口住房保障体系: 省住建厅 leads
OTHER = "gzf-2024-57-23"  # 省住建厅 leads it too
THIRD = "gzf-2024-57-07"  # and this one


def test_the_supervision_cycle_across_the_spring_festival(run, data, edit, tmp_path):
    # The supervisor's contacts, and the task's due date and milestone, as a registry and `import` write them.
    edit(
        data / "units.toml",
        'nameplates = ["省数据局"]\nparent = "省政府"\n',
        'nameplates = ["省数据局"]\nparent = "省政府"\n\n[units.contact]\nphone = "0931-8928888"\n'
        'address = "兰州市城关区中央广场1号"\n',
    )
    title = 'title = "健全农业转移人口住房保障体系"\n'
    edit(data / "gzf-2024-57.toml", title, title + "due = 2026-03-31\n")
    anchor = '[[tasks]]\nid = "gzf-2024-57-05"'
    milestone = '[[tasks.milestones]]\ndate = 2026-02-13\ntext = "完成摸底调查"\n\n'
    edit(data / "gzf-2024-57.toml", anchor, milestone + anchor)

    def on(day: str, *args: str, code: int = 0):
        run.today = dt.date.fromisoformat(day)
        return run(*args, data=data, code=code)

    def report(day: str) -> dict:
        return json.loads(on(day, "report", "--as-of", day, "--format", "json").stdout)

    def row(r: dict, task: str = TASK) -> dict:
        return next(t for g in r["by_lead"] for t in g["tasks"] if t["id"] == task)

    # 交办 on Wednesday 2/11: 签收 is due within five working days, 2/12, 2/13, 2/14, then 2/24, 2/25.
    on("2026-02-11", "assign", TASK, "--lead", "省住建厅")
    r = report("2026-02-25")
    assert TASK not in {t["id"] for t in r["unacknowledged"]}
    # 2/26: not acknowledged, and the milestone of 2/13 missed: red, with both said.
    r = report("2026-02-26")
    assert row(r)["light"] == "red"
    assert row(r)["reasons"] == ["节点逾期 13 天（节点 2026-02-13：完成摸底调查）"]
    assert {t["id"]: t["unacknowledged"] for t in r["unacknowledged"]}[TASK] == [
        {"unit": "省住建厅", "deadline": "2026-02-25"}
    ]

    # 催办: the notice to 省住建厅 names the missed milestone and the supervisor's contacts.
    out = tmp_path / "催办"
    remind = ("remind", "--as-of", "2026-02-26", "--unit", "省住建厅", "--out")
    written = on("2026-02-26", *remind, str(out)).stdout
    assert written.splitlines() == [str(out / "催办通知-省住建厅.md"), str(out / "催办汇总.md")]
    notice = (out / "催办通知-省住建厅.md").read_text("utf-8")
    overdue = notice.split("## 一、逾期未完成（1 项）")[1].split("## 二、")[0]
    assert "健全农业转移人口住房保障体系" in overdue and "节点 2026-02-13：完成摸底调查" in overdue
    assert "督办单位：省政府办公厅" in overdue and "最近记录：尚无进展记录" in overdue
    assert "省政府办公厅（甘肃省人民政府办公厅）：地址：兰州市城关区中央广场1号；电话：0931-8928888" in notice
    assert notice.rstrip().endswith("甘肃省人民政府办公厅\n\n2026年2月26日")
    summary = (out / "催办汇总.md").read_text("utf-8")
    line = (
        f"| 省住建厅 | {TASK} | 健全农业转移人口住房保障体系 | 逾期未完成 | 节点 2026-02-13：完成摸底调查 |"
    )
    assert line in summary
    again = tmp_path / "again"
    on("2026-11-28", *remind, str(again), "--format", "docx")  # made on another day: the same bytes
    on("2026-03-01", *remind, str(out), "--format", "docx")
    assert (again / "催办通知-省住建厅.docx").read_bytes() == (out / "催办通知-省住建厅.docx").read_bytes()

    # 签收 late, on 2/27; the milestone reached on 3/2: no longer red.
    on("2026-02-27", "ack", TASK, "--unit", "省住建厅")
    reached = ("--status", "in_progress", "--note", "已完成摸底", "--milestone", "2026-02-13")
    on("2026-03-02", "progress", TASK, "--unit", "省住建厅", *reached)
    assert TASK not in {t["id"] for t in report("2026-03-02")["unacknowledged"]}
    assert row(report("2026-03-03"))["light"] == "green"

    # Done by its lead on 3/20, before its due date: 待销号, awaiting 省政府办公厅.
    on("2026-03-20", "progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "已全面完成")
    assert run.json("show", TASK, data=data)["status"] == "pending"
    assert (row(report("2026-03-20"))["status"], row(report("2026-03-20"))["light"]) == ("pending", "yellow")
    # Sent back on 3/23: in progress again, with the reason; and, past 3/31, overdue.
    on("2026-03-23", "confirm", TASK, "--by", "省政府办公厅", "--reject", "--note", "缺少验收材料")
    assert run.json("show", TASK, data=data)["status"] == "in_progress"
    assert row(report("2026-03-24"))["reasons"] == [
        "退回（省政府办公厅 2026-03-23）：缺少验收材料",
        "7 天后到期（期限 2026-03-31）",
    ]
    assert row(report("2026-04-01"))["light"] == "red"
    # Done again on 4/3, after its due date, with the acceptance report attached; confirmed on 4/7.
    acceptance = tmp_path / "验收报告.pdf"
    acceptance.write_bytes("%PDF-1.4 验收".encode())
    again_done = ("--status", "done", "--note", "已补齐验收材料", "--attach", str(acceptance))
    on("2026-04-03", "progress", TASK, "--unit", "省住建厅", *again_done)
    assert row(report("2026-04-06"))["status"] == "pending"
    on("2026-04-07", "confirm", TASK, "--by", "省政府办公厅")
    assert (row(report("2026-04-07"))["status"], row(report("2026-04-07"))["light"]) == ("done", "closed")
    verdicts = next((data / "progress" / "省政府办公厅").glob("*.toml"))
    assert [(r["kind"], str(r["date"])) for r in tomllib.loads(verdicts.read_text("utf-8"))["records"]] == [
        ("reject", "2026-03-23"),
        ("confirm", "2026-04-07"),
    ]

    # Another task of 省住建厅, without a due date, done and confirmed: on time; a third updated.
    on("2026-04-10", "progress", OTHER, "--unit", "省住建厅", "--status", "done", "--note", "已完成")
    on("2026-04-13", "confirm", OTHER, "--by", "省政府办公厅")
    on("2026-04-20", "progress", THIRD, "--unit", "省住建厅", "--status", "in_progress", "--note", "推进中")
    assert json.loads(on("2026-11-28", "check", "--format", "json").stdout) == []

    # 考评 of 省住建厅 from 2/1 to 4/30, by hand. Its 12 duties: it answers for 8, the 7 it leads (57号
    # items 4, 7, 23, 24, 25, 27, 38) and 73号 item 26, which has no lead; none but item 4 has a due date.
    #   completion: item 4 done 4/3 > due 3/31: late; item 23 done 4/10, no due date: on time;
    #     nothing overdue. on-time rate 1 / (1 + 1 + 0) = 0.5.
    #   签收: only item 4's deadline (2/25) falls in the period; acknowledged 2/27: late, 0 of 1;
    #     working days from 2/11 to 2/27: 2/12, 2/13, 2/14, 2/24, 2/25, 2/26, 2/27 = 7.
    #   反馈: 10 duties open on 4/30 (12 less items 4 and 23), of which item 7 has its own record
    #     within 14 days (4/20): 1 of 10. Its records in the period: item 4 on 3/2, 3/20, 4/3 (gaps of
    #     18 and 14 days); one each on items 23 and 7: mean interval 16.
    #   score = 100 × (0.5 × 0.5 + 0.2 × 0 + 0.3 × 0.1) / (0.5 + 0.2 + 0.3) = 28.0
    period = ("--from", "2026-02-01", "--to", "2026-04-30")
    scored = {s["unit"]: s for s in run.json("scores", *period, data=data)}
    assert scored["省住建厅"] == {
        "unit": "省住建厅",
        "owned": 12,
        "led": 8,
        "completed_on_time": 1,
        "completed_late": 1,
        "overdue": 0,
        "on_time_rate": 0.5,
        "ack_due": 1,
        "acknowledged_on_time": 0,
        "ack_days_mean": 7.0,
        "open": 10,
        "updated": 1,
        "update_interval_mean": 16.0,
        "score": 28.0,
        "rank": 1,
    }
    # The weights are settings: completion alone makes the score the on-time rate.
    (data / "cityplan.toml").write_text("[scores]\ncompletion = 1\nack = 0\nfeedback = 0\n", encoding="utf-8")
    scored = {s["unit"]: s for s in run.json("scores", *period, data=data)}
    assert scored["省住建厅"]["score"] == 50.0
    # The weekly report's 通报 ranks it, and the ledger's 考评 sheet lists it.
    r = report("2026-04-30")
    assert r["bulletin"][0]["unit"] == "省住建厅" and r["bulletin"][0]["rank"] == 1
    markdown = on("2026-04-30", "report", "--as-of", "2026-04-30", "--format", "md").stdout
    assert "## 通报（考评排名）" in markdown
    ledger = tmp_path / "台账.xlsx"
    on("2026-04-30", "export", "--out", str(ledger), "--as-of", "2026-04-30")
    from openpyxl import load_workbook

    sheet = load_workbook(ledger)["考评"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (first["排名"], first["单位"], first["超期完成"], first["按时完成"]) == (1, "省住建厅", 1, 1)
    assert Path(ledger).stat().st_size > 0
