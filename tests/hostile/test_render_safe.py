"""Hostile text in the data, through every output: Markdown never carries HTML or a link from the
data, no control character reaches a terminal or breaks an xlsx or docx, CSV and xlsx never run a
formula, HTML stays escaped, JSON stays lossless."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import shutil

import pytest
import tomlkit
from docx import Document
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from cityplan_cli.render.safe import document, markdown, spreadsheet, terminal
from conftest import DATA

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<https://evil.example/>",
    "\x1b[31m红色\x1b[0m",
    "\x1b]0;改了终端标题\x07",
    "\x9b31m八位控制",
    "竖\x0b制表",
    "空\x00字符",
    "删\x7f除",
    "\u202e反转显示",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t制表开头",
    "\r回车开头",
    "行一\n行二",
    "| 管道 | 符号 |",
    "`代码`与**粗体**",
    "&lt;实体&gt;",
]
# What `check` lets into the data (control characters are refused at the door, and a title is one
# line): the rest reaches the renderers only directly (test_control_characters_never_reach_an_output).
ACCEPTED = [h for h in HOSTILE if not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e]", h)]
# What no output may carry where the data had it: escape sequences, C1 controls, bidi overrides,
# characters an XML part may not hold.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
AS_OF = "2026-11-26"
TAGS_OF_OURS = {
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "ul",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
TAGS_OF_OURS |= {"strong", "code"}


@pytest.fixture
def hostile(tmp_path, run):
    """The bundled data with the hostile strings `check` accepts as titles and texts of tasks
    各市州政府 implements, and two of them as a progress note; returns (data, {task id: string})."""
    data = tmp_path / "tasks"
    shutil.copytree(DATA, data)
    path = data / "gzf-2024-57.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    ids = [d["id"] for d in run.json("duties", "各市州政府", "--doc", "gzf-2024-57", data=data)]
    planted = dict(zip(ids, ACCEPTED, strict=False))
    assert len(planted) == len(ACCEPTED)
    for table in doc["tasks"]:
        if table["id"] in planted:
            table["title"] = planted[table["id"]]
            table["text"] = planted[table["id"]] + "。正文"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    first = ids[0]
    lead = run.json("show", first, data=data)["lead"][0]
    progress = tomlkit.document()
    progress["unit"] = lead
    record = tomlkit.table()
    record.update({"task": first, "date": tomlkit.date("2026-11-24"), "status": "in_progress"})
    record["note"] = HOSTILE[0] + HOSTILE[1]
    records = tomlkit.aot()
    records.append(record)
    progress["records"] = records
    (data / "progress").mkdir(exist_ok=True)
    (data / "progress" / f"{lead}.toml").write_text(tomlkit.dumps(progress), encoding="utf-8")
    run("check", data=data)
    return data, planted


def md_html(text: str) -> str:
    """Markdown as a viewer shows it: CommonMark with raw HTML allowed and GFM tables."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


class Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def assert_markdown_is_inert(text: str, planted: dict[str, str]) -> None:
    assert not UNSAFE.search(text)
    shown = parsed(md_html(text))
    assert shown.tags <= TAGS_OF_OURS, shown.tags - TAGS_OF_OURS
    assert not shown.attributes  # no href, no src, no onerror
    page = "".join(shown.text)
    for s in planted.values():  # each shows as the text it is (controls as pictures, lines kept)
        for line in document(s).replace("\r", "").split("\n"):
            assert line.strip() in page, line


def test_markdown_checklist_report_and_listings(run, hostile, tmp_path):
    data, planted = hostile
    run("checklist", "各市州政府", "-f", "md", "--out", tmp_path, data=data)
    assert_markdown_is_inert((tmp_path / "各市州政府.md").read_text(encoding="utf-8"), planted)
    report = run("report", "--as-of", AS_OF, "--format", "md", data=data).stdout
    assert "## 本周进展（1）" in report
    assert_markdown_is_inert(report, planted)  # every task is listed under its lead unit
    assert_markdown_is_inert(run("tasks", "--doc", "gzf-2024-57", "-f", "md", data=data).stdout, planted)
    first = next(iter(planted))
    assert_markdown_is_inert(run("show", first, "-f", "md", data=data).stdout, {first: planted[first]})


