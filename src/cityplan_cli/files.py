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
from collections.abc import Iterable
from pathlib import Path

from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import _

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


def write_atomic(path: Path, data: str | bytes, sync_directory: bool = True) -> None:
    """Write to a temporary file beside `path`, flush it to disk, rename it over `path` and flush the
    directory: a reader sees the old file or the new one, never half of one. Whoever writes many
    files to one directory may pass `sync_directory=False` and flush it once after the last
    (`sync_directories`).

    An existing file keeps its permission bits (and, where allowed, its owner and group); a new one
    gets those the umask gives. A symbolic link is written through: its target gets the new content and
    the link stays. A read-only file is refused. Any failure names `path` and leaves it as it was."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
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
    try:
        # 0o666: the umask decides a new file's mode, as for any file the user creates.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as f:
            if st is not None:
                if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(PermissionError):  # not ours to give away
                        os.fchown(f.fileno(), st.st_uid, st.st_gid)
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
    if sync_directory:
        _sync_directory(target.parent)


def sync_directories(paths: Iterable[Path]) -> None:
    """Flush the renames of files written with `sync_directory=False`: each directory once."""
    for directory in dict.fromkeys(Path(os.path.realpath(p)).parent for p in paths):
        _sync_directory(directory)


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
