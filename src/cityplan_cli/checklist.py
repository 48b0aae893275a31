"""What a unit's 任务清单 says: its duties grouped by role, each with the task's other owners."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityplan_cli.model import ROLES, Role, Unit

if TYPE_CHECKING:
    from cityplan_cli.queries import Duty


@dataclass(frozen=True)
class Checklist:
    unit: Unit
    items: list[dict[str, Any]]  # task records with `role`, `via` and `others`: the other owners by role

    def by_role(self) -> dict[Role, list[dict[str, Any]]]:
        return {role: [i for i in self.items if i["role"] == role] for role in ROLES}


def checklist(unit: Unit, duties: Sequence[Duty], records: Mapping[str, dict[str, Any]]) -> Checklist:
    """`records`: task id → task record, made once for every checklist of a run."""
    items = []
    for duty in duties:
        record = {**records[duty.task_id], "role": duty.role, "via": duty.via}
        mine = {unit.name, duty.via}
        record["others"] = {role: [u for u in record[role] if u not in mine] for role in ROLES}
        items.append(record)
    return Checklist(unit, items)