def test_html_report(run, hostile):
    data, _ = hostile
    page = run("report", "--as-of", AS_OF, "--format", "html", data=data).stdout
    assert not UNSAFE.search(page)
    shown = parsed(page)
    assert "img" not in shown.tags and "script" not in shown.tags
    assert not [a for a in shown.attributes if a[0].startswith("on") or "javascript" in (a[1] or "")]
    assert document(HOSTILE[0]) in "".join(shown.text)


def test_csv(run, hostile, tmp_path):
    data, planted = hostile
    run("checklist", "各市州政府", "-f", "csv", "--out", tmp_path, data=data)
    for text in (
        (tmp_path / "各市州政府.csv").read_bytes().decode("utf-8"),  # as written: \r and all
        run("tasks", "--doc", "gzf-2024-57", "-f", "csv", data=data).stdout,
    ):
        assert not UNSAFE.search(text)
        rows = {r["编号"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
        for task, s in planted.items():
            assert rows[task]["任务"] == spreadsheet(s)
            assert not rows[task]["任务"].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_ledger_and_checklist(run, hostile, tmp_path):
    data, planted = hostile
    run("export", "--out", tmp_path / "l.xlsx", "--as-of", AS_OF, data=data)
    run("checklist", "各市州政府", "-f", "xlsx", "--out", tmp_path, data=data)
    for name, top in (("l.xlsx", 1), ("各市州政府.xlsx", 2)):
        ws = load_workbook(tmp_path / name).worksheets[0]
        header = [c.value for c in ws[top]]
        rows = {r[header.index("编号")].value: r for r in ws.iter_rows(min_row=top + 1)}
        for task, s in planted.items():
            cell = rows[task][header.index("任务")]
            assert cell.value == document(s)
            assert cell.data_type == "s"
            assert cell.quotePrefix == s.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_docx_checklist(run, hostile, tmp_path):
    data, planted = hostile
    run("checklist", "各市州政府", "-f", "docx", "--out", tmp_path, data=data)
    doc = Document(tmp_path / "各市州政府.docx")
    rows = {r.cells[0].text: r for t in doc.tables for r in t.rows[1:]}
    for task, s in planted.items():
        shown = rows[task].cells[1].text.split("\n（")[0]
        assert shown == document(s).replace("\r", "\n"), task


@pytest.mark.parametrize("argv", [("tasks", "--doc", "gzf-2024-57"), ("duties", "各市州政府")])
def test_tables_and_json(run, hostile, argv):
    data, planted = hostile
    table = run(*argv, "-f", "table", data=data).stdout
    assert not UNSAFE.search(table) and "\r" not in table and "\t" not in table
    assert "&lt;实体&gt;" in table and "[x](javascript:alert(1))" in table  # shown, as written
    raw = run(*argv, "-f", "json", data=data).stdout
    assert not UNSAFE.search(raw)  # written as \u escapes …
    titles = {t["id"]: t["title"] for t in json.loads(raw)}
    assert {k: titles[k] for k in planted} == planted  # … and read back as they were


def test_show_table(run, hostile):
    data, planted = hostile
    for task in list(planted)[:6]:
        shown = run("show", task, "-f", "table", data=data).stdout
        assert not UNSAFE.search(shown) and "\r" not in shown


@given(st.text())
def test_safe_text_keeps_every_printable_character(text):
    """Each unsafe character becomes exactly one visible one; every other is kept where it was."""
    out = document(text)
    assert not UNSAFE.search(out) and len(out) == len(text)
    for a, b in zip(text, out, strict=True):
        assert a == b or (not a.isprintable() and b.isprintable())
    # On a screen, tabs are spaces and carriage returns are gone as well.
    assert terminal(text) == out.replace("\t", " ").replace("\r", "")


@given(st.text())
@example("    0")  # four spaces where a list item starts: indented code
@example("\t- x")
def test_markdown_from_any_text_is_only_text(text):
    shown = parsed(md_html(f"- {markdown(text)}\n"))
    assert shown.tags <= {"ul", "li", "br"}
    assert not shown.attributes


def test_control_characters_never_reach_an_output():
    """Text that came into a record some other way than through `check` is still made safe."""
    from cityplan_cli.render import Format, render
    from cityplan_cli.render.columns import TASK

    rows = [{"id": f"t-{n}", "title": h, "status": "not_started", "text": h} for n, h in enumerate(HOSTILE)]
    for fmt in (Format.table, Format.md):
        out = render(rows, TASK, fmt, width=100)
        assert not UNSAFE.search(out), fmt
    for h in HOSTILE:
        assert not UNSAFE.search(terminal(h)) and not UNSAFE.search(markdown(h))
        assert not UNSAFE.search(document(h)) and not UNSAFE.search(spreadsheet(h))


def test_tree_and_division_sheet(run, hostile, tmp_path):
    """Items that tasks beneath carry out, through `show --tree` in every format and the ledger's
    分解落实 sheet: the planted titles shown as the text they are, nothing run, nothing unsafe."""
    data, planted = hostile
    below = {i for t in run.json("tasks", data=data) for i in t["implements"]}
    linked = {task: s for task, s in planted.items() if task in below}
    assert linked
    for task, s in linked.items():
        tree = run.json("show", task, "--tree", data=data)
        assert tree["title"] == s and tree["parts"]
        assert_markdown_is_inert(run("show", task, "--tree", "-f", "md", data=data).stdout, {task: s})
        table = run("show", task, "--tree", "-f", "table", data=data).stdout
        assert not UNSAFE.search(table) and "\r" not in table and "\t" not in table
        rows = list(csv.reader(io.StringIO(run("show", task, "--tree", "-f", "csv", data=data).stdout)))
        assert not UNSAFE.search("".join(map("".join, rows)))
        assert rows[1][1:4:2] == [task, spreadsheet(s)]
    run("export", "--out", tmp_path / "l.xlsx", "--as-of", AS_OF, data=data)
    ws = load_workbook(tmp_path / "l.xlsx")["分解落实"]
    cells = {r[0].value: r[2] for r in ws.iter_rows(min_row=2) if r[0].value in linked}
    assert set(cells) == set(linked)
    for task, cell in cells.items():
        s = linked[task]
        assert (cell.value, cell.data_type) == (document(s), "s")
        assert cell.quotePrefix == s.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_tree_from_any_text_is_safe():
    """A tree drawn from records that came in some other way than through `check`."""
    from cityplan_cli.render import Format
    from cityplan_cli.render.tree import tree_text

    def node(n: int, title: str, parts: list) -> dict:
        return {
            "id": f"t-{n}",
            "doc": title,
            "issuer": title,
            "title": title,
            "status": "blocked",
            "light": "red",
            "reasons": [title],
            "parts": parts,
        }

    def part(unit: str, tasks: list) -> dict:
        return {
            "unit": unit,
            "status": "blocked",
            "source": "derived",
            "recorded": None,
            "derived": "blocked",
            "disagrees": False,
            "blocked": [unit],
            "tasks": tasks,
        }

    root = node(0, HOSTILE[5], [part(h, [node(n, h, [])]) for n, h in enumerate(HOSTILE, 1)])
    for fmt in (Format.table, Format.md):
        for width in (None, 40):
            out = tree_text(root, fmt, width=width)
            assert not UNSAFE.search(out) and "\r" not in out, fmt
    assert not UNSAFE.search(tree_text(root, Format.csv).replace("\r\n", "\n"))
