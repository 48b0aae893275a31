"""The supervision cycle (督查督办): who supervises a document's tasks, and the receipts (签收) and
verdicts (销号, 退回) that units and the supervisor record.

A document's supervisor is the unit its file names (`supervisor = "省政府督查室"`), else the one the
settings name ([supervision] supervisor), else its issuer's general office: a registered unit
managed by the issuer (`parent`) whose name ends in 办公厅 or 办公室 (省政府办公厅 for 省政府), or the
issuer itself when it is such an office. A document with none has no 办结审核: its leads' `done`
closes a task, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
