"""`cityplan tasks`: list tasks, filtered."""

from __future__ import annotations

import typer

from cityplan_cli.cli.options import (
    DataOpt,
    DocsOpt,
    DueBeforeOpt,
    FormatOpt,
    LightsOpt,
    NoCacheOpt,
    OutOpt,
    OverdueOpt,
    RolesOpt,
    StatusesOpt,
    UnitsOpt,
    UnownedOpt,
    task_filter,
)
from cityplan_cli.cli.output import emit_rows, environment
from cityplan_cli.render import Format


def tasks(
    ctx: typer.Context,
    unit: UnitsOpt = None,
    doc: DocsOpt = None,
    role: RolesOpt = None,
    status: StatusesOpt = None,
    light: LightsOpt = None,
    overdue: OverdueOpt = False,
    due_before: DueBeforeOpt = None,
    unowned: UnownedOpt = False,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """List tasks. Filters combine; a repeated filter takes any of its values. A unit's tasks include
    those that reach it through a collective (`role` and `via` say how).

    Example: cityplan tasks --doc 甘政发〔2024〕57号 --unit 省住建厅 --status 推进中 --format csv
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.render.columns import TASK

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    # The filter options reach the query by their names, through ctx.params.
    rows = queries.task_records(ix, task_filter(ix, ctx.params), env.today)
    emit_rows(env, rows, TASK, fmt, out)
