"""What the ledger workbook (台账) says: every task with its owners and standing, the responsibility
matrix, every unit's load, the tasks nobody owns, and how tasks from above are divided below (a
province's item → the city's tasks that carry it out → their departments). Data, not formatting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityplan_cli.records import task_record, unit_record
from cityplan_cli.rollup import Rollup
from cityplan_cli.scores import scores

if TYPE_CHECKING:
    from cityplan_cli.index import Index


@dataclass(frozen=True)
class Ledger:
    as_of: dt.date
    tasks: list[dict[str, Any]]  # task records with light, reasons, last update, percent, note
    matrix_units: list[str]
    matrix_tasks: list[str]
    matrix: dict[str, dict[str, str]]  # task id → unit → role, for the units in matrix_units
    units: list[dict[str, Any]]  # unit records
    unowned: list[dict[str, Any]]
    hierarchy: list[dict[str, Any]]  # rows of the division below, each with its `level` from 0
    scores: list[dict[str, Any]]  # 考评: every unit with a duty, ranked (scores.py)


def ledger(ix: Index, as_of: dt.date) -> Ledger:
    """The ledger of the index's data on `as_of`."""
    from cityplan_cli.queries import all_duties, unowned_ids, workloads

    ds, duties = ix.dataset(), all_duties(ix)
    loads, unowned = workloads(ix), unowned_ids(ix)
    rollup = Rollup(ds, as_of)
    now = rollup.states()
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
    matrix: dict[str, dict[str, str]] = {}
    units = []
    for unit in ds.registry:
        found = duties.get(unit.name)
        if unit.is_collective or not found:
            continue
        for task_id, role, _ in found:
            matrix.setdefault(task_id, {})[unit.name] = role
        units.append(unit.name)
    unowned_ids = set(unowned)
    return Ledger(
        as_of=as_of,
        tasks=tasks,
        matrix_units=units,
        matrix_tasks=[t.id for t in ds.tasks if t.id not in unowned_ids],
        matrix=matrix,
        units=[unit_record(w, ds.registry.get(w.unit)) for w in loads if not w.collective],
        unowned=[t for t in tasks if t["id"] in unowned_ids],
        hierarchy=hierarchy(rollup),
        scores=[s.record() for s in scores(rollup, ix, None, as_of)],
    )


def hierarchy(rollup: Rollup) -> list[dict[str, Any]]:
    """Each task at the top that tasks beneath carry out, then, one level down each, the tasks that
    carry out each unit's part, their owners, and the tasks beneath those, to any depth."""
    from cityplan_cli.model import ROLES

    ds = rollup.ds
    docs = ds.documents
    rows: list[dict[str, Any]] = []

    def task_row(task_id: str, level: int, unit: str, role: str) -> dict[str, Any]:
        task = rollup.by_id[task_id]
        s = rollup.state(task_id)
        doc = docs.get(task.doc_id)
        return {
            "level": level,
            "kind": "task",
            "id": task.id,
            "doc": (doc.number or doc.title) if doc else task.doc_id,
            "title": task.title,
            "unit": unit,
            "role": role,
            "status": s.status,
            "light": s.light,
            "note": "；".join(s.reasons),
        }

    tops = [t for t in ds.tasks if t.id in rollup.below and not any(i in rollup.by_id for i in t.implements)]
    for top in tops:
        todo = [(top.id, 0, "、".join(top.lead), "lead" if top.lead else "", frozenset({top.id}))]
        while todo:
            task_id, level, unit, role, above = todo.pop()
            rows.append(task_row(task_id, level, unit, role))
            task = rollup.by_id[task_id]
            shares = rollup.shares(task_id)
            if level:  # the owners of a task below (the departments); the top's are in 任务总表
                # Each owner's part as the task's state counts it (its own record, or what the
                # tasks beneath report), else what the tasks beneath say without a dated report.
                reported = {p.unit: p.status for p in shares} | {
                    p.unit: p.status for p in rollup.state(task_id).parts
                }
                for r in ROLES:
                    for owner in task.role_units(r):
                        rows.append(
                            {
                                "level": level + 1,
                                "kind": "owner",
                                "id": "",
                                "doc": "",
                                "title": "",
                                "unit": owner,
                                "role": r,
                                "status": reported.get(owner),
                                "light": None,
                                "note": "",
                            }
                        )
            below = [
                (sub, level + 1, p.unit, "", above | {sub})
                for p in shares
                for sub in p.tasks
                if sub not in above
            ]
            todo += reversed(below)
    return rows
