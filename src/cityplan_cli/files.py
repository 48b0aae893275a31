"""Writing output files: safe names on Windows and Linux, and atomic replacement."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import _

if TYPE_CHECKING:
    from concurrent.futures import Future

MAX_NAME = 80  # characters; within every filesystem's limit, with room for an extension
_HASH = 8  # hex digits of a name's hash that tell apart names cleaned to the same text

# `.NAME.cityplan-tmp-PID-RANDOM`: what a write leaves behind only when it is killed midway. The next
# write into the directory removes those whose process is gone.
_TEMP = re.compile(r"^\..+\.cityplan-tmp-(\d+)-[0-9a-f]+$")
_swept: set[str] = set()  # directories already cleared of leftovers by this process


# Names of only Chinese characters and digits, short enough, are file names as they are: most unit
# names, each checked after every change to the data (see `_clean`).
_PLAIN = re.compile("[0-9\u4e00-\u9fff]+")


def _clean(name: str) -> str:
    if _PLAIN.fullmatch(name) and len(name.encode("utf-8")) <= MAX_NAME:
        return name
    from pathvalidate import sanitize_filename  # only where files are written

    # Control and format characters (C0, C1, zero-width, bidi …) have no place in a file name.
    printable = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    base = sanitize_filename(printable, replacement_text="_", platform="universal", max_len=MAX_NAME)
    # No leading dot: a hidden file, or a name that looks like a lock or temporary file.
    return base.strip().lstrip(".").strip()


def safe_names(names: Iterable[str]) -> dict[str, str]:
    """A file name (without extension) for each name: no / \\ : * ? " < > |, no control or format
    character, no reserved device name (CON, NUL, COM1 …), no leading dot, at most MAX_NAME characters.

    A name that is already such a file name, and has no upper case (a case-insensitive filesystem
    would take 省住建厅 and a differently cased twin for one file), is its own file name. Any other gets
    a hash of the whole name appended, so that a name always gets the same file name whatever else is
    listed, and two names cleaned to the same text (a/b and a:b, 省住建厅 with a zero-width space)
    never share a file."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for name in dict.fromkeys(names):
        base = _clean(name)
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
        candidates = [name] if name and base == name and name == name.casefold() else []
        # Longer hashes only where a shorter one is taken (a name written to look like another's).
        for size in (_HASH, 16, 64):
            stem = base[: MAX_NAME - size - 1].rstrip(" .") or "unit"
            candidates.append(f"{stem}-{digest[:size]}")
        candidate = next((c for c in candidates if c.casefold() not in taken), None)
        n = 1
        while candidate is None or candidate.casefold() in taken:  # only ever for crafted names
            n += 1
            candidate = f"{candidates[-1][: MAX_NAME - 8]}-{n}"
        taken.add(candidate.casefold())
        result[name] = candidate
    return result


def _gone(pid: int, path: Path) -> bool:
    """Whether the process that wrote a temporary file has ended."""
    if pid == os.getpid():
        return False
    if os.name == "nt":  # os.kill would end the process there; no write takes an hour
        return time.time() - path.stat().st_mtime > 3600
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def _sweep(directory: Path) -> None:
    """Remove what writes killed midway left in `directory`, once per directory and process."""
    key = str(directory)
    if key in _swept:
        return
    _swept.add(key)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        m = _TEMP.match(entry.name)
        try:
            if m and entry.is_file(follow_symlinks=False) and _gone(int(m[1]), Path(entry.path)):
                os.unlink(entry.path)
        except OSError:  # gone already, or not ours to remove: a leftover is no reason to fail
            pass


def write_atomic(path: Path, data: str | bytes | Iterable[str] | Iterable[bytes]) -> None:
    """Write to a temporary file beside `path`, flush it to disk, rename it over `path` and flush the
    directory: a reader sees the old file or the new one, never half of one.

    An existing file keeps its permission bits (and, where allowed, its owner and group); a new one
    gets those the umask gives. A symbolic link is written through: its target gets the new content and
    the link stays. A read-only file is refused. Any failure names `path` and leaves it as it was.
    Text given in pieces is written as it comes."""
    tmp, target = _stage(path, data, flush=True)
    _replace(tmp, target, path, flush=False)
    _sync_directory(target.parent)


