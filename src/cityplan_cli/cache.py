"""A query cache, so that `duties` and `tasks` answer in well under a second on a province's data.

The answers of those queries, drawn from the graph, are kept in an SQLite file in the user's cache
directory (never in the data directory). The cache is keyed by every data file's path, size, mtime and
content hash, and by this program's version: any edit, any other version, a date past which the
recorded progress would read differently, or a file SQLite cannot read, and the cache is ignored and
built again from the data. Nothing is taken from it that the key does not vouch for.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from cityplan_cli import __version__
from cityplan_cli.errors import CityplanError
from cityplan_cli.load import Dataset, closest, data_files, load_checked
from cityplan_cli.registry import closest_units, resolve_name, unknown_unit_text

SCHEMA = 1
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tasks (id TEXT PRIMARY KEY, ord INTEGER NOT NULL, doc_id TEXT NOT NULL, status TEXT NOT NULL,
                    unowned INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE duties (unit TEXT NOT NULL, task_id TEXT NOT NULL, role TEXT NOT NULL, via TEXT);
CREATE TABLE names (name TEXT PRIMARY KEY, unit TEXT NOT NULL);
CREATE TABLE units (name TEXT PRIMARY KEY, full_name TEXT NOT NULL, contact TEXT NOT NULL);
CREATE TABLE documents (id TEXT PRIMARY KEY, number TEXT);
CREATE TABLE dataset (blob BLOB NOT NULL);
"""


def cache_dir() -> Path:
    override = os.environ.get("CITYPLAN_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cityplan", appauthor=False))


