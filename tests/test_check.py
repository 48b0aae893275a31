"""`cityplan check`: every kind of problem is reported as file:line, and errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DOC = "gzf-2024-57.toml"


def problems(run, data: Path, *extra: str, code: int = 2) -> list[dict]:
    return json.loads(run("check", "--format", "json", *extra, data=data, code=code).stdout)


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing `text`."""
    hits = [no for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return hits[occurrence - 1]


def only(found: list[dict], severity: str = "error") -> dict:
    matching = [p for p in found if p["severity"] == severity]
    assert len(matching) == 1, found
    return matching[0]


def test_bundled_data_is_clean(run, data):
    result = run("check", "--strict", data=data)
    assert result.stdout == ""
    assert "6 documents, 164 tasks" in result.stderr
    assert "0 errors, 0 warnings" in result.stderr


def test_toml_syntax_error(run, data, edit):
    edit(data / DOC, 'title = "深化户籍制度改革"', 'title = "深化户籍制度改革')
    p = only(problems(run, data))
    assert p["file"].endswith(DOC)
    assert p["line"] == line_of(data / DOC, 'title = "深化户籍制度改革')
    assert "TOML syntax error" in p["message"]


def test_table_output_is_file_line_message(run, data, edit):
    edit(data / DOC, "seq = 4\n", 'seq = "4"\n')
    out = run("check", "--format", "table", data=data, code=2).stdout
    line = line_of(data / DOC, 'seq = "4"')
    assert out == f"{data / DOC}:{line}: error: 'seq' must be an integer, not the string '4'\n"


def test_missing_field(run, data, edit):
    edit(data / DOC, 'title = "健全农业转移人口住房保障体系"\n', "")
    p = only(problems(run, data))
    assert p["message"] == "missing field 'title' (a string)"
    # The task's [[tasks]] header: the line just above its id.
    assert p["line"] == line_of(data / DOC, 'id = "gzf-2024-57-04"') - 1


# What follows item 4's lead in the bundled 57号 file, so that an edit hits item 4 only.
ITEM_4_END = (
    '\nsupport = []\nlocal = []\n\n[[tasks.basis]]\nquote = "(责任单位:省住建厅)"'
    '\n\n[[tasks]]\nid = "gzf-2024-57-05"'
)


@pytest.mark.parametrize(
    ("lead", "message"),
    [
        ('lead = "省住建厅"', "'lead' must be a list of strings"),
        ('lead = ["省住房厅"]', "lead: unknown unit '省住房厅'; did you mean 省住建厅"),
    ],
    ids=["mistyped list", "unknown unit names the closest"],
)
def test_a_wrong_lead_is_named_at_its_line(run, data, edit, lead, message):
    edit(data / DOC, 'lead = ["省住建厅"]' + ITEM_4_END, lead + ITEM_4_END)
    p = only(problems(run, data))
    assert p["line"] == line_of(data / DOC, lead)
    assert p["message"].startswith(message)


def test_duplicate_task_id(run, data, edit):
    edit(data / DOC, 'id = "gzf-2024-57-07"', 'id = "gzf-2024-57-06"')  # no task implements 07
    p = only(problems(run, data))
    assert p["line"] == line_of(data / DOC, 'id = "gzf-2024-57-06"', occurrence=2)
    first = line_of(data / DOC, 'id = "gzf-2024-57-06"')
    assert p["message"] == f"duplicate task id 'gzf-2024-57-06' (first at {data / DOC}:{first})"


def test_duplicate_task_id_across_files(run, data):
    text = (data / DOC).read_text(encoding="utf-8").replace('id = "gzf-2024-57"', 'id = "copy"')
    (data / "copy.toml").write_text(text, encoding="utf-8")
    found = problems(run, data)
    assert len(found) == 39
    assert all(p["file"].endswith("gzf-2024-57.toml") for p in found)  # sorted: copy.toml comes first


def test_duplicate_seq(run, data, edit):
    edit(data / DOC, "seq = 5\n", "seq = 4\n")
    found = problems(run, data)
    dup = [p for p in found if p["message"].startswith("duplicate seq")]
    assert len(dup) == 1
    assert dup[0]["line"] == line_of(data / DOC, "seq = 4", occurrence=2)
    missing = [p for p in found if p["message"].startswith("missing seq")]
    assert missing[0]["message"] == "missing seq 5 (items are numbered 1 to 39)"
    assert missing[0]["line"] == line_of(data / DOC, "[document]")


def test_missing_seq(run, data, edit):
    text = (data / DOC).read_text(encoding="utf-8")
    start = text.index('[[tasks]]\nid = "gzf-2024-57-07"')
    end = text.index('[[tasks]]\nid = "gzf-2024-57-08"')
    (data / DOC).write_text(text[:start] + text[end:], encoding="utf-8")
    p = only(problems(run, data))
    assert p["message"] == "missing seq 7 (items are numbered 1 to 39)"
    assert p["line"] == line_of(data / DOC, "[document]")


def test_full_names_and_aliases_are_accepted_in_data(run, data, edit):
    edit(
        data / DOC,
        'lead = ["省人社厅"]\nsupport = ["省教育厅", "省发展改革委", "省司法厅"]',
        'lead = ["甘肃省人力资源和社会保障厅"]\nsupport = ["省教育厅", "省发改委", "省司法厅"]',
    )
    assert problems(run, data, code=0) == []
    task = run.json("show", "gzf-2024-57-02", data=data)
    assert task["lead"] == ["省人社厅"]
    assert task["support"] == ["省教育厅", "省发展改革委", "省司法厅"]


def test_one_name_for_two_units(run, data, edit):
    edit(data / "units.toml", 'aliases = ["省交通厅"]', 'aliases = ["省交通厅", "省发改委"]')
    p = only(problems(run, data))
    assert p["file"].endswith("units.toml")
    assert p["line"] == line_of(data / "units.toml", 'name = "省交通运输厅"') - 1
    assert p["message"] == "name '省发改委' is registered for both '省发展改革委' and '省交通运输厅'"


def test_collective_with_unknown_member(run, data, edit):
    edit(data / "units.toml", '"兰州市政府", "嘉峪关市政府"', '"兰州市政府", "嘉峪关政府"')
    p = only(problems(run, data))
    assert p["line"] == line_of(data / "units.toml", "members = [")
    assert "unknown member: unknown unit '嘉峪关政府'; did you mean 嘉峪关市政府" in p["message"]


def test_document_without_tasks(run, data):
    (data / "empty.toml").write_text(
        '[document]\nid = "empty"\ntitle = "空文件"\nissuer = "甘肃省人民政府"\n', encoding="utf-8"
    )
    p = only(problems(run, data))
    assert (p["file"], p["line"]) == (str(data / "empty.toml"), 1)
    assert p["message"] == "the document has no tasks ([[tasks]])"


def test_missing_document_table(run, data):
    (data / "bare.toml").write_text('[[tasks]]\nid = "x-1"\nseq = 1\ntitle = "t"\n', encoding="utf-8")
    p = only(problems(run, data))
    assert (p["file"], p["line"]) == (str(data / "bare.toml"), 1)
    assert "missing the [document] table" in p["message"]


def test_warnings_become_errors_with_strict(run, data, edit):
    edit(data / DOC, 'id = "gzf-2024-57-09"', 'id = "gzf-2024-57-09"\nowner = "省住建厅"')
    warning = only(problems(run, data, code=0), "warning")
    assert warning["line"] == line_of(data / DOC, 'owner = "省住建厅"')
    assert warning["message"].startswith("unknown field 'owner'")
    problems(run, data, "--strict", code=2)
    problems(run, data, "--fail-on-findings", code=1)


def test_unit_twice_in_one_task_is_a_warning(run, data, edit):
    edit(data / DOC, 'lead = ["省公安厅"]', 'lead = ["省公安厅"]\nsupport = ["省公安厅"]')
    text = (data / DOC).read_text(encoding="utf-8")
    (data / DOC).write_text(
        text.replace('support = ["省公安厅"]\nsupport = []', 'support = ["省公安厅"]'), "utf-8"
    )
    warning = only(problems(run, data, code=0), "warning")
    assert warning["message"] == "'省公安厅' is named twice in this task (lead and support)"


def test_bom_is_accepted(run, data):
    path = data / DOC
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert problems(run, data, code=0) == []


def test_gbk_file_is_named_as_such(run, data):
    path = data / DOC
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    p = only(problems(run, data))
    assert p["file"].endswith(DOC)
    assert p["line"] == 1
    assert "GBK" in p["message"] and "UTF-8" in p["message"]


def test_other_commands_refuse_broken_data(run, data, edit):
    edit(data / DOC, "seq = 4\n", 'seq = "4"\n')
    result = run("tasks", data=data, code=2)
    line = line_of(data / DOC, 'seq = "4"')
    assert f"{data / DOC}:{line}: error: 'seq' must be" in result.stderr
    assert result.stdout == ""
    assert "cityplan check" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_registry(run, data):
    (data / "units.toml").unlink()
    p = only(problems(run, data))
    assert (p["file"], p["line"]) == (str(data / "units.toml"), 1)
    assert p["message"] == "missing: the unit registry is required"


def test_no_documents(run, data):
    for path in data.glob("*.toml"):
        if path.name not in ("units.toml", "cityplan.toml"):
            path.unlink()
    out = run("check", data=data, code=2).stdout
    assert out == f"{data}: error: no document files (*.toml) in the data directory\n"
