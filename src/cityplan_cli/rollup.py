"""Roll-up: where a unit's part of a task stands, from the tasks beneath that carry it out.

Where tasks of a unit's documents implement a task (links.py says whose part each carries out), the
unit's part is derived from them: done when all are done; blocked when any is, naming which and who
reported it; not started while none has started; else in progress. What the unit records on the
task itself wins, and the part says when the two disagree.

A derived part counts as the unit's own report on the task, dated by the latest report beneath it:
the task's state (tracking.py) is worked out from its records and these together, so a county's
`blocked` turns the city's task and then the province's item red, whatever rule tracking applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityplan_cli.links import chain, holder, owners_through
from cityplan_cli.model import Dataset, Progress, Settings, Task
from cityplan_cli.tracking import TaskState, state, status_on

if TYPE_CHECKING:
    from cityplan_cli.index import Index

ROLLED = "（下级任务汇总）"  # the `path` of a record the roll-up makes: no file holds it


@dataclass(frozen=True)
class Part:
    """A unit's part of a task, where tasks beneath carry it out."""

    task_id: str
    unit: str
    recorded: str | None  # the latest status the unit recorded on the task itself
    derived: str | None  # what the tasks beneath say
    tasks: tuple[str, ...]  # the tasks beneath that carry it out
    blocked: tuple[str, ...]  # which of them is blocked, by whom and why
    last_update: dt.date | None  # the latest report beneath
    owner: bool  # whether the unit owns the task (if not, `check` warns of the links)

    @property
    def status(self) -> str | None:
        return self.recorded or self.derived

    @property
    def source(self) -> str:
        return "recorded" if self.recorded else "derived" if self.derived else "none"

    @property
    def disagrees(self) -> bool:
        return self.recorded is not None and self.derived is not None and self.recorded != self.derived


def combine(statuses: Iterable[str]) -> str:
    """One status from the statuses of the tasks beneath: all done, done; any blocked, blocked;
    none started, not started; else in progress."""
    found = set(statuses)
    if found == {"done"}:
        return "done"
    if "blocked" in found:
        return "blocked"
    if found <= {"not_started"}:
        return "not_started"
    return "in_progress"


class Rollup:
    """Every task's state on a day, with what lies beneath it rolled up, worked out as asked."""

    def __init__(self, ds: Dataset, as_of: dt.date) -> None:
        self.ds = ds
        self.as_of = as_of
        self.by_id: dict[str, Task] = {}
        for task in ds.tasks:
            self.by_id.setdefault(task.id, task)
        self.below: dict[str, list[Task]] = {}
        for task in ds.tasks:
            for target in task.implements:
                if target in self.by_id and target != task.id:
                    self.below.setdefault(target, []).append(task)
        self.issued = {d.id: d.date for d in ds.documents.values()}
        self.records: dict[str, list[Progress]] = {}  # a task's records with its derived parts
        self._states: dict[str, TaskState] = {}
        self._parts: dict[str, list[Part]] = {}

    def state(self, task_id: str) -> TaskState:
        """Where the task stands, its light and reasons, with its parts rolled up."""
        # Beneath first, without recursion: a chain of any depth is fine.
        stack = [(task_id, False)]
        open_: set[str] = set()
        while stack:
            current, ready = stack.pop()
            if current in self._states:
                continue
            if ready:
                self._settle(current)
                continue
            if current in open_:  # a cycle, which `check` refuses: settle with what is known
                continue
            open_.add(current)
            stack.append((current, True))
            stack += [(sub.id, False) for sub in self.below.get(current, ()) if sub.id not in self._states]
        return self._states[task_id]

    def states(self) -> dict[str, TaskState]:
        """Every task's state: what tracking.states gives, rolled up."""
        return {t.id: self.state(t.id) for t in self.ds.tasks}

    def statuses(self) -> dict[str, str]:
        """Every task's status, rolled up, without working out lights where nothing lies beneath."""
        history = self.ds.history
        return {
            t.id: self.state(t.id).status
            if t.id in self.below
            else status_on(t, history.get(t.id, []), self.as_of)
            for t in self.ds.tasks
        }

    def parts(self, task_id: str) -> list[Part]:
        """The parts of a task that tasks beneath carry out, by unit."""
        self.state(task_id)
        return self._parts.get(task_id, [])

    def derived(self, task_ids: Iterable[str]) -> dict[str, list[Progress]]:
        """The records the roll-up adds to each of these tasks (none where nothing lies beneath)."""
        out = {}
        for task_id in task_ids:
            self.state(task_id)
            added = [r for r in self.records.get(task_id, ()) if r.path == ROLLED]
            if added:
                out[task_id] = added
        return out

    def _settle(self, task_id: str) -> None:
        task = self.by_id[task_id]
        history = self.ds.history.get(task_id, [])
        subs = self.below.get(task_id, [])
        if not subs:
            self._states[task_id] = state(
                task, self.issued.get(task.doc_id), history, self.as_of, self.ds.settings.lights
            )
            return
        registry = self.ds.registry
        owners = owners_through(registry, task.owners)
        groups: dict[str, list[Task]] = {}
        for sub in subs:
            doc = self.ds.documents.get(sub.doc_id)
            issuer = doc.issuer if doc else ""
            unit = holder(registry, issuer, owners) or next(iter(chain(registry, issuer)), issuer)
            groups.setdefault(unit, []).append(sub)
        seen = [r for r in history if r.date <= self.as_of]
        parts, added = [], []
        for unit, members in groups.items():
            below = [(sub, self._states[sub.id]) for sub in members if sub.id in self._states]
            derived = combine(s.status for _, s in below) if below else None
            blocked = tuple(self._why(sub) for sub, s in below if s.status == "blocked")
            last = max((s.last_update for _, s in below if s.last_update), default=None)
            own = next((r for r in reversed(seen) if r.unit == unit), None)
            part = Part(
                task_id,
                unit,
                own.status if own else None,
                derived,
                tuple(sub.id for sub in members),
                blocked,
                last,
                unit in owners,
            )
            parts.append(part)
            # Nothing reported beneath says nothing new: only a dated report rolls up.
            if own is None and part.owner and derived is not None and last is not None:
                note = "；".join(blocked) or "下级任务：" + "、".join(part.tasks)
                added.append(Progress(task_id, unit, last, derived, note, path=ROLLED))
        records = sorted([*history, *added], key=lambda r: r.date)
        self.records[task_id] = records
        self._parts[task_id] = parts
        self._states[task_id] = state(
            task, self.issued.get(task.doc_id), records, self.as_of, self.ds.settings.lights
        )

    def _why(self, sub: Task) -> str:
        """A blocked task beneath, who reported it blocked and why: the chain down to the report."""
        records = self.records.get(sub.id, self.ds.history.get(sub.id, []))
        last = next((r for r in reversed(records) if r.date <= self.as_of and r.status == "blocked"), None)
        if last is None:
            return sub.id
        if last.path == ROLLED:
            return f"{sub.id} ← {last.note}"
        return f"{sub.id}（{last.unit}）" + (f"：{last.note}" if last.note else "")


