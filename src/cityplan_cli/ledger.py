"""What the ledger workbook (台账) says: every task with its owners and standing, the responsibility
matrix, every unit's load, and the tasks nobody owns. Data, not formatting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import networkx as nx

from cityplan_cli import graph, workload
from cityplan_cli.load import Dataset
from cityplan_cli.records import task_record, unit_record
from cityplan_cli.tracking import states


@dataclass(frozen=True)
class Ledger:
    as_of: dt.date
    tasks: list[dict[str, Any]]  # task records with light, reasons, last update, percent, note
    matrix_units: list[str]
    matrix_tasks: list[str]
    matrix: dict[tuple[str, str], str]  # (unit, task id) → role
    units: list[dict[str, Any]]  # unit records
    unowned: list[dict[str, Any]]


def ledger(ds: Dataset, g: nx.DiGraph, as_of: dt.date) -> Ledger:
    now = states(ds, as_of)
    tasks = []
    for task in ds.tasks:
        s = now[task.id]
        tasks.append(
            {
                **task_record(task, ds),
                "status": s.status,
                "light": s.light,
                "reasons": list(s.reasons),
                "last_update": s.last_update.isoformat() if s.last_update else None,
                "percent": s.percent,
                "note": s.note,
            }
        )
    matrix: dict[tuple[str, str], str] = {}
    units = []
    for unit in ds.registry:
        if unit.is_collective:
            continue
        found = graph.duties(g, unit.name, ordered=False)
        for duty in found:
            matrix[unit.name, duty.task_id] = duty.role
        if found:
            units.append(unit.name)
    nobody = set(graph.unowned(ds, g))
    return Ledger(
        as_of=as_of,
        tasks=tasks,
        matrix_units=units,
        matrix_tasks=[t.id for t in ds.tasks if t.id not in nobody],
        matrix=matrix,
        units=[unit_record(w, ds) for w in workload.workloads(ds, g) if not w.collective],
        unowned=[t for t in tasks if t["id"] in nobody],
    )
