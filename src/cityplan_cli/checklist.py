"""What a unit's 任务清单 says: its duties grouped by role, each with the task's other owners, the
contacts of its other lead units (whom a supporting unit calls), the tasks above that it carries out
(received from above) and the tasks of its own documents that carry it out (passed down)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cityplan_cli.model import ROLES, Document, Role, Task, Unit

if TYPE_CHECKING:
    from cityplan_cli.queries import Duty
    from cityplan_cli.registry import Registry


@dataclass(frozen=True)
class Checklist:
    unit: Unit
    # Duty records plus `others` (the other owners by role), `lead_contacts` (each other lead unit
    # → its registered contact, empty where none is registered), `received` (the tasks above it
    # implements) and `passed_down` (those beneath carrying out the unit's part); each related task
    # as {"id", "doc", "title", "lead"}.
    items: list[dict[str, Any]]

    def by_role(self) -> dict[Role, list[dict[str, Any]]]:
        return {role: [i for i in self.items if i["role"] == role] for role in ROLES}

    @property
    def received(self) -> list[dict[str, Any]]:
        return [i for i in self.items if i["received"]]

    @property
    def passed(self) -> list[dict[str, Any]]:
        return [i for i in self.items if i["passed_down"]]


def checklist(
    unit: Unit,
    duties: Sequence[Duty],
    records: Mapping[str, dict[str, Any]],
    registry: Registry,
    related: Mapping[str, dict[str, Any]] | None = None,
    passed_down: Mapping[str, Sequence[str]] | None = None,
) -> Checklist:
    """`records`: task id → task record, made once for every checklist of a run; `registry` gives
    each other lead unit's contact; `related`: task id → {"id", "doc", "title", "lead"} of the tasks
    above and beneath; `passed_down`: task id → the tasks beneath that carry out this unit's part."""
    related = related or {}
    passed_down = passed_down or {}
    contacts: dict[str, dict[str, str] | None] = {}  # unit → its contact (None: not registered)
    items = []
    # Per duty, as little work as will do: a province's checklists hold a million duties.
    for duty in duties:
        record = {**records[duty.task_id], "role": duty.role, "via": duty.via}
        mine = (unit.name, duty.via)
        others = record["others"] = {role: [u for u in record[role] if u not in mine] for role in ROLES}
        lead_contacts = record["lead_contacts"] = {}
        for u in others["lead"]:
            if u not in contacts:
                contacts[u] = registry.get(u).contact if u in registry else None
            if contacts[u] is not None:
                lead_contacts[u] = contacts[u]
        implements = record.get("implements")
        record["received"] = [related[i] for i in implements if i in related] if implements else []
        below = passed_down.get(duty.task_id)
        record["passed_down"] = [related[i] for i in below if i in related] if below else []
        items.append(record)
    return Checklist(unit, items)


def brief(task: Task, doc: Document | None) -> dict[str, Any]:
    """A task above or beneath one of the list, as the list names it."""
    return {
        "id": task.id,
        "doc": (doc.number or doc.title) if doc else task.doc_id,
        "title": task.title,
        "lead": list(task.lead),
    }
