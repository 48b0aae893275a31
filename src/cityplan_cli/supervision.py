"""The supervision cycle (督查督办): who supervises a document's tasks, and the receipts (签收) and
verdicts (销号, 退回) that units and the supervisor record.

A document's supervisor is the unit its file names (`supervisor = "省政府督查室"`), else the one the
settings name ([supervision] supervisor), else its issuer's general office: a registered unit
managed by the issuer (`parent`) whose name ends in 办公厅 or 办公室 (省政府办公厅 for 省政府), or the
issuer itself when it is such an office. A document with none has no 办结审核: its leads' `done`
closes a task, as before.

签收: each owner acknowledges its part (`cityplan ack`, or any record it makes on the task) within
[supervision] ack_days working days of its assignment. A task waits on the parts that decide it (its
leads', or every part's with done_when = "all"); one of them not acknowledged by then turns it yellow.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cityplan_cli.model import Task
    from cityplan_cli.registry import Registry

OFFICES = ("办公厅", "办公室")


def issuer_office(registry: Registry, issuer: str) -> str | None:
    """The general office of a document's issuer, where the registry has one."""
    unit = registry.resolve(issuer)
    if unit is None:
        return None
    if unit.endswith(OFFICES):
        return unit
    offices = [u.name for u in registry if u.parent == unit and u.name.endswith(OFFICES)]
    # 金昌市政府办公室 rather than an office of a body the government runs: the shortest name, then
    # registry order.
    return min(offices, key=len) if offices else None


def supervisor_of(registry: Registry, issuer: str, written: str, default: str) -> str | None:
    """A document's supervisor: the unit named in its file, else in the settings, else its issuer's
    office (None: none, or a name the registry does not know, which `check` reports)."""
    for name in (written, default):
        if name:
            return registry.resolve(name)
    return issuer_office(registry, issuer)


def assigned_on(task: Task, unit: str, via: str | None, issued: dt.date | None) -> dt.date | None:
    """The day a unit was given its part of a task (交办): the latest dated assignment (`assign`,
    a basis with how = "assigned" and a date) naming it or the collective it comes through, else
    the document's date."""
    if not task.basis:  # most tasks: assigned with their document
        return issued
    named = {unit, via} - {None}
    dates = [b.date for b in task.basis if b.how == "assigned" and b.date and named & set(b.units)]
    return max(dates, default=issued)


@lru_cache(maxsize=4096)
def ack_deadline(assigned: dt.date, days: int) -> dt.date:
    """The last day to acknowledge a task assigned on `assigned`: `days` working days on, on the
    official holiday calendar (the Spring Festival's days off do not count, its 调休 days do)."""
    from cityplan_cli.workdays import add_working_days

    return add_working_days(assigned, days)[0]
