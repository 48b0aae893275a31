"""Office output: the ledger workbook, Word and Excel checklists, pictures of the graph, and the
files opened by LibreOffice itself."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cityplan_cli.load import load
from cityplan_cli.render.columns import CHECKLIST_SHEET
from cityplan_cli.render.safe import document, formula_like
from cityplan_cli.render.workbook import Workbook
from conftest import DATA

AS_OF = "2026-11-26"


def needs(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {program} (.ci/run does)")
        pytest.skip(f"no {program} on this machine")
    return found


@pytest.fixture
def tracked(run, data, edit):
    run("progress", "gzf-2024-57-07", "--unit", "省住建厅", "--status", "blocked", "--note", "资金未到位",
        "--date", "2026-11-25", data=data)  # fmt: skip
    run("progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "in_progress", "--note", "推进中",
        "--percent", "40", "--date", "2026-11-25", data=data)  # fmt: skip
    edit(data / "gzf-2024-57.toml", 'title = "推行城市运行一网统管"', 'title = "=HYPERLINK(\\"http://x\\")"')
    return data


@pytest.fixture
def ledger(run, tracked, tmp_path):
    out = tmp_path / "台账.xlsx"
    assert run("export", "--out", out, "--as-of", AS_OF, data=tracked).stdout == f"{out}\n"
    return load_workbook(out)


def test_ledger_sheets(ledger):
    assert ledger.sheetnames == ["任务总表", "责任矩阵", "单位负荷", "未落实责任", "分解落实", "考评"]
    for ws in ledger.worksheets:
        assert ws.freeze_panes in ("A2", "C2")
        assert ws.auto_filter.ref


def test_ledger_tasks_sheet_reads_back(run, ledger, tracked):
    ws = ledger["任务总表"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    tasks = run.json("tasks", data=tracked)
    assert [r["编号"] for r in rows] == [t["id"] for t in tasks]
    for row, task in zip(rows, tasks, strict=True):
        assert row["任务"] == task["title"]
        assert (row["牵头单位"] or "") == "、".join(task["lead"])
        assert (row["配合单位"] or "") == "、".join(task["support"])
        assert (row["落实单位"] or "") == "、".join(task["local"])
    by_id = {r["编号"]: (r, i) for i, r in enumerate(rows, 2)}
    blocked, line = by_id["gzf-2024-57-07"]
    assert (blocked["状态"], blocked["亮灯"], blocked["原因"]) == (
        "受阻",
        "红灯",
        "受阻（省住建厅）：资金未到位",
    )
    light = ws.cell(row=line, column=header.index("亮灯") + 1)
    assert light.fill.fgColor.rgb.endswith("FFC7CE")  # red
    going, _ = by_id["gzf-2024-57-04"]
    assert (going["状态"], going["进度"]) == ("推进中", 0.4)
    # The formula-looking title is text, and Excel is told so.
    cell = ws.cell(row=by_id["gzf-2024-57-27"][1], column=header.index("任务") + 1)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s" and cell.quotePrefix
    assert ws.cell(row=2, column=header.index("内容") + 1).alignment.wrap_text
    assert ws.column_dimensions["G"].width >= 40


def test_ledger_matrix_reads_back(run, ledger, tracked):
    ws = ledger["责任矩阵"]  # tasks down, units across
    units = [c.value for c in ws[1]][2:]
    marks = {}
    for row in ws.iter_rows(min_row=2):
        for unit, cell in zip(units, row[2:], strict=False):
            if cell.value:
                marks[unit, row[0].value] = cell.value
    expected = {}
    for unit in units:
        for duty in run.json("duties", unit, data=tracked):
            expected[unit, duty["id"]] = {"lead": "牵", "support": "配", "local": "落"}[duty["role"]]
    assert marks == expected
    assert marks["省住建厅", "gzf-2024-57-04"] == "牵"
    assert marks["金昌市政府", "gzf-2024-57-02"] == "落"  # through 各市州政府
    owned = [t["id"] for t in run.json("tasks", data=tracked) if t["owners"]]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == owned
    # Each mark is coloured by its role, by a conditional format over the whole grid.
    colours = {
        rule.formula[0]: (str(cf.sqref), rule.dxf.fill.bgColor.rgb[-6:])
        for cf in ws.conditional_formatting
        for rule in cf.rules
    }
    grid = f"C2:{ws.cell(row=1, column=len(units) + 2).column_letter}{len(owned) + 1}"
    assert colours == {'"牵"': (grid, "F8CBAD"), '"配"': (grid, "BDD7EE"), '"落"': (grid, "C6E0B4")}


def test_ledger_load_and_unowned_sheets(run, ledger, tracked):
    ws = ledger["单位负荷"]
    header = [c.value for c in ws[1]]
    rows = {
        r[0].value: (dict(zip(header, (c.value for c in r), strict=True)), r) for r in ws.iter_rows(min_row=2)
    }
    units = {u["name"]: u for u in run.json("units", data=tracked) if not u["members"]}
    assert set(rows) == set(units)
    ndrc, cells = rows["省发展改革委"]
    assert (ndrc["负荷"], ndrc["超负荷"]) == (units["省发展改革委"]["load"], "是")
    assert cells[0].fill.fgColor.rgb.endswith("FFC7CE")
    assert rows["省司法厅"][0]["超负荷"] is None
    ws = ledger["未落实责任"]
    unowned = run.json("unowned", data=tracked)
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == [t["id"] for t in unowned]


def test_ledger_formats_read_back(ledger):
    """What makes the ledger readable on opening it, as a spreadsheet reading the file finds it."""
    ws = ledger["任务总表"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A2", f"A1:{get_column_letter(len(header))}{ws.max_row}")
    assert ws.column_dimensions[get_column_letter(col["内容"] + 1)].width == 60
    for c in ws[1]:
        assert c.font.b and c.fill.fill_type == "solid" and c.fill.fgColor.rgb.endswith("DDEBF7")
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    going = rows["gzf-2024-57-04"]
    percent = going[col["进度"]]
    assert (percent.value, percent.data_type, percent.number_format) == (0.4, "n", "0%")
    seq = going[col["序号"]]
    assert (seq.value, seq.data_type) == (4, "n")
    text = going[col["内容"]]
    assert text.data_type == "s" and text.alignment.wrap_text and text.alignment.vertical == "top"
    assert not going[col["编号"]].alignment.wrap_text  # a key is never wrapped
    assert not text.quotePrefix  # only text that would run as a formula is marked
    # Each light its own fill: the same light the same colour, every light a different one.
    fills: dict[str, set[str]] = {}
    for row in rows.values():
        light = row[col["亮灯"]]
        assert light.fill.fill_type == "solid"
        fills.setdefault(light.value, set()).add(light.fill.fgColor.rgb[-6:])
    assert fills["红灯"] == {"FFC7CE"} and fills["黄灯"] == {"FFEB9C"}
    assert all(len(colours) == 1 for colours in fills.values())
    assert len(set.union(*fills.values())) == len(fills)

    matrix = ledger["责任矩阵"]
    assert (matrix.freeze_panes, matrix.auto_filter.ref) == (
        "C2",
        f"A1:{get_column_letter(matrix.max_column)}{matrix.max_row}",
    )
    units = matrix[1][2:]
    assert units and all(c.alignment.text_rotation == 90 and c.font.b for c in units)
    assert matrix.column_dimensions["C"].width == 3.5

    ws = ledger["分解落实"]
    assert ws.sheet_properties.outlinePr.summaryBelow is False
    header = [c.value for c in ws[1]]
    levels = []
    for n, row in enumerate(ws.iter_rows(min_row=2), 2):
        indented = row[0] if row[0].value else row[header.index("单位")]  # a task's id, or an owner
        level = ws.row_dimensions[n].outlineLevel
        assert indented.alignment.indent == 2 * level and indented.alignment.wrap_text
        levels.append(level)
    assert max(levels) >= 1 and ws.sheet_format.outlineLevelRow == max(levels)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.text(min_size=1), min_size=1, max_size=4),
    st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False),
)
def test_workbook_cells_read_back_as_written(texts, number):
    """Any text reads back as text, whatever it holds (controls, XML's specials, a carriage return,
    a formula), only made safe for XML; a number reads back as the same number."""
    book = Workbook()
    wrap, plain = book.style(wrap=True), book.style()
    with book.sheet("表", [(0, 0, 10)], (1, len(texts) + 1)) as ws:
        ws.row([*texts, number], [wrap] * len(texts) + [plain])
    cells = load_workbook(io.BytesIO(book.bytes()))["表"][1]
    for text, cell in zip(texts, cells, strict=False):
        assert (cell.value, cell.data_type) == (document(text), "s")
        assert cell.quotePrefix == formula_like(text) and cell.alignment.wrap_text
    assert (cells[-1].value, cells[-1].data_type) == (number, "n")


def test_the_ledger_is_the_same_written_a_few_rows_at_a_time(run, tracked, tmp_path, monkeypatch):
    """A sheet is written some hundreds of rows at a time (render.workbook._ROWS_PER_WRITE), more
    than the bundled ledger's sheets hold: written a row at a time, every part is the same."""
    from cityplan_cli.render import workbook

    def parts(name: str) -> dict[str, bytes]:
        out = tmp_path / name
        run("export", "--out", out, "--as-of", AS_OF, data=tracked)
        with zipfile.ZipFile(out) as z:
            return {n: z.read(n) for n in z.namelist()}

    whole = parts("whole.xlsx")
    monkeypatch.setattr(workbook, "_ROWS_PER_WRITE", 1)
    assert parts("rows.xlsx") == whole
    assert whole["xl/worksheets/sheet1.xml"].count(b"<row ") > 100


