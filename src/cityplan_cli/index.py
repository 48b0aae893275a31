"""The index: what every data file says, as rows of an SQLite database, kept per file.

Each file's rows are tagged with its path and keyed by its size, times and content hash, so a change
to one file re-reads that file only. What depends on the registry (units resolved from names,
document rules applied) is worked out again from the stored rows when `units.toml` changes, and what
depends on every file (duplicate ids across files, records of unknown tasks) after any change.

The same index answers with or without the cache: in memory (`--no-cache`) it is built from the
files and dropped at exit; stored (`cache.py`) it lives in the user's cache directory between runs.
It holds rows of text and numbers only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cityplan_cli.collector import paused
from cityplan_cli.errors import CityplanError, DataError, Finding, Problem, closest, suggested
from cityplan_cli.forked import MAX_PROCESSES, cpus
from cityplan_cli.i18n import N_
from cityplan_cli.layout import PROGRESS_DIR, SEP, SETTINGS_FILE, UNITS_FILE
from cityplan_cli.model import Basis, Milestone, Task  # a hundred thousand made at a time

if TYPE_CHECKING:
    from cityplan_cli.load.fields import Parsed
    from cityplan_cli.model import Dataset, Document, Progress, Settings, Unit
    from cityplan_cli.registry import Registry

SCHEMA = 10
APPLICATION_ID = 0x43505449  # "CPTI": a file another program wrote is not ours
RACY_NS = 3_000_000_000  # a file changed this close to when it was read may change again unseen
PARALLEL_BYTES = 4_000_000  # below this much to parse, worker processes cost more than they save
CACHE_KIB = 262_144  # SQLite's page cache: a province's index is read whole by some commands
SORT_KIB = 8_000  # the page cache while the indexes and duties are made (see Index._sorted)
# This program, and the libraries whose results the index stores: the TOML parser, and the holiday
# calendar behind due dates counted in working days.
LIBRARIES = ("cityplan_cli", "tomli", "chinese_calendar")
Issue = tuple[int, int, str, str]  # a problem found across files: (fid, line, severity, message)
# A finding is stored as its message and values (JSON), in no language: the cache answers in either.
sqlite3.register_adapter(Finding, lambda f: json.dumps(f.stored(), ensure_ascii=False))
BLOCK = 1 << 20  # a file's tasks are numbered fid × BLOCK + pos: its rows are one range of tids

# Rows are tagged by file (fid). A task keeps its units twice: as written (for when the registry
# changes) and resolved; `duties` holds what each unit must do (see THROUGH), and `links` the tasks a
# task implements again by target, for what carries a task out beneath it. Units' own duties wait in
# `own` (empty between refreshes) until every file is read: put into `duties` in its order then,
# they are appended instead of inserted all over it.
TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (fid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL,
    sha256 TEXT NOT NULL, racy INTEGER NOT NULL, rank INTEGER NOT NULL DEFAULT 0);
CREATE TABLE problems (fid INTEGER NOT NULL, line INTEGER NOT NULL, severity TEXT NOT NULL,
    message TEXT NOT NULL, stage TEXT NOT NULL);
CREATE TABLE units (pos INTEGER PRIMARY KEY, name TEXT NOT NULL, full_name TEXT NOT NULL, kind TEXT NOT NULL,
    aliases TEXT, nameplates TEXT, parent TEXT, capacity REAL, members TEXT, contact TEXT, places TEXT,
    remit TEXT, source TEXT, team TEXT);
CREATE TABLE settings (json TEXT NOT NULL);
CREATE TABLE documents (fid INTEGER NOT NULL, id TEXT NOT NULL, number TEXT, issuer TEXT, date TEXT,
    published TEXT, title TEXT, addressees TEXT, due TEXT, due_working_days INTEGER, source TEXT,
    implements_doc TEXT, supervisor TEXT, supervisor_unit TEXT);
CREATE TABLE rules (fid INTEGER NOT NULL, pos INTEGER NOT NULL, doc_id TEXT, text TEXT, local TEXT,
    from_seq INTEGER, to_seq INTEGER, unless_kind TEXT, units TEXT);
CREATE TABLE tasks (tid INTEGER PRIMARY KEY, id TEXT NOT NULL, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
    title TEXT NOT NULL, text TEXT, section TEXT, label TEXT, leaders TEXT, status TEXT, due TEXT,
    due_text TEXT, time_limit TEXT, milestones TEXT, basis TEXT, implements TEXT,
    lead_written TEXT, support_written TEXT, local_written TEXT,
    lead TEXT NOT NULL DEFAULT '', support TEXT NOT NULL DEFAULT '', local TEXT NOT NULL DEFAULT '',
    local_by_rule TEXT NOT NULL DEFAULT '');
CREATE TABLE links (tid INTEGER NOT NULL, target TEXT NOT NULL);
CREATE TABLE progress_files (fid INTEGER PRIMARY KEY, unit_name TEXT, unit TEXT);
CREATE TABLE progress (fid INTEGER NOT NULL, pos INTEGER NOT NULL, task TEXT, date TEXT, status TEXT,
    note TEXT, percent INTEGER, id TEXT NOT NULL, by TEXT, entered TEXT, amends TEXT, withdraws TEXT,
    kind TEXT NOT NULL DEFAULT '', milestone TEXT, evidence TEXT);
CREATE TABLE names (name TEXT PRIMARY KEY, unit TEXT NOT NULL);
CREATE TABLE membership (member TEXT NOT NULL, collective TEXT NOT NULL, distance INTEGER NOT NULL);
CREATE TABLE own (unit TEXT NOT NULL, tid INTEGER NOT NULL, rank INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE TABLE duties (unit TEXT NOT NULL, tid INTEGER NOT NULL, rank INTEGER NOT NULL, via TEXT, at INTEGER,
    PRIMARY KEY (unit, tid)) WITHOUT ROWID;
"""
# Made after the first rows are in: building an index once is faster than keeping it while inserting.
INDEXES = """
CREATE INDEX IF NOT EXISTS tasks_id ON tasks (id, doc_id);
CREATE INDEX IF NOT EXISTS documents_id ON documents (id);
CREATE INDEX IF NOT EXISTS links_target ON links (target);
CREATE INDEX IF NOT EXISTS links_tid ON links (tid);
CREATE INDEX IF NOT EXISTS progress_task ON progress (task);
CREATE INDEX IF NOT EXISTS progress_fid ON progress (fid);
CREATE INDEX IF NOT EXISTS progress_id ON progress (id);
CREATE INDEX IF NOT EXISTS membership_member ON membership (member);
CREATE INDEX IF NOT EXISTS problems_fid ON problems (fid);
"""
# What a unit must do (the `duties` table): its own roles, and those of every collective it belongs
# to, directly or through other collectives. A task reached several ways counts once: directly
# before through a collective (a unit named in two roles keeps the first: lead, support, local),
# else through the nearest collective, its first role, and of two such the one the task names first.
# A unit's own duties come with its file's rows (load.resolve: `via` empty, `at` the name's place in
# its role's list); THROUGH adds the others, of these tasks (or of all). SQLite takes `rank` and
# `via` from the row with the least weight (distance and role, then `at`: 2^20 places and more
# never occur); tracking.Tracker.place chooses alike, and a property test holds the two together.
# A unit in one collective only reaches a task one way: its rows need no choosing, and most units
# are such (choosing sorts every row: twice the time). A unit's own duty is already in the table,
# so the one through a collective is ignored there. Kept as a table, worked out again for a file's
# tasks when the file changes, for all when the registry does, so that every listing reads it (a
# province has a million).
THROUGH = (
    """
INSERT OR IGNORE INTO duties (unit, tid, rank, via)
SELECT m.member, r.tid, r.rank, r.unit
FROM membership m JOIN duties r ON r.unit = m.collective AND r.via IS NULL {tasks}
WHERE m.member IN (SELECT member FROM membership GROUP BY member HAVING count(*) = 1)
""",
    """
INSERT OR IGNORE INTO duties (unit, tid, rank, via)
SELECT unit, tid, rank, via FROM (
    SELECT m.member AS unit, r.tid AS tid, r.rank AS rank, r.unit AS via,
        min((m.distance * 4 + r.rank) * 1048576 + r.at)
    FROM membership m JOIN duties r ON r.unit = m.collective AND r.via IS NULL {tasks}
    WHERE m.member IN (SELECT member FROM membership GROUP BY member HAVING count(*) > 1)
    GROUP BY m.member, r.tid
)
""",
)
# Tables whose rows belong to one file, found by its fid.
PER_FILE = ("problems", "documents", "rules", "progress_files", "progress")
# The columns a parsed task row fills, in order (the rest are worked out by resolving its units).
TASK_COLUMNS = (
    "tid, id, doc_id, seq, title, text, section, label, leaders, status, due, due_text, time_limit, "
    "milestones, basis, implements, lead_written, support_written, local_written, lead, support, local, "
    "local_by_rule"
)
TASK_FIELDS = (
    "t.id, t.doc_id, t.seq, t.title, t.text, t.section, t.label, t.leaders, t.status, t.due, t.due_text, "
    "t.time_limit, t.milestones, t.basis, t.implements, t.lead, t.support, t.local, t.local_by_rule, f.path, "
    f"t.tid % {BLOCK}"
)


