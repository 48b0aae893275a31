"""Progress files: a unit's records, as written. The tool writes one file per unit and clone
(`progress/UNIT/COPY.toml`); older and hand-written files (`progress/UNIT.toml`) load the same. The
unit is the one the file names in its `unit` field, never guessed from the file's name.

Besides status records, a file holds a unit's receipts of tasks (`kind = "ack"`, 签收) and, in the
supervisor's files, its verdicts on tasks reported done (`kind = "confirm"`, 销号, or "reject", 退回,
with a note saying why): records with no status.

What a file shows alone is checked here: types, statuses, percent, the note a blocked part needs,
control characters. What needs other files (the task, its owners and its document's date, the
records one amends or withdraws) is checked in the index, once every file is read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from cityplan_cli.errors import Finding
from cityplan_cli.i18n import N_
from cityplan_cli.load.fields import FileReader, Parsed, text_fault
from cityplan_cli.model import ACTS, STATUSES

RECORD_KEYS = frozenset(
    {
        "id",
        "task",
        "date",
        "status",
        "note",
        "percent",
        "by",
        "entered",
        "amends",
        "withdraws",
        "kind",
        "milestone",
        "evidence",
    }
)
TEXT_KEYS = ("id", "note", "by", "amends", "withdraws")


def parse_progress(path: Path) -> Parsed:
    f = FileReader(path)
    if not f.read():
        return Parsed("progress", {}, f.problems)
    f.unknown_keys(f.data, {"unit", "records"}, (1, 1))
    name = f.get(f.data, "unit", str, (1, 1), required=True)
    rows: dict[str, list[tuple[Any, ...]]] = {"progress_files": [(name,)], "progress": []}
    per_day: dict[dt.date, int] = {}
    for pos, table in enumerate(f.tables(f.data, "records")):
        span = ("[[records]]", pos)
        f.unknown_keys(table, RECORD_KEYS, span)
        task_id = f.get(table, "task", str, span, required=True)
        date = f.get(table, "date", dt.date, span, required=True)
        text = {key: f.get(table, key, str, span, default="") or "" for key in TEXT_KEYS}
        note, amends, withdraws = text["note"], text["amends"], text["withdraws"]
        kind = f.get(table, "kind", str, span, default="") or ""
        status = f.get(table, "status", str, span, required=not (withdraws or kind))
        percent = f.get(table, "percent", int, span)
        entered = f.get(table, "entered", dt.datetime, span)
        milestone = f.get(table, "milestone", dt.date, span)
        evidence = _evidence(f, table, span)
        if evidence is None:
            ok = False
        if milestone is not None and status not in ("in_progress", "done"):
            f.report(
                f.line("milestone", span),
                Finding(N_("a milestone is reported reached by an in_progress or done record")),
            )
            ok = False
        ok = True
        if withdraws and (status is not None or percent is not None or amends):
            f.report(
                f.line("withdraws", span),
                Finding(N_("a record that withdraws another has no status, percent or amends")),
            )
            ok = False
        if kind and kind not in ACTS:
            f.report(
                f.line("kind", span),
                Finding(N_("kind '{kind}' is not one of {choices}"), kind=kind, choices=ACTS),
            )
            ok = False
        elif kind and (status is not None or percent is not None or amends or withdraws):
            f.report(
                f.line("kind", span),
                Finding(
                    N_("a record of kind '{kind}' has no status, percent, amends or withdraws"), kind=kind
                ),
            )
            ok = False
        if kind == "reject" and not note.strip():
            f.report(
                f.line("note", span), Finding(N_("a rejection needs a note saying why the task goes back"))
            )
            ok = False
        if status is not None and status not in STATUSES:
            f.report(
                f.line("status", span),
                Finding(
                    N_("status '{status}' is not one of {choices}"),
                    status=status,
                    choices=STATUSES,
                ),
            )
            ok = False
        if status == "blocked" and not note.strip():
            f.report(f.line("note", span), Finding(N_("a blocked part needs a note saying what blocks it")))
            ok = False
        if percent is not None and not 0 <= percent <= 100:
            f.report(
                f.line("percent", span),
                Finding(N_("'percent' must be 0 to 100, not {percent}"), percent=percent),
            )
            ok = False
        if "id" in table and not text["id"].strip():
            f.report(f.line("id", span), Finding(N_("'id' must not be empty")))
            ok = False
        if date is not None:
            per_day[date] = per_day.get(date, 0) + 1
        if not ok or task_id is None or date is None or (status is None and not (withdraws or kind)):
            continue
        rows["progress"].append(
            (
                pos,
                task_id,
                date.isoformat(),
                status,
                note,
                percent,
                text["id"] or f"{date.isoformat()}#{per_day[date]}",
                text["by"],
                entered.isoformat() if entered is not None else None,
                amends,
                withdraws,
                kind,
                milestone.isoformat() if milestone is not None else None,
                json.dumps(evidence, ensure_ascii=False) if evidence else None,
            )
        )
    return Parsed("progress", rows, f.problems)


EVIDENCE_KEYS = frozenset({"file", "sha256", "name"})
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _evidence(f: FileReader, table: dict[str, Any], span: tuple[str, int]) -> list[dict[str, str]] | None:
    """A record's `evidence`: [{file, sha256, name}], each file under evidence/ (None: reported)."""
    raw = table.get("evidence")
    if raw is None:
        return []
    line = f.line("evidence", span)
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        f.report(
            line, Finding(N_("'evidence' must be a list of tables ({{file = …, sha256 = …, name = …}})"))
        )
        return None
    out = []
    for entry in raw:
        unknown = sorted(set(entry) - EVIDENCE_KEYS)
        file, sha, name = entry.get("file"), entry.get("sha256"), entry.get("name", "")
        if unknown:
            f.report(
                line,
                Finding(N_("evidence: unknown key '{unknown}' (file, sha256, name)"), unknown=unknown[0]),
            )
            return None
        if not (isinstance(file, str) and isinstance(sha, str) and isinstance(name, str)):
            f.report(line, Finding(N_("evidence: 'file' and 'sha256' are required strings, 'name' a string")))
            return None
        parts = file.split("/")
        if (
            len(parts) < 3
            or parts[0] != "evidence"
            or any(p in ("", ".", "..") for p in parts)
            or "\\" in file
        ):
            f.report(line, Finding(N_("evidence: '{file}' is not a file under evidence/"), file=file))
            return None
        if not SHA256.match(sha):
            f.report(line, Finding(N_("evidence: sha256 '{sha}' is not 64 lower-case hex digits"), sha=sha))
            return None
        for text in (file, name):
            fault = text_fault("name", text)
            if fault:
                f.report(line, Finding(N_("evidence: {fault}"), fault=fault))
                return None
        out.append({"file": file, "sha256": sha, "name": name})
    return out
