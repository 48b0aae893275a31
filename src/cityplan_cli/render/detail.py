"""One task in full."""

from __future__ import annotations

from typing import Any

from cityplan_cli.render import Column, Format, cells, render, status_label, to_json
from cityplan_cli.render.columns import TASK
from cityplan_cli.render.markdown import escape


def _pairs(record: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = list(zip([c.label for c in TASK], cells(record, TASK), strict=True))
    doc = record["doc"] or record["doc_title"] or record["doc_id"]
    pairs[1] = ("文件", f"{doc} {record['doc_title']}" if record["doc"] else doc)
    if record["local_by_rule"]:
        pairs.append(("依文件规定落实", "、".join(record["local_by_rule"])))
    return pairs


HISTORY = (
    Column("date", "日期"),
    Column("unit", "单位"),
    Column("status", "状态", status_label),
    Column("percent", "进度", lambda v: "" if v is None else f"{v}%"),
    Column("note", "说明"),
)


def task_detail(record: dict[str, Any], fmt: Format) -> str:
    if fmt is Format.json:
        return to_json(record)
    if fmt is Format.csv:
        return render([record], TASK, fmt)
    if fmt is Format.md:
        lines = [f"# {escape(record['title'])}", ""]
        lines += [f"- **{label}**：{escape(value)}" for label, value in _pairs(record)]
        if record["progress"]:
            lines += ["", "## 进展记录", "", render(record["progress"], HISTORY, fmt).rstrip()]
        return "\n".join(lines) + "\n"
    from rich.table import Table

    from cityplan_cli.render.table import capture

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in _pairs(record):
        grid.add_row(label, value)
    history = render(record["progress"], HISTORY, fmt, title="进展记录") if record["progress"] else ""
    return capture(grid) + history
