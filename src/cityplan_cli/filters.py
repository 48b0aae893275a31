"""Task filters: the selection every listing command shares."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from cityplan_cli import graph
from cityplan_cli.load import Dataset
from cityplan_cli.model import Task
from cityplan_cli.tracking import current_status


@dataclass(frozen=True)
class TaskFilter:
    """Canonical values only: resolve what the user typed first (Dataset.unit, Dataset.document)."""

    doc_id: str | None = None
    unit: str | None = None
    status: str | None = None
    unowned: bool = False

    def apply(self, ds: Dataset, g: nx.DiGraph) -> list[Task]:
        selected = ds.tasks
        if self.doc_id is not None:
            selected = [t for t in selected if t.doc_id == self.doc_id]
        if self.unit is not None:
            wanted = {d.task_id for d in graph.duties(g, self.unit)}
            selected = [t for t in selected if t.id in wanted]
        if self.status is not None:
            selected = [t for t in selected if current_status(ds, t) == self.status]
        if self.unowned:
            nobody = set(graph.unowned(ds, g))
            selected = [t for t in selected if t.id in nobody]
        return selected
