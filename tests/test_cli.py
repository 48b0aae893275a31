"""Every command through the real CLI, every output format parsed back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cityplan_cli import __version__

TASK_FIELDS = {
    "id",
    "doc",
    "doc_id",
    "seq",
    "section",
    "title",
    "text",
    "lead",
    "support",
    "local",
    "owners",
    "status",
    "due",
}


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "CSV for Excel starts with a BOM"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_tasks_json_has_the_contract_fields(run):
    tasks = run.json("tasks")
    assert len(tasks) == 164
    assert all(set(t) >= TASK_FIELDS for t in tasks)
    first = next(t for t in tasks if t["doc_id"] == "gzf-2024-57")
    assert first["id"] == "gzf-2024-57-01"
    assert first["doc_id"] == "gzf-2024-57"
    assert first["seq"] == 1 and isinstance(first["seq"], int)
    assert first["status"] == "not_started"
    assert first["due"] is None


def test_json_prints_chinese_as_characters(run):
    out = run("tasks", "--format", "json").stdout
    assert "深化户籍制度改革" in out
    assert "\\u" not in out


def test_tasks_csv_reads_back(run):
    rows = read_csv(run("tasks", "--doc", "gzf-2024-57", "--format", "csv").stdout)
    assert len(rows) == 39
    assert rows[3]["编号"] == "gzf-2024-57-04"
    assert rows[3]["牵头单位"] == "省住建厅"
    assert rows[1]["配合单位"] == "省教育厅、省发展改革委、省司法厅"
    assert rows[1]["状态"] == "未启动"
    assert rows[0]["内容"].startswith("深化户籍制度改革。在全面落实")


def test_tasks_markdown(run):
    lines = run("tasks", "--doc", "gzf-2024-57", "--format", "md").stdout.splitlines()
    assert lines[0].startswith("| 编号 | 文件 | 序号 |")
    assert len(lines) == 2 + 39
    assert "| gzf-2024-57-27 |" in lines[2 + 26]


def test_tasks_table(run, data, chinese):
    """Piped, the table is a line per task: each line holds that task's id, title, owners and status."""
    run("progress", "gzf-2024-57-05", "--unit", "金昌市政府", "--status", "blocked", "--note", "资金未到位",
        "--date", "2026-11-20", data=data)  # fmt: skip
    header, *lines = run("tasks", "--format", "table", data=data).stdout.splitlines()
    assert header.split() == ["编号", "任务", "牵头单位", "配合单位", "落实单位", "状态"]
    tasks = run.json("tasks", data=data)
    labels = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "blocked": "受阻"}
    for line, t in zip(lines, tasks, strict=True):
        cells = [t["id"], t["title"], *("、".join(t[role]) for role in ("lead", "support", "local"))]
        assert line.split() == [c for c in cells if c] + [labels[t["status"]]], t["id"]
    assert {t["status"] for t in tasks} == {"not_started", "blocked"}


@pytest.mark.parametrize("name", ["省住建厅", "甘肃省住房和城乡建设厅", "甘肃省住建厅"])
def test_unit_filter_accepts_every_name(run, name):
    ids = [t["id"] for t in run.json("tasks", "--unit", name)]
    # The notice of 甘政发〔2023〕73号 reaches it through 省政府各部门.
    assert ids == ["gzf-2023-73-26"] + [
        f"gzf-2024-57-{n:02d}" for n in (4, 6, 7, 9, 16, 21, 23, 24, 25, 27, 38)
    ]


def test_unit_filter_reaches_through_collectives(run):
    tasks = run.json("tasks", "--unit", "金昌市人民政府", "--doc", "gzf-2024-57")
    assert len(tasks) == 30  # item 1, the 28 items the rule covers, and item 21 which names 金昌市
    assert 21 in [t["seq"] for t in tasks]
    assert 13 not in [t["seq"] for t in tasks]


def test_doc_filter_by_number_or_id(run):
    assert run.json("tasks", "--doc", "甘政发〔2024〕57号") == run.json("tasks", "--doc", "gzf-2024-57")


def test_status_and_unowned_filters(run, data, edit):
    edit(data / "gzf-2024-57.toml", 'id = "gzf-2024-57-03"', 'id = "gzf-2024-57-03"\nstatus = "done"')
    assert [t["seq"] for t in run.json("tasks", "--status", "done", data=data)] == [3]
    assert len(run.json("tasks", "--status", "not_started", "--doc", "gzf-2024-57", data=data)) == 38
    before = run.json("tasks", "--unowned", data=data)
    assert all(t["doc_id"] != "gzf-2024-57" for t in before)
    after = (
        '\nsupport = []\nlocal = []\n\n[[tasks.basis]]\nquote = "(责任单位:省住建厅)"'
        '\n\n[[tasks]]\nid = "gzf-2024-57-28"'
    )
    edit(data / "gzf-2024-57.toml", 'lead = ["省住建厅"]' + after, "lead = []" + after)
    # Item 27 names only 省住建厅; without it the document rule still gives it local implementers.
    assert run.json("tasks", "--unowned", data=data) == before
    edit(data / "gzf-2024-57.toml", "from_seq = 2\n", "from_seq = 2\nto_seq = 26\n")
    assert [t["seq"] for t in run.json("tasks", "--unowned", "--doc", "gzf-2024-57", data=data)] == [27]


