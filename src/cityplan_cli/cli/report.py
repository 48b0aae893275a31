"""`cityplan report`: the weekly report."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, NoCacheOpt, OutOpt, date_option
from cityplan_cli.cli.output import emit, environment, stdout_fd
from cityplan_cli.i18n import N_


class ReportFormat(str, enum.Enum):
    md = "md"
    json = "json"
    html = "html"


def report(
    ctx: typer.Context,
    as_of: Annotated[
        dt.date | None,
        date_option(help=N_("A day of the week to report (default: today).")),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help=N_("md, json or html."))
    ] = ReportFormat.md,
    out: OutOpt = None,
    fail_on_red: Annotated[bool, typer.Option(help=N_("Exit 1 when any task is red."))] = False,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """The weekly report for the ISO week holding --as-of: counts by status and light, the red list
    with reasons, this week's updates, status changes since last week, tasks not updated for too long,
    unowned tasks, overloaded units, and every lead unit's tasks. The same data and date give the same
    bytes. HTML is one self-contained file (inline CSS and SVG, no network) that prints on A4.

    Example: cityplan report --as-of 2026-11-26 --format html --out 周报.html
    """
    from itertools import chain

    from cityplan_cli.collector import keep, paused
    from cityplan_cli.datadir import open_index
    from cityplan_cli.forked import aside
    from cityplan_cli.render import json_chunks
    from cityplan_cli.report import weekly_parts

    env = environment(ctx)
    target = Path(out) if out else None
    with paused():
        record, bulletin = weekly_parts(open_index(env, data, no_cache), as_of or env.today)
        if fmt is ReportFormat.json:
            # A province's report: the 通报 is worked out while the rest is encoded beside.
            with aside(json_chunks(record, slice(None, -1)), stdout_fd() if target is None else None) as head:
                record["bulletin"] = bulletin()
                emit(env, chain(head(), json_chunks(record, slice(-1, None))), target)
        else:
            from cityplan_cli.render.report import report_html, report_md

            record["bulletin"] = bulletin()
            emit(env, report_html(record) if fmt is ReportFormat.html else report_md(record), target)
        red = bool(record["red"])
        keep(record, bulletin)
    if fail_on_red and red:
        raise typer.Exit(1)
