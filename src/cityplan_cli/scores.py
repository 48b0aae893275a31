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
from dataclasses import dataclass, fields, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from cityplan_cli.model import PENDING
from cityplan_cli.tracking import counting, standing

if TYPE_CHECKING:
    from cityplan_cli.model import Task
    from cityplan_cli.queries import Duty
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
    """What a task says for every unit that shares it, worked out once: a province's tasks have
    dozens of parties each (a tuple: unpacked once for each of a province's million duties)."""

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


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def scores(
    rollup: Rollup,
    duties: dict[str, list[Duty]],
    start: dt.date | None,
    end: dt.date,
) -> list[Score]:
    """Every unit with a duty, scored over [start, end] (`rollup` on `end`), ranked. `duties`:
    unit → its duties as (task id, role, via), in data order (queries.all_duties)."""
    from cityplan_cli.supervision import ack_deadline, assigned_on
    from cityplan_cli.workdays import working_days_between

    ds, tracker = rollup.ds, rollup.tracker
    settings = ds.settings
    weights = {**WEIGHTS, **settings.scores}
    stale_days, ack_days = settings.lights["stale_days"], settings.supervision["ack_days"]
    first = start or dt.date.min

    def within(day: dt.date | None) -> bool:
        return day is not None and first <= day <= end

    def fact(task: Task) -> _Facts:
        status = rollup.state(task.id).status
        open_ = status not in ("done", PENDING)
        completion = 0
        if status == "done":
            review = tracker.review(task, rollup.counted(task.id), end)
            done = review.done.date if review.done else None
            if within(done):
                completion = ON_TIME if task.due is None or done <= task.due else LATE
        elif open_ and task.due is not None and task.due < end:
            completion = OVERDUE
        records = [r for r in ds.history.get(task.id, ()) if r.date <= end]
        heard: dict[str, dt.date] = {}
        for r in counting(records) if records else ():
            if r.kind in ("", "ack"):
                heard.setdefault(r.unit, r.date)
        own: dict[str, list[dt.date]] = {}
        for r in standing(records) if records else ():
            own.setdefault(r.unit, []).append(r.date)
        doc = ds.documents.get(task.doc_id)
        issued = doc.date if doc else None
        deadline = ack_deadline(issued, ack_days) if issued is not None else None
        return _Facts(task, not task.lead, completion, open_, issued, deadline, within(deadline), heard, own)

    facts: dict[str, _Facts] = {}
    out = []
    for unit in ds.registry:
        mine = duties.get(unit.name, [])
        if unit.is_collective or not mine:
            continue
        name = unit.name
        on_time = late = overdue = ack_due = ack_on_time = open_ = updated = led = 0
        ack_days_list: list[int] = []
        gaps: list[int] = []
        for task_id, role, via in mine:
            known = facts.get(task_id)
            if known is None:
                known = facts[task_id] = fact(rollup.by_id[task_id])
            task, answered, completion, is_open, issued, deadline, due_in, heard, own_days = known
            if role == "lead" or answered:
                led += 1
                if completion:
                    if completion == ON_TIME:
                        on_time += 1
                    elif completion == LATE:
                        late += 1
                    else:
                        overdue += 1
            assigned = issued
            if task.basis:  # a dated assignment naming the unit moves its deadline
                assigned = assigned_on(task, name, via, issued)
                deadline = ack_deadline(assigned, ack_days) if assigned is not None else None
                due_in = within(deadline)
            if due_in:
                ack_due += 1
                received = heard.get(name) if heard else None
                if received is not None:
                    ack_on_time += received <= deadline
                    ack_days_list.append(working_days_between(assigned, received))
            own = own_days.get(name, ()) if own_days else ()
            if is_open:
                open_ += 1
                if own and (end - own[-1]).days <= stale_days:
                    updated += 1
            if len(own) > 1:
                dates = [d for d in own if within(d)]
                gaps += [(b - a).days for a, b in pairwise(dates)]
        rates = {
            "completion": _rate(on_time, on_time + late + overdue),
            "ack": _rate(ack_on_time, ack_due),
            "feedback": _rate(updated, open_),
        }
        applying = {k: v for k, v in rates.items() if v is not None and weights[k] > 0}
        total = sum(weights[k] for k in applying)
        score = round(100 * sum(weights[k] * v for k, v in applying.items()) / total, 1) if total else None
        out.append(
            Score(
                unit=unit.name,
                owned=len(mine),
                led=led,
                completed_on_time=on_time,
                completed_late=late,
                overdue=overdue,
                on_time_rate=None if rates["completion"] is None else round(rates["completion"], 4),
                ack_due=ack_due,
                acknowledged_on_time=ack_on_time,
                ack_days_mean=_mean(ack_days_list),
                open=open_,
                updated=updated,
                update_interval_mean=_mean(gaps),
                score=score,
            )
        )
    order = {s.unit: i for i, s in enumerate(out)}
    ranked = sorted(out, key=lambda s: (s.score is None, -(s.score or 0), order[s.unit]))
    return [replace(s, rank=i) for i, s in enumerate(ranked, 1)]
