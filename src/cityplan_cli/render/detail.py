"""One task in full."""

from __future__ import annotations

from typing import Any

from cityplan_cli.render import Format, cells, render, to_json
from cityplan_cli.render.columns import HISTORY, TASK
from cityplan_cli.render.safe import markdown as escape


def _pairs(record: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = list(zip([c.label for c in TASK], cells(record, TASK), strict=True))
    doc = record["doc"] or record["doc_title"] or record["doc_id"]
    pairs[1] = ("文件", f"{doc} {record['doc_title']}" if record["doc"] else doc)
    if record["local_by_rule"]:
        pairs.append(("依文件规定落实", "、".join(record["local_by_rule"])))
    return pairs


def task_detail(record: dict[str, Any], fmt: Format, width: int | None = None, plain: bool = False) -> str:
    """`width` and `plain` as for `render`: the terminal's width, and whether to draw rules."""
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
    from cityplan_cli.render.table import layout

    pairs = [[label, value] for label, value in _pairs(record) if value]
    lines = layout(None, pairs, [True, False], width)  # wrapped values still keep every number whole
    history = render(record["progress"], HISTORY, fmt, "进展记录", width, plain) if record["progress"] else ""
    return "\n".join(lines) + "\n" + ("\n" + history if history else "")
