"""Model objects as the plain records every output format starts from (the JSON contract)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: a query that prints tasks need not load workload's statistics
    from cityplan_cli.errors import Problem
    from cityplan_cli.graph import Duty, Summary
    from cityplan_cli.load import Dataset
    from cityplan_cli.model import Document, Task
    from cityplan_cli.suggest import Suggestion
    from cityplan_cli.workload import Workload


def problem_record(p: Problem) -> dict[str, Any]:
    return {"file": p.path, "line": p.line, "severity": p.severity, "message": p.message}


def task_record(task: Task, ds: Dataset) -> dict[str, Any]:
    from cityplan_cli.tracking import current_status

    doc = ds.documents.get(task.doc_id)
    return {
        "id": task.id,
        "doc": doc.number if doc else None,
        "doc_id": task.doc_id,
        "doc_title": doc.title if doc else None,
        "seq": task.seq,
        "label": task.label or None,
        "section": task.section,
        "title": task.title,
        "text": task.text,
        "lead": list(task.lead),
        "support": list(task.support),
        "local": list(task.local),
        "local_by_rule": list(task.rule_local),
        "owners": list(task.owners),
        "leaders": list(task.leaders),
        "status": current_status(ds, task),
        "due": task.due.isoformat() if task.due else None,
        "time_limit": task.time_limit or None,
    }


def progress_records(task_id: str, ds: Dataset) -> list[dict[str, Any]]:
    """A task's progress history, oldest first."""
    return [
        {"date": r.date.isoformat(), "unit": r.unit, "status": r.status, "percent": r.percent, "note": r.note}
        for r in ds.history.get(task_id, [])
    ]


def duty_record(duty: Duty, ds: Dataset) -> dict[str, Any]:
    return {**task_record(ds.task(duty.task_id), ds), "role": duty.role, "via": duty.via}


def unit_record(w: Workload, ds: Dataset) -> dict[str, Any]:
    unit = ds.registry.get(w.unit)
    return {
        "name": unit.name,
        "full_name": unit.full_name,
        "aliases": list(unit.aliases),
        "kind": unit.kind,
        "parent": unit.parent,
        "members": list(unit.members),
        "contact": unit.contact,
        "lead_count": w.lead,
        "support_count": w.support,
        "local_count": w.local,
        "load": w.load,
        "capacity": w.capacity,
        "capacity_rule": w.rule,
        "capacity_basis": w.basis,
        "overloaded": w.overloaded,
    }


def summary_record(s: Summary, workloads: list[Workload]) -> dict[str, Any]:
    heaviest = sorted((w for w in workloads if not w.collective), key=lambda w: (-w.load, w.unit))
    return {
        "nodes": s.nodes,
        "edges": s.edges,
        "components": s.components,
        "top_load": [{"name": w.unit, "load": w.load} for w in heaviest[:10]],
        "top_betweenness": [{"name": n, "betweenness": round(c, 6)} for n, c in s.betweenness],
    }


def document_record(index: int, doc: Document, ds: Dataset, unowned: set[str]) -> dict[str, Any]:
    tasks = [t for t in ds.tasks if t.doc_id == doc.id]
    return {
        "index": index,
        "id": doc.id,
        "title": doc.title,
        "number": doc.number,
        "date": doc.date.isoformat() if doc.date else None,
        "published": doc.published.isoformat() if doc.published else None,
        "issuer": doc.issuer,
        "addressees": list(doc.addressees),
        "tasks": len(tasks),
        "unowned": sum(t.id in unowned for t in tasks),
    }


def suggestion_record(s: Suggestion, ds: Dataset) -> dict[str, Any]:
    return {
        "task_id": s.task_id,
        "title": ds.task(s.task_id).title,
        "unit": s.unit,
        "role": s.role,
        "basis": s.basis,
        "reason": s.reason,
        "registered": s.registered,
    }
