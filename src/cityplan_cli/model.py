"""The data model: plain records, no behaviour beyond what their fields imply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

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

COLLECTIVE_KIND = "集合"


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

    @property
    def is_collective(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True, slots=True)
class Rule:
    """A document-level rule: tasks from `from_seq` on get `local` as implementers,
    unless they already name a unit of one of the kinds in `unless_kind`."""

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
    rules: tuple[Rule, ...] = ()
    due: dt.date | None = None
    due_working_days: int | None = None  # a default limit in working days from the document's date
    published: dt.date | None = None
    path: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """One action item. `local` includes the implementers added by document rules;
    `rule_local` names those so that output can tell stated owners from ruled ones."""

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
    rule_local: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()  # people (分管省领导), never units
    status: str = "not_started"
    due: dt.date | None = None
    time_limit: str = ""  # a limit the text states, e.g. 收到申请之日起20个工作日内
    path: str = ""
    line: int = 0

    def role_units(self, role: Role) -> tuple[str, ...]:
        return getattr(self, role)

    @property
    def owners(self) -> tuple[str, ...]:
        """lead + support + local, in that order, without repeats."""
        return tuple(dict.fromkeys(self.lead + self.support + self.local))


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress record: what a unit reported on a task, on a date."""

    task_id: str
    unit: str
    date: dt.date
    status: str
    note: str = ""
    percent: int | None = None
    path: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Settings:
    """`cityplan.toml`: weights of each role in a unit's load, capacities by kind, and the days
    that turn a light yellow."""

    weights: dict[str, float] = field(default_factory=lambda: {"lead": 2.0, "support": 1.0, "local": 1.0})
    capacity_by_kind: dict[str, float] = field(default_factory=dict)
    lights: dict[str, int] = field(default_factory=lambda: {"due_soon_days": 14, "stale_days": 14})
