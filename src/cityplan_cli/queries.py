"""The questions the listings ask, each answered once, over the index: what a unit must do, which
tasks match a filter, what nobody owns, the document index, and every unit's duty counts.

The index may be the stored one or one built in memory for this run; nothing here can tell.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from cityplan_cli.index import BLOCK
from cityplan_cli.model import ROLES

if TYPE_CHECKING:
    from cityplan_cli.index import Index
    from cityplan_cli.model import Task
    from cityplan_cli.tracking import Tracker

# Tasks in data order: files by path (their rank), then as each file lists them.
IN_ORDER = f"JOIN tasks t ON t.tid = d.tid JOIN files f ON f.fid = d.tid / {BLOCK}"
UNOWNED = "(t.lead = '' AND t.support = '' AND t.local = '')"
NAMED_MAX = 2000  # tasks: beyond this many, reading them all costs less than naming each in a query


class Duty(NamedTuple):
    """A tuple: a province's --all makes a million of them."""

    task_id: str
    role: str
    via: str | None  # the collective through which the duty arrives


def duties(ix: Index, unit: str) -> list[Duty]:
    """What `unit` (canonical) must do, in data order (the index keeps it: see index.THROUGH)."""
    rows = ix.db.execute(
        f"SELECT t.id, d.rank, d.via FROM duties d {IN_ORDER} WHERE d.unit = ? ORDER BY f.rank, d.tid",
        (unit,),
    )
    return [Duty(task_id, ROLES[rank], via) for task_id, rank, via in rows]


def all_duties(ix: Index) -> dict[str, list[Duty]]:
    """What every unit must do, in data order: the same relation, for all units at once (a
    province's million, for its checklists, notices, scores and ledger), by unit name."""
    db = ix.db
    ids = dict(db.execute("SELECT tid, id FROM tasks"))
    # A unit's rows in the table's own order (tid), where that is data order: then nothing is sorted.
    order = "tid" if ix.numbered_in_order() else f"(SELECT rank FROM files WHERE fid = tid / {BLOCK}), tid"
    query = f"SELECT tid, rank, via FROM duties WHERE unit = ? ORDER BY {order}"
    make = tuple.__new__  # Duty(...) runs Python code for each of a million
    found = {}
    # Unit by unit: a million rows that each carry their unit's name would make a million strings.
    for (unit,) in db.execute("SELECT name FROM units ORDER BY name"):
        rows = db.execute(query, (unit,)).fetchall()
        if rows:
            found[unit] = [make(Duty, (ids[tid], ROLES[rank], via)) for tid, rank, via in rows]
    return found


def duty_counts(ix: Index) -> dict[str, dict[str, int]]:
    """Unit → role → how many duties it has in that role."""
    # Grouped by unit alone, the rows are read in the table's order, without a sort.
    by_rank = ", ".join(f"total(rank = {rank})" for rank in range(len(ROLES)))
    return {
        unit: {ROLES[rank]: int(n) for rank, n in enumerate(ns) if n}
        for unit, *ns in ix.db.execute(f"SELECT unit, {by_rank} FROM duties GROUP BY unit")
    }


def unowned_ids(ix: Index) -> list[str]:
    """Tasks no unit leads, supports or implements, in data order."""
    return [
        i
        for (i,) in ix.db.execute(
            f"SELECT t.id FROM tasks t JOIN files f ON f.fid = t.tid / {BLOCK} "
            f"WHERE {UNOWNED} ORDER BY f.rank, t.tid"
        )
    ]


@dataclass(frozen=True)
class TaskFilter:
    """A selection of tasks; canonical values only (resolve what the user typed first). Each list
    is a choice (any of them); the filters combine (all of them)."""

    doc_ids: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # with units: only duties in these roles
    statuses: tuple[str, ...] = ()
    lights: tuple[str, ...] = ()
    overdue: bool = False  # past its due date and not done
    due_before: dt.date | None = None  # due on or before this day
    unowned: bool = False
    ids: tuple[str, ...] = ()


