"""What a reminder notice (催办通知) says to a unit on a day, and the summary its supervisor gets:
data, not formatting. Nothing depends on when it is made, only on the data and the day.

A unit is reminded of each task it has a part in that is not done (nor awaiting its supervisor's
verdict) and whose own part is not done, under the first of these that holds:

- overdue (逾期未完成): the task's due date or its next open milestone has passed;
- due soon (临近到期): one of them falls within the window (`due_soon_days` by default);
- unacknowledged (逾期未签收): the unit has neither acknowledged the task nor recorded on it, and its
  签收 deadline has passed;
- not updated (未按时反馈): the unit's last record (or, with none, the document's date) is older
  than `stale_days`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cityplan_cli.model import PENDING, ROLE_LABELS, STATE_LABELS, Unit
from cityplan_cli.tracking import counting, standing

if TYPE_CHECKING:
    from cityplan_cli.index import Index

CATEGORIES = ("overdue", "due_soon", "unacknowledged", "stale")
CATEGORY_LABELS = {
    "overdue": "逾期未完成",
    "due_soon": "临近到期",
    "unacknowledged": "逾期未签收",
    "stale": "未按时反馈",
}


@dataclass(frozen=True)
class Item:
    """One task a unit is reminded of."""

    task_id: str
    title: str
    doc: str
    role: str
    via: str | None
    category: str
    deadline: dt.date | None  # the date it is reminded of: due, milestone or 签收 deadline
    deadline_text: str  # 期限 2026-12-31 / 节点 2026-01-30：完成摸底调查 / 签收期限 2026-02-25
    last: str  # the unit's last record (or the task's), in words
    supervisor: str | None


@dataclass
class Notice:
    unit: Unit
    as_of: dt.date
    items: list[Item] = field(default_factory=list)
    supervisors: dict[str, Unit] = field(default_factory=dict)  # name → the unit, for its contacts

    def by_category(self) -> dict[str, list[Item]]:
        return {c: [i for i in self.items if i.category == c] for c in CATEGORIES}


def notices(
    ix: Index, as_of: dt.date, units: list[str] | None = None, window: int | None = None
) -> list[Notice]:
    """Every unit's notice with something to remind it of (of `units` only, where given), in
    registry order; `window`: the days ahead that count as due soon."""
    from cityplan_cli import queries
    from cityplan_cli.supervision import ack_deadline, assigned_on

    registry = ix.registry()
    if units is None:
        duties = queries.all_duties(ix)
        chosen = [u.name for u in registry if duties.get(u.name)]
    else:
        chosen = list(dict.fromkeys(units))
        duties = {name: queries.duties(ix, name) for name in chosen}
    wanted = {d.task_id for name in chosen for d in duties.get(name, [])}
    if not wanted:
        return []
    sel = queries.select(ix, queries.TaskFilter(ids=tuple(sorted(wanted))), as_of)
    tracker, docs = sel.tracker, ix.documents()
    settings = tracker.settings
    window = settings.lights["due_soon_days"] if window is None else window
    stale_days, ack_days = settings.lights["stale_days"], settings.supervision["ack_days"]
    by_id = {t.id: t for t in sel.tasks}
    states = {}
    for task in sel.tasks:
        doc = docs.get(task.doc_id)
        states[task.id] = tracker.state(task, doc.date if doc else None, sel.counted.get(task.id, []), as_of)
    out = []
    for name in chosen:
        notice = Notice(registry.get(name), as_of)
        for duty in duties.get(name, []):
            task, state = by_id.get(duty.task_id), states.get(duty.task_id)
            if task is None or state is None or state.status in ("done", PENDING):
                continue
            records = [r for r in sel.counted.get(task.id, []) if r.date <= as_of]
            own = [r for r in standing(records) if r.unit == name]
            if own and own[-1].status == "done":
                continue
            doc = docs.get(task.doc_id)
            issued = doc.date if doc else None
            dates = []
            if task.due:
                dates.append((task.due, f"期限 {task.due}"))
            step = state.milestone
            if step is not None and step.date != task.due:
                dates.append((step.date, f"节点 {step.date}：{step.text}"))
            dates.sort()
            passed = [d for d in dates if d[0] < as_of]
            near = [d for d in dates if d[0] <= as_of + dt.timedelta(days=window)]
            heard = any(r.unit == name and r.kind in ("", "ack") for r in counting(records))
            assigned = assigned_on(task, name, duty.via, issued)
            ack_by = ack_deadline(assigned, ack_days) if assigned else None
            last_day = own[-1].date if own else issued
            if passed:
                category, (deadline, text) = "overdue", passed[0]
            elif near:
                category, (deadline, text) = "due_soon", near[0]
            elif not heard and ack_by is not None and ack_by < as_of:
                category, deadline, text = "unacknowledged", ack_by, f"签收期限 {ack_by}"
            elif last_day is None or (as_of - last_day).days > stale_days:
                category = "stale"
                deadline, text = dates[0] if dates else (None, "未定期限")
            else:
                continue
            supervisor = doc.supervisor if doc else None
            if supervisor is not None and supervisor in registry:
                notice.supervisors.setdefault(supervisor, registry.get(supervisor))
            notice.items.append(
                Item(
                    task_id=task.id,
                    title=task.title,
                    doc=(doc.number or doc.title) if doc else task.doc_id,
                    role=duty.role,
                    via=duty.via,
                    category=category,
                    deadline=deadline,
                    deadline_text=text,
                    last=_last(own, records),
                    supervisor=supervisor,
                )
            )
        if notice.items:
            notice.items.sort(key=lambda i: (CATEGORIES.index(i.category), i.deadline or dt.date.max))
            out.append(notice)
    return out


def _last(own: list, records: list) -> str:
    """The unit's own last record, else the task's last (whoever made it), in words."""
    if own:
        r = own[-1]
        return f"{r.date} {STATE_LABELS[r.status]}" + (f"：{r.note}" if r.note else "")
    others = standing(records)
    if others:
        r = others[-1]
        return f"本单位尚无记录；{r.unit} {r.date} {STATE_LABELS[r.status]}" + (
            f"：{r.note}" if r.note else ""
        )
    return "尚无进展记录"


def role_text(item: Item) -> str:
    return ROLE_LABELS[item.role] + (f"（通过{item.via}）" if item.via else "")
