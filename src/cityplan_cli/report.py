"""What the weekly report says, for the ISO week that holds a date: data, not formatting.

The result is the JSON layout `cityplan report --format json` prints (documented in the README);
the Markdown and HTML reports are drawn from the same dictionary. Nothing in it depends on when or
where it is made, only on the data and the date, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cityplan_cli.model import STATES, Dataset, Task
from cityplan_cli.records import part_record, task_state_record
from cityplan_cli.rollup import Rollup, share_record
from cityplan_cli.tracking import LIGHTS, TaskState, Tracker, standing
from cityplan_cli.workload import heaviest_overloaded

if TYPE_CHECKING:
    from cityplan_cli.index import Index

NO_LEAD = "(未明确牵头单位)"


def weekly_parts(ix: Index, as_of: dt.date) -> tuple[dict[str, Any], Callable[[], list[dict[str, Any]]]]:
    """The report for the week holding `as_of`, its 通报 (`bulletin`, the last field) still empty,
    and what makes the 通报: the one part that reads the index again, so that the rest can be
    written meanwhile."""
    from cityplan_cli.queries import unowned_ids, workloads

    ds = ix.dataset()
    loads, unowned = workloads(ix), unowned_ids(ix)
    year, week, weekday = as_of.isocalendar()
    monday = as_of - dt.timedelta(days=weekday - 1)
    sunday = monday + dt.timedelta(days=6)
    tracker = Tracker.of(ds)
    rollup = Rollup(ds, as_of, tracker)  # each task's state with what tasks beneath it report rolled up
    now = rollup.states()
    last_week = monday - dt.timedelta(days=1)
    # Last week's status, where it can differ from this week's (the tasks with records since).
    before = Rollup(ds, last_week, tracker).statuses(rollup.moved(last_week))
    rows = {t.id: _row(ds, t, now[t.id]) for t in ds.tasks}

    by_lead: dict[str, list[dict[str, Any]]] = {}
    for task in ds.tasks:
        for lead in task.lead or ([NO_LEAD] if task.owners else []):
            by_lead.setdefault(lead, []).append(rows[task.id])
    updates = [
        {
            "task": r.task_id,
            "title": ds.task(r.task_id).title,
            "unit": r.unit,
            "date": r.date.isoformat(),
            "status": r.status,
            "percent": r.percent,
            "note": r.note,
            "id": r.id,
            "by": r.by or None,
            "amends": r.amends or None,
            "evidence": [{"file": e.file, "sha256": e.sha256, "name": e.name} for e in r.evidence],
        }
        for task_records in ds.history.values()
        for r in standing(task_records)
        if monday <= r.date <= as_of
    ]
    updates.sort(key=lambda u: (u["date"], u["unit"], u["task"]))
    return (
        {
            "week": f"{year}-W{week:02d}",
            "as_of": as_of.isoformat(),
            "from": monday.isoformat(),
            "to": sunday.isoformat(),
            "settings": dict(ds.settings.lights),
            "totals": {
                "tasks": len(ds.tasks),
                "status": _count((s.status for s in now.values()), STATES),
                "lights": _count((s.light for s in now.values()), LIGHTS),
            },
            "by_lead": [
                {"unit": unit, "tasks": tasks} for unit, tasks in sorted(by_lead.items(), key=_lead_order(ds))
            ],
            "updates": updates,
            "red": [rows[t] for t, s in now.items() if s.light == "red"],
            "stale": [rows[t] for t, s in now.items() if s.stale and s.light != "closed"],
            "unacknowledged": [rows[t] for t, s in now.items() if s.unacknowledged],
            "unowned": [rows[t] for t in unowned],
            "overloaded": [
                {
                    "unit": w.unit,
                    "kind": w.kind,
                    "load": w.load,
                    "capacity": w.capacity,
                    "capacity_basis": w.basis,
                    "basis": w.basis,  # deprecated: `capacity_basis`, as a unit's record names it
                }
                for w in heaviest_overloaded(loads)
            ],
            "workload": [
                {"unit": w.unit, "load": w.load}
                for w in sorted(
                    (w for w in loads if not w.collective and w.load), key=lambda w: (-w.load, w.unit)
                )[:15]
            ],
            "changes": [
                {"task": t, "title": rows[t]["title"], "from": before[t], "to": s.status}
                for t, s in now.items()
                if s.status != before.get(t, s.status)
            ],
            "cascade": _cascade(ds, rollup, rows),
            "bulletin": [],
        },
        lambda: _bulletin(rollup, ix, as_of),
    )


def _bulletin(rollup: Rollup, ix: Index, as_of: dt.date) -> list[dict[str, Any]]:
    """通报: the units with a score from the beginning to the report's day, ranked (scores.py)."""
    from cityplan_cli.scores import scores

    return [s.record() for s in scores(rollup, ix, None, as_of) if s.score is not None]


def _cascade(ds: Dataset, rollup: Rollup, rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """For each task that tasks beneath carry out (a provincial item a city has divided among its
    departments), how each part stands: every implementer's (a city's, through 各市州政府), and every
    unit's whose documents carry it out; a unit's own record on the item wins over what is beneath."""
    from cityplan_cli.links import owners_through

    order = {u.name: i for i, u in enumerate(ds.registry)}
    out = []
    # The items at the top (a province's) first, then the tasks beneath that are divided further.
    for task in sorted(ds.tasks, key=lambda t: any(i in rollup.by_id for i in t.implements)):
        if task.id not in rollup.below:
            continue
        parts = {p.unit: share_record(p) for p in rollup.shares(task.id)}
        local = owners_through(ds.registry, task.local)
        latest = {r.unit: r for r in standing(ds.history.get(task.id, [])) if r.date <= rollup.as_of}
        for unit in sorted(local - set(parts), key=lambda u: order.get(u, len(order))):
            if ds.registry.get(unit).is_collective:
                continue
            own = latest.get(unit)
            parts[unit] = {
                "unit": unit,
                "status": own.status if own else None,
                "source": "recorded" if own else "none",
                "recorded": own.status if own else None,
                "derived": None,
                "disagrees": False,
                "tasks": [],
                "blocked": [],
                "last_update": own.date.isoformat() if own else None,
            }
        row = rows[task.id]
        out.append(
            {
                **{k: row[k] for k in ("id", "doc", "seq", "title", "status", "light")},
                "parts": sorted(parts.values(), key=lambda p: order.get(p["unit"], len(order))),
            }
        )
    return out


def _row(ds: Dataset, task: Task, s: TaskState) -> dict[str, Any]:
    return {
        **task_state_record(task, ds.documents[task.doc_id], s),
        "due": task.due.isoformat() if task.due else None,
        "percent": s.percent,
        "note": s.note,
        "parts": [part_record(p) for p in s.parts],
        "unacknowledged": [{"unit": u, "deadline": d.isoformat()} for u, d in s.unacknowledged],
        "milestone": {"date": s.milestone.date.isoformat(), "text": s.milestone.text}
        if s.milestone
        else None,
    }


def _count(values: Any, keys: tuple[str, ...]) -> dict[str, int]:
    counts = Counter(values)
    return {k: counts.get(k, 0) for k in keys}


def _lead_order(ds: Dataset):
    order = {u.name: i for i, u in enumerate(ds.registry)}
    return lambda item: order.get(item[0], len(order))
