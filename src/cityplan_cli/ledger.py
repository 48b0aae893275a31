"""What the ledger workbook (台账) says: every task with its owners and standing, the responsibility
matrix, every unit's load, and the tasks nobody owns. Data, not formatting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityplan_cli.model import Dataset
from cityplan_cli.records import task_record, unit_record
from cityplan_cli.tracking import states

if TYPE_CHECKING:
    from cityplan_cli.queries import Duty
    from cityplan_cli.workload import Workload


@dataclass(frozen=True)
class Ledger:
    as_of: dt.date
    tasks: list[dict[str, Any]]  # task records with light, reasons, last update, percent, note
    matrix_units: list[str]
    matrix_tasks: list[str]
    matrix: dict[tuple[str, str], str]  # (unit, task id) → role
    units: list[dict[str, Any]]  # unit records
    unowned: list[dict[str, Any]]


def ledger(
    ds: Dataset, duties: dict[str, list[Duty]], loads: list[Workload], unowned: list[str], as_of: dt.date
) -> Ledger:
    now = states(ds, as_of)
    tasks = []
    for task in ds.tasks:
        s = now[task.id]
        tasks.append(
            {
                **task_record(task, ds.documents.get(task.doc_id), s.status),
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
        found = duties.get(unit.name, [])
        if unit.is_collective or not found:
            continue
        for duty in found:
            matrix[unit.name, duty.task_id] = duty.role
        units.append(unit.name)
    nobody = set(unowned)
    return Ledger(
        as_of=as_of,
        tasks=tasks,
        matrix_units=units,
        matrix_tasks=[t.id for t in ds.tasks if t.id not in nobody],
        matrix=matrix,
        units=[unit_record(w, ds.registry.get(w.unit)) for w in loads if not w.collective],
        unowned=[t for t in tasks if t["id"] in nobody],
    )
