"""The graph summary as text."""

from __future__ import annotations

from typing import Any

from cityplan_cli.model import ROLE_LABELS
from cityplan_cli.render import Format, render, to_json
from cityplan_cli.render.columns import SUMMARY

_NODE_LABELS = {"document": "文件", "task": "任务", "unit": "单位", "collective": "集合"}
_EDGE_LABELS = {**ROLE_LABELS, "member": "集合成员", "contains": "文件所含任务", "implements": "承接上级任务"}


def summary_text(record: dict[str, Any], fmt: Format, width: int | None = None, plain: bool = False) -> str:
    """`width` and `plain` as for `render`."""
    if fmt is Format.json:
        return to_json(record)
    rows = [{"measure": f"节点：{_NODE_LABELS.get(k, k)}", "value": v} for k, v in record["nodes"].items()]
    rows += [{"measure": f"关系：{_EDGE_LABELS.get(k, k)}", "value": v} for k, v in record["edges"].items()]
    sizes = record["components"]
    rows.append(
        {"measure": "连通部分", "value": f"{len(sizes)} 个（节点数 {'、'.join(map(str, sizes[:10]))}）"}
    )
    rows += [
        {"measure": f"负荷第 {i} 位", "value": f"{u['unit']} {u['load']:g}"}
        for i, u in enumerate(record["top_load"], 1)
    ]
    rows += [
        {"measure": f"中介中心性第 {i} 位", "value": f"{u['unit']} {u['betweenness']:.4f}"}
        for i, u in enumerate(record["top_betweenness"], 1)
    ]
    return render(rows, SUMMARY, fmt, width=width, plain=plain)
