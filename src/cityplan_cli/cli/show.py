"""`cityplan show TASK_ID`: one task in full."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import DataOpt, FormatOpt, NoCacheOpt, OutOpt
from cityplan_cli.cli.output import emit, environment, table_args
from cityplan_cli.i18n import N_
from cityplan_cli.render import Format


def show(
    ctx: typer.Context,
    task_id: Annotated[
        str,
        typer.Argument(
            help=N_("The task's id, e.g. gzf-2024-57-04 (any case)."), autocompletion=complete.tasks
        ),
    ],
    tree: Annotated[
        bool,
        typer.Option(
            "--tree",
            help=N_("The task with every task beneath it that carries it out, to any depth, with lights."),
        ),
    ] = False,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history", help=N_("Every record, amended and withdrawn ones marked, with who and when.")
        ),
    ] = False,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Show one task in full: document, section, text, owners by role, each owner's part (its last
    status, date and note, or, where tasks beneath carry it out, as they report it) and the records
    that count; with --history, every record. With --tree: the task and everything beneath it (the
    tasks that implement it, theirs, and so on), each with its light, and each unit's part as its
    tasks beneath report it.

    Example: cityplan show gzf-2024-57-01 --format json
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.records import history_records, part_record, progress_record
    from cityplan_cli.render.detail import task_detail
    from cityplan_cli.tracking import counting, standing

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    if tree:
        from cityplan_cli.links import subtree
        from cityplan_cli.render.tree import tree_text
        from cityplan_cli.rollup import Rollup
        from cityplan_cli.rollup import tree as task_tree
        from cityplan_cli.tracking import Tracker

        ident = ix.task_id(task_id)
        rollup = Rollup(subtree(ix, [ident]), env.today, Tracker.of_index(ix))
        emit(env, tree_text(task_tree(rollup, ident), fmt, **table_args(env, out)), out)
        return
    selection = queries.select(ix, queries.TaskFilter(ids=(ix.task_id(task_id),)), env.today)
    (task,) = selection.tasks
    from cityplan_cli.basis import basis_records
    from cityplan_cli.records import task_record

    doc = ix.documents().get(task.doc_id)
    record = task_record(task, doc, selection.statuses[task.id])
    record["basis"] = basis_records(ix.registry(), doc, task)
    records = selection.history.get(task.id, [])
    counted = selection.counted.get(task.id, [])  # with the parts that tasks beneath carry out
    record["parts"] = [part_record(p) for p in selection.tracker.parts(task, counted, env.today)]
    record["progress"] = [progress_record(r) for r in standing(records)]
    record["supervisor"] = doc.supervisor if doc else None
    record["review"] = [progress_record(r) for r in counting(records) if r.kind and r.date <= env.today]
    if history:
        record["history"] = history_records(records)
    emit(env, task_detail(record, fmt, **table_args(env, out)), out)
