"""`cityplan tasks`: list tasks, filtered."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, NoCacheOpt, Status, emit, output_format


def tasks(
    doc: Annotated[str | None, typer.Option(help="发文字号 or document id.")] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="Only what this unit must do, through collectives too (any of its names)."),
    ] = None,
    status: Annotated[Status | None, typer.Option(help="Only tasks in this status.")] = None,
    unowned: Annotated[bool, typer.Option(help="Only tasks with no responsible unit.")] = False,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """List tasks.

    Example: cityplan tasks --doc 甘政发〔2024〕57号 --unit 省住建厅 --format csv
    """
    from cityplan_cli.render import render
    from cityplan_cli.render.columns import TASK

    wanted = status.value if status else None
    if no_cache:
        from cityplan_cli import graph
        from cityplan_cli.datadir import open_dataset
        from cityplan_cli.filters import TaskFilter
        from cityplan_cli.records import task_record

        ds = open_dataset(data)
        selection = TaskFilter(
            doc_id=ds.document(doc).id if doc is not None else None,
            unit=ds.unit(unit) if unit is not None else None,
            status=wanted,
            unowned=unowned,
        )
        rows = [task_record(t, ds) for t in selection.apply(ds, graph.build(ds))]
    else:
        from cityplan_cli.cache import QueryCache
        from cityplan_cli.datadir import data_dir

        cache = QueryCache.open(data_dir(data))
        rows = cache.tasks(
            doc_id=cache.document(doc) if doc is not None else None,
            unit=cache.unit(unit) if unit is not None else None,
            status=wanted,
            unowned=unowned,
        )
    emit(render(rows, TASK, output_format(fmt)))
