"""`cityplan suggest` proposes owners with reasons; `cityplan assign` writes them, changing nothing else."""

from __future__ import annotations

import datetime as dt
import difflib
import multiprocessing

from cityplan_cli.load import tomllib

DOC = "gzf-2023-73.toml"


def by_unit(rows: list[dict]) -> dict[str, dict]:
    return {r["unit"]: r for r in rows}


def test_suggestions_for_a_new_materials_task(run):
    rows = by_unit(run.json("suggest", "gzf-2023-73-01"))
    # 以金昌、嘉峪关、白银、兰州等地为重点 → those cities' governments implement.
    jinchang = rows["金昌市政府"]
    assert (jinchang["role"], jinchang["basis"]) == ("local", "place")
    assert jinchang["reason"] == "以金昌、嘉峪关、白银、兰州等地为重点"
    assert {"嘉峪关市政府", "白银市政府", "兰州市政府"} <= set(rows)
    assert rows["平凉市政府"]["reason"] == "平凉、陇南、甘南等地为支撑"
    # 依托金川集团、酒钢集团、白银有色集团等“链主”企业 → they take part.
    jinchuan = rows["金川集团"]
    assert (jinchuan["role"], jinchuan["basis"], jinchuan["registered"]) == ("support", "enterprise", True)
    assert jinchuan["reason"].startswith("依托金川集团、酒钢集团、白银有色集团")
    # Subject matter → the department whose remit it is leads.
    (lead,) = [r for r in rows.values() if r["role"] == "lead"]
    assert (lead["unit"], lead["basis"]) == ("省工信厅", "remit")
    assert "“新材料”" in lead["reason"]


def test_places_of_a_region_and_a_new_district(run):
    rows = by_unit(run.json("suggest", "gzf-2023-73-05"))  # 以河西地区、兰州、兰州新区为重点
    assert rows["兰州新区管委会"]["role"] == "local"
    assert rows["兰州市政府"]["reason"] == "以河西地区、兰州、兰州新区为重点"
    assert rows["省能源局"]["role"] == "lead"


def test_suggestions_stay_within_the_issuers_departments(run):
    rows = run.json("suggest", "--doc", "jc-cxrh-2023")
    leads = {r["unit"] for r in rows if r["basis"] == "remit"}
    assert leads and all(u.startswith("金昌市") for u in leads)
    farming = by_unit(run.json("suggest", "jc-cxrh-2023-20"))  # 农业现代化建设行动
    assert farming["金昌市农业农村局"]["role"] == "lead"


def test_suggest_without_arguments_covers_every_unowned_task(run):
    rows = run.json("suggest")
    unowned = {t["id"]: t for t in run.json("unowned")}
    assert {r["task_id"] for r in rows} <= set(unowned)
    # Every unowned task but one gets an owner: jc-cxrh-2023-67 (金昌国家级经济技术开发区扩权赋能) names
    # the zone as its subject, neither as a place of focus nor in any department's remit.
    assert set(unowned) - {r["task_id"] for r in rows} == {"jc-cxrh-2023-67"}
    for r in rows:  # each reason is words of the task's own title or text
        text = unowned[r["task_id"]]["title"] + unowned[r["task_id"]]["text"]
        if r["basis"] == "remit":
            words = r["reason"].removeprefix("内容涉及").split("、")
            assert words and all(w.strip("“”") in text for w in words), r
        else:
            assert r["reason"] in text, r


def test_suggestions_are_not_owners(run, data):
    before = (data / DOC).read_bytes()
    run("suggest", data=data)
    assert (data / DOC).read_bytes() == before
    assert run.json("show", "gzf-2023-73-01", data=data)["owners"] == []


def test_assign_changes_only_the_task(run, data):
    before = (data / DOC).read_text(encoding="utf-8")
    out = run(
        "assign",
        "gzf-2023-73-01",
        "--lead",
        "甘肃省工业和信息化厅",
        "--support",
        "省科技厅",
        "--support",
        "金川集团",
        "--local",
        "金昌市人民政府",
        "--by",
        "张三",
        data=data,
    ).stdout
    assert out.startswith("gzf-2023-73-01: 牵头 省工信厅;配合 省科技厅、金川集团;落实 金昌市政府 → ")
    after = (data / DOC).read_text(encoding="utf-8")
    added = [
        line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("+ ", "- ")
    ]
    today = dt.date.today().isoformat()
    assert sorted(added) == sorted(
        [
            "- lead = []",
            "- support = []",
            "- local = []",
            '+ lead = ["省工信厅"]',
            '+ support = ["省科技厅", "金川集团"]',
            '+ local = ["金昌市政府"]',
            "+ [[tasks.basis]]",
            '+ how = "assigned"',
            '+ units = ["省工信厅", "省科技厅", "金川集团", "金昌市政府"]',
            f'+ note = "张三 指派，{today}"',
            f"+ date = {today}",  # the day of the assignment: 签收 counts from it
            "+ ",
        ]
    )
    # Replaced where they stood, right after the task's own text; the basis says whose decision it is.
    lines = after.splitlines()
    at = lines.index('lead = ["省工信厅"]')
    assert lines[at - 1].startswith("text = ") and 'id = "gzf-2023-73-01"' in "\n".join(lines[at - 8 : at])
    run("check", "--strict", data=data)
    task = run.json("show", "gzf-2023-73-01", data=data)
    assert (task["lead"], task["support"], task["local"]) == (
        ["省工信厅"],
        ["省科技厅", "金川集团"],
        ["金昌市政府"],
    )
    run("check", "--strict", data=data)


