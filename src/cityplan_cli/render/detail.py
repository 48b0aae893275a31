"""One task in full."""

from __future__ import annotations

from typing import Any

from cityplan_cli.render import Column, Format, cells, render, role_label, status_label, to_json
from cityplan_cli.render.columns import TASK
from cityplan_cli.render.markdown import escape


def _pairs(record: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = list(zip([c.label for c in TASK], cells(record, TASK), strict=True))
    doc = record["doc"] or record["doc_title"] or record["doc_id"]
    pairs[1] = ("文件", f"{doc} {record['doc_title']}" if record["doc"] else doc)
    if record["local_by_rule"]:
        pairs.append(("依文件规定落实", "、".join(record["local_by_rule"])))
    return pairs


def _percent(value: Any) -> str:
    return "" if value is None else f"{value}%"


PROGRESS = (
    Column("date", "日期"),
    Column("unit", "单位"),
    Column("status", "状态", status_label),
    Column("percent", "进度", _percent),
    Column("note", "说明"),
)

PARTS = (
    Column("unit", "单位"),
    Column("role", "职责", role_label),
    Column("via", "经由"),
    Column("status", "状态", lambda v: "未报告" if v is None else status_label(v)),
    Column("date", "日期"),
    Column("percent", "进度", _percent),
    Column("note", "说明"),
)


def _standing(record: dict[str, Any]) -> str:
    """What became of a record, and what it does to another."""
    said = []
    if record["amends"]:
        said.append(f"更正 {record['amends']}")
    if record["withdraws"]:
        said.append(f"撤回 {record['withdraws']}")
    if record["amended_by"]:
        said.append(f"已被 {record['amended_by']} 更正")
    if record["withdrawn_by"]:
        said.append(f"已被 {record['withdrawn_by']} 撤回")
    return "；".join(said)


HISTORY = (
    Column("id", "记录编号"),
    Column("date", "日期"),
    Column("unit", "单位"),
    Column("status", "状态", lambda v: "撤回" if v is None else status_label(v)),
    Column("percent", "进度", _percent),
    Column("note", "说明"),
    Column("by", "录入人"),
    Column("entered", "录入时间"),
    Column("standing", "更正与撤回"),
)


BASIS = (
    Column("role", "职责", role_label),
    Column("unit", "单位"),
    Column("grounds", "依据", lambda grounds: "；".join(_ground(g) for g in grounds) or "（无）"),
)
_HOW = {"addressee": "主送单位", "collective": "所属集合", "column": "分工表列", "rule": "文件规定"}


def _ground(g: dict[str, Any]) -> str:
    said = [
        x
        for x in (_HOW.get(g["how"], ""), f"原文第 {g['source_line']} 行" if g.get("source_line") else "")
        if x
    ]
    note = f"（{g['note']}）" if g.get("note") else ""
    return f"「{g['text']}」" + (f"（{'，'.join(said)}）" if said else "") + note


def task_detail(record: dict[str, Any], fmt: Format) -> str:
    if fmt is Format.json:
        return to_json(record)
    if fmt is Format.csv:
        return render([record], TASK, fmt)
    if fmt is Format.md:
        lines = [f"# {escape(record['title'])}", ""]
        lines += [f"- **{label}**：{escape(value)}" for label, value in _pairs(record)]
        if record.get("basis"):
            lines += ["", "## 责任依据", "", render(record["basis"], BASIS, fmt).rstrip()]
        for rows, title, columns in _tables(record):
            lines += ["", f"## {title}", "", render(rows, columns, fmt).rstrip()]
        return "\n".join(lines) + "\n"
    from rich.table import Table

    from cityplan_cli.render.table import capture

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in _pairs(record):
        grid.add_row(label, value)
    basis = render(record["basis"], BASIS, fmt, title="责任依据") if record.get("basis") else ""
    tables = "".join(render(rows, columns, fmt, title=title) for rows, title, columns in _tables(record))
    return capture(grid) + basis + tables


def _tables(record: dict[str, Any]) -> list[tuple[list[dict[str, Any]], str, tuple[Column, ...]]]:
    """The task's progress tables that have rows: each owner's part, the records that count, and
    (show --history) every record."""
    history = [{**row, "standing": _standing(row)} for row in record.get("history") or ()]
    wanted = (
        (record.get("parts"), "各单位进展", PARTS),
        (record.get("progress"), "进展记录", PROGRESS),
        (history, "全部记录", HISTORY),
    )
    return [(rows, title, columns) for rows, title, columns in wanted if rows]


UNIT_CARD = (
    ("name", "单位"),
    ("full_name", "全称"),
    ("aliases", "别名"),
    ("kind", "类别"),
    ("parent", "上级"),
    ("members", "成员"),
    ("lead_count", "牵头"),
    ("support_count", "配合"),
    ("local_count", "落实"),
    ("load", "负荷"),
    ("capacity", "上限"),
    ("capacity_basis", "上限依据"),
)


def unit_cards(records: list[dict[str, Any]], fmt: Format) -> str:
    """Units in full, one card each: names, kind, parent, members, counts, load and contacts."""
    from cityplan_cli.render import CONTACT_LABELS
    from cityplan_cli.render.columns import UNIT

    if fmt is Format.json:
        return to_json(records)
    if fmt is Format.csv:
        return render(records, UNIT, fmt)

    def pairs(r: dict[str, Any]) -> list[tuple[str, str]]:
        out = [(label, cells({"v": r[key]}, (Column("v", label),))[0]) for key, label in UNIT_CARD]
        out += [(label, r["contact"][key]) for key, label in CONTACT_LABELS.items() if key in r["contact"]]
        return [(label, value) for label, value in out if value not in ("", "None")]

    if fmt is Format.md:
        parts = []
        for r in records:
            parts.append(
                f"## {escape(r['name'])}\n\n" + "\n".join(f"- **{k}**：{escape(v)}" for k, v in pairs(r))
            )
        return "\n\n".join(parts) + "\n"
    from rich.table import Table

    from cityplan_cli.render.table import capture

    out = []
    for r in records:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in pairs(r):
            grid.add_row(label, value)
        out.append(capture(grid))
    return "\n".join(out)