@functools.cache
def _code() -> str:
    """This program's own files: a cache written by any other build of it is not this one's."""
    h = hashlib.sha256(f"{__version__}/{SCHEMA}".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def fingerprint(root: Path) -> str:
    """Every data file's path, size, modification time and content hash, hashed together."""
    h = hashlib.sha256(_code().encode())
    for path in data_files(root):
        stat = path.stat()
        content = hashlib.sha256(path.read_bytes()).hexdigest()
        h.update(
            f"{path.relative_to(root).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{content}\n".encode()
        )
    return h.hexdigest()


class QueryCache:
    """Answers of `duties` and `tasks`, as the uncached commands would give them."""

    def __init__(self, db: sqlite3.Connection, ds: Dataset | None = None) -> None:
        self.db = db
        self._ds = ds  # the dataset itself, where this process has just read it

    @classmethod
    def load(cls, root: Path) -> Dataset:
        """The dataset of `root`, from the cache where it vouches for it, else read and cached."""
        try:
            return cls.open(root).dataset()
        except sqlite3.Error:  # read back wrong after all: read the files
            return load_checked(root)

    @classmethod
    def open(cls, root: Path) -> QueryCache:
        """The cache of `root`'s data as it is now: the stored one if its key matches, else one built
        from the files (and stored for next time, if the cache directory can be written)."""
        root = root.resolve()
        path = cache_dir() / f"{hashlib.sha256(str(root).encode()).hexdigest()[:32]}.sqlite"
        key = fingerprint(root)
        return cls._verified(path, key) or cls._build(root, path, key)

    @classmethod
    def _verified(cls, path: Path, key: str) -> QueryCache | None:
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            fresh = dt.date.today().isoformat() <= meta.get("valid_until", "")
            if meta.get("fingerprint") == key and fresh:
                return cls(db)
            db.close()
        except sqlite3.Error:  # corrupt, truncated, or not a database at all: build it again
            pass
        return None

    @classmethod
    def _build(cls, root: Path, path: Path, key: str) -> QueryCache:
        """Build in memory and answer from there; the stored copy is for the next run. (Another
        process may store its own meanwhile: this one never reads back what it did not build.)"""
        from cityplan_cli import graph
        from cityplan_cli.records import task_record

        ds = load_checked(root)
        g = graph.build(ds)
        today = dt.date.today()
        # Statuses are as of today; a record dated later changes them on its day.
        later = sorted(r.date for r in ds.progress if r.date > today)
        valid_until = (later[0] - dt.timedelta(days=1)) if later else dt.date.max
        nobody = set(graph.unowned(ds, g))
        db = sqlite3.connect(":memory:")
        db.executescript(_TABLES)
        rows = []
        for order, task in enumerate(ds.tasks):
            record = task_record(task, ds)
            rows.append((task.id, order, task.doc_id, record["status"], task.id in nobody, _dumps(record)))
        db.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.executemany(
            "INSERT INTO duties VALUES (?, ?, ?, ?)",
            (
                (u.name, d.task_id, d.role, d.via)
                for u in ds.registry
                for d in graph.duties(g, u.name, ordered=False)  # ordered in SQL, by the tasks' ord
            ),
        )
        db.execute("CREATE INDEX duties_unit ON duties (unit)")  # after the rows: faster than during
        db.executemany("INSERT INTO names VALUES (?, ?)", ds.registry.names.items())
        db.executemany(
            "INSERT INTO units VALUES (?, ?, ?)",
            ((u.name, u.full_name, _dumps(u.contact)) for u in ds.registry),
        )
        db.executemany(
            "INSERT INTO documents VALUES (?, ?)", ((d.id, d.number) for d in ds.documents.values())
        )
        blob = pickle.dumps(ds, protocol=pickle.HIGHEST_PROTOCOL)
        db.execute("INSERT INTO dataset VALUES (?)", (blob,))
        meta = {
            "fingerprint": key,
            "version": __version__,
            "valid_until": valid_until.isoformat(),
            "dataset_sha256": hashlib.sha256(blob).hexdigest(),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
        cls._store(db, path)
        return cls(db, ds)

    @staticmethod
    def _store(db: sqlite3.Connection, path: Path) -> None:
        """Copy the cache to its file, atomically; a cache that cannot be stored is only slower."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            os.close(fd)
        except OSError:
            return
        try:
            target = sqlite3.connect(tmp)
            db.backup(target)
            target.close()
            os.replace(tmp, path)
        except (OSError, sqlite3.Error):
            pass
        finally:
            Path(tmp).unlink(missing_ok=True)

    # -----------------------------------------------------------------------------------------

    def dataset(self) -> Dataset:
        """The loaded data, as `load` gave it when the cache was built (checked against its hash)."""
        if self._ds is not None:
            return self._ds
        (blob,) = self.db.execute("SELECT blob FROM dataset").fetchone()
        (expected,) = self.db.execute("SELECT value FROM meta WHERE key = 'dataset_sha256'").fetchone()
        if hashlib.sha256(blob).hexdigest() != expected:
            raise sqlite3.DatabaseError("the cached dataset does not match its hash")
        return pickle.loads(blob)  # our own file, in the user's cache, vouched for by the hash above

    def unit(self, name: str) -> str:
        index = dict(self.db.execute("SELECT name, unit FROM names").fetchall())
        found = resolve_name(index, name)
        if found is None:
            raise CityplanError(unknown_unit_text(name, closest_units(name, index)))
        return found

    def document(self, ref: str) -> str:
        row = self.db.execute("SELECT id FROM documents WHERE id = ? OR number = ?", (ref, ref)).fetchone()
        if row is None:
            refs = [r for pair in self.db.execute("SELECT id, number FROM documents") for r in pair if r]
            close = closest(ref, refs)
            raise CityplanError(
                f"no document '{ref}'" + (f"; did you mean {', '.join(close)}?" if close else "")
            )
        return row[0]

    def unit_info(self, name: str) -> tuple[str, dict[str, str]]:
        full_name, contact = self.db.execute(
            "SELECT full_name, contact FROM units WHERE name = ?", (name,)
        ).fetchone()
        return full_name, json.loads(contact)

    def duties(self, unit: str, role: str | None = None, doc_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT t.record, d.role, d.via FROM duties d JOIN tasks t ON t.id = d.task_id WHERE d.unit = ?"
        params: list[Any] = [unit]
        if role is not None:
            sql, params = sql + " AND d.role = ?", [*params, role]
        if doc_id is not None:
            sql, params = sql + " AND t.doc_id = ?", [*params, doc_id]
        rows = self.db.execute(sql + " ORDER BY t.ord", params).fetchall()
        return [{**json.loads(record), "role": r, "via": via} for record, r, via in rows]

    def tasks(
        self,
        doc_id: str | None = None,
        unit: str | None = None,
        status: str | None = None,
        unowned: bool = False,
    ) -> list[dict[str, Any]]:
        sql, params = "SELECT record FROM tasks WHERE 1 = 1", []
        if doc_id is not None:
            sql, params = sql + " AND doc_id = ?", [*params, doc_id]
        if unit is not None:
            sql, params = sql + " AND id IN (SELECT task_id FROM duties WHERE unit = ?)", [*params, unit]
        if status is not None:
            sql, params = sql + " AND status = ?", [*params, status]
        if unowned:
            sql += " AND unowned = 1"
        return [json.loads(r) for (r,) in self.db.execute(sql + " ORDER BY ord", params)]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
