"""Writing output files: safe names on Windows and Linux, and atomic replacement."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

MAX_NAME = 80  # characters; leaves room for a suffix and an extension within every filesystem's limit


def safe_names(names: Iterable[str]) -> dict[str, str]:
    """A file name (without extension) for each name: no / \\ : * ? " < > |, no reserved device
    names (CON, NUL, COM1 …), and no two alike, even on a case-insensitive filesystem."""
    from pathvalidate import sanitize_filename  # only where files are written

    taken: set[str] = set()
    result = {}
    for name in names:
        # Control and format characters (C0, C1, zero-width …) have no place in a file name.
        printable = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
        base = sanitize_filename(printable, replacement_text="_", platform="universal", max_len=MAX_NAME)
        base = base.strip()
        if not base.strip("._"):
            base = "unit"
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate.casefold())
        result[name] = candidate
    return result


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`:
    a reader sees the old file or the new one, never half of one."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
