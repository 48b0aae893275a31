"""Model objects as the plain records every output format starts from (the JSON contract)."""

from __future__ import annotations

from typing import Any

from cityplan_cli.graph import Duty
from cityplan_cli.load import Dataset
from cityplan_cli.model import Task


def task_record(task: Task, ds: Dataset) -> dict[str, Any]:
    doc = ds.documents.get(task.doc_id)
    return {
        "id": task.id,
        "doc": doc.number if doc else None,
        "doc_id": task.doc_id,
        "doc_title": doc.title if doc else None,
        "seq": task.seq,
        "section": task.section,
        "title": task.title,
        "text": task.text,
        "lead": list(task.lead),
        "support": list(task.support),
        "local": list(task.local),
        "local_by_rule": list(task.rule_local),
        "owners": list(task.owners),
        "status": task.status,
        "due": task.due.isoformat() if task.due else None,
    }


def duty_record(duty: Duty, ds: Dataset) -> dict[str, Any]:
    return {**task_record(ds.task(duty.task_id), ds), "role": duty.role, "via": duty.via}
