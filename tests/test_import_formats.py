"""`cityplan import` of the files offices receive: a Word and an Excel 分工表 built here, the PDF
LibreOffice makes of them, old Word files through LibreOffice, the ledger `cityplan export` writes;
and what import writes beside the owners: due dates, milestones, the words behind every owner."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from cityplan_cli.load import tomllib

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

# A 分工表 as a district sends it: the header names the columns, 牵头单位 merged over two rows, a
# 配合单位 cell on two lines, deadlines in words.
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [
    [
        "1",
        "推进城镇老旧小区改造,2024年底前完成摸底调查,2025年底前全面完成改造。",
        "省住建厅",
        "省发展改革委\n省财政厅",
        "2025年底前",
    ],
    ["2", "完善社区养老服务设施。", "省民政厅", "省卫生健康委", "2024年6月底前"],
    ["3", "建设城市运行管理服务平台。", "省民政厅", "省工信厅、省数据局", "2025年第三季度"],
    ["4", "加强历史文化街区保护。", "省文旅厅", "", "长期坚持"],
    ["5", "开展城市体检。", "省住建厅", "某某研究院", "视情况推进"],
]
OWNERS = [  # what the rows state, by the registry's names
    (["省住建厅"], ["省发展改革委", "省财政厅"], "2025-12-31"),
    (["省民政厅"], ["省卫生健康委"], "2024-06-30"),
    (["省民政厅"], ["省工信厅", "省政府办公厅"], "2025-09-30"),
    (["省文旅厅"], [], None),
    (["省住建厅"], ["某某研究院"], None),
]


def build_docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("甘住建发〔2025〕7号")
    doc.add_paragraph("各市、自治州人民政府,省直有关部门:")
    doc.add_paragraph("城市更新重点任务分工方案")
    table = doc.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    table.style = "Table Grid"  # ruled, as 分工表 are: a PDF of it shows its cells
    for i, text in enumerate(HEADER):
        table.cell(0, i).text = text
    for r, row in enumerate(ROWS, 1):
        for c, text in enumerate(row):
            if r == 3 and c == 2:
                continue  # merged with the row above
            cell = table.cell(r, c)
            first, *more = text.split("\n")
            cell.text = first
            for line in more:
                cell.add_paragraph(line)
    table.cell(2, 2).merge(table.cell(3, 2))
    doc.save(path)
    return path


def build_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["城市更新重点任务分工表"])  # a title row above the header
    order = [4, 2, 0, 1, 3]  # any column order: 完成时限, 牵头单位, 序号, 重点任务, 配合单位
    ws.append([HEADER[i] for i in order])
    for r, row in enumerate(ROWS):
        ws.append([None if (r == 2 and i == 2) else row[i] for i in order])
    ws.merge_cells("B4:B5")  # 牵头单位 of rows 2 and 3
    wb.save(path)
    return path


def imported(run, source: Path, data: Path, *extra: str) -> tuple[list[dict], str, Path]:
    out = data.parent / "out"
    result = run("import", source, "--out", out, *extra, data=data)
    (path,) = sorted(out.glob("*.toml"))
    return tomllib.loads(path.read_text(encoding="utf-8"))["tasks"], result.stderr, out


def check_table(tasks: list[dict], out: Path) -> None:
    assert [t["title"] for t in tasks] == [r[1].split("。")[0] for r in ROWS]
    for task, (lead, support, due) in zip(tasks, OWNERS, strict=True):
        assert (task["lead"], task["support"]) == (lead, support)
        assert (str(task["due"]) if "due" in task else None) == due
    # Every owner's basis is the cell under its column, as the text read has it.
    source = (out / "sources" / f"{tasks[0]['id'].rsplit('-', 1)[0]}.txt").read_text(encoding="utf-8")
    for task in tasks:
        for basis in task["basis"]:
            assert basis["how"] == "column" and basis["quote"] in source


def test_word_table(run, registry_only, tmp_path):
    tasks, report, out = imported(run, build_docx(tmp_path / "分工方案.docx"), registry_only)
    check_table(tasks, out)
    assert tasks[0]["milestones"] == [{"date": dt.date(2024, 12, 31), "text": "2024年底前完成摸底调查"}]
    assert tasks[0]["due_text"] == "2025年底前"
    assert "1 分工表" in report
    assert "deadline not understood" in report and "视情况推进" in report
    assert "某某研究院" in report  # not registered: kept as written and listed


def test_excel_table_any_column_order_and_merged_cells(run, registry_only, tmp_path):
    tasks, _, out = imported(run, build_xlsx(tmp_path / "分工表.xlsx"), registry_only)
    check_table(tasks, out)


def test_csv_table(run, registry_only, tmp_path):
    import csv

    path = tmp_path / "分工表.csv"
    with path.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    tasks, report, out = imported(run, path, registry_only)
    check_table(tasks, out)
    assert "not UTF-8" in report


def convert(docx: Path, to: str) -> Path:
    profile = (docx.parent / "lo").as_uri()  # a profile of its own: another soffice may be running
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", to]
    subprocess.run(
        [*command, "--outdir", str(docx.parent), str(docx)], check=True, capture_output=True, timeout=180
    )
    return docx.with_suffix(f".{to}")


@needs_soffice
def test_pdf_made_by_libreoffice(run, registry_only, tmp_path):
    convert(build_docx(tmp_path / "分工方案.docx"), "pdf")
    tasks, _, out = imported(run, tmp_path / "分工方案.pdf", registry_only)
    check_table(tasks, out)


@needs_soffice
def test_rtf_through_libreoffice(run, registry_only, tmp_path):
    convert(build_docx(tmp_path / "分工方案.docx"), "rtf")
    tasks, report, out = imported(run, tmp_path / "分工方案.rtf", registry_only)
    check_table(tasks, out)
    assert "converted from .rtf by LibreOffice" in report


def test_old_word_file_without_libreoffice(run, registry_only, tmp_path, monkeypatch):
    path = tmp_path / "通知.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = run("import", path, data=registry_only, code=2)
    assert "needs LibreOffice's soffice, which is not installed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_scanned_pdf_is_refused(run, registry_only, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "扫描件.pdf"
    with path.open("wb") as f:
        writer.write(f)
    out = tmp_path / "out"
    result = run("import", path, "--out", out, data=registry_only, code=2)
    assert "a scanned PDF without a text layer" in result.stderr and not out.exists()


def test_ledger_round_trip(run, data, tmp_path, registry_only, edit):
    """export → import gives back every task with its owners and due date."""
    edit(data / "gzf-2024-57.toml", 'id = "gzf-2024-57-04"\n', 'id = "gzf-2024-57-04"\ndue = 2026-06-30\n')
    ledger = tmp_path / "台账.xlsx"
    run("export", "--out", ledger, data=data)
    out = tmp_path / "imported"
    run("import", ledger, "--out", out, data=registry_only)
    for path in out.glob("*.toml"):
        shutil.copy(path, registry_only)
    fields = ("id", "seq", "title", "text", "lead", "support", "local", "due")

    def tasks(root: Path) -> dict:
        # A cell holds a paragraph break as a line of its own; the row reads it as a space.
        rows = run.json("tasks", data=root)
        return {t["id"]: {k: t[k].replace("\n", " ") if k == "text" else t[k] for k in fields} for t in rows}

    before, after = tasks(data), tasks(registry_only)
    assert after == before
    assert after["gzf-2024-57-04"]["due"] == "2026-06-30"