@dataclass
class Selection:
    """Tasks picked by a filter, in data order, with how each reaches the filter's units."""

    tasks: list[Task]
    duties: dict[str, Duty]  # task id → the duty by which it reaches the units (with a unit filter)
    history: dict[str, list[Any]]
    statuses: dict[str, str]
    reached_unit: dict[str, str]  # task id → the filter's unit it reaches (with a unit filter)
    tracker: Tracker
    # `history` with the parts that tasks beneath carry out (rollup.py): what the statuses, lights and
    # parts are worked out from; `history` holds only what was recorded
    counted: dict[str, list[Any]]


def select(ix: Index, f: TaskFilter, today: dt.date) -> Selection:
    from cityplan_cli.rollup import rolled_up
    from cityplan_cli.tracking import Tracker

    where, params = ["1 = 1"], []
    if f.doc_ids:
        where.append("t.doc_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(f.doc_ids)))
    if f.ids:
        where.append("t.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(f.ids)))
    if f.due_before is not None:
        where.append("t.due IS NOT NULL AND t.due <= ?")
        params.append(f.due_before.isoformat())
    if f.unowned:
        where.append(UNOWNED)
    reached: dict[str, Duty] = {}
    reached_unit: dict[str, str] = {}
    if f.units:
        for unit in f.units:
            for duty in duties(ix, unit):
                if (not f.roles or duty.role in f.roles) and duty.task_id not in reached:
                    reached[duty.task_id] = duty
                    reached_unit[duty.task_id] = unit
        where.append("t.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(reached)))
    tasks = ix.tasks(" AND ".join(where), params)
    history = ix.progress(None if len(tasks) > NAMED_MAX else [t.id for t in tasks])
    tracker = Tracker.of_index(ix)
    counted = rolled_up(ix, tasks, history, today, tracker)  # with the parts tasks beneath carry out
    statuses = {t.id: tracker.status(t, counted.get(t.id, []), today) for t in tasks}
    if f.statuses:
        tasks = [t for t in tasks if statuses[t.id] in f.statuses]
    if f.overdue:
        tasks = [
            t
            for t in tasks
            if t.due is not None and t.due < today and statuses[t.id] not in ("done", "pending")
        ]
    if f.lights:
        issued = {d.id: d.date for d in ix.documents().values()}
        tasks = [
            t
            for t in tasks
            if tracker.state(t, issued.get(t.doc_id), counted.get(t.id, []), today).light in f.lights
        ]
    return Selection(tasks, reached, history, statuses, reached_unit, tracker, counted)


def task_records(ix: Index, f: TaskFilter, today: dt.date) -> list[dict[str, Any]]:
    """The `tasks` listing; with a unit filter, each row also says how the task reaches the unit
    (`role`, `via`), as `duties` does, and the unit's own part: its latest status (`part`),
    `part_date`, `part_note` and `part_percent` (null while it has reported nothing)."""
    from cityplan_cli.records import part_fields, task_record

    sel = select(ix, f, today)
    docs = ix.documents()
    rows = []
    for task in sel.tasks:
        row = task_record(task, docs.get(task.doc_id), sel.statuses[task.id])
        duty = sel.duties.get(task.id)
        if duty is not None:
            row["role"], row["via"] = duty.role, duty.via
            unit, records = sel.reached_unit[task.id], sel.counted.get(task.id)
            own = [p for p in sel.tracker.parts(task, records, today) if p.unit == unit] if records else []
            row.update(part_fields(own[0].record if own else None))
        rows.append(row)
    return rows


def document_records(ix: Index) -> list[dict[str, Any]]:
    """The document index: each document with its number of tasks and of tasks nobody owns."""
    from cityplan_cli.records import document_record

    counts = {
        doc_id: (n, idle)
        for doc_id, n, idle in ix.db.execute(
            f"SELECT doc_id, count(*), sum({UNOWNED}) FROM tasks t GROUP BY doc_id"
        )
    }
    return [
        document_record(i, doc, *counts.get(doc.id, (0, 0)))
        for i, doc in enumerate(ix.documents().values(), 1)
    ]


def workloads(ix: Index, max_load: float | None = None) -> list[Any]:
    """Every unit's duty counts, load and capacity (see workload.py)."""
    from cityplan_cli.workload import workloads as judge

    return judge(ix.registry(), ix.settings(), duty_counts(ix), max_load)


def ids_of(tasks: Iterable[Task]) -> list[str]:
    return [t.id for t in tasks]
