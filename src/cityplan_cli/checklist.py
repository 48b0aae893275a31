"""What a unit's 任务清单 says: its duties grouped by role, each with the task's other owners and the
contacts of its other lead units (whom a supporting unit calls)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from cityplan_cli import graph
from cityplan_cli.load import Dataset
from cityplan_cli.model import ROLES, Role, Unit
from cityplan_cli.records import duty_record


@dataclass(frozen=True)
class Checklist:
    unit: Unit
    # Duty records plus `others` (the other owners by role) and `lead_contacts` (each other lead unit
    # → its registered contact, empty where none is registered).
    items: list[dict[str, Any]]

    def by_role(self) -> dict[Role, list[dict[str, Any]]]:
        return {role: [i for i in self.items if i["role"] == role] for role in ROLES}


def checklist(
    ds: Dataset, g: nx.DiGraph, name: str, records: Mapping[str, dict[str, Any]] | None = None
) -> Checklist:
    """`records` (task id → task record) spares rebuilding each task's record for every unit when
    many checklists are made at once."""
    items = []
    for duty in graph.duties(g, name):
        if records is None:
            record = duty_record(duty, ds)
        else:
            record = {**records[duty.task_id], "role": duty.role, "via": duty.via}
        mine = {name, duty.via}
        others = {role: [u for u in record[role] if u not in mine] for role in ROLES}
        record["others"] = others
        record["lead_contacts"] = {u: ds.registry.get(u).contact for u in others["lead"]}
        items.append(record)
    return Checklist(ds.registry.get(name), items)