class Seen(NamedTuple):
    """A data file as the file system shows it now (a tuple: a scan makes one per record file)."""

    path: str  # relative to the data directory, with /
    kind: str  # units, settings, document or progress
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int


def scan(root: Path) -> dict[str, Seen]:
    """Every file the index reads: the registry, the settings, the documents and the progress records
    (progress/*.toml, and progress/UNIT/*.toml: a file per unit and clone, so this loop is kept lean)."""
    found: dict[str, Seen] = {}
    progress = f"{PROGRESS_DIR}/"
    # Plain strings, not Path: a Path made per folder costs more than reading the folder.
    folders = [(str(root), ""), (os.path.join(root, PROGRESS_DIR), progress)]
    for folder, prefix in folders:
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            if prefix == progress and entry.is_dir():  # a unit's folder
                folders.append((entry.path, f"{prefix}{name}/"))
                continue
            if not name.endswith(".toml"):
                continue
            try:
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:
                continue
            if prefix:
                kind = "progress"
            else:
                kind = "units" if name == UNITS_FILE else "settings" if name == SETTINGS_FILE else "document"
            rel = prefix + name
            found[rel] = Seen(rel, kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return {rel: found[rel] for rel in sorted(found)}


_worker_registry: Registry | None = None


def _start_worker(units: list[tuple[Any, ...]]) -> None:
    global _worker_registry
    _worker_registry = registry_from_rows(units)


def parse_file(root: Path, rel: str, kind: str, fid: int, registry: Registry | None = None) -> Parsed:
    """One file's rows and problems, its names resolved with the registry (a worker process has the
    one it started with), its tasks numbered as file `fid`'s. A top-level function, so worker
    processes can run it."""
    from cityplan_cli.load.documents import parse_document
    from cityplan_cli.load.progress import parse_progress
    from cityplan_cli.load.settings import parse_settings
    from cityplan_cli.load.units import parse_units

    parser = {
        "units": parse_units,
        "settings": parse_settings,
        "document": parse_document,
        "progress": parse_progress,
    }[kind]
    parsed = parser(root / rel)
    registry = registry if registry is not None else _worker_registry
    if registry is not None and kind in ("document", "progress"):
        from cityplan_cli.load.resolve import resolve_parsed

        resolve_parsed(parsed, registry, _Locator(root / rel), fid * BLOCK)
    return parsed


def program_key() -> str:
    """This program and the libraries whose results the index stores (the TOML parser; the holiday
    calendar behind due dates in working days): their version and the size and time of each of
    their modules, so that an upgrade or an edited install is never answered from old rows."""
    from importlib.util import find_spec

    from cityplan_cli import __version__

    h = hashlib.sha256(f"{__version__}/{SCHEMA}".encode())
    for name in LIBRARIES:
        spec = find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            h.update(f"{name}:missing".encode())
            continue
        for folder in spec.submodule_search_locations:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
                for file in sorted(filenames):
                    if file.endswith((".py", ".so", ".pyd", ".html")):
                        st = os.stat(os.path.join(dirpath, file))
                        h.update(f"{name}/{file}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class Index:
    """The rows of a data directory in an SQLite database, brought up to date with the files."""

    def __init__(self, db: sqlite3.Connection, root: Path) -> None:
        self.db = db
        self.root = root
        # The index can always be built again from the files, and the stored one is checked before
        # use (cache.py): it need not survive a crash, so it is written without waiting for the disk.
        for pragma in (
            "synchronous = OFF",
            "journal_mode = MEMORY",
            "temp_store = MEMORY",
            f"cache_size = -{CACHE_KIB}",
        ):
            db.execute(f"PRAGMA {pragma}")
        self._registry: Registry | None = None
        self._documents: dict[str, Document] | None = None
        self._shown: dict[str, str] = {}  # display() of each file: tasks and records repeat their file's

    # ---------------------------------------------------------------------------------------------
    # building

    @classmethod
    def in_memory(cls, root: Path) -> Index:
        index = cls(sqlite3.connect(":memory:"), root)
        index.create()
        try:
            index.refresh()
        except sqlite3.OperationalError:  # no room for temporary files: the build was given up
            index.refresh(spill=False)
        return index

    def create(self) -> None:
        self.db.executescript(TABLES)
        self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self.db.execute(f"PRAGMA user_version = {SCHEMA}")
        self.db.commit()

    def is_ours(self) -> bool:
        """Whether the database is an index of this schema (another program's file is not)."""
        (app,) = self.db.execute("PRAGMA application_id").fetchone()
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        return app == APPLICATION_ID and version == SCHEMA

    def stale(self, seen: dict[str, Seen] | None = None) -> tuple[dict[str, Seen], list[str], list[str]]:
        """The files as they are now, the ones that may have changed (or are new), and the ones gone."""
        seen = scan(self.root) if seen is None else seen
        # As sets of tuples, compared in C: a province's data holds tens of thousands of files.
        now = {(s.path, s.size, s.mtime_ns, s.ctime_ns, s.ino) for s in seen.values()}
        known = set(self.db.execute("SELECT path, size, mtime_ns, ctime_ns, ino FROM files WHERE NOT racy"))
        changed = {path for path, *_ in now - known}  # new, changed, or read too soon after a change
        gone = [path for (path,) in self.db.execute("SELECT path FROM files") if path not in seen]
        return seen, [rel for rel in seen if rel in changed], gone

    def refresh(self, key: str | None = None, spill: bool = True) -> bool:
        """Bring the rows up to date with the files, in one transaction; whether anything was read
        again. With `spill`, the sorts that make the indexes run in temporary files (see _sorted);
        where there is no room for them (a full disk), SQLite gives up the whole transaction
        (sqlite3.OperationalError), and the work is to be done again without."""
        key = key or program_key()
        row = self.db.execute("SELECT value FROM meta WHERE key = 'program'").fetchone()
        if row is not None and row[0] != key:  # another build of the program: nothing stored is ours
            self._clear()
            row = None
        seen, changed, removed = self.stale()
        if not changed and not removed and row is not None:
            self._check_display_root()
            return False
        known = {
            path: (fid, sha, kind)
            for fid, path, sha, kind in self.db.execute("SELECT fid, path, sha256, kind FROM files")
        }
        now = time.time_ns()
        to_parse: list[Seen] = []
        touched: list[tuple[Seen, str]] = []
        for rel in changed:
            s = seen[rel]
            try:
                digest = hashlib.sha256((self.root / rel).read_bytes()).hexdigest()
            except OSError:
                digest = ""  # unreadable: parsing reports it
            touched.append((s, digest))
            if not digest or rel not in known or digest != known[rel][1]:
                to_parse.append(s)
        next_fid = max((fid for fid, *_ in known.values()), default=0) + 1
        fids = {}
        for s in to_parse:
            if s.path in known:
                fids[s.path] = known[s.path][0]
            else:
                fids[s.path], next_fid = next_fid, next_fid + 1
        # A build makes millions of short-lived rows and no cycles: a collection would only walk them.
        with self.db, paused(kept=False):
            self._drop_files(
                [(known[rel][0], rel, known[rel][2]) for rel in removed]
                + [(fids[s.path], s.path, s.kind) for s in to_parse if s.path in known]
            )
            self.db.executemany("DELETE FROM files WHERE path = ?", [(rel,) for rel in removed])
            self.db.executemany(
                "INSERT INTO files (fid, path, kind, size, mtime_ns, ctime_ns, ino, sha256, racy) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, ino = excluded.ino, "
                "sha256 = excluded.sha256, racy = excluded.racy",
                [
                    (
                        fids.get(s.path, known.get(s.path, (0,))[0]),
                        s.path,
                        s.kind,
                        s.size,
                        s.mtime_ns,
                        s.ctime_ns,
                        s.ino,
                        digest,
                        now - s.mtime_ns < RACY_NS,
                    )
                    for s, digest in touched
                ],
            )
            fresh = not known
            # The registry first: every other file is read with it.
            first = [s for s in to_parse if s.kind in ("units", "settings")]
            rest = [s for s in to_parse if s.kind not in ("units", "settings")]
            for s, parsed in self._parse(first, fids, None):
                self._insert(fids[s.path], parsed)
            registry_changed = any(s.kind == "units" for s in first) or UNITS_FILE in removed
            if registry_changed:
                self._registry_rows()
            registry = self.registry(fresh=True)
            for s, parsed in self._parse(rest, fids, registry):
                self._insert(fids[s.path], parsed)
            if registry_changed and not fresh:  # what was read before is resolved again from its rows
                again = {s.path for s in rest}
                self._resolve(
                    [
                        (fid, path, kind)
                        for fid, path, kind in self.db.execute("SELECT fid, path, kind FROM files")
                        if kind in ("document", "progress") and path not in again
                    ],
                    registry,
                )
            if to_parse or removed or row is None:  # else only a file's time changed, not its bytes
                self._rank()
                changed_documents = [fids[s.path] for s in rest if s.kind == "document"]
                self._sorted(None if registry_changed or fresh else changed_documents, spill)
                # A document, the registry or the settings came, went or changed: not records only.
                if any(s.kind != "progress" for s in to_parse) or any(
                    known[rel][2] != "progress" for rel in removed
                ):
                    self._document_units(registry)
                self._global_problems()
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('program', ?)", (key,))
        self._registry = None
        self._documents = None
        return bool(to_parse or removed)

    def _sorted(self, fids: list[int] | None, spill: bool) -> None:
        """The indexes, and the duties of these files' tasks (or of all: see _duties), which sort up
        to millions of rows. SQLite's sorter runs fastest in runs of a few megabytes, written
        to temporary files and merged by helper threads (twice as fast as one sort in memory, with
        half the memory)."""
        db = self.db
        try:
            if spill:
                db.execute("PRAGMA temp_store = FILE")
                db.execute(f"PRAGMA cache_size = -{SORT_KIB}")
                db.execute(f"PRAGMA threads = {min(cpus(), MAX_PROCESSES) - 1}")
            # One statement at a time: executescript() would first commit the build's transaction.
            for statement in INDEXES.strip().split(";"):
                if statement.strip():
                    db.execute(statement)
            self._duties(fids)
        finally:
            db.execute("PRAGMA threads = 0")
            db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            db.execute("PRAGMA temp_store = MEMORY")

    def _clear(self) -> None:
        with self.db:
            for (table,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                self.db.execute(f"DELETE FROM {table}")

    def _parse(
        self, files: list[Seen], fids: dict[str, int], registry: Registry | None
    ) -> Iterator[tuple[Seen, Parsed]]:
        """Each file's rows, as they are read: by worker processes when there is much to read."""
        size = sum(s.size for s in files)
        workers = min(cpus(), MAX_PROCESSES)
        if size < PARALLEL_BYTES or workers < 2 or len(files) < 2:
            for s in files:
                yield s, parse_file(self.root, s.path, s.kind, fids[s.path], registry)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Forked where that is safe (Linux), on every Python: each worker starts with the loader
        # this process has imported (Python 3.14 would otherwise start them afresh).
        context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
        units = self.db.execute("SELECT * FROM units ORDER BY pos").fetchall()
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(units,)
        ) as pool:
            results = pool.map(
                parse_file,
                [self.root] * len(files),
                [s.path for s in files],
                [s.kind for s in files],
                [fids[s.path] for s in files],
                # Small chunks: fewer parsed files wait in memory to be stored, and the processes
                # finish close together.
                chunksize=max(1, len(files) // (workers * 32)),
            )
            yield from zip(files, results, strict=True)

    def _drop_files(self, files: list[tuple[int, str, str]]) -> None:
        """The rows of these files (fid, path, kind), before they are read again or when they are gone."""
        db = self.db
        for fid, _, kind in files:
            for table in PER_FILE:
                db.execute(f"DELETE FROM {table} WHERE fid = ?", (fid,))
            low, high = fid * BLOCK, (fid + 1) * BLOCK - 1
            db.execute("DELETE FROM tasks WHERE tid BETWEEN ? AND ?", (low, high))
            db.execute("DELETE FROM links WHERE tid BETWEEN ? AND ?", (low, high))
            if kind == "units":
                db.execute("DELETE FROM units")
            elif kind == "settings":
                db.execute("DELETE FROM settings")
        self._drop_duties([fid for fid, _, kind in files if kind == "document"])

    def _drop_duties(self, fids: list[int]) -> None:
        """The duties of these files' tasks, in one pass over the table: it is not indexed by task
        (an index built for the first query would cost more than the pass saves)."""
        if fids:
            within = f"tid / {BLOCK} IN (SELECT value FROM json_each(?))"
            self.db.execute(f"DELETE FROM duties WHERE {within}", (json.dumps(fids),))

    def _insert(self, fid: int, parsed: Parsed) -> None:
        db = self.db
        db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?, 'file')", [(fid, *p) for p in parsed.problems]
        )
        db.executemany(
            "INSERT INTO problems VALUES (?, ?, ?, ?, 'resolve')", [(fid, *p) for p in parsed.resolved]
        )
        for table, rows in parsed.rows.items():
            if not rows:
                continue
            if table == "units":
                db.executemany(f"INSERT INTO units VALUES ({_marks(rows[0])})", rows)
            elif table == "settings":
                db.executemany("INSERT INTO settings VALUES (?)", rows)
            elif table == "progress_files":
                db.executemany("INSERT INTO progress_files VALUES (?, ?, ?)", [(fid, *row) for row in rows])
            elif table == "duties":  # units' own, of tasks numbered already (parse_file)
                db.executemany("INSERT INTO own VALUES (?, ?, ?, ?)", rows)
            elif table == "links":
                db.executemany("INSERT INTO links VALUES (?, ?)", rows)
            elif table == "tasks":
                db.executemany(f"INSERT INTO tasks ({TASK_COLUMNS}) VALUES ({_marks(rows[0])})", rows)
            else:  # the fid, then the file's own columns; those worked out across files follow
                names = [c for (c,) in db.execute(f"SELECT name FROM pragma_table_info('{table}')")]
                columns = ", ".join(names[: len(rows[0]) + 1])
                db.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES (?, {_marks(rows[0])})",
                    [(fid, *row) for row in rows],
                )

    def _document_units(self, registry: Registry) -> None:
        """Each document's supervisor and the units of its rules, resolved now, so that reading the
        documents needs no registry (a province's has thousands of units)."""
        from cityplan_cli.supervision import supervisor_of

        db = self.db
        default = self.settings().supervision["supervisor"]
        resolve = registry.resolve
        db.executemany(
            "UPDATE documents SET supervisor_unit = ? WHERE rowid = ?",
            [
                (supervisor_of(registry, issuer or "", written or "", default), rowid)
                for rowid, issuer, written in db.execute("SELECT rowid, issuer, supervisor FROM documents")
            ],
        )
        db.executemany(
            "UPDATE rules SET units = ? WHERE rowid = ?",
            [
                (SEP.join(dict.fromkeys(u for n in _names(local) if (u := resolve(n)) is not None)), rowid)
                for rowid, local in db.execute("SELECT rowid, local FROM rules")
            ],
        )

    def _duties(self, fids: list[int] | None) -> None:
        """Units' own duties (from `own`) and those that come through collectives (THROUGH), of these
        files' tasks or of all: their old rows were dropped with the files (see _drop_files and
        _resolve), or never made."""
        self.db.execute("INSERT INTO duties (unit, tid, rank, at) SELECT * FROM own ORDER BY unit, tid")
        self.db.execute("DELETE FROM own")
        if fids is None:
            tasks, values = "", {}
        elif fids:
            tasks = f"AND r.tid / {BLOCK} IN (SELECT value FROM json_each(:fids))"
            values = {"fids": json.dumps(fids)}
        else:
            return
        for statement in THROUGH:
            self.db.execute(statement.format(tasks=tasks), values)

    def _registry_rows(self) -> None:
        """Names and memberships, from the registry's rows."""
        from cityplan_cli.load.resolve import memberships

        registry = self.registry(fresh=True)
        fid = self._fid(UNITS_FILE)
        self.db.execute("DELETE FROM names")
        self.db.execute("DELETE FROM membership")
        self.db.execute("DELETE FROM problems WHERE stage = 'registry'")
        self.db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", registry.names.items())
        rows, cycles = memberships(registry)
        self.db.executemany("INSERT INTO membership VALUES (?, ?, ?)", rows)
        if cycles:
            positions = {u.name: i for i, u in enumerate(registry)}
            locate = _Locator(self.root / UNITS_FILE)
            units = [u.name for u in registry if not u.is_collective]
            self.db.executemany(
                "INSERT INTO problems VALUES (?, ?, 'error', ?, 'registry')",
                [
                    (
                        fid,
                        locate("name", ("[[collectives]]", positions[name] - len(units))),
                        Finding(
                            N_("collective '{name}' contains itself: {cycle}"),
                            name=name,
                            cycle=" → ".join(path),
                        ),
                    )
                    for name, path in cycles
                ],
            )

    def _resolve(self, files: list[tuple[int, str, str]], registry: Registry) -> None:
        """Units from names, and document rules, again for files already read (fid, path, kind)."""
        from cityplan_cli.load.resolve import resolve_document, resolve_progress_unit

        db = self.db
        self._drop_duties([fid for fid, _, kind in files if kind == "document"])
        for fid, rel, kind in files:
            db.execute("DELETE FROM problems WHERE fid = ? AND stage = 'resolve'", (fid,))
            locate = _Locator(self.root / rel)
            if kind == "progress":
                row = db.execute("SELECT unit_name FROM progress_files WHERE fid = ?", (fid,)).fetchone()
                if row is None:
                    continue
                unit, found = resolve_progress_unit(row[0], registry, locate)
                db.execute("UPDATE progress_files SET unit = ? WHERE fid = ?", (unit, fid))
            else:
                low, high = fid * BLOCK, (fid + 1) * BLOCK - 1
                tasks = db.execute(
                    "SELECT tid - ?, seq, lead_written, support_written, local_written FROM tasks "
                    "WHERE tid BETWEEN ? AND ? ORDER BY tid",
                    (low, low, high),
                ).fetchall()
                rules = db.execute(
                    "SELECT pos, local, from_seq, to_seq, unless_kind FROM rules WHERE fid = ? ORDER BY pos",
                    (fid,),
                ).fetchall()
                owners, duties, found = resolve_document(tasks, rules, registry, locate, low)
                db.executemany(
                    "UPDATE tasks SET lead = ?, support = ?, local = ?, local_by_rule = ? WHERE tid = ?",
                    [(*o[:4], low + o[4]) for o in owners],
                )
                db.executemany("INSERT INTO own VALUES (?, ?, ?, ?)", duties)
            db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, 'resolve')", [(fid, *p) for p in found])

    def _rank(self) -> None:
        """Files in path order: the data order of documents and tasks."""
        paths = [(i, fid) for i, (fid,) in enumerate(self.db.execute("SELECT fid FROM files ORDER BY path"))]
        self.db.executemany("UPDATE files SET rank = ? WHERE fid = ?", paths)

    def _fid(self, rel: str) -> int:
        row = self.db.execute("SELECT fid FROM files WHERE path = ?", (rel,)).fetchone()
        return row[0] if row else 0

    def _check_display_root(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
        if row is None or row[0] != str(self.root):
            with self.db:
                self._global_problems()

    def _global_problems(self) -> None:
        """What depends on every file: ids defined twice, records of unknown tasks, records that their
        unit may not make (see _record_problems), and a data directory with no documents or no
        registry."""
        db = self.db
        db.execute("DELETE FROM problems WHERE stage = 'global'")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('root', ?)", (str(self.root),))
        found: list[Issue] = []
        paths = dict(db.execute("SELECT fid, path FROM files"))
        locators: dict[int, _Locator] = {}

        def locate(fid: int, key: str, where: tuple[str, int]) -> int:
            return locators.setdefault(fid, _Locator(self.root / paths[fid]))(key, where)

        duplicates = (
            (
                "document",
                "SELECT d.id, d.fid, 0 FROM documents d JOIN files f ON f.fid = d.fid WHERE d.id IN "
                "(SELECT id FROM documents GROUP BY id HAVING count(*) > 1) ORDER BY f.rank",
                "[document]",
            ),
            (
                "task",
                f"SELECT id, tid / {BLOCK}, tid % {BLOCK} FROM tasks WHERE id IN "
                "(SELECT id FROM tasks GROUP BY id HAVING count(*) > 1) ORDER BY tid",
                "[[tasks]]",
            ),
        )
        for what, sql, header in duplicates:
            first: dict[str, tuple[int, int]] = {}
            rows = db.execute(sql).fetchall()
            if what == "task":  # data order: by the files' rank, then position
                rank = dict(db.execute("SELECT fid, rank FROM files"))
                rows.sort(key=lambda r: (rank.get(r[1], 0), r[2]))
            for ident, fid, pos in rows:
                where = locate(fid, "id", (header, pos))
                if ident in first:
                    shown = f"{self.display(paths[first[ident][0]])}:{first[ident][1]}"
                    found.append((fid, where, "error", Finding(_DUPLICATE[what], id=ident, first=shown)))
                else:
                    first[ident] = (fid, where)
        unknown = db.execute(
            "SELECT p.fid, p.pos, p.task FROM progress p JOIN files f ON f.fid = p.fid "
            "WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = p.task) ORDER BY f.rank, p.pos"
        ).fetchall()
        if unknown:
            ids = [i for (i,) in db.execute("SELECT DISTINCT id FROM tasks")]
            for fid, pos, task in unknown:
                found.append(
                    (
                        fid,
                        locate(fid, "task", ("[[records]]", pos)),
                        "error",
                        _no_task(task, closest(task, ids)),
                    )
                )
        found += self._supervisor_problems(locate)
        found += self._record_problems(locate, paths)
        found += self._link_problems(locate)
        if UNITS_FILE not in paths.values():
            what = Finding(N_("not a file")) if (self.root / UNITS_FILE).exists() else Finding(N_("missing"))
            found.append((-1, 1, "error", Finding(N_("{what}: the unit registry is required"), what=what)))
        elif (
            db.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None
            and not db.execute("SELECT 1 FROM problems WHERE severity = 'error' LIMIT 1").fetchone()
        ):
            found.append((0, 0, "error", Finding(N_("no document files (*.toml) in the data directory"))))
        db.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, 'global')", found)

    def _supervisor_problems(self, locate: Callable[[int, str, tuple[str, int]], int]) -> list[Issue]:
        """A supervisor a document or the settings name that is no registered unit, or a collective;
        and verdicts (confirm, reject) recorded by a unit that is not the task's supervisor."""
        from cityplan_cli.load.settings import settings_from
        from cityplan_cli.registry import unknown_unit_message
        from cityplan_cli.supervision import supervisor_of

        db = self.db
        registry = self.registry()
        if not len(registry):
            return []  # the registry's own problem, reported already
        row = db.execute("SELECT json FROM settings").fetchone()
        default = settings_from(row[0] if row else None).supervision["supervisor"]
        named = [(fid, "[supervision]", default) for fid in (self._fid(SETTINGS_FILE),) if default and fid]
        named += db.execute(
            "SELECT d.fid, '[document]', d.supervisor FROM documents d JOIN files f ON f.fid = d.fid "
            "WHERE d.supervisor IS NOT NULL ORDER BY f.rank"
        ).fetchall()
        found: list[Issue] = []
        for fid, header, name in named:
            unit = registry.resolve(name)
            if unit is None:
                message = unknown_unit_message(registry, name, "supervisor")
            elif registry.get(unit).is_collective:
                message = Finding(
                    N_("supervisor: '{unit}' is a collective, not a unit that can supervise"), unit=unit
                )
            else:
                continue
            found.append((fid, locate(fid, "supervisor", (header, 0)), "error", message))
        supervisors = {
            ident: supervisor_of(registry, issuer or "", written or "", default)
            for ident, issuer, written in db.execute("SELECT id, issuer, supervisor FROM documents")
        }
        for fid, pos, task, doc_id, unit in db.execute(
            "SELECT p.fid, p.pos, p.task, t.doc_id, u.unit FROM progress p "
            "JOIN progress_files u ON u.fid = p.fid JOIN files f ON f.fid = p.fid "
            "JOIN tasks t ON t.id = p.task WHERE u.unit IS NOT NULL AND p.kind IN ('confirm', 'reject') "
            "GROUP BY p.fid, p.pos ORDER BY f.rank, p.pos"
        ).fetchall():
            supervisor = supervisors.get(doc_id)
            if unit == supervisor:
                continue
            if supervisor is None:
                message = Finding(
                    N_("{doc_id} has no supervisor: its tasks close when their leads report done"),
                    doc_id=doc_id,
                )
            else:
                message = Finding(
                    N_("only {doc_id}'s supervisor ({supervisor}) confirms or rejects {task}, not '{unit}'"),
                    doc_id=doc_id,
                    supervisor=supervisor,
                    task=task,
                    unit=unit,
                )
            found.append((fid, locate(fid, "kind", ("[[records]]", pos)), "error", message))
        return found

    def _link_problems(self, locate: Callable[[int, str, tuple[str, int]], int]) -> list[Issue]:
        """Links between tasks: a target that does not exist, a cycle, and an implementing task whose
        document's issuer owns no part of its target; a document that cascades an unknown one."""
        db = self.db
        found: list[Issue] = []
        for fid, ref in db.execute(
            "SELECT d.fid, d.implements_doc FROM documents d JOIN files f ON f.fid = d.fid "
            "WHERE d.implements_doc IS NOT NULL ORDER BY f.rank"
        ).fetchall():
            if db.execute("SELECT 1 FROM documents WHERE id = ?", (ref,)).fetchone() is None:
                known = [i for (i,) in db.execute("SELECT id FROM documents")]
                message = Finding(
                    N_("implements_doc: no document '{ref}'{hint}"),
                    ref=ref,
                    hint=suggested(closest(ref, known)),
                )
                found.append((fid, locate(fid, "implements_doc", ("[document]", 0)), "error", message))
        links = db.execute(
            f"SELECT l.tid / {BLOCK}, l.tid % {BLOCK}, t.id, l.target, d.id, d.issuer FROM links l "
            f"JOIN tasks t ON t.tid = l.tid JOIN files f ON f.fid = l.tid / {BLOCK} "
            "LEFT JOIN documents d ON d.fid = f.fid ORDER BY f.rank, l.tid, l.rowid"
        ).fetchall()
        if not links:
            return found
        from cityplan_cli.links import cycles, holder, owners_through

        where = {task: (fid, pos) for fid, pos, task, *_ in reversed(links)}  # a task's first definition
        ids = {i for (i,) in db.execute("SELECT DISTINCT id FROM tasks")}
        # A task with an error in a field it cannot do without is left out: a link to it would only
        # repeat that error, so targets are looked for once the documents read cleanly.
        dropped = db.execute(
            "SELECT 1 FROM problems p JOIN files f ON f.fid = p.fid WHERE f.kind = 'document' "
            "AND p.stage = 'file' AND p.severity = 'error' LIMIT 1"
        ).fetchone()
        registry = self.registry()
        owners: dict[str, set[str]] = {}
        named: dict[str, tuple[str, ...]] = {}
        edges: dict[str, list[str]] = {}
        for fid, pos, task, target, doc_id, issuer in links:
            if target not in ids:
                if not dropped:
                    hint = suggested(closest(target, sorted(ids)))
                    line = locate(fid, "implements", ("[[tasks]]", pos))
                    found.append(
                        (
                            fid,
                            line,
                            "error",
                            Finding(N_("implements: no task '{target}'{hint}"), target=target, hint=hint),
                        )
                    )
                continue
            edges.setdefault(task, []).append(target)
            if target not in owners:
                first = self.tasks("t.id = ?", [target])[:1]
                named[target] = first[0].owners if first else ()
                owners[target] = owners_through(registry, named[target])
            if holder(registry, issuer or "", owners[target]) is not None:
                continue
            if registry.resolve(issuer or "") is None:
                message = Finding(
                    N_(
                        "'{task}' implements '{target}', but its document's issuer '{issuer}' is not a "
                        "registered unit: nothing says it owns a part of the target"
                    ),
                    task=task,
                    target=target,
                    issuer=issuer,
                )
            else:
                shown = named[target] or Finding(N_("nobody"))
                message = Finding(
                    N_(
                        "'{task}' implements '{target}', but {issuer} (issuer of {doc_id}) owns no part "
                        "of '{target}' (its owners: {shown})"
                    ),
                    task=task,
                    target=target,
                    issuer=registry.resolve(issuer or ""),
                    doc_id=doc_id,
                    shown=shown,
                )
            found.append((fid, locate(fid, "implements", ("[[tasks]]", pos)), "warning", message))
        for task, cycle in cycles(edges, list(dict.fromkeys(t for _, _, t, *_ in links))):
            fid, pos = where[task]
            message = Finding(N_("implements: a cycle: {cycle}"), cycle=" → ".join(cycle))
            found.append((fid, locate(fid, "implements", ("[[tasks]]", pos)), "error", message))
        return found

    def _record_problems(
        self, locate: Callable[[int, str, tuple[str, int]], int], paths: dict[int, str]
    ) -> list[Issue]:
        """Records checked against the other files. Only a unit that owns the task records on it,
        directly or as a member of a collective owner (the duties table, asked of each record's
        unit and task), and never a collective; a record amended or withdrawn no longer counts, so
        it is no longer its unit's claim. No record is dated before its document. A record id is
        used once per unit. A record amends or withdraws a status record of its own unit on the same
        task. A unit's records live in its folder, progress/STEM/ (or its older file STEM.toml),
        where CODEOWNERS gives them to its team: elsewhere, a warning."""
        from functools import cache

        from cityplan_cli.layout import progress_stem

        db = self.db
        found: list[Issue] = []
        collectives = {c for (c,) in db.execute("SELECT DISTINCT collective FROM membership")}
        stem_of = cache(progress_stem)  # a unit has many record files
        for fid, rel, unit in db.execute(
            "SELECT p.fid, f.path, p.unit FROM progress_files p JOIN files f ON f.fid = p.fid "
            "WHERE p.unit IS NOT NULL ORDER BY f.rank"
        ).fetchall():
            if unit in collectives:
                message = Finding(
                    N_("'{unit}' is a collective: each of its members records its own part"), unit=unit
                )
                found.append((fid, locate(fid, "unit", ("", 0)), "error", message))
                continue
            stem = stem_of(unit)
            if rel != f"{PROGRESS_DIR}/{stem}.toml" and not rel.startswith(f"{PROGRESS_DIR}/{stem}/"):
                message = Finding(
                    N_(
                        "the records of '{unit}' belong in {folder}/{stem}/, where CODEOWNERS gives them "
                        "to its team"
                    ),
                    unit=unit,
                    folder=PROGRESS_DIR,
                    stem=stem,
                )
                found.append((fid, locate(fid, "unit", ("", 0)), "warning", message))

        records = (
            "WITH r AS (SELECT p.fid, p.pos, p.task, p.date, p.status, p.id, p.amends, p.withdraws, p.kind, "
            "u.unit, f.rank FROM progress p JOIN progress_files u ON u.fid = p.fid "
            "JOIN files f ON f.fid = p.fid WHERE u.unit IS NOT NULL) "
        )
        for fid, pos, task, unit in db.execute(
            # Most records are their unit's to make: asked first, by the duties table's key.
            "SELECT p.fid, p.pos, p.task, u.unit FROM progress p "
            "JOIN progress_files u ON u.fid = p.fid JOIN files f ON f.fid = p.fid "
            "WHERE u.unit IS NOT NULL AND (p.status IS NOT NULL OR p.kind = 'ack') "
            "AND NOT EXISTS (SELECT 1 FROM tasks t JOIN duties o ON o.tid = t.tid "
            "WHERE t.id = p.task AND o.unit = u.unit) "
            "AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = p.task) "
            "AND NOT EXISTS (SELECT 1 FROM progress x JOIN progress_files xu ON xu.fid = x.fid "
            "WHERE x.task = p.task AND xu.unit = u.unit AND p.id IN (x.amends, x.withdraws)) "
            "ORDER BY f.rank, p.pos"
        ).fetchall():
            if unit not in collectives:
                message = Finding(
                    N_("'{unit}' does not own {task}: only its owners record on it, each its own part"),
                    unit=unit,
                    task=task,
                )
                found.append((fid, locate(fid, "task", ("[[records]]", pos)), "error", message))
        for fid, pos, task, day in db.execute(
            "SELECT p.fid, p.pos, p.task, p.milestone FROM progress p JOIN files f ON f.fid = p.fid "
            "JOIN tasks t ON t.id = p.task WHERE p.milestone IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM json_each(t.milestones) m WHERE json_extract(m.value, '$.date') = p.milestone) "
            "GROUP BY p.fid, p.pos ORDER BY f.rank, p.pos"
        ).fetchall():
            message = Finding(N_("milestone {day}: {task} has no milestone on that day"), day=day, task=task)
            found.append((fid, locate(fid, "milestone", ("[[records]]", pos)), "error", message))
        for fid, pos, date, issued in db.execute(
            f"{records} SELECT r.fid, r.pos, r.date, min(d.date) FROM r JOIN tasks t ON t.id = r.task "
            "JOIN documents d ON d.id = t.doc_id WHERE d.date IS NOT NULL AND r.date < d.date "
            "GROUP BY r.fid, r.pos ORDER BY r.rank, r.pos"
        ).fetchall():
            message = Finding(
                N_("date {date} is before the document's date ({issued})"), date=date, issued=issued
            )
            found.append((fid, locate(fid, "date", ("[[records]]", pos)), "error", message))
        first: dict[tuple[str, str], str] = {}
        for fid, pos, ident, unit in db.execute(
            # Ids used more than once at all first (few), then by the same unit.
            f"{records}, twice AS (SELECT id FROM progress GROUP BY id HAVING count(*) > 1) "
            "SELECT r.fid, r.pos, r.id, r.unit FROM r WHERE r.id IN twice AND (r.unit, r.id) IN "
            "(SELECT unit, id FROM r WHERE id IN twice GROUP BY unit, id HAVING count(*) > 1) "
            "ORDER BY r.rank, r.pos"
        ).fetchall():
            line = locate(fid, "id", ("[[records]]", pos))
            where = f"{self.display(paths[fid])}:{line}"
            if (unit, ident) in first:
                message = Finding(
                    N_("duplicate record id '{id}' of '{unit}' (first at {first})"),
                    id=ident,
                    unit=unit,
                    first=first[unit, ident],
                )
                found.append((fid, line, "error", message))
            first.setdefault((unit, ident), where)
        for fid, pos, task, unit, ident, amends, withdraws in db.execute(
            f"{records} SELECT r.fid, r.pos, r.task, r.unit, r.id, r.amends, r.withdraws FROM r "
            "WHERE r.amends != '' OR r.withdraws != '' ORDER BY r.rank, r.pos"
        ).fetchall():
            key, target = ("amends", amends) if amends else ("withdraws", withdraws)
            same = db.execute(
                f"{records} SELECT r.task, r.status, r.kind FROM r WHERE r.unit = ? AND r.id = ?",
                (unit, target),
            ).fetchall()
            if target == ident:
                fault = Finding(N_("a record cannot name itself"))
            elif not same:
                fault = Finding(N_("'{unit}' has no record with that id"), unit=unit)
            elif all(t != task for t, _, _ in same):
                fault = Finding(
                    N_("that record of '{unit}' is on {other}, not {task}"),
                    unit=unit,
                    other=same[0][0],
                    task=task,
                )
            elif amends and all(kind for t, _, kind in same if t == task):
                fault = Finding(N_("a receipt or a verdict is withdrawn, never amended"))
            elif all(status is None and not kind for t, status, kind in same if t == task):
                fault = Finding(N_("that record is itself a withdrawal"))
            else:
                continue
            problem = Finding(N_("{key} '{target}': {fault}"), key=key, target=target, fault=fault)
            found.append((fid, locate(fid, key, ("[[records]]", pos)), "error", problem))
        return found

    # ---------------------------------------------------------------------------------------------
    # reading

    def display(self, rel: str) -> str:
        """A file as messages name it: the data directory as the user gave it, and the file in it."""
        shown = self._shown.get(rel)
        if shown is None:
            shown = self._shown[rel] = str(self.root / rel) if rel else str(self.root)
        return shown

    def problems(self) -> list[Problem]:
        paths = dict(self.db.execute("SELECT fid, path FROM files"))
        paths[-1] = UNITS_FILE
        rows = self.db.execute("SELECT fid, line, severity, message FROM problems").fetchall()
        found = [
            Problem(self.display(paths.get(fid, "")), line, _message(message), sev)
            for fid, line, sev, message in rows
        ]
        return sorted(found, key=lambda p: (p.path, p.line))

    def check_errors(self) -> None:
        """DataError, with the first errors, when any file has one."""
        (count,) = self.db.execute("SELECT count(*) FROM problems WHERE severity = 'error'").fetchone()
        if count:
            raise DataError([p for p in self.problems() if p.severity == "error"], count)

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return self.db.execute(sql).fetchone()[0]

        return {
            "documents": one("SELECT count(DISTINCT id) FROM documents"),
            "tasks": one("SELECT count(DISTINCT id) FROM tasks"),
            "units": one("SELECT count(*) FROM units"),
            "progress": one(
                "SELECT count(*) FROM progress p JOIN progress_files f ON f.fid = p.fid "
                "WHERE f.unit IS NOT NULL"
            ),
        }

    def registry(self, fresh: bool = False) -> Registry:
        if self._registry is None or fresh:
            self._registry = registry_from_rows(self.db.execute("SELECT * FROM units ORDER BY pos"))
        return self._registry

    def unit_info(self, name: str) -> Unit:
        """One unit (canonical name), without building the whole registry."""
        return unit_from_row(self.db.execute("SELECT * FROM units WHERE name = ?", (name,)).fetchone())

    def settings(self) -> Settings:
        # From the stored row, without the loader: a query answered from the index reads no file.
        from cityplan_cli.model import Settings

        row = self.db.execute("SELECT json FROM settings").fetchone()
        return Settings(**json.loads(row[0])) if row else Settings()

    def documents(self) -> dict[str, Document]:
        """Every document by id, in file order, with its rules."""
        if self._documents is None:
            from cityplan_cli.model import Document, DocumentRule

            # Names as the index resolved them when the files or the registry last changed.
            rules: dict[int, list[DocumentRule]] = {}
            for fid, text, units, from_seq, to_seq, unless in self.db.execute(
                "SELECT fid, text, units, from_seq, to_seq, unless_kind FROM rules ORDER BY fid, pos"
            ):
                rules.setdefault(fid, []).append(
                    DocumentRule(text, _names(units), from_seq, to_seq, tuple(_list(unless)))
                )
            docs: dict[str, Document] = {}
            for row in self.db.execute(
                "SELECT d.fid, f.path, d.id, d.number, d.issuer, d.date, d.published, d.title, d.addressees, "
                "d.due, d.due_working_days, d.source, d.implements_doc, d.supervisor, d.supervisor_unit "
                "FROM documents d JOIN files f ON f.fid = d.fid ORDER BY f.rank"
            ):
                fid, rel, ident, number, issuer, date, published, title, addressees, due, days = row[:11]
                source, implements_doc, supervisor, supervisor_unit = row[11:]
                docs.setdefault(
                    ident,
                    Document(
                        id=ident,
                        title=title,
                        issuer=issuer,
                        date=_date(date),
                        number=number,
                        addressees=tuple(_list(addressees)),
                        rules=tuple(rules.get(fid, ())),
                        due=_date(due),
                        due_working_days=days,
                        published=_date(published),
                        source=source,
                        implements_doc=implements_doc,
                        path=self.display(rel),
                        supervisor_written=supervisor or "",
                        supervisor=supervisor_unit,
                    ),
                )
            self._documents = docs
        return self._documents

    def numbered_in_order(self) -> bool:
        """Whether the documents' numbers follow their paths, as a first build numbers them: then
        rows in the order of their tids are in data order, and need no sort. (A progress file added
        later, as a unit's first record makes one, holds no tasks: it does not count.)"""
        ranks = [
            rank for (rank,) in self.db.execute("SELECT rank FROM files WHERE kind = 'document' ORDER BY fid")
        ]
        return ranks == sorted(ranks)

    def tasks(self, where: str = "1 = 1", params: Iterable[Any] = ()) -> list[Task]:
        """The tasks that match an SQL condition on `tasks t`, in data order, with their owners."""
        order = "t.tid" if self.numbered_in_order() else "f.rank, t.tid"
        rows = self.db.execute(
            f"SELECT {TASK_FIELDS} FROM tasks t JOIN files f ON f.fid = t.tid / {BLOCK} "
            f"WHERE {where} ORDER BY {order}",
            list(params),
        )
        return [self._task(row) for row in rows]

    def _task(self, row: tuple[Any, ...]) -> Task:
        (ident, doc_id, seq, title, text, section, label, leaders, status, due, due_text, limit) = row[:12]
        milestones, basis, implements, lead, support, local, by_rule, rel, pos = row[12:]
        return Task(
            id=ident,
            doc_id=doc_id,
            seq=seq,
            title=title,
            text=text,
            section=section,
            label=label,
            lead=_names(lead),
            support=_names(support),
            local=_names(local),
            local_by_rule=_names(by_rule),
            leaders=tuple(_list(leaders)),
            status=status,
            due=_date(due),
            due_text=due_text,
            time_limit=limit,
            milestones=tuple(
                Milestone(dt.date.fromisoformat(m["date"]), m["text"]) for m in _list(milestones)
            ),
            basis=tuple(
                Basis(
                    b["quote"],
                    tuple(b.get("units", ())),
                    b["how"],
                    b.get("note", ""),
                    b["line"],
                    b.get("task", ""),
                    _date(b.get("date")),
                )
                for b in _list(basis)
            ),
            implements=_names(implements),
            path=self.display(rel),
            pos=pos,
        )

    def progress(self, task_ids: Iterable[str] | None = None) -> dict[str, list[Progress]]:
        """Task id → its records, withdrawals and the records amended or withdrawn included, oldest
        first: by date, then when entered (records written by hand, without `entered`, first), then
        file and place (records of unknown units or tasks left out)."""
        from cityplan_cli.model import Evidence, Progress

        sql = (
            "SELECT p.task, u.unit, p.date, p.status, p.note, p.percent, f.path, p.id, p.by, p.entered, "
            "p.amends, p.withdraws, p.kind, p.milestone, p.evidence FROM progress p "
            "JOIN progress_files u ON u.fid = p.fid JOIN files f ON f.fid = p.fid WHERE u.unit IS NOT NULL"
        )
        params: list[Any] = []
        if task_ids is not None:
            ids = list(task_ids)
            if not ids:
                return {}
            sql += " AND p.task IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(ids))
        history: dict[str, list[Progress]] = {}
        # julianday() puts times entered in different offsets, to the microsecond, in the order they happened.
        for row in self.db.execute(sql + " ORDER BY p.date, julianday(p.entered), f.path, p.pos", params):
            task, unit, date, status, note, percent, rel, ident, by, entered, amends, withdraws = row[:12]
            kind, milestone, evidence = row[12:]
            record = Progress(
                task_id=task,
                unit=unit,
                date=dt.date.fromisoformat(date),
                status=status or "",
                note=note,
                percent=percent,
                path=self.display(rel),
                id=ident,
                by=by or "",
                entered=dt.datetime.fromisoformat(entered) if entered else None,
                amends=amends or "",
                withdraws=withdraws or "",
                kind=kind,
                milestone=_date(milestone),
                evidence=tuple(Evidence(**e) for e in _list(evidence)),
            )
            history.setdefault(task, []).append(record)
        return history

    def reassigned(self, task: Task, owners: dict[str, list[str]]) -> Task:
        """The task as it would be with these roles' units (canonical) written in its file and the
        others as written now: the document's rules applied again (a rule may stop applying)."""
        from dataclasses import replace

        from cityplan_cli.load.resolve import resolve_document
        from cityplan_cli.model import ROLES

        fid, pos, seq, *written = self.db.execute(
            f"SELECT tid / {BLOCK}, tid % {BLOCK}, seq, lead_written, support_written, local_written "
            "FROM tasks WHERE id = ?",
            (task.id,),
        ).fetchone()
        names = [
            SEP.join(owners[role]) if role in owners else w for role, w in zip(ROLES, written, strict=True)
        ]
        rules = self.db.execute(
            "SELECT pos, local, from_seq, to_seq, unless_kind FROM rules WHERE fid = ? ORDER BY pos", (fid,)
        ).fetchall()
        resolved, _, _ = resolve_document([(pos, seq, *names)], rules, self.registry(), lambda key, where: 0)
        lead, support, local, by_rule, _ = resolved[0]
        return replace(
            task,
            lead=_names(lead),
            support=_names(support),
            local=_names(local),
            local_by_rule=_names(by_rule),
        )

    def memberships(self) -> list[tuple[str, str, int]]:
        """(member, collective, distance) for every collective a unit belongs to, directly or
        through others, members in registry order."""
        return self.db.execute(
            "SELECT m.member, m.collective, m.distance FROM membership m "
            "LEFT JOIN units u ON u.name = m.member ORDER BY u.pos, m.distance"
        ).fetchall()

    def evidence_problems(self) -> list[Problem]:
        """Evidence a record names that is missing from the data directory, or whose content is not
        what its SHA-256 says. Asked at the time of asking, never stored: the files are not indexed."""
        from cityplan_cli.evidence import digest

        rows = self.db.execute(
            "SELECT f.path, p.pos, p.evidence FROM progress p JOIN files f ON f.fid = p.fid "
            "WHERE p.evidence IS NOT NULL ORDER BY f.path, p.pos"
        ).fetchall()
        found: list[Problem] = []
        locators: dict[str, _Locator] = {}
        for rel, pos, text in rows:
            for entry in _list(text):
                path = self.root / entry["file"]
                actual = digest(path) if path.is_file() else None
                if actual == entry["sha256"]:
                    continue
                line = locators.setdefault(rel, _Locator(self.root / rel))("evidence", ("[[records]]", pos))
                said = (
                    Finding(N_("is missing"))
                    if actual is None
                    else Finding(N_("does not match its sha256 (it is {digest}…)"), digest=actual[:12])
                )
                found.append(
                    Problem(
                        self.display(rel),
                        line,
                        Finding(N_("evidence {file} {said}"), file=entry["file"], said=said),
                    )
                )
        return found

    def dated_problems(self, today: dt.date) -> list[Problem]:
        """Records dated after `today`: a day that has not come cannot be reported on. Asked at the
        time of asking, never stored, since tomorrow they may be right."""
        rows = self.db.execute(
            "SELECT f.path, p.pos, p.date FROM progress p JOIN files f ON f.fid = p.fid WHERE p.date > ? "
            "ORDER BY f.path, p.pos",
            (today.isoformat(),),
        ).fetchall()
        locators: dict[str, _Locator] = {}
        return [
            Problem(
                self.display(rel),
                locators.setdefault(rel, _Locator(self.root / rel))("date", ("[[records]]", pos)),
                Finding(N_("date {date} is after today ({today})"), date=date, today=today.isoformat()),
            )
            for rel, pos, date in rows
        ]

    def dataset(self) -> Dataset:
        """Everything, as model records."""
        from cityplan_cli.model import Dataset

        tasks = self.tasks()
        known = {t.id for t in tasks}
        return Dataset(
            root=self.root,
            registry=self.registry(),
            documents=self.documents(),
            tasks=tasks,
            settings=self.settings(),
            history={k: v for k, v in self.progress().items() if k in known},
        )

    # ---------------------------------------------------------------------------------------------
    # names

    def unit(self, name: str) -> str:
        """The canonical name of a unit given by any of its names; unknown is a usage error."""
        from cityplan_cli.registry import unknown_unit_text

        found = self._by_names(name)
        if found is None:
            raise CityplanError(unknown_unit_text(name, self.registry().suggest(name)))
        return found

    def resolved(self, name: str) -> str | None:
        """What `Registry.resolve` answers, from the stored names (no registry built)."""
        if self.db.execute("SELECT 1 FROM units WHERE name = ?", (name,)).fetchone() is not None:
            return name
        return self._by_names(name)

    def _by_names(self, name: str) -> str | None:
        from cityplan_cli.registry import PLATE, normalize

        key = normalize(name)
        row = self.db.execute("SELECT unit FROM names WHERE name = ?", (key,)).fetchone()
        if row is not None:
            return row[0]
        m = PLATE.match(key)
        if m:
            base = self.db.execute("SELECT unit FROM names WHERE name = ?", (m["base"],)).fetchone()
            plate = self.db.execute("SELECT unit FROM names WHERE name = ?", (m["plate"],)).fetchone()
            if base is not None and plate is not None and base == plate:
                return base[0]
        return None

    def document_id(self, ref: str) -> str:
        """A document's id from its id or its 发文字号; unknown is a usage error."""
        from cityplan_cli.errors import not_found
        from cityplan_cli.i18n import N_

        wanted = reference_key(ref)
        refs = self.db.execute(
            "SELECT d.id, d.number FROM documents d JOIN files f ON f.fid = d.fid ORDER BY f.rank"
        ).fetchall()
        for ident, number in refs:
            if wanted in (reference_key(ident), reference_key(number or "")):
                return ident
        raise not_found(N_("document"), ref, [r for pair in refs for r in pair if r])

    def task_id(self, ref: str) -> str:
        """A task's id; unknown is a usage error naming the closest."""
        from cityplan_cli.errors import not_found
        from cityplan_cli.i18n import N_

        row = self.db.execute("SELECT id FROM tasks WHERE id = ? COLLATE NOCASE", (ref.strip(),)).fetchone()
        if row is not None:
            return row[0]
        raise not_found(N_("task"), ref, [i for (i,) in self.db.execute("SELECT id FROM tasks")])

    def iter_rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[tuple[Any, ...]]:
        yield from self.db.execute(sql, list(params))


