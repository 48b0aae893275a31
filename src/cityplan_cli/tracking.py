"""Where each task stands on a date: each owner's part, the task's status derived from the parts,
its last update and its light (亮灯). The one place that says so, for every command.

Each owner reports its own part of a task: a unit it names, or each member of a collective it names
(金昌市政府 reports its part of what 各市州政府 must do; the collective itself does not report). A
unit's part on a day is its latest standing record on or before that day; a record amended by a
later one, or withdrawn, no longer stands, on any day.

A task, from its parts:
- blocked as soon as any part is (its light red, naming each blocked unit and its note);
- done when its leads' parts are done, or every owner's with `[tracking] done_when = "all"` (a task
  without a lead needs every owner's);
- in progress when any part is in progress or done;
- else as its task file's `status` says.

办结审核: where the task's document has a supervisor (supervision.py), a done task is 待销号
(`pending`) until the supervisor records its verdict after the record that made it done: `confirm`
closes it (销号), `reject` sends it back (in progress, with the supervisor's note) until its leads
report it done again. Without a supervisor, done closes it.

Lights: red when overdue or blocked; yellow when due within `due_soon_days` or not updated for more
than `stale_days` (both in cityplan.toml [lights]), when sent back, or while 待销号; green otherwise;
a closed task is closed (销号).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from cityplan_cli.model import PENDING, ROLES, Dataset, Document, Milestone, Progress, Settings, Task
from cityplan_cli.supervision import ack_deadline, assigned_on

if TYPE_CHECKING:
    from cityplan_cli.index import Index

LIGHTS = ("red", "yellow", "green", "closed")
LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "closed": "销号"}


@dataclass(frozen=True, slots=True)
class Part:
    """One owner's part of a task: who, in which role, through which collective, and its latest
    standing record on the day (None: nothing reported yet)."""

    unit: str
    role: str
    via: str | None
    record: Progress | None = None

    @property
    def status(self) -> str | None:
        return self.record.status if self.record else None


@dataclass(frozen=True, slots=True)
class Review:
    """办结审核: the task's supervisor (None: its leads' done closes it), the record that made it
    done (None: not done), and the supervisor's latest verdict on it (None: awaiting, 待销号)."""

    supervisor: str | None
    done: Progress | None
    verdict: Progress | None


@dataclass(frozen=True)
class TaskState:
    task_id: str
    status: str
    light: str
    reasons: tuple[str, ...]
    stale: bool  # not updated for longer than stale_days (or never, long after the document)
    last_update: dt.date | None
    percent: int | None
    note: str
    parts: tuple[Part, ...]  # the parts reported by the day, in the order of the task's owners
    unacknowledged: tuple[tuple[str, dt.date], ...] = ()  # deciding parts past their 签收 deadline
    milestone: Milestone | None = None  # the next open milestone (节点) of a task not yet done


def standing(records: Iterable[Progress]) -> list[Progress]:
    """The status records that count: neither withdrawn nor amended by a record of their unit."""
    return [r for r in counting(records) if not r.kind]


def counting(records: Iterable[Progress]) -> list[Progress]:
    """The records that count, receipts and verdicts included: neither withdrawn nor amended."""
    records = list(records)
    replaced = {(r.unit, r.amends or r.withdraws) for r in records if r.amends or r.withdraws}
    return [r for r in records if not r.withdraws and (r.unit, r.id) not in replaced]


