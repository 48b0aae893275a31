"""`cityplan suggest`: proposed owners for tasks nobody owns."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, emit, output_format


def suggest(
    task_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Tasks to suggest owners for (default: every unowned task).", show_default=False),
    ] = None,
    doc: Annotated[str | None, typer.Option(help="发文字号 or document id.")] = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Propose owners, each with the words of the text behind it: places named as the focus become
    local implementers, enterprises relied on take part, and the department whose remit (units.toml)
    the text covers most leads. Nothing is written: `cityplan assign` makes a suggestion an owner.

    Example: cityplan suggest gzf-2023-73-01
    """
    from cityplan_cli import graph
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.records import suggestion_record
    from cityplan_cli.render import render
    from cityplan_cli.render.columns import SUGGESTION
    from cityplan_cli.suggest import suggest as propose

    ds = open_dataset(data)
    if task_ids:
        tasks = [ds.task(t) for t in task_ids]
    else:
        nobody = set(graph.unowned(ds, graph.build(ds)))
        tasks = [t for t in ds.tasks if t.id in nobody]
    if doc is not None:
        doc_id = ds.document(doc).id
        tasks = [t for t in tasks if t.doc_id == doc_id]
    rows = [suggestion_record(s, ds) for task in tasks for s in propose(ds, task)]
    emit(render(rows, SUGGESTION, output_format(fmt)))
