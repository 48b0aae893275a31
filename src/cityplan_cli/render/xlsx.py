"""Excel workbooks: the ledger (台账) and a unit's checklist. Readable on open: frozen header rows,
autofilter, column widths, wrapped text; light colours as fills; no text cell Excel could run.

Written in openpyxl's write-only mode, row by row: a province's hundred thousand tasks stay fast and
small in memory."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cityplan_cli.checklist import Checklist
from cityplan_cli.ledger import Ledger
from cityplan_cli.model import ROLE_LABELS
from cityplan_cli.render import CONTACT_LABELS, status_label
from cityplan_cli.render.checklist import related_text
from cityplan_cli.tracking import LIGHT_LABELS

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
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center")


def _fill(key: str) -> PatternFill:
    return PatternFill("solid", fgColor=FILLS[key])


def cell(ws: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    """A cell; text is always text, so '=…', '+…', '-…' or '@…' never becomes a formula."""
    if isinstance(value, (list, tuple)):
        value = "、".join(map(str, value))
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"
        c.quotePrefix = value.startswith(("=", "+", "-", "@"))
    for key, val in style.items():
        setattr(c, key, val)
    return c


def _sheet(
    wb: Workbook,
    title: str,
    header: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence[Any]],
    count: int,
    styles: dict[int, Any] | None = None,
) -> None:
    """A table with a frozen, filtered header row. `styles` maps a column to a function of the row
    number that gives that cell's style (a light's fill, a per cent's format)."""
    ws = wb.create_sheet(title)
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if count:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    ws.append([cell(ws, h, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for h in header])
    for n, row in enumerate(rows):
        out = []
        for col, value in enumerate(row):
            extra = styles[col](n) if styles and col in styles else {}
            out.append(cell(ws, value, alignment=WRAP, **extra))
        ws.append(out)


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TASK_HEADER = [
    "编号",
    "文件",
    "序号",
    "项次",
    "所属部分",
    "任务",
    "内容",
    "牵头单位",
    "配合单位",
    "落实单位",
    "分管领导",
    "状态",
    "亮灯",
    "原因",
    "完成时限",
    "办理时限",
    "最近更新",
    "进度",
    "最新进展",
]
TASK_WIDTHS = [16, 18, 6, 8, 24, 24, 60, 14, 24, 24, 10, 8, 6, 24, 11, 18, 11, 6, 30]


def ledger_xlsx(led: Ledger) -> bytes:
    wb = Workbook(write_only=True)
    tasks = led.tasks
    _sheet(
        wb,
        "任务总表",
        TASK_HEADER,
        TASK_WIDTHS,
        (
            [
                t["id"],
                t["doc"] or t["doc_title"],
                t["seq"],
                t["label"],
                t["section"],
                t["title"],
                t["text"],
                t["lead"],
                t["support"],
                t["local"],
                t["leaders"],
                status_label(t["status"]),
                LIGHT_LABELS[t["light"]],
                ";".join(t["reasons"]),
                t["due"],
                t["time_limit"],
                t["last_update"],
                None if t["percent"] is None else t["percent"] / 100,
                t["note"],
            ]
            for t in tasks
        ),
        len(tasks),
        {
            TASK_HEADER.index("亮灯"): lambda n: {"fill": _fill(tasks[n]["light"])},
            TASK_HEADER.index("进度"): lambda n: {"number_format": "0%"},
        },
    )
    _matrix(wb, led)
    units = led.units
    header = ["单位", "全称", "类别", "牵头", "配合", "落实", "负荷", "上限", "上限依据", "超负荷"]
    red = {"fill": _fill("red")}
    _sheet(
        wb,
        "单位负荷",
        header,
        [18, 30, 12, 6, 6, 6, 8, 8, 36, 8],
        (
            [
                u["name"],
                u["full_name"],
                u["kind"],
                u["lead_count"],
                u["support_count"],
                u["local_count"],
                u["load"],
                u["capacity"],
                u["capacity_basis"],
                "是" if u["overloaded"] else "",
            ]
            for u in units
        ),
        len(units),
        {col: (lambda n: red if units[n]["overloaded"] else {}) for col in (0, 6, 9)},
    )
    _sheet(
        wb,
        "未落实责任",
        ["编号", "文件", "序号", "项次", "任务", "内容"],
        [16, 24, 6, 8, 28, 80],
        (
            [t["id"], t["doc"] or t["doc_title"], t["seq"], t["label"], t["title"], t["text"]]
            for t in led.unowned
        ),
        len(led.unowned),
    )
    _hierarchy(wb, led.hierarchy)
    return _bytes(wb)


HIERARCHY_HEADER = ["编号", "文件", "任务", "单位", "职责", "状态", "亮灯", "说明"]
MAX_OUTLINE = 7  # the deepest row outline Excel groups


def _hierarchy(wb: Workbook, rows: list[dict[str, Any]]) -> None:
    """Tasks from above and what carries them out below, a level of outline grouping each: a
    province's item, the city's tasks under it, their departments under those (Excel's + and −)."""
    ws = wb.create_sheet("分解落实")
    for col, width in enumerate([22, 18, 36, 20, 6, 8, 6, 40], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(HIERARCHY_HEADER))}{len(rows) + 1}"
    ws.sheet_properties.outlinePr.summaryBelow = False  # a task's row is above the rows it groups
    ws.append([cell(ws, h, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for h in HIERARCHY_HEADER])
    # Styles made once: openpyxl looks each new one up among those it has, which costs per cell.
    indents: dict[int, Alignment] = {}
    fills = {light: _fill(light) for light in LIGHT_LABELS}
    for n, r in enumerate(rows, 2):
        level = min(r["level"], MAX_OUTLINE)
        if level:
            ws.row_dimensions[n].outlineLevel = level
        if r["level"] not in indents:
            indents[r["level"]] = Alignment(wrap_text=True, vertical="top", indent=r["level"] * 2)
        values = [
            r["id"],
            r["doc"],
            r["title"],
            r["unit"],
            ROLE_LABELS.get(r["role"], ""),
            status_label(r["status"]) if r["status"] else "",
            LIGHT_LABELS[r["light"]] if r["light"] else "",
            r["note"],
        ]
        named = 0 if r["kind"] == "task" else 3  # the task's id, or the owner's name, is indented
        row = [
            cell(ws, v, alignment=indents[r["level"]] if i == named else WRAP) for i, v in enumerate(values)
        ]
        if r["light"]:
            row[6] = cell(ws, values[6], alignment=WRAP, fill=fills[r["light"]])
        ws.append(row)


def _matrix(wb: Workbook, led: Ledger) -> None:
    """Tasks down, units across (Excel has room for a million rows but only 16,384 columns)."""
    ws = wb.create_sheet("责任矩阵")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 28
    for col in range(3, len(led.matrix_units) + 3):
        ws.column_dimensions[get_column_letter(col)].width = 3.5
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(led.matrix_units) + 2)}{len(led.matrix_tasks) + 1}"
    rotated = Alignment(text_rotation=90, horizontal="center")
    ws.append(
        [
            cell(ws, "编号", font=BOLD, fill=HEADER_FILL),
            cell(ws, "任务（牵 = 牵头，配 = 配合，落 = 落实）", font=BOLD, fill=HEADER_FILL),
        ]
        + [cell(ws, u, font=BOLD, fill=HEADER_FILL, alignment=rotated) for u in led.matrix_units]
    )
    column = {u: i for i, u in enumerate(led.matrix_units)}
    by_task: dict[str, dict[int, str]] = {}
    for (unit, task_id), role in led.matrix.items():
        if unit in column:
            by_task.setdefault(task_id, {})[column[unit]] = role
    titles = {t["id"]: t["title"] for t in led.tasks}
    for task_id in led.matrix_tasks:
        marks = by_task.get(task_id, {})
        row: list[Any] = [cell(ws, task_id), cell(ws, titles[task_id])] + [None] * (
            max(marks, default=-1) + 1
        )
        for i, role in marks.items():
            row[i + 2] = cell(ws, MATRIX_MARK[role], fill=_fill(role), alignment=CENTER)
        ws.append(row)


