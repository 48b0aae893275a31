"""Where each task stands on a date: its status, its last update and its light (亮灯).

A task's status is the latest status its lead unit recorded on or before the date; where the lead
has recorded nothing, the latest any owner recorded; where nobody has, the status in its TOML file.

Lights: red when overdue or blocked; yellow when due within `due_soon_days` or not updated for more
than `stale_days` (both in cityplan.toml [lights]); green otherwise; a done task is closed (销号).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cityplan_cli.model import Dataset, Progress, Task

LIGHTS = ("red", "yellow", "green", "closed")
LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "closed": "销号"}


@dataclass(frozen=True)
class TaskState:
    task_id: str
    status: str
    light: str
    reasons: tuple[str, ...]
    stale: bool  # not updated for longer than stale_days (or never, long after the document)
    last_update: dt.date | None
    percent: int | None
    note: str


def latest(task: Task, records: list[Progress], as_of: dt.date) -> Progress | None:
    """The record that says where a task stands on a day: its lead's latest, else anyone's."""
    seen = [r for r in records if r.date <= as_of]
    return ([r for r in seen if r.unit in task.lead] or seen or [None])[-1]


def status_on(task: Task, records: list[Progress], day: dt.date) -> str:
    """Where a task stands on a day."""
    record = latest(task, records, day)
    return record.status if record else task.status


def current_status(task: Task, records: list[Progress], today: dt.date) -> str:
    """Where a task stands today."""
    return status_on(task, records, today)


def state(
    task: Task, issued: dt.date | None, records: list[Progress], as_of: dt.date, days: dict[str, int]
) -> TaskState:
    """Where a task stands on a day, and its light; `issued` is its document's date, `days` the
    lights' limits (cityplan.toml [lights])."""
    seen = [r for r in records if r.date <= as_of]
    record = latest(task, records, as_of)
    status = record.status if record else task.status
    last_update = max((r.date for r in seen), default=None)
    stale = _staleness(issued, last_update, as_of, days["stale_days"])
    reasons: list[str] = []
    if status == "done":
        light = "closed"
    else:
        if status == "blocked":
            reasons.append(f"受阻：{record.note}" if record and record.note else "受阻")
        if task.due and task.due < as_of:
            reasons.append(f"逾期 {(as_of - task.due).days} 天（期限 {task.due}）")
        if reasons:
            light = "red"
        else:
            if task.due and (task.due - as_of).days <= days["due_soon_days"]:
                left = (task.due - as_of).days
                reasons.append(
                    f"今日到期（期限 {task.due}）" if left == 0 else f"{left} 天后到期（期限 {task.due}）"
                )
            reasons += stale
            light = "yellow" if reasons else "green"
    return TaskState(
        task_id=task.id,
        status=status,
        light=light,
        reasons=tuple(reasons),
        stale=bool(stale),
        last_update=last_update,
        percent=record.percent if record else None,
        note=record.note if record else "",
    )


def _staleness(issued: dt.date | None, last: dt.date | None, as_of: dt.date, limit: int) -> list[str]:
    if last is not None:
        return [f"{(as_of - last).days} 天未更新"] if (as_of - last).days > limit else []
    if issued is None or (as_of - issued).days > limit:
        return ["尚无进展记录"]
    return []


def states(ds: Dataset, as_of: dt.date) -> dict[str, TaskState]:
    lights = ds.settings.lights
    issued = {d.id: d.date for d in ds.documents.values()}
    return {t.id: state(t, issued.get(t.doc_id), ds.history.get(t.id, []), as_of, lights) for t in ds.tasks}
