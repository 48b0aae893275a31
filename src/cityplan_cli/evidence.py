"""Evidence (佐证材料): files attached to progress records, kept in the data directory under
evidence/UNIT/SHA256.ext, named by their content, so that the same file is kept once and a file
changed after it was attached is found out (`check`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cityplan_cli.errors import CityplanError, os_reason, shown
from cityplan_cli.i18n import _
from cityplan_cli.layout import progress_stem
from cityplan_cli.model import Evidence

EVIDENCE_DIR = "evidence"
MAX_BYTES = 200 * 1024 * 1024  # a scan or a video of a site visit, not a disk image


def digest(path: Path) -> str:
    """The SHA-256 of a file's content, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def keep(root: Path, unit: str, source: Path) -> Evidence:
    """Copy `source` into evidence/UNIT/SHA256.ext (atomically; a file already kept with the same
    content is kept once; one with other content under that name is never overwritten) and say
    where it is kept."""
    from cityplan_cli.files import write_atomic
    from cityplan_cli.store import locked

    try:
        if not source.is_file():
            raise CityplanError(_("--attach {file}: not a file").format(file=source))
        if source.stat().st_size > MAX_BYTES:
            raise CityplanError(
                _("--attach {file}: larger than {most} MB").format(
                    file=source, most=MAX_BYTES // (1024 * 1024)
                )
            )
        data = source.read_bytes()
    except OSError as exc:
        raise CityplanError(f"--attach {source}: {shown(os_reason(exc))}") from None
    sha = hashlib.sha256(data).hexdigest()
    suffix = source.suffix.lower() if source.suffix.isascii() and source.suffix[1:].isalnum() else ""
    rel = f"{EVIDENCE_DIR}/{progress_stem(unit)}/{sha}{suffix}"
    target = root / rel
    with locked(target, root):
        if target.exists():
            if digest(target) != sha:
                raise CityplanError(
                    _(
                        "{file} exists with other content than its name says; not overwritten "
                        "(`cityplan check` lists the records that name it)"
                    ).format(file=target)
                )
        else:
            write_atomic(target, data)
    return Evidence(rel, sha, source.name)
