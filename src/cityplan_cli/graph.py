"""The responsibility graph (networkx), for `cityplan graph`: its files, pictures and summary.

Nodes are strings: `doc:<id>`, `task:<id>`, `unit:<name>` (collectives are units with members).
Edges: doc → task (`rel="contains"`), unit → task (`rel="role"`, `role=lead|support|local`),
collective → member (`rel="member"`), and task → the task it carries out (`rel="implements"`).
Who must do what is asked of the index (queries.py), which answers the same relation without
building the graph.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from cityplan_cli.model import ROLES, Dataset


def unit_node(name: str) -> str:
    return f"unit:{name}"


def task_node(task_id: str) -> str:
    return f"task:{task_id}"


def doc_node(doc_id: str) -> str:
    return f"doc:{doc_id}"


def build(ds: Dataset) -> nx.DiGraph:
    g = nx.DiGraph()
    for doc in ds.documents.values():
        g.add_node(doc_node(doc.id), type="document", label=doc.number or doc.title)
    for unit in ds.registry:
        g.add_node(
            unit_node(unit.name),
            type="collective" if unit.is_collective else "unit",
            label=unit.name,
            kind=unit.kind,
        )
    for unit in ds.registry:
        for member in unit.members:
            g.add_edge(unit_node(unit.name), unit_node(ds.registry.resolve(member) or member), rel="member")
    # Tasks are most of the graph: gathered first and added in bulk, which networkx does fastest.
    nodes, edges = [], []
    for order, task in enumerate(ds.tasks):
        node = task_node(task.id)
        nodes.append((node, {"type": "task", "label": task.title, "order": order}))
        edges.append((doc_node(task.doc_id), node, {"rel": "contains"}))
        roles: dict[str, str] = {}
        for role in ROLES:
            for unit in task.role_units(role):
                roles.setdefault(unit, role)  # a unit named twice in one task keeps its first role
        edges += [(unit_node(unit), node, {"rel": "role", "role": role}) for unit, role in roles.items()]
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    g.add_edges_from(
        (task_node(task.id), task_node(target), {"rel": "implements"})
        for task in ds.tasks
        for target in task.implements
        if task_node(target) in g
    )
    return g


@dataclass(frozen=True)
class Summary:
    nodes: dict[str, int]  # by type
    edges: dict[str, int]  # by role, and "member" / "contains"
    components: list[int]  # sizes of the connected parts of the unit–task graph, largest first
    betweenness: list[tuple[str, float]]  # units by betweenness in the unit–task graph, highest first


def summary(g: nx.DiGraph, top: int = 10) -> Summary:
    nodes = Counter(data["type"] for _, data in g.nodes(data=True))
    edges = Counter(data.get("role", data["rel"]) for _, _, data in g.edges(data=True))
    # Documents join all their tasks, and links tasks across levels; leave both out so that parts and
    # betweenness speak of owners.
    owned = nx.subgraph_view(g, filter_edge=lambda u, v: g.edges[u, v]["rel"] != "implements")
    work = owned.subgraph(n for n, data in g.nodes(data=True) if data["type"] != "document").to_undirected()
    components = sorted((len(c) for c in nx.connected_components(work)), reverse=True)
    # Exact up to a few thousand nodes; sampled beyond, where exact betweenness takes minutes.
    k = None if len(work) <= 2000 else 500
    centrality = nx.betweenness_centrality(work, k=k, seed=0)
    ranked = sorted(
        ((n.removeprefix("unit:"), c) for n, c in centrality.items() if n.startswith("unit:")),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return Summary(dict(nodes), dict(edges), components, ranked[:top])
