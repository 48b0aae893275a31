"""A unit's 任务清单 as a Word document laid out as GB/T 9704 sets out for official documents:
A4, its margins, the title in 小标宋, body text in 仿宋_GB2312 三号, headings in 黑体, page numbers
— 1 — at the foot. Where a reader lacks a font, the font table names the one Word should use instead."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from cityplan_cli.checklist import Checklist
from cityplan_cli.model import ROLE_LABELS
from cityplan_cli.render import cells, contact_text
from cityplan_cli.render.checklist import STATUS_HELP, progress_command
from cityplan_cli.render.columns import CHECKLIST_WORD, PASSED_DOWN, RECEIVED, related_text
from cityplan_cli.render.safe import document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
# Fonts a machine may lack, and what stands in for each (the font table's altName).
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei"}
ORDINALS = "一二三四"  # the roles, then the tasks above and beneath
# Per column of CHECKLIST_WORD; 15.6 cm is the type area between the margins. The id's column
# holds the longest id on one line at the table's size.
TABLE_WIDTHS_CM = [2.9, 2.6, 3.7, 2.6, 2.2, 1.6]
TABLE_SIZE = 10.5  # 五号


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc: Any, text: str, font: str, size: float, *, bold: bool = False, align: Any = None) -> Any:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    _font(p.add_run(document(text)), font, size, bold)
    return p


def _with_fallbacks(package: bytes) -> bytes:
    """The saved document with each Chinese font declared in its font table, with the font to use
    where it is missing. python-docx has no API for the font table, so the saved package is edited."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/fontTable.xml":
                    root = etree.fromstring(data)
                    for name, alternative in FALLBACKS.items():
                        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
                        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternative})
                        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                target.writestr(info, data)
    return out.getvalue()


def _page_numbers(section: Any) -> None:
    """— 1 — centred at the foot of every page."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), "宋体", 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p.paragraph_format.element.append(field)
    _font(p.add_run(" —"), "宋体", 14)


def official() -> Any:
    """A new document in the 公文 layout: A4, its margins, 仿宋 三号 body, page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_numbers(section)
    return doc


def paragraph(
    doc: Any,
    text: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
) -> Any:
    """A paragraph of one run; `indent`: the first line indented two characters, as body text is."""
    p = _paragraph(doc, text, font, size, bold=bold, align=align)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    return p


def table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    """A ruled table at 五号, its header in 黑体."""
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(label), HEADING_FONT, TABLE_SIZE)
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(document(value)), BODY_FONT, TABLE_SIZE)


def saved(doc: Any, day: dt.date) -> bytes:
    """The document's bytes, the same for the same content and day: its dates are the day, and its
    package's entries carry a fixed time."""
    when = dt.datetime(day.year, day.month, day.day)
    doc.core_properties.created = doc.core_properties.modified = when
    doc.core_properties.last_printed = when
    buf = io.BytesIO()
    doc.save(buf)
    package = _with_fallbacks(buf.getvalue())
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def checklist_docx(c: Checklist, day: dt.date) -> bytes:
    """The checklist as of `day`: the same bytes for the same data and day."""
    doc = official()

    unit = c.unit
    _paragraph(doc, f"{unit.name}任务清单", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    named = unit.name if unit.full_name == unit.name else f"{unit.full_name}（{unit.name}）"
    _paragraph(doc, f"单位：{named}", BODY_FONT, 16)
    if unit.contact:
        _paragraph(doc, f"联系方式：{contact_text(unit.contact)}", BODY_FONT, 16)
    groups = c.by_role()
    counts = "、".join(f"{ROLE_LABELS[role]} {len(items)} 项" for role, items in groups.items())
    _paragraph(doc, f"任务共 {len(c.items)} 项，其中{counts}。", BODY_FONT, 16)
    _paragraph(doc, f"记录进展：{progress_command(unit.name)}（{STATUS_HELP}）。", BODY_FONT, 12)

    for n, (role, items) in enumerate(groups.items()):
        _paragraph(doc, f"{ORDINALS[n]}、{ROLE_LABELS[role]}任务（{len(items)} 项）", HEADING_FONT, 16)
        if not items:
            _paragraph(doc, "无。", BODY_FONT, 16)
            continue
        table = doc.add_table(rows=1, cols=len(CHECKLIST_WORD))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, column in zip(table.rows[0].cells, CHECKLIST_WORD, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(column.label), HEADING_FONT, TABLE_SIZE)
        for item in items:
            for cell, value in zip(table.add_row().cells, cells(item, CHECKLIST_WORD), strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(document(value)), BODY_FONT, TABLE_SIZE)
        # Fixed column widths: Word and LibreOffice both honour them only when set on the grid too.
        table.autofit = False
        for column, width in zip(table.columns, TABLE_WIDTHS_CM, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    # What the unit carries out of tasks above, and what it has handed down, item by item.
    linked = [i for i in c.items if i["received"] or i["passed_down"]]
    if linked:
        _paragraph(doc, f"{ORDINALS[len(groups)]}、上下级任务（{len(linked)} 项）", HEADING_FONT, 16)
        for item in linked:
            said = [
                f"{label}：{related_text(item[key])}"
                for key, label in ((RECEIVED.field, RECEIVED.label), (PASSED_DOWN.field, PASSED_DOWN.label))
                if item[key]
            ]
            _paragraph(doc, f"{item['id']} {item['title']}。" + "；".join(said) + "。", BODY_FONT, 16)
    return saved(doc, day)
