"""What a unit's 任务清单 says: its duties grouped by role, each with the task's other owners and the
contacts of its other lead units (whom a supporting unit calls)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityplan_cli.model import ROLES, Role, Unit

if TYPE_CHECKING:
    from cityplan_cli.queries import Duty
    from cityplan_cli.registry import Registry


@dataclass(frozen=True)
class Checklist:
    unit: Unit
    # Duty records plus `others` (the other owners by role) and `lead_contacts` (each other lead unit
    # → its registered contact, empty where none is registered).
    items: list[dict[str, Any]]

    def by_role(self) -> dict[Role, list[dict[str, Any]]]:
        return {role: [i for i in self.items if i["role"] == role] for role in ROLES}


def checklist(
    unit: Unit, duties: Sequence[Duty], records: Mapping[str, dict[str, Any]], registry: Registry
) -> Checklist:
    """`records`: task id → task record, made once for every checklist of a run; `registry` gives
    each other lead unit's contact."""
    items = []
    for duty in duties:
        record = {**records[duty.task_id], "role": duty.role, "via": duty.via}
        mine = {unit.name, duty.via}
        record["others"] = {role: [u for u in record[role] if u not in mine] for role in ROLES}
        record["lead_contacts"] = {
            u: registry.get(u).contact for u in record["others"]["lead"] if u in registry
        }
        items.append(record)
    return Checklist(unit, items)
