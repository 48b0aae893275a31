"""`cityplan unowned`: tasks nobody owns."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FailOpt, FormatOpt, emit, output_format


def unowned(
    doc: Annotated[str | None, typer.Option(help="发文字号 or document id.")] = None,
    fail_on_findings: FailOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Tasks with no lead, support or local unit, after document rules.

    Example: cityplan unowned --fail-on-findings --format json
    """
    from cityplan_cli import graph
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.records import task_record
    from cityplan_cli.render import render
    from cityplan_cli.render.columns import TASK

    ds = open_dataset(data)
    doc_id = ds.document(doc).id if doc is not None else None
    rows = [
        task_record(ds.task(task_id), ds)
        for task_id in graph.unowned(ds, graph.build(ds))
        if doc_id is None or ds.task(task_id).doc_id == doc_id
    ]
    emit(render(rows, TASK, output_format(fmt)))
    if fail_on_findings and rows:
        raise typer.Exit(1)
