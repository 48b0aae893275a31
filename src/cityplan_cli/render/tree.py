"""A task with everything beneath it (`show --tree`): each task with its light and status, and under
it each unit's part, with the tasks that carry that part out.

On a terminal the tree is drawn with guides (├── └── │), each line wrapped to the width under its
own guide; JSON nests the records; CSV and Markdown give a row, or a list item, a line. Text from
the data is made safe for each as every listing's is (render.safe)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.cells import cell_len

from cityplan_cli.render import Format, render, status_label, to_json
from cityplan_cli.render.columns import TREE
from cityplan_cli.render.safe import markdown as escape
from cityplan_cli.render.safe import terminal
from cityplan_cli.tracking import LIGHT_LABELS

SOURCES = {"recorded": "自报", "derived": "下级汇总", "none": "尚无进展"}
BRANCH, LAST, PIPE, SPACE = "├── ", "└── ", "│   ", "    "


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


def _children(kind: str, record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A task's parts, or a part's tasks."""
    if kind == "task":
        return [("part", p) for p in record["parts"]]
    return [("task", t) for t in record["tasks"]]


def _walk(node: dict[str, Any]) -> Iterator[tuple[int, str, dict[str, Any], tuple[bool, ...]]]:
    """(depth, "task" or "part", record, for each level down to it whether it is the last there),
    depth first, parts one level under their task."""
    stack: list[tuple[int, str, dict[str, Any], tuple[bool, ...]]] = [(0, "task", node, ())]
    while stack:
        level, kind, record, lasts = stack.pop()
        yield level, kind, record, lasts
        children = _children(kind, record)
        stack += reversed(
            [
                (level + 1, child_kind, child, (*lasts, n == len(children) - 1))
                for n, (child_kind, child) in enumerate(children)
            ]
        )


def _text(kind: str, record: dict[str, Any]) -> str:
    if kind == "part":
        return part_line(record)
    light, text = task_line(record)
    return f"{light} {text}"


def _rows(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The tree as rows of TREE: a task's issuer as its unit, a part's words as its note."""
    rows = []
    for level, kind, r, _ in _walk(node):
        if kind == "task":
            row = {"level": level, "id": r["id"], "unit": r["issuer"], "title": r["title"]}
            row |= {"status": r["status"], "light": r["light"], "note": "；".join(r["reasons"])}
        else:
            row = {"level": level, "id": "", "unit": r["unit"], "title": ""}
            row |= {"status": r["status"], "light": None, "note": part_line(r)}
        rows.append(row)
    return rows


def tree_text(node: dict[str, Any], fmt: Format, width: int | None = None, plain: bool = False) -> str:
    """`width` and `plain` as for `render`: a terminal's width (None: nothing wraps); a tree has no
    rules to leave out."""
    if fmt is Format.json:
        return to_json(node)
    if fmt is Format.csv:
        return render(_rows(node), TREE, fmt)
    if fmt is Format.md:
        lines = [f"{'  ' * level}- {escape(_text(kind, r))}" for level, kind, r, _ in _walk(node)]
        return "\n".join(lines) + "\n"
    from cityplan_cli.render.table import wrap

    lines = []
    for level, kind, r, lasts in _walk(node):
        above = "".join(SPACE if last else PIPE for last in lasts[:-1])
        first = above + ((LAST if lasts[-1] else BRANCH) if level else "")
        rest = above + ((SPACE if lasts[-1] else PIPE) if level else "")  # the siblings' guide runs on
        text = terminal(_text(kind, r))
        room = None if width is None else max(width - cell_len(first), 16)
        wrapped = wrap(text, room) if room is not None else text.split("\n")
        lines.append(first + wrapped[0])
        lines += [(rest + line).rstrip() for line in wrapped[1:]]
    return "\n".join(lines) + "\n"