def rolled_up(
    ix: Index, tasks: Iterable[Task], history: dict[str, list[Progress]], as_of: dt.date
) -> dict[str, list[Progress]]:
    """`history` (task id → records, oldest first) with, for each of `tasks` that tasks beneath carry
    out, the parts they report: what its state is worked out from. Only what lies beneath is read."""
    from cityplan_cli.links import subtree, targets

    above = targets(ix, [t.id for t in tasks])
    if not above:
        return history
    # What rolls up is statuses and dates, never lights: the lights' limits need not be read.
    derived = Rollup(subtree(ix, above, Settings()), as_of).derived(above)
    merged = dict(history)
    for task_id, added in derived.items():
        merged[task_id] = sorted([*history.get(task_id, []), *added], key=lambda r: r.date)
    return merged


def part_record(part: Part) -> dict[str, Any]:
    return {
        "unit": part.unit,
        "status": part.status,
        "source": part.source,
        "recorded": part.recorded,
        "derived": part.derived,
        "disagrees": part.disagrees,
        "tasks": list(part.tasks),
        "blocked": list(part.blocked),
        "last_update": part.last_update.isoformat() if part.last_update else None,
    }


def tree(rollup: Rollup, task_id: str) -> dict[str, Any]:
    """The task and everything beneath it, to any depth: each task with its state and light, and its
    parts, each with the tasks that carry it out. A task beneath two targets shows under both."""
    docs = rollup.ds.documents

    def node(task_id: str) -> dict[str, Any]:
        task = rollup.by_id[task_id]
        s = rollup.state(task_id)
        doc = docs.get(task.doc_id)
        return {
            "id": task.id,
            "doc": (doc.number or doc.title) if doc else task.doc_id,
            "doc_id": task.doc_id,
            "issuer": doc.issuer if doc else None,
            "seq": task.seq,
            "title": task.title,
            "lead": list(task.lead),
            "owners": list(task.owners),
            "status": s.status,
            "light": s.light,
            "reasons": list(s.reasons),
            "last_update": s.last_update.isoformat() if s.last_update else None,
            "parts": [],
        }

    root = node(task_id)
    todo = [(root, frozenset({task_id}))]
    while todo:
        current, above = todo.pop()
        for part in rollup.parts(current["id"]):
            record = part_record(part)
            record["tasks"] = []
            for sub in part.tasks:
                if sub in above:  # a cycle, which `check` refuses
                    continue
                child = node(sub)
                record["tasks"].append(child)
                todo.append((child, above | {sub}))
            current["parts"].append(record)
    return root
