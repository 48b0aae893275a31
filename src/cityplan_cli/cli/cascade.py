"""`cityplan cascade DOC --to UNIT`: a unit's 分工方案 for a document from above."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cascade import ACCEPT_SCORE
from cityplan_cli.cli import complete
from cityplan_cli.cli.options import DataOpt
from cityplan_cli.cli.output import environment, say
from cityplan_cli.i18n import N_, _, ngettext


def cascade(
    ctx: typer.Context,
    doc: Annotated[
        str,
        typer.Argument(
            help=N_("The document from above: 发文字号 or id."), autocompletion=complete.documents
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help=N_("The unit that carries it out, by any of its names."),
            autocompletion=complete.units,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help=N_("The file to write (default: DOC-UNIT.toml in the data directory).")
        ),
    ] = None,
    accept: Annotated[
        bool, typer.Option(help=N_("Make the top proposed unit the lead where its score clears --min-score."))
    ] = False,
    min_score: Annotated[
        int, typer.Option(help=N_("With --accept: the least score (remit keyword hits, a title hit 3)."))
    ] = ACCEPT_SCORE,
    data: DataOpt = None,
) -> None:
    """Write UNIT's 分工方案 for DOC: a document of UNIT's with one task for each item of DOC that UNIT
    must carry out (directly or through a collective), each implementing its item, with the item's
    words that make it UNIT's, and owners proposed among the units under UNIT for the office to
    confirm. Run again, it adds the items that are new and keeps every edit.

    Example: cityplan cascade 甘政发〔2024〕57号 --to 金昌市政府
    """
    from cityplan_cli import queries
    from cityplan_cli.cascade import cascade as build
    from cityplan_cli.cascade import document_id
    from cityplan_cli.datadir import open_index, writable
    from cityplan_cli.errors import CityplanError, listing
    from cityplan_cli.store import update

    env = environment(ctx)
    ix = open_index(env, data, no_cache=True)  # about to write: the files, not the cache, say what is
    doc_id = ix.document_id(doc)
    unit = ix.unit_info(ix.unit(to))
    if unit.is_collective:
        raise CityplanError(
            _("'{unit}' is a collective: cascade to one of its members").format(unit=unit.name)
        )
    ds = ix.dataset()
    document = ds.documents[doc_id]
    mine = {t.id for t in ix.tasks("t.doc_id = ?", [doc_id])}
    duties = [d for d in queries.duties(ix, unit.name) if d.task_id in mine]
    if not duties:
        raise CityplanError(
            _("{unit} carries out no item of {document}").format(
                unit=unit.name, document=document.number or doc_id
            )
        )
    path = out if out is not None else writable(ix.root) / f"{document_id(document, unit)}.toml"
    outcome = None

    def change(current):
        nonlocal outcome
        changed, outcome = build(
            ds, document, unit, duties, current, accept=accept, min_score=min_score, today=env.today
        )
        return changed

    update(path, change)
    assert outcome is not None
    said = ngettext(
        "{path}: {count} item, {added} new, {kept} kept",
        "{path}: {count} items, {added} new, {kept} kept",
        len(duties),
    ).format(path=path, count=len(duties), added=len(outcome.added), kept=outcome.kept)
    if accept:
        accepted = len(outcome.accepted)
        said += ngettext(
            ", {accepted} suggestion accepted", ", {accepted} suggestions accepted", accepted
        ).format(accepted=accepted)
    say(said + "\n")
    if outcome.gone and not env.quiet:
        typer.echo(
            _("cityplan: note: {unit} no longer carries out {tasks}; their tasks in {path} are kept").format(
                unit=unit.name, tasks=listing(outcome.gone), path=path
            ),
            err=True,
        )
