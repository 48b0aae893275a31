"""`cityplan scores`: each unit's 考评 over a period, ranked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, NoCacheOpt, OutOpt, date_option
from cityplan_cli.cli.output import emit, environment, table_args
from cityplan_cli.i18n import N_, _
from cityplan_cli.render import Format


def scores(
    ctx: typer.Context,
    start: Annotated[
        dt.date | None,
        date_option("--from", help=N_("The period's first day (default: the beginning).")),
    ] = None,
    end: Annotated[
        dt.date | None,
        date_option("--to", help=N_("The period's last day (default: today).")),
    ] = None,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Score each unit with a duty over a period (考评): tasks owned and led, completed on time or
    late, overdue, the on-time rate, 签收 in time and the mean working days it took, the mean days
    between its updates, and a score from 0 to 100 weighted by the scores table of cityplan.toml; ranked,
    highest first. The README gives the formula.

    Example: cityplan scores --from 2026-01-01 --to 2026-06-30 --format csv --out 考评.csv
    """
    from cityplan_cli.collector import keep, paused
    from cityplan_cli.datadir import open_index
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.render import render
    from cityplan_cli.render.columns import SCORES
    from cityplan_cli.rollup import Rollup
    from cityplan_cli.scores import scores as score_units
    from cityplan_cli.tracking import Tracker

    env = environment(ctx)
    last = end or env.today
    if start is not None and start > last:
        raise CityplanError(_("--from {start} is after --to {end}").format(start=start, end=last))
    with paused():
        ix = open_index(env, data, no_cache)
        ds = ix.dataset()
        rows = [s.record() for s in score_units(Rollup(ds, last, Tracker.of(ds)), ix, start, last)]
        keep(ix, ds)
    emit(env, render(rows, SCORES, fmt, **table_args(env, out)), out)
