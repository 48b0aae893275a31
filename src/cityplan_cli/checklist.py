"""What a unit's 任务清单 says: its duties grouped by role, each with the task's other owners, the
contacts of its other lead units (whom a supporting unit calls), the tasks above that it carries out
(received from above) and the tasks of its own documents that carry it out (passed down)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cityplan_cli.model import ROLES, Document, Role, Task, Unit

if TYPE_CHECKING:
    from cityplan_cli.queries import Duty
    from cityplan_cli.registry import Registry


def without(names: list[str], unit: str, via: str | None) -> list[str]:
    """A role's owners as `unit`'s list names them: without the unit and the collective `via`
    which the duty comes through. The task's own list (the same object) where neither is in it."""
    if unit in names or (via is not None and via in names):
        return [u for u in names if u != unit and u != via]
    return names


@dataclass(frozen=True)
class Checklist:
    """A unit's duties (in data order) with what each list of a run shares: `records`, task id →
    task record; `registry` for each other lead unit's contact; `related`, task id → {"id", "doc",
    "title", "lead"} of the tasks above and beneath; `passed_down`, task id → the tasks beneath that
    carry out this unit's part; `shared`, what is the same in every list holding a task (the
    checklists of one run pass one dict)."""

    unit: Unit
    duties: Sequence[Duty]
    records: Mapping[str, dict[str, Any]]
    registry: Registry
    related: Mapping[str, dict[str, Any]]
    passed_down: Mapping[str, Sequence[str]]
    shared: dict[str, Any]

    @cached_property
    def items(self) -> list[dict[str, Any]]:
        """Each duty's task record plus `role`, `via`, `others` (the other owners by role),
        `lead_contacts` (each other lead unit → its registered contact, where one is registered),
        `received` and `passed_down` (the related tasks)."""
        name = self.unit.name
        items = []
        for task_id, role, via in self.duties:
            record = self.records[task_id]
            item = record.copy()
            others = {r: without(record[r], name, via) for r in ROLES}
            item.update(
                role=role,
                via=via,
                others=others,
                lead_contacts=self.lead_contacts(task_id, others["lead"]),
                received=self.received_of(task_id),
                passed_down=self.passed_down_of(task_id),
            )
            items.append(item)
        return items

    def by_role(self) -> dict[Role, list[dict[str, Any]]]:
        groups: dict[Role, list[dict[str, Any]]] = {role: [] for role in ROLES}
        for item in self.items:
            groups[item["role"]].append(item)
        return groups

    def lead_contacts(self, task_id: str, leads: list[str]) -> dict[str, dict[str, str]]:
        """The registered contacts of `leads`, the task's lead units as the list names them: made
        once per task where they are all of its leads."""
        if leads is self.records[task_id]["lead"]:
            known = self.shared.setdefault("lead_contacts", {})
            found = known.get(task_id)
            if found is None:
                found = known[task_id] = self._contacts(leads)
            return found
        return self._contacts(leads)

    def _contacts(self, leads: list[str]) -> dict[str, dict[str, str]]:
        contacts = self.shared.setdefault("contacts", {})  # unit → its contact (None: none registered)
        found = {}
        for u in leads:
            contact = contacts.get(u, False)
            if contact is False:
                contact = contacts[u] = self.registry.get(u).contact if u in self.registry else None
            if contact is not None:
                found[u] = contact
        return found

    def received_of(self, task_id: str) -> list[dict[str, Any]]:
        """The tasks above that the task carries out (made once per task)."""
        implements = self.records[task_id]["implements"]
        if not implements:
            return []
        known = self.shared.setdefault("received", {})
        found = known.get(task_id)
        if found is None:
            found = known[task_id] = [self.related[i] for i in implements if i in self.related]
        return found

    def passed_down_of(self, task_id: str) -> list[dict[str, Any]]:
        """The tasks beneath that carry out this unit's part of the task."""
        below = self.passed_down.get(task_id)
        return [self.related[i] for i in below if i in self.related] if below else []


def brief(task: Task, doc: Document | None) -> dict[str, Any]:
    """A task above or beneath one of the list, as the list names it."""
    return {
        "id": task.id,
        "doc": (doc.number or doc.title) if doc else task.doc_id,
        "title": task.title,
        "lead": list(task.lead),
    }
