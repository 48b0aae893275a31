"""Excel workbooks: the ledger (台账) and a unit's checklist. Readable on open: frozen header rows,
autofilter, column widths, wrapped text; light colours as fills; no text cell Excel could run, and no
character an XML part may not hold.

Written in openpyxl's write-only mode, row by row, with a few named styles made once and shared by
every cell: a province's hundred thousand tasks stay fast and small in memory."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter

from cityplan_cli.checklist import Checklist
from cityplan_cli.i18n import chinese
from cityplan_cli.ledger import Ledger
from cityplan_cli.render import CONTACT_LABELS, Column
from cityplan_cli.render.checklist import progress_hint
from cityplan_cli.render.columns import (
    CHECKLIST_SHEET,
    FULL_NAME,
    ID,
    KIND,
    LEDGER_HIERARCHY,
    LEDGER_TASK,
    LEDGER_UNIT,
    LEDGER_UNOWNED,
    LIGHT,
    LOAD,
    NAME,
    OVERLOADED,
    PERCENT,
    ROLE,
    SCORES,
    TITLE,
)
from cityplan_cli.render.safe import document, formula_like

FILLS = {
    "red": "FFC7CE",
    "yellow": "FFEB9C",
    "green": "C6EFCE",
    "closed": "D9D9D9",
    "lead": "F8CBAD",
    "support": "BDD7EE",
    "local": "C6E0B4",
}
MATRIX_MARK = {"lead": "牵", "support": "配", "local": "落"}
HEADER_FILL = "DDEBF7"
WRAP = Alignment(wrap_text=True, vertical="top")

# Named styles, made once per workbook: a cell refers to one by name instead of carrying a font,
# a fill and an alignment of its own (which cost most of the time at a hundred thousand rows).
HEADER, BODY, PERCENT_STYLE, LABEL, UNIT_HEADER = "表头", "正文", "百分比", "标签", "单位表头"


def _fill(key: str) -> str:
    return f"填充-{key}"


def _workbook() -> Workbook:
    wb = Workbook(write_only=True)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    bold = Font(bold=True)
    styles = [
        NamedStyle(HEADER, font=bold, fill=header_fill, alignment=WRAP),
        NamedStyle(BODY, alignment=WRAP),
        NamedStyle(PERCENT_STYLE, alignment=WRAP, number_format="0%"),
        NamedStyle(LABEL, font=bold),
        NamedStyle(
            UNIT_HEADER,
            font=bold,
            fill=header_fill,
            alignment=Alignment(text_rotation=90, horizontal="center"),
        ),
    ]
    for key, colour in FILLS.items():
        fill = PatternFill("solid", fgColor=colour)
        styles.append(NamedStyle(_fill(key), alignment=WRAP, fill=fill))
    for style in styles:
        wb.add_named_style(style)
    return wb


def cell(ws: Any, value: Any, style: str | None = BODY) -> WriteOnlyCell:
    """A cell; text is always text, so '=…', '+…', '-…' or '@…' never becomes a formula."""
    if isinstance(value, str):
        value = document(value)
    c = WriteOnlyCell(ws, value=value)
    if style is not None:
        c.style = style
    if isinstance(value, str):
        c.data_type = "s"
        if formula_like(value):
            c.quotePrefix = True
    return c


def plain(ws: Any, value: Any) -> Any:
    """A value with no style of its own: written as it is (the cheapest cell openpyxl writes), or as
    a text cell where Excel would take it for a formula."""
    if isinstance(value, str):
        value = document(value)
        if formula_like(value):
            return cell(ws, value, None)
    return value


def _value(column: Column, record: Mapping[str, Any]) -> Any:
    """What a cell holds: numbers as numbers, a per cent as a fraction, the rest as the column's text."""
    raw = record if column.field is None else record.get(column.field)
    if column.field == PERCENT.field:
        return None if raw is None else raw / 100
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return raw
    return column.show(raw) or None


def _sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    records: Sequence[Mapping[str, Any]],
    style_of: Mapping[str, Callable[[Mapping[str, Any]], str]] | None = None,
    note: str = "",
) -> None:
    """A table with a frozen, filtered header row (below a one-line `note`, where given). `style_of`
    maps a column's heading to the named style of its cell in a row (a light's fill)."""
    ws = wb.create_sheet(title)
    for n, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(n)].width = column.width
    top = 2 if note else 1
    ws.freeze_panes = f"A{top + 1}"
    if records:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{len(records) + top}"
    if note:
        ws.append([cell(ws, note, LABEL)])
    ws.append([cell(ws, c.label, HEADER) for c in columns])
    # Keys (ids, numbers, dates) need no wrapping: they go without a style, which at a hundred
    # thousand rows saves most of the time; text wraps; an empty cell is not written at all.
    styles = [(style_of or {}).get(c.label) for c in columns]
    for record in records:
        row = []
        for column, style in zip(columns, styles, strict=True):
            value = _value(column, record)
            if value is None:
                row.append(None)
            elif style is not None:
                row.append(cell(ws, value, style(record)))
            elif column.key:
                row.append(plain(ws, value))
            else:
                row.append(cell(ws, value))
        ws.append(row)


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_xlsx(led: Ledger) -> bytes:
    wb = _workbook()
    _sheet(
        wb,
        "任务总表",
        LEDGER_TASK,
        led.tasks,
        {
            LIGHT.label: lambda t: _fill(t["light"]),
            PERCENT.label: lambda t: PERCENT_STYLE,
        },
    )
    _matrix(wb, led)

    def overloaded(u: Mapping[str, Any]) -> str:
        return _fill("red") if u["overloaded"] else BODY

    _sheet(wb, "单位负荷", LEDGER_UNIT, led.units, {c.label: overloaded for c in (NAME, LOAD, OVERLOADED)})
    _sheet(wb, "未落实责任", LEDGER_UNOWNED, led.unowned)
    _hierarchy(wb, led.hierarchy)
    _sheet(wb, "考评", SCORES, led.scores)
    return _bytes(wb)