def test_a_sheet_holds_the_rows_it_announced():
    """Its dimension and filter are written before its rows: a sheet short of a row is refused."""
    book = Workbook()
    with (
        pytest.raises(ValueError, match="表: 1 rows written, 2 announced"),
        book.sheet("表", [], (2, 1)) as ws,
    ):
        ws.row(["一"], [0])


def test_word_checklist(run, tmp_path):
    written = run(
        "checklist", "金昌市政务公开领导小组办公室", "省住建厅", "--format", "docx", "--out", tmp_path
    ).stdout
    assert written.splitlines() == [
        str(tmp_path / "金昌市政务公开领导小组办公室.docx"),
        str(tmp_path / "省住建厅.docx"),
    ]
    doc = Document(tmp_path / "省住建厅.docx")
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [
        round(m.cm, 1)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [3.7, 3.5, 2.8, 2.6]
    title = doc.paragraphs[0]
    assert title.text == "省住建厅任务清单"
    assert title.runs[0].font.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    texts = [p.text for p in doc.paragraphs]
    assert "单位：甘肃省住房和城乡建设厅（省住建厅）" in texts
    assert (
        "一、牵头任务（7 项）" in texts
        and "二、配合任务（4 项）" in texts
        and "三、落实任务（1 项）" in texts
    )
    assert texts[texts.index("一、牵头任务（7 项）") - 1].startswith(
        "记录进展：cityplan progress 编号 --unit 省住建厅 --status 状态 --note 说明"
    )
    lead, support, local = doc.tables  # local: the notice of 甘政发〔2023〕73号, via 省政府各部门
    header = [c.text for c in lead.rows[0].cells]
    assert header == ["编号", "任务及出处", "内容", "其他责任单位", "完成时限", "状态"]
    duties = run.json("duties", "省住建厅", "--role", "lead")
    rows = [[c.text for c in row.cells] for row in lead.rows[1:]]
    assert [r[0] for r in rows] == [d["id"] for d in duties]
    assert [r[1].split("\n")[0] for r in rows] == [d["title"] for d in duties]
    assert rows[0][1].endswith("（甘政发〔2024〕57号 第 4 项）")
    # The supporting unit is told whom to call: the lead unit, with its contact or the lack of one.
    led_by = {d["id"]: d["lead"] for d in run.json("duties", "省住建厅", "--role", "support")}
    for row in support.rows[1:]:
        for unit in led_by[row.cells[0].text]:
            assert f"牵头单位联系方式：{unit}（未登记联系方式）" in row.cells[3].text
    assert len(support.rows) == 1 + 4
    assert len(local.rows) == 1 + 1
    assert 'w:instr="PAGE"' in section.footer.paragraphs[0].paragraph_format.element.xml
    table = next(
        p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    ).blob.decode()
    assert 'w:name="仿宋_GB2312"' in table and 'w:altName w:val="仿宋"' in table
    contact = Document(tmp_path / "金昌市政务公开领导小组办公室.docx")
    assert any("jcsxxgkb@163.com" in p.text for p in contact.paragraphs)


def test_excel_checklist(run, tmp_path):
    run("checklist", "金昌市政府", "--format", "xlsx", "--out", tmp_path)
    wb = load_workbook(tmp_path / "金昌市政府.xlsx")
    ws = wb["任务清单"]
    assert ws["A1"].value.startswith("记录进展：cityplan progress 编号 --unit 金昌市政府 --status")
    duties = run.json("duties", "金昌市政府")
    last = get_column_letter(len(CHECKLIST_SHEET))
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A3", f"A2:{last}{2 + len(duties)}")
    header = [c.value for c in ws[2]]
    assert header[-2:] == ["承接上级任务", "已分解至"]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)]
    duties = run.json("duties", "金昌市政府")
    assert [r["编号"] for r in rows] == [d["id"] for d in duties]
    assert [r["任务"] for r in rows] == [d["title"] for d in duties]
    assert {r["职责"] for r in rows} == {"落实", "牵头"}
    units = {u["name"]: u for u in run.json("units")}
    for row, duty in zip(rows, duties, strict=True):  # each other lead unit's contact, or the lack of one
        for lead in (u for u in duty["lead"] if u not in ("金昌市政府", duty["via"])):
            phone = units[lead]["contact"].get("phone")
            assert (phone or f"{lead}（未登记联系方式）") in (row["牵头单位联系方式"] or "")
    assert ws["A3"].fill.fgColor.rgb.endswith("C6E0B4")  # 落实's colour
    assert wb["单位"]["B2"].value == "金昌市人民政府"


