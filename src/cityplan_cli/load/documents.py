"""Document files: the [document] table, its rules, and its [[tasks]], as written.

Unit names stay as written here; `resolve` turns them into units with the registry. A task's due date
in working days is counted here, on the official holiday calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cityplan_cli.errors import Finding
from cityplan_cli.i18n import N_
from cityplan_cli.layout import SEP
from cityplan_cli.load.fields import FileReader, Parsed, Schema, Tables, Where, dumps
from cityplan_cli.model import ROLES, STATUSES

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DOC_KEYS = frozenset(
    {"id", "number", "issuer", "date", "published", "title", "addressees", "rules", "due", "due_working_days"}
    | {"source", "implements_doc", "supervisor"}
)
RULE_KEYS = frozenset({"text", "local", "from_seq", "to_seq", "unless_kind"})
TASK_FIELDS: Schema = {
    "id": (str, True, None),
    "seq": (int, True, None),
    "title": (str, True, None),
    "text": (str, False, ""),
    "section": (str, False, ""),
    "label": (str, False, ""),
    **{role: (list, False, ()) for role in ROLES},
    "leaders": (list, False, ()),
    "status": (str, False, "not_started"),
    "due": (dt.date, False, None),
    "due_text": (str, False, ""),
    "due_working_days": (int, False, None),
    "start": (dt.date, False, None),
    "time_limit": (str, False, ""),
    "milestones": (Tables, False, None),
    "basis": (Tables, False, None),
    "implements": (list, False, ()),
    "proposed": (dict, False, None),
}
TASK_KEYS = frozenset(TASK_FIELDS)
BASIS_KEYS = frozenset({"quote", "how", "units", "note", "task", "date"})
BASIS_HOWS = ("named", "addressee", "collective", "column", "assigned", "implements")
MILESTONE_KEYS = frozenset({"date", "text"})
# Owners `cityplan cascade` proposes, for the office to confirm: read for their shape only, never owners.
PROPOSED_FIELDS: Schema = {role: (list, False, ()) for role in ROLES} | {"why": (list, False, ())}
MAX_WORKING_DAYS = 7500  # 30 years: a limit beyond is a typo, and counting it day by day would take long


def parse_document(path: Path) -> Parsed:
    f = FileReader(path)
    if not f.read():
        return Parsed("document", {}, f.problems)
    f.unknown_keys(f.data, {"document", "tasks"}, (1, 1))
    head = f.data.get("document")
    span: Where = ("[document]", 0)
    if not isinstance(head, dict):
        f.report(1, Finding(N_("missing the [document] table (id, title, issuer, date …)")))
        return Parsed("document", {}, f.problems)
    f.unknown_keys(head, DOC_KEYS, span)
    doc_id = f.get(head, "id", str, span, required=True)
    if doc_id is not None and not ID.match(doc_id):
        f.report(
            f.line("id", span),
            Finding(
                N_("document id '{doc_id}' must be ASCII letters, digits, '.', '_' or '-'"), doc_id=doc_id
            ),
        )
        doc_id = None
    date = f.get(head, "date", dt.date, span)
    f.anchor(date)
    doc_days = _working_days(f, head, span)
    doc_due = f.get(head, "due", dt.date, span)
    rules = _rules(f, head, span, doc_id or "")
    rows: dict[str, list[tuple[Any, ...]]] = {"rules": rules, "tasks": [], "documents": [], "links": []}
    document = (
        doc_id,
        f.get(head, "number", str, span),
        f.get(head, "issuer", str, span, required=True, default="") or "",
        _iso(date),
        _iso(f.get(head, "published", dt.date, span)),
        f.get(head, "title", str, span, required=True, default="") or "",
        dumps(list(f.get(head, "addressees", list, span, default=()))),
        _iso(doc_due),
        doc_days,
        f.get(head, "source", str, span),
        f.get(head, "implements_doc", str, span),
        (f.get(head, "supervisor", str, span) or "").strip() or None,
    )
    if doc_id is not None:
        rows["documents"].append(document)

    raw_tasks = f.tables(f.data, "tasks")
    if not raw_tasks:
        f.report(f.first(span), Finding(N_("the document has no tasks ([[tasks]])")))
    seqs: dict[int, int] = {}
    all_seqs: list[int | None] = []
    nested = _Nested()
    for pos, table in enumerate(raw_tasks):
        tspan = ("[[tasks]]", pos)
        seq = _task(f, table, tspan, pos, doc_id or "", date, doc_due, doc_days, nested, rows)
        all_seqs.append(seq)
        if seq in seqs:
            first = f.line("seq", ("[[tasks]]", seqs[seq]))
            f.report(
                f.line("seq", tspan),
                Finding(N_("duplicate seq {seq} (also at line {first})"), seq=seq, first=first),
            )
        elif seq is not None:
            seqs[seq] = pos
    # A task whose seq could not be read is already reported; gaps would only repeat it.
    if seqs and None not in all_seqs:
        missing = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
        if missing:
            shown = [str(n) for n in missing[:10]] + (["…"] if len(missing) > 10 else [])
            f.report(
                f.first(span),
                Finding(
                    N_("missing seq {shown} (items are numbered 1 to {last})"), shown=shown, last=max(seqs)
                ),
            )
    return Parsed("document", rows, f.problems)


def _rules(f: FileReader, head: dict[str, Any], span: Where, doc_id: str) -> list[tuple[Any, ...]]:
    raw = head.get("rules", [])
    if not (isinstance(raw, list) and all(isinstance(r, dict) for r in raw)):
        f.report(
            f.line("rules", span), Finding(N_("'rules' must be an array of tables ([[document.rules]])"))
        )
        return []
    rows = []
    for pos, table in enumerate(raw):
        rspan = ("[[document.rules]]", pos)
        f.unknown_keys(table, RULE_KEYS, rspan)
        rows.append(
            (
                pos,
                doc_id,
                f.get(table, "text", str, rspan, default="") or "",
                SEP.join(f.get(table, "local", list, rspan, required=True, default=())),
                f.get(table, "from_seq", int, rspan, default=1),
                f.get(table, "to_seq", int, rspan),
                dumps(list(f.get(table, "unless_kind", list, rspan, default=()))),
            )
        )
    return rows


class _Nested:
    """Counts [[tasks.basis]], [[tasks.milestones]] and [tasks.proposed] tables in file order: the
    n-th of them is the n-th such header of the file."""

    def __init__(self) -> None:
        self.count = {"basis": 0, "milestones": 0, "proposed": 0}

    def next(self, key: str) -> Where:
        n = self.count[key]
        self.count[key] = n + 1
        return (f"[tasks.{key}]", n) if key == "proposed" else (f"[[tasks.{key}]]", n)

    def tables(
        self, f: FileReader, entries: list[dict[str, Any]], key: str, known: frozenset[str] | set[str]
    ) -> Iterator[tuple[dict[str, Any], Where]]:
        """Each [[tasks.KEY]] table with where it stands, its unknown keys reported."""
        for entry in entries:
            where = self.next(key)
            f.unknown_keys(entry, known, where)
            yield entry, where


def _task(
    f: FileReader,
    table: dict[str, Any],
    span: Where,
    pos: int,
    doc_id: str,
    doc_date: dt.date | None,
    doc_due: dt.date | None,
    doc_days: int | None,
    nested: _Nested,
    rows: dict[str, list[tuple[Any, ...]]],
) -> int | None:
    """Add the task's rows, unless a field it cannot do without is wrong; return its seq, if valid."""
    v = f.fields(table, TASK_FIELDS, span)
    task_id, seq, title = v["id"], v["seq"], v["title"]
    if seq is not None and seq < 1:
        f.report(f.line("seq", span), Finding(N_("'seq' must be 1 or more, not {seq}"), seq=seq))
        seq = None
    if task_id is not None and not ID.match(task_id):
        f.report(
            f.line("id", span),
            Finding(
                N_("task id '{task_id}' must be ASCII letters, digits, '.', '_' or '-'"), task_id=task_id
            ),
        )
        task_id = None
    status = v["status"]
    if status not in STATUSES:
        f.report(
            f.line("status", span),
            Finding(N_("status '{status}' is not one of {choices}"), status=status, choices=STATUSES),
        )
        status = "not_started"
    basis = _basis(f, v["basis"] or [], nested)
    milestones = _milestones(f, v["milestones"] or [], nested)
    implements = list(dict.fromkeys(v["implements"]))
    if v["proposed"] is not None:
        f.fields(v["proposed"], PROPOSED_FIELDS, nested.next("proposed"))
    if task_id is None or seq is None or title is None:
        return seq
    rows["links"] += [(pos, target) for target in implements]
    rows["tasks"].append(
        (
            pos,
            task_id,
            doc_id,
            seq,
            title,
            v["text"],
            v["section"],
            v["label"],
            dumps(list(v["leaders"])),
            status,
            _iso(_due(f, v, span, doc_date, doc_due, doc_days)),
            v["due_text"],
            v["time_limit"],
            dumps(milestones),
            dumps(basis),
            SEP.join(implements),
            *(SEP.join(v[role]) for role in ROLES),
        )
    )
    return seq


