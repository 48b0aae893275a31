"""The responsibility graph as a picture (SVG or PNG), drawn by Graphviz: units grouped by kind,
tasks grouped by document, lead edges bold and red, support dashed blue, local dotted green.
The whole graph is laid out by fdp (groups spread over the plane), one unit's neighbourhood by dot
(units on the left, their tasks on the right)."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import _
from cityplan_cli.render.safe import document

EDGE_STYLES = {
    "lead": {"color": "#c62828", "penwidth": "2.2", "style": "solid"},
    "support": {"color": "#1565c0", "penwidth": "1.0", "style": "dashed"},
    "local": {"color": "#2e7d32", "penwidth": "1.0", "style": "dotted"},
    "member": {"color": "#9e9e9e", "penwidth": "0.8", "style": "solid", "arrowhead": "none"},
    "implements": {"color": "#6a1b9a", "penwidth": "1.4", "style": "bold", "arrowhead": "onormal"},
}
FONT = "Noto Sans CJK SC,Source Han Sans SC,Microsoft YaHei,SimHei,WenQuanYi Zen Hei,sans-serif"


def neighbourhood(g: nx.DiGraph, unit: str) -> nx.DiGraph:
    """One unit, the collectives it belongs to, its tasks, and everyone else who owns those tasks."""
    node = f"unit:{unit}"
    keep = {node} | set(nx.ancestors(g, node)) - {n for n in g if g.nodes[n]["type"] == "document"}
    tasks = {t for holder in list(keep) for t in g.successors(holder) if g.nodes[t]["type"] == "task"}
    owners = {o for t in tasks for o in g.predecessors(t) if g.nodes[o]["type"] != "document"}
    return g.subgraph(keep | tasks | owners).copy()


def picture(g: nx.DiGraph, fmt: str, layout: str = "dot") -> bytes:
    """`layout` "dot" ranks units left of their tasks, clearest for one unit's neighbourhood; "fdp"
    spreads the groups over the plane, which keeps a whole province's graph to one screen or page."""
    try:
        return diagram(g).create(prog=layout, format=fmt)
    except FileNotFoundError:
        raise CityplanError(
            _(
                "drawing a picture needs Graphviz's `dot`: install Graphviz (apt-get install graphviz; on "
                "Windows, the installer from graphviz.org) and make sure `dot` is on PATH"
            )
        ) from None


def diagram(g: nx.DiGraph) -> Any:
    """The picture's description in DOT (a pydot graph), before Graphviz lays it out."""
    import pydot

    dot = pydot.Dot(
        graph_type="digraph",
        rankdir="LR",
        ranksep="1.2",
        nodesep="0.15",
        fontname=FONT,
        charset="UTF-8",
        newrank="true",
        compound="true",
    )
    dot.set_node_defaults(fontname=FONT, fontsize="10")
    dot.set_edge_defaults(arrowsize="0.5")
    groups: dict[tuple[str, str], list[str]] = {}
    for node, data in g.nodes(data=True):
        if data["type"] in ("unit", "collective"):
            groups.setdefault(("units", data.get("kind", "")), []).append(node)
        elif data["type"] == "task":
            doc = next((p for p in g.predecessors(node) if g.nodes[p]["type"] == "document"), "")
            groups.setdefault(("tasks", g.nodes[doc]["label"] if doc else ""), []).append(node)
    # Owned: some unit or collective has a role in it. (A neighbourhood has no document nodes, and a
    # task beneath may point at a task, so the number of edges into a task says nothing.)
    unowned = {
        n
        for n, d in g.nodes(data=True)
        if d["type"] == "task" and not any(rel == "role" for _, _, rel in g.in_edges(n, data="rel"))
    }
    for n, ((side, label), nodes) in enumerate(sorted(groups.items())):
        cluster = pydot.Cluster(
            f"c{n}",
            label=_q(label),
            style="rounded,filled",
            fontname=FONT,
            fillcolor="#f3f6f9" if side == "units" else "#fffdf5",
            color="#b0bec5",
        )
        for node in nodes:
            data = g.nodes[node]
            if side == "units":
                shape = "box3d" if data["type"] == "collective" else "box"
                cluster.add_node(
                    pydot.Node(
                        _q(node), label=_q(data["label"]), shape=shape, style="filled", fillcolor="white"
                    )
                )
            elif node not in unowned:
                title = data["label"] if len(data["label"]) <= 14 else data["label"][:13] + "…"
                cluster.add_node(
                    pydot.Node(
                        _q(node),
                        label=_q(f"{node.removeprefix('task:')}\n{title}"),
                        shape="note",
                        fontsize="8",
                    )
                )
        # Tasks nobody owns have no edge to draw: one box per document says how many there are.
        idle = [n.removeprefix("task:") for n in nodes if n in unowned]
        if idle:
            text = (
                f"未落实责任单位的任务 {len(idle)} 项\n{idle[0]} … {idle[-1]}" if len(idle) > 1 else idle[0]
            )
            cluster.add_node(
                pydot.Node(
                    _q(f"unowned:{label}"),
                    label=_q(text),
                    shape="note",
                    fontsize="8",
                    style="filled",
                    fillcolor="#eeeeee",
                    color="#9e9e9e",
                )
            )
        dot.add_subgraph(cluster)
    for source, target, data in g.edges(data=True):
        if data["rel"] == "contains":
            continue
        style = EDGE_STYLES[data.get("role", data["rel"])]
        dot.add_edge(pydot.Edge(_q(source), _q(target), **style))
    return dot


def _q(text: str) -> str:
    """A quoted DOT id or label: pydot would read `unit:省住建厅` as a node with a port. JSON's quoting
    escapes C0 controls; `document` covers what it leaves."""
    return json.dumps(document(text), ensure_ascii=False)
