"""`cityplan import FILE`: a policy document's text to task TOML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, environment, say


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="The document's text (UTF-8; GB18030 and Big5 are recognised).")
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="A .toml file (one document), or a directory for one file per document."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace files that exist.")] = False,
    units_draft: Annotated[
        Path | None,
        typer.Option(help="Write the units the registry does not know here, as [[units]] to complete."),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Read a document's text (several documents may follow one another) and write each one's
    numbered items as task TOML, owners placed by the responsibility the text states. The report
    (stderr) lists documents, items, owners found, items without owners, units the registry does not
    know and anything that could not be placed, by line. Without --out, one document prints to stdout.

    Example: cityplan import 通知.txt --out tasks/
    """
    from cityplan_cli.datadir import load_index
    from cityplan_cli.errors import CityplanError, DataError
    from cityplan_cli.extract import decode, extract
    from cityplan_cli.load import UNITS_FILE
    from cityplan_cli.render.importreport import import_report
    from cityplan_cli.render.tasktoml import document_id, document_toml, units_draft_toml
    from cityplan_cli.store import write_new

    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise CityplanError(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        text, notes = decode(raw)
    except CityplanError as exc:
        raise CityplanError(f"{file}: {exc}") from None
    # Only the registry must be sound: importing into a data directory with no documents yet is fine.
    ix = load_index(environment(ctx), data)
    problems = ix.problems()
    if any(p.severity == "error" and Path(p.path).name == UNITS_FILE for p in problems):
        raise DataError(problems)
    extraction = extract(text, ix.registry())
    extraction.notes[:0] = notes
    drafts = [d for d in extraction.documents if d.tasks]
    if not drafts:
        raise CityplanError(f"{file}: no numbered items found: nothing to import")
    taken = set(ix.documents())
    ids = [document_id(d, taken) for d in drafts]
    texts = [document_toml(d, i, file.name) for d, i in zip(drafts, ids, strict=True)]

    if out is None:
        if len(drafts) > 1:
            raise CityplanError(f"{file} holds {len(drafts)} documents: give --out DIR for one file each")
        targets: list[Path | None] = [None]
    elif out.suffix.lower() == ".toml":
        if len(drafts) > 1:
            raise CityplanError(f"{file} holds {len(drafts)} documents: give --out DIR for one file each")
        targets = [out]
    else:  # a directory: one file per document, named by its id
        targets = [out / f"{i}.toml" for i in ids]
    for target in [*targets, units_draft]:
        if target is not None and target.exists() and not force:
            raise CityplanError(f"{target} exists; give --force to replace it")
    for target, content in zip(targets, texts, strict=True):
        if target is None:
            say(content)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_new(target, content, force)
    if units_draft is not None and extraction.unknown:
        write_new(units_draft, units_draft_toml(extraction, file.name), force)
    typer.echo(import_report(file, extraction, drafts, ids, targets, units_draft), err=True, nl=False)
