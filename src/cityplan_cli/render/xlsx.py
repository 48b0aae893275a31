"""Excel workbooks: the ledger (台账) and a unit's checklist. Readable on open: frozen header rows,
autofilter, column widths, wrapped text; light colours as fills; no text cell Excel could run."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cityplan_cli.checklist import Checklist
from cityplan_cli.ledger import Ledger
from cityplan_cli.model import ROLE_LABELS
from cityplan_cli.render import status_label
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
WRAP = Alignment(wrap_text=True, vertical="top")


def _fill(key: str) -> PatternFill:
    return PatternFill("solid", fgColor=FILLS[key])


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write a value; text is always text, so '=…', '+…', '-…' or '@…' never becomes a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, (list, tuple)):
        value = "、".join(map(str, value))
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(("=", "+", "-", "@"))
    return cell


def _sheet(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int],
    wrap: bool = True,
) -> None:
    for col, (label, width) in enumerate(zip(header, widths, strict=True), 1):
        cell = _put(ws, 1, col, label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            cell = _put(ws, r, c, value)
            if wrap:
                cell.alignment = WRAP
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


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
    wb = Workbook()
    ws = wb.active
    ws.title = "任务总表"
    rows = [
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
        for t in led.tasks
    ]
    _sheet(ws, TASK_HEADER, rows, TASK_WIDTHS)
    light_col = TASK_HEADER.index("亮灯") + 1
    percent_col = TASK_HEADER.index("进度") + 1
    for r, task in enumerate(led.tasks, 2):
        ws.cell(row=r, column=light_col).fill = _fill(task["light"])
        ws.cell(row=r, column=percent_col).number_format = "0%"

    ws = wb.create_sheet("责任矩阵")
    _put(ws, 1, 1, f"单位 \\ 任务(牵 = 牵头,配 = 配合,落 = 落实;截至 {led.as_of})").font = Font(bold=True)
    ws.column_dimensions["A"].width = 22
    for c, task_id in enumerate(led.matrix_tasks, 2):
        cell = _put(ws, 1, c, task_id)
        cell.alignment = Alignment(text_rotation=90, horizontal="center")
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = 3.5
    ws.row_dimensions[1].height = 110
    for r, unit in enumerate(led.matrix_units, 2):
        _put(ws, r, 1, unit).font = Font(bold=True)
        for c, task_id in enumerate(led.matrix_tasks, 2):
            role = led.matrix.get((unit, task_id))
            if role:
                cell = _put(ws, r, c, MATRIX_MARK[role])
                cell.fill = _fill(role)
                cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(led.matrix_tasks) + 1)}{len(led.matrix_units) + 1}"

    ws = wb.create_sheet("单位负荷")
    header = ["单位", "全称", "类别", "牵头", "配合", "落实", "负荷", "上限", "上限依据", "超负荷"]
    rows = [
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
        for u in led.units
    ]
    _sheet(ws, header, rows, [18, 30, 12, 6, 6, 6, 8, 8, 36, 8], wrap=False)
    for r, unit in enumerate(led.units, 2):
        if unit["overloaded"]:
            for c in (1, 7, 10):
                ws.cell(row=r, column=c).fill = _fill("red")

    ws = wb.create_sheet("未落实责任")
    rows = [
        [t["id"], t["doc"] or t["doc_title"], t["seq"], t["label"], t["title"], t["text"]]
        for t in led.unowned
    ]
    _sheet(ws, ["编号", "文件", "序号", "项次", "任务", "内容"], rows, [16, 24, 6, 8, 28, 80])
    return _bytes(wb)


def checklist_xlsx(c: Checklist) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "任务清单"
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
    ]
    rows = [
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
        ]
        for i in c.items
    ]
    _sheet(ws, header, rows, [6, 18, 6, 8, 24, 60, 14, 24, 24, 12, 11, 18, 8])
    for r, item in enumerate(c.items, 2):
        ws.cell(row=r, column=1).fill = _fill(item["role"])
    info = wb.create_sheet("单位")
    pairs = [("单位", c.unit.name), ("全称", c.unit.full_name), ("类别", c.unit.kind)]
    pairs += [(label, value) for label, value in _contact_pairs(c.unit.contact)]
    for r, (label, value) in enumerate(pairs, 1):
        _put(info, r, 1, label).font = Font(bold=True)
        _put(info, r, 2, value)
    info.column_dimensions["A"].width = 10
    info.column_dimensions["B"].width = 60
    return _bytes(wb)


def _contact_pairs(contact: dict[str, str]) -> list[tuple[str, str]]:
    from cityplan_cli.render import CONTACT_LABELS

    return [(label, contact[key]) for key, label in CONTACT_LABELS.items() if key in contact]
