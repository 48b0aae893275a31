"""Every command's JSON output against the schema `cityplan schema` prints for it, on the bundled
data and on data where every optional field appears (progress records, amendments, withdrawals,
collectives, tasks carried out three levels down)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cityplan_cli import __version__
from cityplan_cli.cli import COMMANDS, app
from test_cascade import chain, record

# (command its schema is named by, arguments)
OUTPUTS = [
    ("check", ["check"]),
    ("docs", ["docs"]),
    ("tasks", ["tasks"]),
    ("tasks", ["tasks", "--unit", "金昌市政府"]),
    ("show", ["show", "gzf-2024-57-26", "--history"]),
    ("show", ["show", "gzf-2024-57-05"]),
    ("show", ["show", "gzf-2024-57-05", "--tree"]),
    ("duties", ["duties", "金昌市政府"]),
    ("duties", ["duties", "省住建厅"]),
    ("units", ["units"]),
    ("units", ["units", "金昌市政府办公室"]),
    ("unowned", ["unowned"]),
    ("overloaded", ["overloaded"]),
    ("graph", ["graph"]),
    ("suggest", ["suggest"]),
    ("report", ["report", "--as-of", "2026-11-26"]),
    ("show", ["show", "gzf-2024-57-04", "--history"]),
    ("scores", ["scores", "--to", "2026-11-26"]),
]


def schema_of(run, *command: str):
    """`cityplan schema`'s output (it reads no data: no --data)."""
    result = run.runner.invoke(app, ["schema", *command])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def validator(run, command: str) -> Draft202012Validator:
    schema = schema_of(run, command)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(run, command: str, document) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator(run, command).iter_errors(document)]


@pytest.fixture(scope="module")
def tracked(tmp_path_factory) -> Path:
    """The bundled data with a chain of tasks three levels down, and records of every kind: one
    through a collective, amended; one withdrawn; a county's blocked part rolling up."""
    import shutil

    from conftest import DATA, Run

    data = tmp_path_factory.mktemp("tracked") / "tasks"
    shutil.copytree(DATA, data)
    run = Run()
    chain(run, data)
    record(run, data, "yc-2025-1-01", "永昌县政府", "blocked", "资金未到位")
    record(run, data, "gzf-2024-57-26", "金昌市政府", "in_progress", "已部署", "2026-11-24")
    run("progress", "gzf-2024-57-26", "--unit", "金昌市政府", "--amend", "--status", "in_progress",
        "--note", "已部署并启动", "--percent", "20", data=data)  # fmt: skip
    record(run, data, "gzf-2024-57-26", "省政府办公厅", "done", "完成", "2026-11-23")
    run("progress", "gzf-2024-57-26", "--unit", "省政府办公厅", "--withdraw", "--note", "误报", data=data)
    # the supervision cycle: a receipt, a done with evidence (待销号), the supervisor's rejection
    evidence = data.parent / "验收报告.txt"
    evidence.write_text("验收报告", encoding="utf-8")
    run("ack", "gzf-2024-57-04", "--unit", "省住建厅", "--date", "2026-11-20", data=data)
    run("progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "done", "--note", "已完成",
        "--date", "2026-11-24", "--attach", str(evidence), data=data)  # fmt: skip
    run("confirm", "gzf-2024-57-04", "--by", "省政府办公厅", "--reject", "--note", "缺少验收材料",
        "--date", "2026-11-25", data=data)  # fmt: skip
    return data


@pytest.mark.parametrize(("command", "args"), OUTPUTS, ids=[" ".join(a) for _, a in OUTPUTS])
def test_bundled_output_follows_its_schema(run, command, args):
    assert errors(run, command, run.json(*args)) == []


@pytest.mark.parametrize(("command", "args"), OUTPUTS, ids=[" ".join(a) for _, a in OUTPUTS])
def test_output_with_every_optional_field_follows_its_schema(run, tracked, command, args):
    document = run.json(*args, data=tracked)
    assert errors(run, command, document) == []


