"""`cityplan import FILE`: a policy document (text, Word, Excel, CSV, PDF) to task TOML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt
from cityplan_cli.cli.output import environment, say
from cityplan_cli.i18n import N_, _


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help=N_(
                "The document: .txt (any encoding), .docx, .xlsx, .csv, .pdf with text, or .doc/.wps/.rtf "
                "(through LibreOffice)."
            )
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(help=N_("A .toml file (one document), or a directory for one file per document.")),
    ] = None,
    force: Annotated[bool, typer.Option(help=N_("Replace files that exist."))] = False,
    units_draft: Annotated[
        Path | None,
        typer.Option(
            help=N_("Write the units the registry does not know here, as entries of units.toml to complete.")
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Read a document (several documents may follow one another) and write each one's numbered items
    or 分工表 rows as task TOML, owners placed by the responsibility the text states, with the words
    that state them. The report (stderr) lists documents, tasks, owners found, the convention applied
    to 责任单位, what was skipped and why, deadlines not understood, units the registry does not know,
    by line. Without --out, one document prints to stdout; with --out DIR, the text read is written
    beside the TOML as sources/ID.txt.

    Example: cityplan import 分工方案.docx --out tasks/
    """
    from cityplan_cli.datadir import load_index
    from cityplan_cli.errors import DataError
    from cityplan_cli.extract import extract, read_source
    from cityplan_cli.layout import UNITS_FILE
    from cityplan_cli.render.importreport import import_report
    from cityplan_cli.render.tasktoml import document_id, document_toml, units_draft_toml

    source = read_source(file)
    # Only the registry must be sound: importing into a data directory with no documents yet is fine.
    ix = load_index(environment(ctx), data)
    problems = ix.problems()
    if any(p.severity == "error" and Path(p.path).name == UNITS_FILE for p in problems):
        raise DataError(problems)
    extraction = extract(source.text, ix.registry(), source.origins)
    extraction.notes[:0] = source.notes
    drafts = [d for d in extraction.documents if d.tasks]
    if not drafts:
        from cityplan_cli.errors import CityplanError

        raise CityplanError(
            _("{file}: no numbered items or 分工表 rows found: nothing to import").format(file=file)
        )
    taken = set(ix.documents())
    ids = [document_id(d, taken) for d in drafts]

    files: list[tuple[Path, str]] = []
    if out is None or out.suffix.lower() == ".toml":
        if len(drafts) > 1:
            from cityplan_cli.errors import CityplanError

            raise CityplanError(
                _("{file} holds {count} documents: give --out DIR for one file each").format(
                    file=file, count=len(drafts)
                )
            )
        targets: list[Path | None] = [out]
        texts = [document_toml(drafts[0], ids[0], file.name)]
    else:  # a directory: one file per document, named by its id, and the text read beside it
        targets = [out / f"{i}.toml" for i in ids]
        texts = [document_toml(d, i, file.name, f"sources/{i}.txt") for d, i in zip(drafts, ids, strict=True)]
        files += [
            (out / "sources" / f"{i}.txt", extraction.source_text(d))
            for d, i in zip(drafts, ids, strict=True)
        ]
    files += [(t, text) for t, text in zip(targets, texts, strict=True) if t is not None]
    if units_draft is not None and extraction.unknown:
        files.append((units_draft, units_draft_toml(extraction, file.name)))
    _write_all(files, force)
    if out is None:
        say(texts[0])
    typer.echo(import_report(file, extraction, drafts, ids, targets, units_draft), err=True, nl=False)


def _write_all(files: list[tuple[Path, str]], force: bool) -> None:
    """Write every file or none: each atomically (TOML through the one writer), and on a failure the
    files and directories this run created are removed again."""
    from cityplan_cli.errors import CityplanError, os_reason, shown
    from cityplan_cli.files import write_atomic
    from cityplan_cli.store import write_new

    for path, _text in files:
        if path.exists() and not force:
            raise CityplanError(_("{path} exists; give --force to replace it").format(path=path))
        if path.exists() and not path.is_file():
            raise CityplanError(_("{path} is not a file").format(path=path))
    created: list[Path] = []
    try:
        for path, text in files:
            missing = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
            created += reversed(missing)
            new = not path.exists()
            if path.suffix == ".toml":
                write_new(path, text, force)
            else:
                write_atomic(path, text)
            if new:
                created.append(path)
    except OSError as exc:
        for path in reversed(created):
            if path.is_dir():
                for lock in path.glob(".*.lock"):
                    lock.unlink(missing_ok=True)
                path.rmdir() if not any(path.iterdir()) else None
            else:
                path.unlink(missing_ok=True)
                path.with_name(f".{path.name}.lock").unlink(missing_ok=True)
        raise CityplanError(
            _("{file}: cannot write: {why}; nothing written").format(
                file=exc.filename or "", why=shown(os_reason(exc))
            )
        ) from None