def _basis(f: FileReader, entries: list[dict[str, Any]], nested: _Nested) -> list[dict[str, Any]]:
    out = []
    for entry, bspan in nested.tables(f, entries, "basis", BASIS_KEYS):
        how = f.get(entry, "how", str, bspan, default="named") or "named"
        if how not in BASIS_HOWS:
            f.report(
                f.line("how", bspan),
                Finding(N_("how '{how}' is not one of {choices}"), how=how, choices=BASIS_HOWS),
            )
            how = "named"
        # An assignment is the office's decision: it quotes no document, and says whose it is.
        quote = f.get(
            entry, "quote", str, bspan, required=how != "assigned", default="" if how == "assigned" else None
        )
        if how == "assigned" and not entry.get("units"):
            f.report(f.first(bspan), Finding(N_("an assigned basis names its units ('units')")))
        target = f.get(entry, "task", str, bspan, default="") or ""
        if target and how != "implements":
            f.report(
                f.line("task", bspan),
                Finding(N_("'task' is for a basis with how = \"implements\"")),
                "warning",
            )
        if quote is None:
            continue
        record = {"quote": quote, "how": how, "line": f.first(bspan)}
        units = f.get(entry, "units", list, bspan, default=())
        note = f.get(entry, "note", str, bspan, default="") or ""
        if units:
            record["units"] = list(units)
        if note:
            record["note"] = note
        if target:
            record["task"] = target
        day = f.get(entry, "date", dt.date, bspan)
        if day is not None and how != "assigned":
            f.report(
                f.line("date", bspan), Finding(N_("'date' is for a basis with how = \"assigned\"")), "warning"
            )
        elif day is not None:
            record["date"] = day.isoformat()
        out.append(record)
    return out


