"""Terminal tables at 60, 80 and 120 columns: no id, number, date or phone is ever cut; text wraps;
columns empty in every row are left out; piped output has no rule."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from cityplan_cli.cli import app
from cityplan_cli.render import Format, render, unit_heading
from cityplan_cli.render.columns import DOCUMENT, DUTY, OVERLOAD, TASK, UNIT
from cityplan_cli.render.table import wrap

WIDTHS = (60, 80, 120)
LISTINGS = {
    "tasks": (("tasks",), TASK),
    "tasks --unit 省住建厅": (("tasks", "--unit", "省住建厅"), TASK),
    "duties 金昌市政府办公室信息公开科": (("duties", "金昌市政府办公室信息公开科"), DUTY),
    "duties 金昌市政府": (("duties", "金昌市政府"), DUTY),
    "docs": (("docs",), DOCUMENT),
    "unowned": (("unowned",), TASK),
    "units": (("units",), UNIT),
    "overloaded": (("overloaded",), OVERLOAD),
}


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def assert_whole(text: str, values: list[str]) -> None:
    """Each value stands whole on one line of `text`."""
    lines = lines_of(text)
    for value in values:
        assert any(value in line for line in lines), f"{value!r} is cut"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", LISTINGS)
def test_every_key_whole_at_every_width(run, name, width):
    argv, columns = LISTINGS[name]
    rows = run.json(*argv)
    text = render(rows, columns, Format.table, width=width)
    assert all(cell_len(line) <= width for line in lines_of(text)), name
    keys = [c for c in columns if c.key and not c.wide]
    assert_whole(text, [c.show(row.get(c.field)) for row in rows for c in keys if c.show(row.get(c.field))])


@pytest.mark.parametrize("width", WIDTHS)
def test_a_units_contacts_keep_their_numbers(run, width):
    """The heading of `duties`: the phone and the fax stay whole however the line wraps."""
    unit = next(u for u in run.json("units") if u["name"] == "金昌市政府办公室信息公开科")
    rows = run.json("duties", unit["name"])
    title = unit_heading(unit["name"], unit["full_name"], unit["contact"], len(rows))
    text = render(rows, DUTY, Format.table, title=title, width=width)
    assert all(cell_len(line) <= width for line in lines_of(text))
    assert_whole(text, ["0935-8220051", "0935-8213402", "737100", "8:30-12:00", "jc-xxgk-2023-02"])


def test_columns_empty_in_every_row_are_left_out(run, chinese):
    text = render(run.json("unowned"), TASK, Format.table, width=120)
    header = lines_of(text)[0].split()
    assert header == ["编号", "任务", "状态"]  # nobody owns these, and none has a due date


def test_docs_at_sixty_columns_become_cards(run, chinese):
    """Too narrow for the table without cutting 甘政发〔2024〕57号: a card per document instead."""
    docs = run.json("docs")
    text = render(docs, DOCUMENT, Format.table, width=60)
    assert "发文字号    甘政发〔2024〕57号" in lines_of(text)
    for doc in docs:  # 84, not 8
        assert f"任务数      {doc['tasks']}" in lines_of(text)
    assert text.count("编号  ") == len(docs)


def test_piped_tables_are_plain_and_one_row_a_line(run):
    rows = run.json("tasks", "--unit", "省住建厅")
    text = render(rows, TASK, Format.table, plain=True)
    lines = lines_of(text)
    assert len(lines) == 1 + len(rows)
    assert "─" not in text and "\x1b" not in text
    assert [line.split()[0] for line in lines[1:]] == [r["id"] for r in rows]


def cli(run, *argv: str, columns: int) -> str:
    result = run.runner.invoke(app, [*argv, "-f", "table"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_through_the_cli_no_id_or_number_is_cut(run, width):
    text = cli(run, "duties", "金昌市政府办公室信息公开科", columns=width)
    assert_whole(text, ["0935-8220051", "jc-xxgk-2023-02"])
    text = cli(run, "tasks", "--unit", "省住建厅", columns=width)
    assert_whole(text, [t["id"] for t in run.json("tasks", "--unit", "省住建厅")])
    text = cli(run, "docs", columns=width)
    assert_whole(text, ["甘政发〔2024〕57号", "2023-02-19", *(str(d["tasks"]) for d in run.json("docs"))])


def test_through_the_cli_tables_fit_the_terminal(run):
    text = cli(run, "tasks", "--unit", "省住建厅", columns=60)
    assert all(cell_len(line) <= 60 for line in lines_of(text))


TOKENS = st.sampled_from(
    ["gzf-2024-57-04", "0935-8220051", "2026-11-26", "737100", "84", "省住建厅", "完善", "体系", "，", "。",
     "（", "）", "、", "甘政发〔2024〕57号", "8:30-12:00", "jcsxxgkb@163.com"]
)  # fmt: skip


@given(st.lists(TOKENS, max_size=40), st.integers(min_value=16, max_value=80))
def test_wrap_loses_nothing_and_never_breaks_a_number(tokens, width):
    text = "".join(tokens)
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert all(cell_len(line) <= width for line in lines)
    for run_of_ascii in re.findall(r"[!-~]+", text):  # ids, numbers, dates, phones glued or not
        if cell_len(run_of_ascii) <= width:
            assert any(run_of_ascii in line for line in lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_tree_fits_and_keeps_every_id_whole(run, width):
    """`show --tree`: each line within the width under its guides, every task's id on one line."""
    from cityplan_cli.render.tree import tree_text

    top = next(i for t in run.json("tasks") for i in t["implements"])
    tree = run.json("show", top, "--tree")
    text = tree_text(tree, Format.table, width=width)
    assert all(cell_len(line) <= width for line in lines_of(text))
    below = [t["id"] for p in tree["parts"] for t in p["tasks"]]
    assert below and text.startswith("【")
    assert_whole(text, [top, *below])
    assert "└── " in text
    # Without a width (a pipe, a file), one line a node.
    assert len(lines_of(tree_text(tree, Format.table))) == 1 + len(tree["parts"]) + len(below)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), max_size=8)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(_TEXT, _VALUES, max_size=6) | st.lists(_VALUES, max_size=6))