def checklist_xlsx(c: Checklist) -> bytes:
    wb = Workbook(write_only=True)
    header = [
        "职责",
        "文件",
        "序号",
        "项次",
        "任务",
        "内容",
        "牵头单位",
        "配合单位",
        "落实单位",
        "经由",
        "完成时限",
        "办理时限",
        "状态",
        "承接上级任务",
        "已分解至",
    ]
    items = c.items
    _sheet(
        wb,
        "任务清单",
        header,
        [6, 18, 6, 8, 24, 60, 14, 24, 24, 12, 11, 18, 8, 30, 30],
        (
            [
                ROLE_LABELS[i["role"]],
                i["doc"] or i["doc_title"],
                i["seq"],
                i["label"],
                i["title"],
                i["text"],
                i["others"]["lead"],
                i["others"]["support"],
                i["others"]["local"],
                i["via"],
                i["due"],
                i["time_limit"],
                status_label(i["status"]),
                related_text(i["received"]),
                related_text(i["passed_down"]),
            ]
            for i in items
        ),
        len(items),
        {0: lambda n: {"fill": _fill(items[n]["role"])}},
    )
    info = wb.create_sheet("单位")
    info.column_dimensions["A"].width = 10
    info.column_dimensions["B"].width = 60
    unit = c.unit
    pairs = [("单位", unit.name), ("全称", unit.full_name), ("类别", unit.kind)]
    pairs += [(label, unit.contact[key]) for key, label in CONTACT_LABELS.items() if key in unit.contact]
    for label, value in pairs:
        info.append([cell(info, label, font=BOLD), cell(info, value)])
    return _bytes(wb)