def _milestones(f: FileReader, entries: list[dict[str, Any]], nested: _Nested) -> list[dict[str, str]]:
    out = []
    for entry, mspan in nested.tables(f, entries, "milestones", MILESTONE_KEYS):
        date = f.get(entry, "date", dt.date, mspan, required=True)
        if date is not None:
            out.append({"date": date.isoformat(), "text": f.get(entry, "text", str, mspan, default="") or ""})
    return sorted(out, key=lambda m: m["date"])


def _working_days(f: FileReader, table: dict[str, Any], span: Where) -> int | None:
    return _days(f, f.get(table, "due_working_days", int, span), span)


def _days(f: FileReader, days: int | None, span: Where) -> int | None:
    if days is not None and not 1 <= days <= MAX_WORKING_DAYS:
        f.report(
            f.line("due_working_days", span),
            Finding(
                N_("'due_working_days' must be 1 to {MAX_WORKING_DAYS}"), MAX_WORKING_DAYS=MAX_WORKING_DAYS
            ),
        )
        return None
    return days


def _due(
    f: FileReader,
    v: dict[str, Any],
    span: Where,
    doc_date: dt.date | None,
    doc_due: dt.date | None,
    doc_days: int | None,
) -> dt.date | None:
    """A task's due date: its own `due`; or `due_working_days` working days after its `start` (or
    the document's date), on the official holiday calendar; or the document's default."""
    if v["due"] is not None:
        return v["due"]
    own = _days(f, v["due_working_days"], span)
    days = own if own is not None else doc_days
    if days is None:
        return doc_due
    start = v["start"] or doc_date
    key = "due_working_days" if own is not None else "seq"
    if start is None:
        f.report(
            f.line(key, span),
            Finding(N_("working days need a start: give the task a 'start' or the document a 'date'")),
        )
        return None
    from cityplan_cli.workdays import add_working_days

    try:
        due, exact = add_working_days(start, days)
    except OverflowError:  # a start near the year 9999, already warned about
        f.report(
            f.line(key, span),
            Finding(
                N_("due_working_days = {days} from {start} is past the calendar's end"),
                days=days,
                start=start,
            ),
        )
        return None
    if not exact:
        f.report(
            f.line(key, span),
            Finding(
                N_(
                    "the holiday calendar has no data for part of {start}–{due}: those days were counted "
                    "Monday to Friday (update the chinesecalendar package)"
                ),
                start=start,
                due=due,
            ),
            "warning",
        )
    return due


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date is not None else None
