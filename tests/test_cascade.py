"""Tasks that implement other tasks: links in the data and their checks, `cascade`, and the roll-up
of what lies beneath a task into its state, `show --tree`, `duties`, the report, the ledger, the
graph and the checklists."""

from __future__ import annotations

import json
from pathlib import Path

from cityplan_cli.load import tomllib

JC = "jc-cxrh-2023.toml"
PROVINCE = "gzf-2024-57.toml"


def problems(run, data: Path, code: int = 2) -> list[dict]:
    return json.loads(run("check", "--format", "json", data=data, code=code).stdout)


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    hits = [no for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return hits[occurrence - 1]


# ---------------------------------------------------------------------------------------------
# Links in the data, and what `check` says of them


def test_city_plan_items_name_the_provincial_items_they_carry_out(run):
    task = run.json("show", "jc-cxrh-2023-47")
    assert task["implements"] == ["gzf-2024-57-01", "gzf-2024-57-05"]
    assert run.json("show", "gzf-2024-57-05")["implements"] == []


def test_a_link_to_a_missing_task_fails_check(run, data, edit):
    edit(data / JC, 'implements = ["gzf-2024-57-11"]', 'implements = ["gzf-2024-57-99"]')
    found = [p for p in problems(run, data) if p["severity"] == "error"]
    assert len(found) == 1
    (p,) = found
    assert p["file"].endswith(JC)
    assert p["line"] == line_of(data / JC, 'implements = ["gzf-2024-57-99"]')
    assert p["message"].startswith("implements: no task 'gzf-2024-57-99'")


def test_a_cycle_fails_check(run, data, edit):
    # 57号 item 36 ← 金昌 item 31 (in the data); and now 36 → 31 as well.
    item = 'id = "gzf-2024-57-36"\nseq = 36\n'
    edit(data / PROVINCE, item, item + 'implements = ["jc-cxrh-2023-31"]\n')
    found = problems(run, data)
    errors = [p for p in found if p["severity"] == "error"]
    assert len(errors) == 1
    (cycle,) = errors
    assert "cycle" in cycle["message"]
    assert "gzf-2024-57-36 → jc-cxrh-2023-31 → gzf-2024-57-36" in cycle["message"] or (
        "jc-cxrh-2023-31 → gzf-2024-57-36 → jc-cxrh-2023-31" in cycle["message"]
    )
    assert cycle["line"] in (
        line_of(data / PROVINCE, 'implements = ["jc-cxrh-2023-31"]'),
        line_of(data / JC, 'implements = ["gzf-2024-57-36"]'),
    )
    # The province does not own the city's task: a warning naming both.
    (warning,) = [p for p in found if p["severity"] == "warning"]
    assert "'gzf-2024-57-36' implements 'jc-cxrh-2023-31'" in warning["message"]
    assert "省政府" in warning["message"]


def test_a_self_link_is_a_cycle(run, data, edit):
    edit(data / JC, 'implements = ["gzf-2024-57-11"]', 'implements = ["jc-cxrh-2023-67"]')
    errors = [p for p in problems(run, data) if p["severity"] == "error"]
    assert [p["message"] for p in errors] == ["implements: a cycle: jc-cxrh-2023-67 → jc-cxrh-2023-67"]


def test_a_link_from_a_document_whose_issuer_owns_no_part_warns(run, data, edit):
    # 57号 item 13 is for 兰州, 白银 and 兰州新区: 金昌 owns no part of it.
    edit(data / JC, 'implements = ["gzf-2024-57-11"]', 'implements = ["gzf-2024-57-13"]')
    edit(data / JC, 'task = "gzf-2024-57-11"', 'task = "gzf-2024-57-13"')
    found = problems(run, data, code=0)
    (p,) = found
    assert p["severity"] == "warning"
    assert p["line"] == line_of(data / JC, 'implements = ["gzf-2024-57-13"]')
    assert p["message"].startswith("'jc-cxrh-2023-67' implements 'gzf-2024-57-13', but 金昌市政府")
    assert "兰州市政府" in p["message"]


def test_the_words_of_a_link_must_be_in_one_of_the_two_texts(run, data, edit):
    edit(data / JC, 'quote = "加快发展县域医共体"', 'quote = "加快发展县域医共体建设"')
    (p,) = problems(run, data)
    assert p["line"] == line_of(data / JC, 'quote = "加快发展县域医共体建设"') - 3  # its [[tasks.basis]]
    assert p["message"].startswith("quote not found in sources/jc-cxrh-2023.txt or sources/gzf-2024-57.txt")


def test_links_and_proposals_of_the_wrong_shape_are_reported_at_their_line(run, data, edit):
    edit(data / JC, 'implements = ["gzf-2024-57-11"]', 'implements = "gzf-2024-57-11"\nproposed = 3')
    edit(
        data / JC,
        'implements = ["gzf-2024-57-31"]',
        'implements = ["gzf-2024-57-31"]\n\n[tasks.proposed]\nlead = [1]',
    )
    found = {(p["line"], p["message"]) for p in problems(run, data) if p["severity"] == "error"}
    wrong = "'implements' must be a list of strings, not the string 'gzf-2024-57-11'"
    assert found == {
        (line_of(data / JC, 'implements = "gzf-2024-57-11"'), wrong),
        (line_of(data / JC, "proposed = 3"), "'proposed' must be a table, not int 3"),
        (
            line_of(data / JC, "lead = [1]"),
            "'lead' must be a list of strings, not a list with a non-string item",
        ),
    }


# ---------------------------------------------------------------------------------------------
# cityplan cascade


def cascade_file(data: Path) -> Path:
    return data / "gzf-2024-57-jcszf.toml"


def read_toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_cascade_writes_one_task_for_each_item_the_unit_must_carry_out(run, data):
    documents, tasks = len(run.json("docs", data=data)), len(run.json("tasks", data=data))
    out = run("cascade", "甘政发〔2024〕57号", "--to", "金昌市人民政府", data=data)
    path = cascade_file(data)
    assert out.stdout == f"{path}: 30 items, 30 new, 0 kept\n"
    written = read_toml(path)
    assert written["document"]["implements_doc"] == "gzf-2024-57"
    assert written["document"]["issuer"] == "金昌市人民政府"
    # What 金昌 must carry out, read from the items' owners: named itself, or through 各市州政府.
    items = run.json("tasks", "--doc", "gzf-2024-57", data=data)
    expected = [t["id"] for t in items if {"金昌市政府", "各市州政府"} & set(t["owners"])]
    assert len(expected) == 30
    assert [t["implements"] for t in written["tasks"]] == [[i] for i in expected]
    assert [t["seq"] for t in written["tasks"]] == list(range(1, 31))
    by_id = {t["id"]: t for t in items}
    for task in written["tasks"]:
        (target,) = task["implements"]
        assert (task["title"], task["text"]) == (by_id[target]["title"], by_id[target]["text"])
        assert task["lead"] == task["support"] == task["local"] == []  # proposals only, for the office
        (basis,) = task["basis"]
        assert basis["how"] == "implements" and basis["units"] == ["金昌市政府"]
    # Item 21 names 金昌 itself: its own clause is the basis; item 2 reaches it by the document's rule.
    grounds = {t["implements"][0]: t["basis"][0]["quote"] for t in written["tasks"]}
    assert "金昌市" in grounds["gzf-2024-57-21"] and "责任单位" in grounds["gzf-2024-57-21"]
    assert grounds["gzf-2024-57-02"].startswith("以下任务除已明确市州政府的")
    # The departments proposed are 金昌's own; and the data stays clean: every quote is in 57号's text.
    proposed = {
        u
        for t in written["tasks"]
        for role in ("lead", "support")
        for u in t.get("proposed", {}).get(role, [])
    }
    assert proposed and all(u.startswith("金昌市") for u in proposed)
    result = run("check", "--strict", data=data)
    assert f"{documents + 1} documents, {tasks + 30} tasks" in result.stderr
    assert "0 errors, 0 warnings" in result.stderr


def test_cascade_accept_takes_a_clear_top_proposal_and_says_so(run, data):
    out = run("cascade", "gzf-2024-57", "--to", "金昌市政府", "--accept", data=data)
    written = {t["implements"][0]: t for t in read_toml(cascade_file(data))["tasks"]}
    accepted = {target: t["lead"] for target, t in written.items() if t["lead"]}
    assert out.stdout.endswith(f", {len(accepted)} suggestions accepted\n")
    # Item 3 (教育) is clearly the 教育局's; item 2 ties 人社局 with 农业农村局, so nobody is taken.
    assert accepted["gzf-2024-57-03"] == ["金昌市教育局"]
    assert "gzf-2024-57-02" not in accepted
    for target, lead in accepted.items():
        assigned = [b for b in written[target]["basis"] if b["how"] == "assigned"]
        assert [b["units"] for b in assigned] == [lead]
        assert "cityplan cascade --accept" in assigned[0]["note"]
    # An accepted lead is an owner, as the index reads it.
    task = next(t for t in written.values() if t["implements"] == ["gzf-2024-57-03"])
    assert run.json("show", task["id"], data=data)["lead"] == ["金昌市教育局"]
    # A higher threshold takes fewer.
    (data / "gzf-2024-57-jcszf.toml").unlink()
    run("cascade", "gzf-2024-57", "--to", "金昌市政府", "--accept", "--min-score", "100", data=data)
    assert not any(t["lead"] for t in read_toml(cascade_file(data))["tasks"])


def test_cascade_again_keeps_every_edit_and_adds_what_is_new(run, data, edit):
    run("cascade", "甘政发〔2024〕57号", "--to", "金昌市政府", data=data)
    path = cascade_file(data)
    # The office edits: an owner confirmed, a text reworded, a comment.
    edit(path, 'id = "gzf-2024-57-jcszf-02"\n', '# 已研究确定\nid = "gzf-2024-57-jcszf-02"\n')
    text = path.read_text(encoding="utf-8")
    first_lead = text.index("lead = []", text.index('id = "gzf-2024-57-jcszf-02"'))
    text = text[:first_lead] + 'lead = ["金昌市人社局"]' + text[first_lead + len("lead = []") :]
    text = text.replace("深化户籍制度改革。在全面落实", "深化户籍制度改革(本市细化)。在全面落实", 1)
    path.write_text(text, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    # Nothing new: the file is left as it is.
    out = run("cascade", "甘政发〔2024〕57号", "--to", "金昌市政府", data=data)
    assert out.stdout.endswith("0 new, 30 kept\n")
    assert path.read_text(encoding="utf-8") == before
    # Item 13 now names 金昌 too: one task is added, after the others; everything else stays.
    province = (data / PROVINCE).read_text(encoding="utf-8")
    old = 'local = ["兰州市政府", "白银市政府", "兰州新区管委会"]'
    at = province.index(old, province.index('id = "gzf-2024-57-13"'))
    new = 'local = ["兰州市政府", "白银市政府", "兰州新区管委会", "金昌市政府"]'
    (data / PROVINCE).write_text(province[:at] + new + province[at + len(old) :], encoding="utf-8")
    out = run("cascade", "甘政发〔2024〕57号", "--to", "金昌市政府", data=data)
    assert out.stdout.endswith("31 items, 1 new, 30 kept\n")
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    added = read_toml(path)["tasks"][-1]
    assert (added["id"], added["seq"], added["implements"]) == (
        "gzf-2024-57-jcszf-31",
        31,
        ["gzf-2024-57-13"],
    )
    assert run.json("show", "gzf-2024-57-jcszf-02", data=data)["lead"] == ["金昌市人社局"]


def test_cascade_refuses_what_it_cannot_do_and_writes_nothing(run, data, tmp_path):
    before = sorted(p.name for p in data.iterdir())
    for args, says in (
        (("--to", "各市州政府"), "is a collective"),
        (("--to", "金川区政府"), "金川区政府 carries out no item of 甘政发〔2024〕57号"),
        (("--to", "金昌市住建厅"), "unknown unit"),
    ):
        result = run("cascade", "gzf-2024-57", *args, data=data, code=2)
        assert says in result.stderr
    assert sorted(p.name for p in data.iterdir()) == before
    # The bundled example data is never written.
    result = run("cascade", "gzf-2024-57", "--to", "金昌市政府", code=2)
    assert "bundled example" in result.stderr
    # A file that cascades another document is not taken over.
    other = tmp_path / "other.toml"
    other.write_text('[document]\nid = "x"\nimplements_doc = "jc-cxrh-2023"\n', encoding="utf-8")
    result = run("cascade", "gzf-2024-57", "--to", "金昌市政府", "--out", str(other), data=data, code=2)
    assert "cascades 'jc-cxrh-2023', not 'gzf-2024-57'" in result.stderr
    assert other.read_text(encoding="utf-8") == '[document]\nid = "x"\nimplements_doc = "jc-cxrh-2023"\n'
    # Nor one whose tasks are not [[tasks]] tables, nor one that is not TOML at all.
    for text, says in (
        ('tasks = 3\n[document]\nid = "x"\nimplements_doc = "gzf-2024-57"\n', "must be an array of tables"),
        ("[document\n", "not a TOML file"),
    ):
        other.write_text(text, encoding="utf-8")
        result = run("cascade", "gzf-2024-57", "--to", "金昌市政府", "--out", str(other), data=data, code=2)
        assert says in result.stderr
        assert other.read_text(encoding="utf-8") == text


# ---------------------------------------------------------------------------------------------
# Three levels: 省 item → 市 task → 县 task, and the roll-up


COUNTY = """\
[document]
id = "yc-2025-1"
issuer = "永昌县人民政府"
date = 2025-03-01
title = "永昌县落实农业转移人口市民化激励政策工作方案"

[[tasks]]
id = "yc-2025-1-01"
seq = 1
title = "落实农业转移人口市民化奖励政策"
implements = ["gzf-2024-57-jcszf-05"]
lead = ["永昌县政府"]
"""
CITY_TASK = "gzf-2024-57-jcszf-05"  # 金昌's task for 57号 item 5
AS_OF = "2026-11-26"


def record(run, data, task, unit, status, note, date="2026-11-20"):
    run("progress", task, "--unit", unit, "--status", status, "--note", note, "--date", date, data=data)


def chain(run, data: Path) -> Path:
    """57号 item 5 → 金昌's task for it (its 住建局 leads, 永昌县 implements) → 永昌县's task."""
    run("cascade", "甘政发〔2024〕57号", "--to", "金昌市政府", data=data)
    run("assign", CITY_TASK, "--lead", "金昌市住建局", "--local", "永昌县政府", data=data)
    (data / "yc-2025-1.toml").write_text(COUNTY, encoding="utf-8")
    result = run("check", "--strict", data=data)
    assert "0 errors, 0 warnings" in result.stderr
    return data


def test_a_county_blocked_rolls_up_to_the_provincial_item_and_the_report(run, data):
    chain(run, data)
    record(run, data, "yc-2025-1-01", "永昌县政府", "blocked", "资金未到位")
    # The city's task and the province's item stand blocked, naming the county's task and unit.
    for task in ("yc-2025-1-01", CITY_TASK, "gzf-2024-57-05"):
        assert run.json("show", task, data=data)["status"] == "blocked", task
    blocked = [t["id"] for t in run.json("tasks", "--status", "blocked", data=data)]
    assert blocked == [CITY_TASK, "gzf-2024-57-05", "yc-2025-1-01"]
    tree = run.json("show", "gzf-2024-57-05", "--tree", data=data)
    (jinchang,) = tree["parts"]
    assert (jinchang["unit"], jinchang["status"], jinchang["source"]) == ("金昌市政府", "blocked", "derived")
    assert jinchang["blocked"] == [f"{CITY_TASK} ← yc-2025-1-01（永昌县政府）：资金未到位"]
    assert [t["id"] for t in jinchang["tasks"]] == [CITY_TASK, "jc-cxrh-2023-47", "jc-cxrh-2023-69"]
    city = jinchang["tasks"][0]
    assert (city["light"], city["status"]) == ("red", "blocked")
    (county_part,) = city["parts"]
    assert county_part["unit"] == "永昌县政府"
    (county,) = county_part["tasks"]
    assert (county["id"], county["light"], county["parts"]) == ("yc-2025-1-01", "red", [])
    # The weekly report: the item is red for 金昌's part, and its table of parts says so.
    report = run.json("report", "--as-of", AS_OF, data=data)
    red = {t["id"]: t["reasons"] for t in report["red"]}
    # The blocked part is 金昌's, derived: the reason names the city, then the chain down to the report.
    assert red["gzf-2024-57-05"] == [
        f"受阻（金昌市政府）：{CITY_TASK} ← yc-2025-1-01（永昌县政府）：资金未到位"
    ]
    assert red[CITY_TASK] == ["受阻（永昌县政府）：yc-2025-1-01（永昌县政府）：资金未到位"]
    row = next(t for group in report["by_lead"] for t in group["tasks"] if t["id"] == "gzf-2024-57-05")
    (derived,) = [p for p in row["parts"] if p["unit"] == "金昌市政府"]
    assert (derived["status"], derived["via"], derived["record"]) == ("blocked", "各市州政府", None)
    item = next(i for i in report["cascade"] if i["id"] == "gzf-2024-57-05")
    parts = {p["unit"]: p for p in item["parts"]}
    assert parts["金昌市政府"]["status"] == "blocked" and parts["金昌市政府"]["source"] == "derived"
    # Every implementer's part (the 14 市州 and 兰州新区), each as it stands.
    local = {
        p["unit"] for p in run.json("show", "gzf-2024-57-05", data=data)["parts"] if p["role"] == "local"
    }
    assert set(parts) == local and len(local) > 1
    assert {p["source"] for u, p in parts.items() if u != "金昌市政府"} == {"none"}
    md = run("report", "--as-of", AS_OF, "--format", "md", data=data).stdout
    assert "| gzf-2024-57-05 | 完善农业转移人口市民化激励政策 | 金昌市政府 | 受阻（下级汇总） |" in md


def test_the_weekly_changes_include_the_tasks_above_a_record(run, data):
    """A record beneath changes the status of every task above it, though they have no record of
    their own this week; a record of last week changes nothing this week."""
    chain(run, data)
    record(run, data, "yc-2025-1-01", "永昌县政府", "in_progress", "已拨付首批资金", date="2026-11-18")
    assert run.json("report", "--as-of", AS_OF, data=data)["changes"] == []
    record(run, data, "yc-2025-1-01", "永昌县政府", "blocked", "资金未到位", date="2026-11-24")
    changes = run.json("report", "--as-of", AS_OF, data=data)["changes"]
    assert sorted((c["task"], c["from"], c["to"]) for c in changes) == [
        ("gzf-2024-57-05", "in_progress", "blocked"),
        (CITY_TASK, "in_progress", "blocked"),
        ("yc-2025-1-01", "in_progress", "blocked"),
    ]


def test_a_task_outside_those_moved_stands_as_it_stood(run, data):
    """What the report's changes rest on: a task none of whose records, nor those of any task
    beneath it, is dated between two days has one status on both (checked day by day)."""
    import datetime as dt

    from cityplan_cli.index import Index
    from cityplan_cli.rollup import Rollup

    chain(run, data)
    for task, unit, status, date in (
        ("yc-2025-1-01", "永昌县政府", "in_progress", "2026-11-03"),
        ("yc-2025-1-01", "永昌县政府", "blocked", "2026-11-12"),
        (CITY_TASK, "金昌市住建局", "in_progress", "2026-11-17"),
        ("gzf-2024-57-04", "省住建厅", "done", "2026-11-20"),
        ("yc-2025-1-01", "永昌县政府", "done", "2026-11-25"),
    ):
        record(run, data, task, unit, status, "进展", date=date)
    ds = Index.in_memory(data).dataset()
    days = [dt.date(2026, 11, 1) + dt.timedelta(days=n) for n in range(30)]
    statuses = {day: Rollup(ds, day).statuses() for day in days}
    moved_somewhere = set()
    for since in days:
        for day in days[days.index(since) + 1 :]:
            moved = Rollup(ds, day).moved(since)
            moved_somewhere |= moved
            changed = {t for t, s in statuses[day].items() if s != statuses[since][t]}
            assert changed <= moved, (since, day)
            assert Rollup(ds, since).statuses(sorted(moved)) == {t: statuses[since][t] for t in moved}
    assert {"gzf-2024-57-05", CITY_TASK, "yc-2025-1-01", "gzf-2024-57-04"} <= moved_somewhere


def test_a_part_is_done_when_all_beneath_is_done_and_a_units_own_record_wins(run, data):
    chain(run, data)
    record(run, data, "yc-2025-1-01", "永昌县政府", "done", "已兑现奖励资金")
    tree = run.json("show", "gzf-2024-57-05", "--tree", data=data)
    (jinchang,) = tree["parts"]
    city = jinchang["tasks"][0]
    # The county's part of the city's task is done; the task is done when its lead's part is.
    assert city["parts"][0]["status"] == "done" and city["status"] == "in_progress"
    parts = {p["unit"]: p for p in run.json("show", CITY_TASK, data=data)["parts"]}
    assert (parts["永昌县政府"]["status"], parts["永昌县政府"]["record"]) == ("done", None)
    assert parts["金昌市住建局"]["status"] is None
    record(run, data, CITY_TASK, "金昌市住建局", "done", "已完成")
    (jinchang,) = run.json("show", "gzf-2024-57-05", "--tree", data=data)["parts"]
    assert jinchang["tasks"][0]["status"] == "pending"  # done by its lead, awaiting its supervisor
    # The city's plan items for item 5 have not started: 金昌's part is in progress, not done.
    assert (jinchang["status"], jinchang["derived"]) == ("in_progress", "in_progress")
    # 金昌 reports its part itself: its word wins, and the report points out the disagreement.
    record(run, data, "gzf-2024-57-05", "金昌市政府", "done", "已全部完成", date="2026-11-21")
    (jinchang,) = run.json("show", "gzf-2024-57-05", "--tree", data=data)["parts"]
    assert (jinchang["status"], jinchang["source"], jinchang["disagrees"]) == ("done", "recorded", True)
    md = run("report", "--as-of", AS_OF, "--format", "md", data=data).stdout
    assert "自报「已完成」与下级汇总「推进中」不一致" in md
    html = run("report", "--as-of", AS_OF, "--format", "html", data=data).stdout
    assert "自报「已完成」与下级汇总「推进中」不一致" in html


def test_show_tree_prints_every_level_with_lights(run, data):
    chain(run, data)
    record(run, data, "yc-2025-1-01", "永昌县政府", "blocked", "资金未到位")
    text = run("show", "gzf-2024-57-05", "--tree", "--format", "md", data=data).stdout
    lines = text.splitlines()
    assert lines[0].startswith("- 【红灯】 gzf-2024-57-05 完善农业转移人口市民化激励政策")
    assert lines[1].startswith("  - 金昌市政府承担部分：受阻（下级汇总）")
    assert lines[2].startswith(f"    - 【红灯】 {CITY_TASK} ")
    assert lines[3].startswith("      - 永昌县政府承担部分：受阻（下级汇总）")
    assert lines[4].startswith("        - 【红灯】 yc-2025-1-01 落实农业转移人口市民化奖励政策")
    table = run("show", "gzf-2024-57-05", "--tree", data=data).stdout
    assert "└── 金昌市政府承担部分" in table and "yc-2025-1-01" in table
    # A task with nothing beneath is its own tree.
    alone = run.json("show", "gzf-2024-57-13", "--tree", data=data)
    assert (alone["id"], alone["parts"]) == ("gzf-2024-57-13", [])


def test_duties_mark_what_the_unit_has_passed_down(run, data):
    chain(run, data)
    duties = {d["id"]: d for d in run.json("duties", "金昌市政府", "--doc", "gzf-2024-57", data=data)}
    assert duties["gzf-2024-57-05"]["passed_down"] == [CITY_TASK, "jc-cxrh-2023-47", "jc-cxrh-2023-69"]
    assert all(d["passed_down"] for d in duties.values())  # its 分工方案 carries out every item
    county = {d["id"]: d for d in run.json("duties", "永昌县政府", data=data)}
    assert county[CITY_TASK]["passed_down"] == ["yc-2025-1-01"]
    assert county["yc-2025-1-01"]["passed_down"] == []
    # 省住建厅 leads item 4: the city's tasks for it are 金昌's, not passed down by 省住建厅.
    assert all(not d["passed_down"] for d in run.json("duties", "省住建厅", data=data))


def test_checklists_list_what_came_from_above_and_what_was_passed_down(run, data, tmp_path):
    chain(run, data)
    run(
        "checklist",
        "永昌县政府",
        "金昌市政府",
        "--out",
        str(tmp_path),
        "--format",
        "md",
        "--format",
        "csv",
        data=data,
    )
    county = (tmp_path / "永昌县政府.md").read_text(encoding="utf-8")
    assert "- 承接上级任务 2 项，已向下分解 1 项" in county
    above = "gzf-2024-57-05 完善农业转移人口市民化激励政策（甘政发〔2024〕57号，省发展改革委牵头）"
    assert f"- 承接上级任务：{above}" in county
    assert "- 已分解至：yc-2025-1-01 落实农业转移人口市民化奖励政策" in county
    city = (tmp_path / "金昌市政府.md").read_text(encoding="utf-8")
    assert "已向下分解 30 项" in city
    assert f"- 已分解至：{CITY_TASK} 完善农业转移人口市民化激励政策" in city
    csv = (tmp_path / "永昌县政府.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].endswith(",承接上级任务,已分解至")
    assert any(line.endswith(",gzf-2024-57-05,yc-2025-1-01") for line in csv)


def test_the_ledger_groups_each_item_over_what_carries_it_out(run, data, tmp_path):
    from openpyxl import load_workbook

    chain(run, data)
    record(run, data, "yc-2025-1-01", "永昌县政府", "blocked", "资金未到位")
    out = tmp_path / "台账.xlsx"
    run("export", "--out", str(out), "--as-of", AS_OF, data=data)
    ws = load_workbook(out)["分解落实"]
    assert ws.sheet_properties.outlinePr.summaryBelow is False
    assert ws.sheet_format.outlineLevelRow == 3  # province → city → county, each with its owners
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["编号", "文件", "任务", "单位", "职责", "状态", "亮灯", "说明"]
    at = next(i for i, r in enumerate(rows) if r[0] == "gzf-2024-57-05")
    levels = [ws.row_dimensions[at + 1 + k].outlineLevel for k in range(6)]
    seen = [(r[0], r[3], r[4], r[5]) for r in rows[at : at + 6]]
    assert seen == [
        ("gzf-2024-57-05", "省发展改革委", "牵头", "受阻"),  # the province's item
        (CITY_TASK, "金昌市政府", None, "受阻"),  # the city's task for it
        (None, "金昌市住建局", "牵头", None),  # its departments
        (None, "永昌县政府", "落实", "受阻"),
        ("yc-2025-1-01", "永昌县政府", None, "受阻"),  # and the county's task beneath
        (None, "永昌县政府", "牵头", "受阻"),
    ]
    assert levels == [0, 1, 2, 2, 2, 3]


def test_the_graph_carries_implements_edges(run, data, tmp_path):
    tasks = run.json("tasks", data=data)
    links = {(t["id"], target) for t in tasks for target in t["implements"]}
    written = read_toml(data / JC)["tasks"]
    assert len(links) == sum(len(t.get("implements", [])) for t in written) > 0
    out = tmp_path / "g.json"
    run("graph", "--out", str(out), data=data)
    graph = json.loads(out.read_text(encoding="utf-8"))
    found = {
        (e["source"].removeprefix("task:"), e["target"].removeprefix("task:"))
        for e in graph["edges"]
        if e["rel"] == "implements"
    }
    assert found == links
    graphml = tmp_path / "g.graphml"
    run("graph", "--out", str(graphml), data=data)
    assert 'source="task:jc-cxrh-2023-47" target="task:gzf-2024-57-05"' in graphml.read_text(encoding="utf-8")
    assert run.json("graph", data=data)["edges"]["implements"] == len(links)
