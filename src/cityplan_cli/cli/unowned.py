"""`cityplan unowned`: tasks nobody owns."""

from __future__ import annotations

import typer

from cityplan_cli.cli.options import DataOpt, DocsOpt, FailOpt, FormatOpt, NoCacheOpt, OutOpt, task_filter
from cityplan_cli.cli.output import emit_rows, environment
from cityplan_cli.render import Format


def unowned(
    ctx: typer.Context,
    doc: DocsOpt = None,
    fail_on_findings: FailOpt = False,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Tasks with no lead, support or local unit, after document rules (the same as
    `tasks --unowned`). With --fail-on-findings, exit 1 when there are any: a CI job can guard the data.

    Example: cityplan unowned --fail-on-findings --format json
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.render.columns import TASK

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    rows = queries.task_records(ix, task_filter(ix, {"doc": doc, "unowned": True}), env.today)
    emit_rows(env, rows, TASK, fmt, out)
    if fail_on_findings and rows:
        raise typer.Exit(1)
