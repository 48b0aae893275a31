"""Model objects as the plain records every output format starts from (the JSON contract)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: a query that prints tasks need not load workload's statistics
    from cityplan_cli.errors import Problem
    from cityplan_cli.graph import Summary
    from cityplan_cli.model import Document, Progress, Task, Unit
    from cityplan_cli.suggest import Suggestion
    from cityplan_cli.tracking import Part, TaskState
    from cityplan_cli.workload import Workload


def problem_record(p: Problem) -> dict[str, Any]:
    return {"file": p.path, "line": p.line, "severity": p.severity, "message": p.message}


def task_record(task: Task, doc: Document | None, status: str) -> dict[str, Any]:
    """A task as every listing shows it; `status` is where it stands today."""
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
        "local_by_rule": list(task.local_by_rule),
        "owners": list(task.owners),
        "leaders": list(task.leaders),
        "status": status,
        "due": task.due.isoformat() if task.due else None,
        "due_text": task.due_text or None,
        "time_limit": task.time_limit or None,
        "milestones": [{"date": m.date.isoformat(), "text": m.text} for m in task.milestones],
        "implements": list(task.implements),
    }


def progress_record(r: Progress) -> dict[str, Any]:
    """A record as written; a withdrawal has `withdraws` and a null status; `kind` is "status", or
    "ack" (签收), "confirm" (销号) or "reject" (退回), which have a null status."""
    return {
        "id": r.id,
        "date": r.date.isoformat(),
        "unit": r.unit,
        "status": r.status or None,
        "percent": r.percent,
        "note": r.note,
        "by": r.by or None,
        "entered": r.entered.isoformat() if r.entered else None,
        "amends": r.amends or None,
        "withdraws": r.withdraws or None,
        "kind": r.kind or "status",
        "milestone": r.milestone.isoformat() if r.milestone else None,
        "evidence": [{"file": e.file, "sha256": e.sha256, "name": e.name} for e in r.evidence],
    }


def history_records(records: list[Progress]) -> list[dict[str, Any]]:
    """Every record of a task, oldest first, each saying whether it still counts: `amended_by` and
    `withdrawn_by` name the record that replaced or withdrew it (null while it stands)."""
    by: dict[tuple[str, str], dict[str, str]] = {}
    for r in records:
        if r.amends:
            by.setdefault((r.unit, r.amends), {})["amended_by"] = r.id
        if r.withdraws:
            by.setdefault((r.unit, r.withdraws), {})["withdrawn_by"] = r.id
    return [
        {
            **progress_record(r),
            "amended_by": by.get((r.unit, r.id), {}).get("amended_by"),
            "withdrawn_by": by.get((r.unit, r.id), {}).get("withdrawn_by"),
        }
        for r in records
    ]


def task_state_record(task: Task, doc: Document | None, s: TaskState) -> dict[str, Any]:
    """A task with its state and light: what the weekly report and `show --tree` say of each task."""
    return {
        "id": task.id,
        "doc": (doc.number or doc.title) if doc else task.doc_id,
        "seq": task.seq,
        "title": task.title,
        "lead": list(task.lead),
        "owners": list(task.owners),
        "status": s.status,
        "light": s.light,
        "reasons": list(s.reasons),
        "last_update": s.last_update.isoformat() if s.last_update else None,
    }


def part_record(p: Part) -> dict[str, Any]:
    """One owner's part: who, its role and collective, and its latest record (nulls: none yet); a
    part the tasks beneath carry out may be derived from them (rollup.py), a record of no file."""
    r = p.record
    return {
        "unit": p.unit,
        "role": p.role,
        "via": p.via,
        "status": r.status if r else None,
        "date": r.date.isoformat() if r else None,
        "percent": r.percent if r else None,
        "note": r.note if r else None,
        "record": (r.id or None) if r else None,  # null for a part derived from the tasks beneath
    }


def part_fields(r: Progress | None) -> dict[str, Any]:
    """A unit's own part of a task, as `duties` rows carry it."""
    return {
        "part": r.status if r else None,
        "part_date": r.date.isoformat() if r else None,
        "part_note": r.note if r else None,
        "part_percent": r.percent if r else None,
    }


def unit_record(w: Workload, unit: Unit) -> dict[str, Any]:
    return {
        "unit": unit.name,
        "name": unit.name,  # deprecated: `unit`, the key every object naming a unit uses
        "full_name": unit.full_name,
        "aliases": list(unit.aliases),
        "kind": unit.kind,
        "parent": unit.parent,
        "members": list(unit.members),
        "contact": unit.contact,
        "source": unit.source or None,
        "lead_count": w.lead,
        "support_count": w.support,
        "local_count": w.local,
        "load": w.load,
        "capacity": w.capacity,
        "capacity_rule": w.capacity_rule,
        "capacity_basis": w.basis,
        "overloaded": w.overloaded,
    }


def summary_record(s: Summary, workloads: list[Workload]) -> dict[str, Any]:
    heaviest = sorted((w for w in workloads if not w.collective), key=lambda w: (-w.load, w.unit))
    return {
        "nodes": s.nodes,
        "edges": s.edges,
        "components": s.components,
        "top_load": [{"unit": w.unit, "name": w.unit, "load": w.load} for w in heaviest[:10]],
        "top_betweenness": [
            {"unit": n, "name": n, "betweenness": round(c, 6)} for n, c in s.betweenness
        ],  # `name`: deprecated, as `unit_record`'s
    }


def document_record(index: int, doc: Document, tasks: int, unowned: int) -> dict[str, Any]:
    return {
        "index": index,
        "id": doc.id,
        "title": doc.title,
        "number": doc.number,
        "date": doc.date.isoformat() if doc.date else None,
        "published": doc.published.isoformat() if doc.published else None,
        "issuer": doc.issuer,
        "addressees": list(doc.addressees),
        "tasks": tasks,
        "unowned": unowned,
    }


def suggestion_record(s: Suggestion, title: str) -> dict[str, Any]:
    return {
        "task": s.task_id,
        "task_id": s.task_id,  # deprecated: `task`, the key every object referring to a task uses
        "title": title,
        "unit": s.unit,
        "role": s.role,
        "basis": s.basis,
        "reason": s.reason,
        "registered": s.registered,
    }
