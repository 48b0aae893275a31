"""A task with everything beneath it (`show --tree`): each task with its light and status, and under
it each unit's part, with the tasks that carry that part out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cityplan_cli.render import Format, status_label, to_json
from cityplan_cli.render.markdown import escape
from cityplan_cli.tracking import LIGHT_LABELS

SOURCES = {"recorded": "自报", "derived": "下级汇总", "none": "尚无进展"}
STYLES = {"red": "bold red", "yellow": "yellow", "green": "green", "closed": "dim"}
COLUMNS = ("层级", "编号", "单位", "任务", "状态", "亮灯", "说明")


def task_line(node: dict[str, Any]) -> tuple[str, str]:
    """The light, and the rest of a task's line: id, title, document, status and reasons."""
    reasons = "；".join(node["reasons"])
    text = f"{node['id']} {node['title']}（{node['doc']}，{status_label(node['status'])}）"
    return f"【{LIGHT_LABELS[node['light']]}】", text + (f" {reasons}" if reasons else "")


def part_line(part: dict[str, Any]) -> str:
    status = status_label(part["status"]) if part["status"] else "尚无进展"
    line = f"{part['unit']}承担部分：{status}（{SOURCES[part['source']]}）"
    if part["disagrees"]:
        line += (
            f"；自报「{status_label(part['recorded'])}」与下级汇总「{status_label(part['derived'])}」不一致"
        )
    if part["blocked"]:
        line += "；受阻：" + "；".join(part["blocked"])
    return line


def _walk(node: dict[str, Any], depth: int = 0) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(depth, "task" or "part", record), depth first, parts one level under their task."""
    stack = [(depth, "task", node)]
    while stack:
        level, kind, record = stack.pop()
        yield level, kind, record
        children = (
            [(level + 1, "part", p) for p in record["parts"]]
            if kind == "task"
            else [(level + 1, "task", t) for t in record["tasks"]]
        )
        stack += reversed(children)


def tree_text(node: dict[str, Any], fmt: Format) -> str:
    if fmt is Format.json:
        return to_json(node)
    if fmt in (Format.csv, Format.md):
        rows = []
        for level, kind, r in _walk(node):
            if kind == "task":
                rows.append(
                    [
                        str(level),
                        r["id"],
                        r["issuer"] or "",
                        r["title"],
                        status_label(r["status"]),
                        LIGHT_LABELS[r["light"]],
                        "；".join(r["reasons"]),
                    ]
                )
            else:
                rows.append(
                    [str(level), "", r["unit"], "", status_label(r["status"] or ""), "", part_line(r)]
                )
        if fmt is Format.csv:
            from cityplan_cli.render.csv import to_csv

            return to_csv(list(COLUMNS), rows)
        lines = []
        for level, kind, r in _walk(node):
            indent = "  " * level
            if kind == "task":
                light, text = task_line(r)
                lines.append(f"{indent}- {light} {escape(text)}")
            else:
                lines.append(f"{indent}- {escape(part_line(r))}")
        return "\n".join(lines) + "\n"
    from rich.text import Text
    from rich.tree import Tree

    from cityplan_cli.render.table import capture

    def label(kind: str, r: dict[str, Any]) -> Text:
        if kind == "part":
            return Text(part_line(r), style="italic")
        light, text = task_line(r)
        return Text.assemble((light, STYLES[r["light"]]), " ", text)

    root = Tree(label("task", node))
    branches: dict[int, Tree] = {}
    for level, kind, r in _walk(node):
        if level == 0:
            branches[0] = root
            continue
        branches[level] = branches[level - 1].add(label(kind, r))
    return capture(root)