def test_json_is_one_field_or_one_item_a_line_however_it_is_written(data):
    """JSON written in pieces (as the report streams it) is the same text: a document's fields, or a
    listing's items, each on a line as the JSON encoder writes it."""
    import json

    from cityplan_cli.render import to_json
    from cityplan_cli.schemas import VERSION

    text = to_json(data)
    expected = {"schema": VERSION, **data} if isinstance(data, dict) else data
    assert json.loads(text) == expected
    lines = text.splitlines()
    if not expected:
        assert lines == [json.dumps(expected)]
        return
    pairs = expected.items() if isinstance(expected, dict) else [(None, v) for v in expected]
    assert len(lines) == len(pairs) + 2
    for line, (key, value) in zip(lines[1:-1], pairs, strict=True):
        shown = json.dumps(value, ensure_ascii=False)
        field = shown if key is None else f"{json.dumps(key, ensure_ascii=False)}: {shown}"
        assert line.removesuffix(",") == f"  {field}"


@given(st.lists(st.dictionaries(_TEXT, _VALUES, min_size=1, max_size=4), min_size=1, max_size=5), st.data())
def test_json_writes_a_record_held_by_several_lists_as_the_encoder_does_each_time(records, draw):
    """A report holds each task's record under its lead and again among the red, the stale and the
    unacknowledged (the same object): each place says what json.dumps says of it."""
    import json

    from cityplan_cli.render import to_json

    def some() -> list:
        return draw.draw(st.lists(st.sampled_from(records), max_size=6))

    data = {"by_lead": [{"unit": "甲", "tasks": some()}, {"unit": "乙", "tasks": some()}], "red": some()}
    data["stale"] = some()
    lines = to_json(data).splitlines()
    for line, key in zip(lines[2:-1], data, strict=True):
        assert line.removesuffix(",") == f"  {json.dumps(key)}: {json.dumps(data[key], ensure_ascii=False)}"


@given(st.dictionaries(_TEXT, _VALUES, max_size=6), st.data())
def test_json_of_an_object_made_in_two_parts_is_the_whole(data, draw):
    """A report's fields made apart (all but the last in one process, the last in another) and
    joined are the text of the whole, byte for byte."""
    from cityplan_cli.render import json_chunks, to_json

    cut = draw.draw(st.integers(min_value=-8, max_value=8))
    head = b"".join(json_chunks(data, slice(None, cut)))
    tail = b"".join(json_chunks(data, slice(cut, None)))
    assert (head + tail).decode("utf-8") == to_json(data)