def test_assign_replaces_a_role_in_place_and_keeps_every_comment(run, data):
    path = data / DOC
    text = path.read_text(encoding="utf-8").replace(
        'lead = ["省发展改革委"]', 'lead = ["省发展改革委"]  # 牵头抓总\n# 待定:配合单位'
    )
    path.write_text(text, encoding="utf-8")
    run("assign", "gzf-2023-73-20", "--lead", "省工信厅", "--by", "李四", data=data)
    after = path.read_text(encoding="utf-8")
    expected = text.replace('lead = ["省发展改革委"]  # 牵头抓总', 'lead = ["省工信厅"]  # 牵头抓总')
    changes = [d for d in difflib.ndiff(expected.splitlines(), after.splitlines()) if d[:2] in ("+ ", "- ")]
    assert changes == [  # the line replaced where it stands, and the decision added to the basis
        "+ [[tasks.basis]]",
        '+ how = "assigned"',
        '+ units = ["省工信厅"]',
        f'+ note = "李四 指派，{dt.date.today().isoformat()}"',
        f"+ date = {dt.date.today().isoformat()}",
        "+ ",
    ]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]


def test_assign_keeps_a_bom_and_every_other_line(run, data):
    path = data / "gzf-2024-57.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    before = path.read_bytes()
    run("assign", "gzf-2024-57-04", "--support", "省财政厅", data=data)
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    old, new = before.decode("utf-8-sig").splitlines(), after.decode("utf-8-sig").splitlines()
    changes = [d for d in difflib.ndiff(old, new) if d[:2] in ("+ ", "- ") and d[2:].strip()]
    assert [c for c in changes if c.startswith("- ")] == ["- support = []"]
    assert [c[2:].split(" = ")[0] for c in changes if c.startswith("+ ")] == [
        "support",
        "[[tasks.basis]]",
        "how",
        "units",
        "note",
        "date",
    ]


def test_assign_refuses_bad_input_and_writes_nothing(run, data):
    before = {p.name: p.read_bytes() for p in data.glob("*.toml")}
    result = run("assign", "gzf-2023-73-01", "--lead", "省住房厅", data=data, code=2)
    assert "unknown unit '省住房厅'; did you mean 省住建厅" in result.stderr
    assert (
        "no task 'gzf-2023-73-99'"
        in run("assign", "gzf-2023-73-99", "--lead", "省工信厅", data=data, code=2).stderr
    )
    assert "at least one of" in run("assign", "gzf-2023-73-01", data=data, code=2).stderr
    both = run(
        "assign",
        "gzf-2023-73-01",
        "--lead",
        "省工信厅",
        "--support",
        "甘肃省工业和信息化厅",
        data=data,
        code=2,
    )
    assert "'省工信厅' is given as both --lead and --support" in both.stderr
    assert {p.name: p.read_bytes() for p in data.glob("*.toml")} == before
    assert not list(data.glob(".*.tmp"))


def _assign(args: tuple[str, str, str]) -> int:
    from typer.testing import CliRunner

    from cityplan_cli.cli import app

    data, task, unit = args
    return CliRunner().invoke(app, ["assign", task, "--lead", unit, "--data", data]).exit_code


def test_concurrent_assignments_lose_nothing(data):
    jobs = [
        (str(data), f"gzf-2023-73-{n:02d}", unit)
        for n, unit in zip(range(2, 10), ["省工信厅", "省科技厅"] * 4, strict=True)
    ]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert pool.map(_assign, jobs) == [0] * len(jobs)
    tasks = {t["id"]: t for t in tomllib.loads((data / DOC).read_text(encoding="utf-8"))["tasks"]}
    for _, task, unit in jobs:
        assert tasks[task]["lead"] == [unit]


def test_an_assigned_task_is_owned_and_a_duty(run, data):
    run("assign", "jc-cxrh-2023-20", "--lead", "金昌市农业农村局", data=data)
    assert run.json("unowned", "--doc", "jc-cxrh-2023", data=data)[0]["id"] != "jc-cxrh-2023-20"
    duties = run.json("duties", "金昌市农业农村局", data=data)
    assert [(d["id"], d["role"]) for d in duties if d["via"] is None] == [("jc-cxrh-2023-20", "lead")]