def test_the_tracked_data_shows_what_the_schemas_allow_for(run, tracked):
    """The optional and nullable fields the test above validates are there to validate."""
    shown = run.json("show", "gzf-2024-57-26", "--history", data=tracked)
    assert {r["withdrawn_by"] is not None for r in shown["history"]} == {True, False}
    assert any(r["amends"] for r in shown["progress"])
    assert any(p["via"] and p["record"] for p in shown["parts"])
    duty = next(d for d in run.json("duties", "金昌市政府", data=tracked) if d["id"] == "gzf-2024-57-26")
    assert (duty["part"], duty["part_percent"], duty["via"]) == ("in_progress", 20, "各市州政府")
    tree = run.json("show", "gzf-2024-57-05", "--tree", data=tracked)
    assert tree["parts"][0]["tasks"][0]["parts"][0]["tasks"][0]["id"] == "yc-2025-1-01"
    report = run.json("report", "--as-of", "2026-11-26", data=tracked)
    assert report["red"] and report["updates"] and report["changes"] and report["bulletin"]
    assert any(u["evidence"] for u in report["updates"])
    reviewed = run.json("show", "gzf-2024-57-04", "--history", data=tracked)
    assert reviewed["supervisor"] == "省政府办公厅"
    assert {r["kind"] for r in reviewed["review"]} == {"ack", "reject"}
    assert any(p["tasks"] for item in report["cascade"] for p in item["parts"])
    problems = json.loads(run("check", "--format", "json", data=_broken(tracked), code=2).stdout)
    assert errors(run, "check", problems) == []
    assert problems[0]["line"] == 1


def _broken(data: Path) -> Path:
    broken = data.parent / "broken"
    if not broken.exists():
        import shutil

        shutil.copytree(data, broken)
        (broken / "bad.toml").write_text("[x\n", encoding="utf-8")
    return broken


@pytest.mark.parametrize(
    ("command", "args", "path", "old", "new"),
    [
        ("tasks", ["tasks"], (0,), "id", "task_id"),
        ("duties", ["duties", "省住建厅"], (0,), "via", "through"),
        ("units", ["units"], (0,), "unit", "unit_name"),
        ("show", ["show", "gzf-2024-57-26"], ("parts", 0), "unit", "name"),
        ("report", ["report", "--as-of", "2026-11-26"], ("stale", 0), "light", "lights"),
        ("suggest", ["suggest"], (0,), "task", "id"),
        ("graph", ["graph"], ("top_load", 0), "load", "value"),
        ("docs", ["docs"], (0,), "number", "doc"),
    ],
)
def test_a_renamed_key_fails_the_schema(run, command, args, path, old, new):
    document = run.json(*args)
    target = document
    for step in path:
        target = target[step]
    target[new] = target.pop(old)
    assert errors(run, command, document), f"{old} → {new} passed"


def test_a_missing_or_mistyped_key_fails_the_schema(run):
    (task, *_) = run.json("tasks")
    assert errors(run, "tasks", [{k: v for k, v in task.items() if k != "due"}])
    assert errors(run, "tasks", [{**task, "seq": "1"}])
    assert errors(run, "tasks", [{**task, "status": "推进中"}])
    report = run.json("report", "--as-of", "2026-11-26")
    assert errors(run, "report", {**report, "schema": "2"})


def test_every_object_document_carries_the_schema_version(run):
    version = run("--version").stdout
    assert version == f"cityplan {__version__} (JSON schema 1)\n"
    for args in (["show", "gzf-2024-57-26"], ["show", "gzf-2024-57-26", "--tree"], ["report"], ["graph"]):
        assert run.json(*args)["schema"] == "1", args
        assert next(iter(run.json(*args))) == "schema", args  # first, where a reader looks
    assert isinstance(run.json("tasks"), list)  # listings stay one array of records


def test_deprecated_aliases_carry_the_same_value_and_are_marked(run):
    units = run.json("units")
    assert all(u["name"] == u["unit"] for u in units)
    assert all(s["task_id"] == s["task"] for s in run.json("suggest"))
    schema = schema_of(run, "units")
    assert schema["$defs"]["unit"]["properties"]["name"]["deprecated"] is True


def test_schema_without_a_command_gives_every_schema_keyed_by_command(run):
    every = schema_of(run)
    for command, schema in every.items():
        assert command in COMMANDS
        assert schema == schema_of(run, command)
        assert schema["$id"] == f"urn:cityplan:schema:1:{command}"
    assert {"tasks", "show", "report", "check", "graph"} <= set(every)


@pytest.mark.parametrize(
    ("word", "says"),
    [
        ("tsks", "no command 'tsks' prints JSON; did you mean tasks?"),
        ("import", "'import' prints no JSON; these do: check, docs, tasks"),
        ("qqqqqq", "no command 'qqqqqq' prints JSON; these do: check, docs"),
    ],
)
def test_schema_of_an_unknown_command_is_one_line_and_exit_2(run, word, says):
    result = run.runner.invoke(app, ["schema", word])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"cityplan: error: {says}")
    assert result.stderr.count("\n") == 1
