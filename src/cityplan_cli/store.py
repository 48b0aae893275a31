"""The one place that writes data files: format-preserving, atomic and locked.

tomlkit keeps every comment, blank line and key order of the file; only the values set change. The
new text is parsed again before it replaces the old file, the replacement is atomic, and a file lock
beside the data file keeps two processes from losing each other's edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import tomlkit
from filelock import FileLock
from tomlkit.items import Table

from cityplan_cli.errors import CityplanError
from cityplan_cli.files import write_atomic
from cityplan_cli.load import read_text, tomllib
from cityplan_cli.model import ROLES, Progress

LOCK_TIMEOUT = 30  # seconds: far longer than any edit takes


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of a data file. The lock file sits beside it as `.NAME.lock`."""
    with FileLock(path.with_name(f".{path.name}.lock"), timeout=LOCK_TIMEOUT):
        yield


def set_owners(path: Path, task_id: str, owners: Mapping[str, Sequence[str]], note: str) -> None:
    """Write the given roles' unit lists into task `task_id` of `path`; other roles stay as they are.
    The task's basis records the assignment (`how = "assigned"`, with `note` saying whose it is), and
    loses what it said of units that are no longer owners."""
    with locked(path):
        raw = path.read_bytes()
        text, why = read_text(path)
        if text is None:
            raise CityplanError(f"{path}: {why}")
        doc = tomlkit.parse(text)
        table = _task_table(doc, task_id, path)
        for role in ROLES:
            if role in owners:
                _set(table, role, list(owners[role]))
        _record_assignment(table, [u for units in owners.values() for u in units], note)
        new = tomlkit.dumps(doc)
        tomllib.loads(new)  # never write what cannot be read back
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        write_atomic(path, bom + new.encode("utf-8"))


def _task_table(doc: tomlkit.TOMLDocument, task_id: str, path: Path) -> Table:
    for table in doc.get("tasks", []):
        if table.get("id") == task_id:
            return table
    raise CityplanError(f"{path}: no task with id '{task_id}'")


def _set(table: Table, key: str, value: list[str]) -> None:
    """Replace a key's value where it stands. A key the task lacks is added at the end of its keys
    (documents written by `import` carry all three roles, so this is rare)."""
    if key in table:
        table[key] = value
    else:
        table.add(key, value)


def _record_assignment(table: Table, units: list[str], note: str) -> None:
    owners = {u for role in ROLES for u in table.get(role, [])}
    entries = table.get("basis")
    if entries is not None:
        for entry in list(entries):
            if entry.get("how") != "assigned":
                continue
            kept = [u for u in entry.get("units", []) if u in owners and u not in units]
            if kept:
                entry["units"] = kept
            else:
                entries.remove(entry)
    entry = tomlkit.table()
    entry.add("how", "assigned")
    entry.add("units", units)
    entry.add("note", note)
    entry.add(tomlkit.nl())  # a blank line before the next task, for the people who read the file
    if entries is None:
        entries = tomlkit.aot()
        table.add("basis", entries)
    entries.append(entry)


def write_new(path: Path, text: str, force: bool = False) -> None:
    """Write a new data file; an existing one is replaced only with `force`."""
    with locked(path):
        if path.exists() and not force:
            raise CityplanError(f"{path} exists; give --force to replace it")
        tomllib.loads(text)
        write_atomic(path, text)


def append_progress(path: Path, record: Progress) -> None:
    """Add a record to a unit's progress file, creating the file on its unit's first record.

    Under the file's lock the file is read afresh, so records that other processes added meanwhile
    stay; the comments and layout of the file are kept."""
    with locked(path):
        if path.exists():
            text, why = read_text(path)
            if text is None:
                raise CityplanError(f"{path}: {why}")
            doc = tomlkit.parse(text)
        else:
            doc = tomlkit.document()
            doc.add(
                tomlkit.comment(f"进展记录:{record.unit}. Written by `cityplan progress`; edit with care.")
            )
            doc.add("unit", record.unit)
        records = doc.setdefault("records", tomlkit.aot())
        table = tomlkit.table()
        table.add("task", record.task_id)
        table.add("date", record.date)
        table.add("status", record.status)
        table.add("note", record.note)
        if record.percent is not None:
            table.add("percent", record.percent)
        table.add(tomlkit.nl())  # a blank line between records, for the people who read the file
        records.append(table)
        new = tomlkit.dumps(doc)
        tomllib.loads(new)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, new)


def update(path: Path, change: Callable[[tomlkit.TOMLDocument | None], tomlkit.TOMLDocument | None]) -> bool:
    """Write a data file from what it holds now, under its lock: `change` gets the parsed file (None
    when there is none yet) and returns it changed, or None to leave it as it is. Comments and layout
    are kept; the new text is read back before it atomically replaces the old. Whether it wrote."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        current, bom = None, b""
        if path.exists():
            raw = path.read_bytes()
            text, why = read_text(path)
            if text is None:
                raise CityplanError(f"{path}: {why}")
            try:
                current = tomlkit.parse(text)
            except tomlkit.exceptions.ParseError as exc:
                raise CityplanError(f"{path}: not a TOML file ({exc})") from None
            bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        changed = change(current)
        if changed is None:
            return False
        new = tomlkit.dumps(changed)
        tomllib.loads(new)  # never write what cannot be read back
        write_atomic(path, bom + new.encode("utf-8"))
        return True