def test_bad_arguments_exit_2_with_one_message(run):
    result = run("tasks", "--unit", "省住房厅", code=2)
    assert (
        result.stderr
        == "cityplan: error: unknown unit '省住房厅'; did you mean 省住建厅, 省教育厅, 省科技厅?\n"
    )
    result = run("tasks", "--doc", "甘政发〔2024〕75号", code=2)
    assert "no document '甘政发〔2024〕75号'; did you mean 甘政发〔2024〕57号" in result.stderr
    result = run("tasks", "--status", "finished", code=2)
    assert "finished" in result.stderr
    result = run("tasks", "--data", "/nonexistent/dir", code=2)
    assert "'/nonexistent/dir' is not a directory" in result.stderr


def test_show_formats(run):
    task = run.json("show", "gzf-2024-57-26")
    assert task["lead"] == ["省政府办公厅"]  # written 省政府办公厅〔省数据局〕 in the document
    assert task["local"] == ["各市州政府", "兰州新区管委会"]
    rows = read_csv(run("show", "gzf-2024-57-26", "--format", "csv").stdout)
    assert [r["编号"] for r in rows] == ["gzf-2024-57-26"]
    md = run("show", "gzf-2024-57-26", "--format", "md").stdout
    assert md.startswith("# 推行城市数据一网通用\n")
    assert "- **依文件规定落实**：各市州政府、兰州新区管委会" in md
    table = run("show", "gzf-2024-57-26", "--format", "table").stdout
    assert "省大数据中心" in table and "推行城市数据一网通用" in table


def test_show_unknown_task(run):
    result = run("show", "gzf-2024-57-40", code=2)
    assert result.stderr.startswith("cityplan: error: no task 'gzf-2024-57-40'; did you mean gzf-2024-57-")


def test_check_json(run):
    assert run.json("check") == []


def test_version(run, chinese):
    assert run("--version").stdout == f"cityplan {__version__}（JSON 格式版本 1）\n"


def test_version_in_english(run):
    assert run("-V").stdout == f"cityplan {__version__} (JSON schema 1)\n"


def test_no_arguments_shows_help(run):
    result = run(code=2)
    assert "tasks" in result.stdout + result.stderr


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "CITYPLAN_DATA"}
    return subprocess.run(
        [sys.executable, "-m", "cityplan_cli", *args],
        cwd=cwd,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_bundled_data_works_from_any_directory(tmp_path):
    result = _cli("tasks", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 164


def test_data_from_environment_and_from_cwd(tmp_path, data, edit):
    edit(data / "gzf-2024-57.toml", 'title = "深化户籍制度改革"', 'title = "深化户籍制度改革(修订)"')
    by_env = _cli(
        "show", "gzf-2024-57-01", "-f", "json", cwd=tmp_path / "..", env={"CITYPLAN_DATA": str(data)}
    )
    assert json.loads(by_env.stdout)["title"] == "深化户籍制度改革(修订)"
    by_cwd = _cli("show", "gzf-2024-57-01", "-f", "json", cwd=data.parent)  # ./tasks
    assert json.loads(by_cwd.stdout)["title"] == "深化户籍制度改革(修订)"


def test_errors_never_print_a_traceback(tmp_path, data):
    (data / "gzf-2024-57.toml").write_bytes(b"\x00\xff\xfe garbage")
    result = _cli("tasks", cwd=tmp_path, env={"CITYPLAN_DATA": str(data)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{data / 'gzf-2024-57.toml'}:1: error:" in result.stderr


LISTINGS = [
    ("tasks",),
    ("duties", "省住建厅"),
    ("units",),
    ("unowned",),
    ("overloaded",),
    ("check",),
]


@pytest.mark.parametrize("argv", LISTINGS, ids=lambda a: a[0])
def test_every_listing_in_every_format(run, argv):
    """JSON is one array; CSV has a BOM and one row per JSON object; Markdown one line per row."""
    rows = json.loads(run(*argv, "--format", "json").stdout)
    assert isinstance(rows, list)
    assert len(read_csv(run(*argv, "--format", "csv").stdout)) == len(rows)
    md = run(*argv, "--format", "md").stdout.splitlines()
    assert md[0].startswith("| ") and md[1].startswith("|---") and len(md) == 2 + len(rows)
    table = run(*argv, "--format", "table").stdout
    # check's table is its file:line list: nothing when the data is clean.
    assert table.strip() if argv[0] != "check" else table == ""


def test_an_interrupted_command_says_so_and_exits_130(run, monkeypatch):
    """^C: one line on stderr and the shell's code for an interrupt, whichever layer sees it."""
    from cityplan_cli import queries

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "task_records", interrupted)
    result = run("unowned", code=130)
    assert result.stderr == "cityplan: interrupted\n"
