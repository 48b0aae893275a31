"""Roll-up: where a unit's part of a task stands, from the tasks beneath that carry it out.

Where tasks of a unit's documents implement a task (links.py says whose part each carries out), the
unit's part is derived from them: done when all are done; blocked when any is, naming which and who
reported it; not started while none has started; else in progress. What the unit records on the
task itself wins, and the part says when the two disagree.

A derived part counts as the unit's own part of the task, a record dated by the latest report
beneath: the Tracker (tracking.py) works the task's state out from its records and these together,
by its one rule for every part. So a county's `blocked` turns the city's task red, and then the
province's item, naming the city; and a task whose lead's part is derived is done when everything
beneath that lead's part is done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityplan_cli.links import chain, holder, owners_through
from cityplan_cli.model import Dataset, Progress, Task
from cityplan_cli.records import task_state_record
from cityplan_cli.tracking import Part, TaskState, Tracker, standing

if TYPE_CHECKING:
    from cityplan_cli.index import Index

ROLLED = "（下级任务汇总）"  # the `path` of a record the roll-up makes: no file holds it


@dataclass(frozen=True)
class Share:
    """A unit's part of a task, where tasks beneath carry it out."""

    task_id: str
    unit: str
    recorded: str | None  # the status of the unit's own standing record on the task
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


def rolled(record: Progress) -> bool:
    """Whether a record is one the roll-up made (a part derived from the tasks beneath)."""
    return record.path == ROLLED


@dataclass(frozen=True)
class Standing:
    """Where a task stands, without its light: what rolls up (the lights' limits need not be read)."""

    status: str
    parts: tuple[Part, ...]  # the parts reported by the day, derived ones included
    last_update: dt.date | None


class Rollup:
    """Every task's state on a day, with what lies beneath it rolled up, worked out as asked.
    `tracker`: the derivation to use (by default, one for the dataset)."""

    def __init__(self, ds: Dataset, as_of: dt.date, tracker: Tracker | None = None) -> None:
        self.ds = ds
        self.as_of = as_of
        self.tracker = tracker or Tracker.of(ds)
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
        self._standing: dict[str, Standing] = {}
        self._states: dict[str, TaskState] = {}
        self._shares: dict[str, list[Share]] = {}

    def standing(self, task_id: str) -> Standing:
        """Where the task stands, with its parts rolled up, beneath first."""
        # Without recursion: a chain of any depth is fine.
        stack = [(task_id, False)]
        open_: set[str] = set()
        while stack:
            current, ready = stack.pop()
            if current in self._standing:
                continue
            if ready:
                self._settle(current)
                continue
            if current in open_:  # a cycle, which `check` refuses: settle with what is known
                continue
            open_.add(current)
            stack.append((current, True))
            stack += [(s.id, False) for s in self.below.get(current, ()) if s.id not in self._standing]
        return self._standing[task_id]

    def state(self, task_id: str) -> TaskState:
        """Where the task stands, its light and reasons, with its parts rolled up."""
        if task_id not in self._states:
            task, records = self.by_id[task_id], self.counted(task_id)
            issued = self.issued.get(task.doc_id)
            self._states[task_id] = self.tracker.state(task, issued, records, self.as_of)
        return self._states[task_id]

    def states(self) -> dict[str, TaskState]:
        """Every task's state: what tracking.states gives, rolled up."""
        return {t.id: self.state(t.id) for t in self.ds.tasks}

    def statuses(self, task_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Each task's status (every task's, or these), rolled up, without working out lights."""
        history = self.ds.history
        tasks = self.ds.tasks if task_ids is None else [self.by_id[i] for i in task_ids]
        return {
            t.id: self.standing(t.id).status
            if t.id in self.below
            else self.tracker.status(t, history.get(t.id, []), self.as_of)
            for t in tasks
        }

    def moved(self, since: dt.date) -> set[str]:
        """The tasks whose status may differ between `since` and the roll-up's day: those with a
        record dated in between, and every task above one. A status is worked out from the records
        dated by its day alone, so every other task's is the same on both days."""
        moved = {
            task_id
            for task_id, records in self.ds.history.items()
            if task_id in self.by_id and any(since < r.date <= self.as_of for r in records)
        }
        todo = list(moved)
        while todo:  # up through what each task implements, as `below` links them
            for target in self.by_id[todo.pop()].implements:
                if target in self.by_id and target not in moved:
                    moved.add(target)
                    todo.append(target)
        return moved

    def shares(self, task_id: str) -> list[Share]:
        """The parts of a task that tasks beneath carry out, by unit."""
        self.standing(task_id)
        return self._shares.get(task_id, [])

    def counted(self, task_id: str) -> list[Progress]:
        """The task's records, oldest first, with the parts derived from beneath: what its state is
        worked out from."""
        if task_id in self.below:  # else nothing to roll up: its own records, without settling it
            self.standing(task_id)
        return self.records.get(task_id) or self.ds.history.get(task_id, [])

    def derived(self, task_ids: Iterable[str]) -> dict[str, list[Progress]]:
        """The records the roll-up adds to each of these tasks (none where nothing lies beneath)."""
        out = {}
        for task_id in task_ids:
            added = [r for r in self.counted(task_id) if rolled(r)]
            if added:
                out[task_id] = added
        return out

    def _settle(self, task_id: str) -> None:
        task = self.by_id[task_id]
        history = self.ds.history.get(task_id, [])
        subs = self.below.get(task_id, [])
        records = history
        if subs:
            records = self._roll_up(task, history, subs)
            self.records[task_id] = records
        parts = [p for p in self.tracker.parts(task, records, self.as_of) if p.record] if records else []
        self._standing[task_id] = Standing(
            self.tracker.status(task, records, self.as_of),
            tuple(parts),
            max((p.record.date for p in parts if p.record), default=None),
        )

    def _roll_up(self, task: Task, history: list[Progress], subs: list[Task]) -> list[Progress]:
        """The task's records with a record for each part that tasks beneath carry out and that its
        unit does not report itself; its shares noted on the way."""
        registry = self.ds.registry
        owners = owners_through(registry, task.owners)
        groups: dict[str, list[Task]] = {}
        for sub in subs:
            doc = self.ds.documents.get(sub.doc_id)
            issuer = doc.issuer if doc else ""
            unit = holder(registry, issuer, owners) or next(iter(chain(registry, issuer)), issuer)
            groups.setdefault(unit, []).append(sub)
        own = {r.unit: r for r in standing(history) if r.date <= self.as_of}  # each unit's latest
        shares, added = [], []
        for unit, members in groups.items():
            below = [(sub, self._standing[sub.id]) for sub in members if sub.id in self._standing]
            derived = combine(s.status for _, s in below) if below else None
            blocked = tuple(why for sub, s in below if s.status == "blocked" for why in self._why(sub, s))
            last = max((s.last_update for _, s in below if s.last_update), default=None)
            recorded = own.get(unit)
            share = Share(
                task.id,
                unit,
                recorded.status if recorded else None,
                derived,
                tuple(sub.id for sub in members),
                blocked,
                last,
                unit in owners,
            )
            shares.append(share)
            # Nothing reported beneath says nothing new: only a dated report rolls up, and a part
            # the unit reports itself is its own.
            if recorded is None and share.owner and derived is not None and last is not None:
                note = "；".join(blocked) or "下级任务：" + "、".join(share.tasks)
                added.append(Progress(task.id, unit, last, derived, note, path=ROLLED))
        self._shares[task.id] = shares
        return sorted([*history, *added], key=lambda r: r.date) if added else history

    def _why(self, sub: Task, s: Standing) -> list[str]:
        """A blocked task beneath, who reported it blocked and why: the chain down to each report."""
        said = []
        for part in s.parts:
            r = part.record
            if r is None or r.status != "blocked":
                continue
            if rolled(r):
                said.append(f"{sub.id} ← {r.note}")
            else:
                said.append(f"{sub.id}（{r.unit}）" + (f"：{r.note}" if r.note else ""))
        return said or [sub.id]  # blocked as its task file says, by no part