class Tracker:
    """The derivation, with what it needs beyond a task's records: who stands for each collective,
    and the settings (done_when, the lights' limits). Both are read when first needed, so that a
    listing without records reads neither."""

    def __init__(
        self,
        memberships: Callable[[], Iterable[tuple[str, str, int]]],
        settings: Callable[[], Settings],
        documents: Callable[[], Mapping[str, Document]] = dict,
    ) -> None:
        """`memberships` gives (member, collective, distance) rows, members in registry order;
        `documents` the documents by id, for their supervisors."""
        self._memberships = memberships
        self._settings = settings
        self._documents = documents

    @classmethod
    def of(cls, ds: Dataset) -> Tracker:
        from cityplan_cli.load.resolve import memberships

        return cls(lambda: memberships(ds.registry)[0], lambda: ds.settings, lambda: ds.documents)

    @classmethod
    def of_index(cls, ix: Index) -> Tracker:
        return cls(ix.memberships, ix.settings, ix.documents)

    @cached_property
    def settings(self) -> Settings:
        return self._settings()

    @cached_property
    def supervisors(self) -> dict[str, str | None]:
        """Each document's supervisor (None: its tasks close when their leads say done)."""
        return {ident: doc.supervisor for ident, doc in self._documents().items()}

    @cached_property
    def groups(self) -> tuple[dict[str, dict[str, tuple[int, int]]], frozenset[str]]:
        """Collective → its members, each with (distance, place): nearest first, then in registry
        order; and the collectives. A collective inside another reports through its own members."""
        rows = list(self._memberships())
        collectives = frozenset(c for _, c, _ in rows)
        members: dict[str, dict[str, tuple[int, int]]] = {}
        for member, collective, distance in sorted(rows, key=lambda r: r[2]):
            if member not in collectives:
                group = members.setdefault(collective, {})
                group[member] = (distance, len(group))
        return members, collectives

    def place(self, task: Task, unit: str) -> tuple[tuple[int, int, int], str, str | None] | None:
        """Where a unit stands among a task's parties: its place in their order, its role, and the
        collective it comes through; None when it has no part. As the duties table (index.THROUGH)
        ranks them: its own role first (lead, support, local), else the nearest collective's, and
        of two such the one the task names first."""
        members, collectives = self.groups
        if unit in collectives:
            return None
        for rank, role in enumerate(ROLES):
            units = task.role_units(role)
            if unit in units:
                return (0, rank, units.index(unit)), role, None
        best = None
        for rank, role in enumerate(ROLES):
            for collective in task.role_units(role):
                found = members.get(collective, {}).get(unit)
                if found is not None and (best is None or found[0] * 4 + rank < best[0][1]):
                    best = (1, found[0] * 4 + rank, found[1]), role, collective
        return best

    def parties(self, task: Task, owners: Sequence[str] | None = None) -> list[Part]:
        """Every unit with a part in the task, in order, without records: its own owners, then the
        members of its collective owners. With `owners`, those that some of its owners bring."""
        members, _ = self.groups
        named = task.owners if owners is None else owners
        units = dict.fromkeys(u for owner in named for u in (members.get(owner) or (owner,)))
        placed = sorted((at, u) for u in units if (at := self.place(task, u)) is not None)
        return [Part(u, role, via) for (_, role, via), u in placed]

    def parts(self, task: Task, records: Sequence[Progress], day: dt.date) -> list[Part]:
        """Every party of the task with its latest standing record on or before `day` (or None)."""
        latest = {r.unit: r for r in standing(records) if r.date <= day}
        return [Part(p.unit, p.role, p.via, latest.get(p.unit)) for p in self.parties(task)]

    def status(self, task: Task, records: Sequence[Progress], day: dt.date) -> str:
        """Where a task stands on a day."""
        return self._derive(task, records, day)[0] if records else task.status

    def review(
        self, task: Task, records: Sequence[Progress], day: dt.date, status: str | None = None
    ) -> Review:
        """办结审核 of a task on a day: when its leads reported it done and the supervisor's verdict.
        `status`: the task's on that day from these records, where already known."""
        if not records:
            return self._review(task, records, day, "")
        return self._review(
            task, records, day, self._derive(task, records, day)[0] if status is None else status
        )

    def _review(self, task: Task, records: Sequence[Progress], day: dt.date, status: str) -> Review:
        """The review of a task its parts say `status` of. The record that made it done is the latest
        of its leads' (or, where every owner's counts, of all its parts'); a verdict counts when the
        supervisor recorded it after that record."""
        supervisor = self.supervisors.get(task.doc_id)
        if status != "done":
            return Review(supervisor, None, None)
        latest = {r.unit: r for r in standing(records) if r.date <= day}
        leads = {p.unit for p in self.parties(task, task.lead) if p.role == "lead"}
        deciding = (
            [r for u, r in latest.items() if u in leads]
            if leads and self.settings.done_when == "lead"
            else []
        )
        order = {id(r): i for i, r in enumerate(records)}
        done = max(deciding or latest.values(), key=lambda r: order[id(r)])
        verdict = None
        if supervisor is not None:
            verdicts = [
                r
                for r in counting(records)
                if r.kind in ("confirm", "reject")
                and r.unit == supervisor
                and r.date <= day
                and order[id(r)] > order[id(done)]
            ]
            verdict = verdicts[-1] if verdicts else None
        return Review(supervisor, done, verdict)

    def _derive(
        self, task: Task, records: Sequence[Progress], day: dt.date
    ) -> tuple[str, list[Part], Progress | None]:
        """The task's status, the parts reported by the day (in order), and the record that says
        most of where it stands (a blocked part's, else a lead's, else any part's latest). Only the
        units that reported are placed: a task may have dozens of parties, and a province's report
        derives tens of thousands of tasks twice."""
        latest = {r.unit: r for r in standing(records) if r.date <= day}
        placed = sorted((at, u) for u in latest if (at := self.place(task, u)) is not None)
        reported = [Part(u, role, via, latest[u]) for (_, role, via), u in placed]
        if not reported:
            return task.status, [], None
        blocked = [p for p in reported if p.status == "blocked"]
        leads = [p for p in self.parties(task, task.lead) if p.role == "lead"]
        if blocked:
            status = "blocked"
        elif self.settings.done_when == "all" or not leads:
            every = all(p.status == "done" for p in reported)
            status = "done" if every and len(reported) == len(self.parties(task)) else ""
        else:
            status = (
                "done" if all(p.unit in latest and latest[p.unit].status == "done" for p in leads) else ""
            )
        if not status:
            status = (
                "in_progress" if any(p.status in ("in_progress", "done") for p in reported) else task.status
            )
        said = blocked or [p for p in reported if p.role == "lead"] or reported
        headline = max((p.record for p in said if p.record), key=lambda r: r.date)
        if status == "done":
            review = self._review(task, records, day, status)
            if review.verdict is not None and review.verdict.kind == "reject":
                return "in_progress", reported, review.verdict
            if review.supervisor is not None and review.verdict is None:
                return PENDING, reported, headline
        return status, reported, headline

    def state(
        self, task: Task, issued: dt.date | None, records: Sequence[Progress], as_of: dt.date
    ) -> TaskState:
        """Where a task stands on a day, and its light; `issued` is its document's date."""
        status, reported, headline = (
            self._derive(task, records, as_of) if records else (task.status, [], None)
        )
        last_update = max((p.record.date for p in reported if p.record), default=None)
        days = self.settings.lights
        stale = _staleness(issued, last_update, as_of, days["stale_days"])
        reasons: list[str] = []
        unacknowledged = (
            self.unacknowledged(task, issued, records, as_of) if status not in ("done", PENDING) else []
        )
        review = self._review(task, records, as_of, "done") if status in ("done", PENDING) else None
        milestone = (
            self.next_milestone(task, records, as_of)
            if task.milestones and status not in ("done", PENDING)
            else None
        )
        # A milestone on the due date is the due date: its reasons say it once.
        step = milestone if milestone is not None and milestone.date != task.due else None
        if status == "done":
            light = "closed"
        elif status == PENDING and review is not None and review.done is not None:
            # The owners have done their part: what is left is the supervisor's, never overdue.
            light = "yellow"
            reasons.append(f"待销号：{review.done.date} 报完成，待{review.supervisor}审核")
        else:
            if status == "blocked":
                blockers = [p for p in reported if p.status == "blocked"]
                reasons += [
                    f"受阻（{p.unit}）：{p.record.note}"
                    if p.record and p.record.note
                    else f"受阻（{p.unit}）"
                    for p in blockers
                ] or ["受阻"]  # the task file says blocked, and no part does
            if task.due and task.due < as_of:
                reasons.append(f"逾期 {(as_of - task.due).days} 天（期限 {task.due}）")
            if step is not None and step.date < as_of:
                reasons.append(f"节点逾期 {(as_of - step.date).days} 天（节点 {step.date}：{step.text}）")
            if reasons:
                light = "red"
            else:
                if headline is not None and headline.kind == "reject":  # back to its owners, with why
                    reasons.append(f"退回（{headline.unit} {headline.date}）：{headline.note}")
                if task.due and (task.due - as_of).days <= days["due_soon_days"]:
                    left = (task.due - as_of).days
                    reasons.append(
                        f"今日到期（期限 {task.due}）" if left == 0 else f"{left} 天后到期（期限 {task.due}）"
                    )
                if step is not None and (step.date - as_of).days <= days["due_soon_days"]:
                    left = (step.date - as_of).days
                    when = "今日" if left == 0 else f"{left} 天后"
                    reasons.append(f"节点{when}到期（节点 {step.date}：{step.text}）")
                reasons += stale
                reasons += [f"未签收：{unit}（签收期限 {day}）" for unit, day in unacknowledged]
                light = "yellow" if reasons else "green"
        return TaskState(
            task_id=task.id,
            status=status,
            light=light,
            reasons=tuple(reasons),
            stale=bool(stale),
            last_update=last_update,
            percent=headline.percent if headline else None,
            note=headline.note if headline else "",
            parts=tuple(reported),
            unacknowledged=tuple(unacknowledged),
            milestone=milestone,
        )

    def deciding(self, task: Task) -> list[Part]:
        """The parts whose word decides the task: its leads', or every part's with done_when = "all"
        or without a lead."""
        _, collectives = self.groups
        if any(u in collectives for u in task.lead):
            leads = [p for p in self.parties(task, task.lead) if p.role == "lead"]
        else:  # the leads as written, each in its own name: most tasks, placed without sorting
            leads = [Part(u, "lead", None) for u in dict.fromkeys(task.lead)]
        return leads if leads and self.settings.done_when == "lead" else self.parties(task)

    def next_milestone(self, task: Task, records: Sequence[Progress], as_of: dt.date) -> Milestone | None:
        """The task's earliest milestone that no deciding part has reported reached by `as_of`
        (a record with `milestone`), or None."""
        units = {p.unit for p in self.deciding(task)}
        reached = {
            r.milestone for r in standing(records) if r.milestone and r.date <= as_of and r.unit in units
        }
        return min((m for m in task.milestones if m.date not in reached), key=lambda m: m.date, default=None)

    def unacknowledged(
        self, task: Task, issued: dt.date | None, records: Sequence[Progress], as_of: dt.date
    ) -> list[tuple[str, dt.date]]:
        """The parts that decide the task (its leads'; every part's with done_when = "all" or
        without a lead) that have not acknowledged it (签收, or any record of theirs) by `as_of`
        though their deadline has passed, each with its deadline."""
        days = self.settings.supervision["ack_days"]
        # Assigned on its document's date, the task's parts share one deadline: not yet, no parts.
        assigned = task.basis and any(b.how == "assigned" and b.date for b in task.basis)
        if not assigned and (issued is None or ack_deadline(issued, days) >= as_of):
            return []
        deciding = self.deciding(task)
        heard = (
            {r.unit for r in counting(records) if r.date <= as_of and r.kind in ("", "ack")}
            if records
            else set()
        )
        late = []
        for part in deciding:
            if part.unit in heard:
                continue
            assigned = assigned_on(task, part.unit, part.via, issued)
            if assigned is not None and (deadline := ack_deadline(assigned, days)) < as_of:
                late.append((part.unit, deadline))
        return late


def _staleness(issued: dt.date | None, last: dt.date | None, as_of: dt.date, limit: int) -> list[str]:
    if last is not None:
        return [f"{(as_of - last).days} 天未更新"] if (as_of - last).days > limit else []
    if issued is None or (as_of - issued).days > limit:
        return ["尚无进展记录"]
    return []


def states(ds: Dataset, as_of: dt.date, tracker: Tracker | None = None) -> dict[str, TaskState]:
    """Every task's state on a day."""
    tracker = tracker or Tracker.of(ds)
    issued = {d.id: d.date for d in ds.documents.values()}
    return {t.id: tracker.state(t, issued.get(t.doc_id), ds.history.get(t.id, []), as_of) for t in ds.tasks}
