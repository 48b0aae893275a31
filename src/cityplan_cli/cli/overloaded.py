"""`cityplan overloaded`: units whose load exceeds their capacity."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FailOpt, FormatOpt, NoCacheOpt, OutOpt
from cityplan_cli.cli.output import emit_rows, environment
from cityplan_cli.i18n import N_
from cityplan_cli.render import Format


def overloaded(
    ctx: typer.Context,
    max_load: Annotated[
        float | None,
        typer.Option("--max", min=0, help=N_("One capacity for every unit, over any set in the data.")),
    ] = None,
    fail_on_findings: FailOpt = False,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Units whose load exceeds their capacity, heaviest first, with the rule that set the capacity:
    --max, the unit's capacity, its peer group's capacity, or else an outlier among its peers.

    Example: cityplan overloaded --fail-on-findings
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.records import unit_record
    from cityplan_cli.render.columns import OVERLOAD
    from cityplan_cli.workload import heaviest_overloaded

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    registry = ix.registry()
    found = heaviest_overloaded(queries.workloads(ix, max_load))
    rows = [unit_record(w, registry.get(w.unit)) for w in found]
    emit_rows(env, rows, OVERLOAD, fmt, out)
    if fail_on_findings and rows:
        raise typer.Exit(1)
