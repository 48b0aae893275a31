"""Where the index is kept between runs: one SQLite file per data directory, in the user's cache
directory, never in the data.

A stored index is used only when this user alone can have written it: the directory is the user's
and closed to others (0700), the file too (0600), and a stamp written after each change by this
program (keyed with a secret kept beside it) matches the file's size, time and SQLite's own change
counter. A file changed by anything else — damaged, truncated, another program's, edited by hand —
is set aside and built again. The file holds rows of text and numbers; nothing in it is ever run.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from cityplan_cli.i18n import N_, _
from cityplan_cli.index import Index, program_key

LOCK_TIMEOUT = 120  # seconds: a province's first build takes a few
_warned: set[str] = set()
_held: list[Index] = []  # stored indexes this process reads as they were when opened (see Store.open)


def cache_dir(override: str | None = None) -> Path:
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cityplan", appauthor=False))


def open_index(root: Path, warn: Callable[[str], None], folder_override: str | None = None) -> Index:
    """The index of `root`, stored if the cache directory is safe to use, else in memory."""
    folder = cache_dir(folder_override)
    why = _unsafe(folder)
    if why is not None:
        _not_using(folder, _(why), warn)
        return Index.in_memory(root)
    store = Store(folder, root)
    try:
        return store.open()
    except (sqlite3.Error, OSError) as exc:  # a cache that cannot be read or written is only slower
        from cityplan_cli.errors import os_reason

        if isinstance(exc, OSError):
            why = os_reason(exc)
        else:  # SQLite's own words: the disk is full, or the file cannot be written
            why = _("the index cannot be kept there ({error})").format(error=exc)
        _not_using(folder, why, warn)
        return Index.in_memory(root)


def _not_using(folder: Path, why: str, warn: Callable[[str], None]) -> None:
    """Say once per run why the cache directory is not used."""
    if str(folder) not in _warned:
        _warned.add(str(folder))
        warn(
            _("not using the cache directory {folder}: {why}; reading the data files instead").format(
                folder=folder, why=why
            )
        )


def _unsafe(folder: Path) -> str | None:
    """Why a cache directory must not be used, or None. Made 0700 when it does not exist."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except FileExistsError:  # a file of that name, not "File exists"
        return N_("Not a directory")
    except OSError as exc:
        from cityplan_cli.errors import os_reason

        return os_reason(exc)
    if os.name != "posix":
        return None
    if st.st_uid != os.getuid():
        return N_("it belongs to another user")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return N_("others can write to it")
    return None


class Store:
    """One data directory's stored index, its stamp and its lock."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = root
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:32]
        self.path = folder / f"{name}.sqlite"
        self.stamp = folder / f"{name}.stamp"
        self.lock = folder / f"{name}.lock"

    def open(self) -> Index:
        """The index, up to date, read as it is now until `release()`: another process's refresh
        meanwhile waits for the reads to end, so a command never reads part of one state and part
        of another (a task listed before a refresh, its duties after it)."""
        release()  # a new read ends this process's earlier ones: its refresh must not wait for them
        key = program_key()
        # Without the lock a stamp that does not match may be another process's build in progress:
        # it is judged (and set aside) only under the lock, once that process is done.
        index = self._trusted(discard=False)
        if index is not None:
            try:
                if self._fresh(index, key):
                    return _hold(index)
            except sqlite3.DatabaseError:
                index.db.close()
                index = None
        from filelock import FileLock

        with FileLock(self.lock, timeout=LOCK_TIMEOUT, mode=0o600):
            _sweep(self.folder)
            if index is not None:
                index.db.close()
            index = self._trusted()  # another process may have brought it up to date meanwhile
            try:
                if index is None:
                    index = self._create()
                index.refresh(key)
            except sqlite3.DatabaseError as exc:  # a damaged file, or no room to build: once more, anew
                index.db.close() if index is not None else None
                self._discard()
                index = self._create()
                try:
                    # No room may mean none for the sorts' temporary files: sort in memory this time.
                    index.refresh(key, spill=not isinstance(exc, sqlite3.OperationalError))
                except sqlite3.DatabaseError:
                    index.db.close()
                    self._discard()  # not left to fill a full disk
                    raise
            self._write_stamp()
            return _hold(index)

    def _fresh(self, index: Index, key: str) -> bool:
        row = index.db.execute("SELECT value FROM meta WHERE key = 'program'").fetchone()
        if row is None or row[0] != key:
            return False
        _, changed, removed = index.stale()
        if changed or removed:
            return False
        root = index.db.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
        return root is not None and root[0] == str(self.root)

    def _trusted(self, discard: bool = True) -> Index | None:
        """The stored index, if its stamp vouches for it; otherwise it is set aside (`discard`)."""
        if not self.path.exists():
            return None
        if not self._stamp_matches():
            if discard:
                self._discard()
            return None
        db = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=LOCK_TIMEOUT)
        index = Index(db, self.root)
        try:
            if index.is_ours():
                return index
        except sqlite3.DatabaseError:
            pass
        db.close()
        if discard:
            self._discard()
        return None

    def _create(self) -> Index:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        os.chmod(self.path, 0o600)
        index = Index(sqlite3.connect(self.path, timeout=LOCK_TIMEOUT), self.root)
        index.create()
        return index

    def _discard(self) -> None:
        for path in (self.path, Path(f"{self.path}-journal"), self.stamp):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    # ---------------------------------------------------------------------------------------------
    # the stamp: what the file looked like when this program last wrote it

    def _state(self) -> str | None:
        try:
            st = self.path.stat()
            with open(self.path, "rb") as f:
                header = f.read(100)
        except OSError:
            return None
        if os.name == "posix" and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return None  # another user's file, or one others may read or change
        if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
            return None
        counter = int.from_bytes(header[24:28], "big")
        return f"{self.path.name}:{st.st_size}:{st.st_mtime_ns}:{counter}"

    def _secret(self) -> bytes:
        path = self.folder / "key"
        try:
            secret = path.read_bytes()
            if len(secret) == 32:
                return secret
        except FileNotFoundError:
            pass
        secret = os.urandom(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        return secret

    def _mac(self, state: str) -> str:
        return hmac.new(self._secret(), state.encode(), hashlib.sha256).hexdigest()

    def _stamp_matches(self) -> bool:
        state = self._state()
        if state is None:
            return False
        try:
            stored = json.loads(self.stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (
            isinstance(stored, dict)
            and stored.get("state") == state
            and hmac.compare_digest(str(stored.get("mac", "")), self._mac(state))
        )

    def _write_stamp(self) -> None:
        state = self._state()
        if state is None:
            return
        tmp = self.stamp.with_name(f".{self.stamp.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"state": state, "mac": self._mac(state)}, f)
        os.replace(tmp, self.stamp)


def _hold(index: Index) -> Index:
    """Read the index as it is now until `release()`: a read transaction, its lock taken at once."""
    index.db.execute("BEGIN")
    index.db.execute("SELECT count(*) FROM meta").fetchone()
    _held.append(index)
    return index


def release() -> None:
    """End this process's reads of stored indexes (a command has its answer): a refresh by another
    process may go ahead. An index still used afterwards reads whatever is stored at each step."""
    while _held:
        with contextlib.suppress(sqlite3.Error):
            _held.pop().db.rollback()


def _sweep(folder: Path) -> None:
    """Remove what an interrupted run left: stamps half-written by processes that are gone."""
    for path in folder.glob(".*.stamp.*.tmp"):
        pid = path.name.split(".")[-2]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # cannot tell cheaply; leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
