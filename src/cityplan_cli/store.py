"""The one place that writes data files: format-preserving, atomic and locked.

tomlkit keeps every comment, blank line and key order of the file; only the values set change. The
new text is parsed again before it replaces the old file, the replacement is atomic, and a file lock
keeps two processes from losing each other's edit. Locks live in the data directory's `.cityplan/`,
which ignores itself, so that `git add -A` never picks one up. Progress records are never edited: each
is added to its copy's own file (`add_record`).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import tomlkit
from filelock import FileLock
from tomlkit.items import Table

from cityplan_cli.errors import CityplanError
from cityplan_cli.files import write_atomic
from cityplan_cli.i18n import _
from cityplan_cli.layout import PROGRESS_DIR, STATE_DIR, progress_stem
from cityplan_cli.load import read_text, tomllib
from cityplan_cli.model import ROLES, Progress

LOCK_TIMEOUT = 30  # seconds: far longer than any edit takes
IGNORE_ALL = "# cityplan's own files (locks, this clone's id): never data, never committed\n*\n"


@contextmanager
def locked(path: Path, root: Path | None = None) -> Iterator[None]:
    """Hold the lock of a data file (or folder) of the data directory `root` (default: the file's
    folder). The lock file is `root/.cityplan/locks/PATH.lock`; `.cityplan/` holds a `.gitignore`
    that ignores everything in it, so a lock is never committed, whoever made the repository."""
    root = path.parent if root is None else root
    folder = root / STATE_DIR
    locks = folder / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    if not (folder / ".gitignore").exists():
        write_atomic(folder / ".gitignore", IGNORE_ALL)
    name = "~".join(Path(os.path.relpath(path, root)).parts)  # symlinks not followed: the path as named
    with FileLock(locks / f"{name}.lock", timeout=LOCK_TIMEOUT):
        yield


def set_owners(
    path: Path, task_id: str, owners: Mapping[str, Sequence[str]], note: str, day: dt.date | None = None
) -> None:
    """Write the given roles' unit lists into task `task_id` of `path`; other roles stay as they are.
    The task's basis records the assignment (`how = "assigned"`, with `note` saying whose it is), and
    loses what it said of units that are no longer owners."""
    with locked(path):
        raw = path.read_bytes()
        text = _read(path)
        doc = tomlkit.parse(text)
        table = _task_table(doc, task_id, path)
        for role in ROLES:
            if role in owners:
                _set(table, role, list(owners[role]))
        _record_assignment(table, [u for units in owners.values() for u in units], note, day)
        new = tomlkit.dumps(doc)
        tomllib.loads(new)  # never write what cannot be read back
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        write_atomic(path, bom + new.encode("utf-8"))


def _task_table(doc: tomlkit.TOMLDocument, task_id: str, path: Path) -> Table:
    for table in doc.get("tasks", []):
        if table.get("id") == task_id:
            return table
    raise CityplanError(_("{path}: no task with id '{task}'").format(path=path, task=task_id))


def _set(table: Table, key: str, value: list[str]) -> None:
    """Replace a key's value where it stands. A key the task lacks is added at the end of its keys
    (documents written by `import` carry all three roles, so this is rare)."""
    if key in table:
        table[key] = value
    else:
        table.add(key, value)


def _record_assignment(table: Table, units: list[str], note: str, day: dt.date | None = None) -> None:
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
    if day is not None:
        entry.add("date", day)
    entry.add(tomlkit.nl())  # a blank line before the next task, for the people who read the file
    if entries is None:
        entries = tomlkit.aot()
        table.add("basis", entries)
    entries.append(entry)


def write_new(path: Path, text: str, force: bool = False) -> None:
    """Write a new data file; an existing one is replaced only with `force`."""
    with locked(path):
        if path.exists() and not force:
            raise CityplanError(_("{path} exists; give --force to replace it").format(path=path))
        tomllib.loads(text)
        write_atomic(path, text)


def add_record(root: Path, record: Progress) -> tuple[Path, str]:
    """Add a progress record to this copy's file for its unit, `progress/UNIT/COPY.toml`, creating
    the file on the first; return the file and the record's id (`record.id` is ignored).

    COPY is this copy of the data's own id (`copy_id`): no other clone writes that file, so git
    merges what clones record without a conflict, and the records of one unit stay a few files. The
    record is appended as text after the file's last line (earlier records stay byte for byte); the
    whole is read back before it replaces the file, atomically, under the file's lock. Its id is its
    date and six random hex digits, drawn again if the file has it already."""
    path = root / PROGRESS_DIR / progress_stem(record.unit) / f"{copy_id(root)}.toml"
    with locked(path, root):
        text = _read(path) if path.exists() else _HEADER.format(unit=tomlkit.string(record.unit).as_string())
        taken = {r.get("id") for r in tomllib.loads(text).get("records", [])}
        ident = f"{record.date.isoformat()}-{secrets.token_hex(3)}"
        while ident in taken:
            ident = f"{record.date.isoformat()}-{secrets.token_hex(3)}"
        table = tomlkit.table()
        fields = {
            "id": ident,
            "task": record.task_id,
            "date": record.date,
            "status": record.status,
            "percent": record.percent,
            "note": record.note,
            "amends": record.amends,
            "withdraws": record.withdraws,
            "kind": record.kind,
            "milestone": record.milestone,
            "evidence": _inline(
                [{"file": e.file, "sha256": e.sha256, "name": e.name} for e in record.evidence]
            ),
            "by": record.by,
            "entered": record.entered,
        }
        for key, value in fields.items():
            if value not in (None, "", []):
                table.add(key, value)
        block = tomlkit.document()
        block.add("records", tomlkit.aot())
        block["records"].append(table)
        new = text.rstrip("\n") + "\n\n" + tomlkit.dumps(block)
        try:
            tomllib.loads(new)  # never write what cannot be read back
        except tomllib.TOMLDecodeError as exc:
            from cityplan_cli.errors import shown
            from cityplan_cli.load.text import toml_line, toml_problem

            raise CityplanError(
                _("{path}:{line}: a record cannot be added to this file as it stands: {why}").format(
                    path=path, line=toml_line(exc), why=shown(toml_problem(exc))
                )
            ) from None
        write_atomic(path, new)
    return path, ident


def update(path: Path, change: Callable[[tomlkit.TOMLDocument | None], tomlkit.TOMLDocument | None]) -> bool:
    """Write a data file from what it holds now, under its lock: `change` gets the parsed file (None
    when there is none yet) and returns it changed, or None to leave it as it is. Comments and layout
    are kept; the new text is read back before it atomically replaces the old. Whether it wrote."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        current, bom = None, b""
        if path.exists():
            raw = path.read_bytes()
            text = _read(path)
            try:
                current = tomlkit.parse(text)
            except tomlkit.exceptions.ParseError as exc:
                raise CityplanError(_not_toml(path, text, exc)) from None
            bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        changed = change(current)
        if changed is None:
            return False
        new = tomlkit.dumps(changed)
        tomllib.loads(new)  # never write what cannot be read back
        write_atomic(path, bom + new.encode("utf-8"))
        return True