def test_checklists_give_the_lead_units_contacts(run, data, tmp_path):
    """A unit supporting a lead with a registered contact finds the lead's phone on every row."""
    units = {u["name"]: u for u in run.json("units", data=data)}
    with_contact = [n for n, u in units.items() if u["contact"].get("phone")]
    duties = {n: run.json("duties", n, "--role", "lead", data=data) for n in with_contact}
    lead, tasks = next((n, d) for n, d in duties.items() if d)
    phone = units[lead]["contact"]["phone"]
    # Make 省住建厅 support the lead's first task, then read its checklist in every format.
    task = tasks[0]["id"]
    run("assign", task, "--support", "省住建厅", data=data)
    run(
        "checklist",
        "省住建厅",
        "-f",
        "md",
        "-f",
        "csv",
        "-f",
        "xlsx",
        "-f",
        "docx",
        "--out",
        tmp_path,
        data=data,
    )
    md = (tmp_path / "省住建厅.md").read_text(encoding="utf-8")
    part = md[md.index(f"- 编号：{task}") :]
    line = next(x for x in part.split("###")[0].splitlines() if x.startswith("- 牵头单位联系方式："))
    assert f"{lead}（" in line and phone in line
    rows = list(csv.DictReader(io.StringIO((tmp_path / "省住建厅.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["编号"] == task)
    assert f"{lead}（" in row["牵头单位联系方式"] and phone in row["牵头单位联系方式"]
    ws = load_workbook(tmp_path / "省住建厅.xlsx")["任务清单"]
    header = [c.value for c in ws[2]]
    cells = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[header.index("编号")] == task)
    assert phone in cells[header.index("牵头单位联系方式")]
    doc = Document(tmp_path / "省住建厅.docx")
    word = next(r for t in doc.tables for r in t.rows if r.cells[0].text == task)
    assert phone in word.cells[3].text


def test_libreoffice_opens_them(run, tracked, tmp_path):
    soffice = needs("soffice")
    from pypdf import PdfReader

    run("export", "--out", tmp_path / "ledger.xlsx", "--as-of", AS_OF, data=tracked)
    run("checklist", "省住建厅", "--format", "docx", "--format", "xlsx", "--out", tmp_path, data=tracked)
    (tmp_path / "省住建厅.xlsx").rename(tmp_path / "checklist.xlsx")  # one PDF name per file
    files = [tmp_path / "ledger.xlsx", tmp_path / "省住建厅.docx", tmp_path / "checklist.xlsx"]
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr

    def text(name: str) -> str:
        # Table cells wrap: compare the words without the line breaks and spaces of the layout.
        pages = PdfReader(tmp_path / "pdf" / name).pages
        return "".join(page.extract_text() for page in pages).replace(" ", "").replace("\n", "")

    word = text("省住建厅.pdf")
    assert "省住建厅任务清单" in word and "健全农业转移人口住房保障体系" in word and "牵头任务" in word
    ledger = text("ledger.pdf")
    assert "gzf-2024-57-07" in ledger and "资金未到位" in ledger
    sheet = text("checklist.pdf")
    assert "健全农业转移人口住房保障体系" in sheet and "甘肃省住房和城乡建设厅" in sheet


def test_svg_names_every_unit(run, tmp_path):
    needs("dot")
    out = tmp_path / "graph.svg"
    assert run("graph", "--out", out).stdout == f"{out}\n"
    svg = ET.parse(out).getroot()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    ds, _ = load(DATA)
    assert {u.name for u in ds.registry} <= texts
    assert {"省直部门", "市州政府", "集合"} <= texts  # units grouped by kind
    styles = {p.get("stroke") for p in svg.iter("{http://www.w3.org/2000/svg}path")}
    assert {"#c62828", "#1565c0", "#2e7d32"} <= styles  # lead, support and local edges differ
    assert any(t.startswith("未落实责任单位的任务") for t in texts if t)


def test_one_units_neighbourhood(run, tmp_path):
    needs("dot")
    out = tmp_path / "unit.svg"
    run("graph", "--unit", "甘肃省住房和城乡建设厅", "--out", out)
    texts = {t.text for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert "省住建厅" in texts and "gzf-2024-57-04" in texts and "省发展改革委" in texts
    assert "省妇联" not in texts and "gzf-2023-73-01" not in texts
    png = tmp_path / "unit.png"
    run("graph", "--unit", "省住建厅", "--out", png)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_units_only_tasks_are_drawn_as_owned(run):
    """金昌经开区管委会 alone leads the three directives of 金政发〔2023〕9号: each of its tasks is a task
    node with its edge, never a grey box of tasks nobody owns."""
    from cityplan_cli import graph
    from cityplan_cli.render.graphpic import diagram, neighbourhood

    ds, _ = load(DATA)
    tasks = {d["id"] for d in run.json("duties", "金昌经开区管委会")}
    assert {"jzf-2023-9-01", "jzf-2023-9-02", "jzf-2023-9-03"} <= tasks
    dot = diagram(neighbourhood(graph.build(ds), "金昌经开区管委会"))
    names = {n.get_name().strip('"') for sub in dot.get_subgraphs() for n in sub.get_nodes()}
    assert {f"task:{t}" for t in tasks} <= names and not any(n.startswith("unowned:") for n in names)
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in dot.get_edges()}
    assert {("unit:金昌经开区管委会", f"task:{t}") for t in tasks} <= edges


def test_a_units_only_tasks_are_drawn_as_owned_in_the_picture(run, tmp_path):
    needs("dot")
    out = tmp_path / "zone.svg"
    run("graph", "--unit", "金昌经开区管委会", "--out", out)
    texts = {t.text for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert texts >= {d["id"] for d in run.json("duties", "金昌经开区管委会")}
    assert not any(t.startswith("未落实责任单位的任务") for t in texts if t)


def test_pictures_without_graphviz_get_one_message(run, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("graph", "--out", tmp_path / "g.svg", code=2)
    assert "needs Graphviz" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "g.svg").exists()


def test_progress_display_is_silent_in_scripts(run, tmp_path):
    result = run("checklist", "--all", "--out", tmp_path, "--format", "csv")
    assert result.stderr == ""
    assert run("export", "--out", tmp_path / "l.xlsx").stderr == ""


def test_progress_display_on_a_terminal(tmp_path):
    """With stderr a terminal, checklist --all shows a progress bar there; stdout still lists the files."""
    import sys
    import threading

    leader, follower = os.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cityplan_cli",
            "checklist",
            "--all",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm", "CITYPLAN_LANG": "zh"},
        check=True,
        timeout=120,
    )
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "任务清单" in shown  # the bar's label, in the language of the run
    assert len(done.stdout.decode().splitlines()) == len(list(tmp_path.glob("*.csv")))


def test_documents_are_the_same_bytes_for_the_same_data_and_day(run, tmp_path, monkeypatch):
    """Written an hour apart on the same day, a checklist in Word or Excel and the ledger are the
    same files (a job that writes them nightly commits only real changes)."""
    import time

    def write(out: Path) -> list[Path]:
        run("checklist", "省住建厅", "--format", "docx", "--format", "xlsx", "--out", out)
        run("export", "--out", out / "台账.xlsx", "--as-of", "2026-11-26")
        return [out / "省住建厅.docx", out / "省住建厅.xlsx", out / "台账.xlsx"]

    first = write(tmp_path / "first")
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    second = write(tmp_path / "second")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), b.name
    assert Document(second[0]).paragraphs[0].text == "省住建厅任务清单"
    assert load_workbook(second[2]).worksheets[0]["A1"].value == "编号"
