"""`cityplan suggest`: proposed owners for tasks nobody owns."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import DataOpt, DocsOpt, FormatOpt, NoCacheOpt, OutOpt
from cityplan_cli.cli.output import emit_rows, environment
from cityplan_cli.i18n import N_
from cityplan_cli.render import Format


def suggest(
    ctx: typer.Context,
    task_ids: Annotated[
        list[str] | None,
        typer.Argument(
            help=N_("Tasks to suggest owners for (default: every unowned task)."),
            show_default=False,
            autocompletion=complete.tasks,
        ),
    ] = None,
    doc: DocsOpt = None,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Propose owners, each with the words of the text behind it: places named as the focus become
    local implementers, enterprises relied on take part, and the department whose remit (units.toml)
    the text covers most leads. Nothing is written: `cityplan assign` makes a suggestion an owner.

    Example: cityplan suggest gzf-2023-73-01
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.records import suggestion_record
    from cityplan_cli.render.columns import SUGGESTION
    from cityplan_cli.suggest import suggest as propose

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    ids = [ix.task_id(t) for t in task_ids] if task_ids else queries.unowned_ids(ix)
    doc_ids = {ix.document_id(d) for d in doc or ()}
    ds = ix.dataset()
    tasks = [ds.task(t) for t in ids]
    if doc_ids:
        tasks = [t for t in tasks if t.doc_id in doc_ids]
    rows = [suggestion_record(s, task.title) for task in tasks for s in propose(ds, task)]
    emit_rows(env, rows, SUGGESTION, fmt, out)
