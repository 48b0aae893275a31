"""The graph as a file: GraphML, GEXF, node-link JSON or DOT."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

SUFFIXES = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".json": "json",
    ".dot": "dot",
    ".gv": "dot",
    ".svg": "svg",
    ".png": "png",
}
FORMATS = tuple(dict.fromkeys(SUFFIXES.values()))
PICTURES = ("svg", "png")  # drawn by render.graphpic


def format_for(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def graph_file(g: nx.DiGraph, fmt: str) -> str:
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(g)) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(g)) + "\n"
    if fmt == "json":
        return json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=2) + "\n"
    if fmt == "dot":
        # pydot reads `unit:省住建厅` as node `unit` with port `省住建厅`: quote every id.
        quoted = nx.relabel_nodes(g, {n: json.dumps(n, ensure_ascii=False) for n in g})
        return nx.nx_pydot.to_pydot(quoted).to_string()
    raise ValueError(f"unknown graph format {fmt!r}")
