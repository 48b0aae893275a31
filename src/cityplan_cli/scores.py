"""考评: each unit's score over a period, from what the records say. Data, not formatting.

For a unit, over the period from `start` (or the beginning) to `end`:

- `owned`: its duties (every role, those reaching it through a collective included); `led`: those it
  leads (or, for a task without a lead, owns: the tasks whose completion it answers for).
- Of the tasks it answers for, `completed_on_time` and `completed_late`: done (closed by its
  supervisor's confirmation, or by its leads' word where it has no supervisor) by `end`, the record
  that made it done dated in the period, on or before its due date (on time; a task without a due
  date is on time) or after it (late); `overdue`: past its due date at `end` and neither done nor
  pending. `on_time_rate` = on time / (on time + late + overdue), null when all three are 0.
- 签收: of its duties whose 签收 deadline falls in the period, `acknowledged_on_time` (its first
  receipt or record on or before the deadline) out of `ack_due`; `ack_days_mean`: over those it has
  acknowledged by `end`, the mean working days from assignment to its first receipt or record.
- 反馈: `updated` of its `open` duties (the task neither done nor pending at `end`) have a record of
  its own within `stale_days` before `end`; `update_interval_mean`: the mean days between consecutive
  records of its own on a task, over the records dated in the period.

score = 100 × (w_completion × on_time_rate + w_ack × ack_rate + w_feedback × feedback_rate) / (the
sum of the weights of the rates that apply), where ack_rate = acknowledged_on_time / ack_due and
feedback_rate = updated / open; a rate whose denominator is 0 does not apply; no rate, no score (null).
The weights are [scores] in cityplan.toml (completion 0.5, ack 0.2, feedback 0.3 by default). Units are
ranked by score, highest first, then in registry order; a unit without a score is ranked last.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from cityplan_cli.model import PENDING, ROLES
from cityplan_cli.tracking import counting

if TYPE_CHECKING:
    from cityplan_cli.index import Index
    from cityplan_cli.model import Task
    from cityplan_cli.rollup import Rollup

WEIGHTS = {"completion": 0.5, "ack": 0.2, "feedback": 0.3}


@dataclass(frozen=True)
class Score:
    unit: str
    owned: int
    led: int
    completed_on_time: int
    completed_late: int
    overdue: int
    on_time_rate: float | None
    ack_due: int
    acknowledged_on_time: int
    ack_days_mean: float | None
    open: int
    updated: int
    update_interval_mean: float | None
    score: float | None
    rank: int = 0

    def record(self) -> dict[str, Any]:
        # Every field is a number or a name: a plain dict of them, not asdict's deep copy.
        return {f.name: getattr(self, f.name) for f in fields(self)}


class _Facts(NamedTuple):
    """What a task says for every unit that shares it, worked out once."""

    task: Task
    answered: bool  # nobody leads it: every owner answers for its completion
    completion: int  # for those who answer for it: ON_TIME, LATE, OVERDUE or 0 (none of these)
    open: bool  # neither done nor pending at the period's end
    issued: dt.date | None  # its document's date
    deadline: dt.date | None  # the 签收 deadline from `issued` (a dated assignment may move a unit's)
    ack_due: bool  # that deadline falls in the period
    heard: dict[str, dt.date]  # unit → its first receipt or record
    own: dict[str, list[dt.date]]  # unit → the days of its standing records


ON_TIME, LATE, OVERDUE = 1, 2, 3
# A unit's counts, in this order; a completion's code is its place after `led`.
_COUNTS = ("owned", "led", "on_time", "late", "overdue", "ack_due", "open")

# Each unit's counts over its duties on the tasks whose facts are the same for every unit (a
# province's million duties: summed by SQLite, not one at a time); a duty's rank 0 is `lead`.
_TALLY = """
SELECT d.unit, count(*), total(d.rank = 0 OR f.answered),
    total((d.rank = 0 OR f.answered) AND f.completion = 1),
    total((d.rank = 0 OR f.answered) AND f.completion = 2),
    total((d.rank = 0 OR f.answered) AND f.completion = 3),
    total(f.ack_due), total(f.open)