class AtomicBatch:
    """Many files, each written as `write_atomic` writes one, their flushes to disk overlapping: a
    province's `checklist --all` writes thousands of files, and flushing one at a time waits on the
    disk for each, while flushes made together share the filesystem's journal commits. Each path
    goes to `written` once its file is in place, in the order given; every directory is flushed once
    at the end. On a failure, the files whose turn had not come are left as they were."""

    def __init__(self, written: Callable[[Path], None] | None = None, workers: int = 8) -> None:
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor

        self._written = written
        self._pool = ThreadPoolExecutor(workers)
        self._pending: deque[tuple[Path, Path, Path, Future[None]]] = deque()
        self._directories: dict[Path, None] = {}
        # Every temporary file, named before it is made: a failure (or a process ended by a
        # signal, between any two steps) removes those not yet in place.
        self._staged: list[Path] = []

    def write(self, path: Path, data: str | bytes | Iterable[str] | Iterable[bytes]) -> None:
        tmp, target = _stage(path, data, flush=False, staged=self._staged)
        self._pending.append((path, tmp, target, self._pool.submit(_replace, tmp, target, path, True)))
        self._drain(wait=False)

    def _drain(self, wait: bool) -> None:
        while self._pending and (wait or self._pending[0][3].done()):
            path, _, target, done = self._pending[0]
            done.result()
            self._pending.popleft()
            self._directories[target.parent] = None
            if self._written is not None:
                self._written(path)

    def __enter__(self) -> AtomicBatch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        failed = kind is not None
        try:
            if not failed:
                self._drain(wait=True)
                for directory in self._directories:
                    _sync_directory(directory)
        except BaseException:  # a failure seen only now: the files after it are left as they were too
            failed = True
            raise
        finally:
            for _, _, _, done in self._pending:
                done.cancel()  # never started
            self._pool.shutdown(wait=True)  # one that started is in place, or removed
            if failed:
                for tmp in self._staged:
                    tmp.unlink(missing_ok=True)


def _stage(
    path: Path,
    data: str | bytes | Iterable[str] | Iterable[bytes],
    flush: bool,
    staged: list[Path] | None = None,
) -> tuple[Path, Path]:
    """The new content in a temporary file beside the file `path` names (through a link), with the
    old file's mode and owner; flushed to disk when `flush`. Returns it and the file it replaces.
    The temporary file's name goes to `staged` before the file is made."""
    pieces = [data.encode("utf-8")] if isinstance(data, str) else [data] if isinstance(data, bytes) else data
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise CityplanError(
            _("{path} is read-only; not replaced (make it writable, or write elsewhere)").format(path=path)
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    _sweep(target.parent)
    tmp = target.with_name(f".{target.name}.cityplan-tmp-{os.getpid()}-{secrets.token_hex(4)}")
    if staged is not None:
        staged.append(tmp)
    try:
        # 0o666: the umask decides a new file's mode, as for any file the user creates.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as f:
            if st is not None:
                if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(PermissionError):  # not ours to give away
                        os.fchown(f.fileno(), st.st_uid, st.st_gid)
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
            for piece in pieces:
                f.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            if flush:
                f.flush()
                os.fsync(f.fileno())
    except BaseException as exc:
        _failed(tmp, path, exc)
    return tmp, target


def _replace(tmp: Path, target: Path, path: Path, flush: bool) -> None:
    """Rename the temporary file over the target, having flushed it to disk first when `flush`."""
    try:
        if flush:
            fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        _failed(tmp, path, exc)


def _failed(tmp: Path, path: Path, exc: BaseException) -> NoReturn:
    """Remove the temporary file; an OS error names the file the user asked for."""
    Path(tmp).unlink(missing_ok=True)
    if isinstance(exc, OSError):
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    raise exc


def _sync_directory(directory: Path) -> None:
    """Flush the rename to disk. Windows cannot open a directory, and some filesystems cannot flush
    one: there the rename is as durable as the system makes it."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise OSError(exc.errno, exc.strerror, str(directory)) from exc
    finally:
        os.close(fd)