def rolled_up(
    ix: Index,
    tasks: Iterable[Task],
    history: dict[str, list[Progress]],
    as_of: dt.date,
    tracker: Tracker | None = None,
) -> dict[str, list[Progress]]:
    """`history` (task id → records, oldest first) with, for each of `tasks` that tasks beneath carry
    out, the parts they report: what its state is worked out from. Only what lies beneath is read."""
    from cityplan_cli.links import subtree, targets
    from cityplan_cli.model import Settings

    above = targets(ix, [t.id for t in tasks])
    if not above:
        return history
    # Statuses and dates roll up, never lights; the tracker reads what it needs (done_when, where a
    # part has reported) from the index: the subtree need not read the settings.
    tracker = tracker or Tracker.of_index(ix)
    derived = Rollup(subtree(ix, above, Settings()), as_of, tracker).derived(above)
    merged = dict(history)
    for task_id, added in derived.items():
        merged[task_id] = sorted([*history.get(task_id, []), *added], key=lambda r: r.date)
    return merged


def share_record(share: Share) -> dict[str, Any]:
    return {
        "unit": share.unit,
        "status": share.status,
        "source": share.source,
        "recorded": share.recorded,
        "derived": share.derived,
        "disagrees": share.disagrees,
        "tasks": list(share.tasks),
        "blocked": list(share.blocked),
        "last_update": share.last_update.isoformat() if share.last_update else None,
    }


def tree(rollup: Rollup, task_id: str) -> dict[str, Any]:
    """The task and everything beneath it, to any depth: each task with its state and light, and its
    parts, each with the tasks that carry it out. A task beneath two targets shows under both."""
    docs = rollup.ds.documents

    def node(task_id: str) -> dict[str, Any]:
        task = rollup.by_id[task_id]
        doc = docs.get(task.doc_id)
        return {
            **task_state_record(task, doc, rollup.state(task_id)),
            "doc_id": task.doc_id,
            "issuer": doc.issuer if doc else None,
            "parts": [],
        }

    root = node(task_id)
    todo = [(root, frozenset({task_id}))]
    while todo:
        current, above = todo.pop()
        for share in rollup.shares(current["id"]):
            record = share_record(share)
            record["tasks"] = []
            for sub in share.tasks:
                if sub in above:  # a cycle, which `check` refuses
                    continue
                child = node(sub)
                record["tasks"].append(child)
                todo.append((child, above | {sub}))
            current["parts"].append(record)
    return root
