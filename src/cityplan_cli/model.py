"""The model: plain records every layer shares, and the dataset that holds them.

Data flows one way: files → `load` (parse, per file) → `index` (rows, per file) → these records →
questions → render. Nothing here reads a file or knows how the records were stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cityplan_cli.registry import Registry

Role = Literal["lead", "support", "local"]
ROLES: tuple[Role, ...] = ("lead", "support", "local")
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "support": "配合", "local": "落实"}

STATUSES: tuple[str, ...] = ("not_started", "in_progress", "done", "blocked")
STATUS_LABELS: dict[str, str] = {
    "not_started": "未启动",
    "in_progress": "推进中",
    "done": "已完成",
    "blocked": "受阻",
}
# What a task's state may be besides what units record: done by its leads' word but not yet
# confirmed by its supervisor (办结审核: the supervisor closes it, 销号, or sends it back).
PENDING = "pending"
STATES: tuple[str, ...] = (*STATUSES[:3], PENDING, STATUSES[3])
STATE_LABELS: dict[str, str] = {**STATUS_LABELS, PENDING: "待销号"}
# Records that are no status: a unit's receipt of a task (签收), the supervisor's verdict on a done.
ACTS: tuple[str, ...] = ("ack", "confirm", "reject")
ACT_LABELS: dict[str, str] = {"ack": "签收", "confirm": "销号", "reject": "退回"}

COLLECTIVE_KIND = "集合"
DONE_WHEN: tuple[str, ...] = ("lead", "all")  # [tracking] done_when: whose `done` closes a task


@dataclass(frozen=True, slots=True)
class Unit:
    """A responsible unit, or a collective standing for its members (各市州政府)."""

    name: str
    full_name: str
    kind: str
    aliases: tuple[str, ...] = ()
    nameplates: tuple[str, ...] = ()
    parent: str | None = None
    capacity: float | None = None
    members: tuple[str, ...] = ()
    contact: dict[str, str] = field(default_factory=dict)  # address, postcode, phone, fax, email, hours
    places: tuple[str, ...] = ()  # the places it governs, as texts name them (金昌, 金昌市)
    remit: tuple[str, ...] = ()  # subjects its duties cover, as texts word them (住房, 城市更新)
    source: str = ""  # where its facts come from: "seed" (the documents) or "registry" (added here)
    team: str = ""  # the git server's team whose members record its progress (@org/team)

    @property
    def is_collective(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True, slots=True)
class DocumentRule:
    """A document-level rule: tasks from `from_seq` on get `local` as implementers,
    unless they already name a unit of one of the peer groups in `unless_kind`."""

    text: str
    local: tuple[str, ...]
    from_seq: int = 1
    to_seq: int | None = None
    unless_kind: tuple[str, ...] = ()

    def covers(self, seq: int) -> bool:
        return seq >= self.from_seq and (self.to_seq is None or seq <= self.to_seq)


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    issuer: str
    date: dt.date | None
    number: str | None = None
    addressees: tuple[str, ...] = ()
    rules: tuple[DocumentRule, ...] = ()
    due: dt.date | None = None
    due_working_days: int | None = None  # a default limit in working days from the document's date
    published: dt.date | None = None
    source: str | None = None  # the document's text, relative to its file (sources/…txt)
    implements_doc: str | None = None  # the document whose items this one's tasks carry out (cascade)
    path: str = ""
    supervisor_written: str = ""  # the supervising unit as its file names it
    supervisor: str | None = None  # the supervising unit: its own, the settings', or the issuer's office


@dataclass(frozen=True, slots=True)
class Basis:
    """The words of a document that make units owners of a task: a quote naming them, and where
    they are not literally named, how it follows (the 批复's addressee, a collective, a table column)."""

    quote: str
    units: tuple[str, ...] = ()  # the owners it covers; empty: those the quote names
    how: str = "named"  # named | addressee | collective | column | assigned (by the office) | implements
    note: str = ""
    line: int = 0  # of its [[tasks.basis]] header in the document file
    task: str = ""  # for `implements`: the task it links to, where the task implements several
    date: dt.date | None = None  # for `assigned`: the day of the assignment (交办), from which 签收 counts


@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated step of a task (节点), with the document's words for it."""

    date: dt.date
    text: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """One action item. `local` includes the implementers added by document rules;
    `local_by_rule` names those, so that output can tell stated owners from ruled ones."""

    id: str
    doc_id: str
    seq: int
    title: str
    text: str = ""
    section: str = ""
    label: str = ""  # how the document numbers the item where seq alone does not: 四(二), 专栏3 1
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    local: tuple[str, ...] = ()
    local_by_rule: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()  # people (分管省领导), never units
    status: str = "not_started"
    due: dt.date | None = None
    due_text: str = ""  # the document's words for the deadline (2025年底前)
    time_limit: str = ""  # a limit the text states, e.g. 收到申请之日起20个工作日内
    milestones: tuple[Milestone, ...] = ()
    basis: tuple[Basis, ...] = ()
    implements: tuple[str, ...] = ()  # the tasks (of a higher level, usually) this one carries out
    path: str = ""
    pos: int = 0  # its place among the [[tasks]] of its file, from 0
    line: int = 0

    def role_units(self, role: Role) -> tuple[str, ...]:
        return getattr(self, role)

    @property
    def owners(self) -> tuple[str, ...]:
        """lead + support + local, in that order, without repeats."""
        return tuple(dict.fromkeys(self.lead + self.support + self.local))


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress record: what a unit reported on a task, on a date. Records are never edited: a
    record that `amends` another stands in its place, one that `withdraws` another (and has no
    status) makes it stop counting."""

    task_id: str
    unit: str
    date: dt.date
    status: str  # "" for a withdrawal
    note: str = ""
    percent: int | None = None
    path: str = ""
    line: int = 0
    id: str = ""  # its `id`, or DATE#N: the N-th record of that date in its file
    by: str = ""  # who entered it
    entered: dt.datetime | None = None  # when
    amends: str = ""  # the id of the record of the same unit and task it corrects
    withdraws: str = ""  # the id of the record of the same unit and task it withdraws
    kind: str = ""  # "" a status record; else one of ACTS (a receipt or a verdict, with no status)
    milestone: dt.date | None = None  # the date of the task's milestone (节点) it reports reached
    evidence: tuple[Evidence, ...] = ()  # files attached to it (佐证材料)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A file attached to a record: where it is kept (evidence/UNIT/SHA256.ext, relative to the data
    directory), its SHA-256 and the name it had when attached."""

    file: str
    sha256: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    """`cityplan.toml`: weights of each role in a unit's load, capacities by peer group, and the days
    that turn a light yellow, and whose word closes a task."""

    weights: dict[str, float] = field(default_factory=lambda: {"lead": 2.0, "support": 1.0, "local": 1.0})
    capacity_by_kind: dict[str, float] = field(default_factory=dict)
    lights: dict[str, int] = field(default_factory=lambda: {"due_soon_days": 14, "stale_days": 14})
    done_when: str = (
        "lead"  # [tracking]: a task is done when its leads say so ("lead") or every owner ("all")
    )
    supervision: dict[str, Any] = field(default_factory=lambda: {"supervisor": "", "ack_days": 5})
    scores: dict[str, float] = field(default_factory=lambda: {"completion": 0.5, "ack": 0.2, "feedback": 0.3})


@dataclass
class Dataset:
    """Everything the data directory says, after every document rule is applied."""

    root: Path
    registry: Registry
    documents: dict[str, Document] = field(default_factory=dict)
    tasks: list[Task] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    history: dict[str, list[Progress]] = field(default_factory=dict)  # task id → records, oldest first
    _by_id: dict[str, Task] = field(default_factory=dict, repr=False)

    @property
    def progress(self) -> list[Progress]:
        return [r for records in self.history.values() for r in records]

    def task(self, task_id: str) -> Task:
        """The task with this id; an unknown id is a usage error naming the closest ids."""
        from cityplan_cli.errors import not_found
        from cityplan_cli.i18n import N_

        if len(self._by_id) != len(self.tasks):
            self._by_id = {t.id: t for t in self.tasks}
        if task_id in self._by_id:
            return self._by_id[task_id]
        raise not_found(N_("task"), task_id, list(self._by_id))

    def document(self, ref: str) -> Document:
        """A document by its ASCII id or its 发文字号; unknown is a usage error."""
        from cityplan_cli.errors import not_found
        from cityplan_cli.i18n import N_

        for doc in self.documents.values():
            if ref in (doc.id, doc.number):
                return doc
        refs = [r for d in self.documents.values() for r in (d.id, d.number) if r]
        raise not_found(N_("document"), ref, refs)

    def unit(self, name: str) -> str:
        """The canonical name of a unit given by any of its names; unknown is a usage error."""
        from cityplan_cli.errors import CityplanError
        from cityplan_cli.registry import unknown_unit_text

        canonical = self.registry.resolve(name)
        if canonical is None:
            raise CityplanError(unknown_unit_text(name, self.registry.suggest(name)))
        return canonical
