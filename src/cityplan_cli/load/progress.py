"""Progress files (`progress/UNIT.toml`): one unit's records, as written. The unit is the one the
file names in its `unit` field, never guessed from the file's name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cityplan_cli.load.fields import FileReader, Parsed
from cityplan_cli.model import STATUSES

RECORD_KEYS = frozenset({"task", "date", "status", "note", "percent"})


def parse_progress(path: Path) -> Parsed:
    f = FileReader(path)
    if not f.read():
        return Parsed("progress", {}, f.problems)
    f.unknown_keys(f.data, {"unit", "records"}, (1, 1))
    name = f.get(f.data, "unit", str, (1, 1), required=True)
    rows: dict[str, list[tuple[Any, ...]]] = {"progress_files": [(name,)], "progress": []}
    records = f.tables(f.data, "records")
    for pos, table in enumerate(records):
        span = ("[[records]]", pos)
        f.unknown_keys(table, RECORD_KEYS, span)
        task_id = f.get(table, "task", str, span, required=True)
        date = f.get(table, "date", dt.date, span, required=True)
        status = f.get(table, "status", str, span, required=True)
        percent = f.get(table, "percent", int, span)
        if status is not None and status not in STATUSES:
            f.report(f.line("status", span), f"status '{status}' is not one of {', '.join(STATUSES)}")
            status = None
        if percent is not None and not 0 <= percent <= 100:
            f.report(f.line("percent", span), f"'percent' must be 0 to 100, not {percent}")
            percent = None
        if task_id is None or date is None or status is None:
            continue
        note = f.get(table, "note", str, span, default="") or ""
        rows["progress"].append((pos, task_id, date.isoformat(), status, note, percent))
    return Parsed("progress", rows, f.problems)
