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
        groups: dict[Role, list[dict[str, Any]]] = {role: [] for role in ROLES}
        for item in self.items:
            groups[item["role"]].append(item)
        return groups

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
    shared: dict[str, Any] | None = None,
) -> Checklist:
    """`records`: task id → task record, made once for every checklist of a run; `registry` gives
    each other lead unit's contact; `related`: task id → {"id", "doc", "title", "lead"} of the tasks
    above and beneath; `passed_down`: task id → the tasks beneath that carry out this unit's part;
    `shared`: what is the same in every list of the run (the checklists of one run pass one dict)."""
    related = related or {}
    passed_down = passed_down or {}
    shared = {} if shared is None else shared
    # unit → its contact (None: none registered); task id → its leads' contacts, its tasks above
    contacts = shared.setdefault("contacts", {})
    task_contacts, received = shared.setdefault("lead_contacts", {}), shared.setdefault("received", {})

    def contacts_of(leads: list[str]) -> dict[str, dict[str, str]]:
        found = {}
        for u in leads:
            contact = contacts.get(u, False)
            if contact is False:
                contact = contacts[u] = registry.get(u).contact if u in registry else None
            if contact is not None:
                found[u] = contact
        return found

    name = unit.name
    items = []
    # Per duty, as little work as will do: a province's checklists hold a million duties. A role's
    # list without this unit (or the collective it comes through) is the task's own list, shared.
    for task_id, role, via in duties:
        record = records[task_id]
        item = record.copy()
        item["role"], item["via"] = role, via
        lead, support, local = record["lead"], record["support"], record["local"]
        others = item["others"] = {
            "lead": [u for u in lead if u != name and u != via]
            if name in lead or (via is not None and via in lead)
            else lead,
            "support": [u for u in support if u != name and u != via]
            if name in support or (via is not None and via in support)
            else support,
            "local": [u for u in local if u != name and u != via]
            if name in local or (via is not None and via in local)
            else local,
        }
        if others["lead"] is lead:
            found = task_contacts.get(task_id)
            if found is None:
                found = task_contacts[task_id] = contacts_of(lead)
            item["lead_contacts"] = found
        else:
            item["lead_contacts"] = contacts_of(others["lead"])
        implements = record["implements"]
        if implements:
            found = received.get(task_id)
            if found is None:
                found = received[task_id] = [related[i] for i in implements if i in related]
            item["received"] = found
        else:
            item["received"] = []
        below = passed_down.get(task_id)
        item["passed_down"] = [related[i] for i in below if i in related] if below else []
        items.append(item)
    return Checklist(unit, items)


def brief(task: Task, doc: Document | None) -> dict[str, Any]:
    """A task above or beneath one of the list, as the list names it."""
    return {
        "id": task.id,
        "doc": (doc.number or doc.title) if doc else task.doc_id,
        "title": task.title,
        "lead": list(task.lead),
    }