_HEADER = """\
# 进展记录，由 cityplan progress 写入：每份数据副本（clone）一个文件。
# 记录只增不改：更正用 --amend，撤回用 --withdraw。
unit = {unit}
"""


def copy_id(root: Path) -> str:
    """The id of this copy of the data directory (a clone, on one machine, in one place), kept in
    `.cityplan/copy`, which git never sees: every clone draws its own on its first record, and so
    does a copy moved elsewhere or to another machine."""
    import json
    import re
    import socket

    path = root / STATE_DIR / "copy"
    where = f"{socket.gethostname()}:{root.resolve()}"
    with locked(path, root):
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
            if kept.get("where") == where and re.fullmatch(r"[0-9a-f]{8}", str(kept.get("id"))):
                return kept["id"]
        except (OSError, ValueError, AttributeError):
            pass  # none yet, or not ours to trust: draw one
        ident = secrets.token_hex(4)
        write_atomic(path, json.dumps({"id": ident, "where": where}, ensure_ascii=False) + "\n")
        return ident


def _read(path: Path) -> str:
    text, why = read_text(path)
    if why is not None:
        raise CityplanError(why.shown(path))
    assert text is not None
    return text


def _not_toml(path: Path, text: str, exc: tomlkit.exceptions.ParseError) -> str:
    """Why a file is not TOML, at which line: as the parser the loader reads with says it, through
    the catalog; tomlkit's own words only where that parser reads the file (it never should)."""
    from cityplan_cli.errors import shown
    from cityplan_cli.load.text import toml_line, toml_problem

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as found:
        line, why = toml_line(found), shown(toml_problem(found))
    else:
        line, why = exc.line, str(exc)
    return _("{path}:{line}: not a TOML file: {why}").format(path=path, line=line, why=why)


def _inline(tables: list[dict[str, str]]) -> object:
    """A list of tables written on the record's own line, as an array of inline tables."""
    if not tables:
        return None
    array = tomlkit.array()
    for fields in tables:
        inline = tomlkit.inline_table()
        inline.update(fields)
        array.append(inline)
    return array