FROM duties d JOIN temp.score_facts f ON f.tid = d.tid GROUP BY d.unit
"""


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def scores(rollup: Rollup, ix: Index, start: dt.date | None, end: dt.date) -> list[Score]:
    """Every unit with a duty (the index's duties table), scored over [start, end] (`rollup` on
    `end`), ranked."""
    from cityplan_cli.supervision import ack_deadline, assigned_on
    from cityplan_cli.workdays import working_days_between

    ds, tracker = rollup.ds, rollup.tracker
    settings = ds.settings
    weights = {**WEIGHTS, **settings.scores}
    stale_days, ack_days = settings.lights["stale_days"], settings.supervision["ack_days"]
    first = start or dt.date.min

    def within(day: dt.date | None) -> bool:
        return day is not None and first <= day <= end

    # Each document's date, its tasks' 签收 deadline, and whether that falls in the period.
    issue: dict[str, tuple[dt.date | None, dt.date | None, bool]] = {}
    for doc in ds.documents.values():
        deadline = ack_deadline(doc.date, ack_days) if doc.date is not None else None
        issue[doc.id] = (doc.date, deadline, within(deadline))
    history = ds.history

    def fact(task: Task) -> _Facts:
        status = rollup.state(task.id).status
        open_ = status not in ("done", PENDING)
        completion = 0
        if status == "done":
            review = tracker.review(task, rollup.counted(task.id), end, status)
            done = review.done.date if review.done else None
            if within(done):
                completion = ON_TIME if task.due is None or done <= task.due else LATE
        elif open_ and task.due is not None and task.due < end:
            completion = OVERDUE
        heard: dict[str, dt.date] = {}
        own: dict[str, list[dt.date]] = {}
        records = history.get(task.id)
        for r in counting(r for r in records if r.date <= end) if records else ():
            if not r.kind:  # a status record: it stands
                heard.setdefault(r.unit, r.date)
                own.setdefault(r.unit, []).append(r.date)
            elif r.kind == "ack":
                heard.setdefault(r.unit, r.date)
        issued, deadline, due_in = issue.get(task.doc_id, (None, None, False))
        return _Facts(task, not task.lead, completion, open_, issued, deadline, due_in, heard, own)

    facts = {task_id: fact(task) for task_id, task in rollup.by_id.items()}
    counts: dict[str, list[int]] = {}
    ack_on_time: dict[str, int] = {}
    updated: dict[str, int] = {}
    ack_days_lists: dict[str, list[int]] = {}
    gaps: dict[str, list[int]] = {}

    def count(name: str, task_id: str, role: str, via: str | None, shared: bool) -> None:
        """One duty's part of its unit's score; `shared`: what every unit of the task counts the
        same (led, completion, 签收 due, open) is already in `counts`."""
        task, answered, completion, is_open, issued, deadline, due_in, heard, own_days = facts[task_id]
        if not shared:
            mine = counts.setdefault(name, [0] * len(_COUNTS))
            mine[0] += 1
            if role == "lead" or answered:
                mine[1] += 1
                if completion:
                    mine[1 + completion] += 1
            assigned = assigned_on(task, name, via, issued)  # a dated assignment moves the deadline
            deadline = ack_deadline(assigned, ack_days) if assigned is not None else None
            due_in = within(deadline)
            if due_in:
                mine[5] += 1
            if is_open:
                mine[6] += 1
        else:
            assigned = issued
        received = heard.get(name) if due_in else None
        if received is not None:
            ack_on_time[name] = ack_on_time.get(name, 0) + (received <= deadline)
            ack_days_lists.setdefault(name, []).append(working_days_between(assigned, received))
        own = own_days.get(name, ())
        if is_open and own and (end - own[-1]).days <= stale_days:
            updated[name] = updated.get(name, 0) + 1
        if len(own) > 1:
            dates = [d for d in own if within(d)]
            gaps.setdefault(name, []).extend((b - a).days for a, b in pairwise(dates))

    # A task with a dated assignment (交办) gives each unit its own 签收 deadline: its duties are
    # counted one by one. Of the others, only the units with records of their own on a task differ.
    dated = {i for i, f in facts.items() if any(b.how == "assigned" and b.date for b in f.task.basis)}
    heard_of = {
        i: f.heard.keys() | f.own.keys() for i, f in facts.items() if (f.heard or f.own) and i not in dated
    }
    db = ix.db
    reading = db.in_transaction  # the run's read of the stored index (cache.Store.open), kept
    tids: dict[str, list[int]] = {}
    for tid, task_id in db.execute("SELECT tid, id FROM tasks"):
        tids.setdefault(task_id, []).append(tid)
    db.execute(
        "CREATE TEMP TABLE score_facts (tid INTEGER PRIMARY KEY, answered INTEGER, completion INTEGER, "
        "ack_due INTEGER, open INTEGER)"
    )
    try:
        db.executemany(
            "INSERT INTO temp.score_facts VALUES (?, ?, ?, ?, ?)",
            (
                (tid, f.answered, f.completion, f.ack_due, f.open)
                for task_id, f in facts.items()
                if task_id not in dated
                for tid in tids.get(task_id, ())
            ),
        )
        for unit, *tally in db.execute(_TALLY):
            counts[unit] = [int(n) for n in tally]
        by_tid = {tid: task_id for task_id in dated for tid in tids.get(task_id, ())}
        if by_tid:  # one pass over the duties, which are not indexed by task
            for unit, tid, rank, via in db.execute(
                "SELECT unit, tid, rank, via FROM duties WHERE tid IN (SELECT value FROM json_each(?))",
                (json.dumps(list(by_tid)),),
            ):
                count(unit, by_tid[tid], ROLES[rank], via, shared=False)
        pairs = [(u, tid) for i, units in heard_of.items() for tid in tids.get(i, ()) for u in units]
        by_tid = {tid: task_id for task_id in heard_of for tid in tids.get(task_id, ())}
        rows = db.execute(
            "SELECT d.unit, d.tid, d.rank, d.via FROM json_each(?) j JOIN duties d "
            "ON d.unit = json_extract(j.value, '$[0]') AND d.tid = json_extract(j.value, '$[1]')",
            (json.dumps(pairs, ensure_ascii=False),),
        )
        for unit, tid, rank, via in rows:
            count(unit, by_tid[tid], ROLES[rank], via, shared=True)
    finally:
        db.execute("DROP TABLE temp.score_facts")
        if not reading:
            db.commit()  # the inserts began a transaction; end it, and its hold on the index, now

    out = []
    for unit in ds.registry:
        name = unit.name
        if unit.is_collective or name not in counts:
            continue
        owned, led, on_time, late, overdue, ack_due, open_ = counts[name]
        rates = {
            "completion": _rate(on_time, on_time + late + overdue),
            "ack": _rate(ack_on_time.get(name, 0), ack_due),
            "feedback": _rate(updated.get(name, 0), open_),
        }
        applying = {k: v for k, v in rates.items() if v is not None and weights[k] > 0}
        total = sum(weights[k] for k in applying)
        score = round(100 * sum(weights[k] * v for k, v in applying.items()) / total, 1) if total else None
        out.append(
            Score(
                unit=name,
                owned=owned,
                led=led,
                completed_on_time=on_time,
                completed_late=late,
                overdue=overdue,
                on_time_rate=None if rates["completion"] is None else round(rates["completion"], 4),
                ack_due=ack_due,
                acknowledged_on_time=ack_on_time.get(name, 0),
                ack_days_mean=_mean(ack_days_lists.get(name, [])),
                open=open_,
                updated=updated.get(name, 0),
                update_interval_mean=_mean(gaps.get(name, [])),
                score=score,
            )
        )
    order = {s.unit: i for i, s in enumerate(out)}
    ranked = sorted(out, key=lambda s: (s.score is None, -(s.score or 0), order[s.unit]))
    return [replace(s, rank=i) for i, s in enumerate(ranked, 1)]