MAX_OUTLINE = 7  # the deepest row outline Excel groups


def _hierarchy(wb: Workbook, rows: Sequence[Mapping[str, Any]]) -> None:
    """Tasks from above and what carries them out below, a level of outline grouping each: a
    province's item, the city's tasks under it, their departments under those (Excel's + and −).
    A task's id, or an owner's name, is indented by its level; a light is filled with its colour."""
    ws = wb.create_sheet("分解落实")
    columns = LEDGER_HIERARCHY
    for n, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(n)].width = column.width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    # A write-only sheet writes its properties and outline depth with its first row: all are set first.
    ws.sheet_properties.outlinePr.summaryBelow = False  # a task's row is above the rows it groups
    for n, r in enumerate(rows, 2):
        if r["level"]:
            ws.row_dimensions[n].outlineLevel = min(r["level"], MAX_OUTLINE)
    # The depth of the outline, which Excel sizes its + and − margin by (not worked out in this mode).
    ws.sheet_format.outlineLevelRow = min(max((r["level"] for r in rows), default=0), MAX_OUTLINE)
    indented = {}
    for level in sorted({r["level"] for r in rows}):
        indented[level] = f"缩进-{level}"
        wb.add_named_style(
            NamedStyle(indented[level], alignment=Alignment(wrap_text=True, vertical="top", indent=level * 2))
        )
    ws.append([cell(ws, c.label, HEADER) for c in columns])
    named = {"task": ID.field, "owner": "unit"}  # the column indented in each kind of row
    for r in rows:
        row = []
        for column in columns:
            value = _value(column, r)
            if value is None:
                row.append(None)
            elif column.field == named[r["kind"]]:
                row.append(cell(ws, value, indented[r["level"]]))
            elif column is LIGHT:
                row.append(cell(ws, value, _fill(r["light"])))
            else:
                row.append(cell(ws, value))
        ws.append(row)


def _matrix(wb: Workbook, led: Ledger) -> None:
    """Tasks down, units across (Excel has room for a million rows but only 16,384 columns). A mark's
    colour comes from a conditional format on the whole grid, not from a style on each of the
    million marks a province has."""
    ws = wb.create_sheet("责任矩阵")
    ws.column_dimensions["A"].width = ID.width
    ws.column_dimensions["B"].width = 28
    for col in range(3, len(led.matrix_units) + 3):
        ws.column_dimensions[get_column_letter(col)].width = 3.5
    ws.freeze_panes = "C2"
    last = f"{get_column_letter(len(led.matrix_units) + 2)}{len(led.matrix_tasks) + 1}"
    ws.auto_filter.ref = f"A1:{last}"
    if led.matrix_units and led.matrix_tasks:
        for role, mark in MATRIX_MARK.items():
            fill = PatternFill("solid", fgColor=FILLS[role], bgColor=FILLS[role])
            ws.conditional_formatting.add(
                f"C2:{last}", CellIsRule(operator="equal", formula=[f'"{mark}"'], fill=fill)
            )
    legend = "，".join(f"{mark} = {ROLE.show(role)}" for role, mark in MATRIX_MARK.items())
    ws.append(
        [cell(ws, ID.label, HEADER), cell(ws, f"{TITLE.label}（{legend}）", HEADER)]
        + [cell(ws, u, UNIT_HEADER) for u in led.matrix_units]
    )
    column = {u: i for i, u in enumerate(led.matrix_units)}
    by_task: dict[str, dict[int, str]] = {}
    for (unit, task_id), role in led.matrix.items():
        if unit in column:
            by_task.setdefault(task_id, {})[column[unit]] = role
    titles = {t["id"]: t["title"] for t in led.tasks}
    for task_id in led.matrix_tasks:
        marks = by_task.get(task_id, {})
        row: list[Any] = [plain(ws, task_id), plain(ws, titles[task_id])] + [None] * (
            max(marks, default=-1) + 1
        )
        for i, role in marks.items():
            row[i + 2] = MATRIX_MARK[role]
        ws.append(row)


def checklist_xlsx(c: Checklist) -> bytes:
    wb = _workbook()
    _sheet(
        wb,
        "任务清单",
        CHECKLIST_SHEET,
        c.items,
        {ROLE.label: lambda i: _fill(i["role"])},
        note=progress_hint(c.unit.name),
    )
    info = wb.create_sheet("单位")
    info.column_dimensions["A"].width = 10
    info.column_dimensions["B"].width = 60
    unit = c.unit
    pairs = [(NAME.label, unit.name), (FULL_NAME.label, unit.full_name), (KIND.label, unit.kind)]
    pairs += [
        (chinese(label), unit.contact[key]) for key, label in CONTACT_LABELS.items() if key in unit.contact
    ]
    for label, value in pairs:
        info.append([cell(info, label, LABEL), cell(info, value)])
    return _bytes(wb)