class _Locator:
    """The line of a key in the n-th table under a header (or, header "", in the whole file),
    reading the file only when first asked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lines: Any = None

    def __call__(self, key: str, where: tuple[str, int]) -> int:
        if self._lines is None:
            from cityplan_cli.load.text import Lines, read_text

            text, _ = read_text(self.path)
            self._lines = Lines(text or "")
        header, index = where
        if not header:
            return self._lines.key(key, (1, self._lines.count + 1))
        spans = self._lines.tables(header)
        return self._lines.key(key, spans[index] if index < len(spans) else (1, 1))


def reference_key(ref: str) -> str:
    """A document's id or 发文字号 as compared: case and width folded, the year's brackets as
    typed on any keyboard (甘政发[2024]57号, 甘政发(2024)57号, 甘政发【2024】57号) read as 〔〕."""
    import re
    import unicodedata

    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", ref)).lower()
    return re.sub(r"[\[(【〔]\s*(\d{4})\s*[\])】〕]", r"〔\1〕", text)


def _marks(values: Any) -> str:
    return ", ".join("?" * len(values))


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(SEP)) if text else ()


def _list(text: str | None) -> list[Any]:
    return json.loads(text) if text else []


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def registry_from_rows(rows: Iterable[tuple[Any, ...]]) -> Registry:
    from cityplan_cli.registry import Registry

    registry = Registry()
    for row in rows:
        registry.add(unit_from_row(row))
    return registry


def unit_from_row(row: tuple[Any, ...]) -> Unit:
    from cityplan_cli.model import Unit

    (_, name, full_name, kind, aliases, plates, parent, capacity, members, contact, places, remit) = row[:12]
    source, team = row[12:14]
    return Unit(
        name=name,
        full_name=full_name,
        kind=kind,
        aliases=tuple(_list(aliases)),
        nameplates=tuple(_list(plates)),
        parent=parent,
        capacity=capacity,
        members=tuple(_list(members)),
        contact=json.loads(contact) if contact else {},
        places=tuple(_list(places)),
        remit=tuple(_list(remit)),
        source=source,
        team=team,
    )


_DUPLICATE = {
    "document": N_("duplicate document id '{id}' (first at {first})"),
    "task": N_("duplicate task id '{id}' (first at {first})"),
}


def _no_task(task: str, close: list[str]) -> Finding:
    if close:
        return Finding(N_("no task '{task}'; did you mean {close}?"), task=task, close=close)
    return Finding(N_("no task '{task}'"), task=task)


def _message(stored: str) -> str:
    """A stored message: a Finding when stored as one (JSON), else the text as written."""
    return Finding.restored(json.loads(stored)) if stored.startswith('{"msgid"') else stored
