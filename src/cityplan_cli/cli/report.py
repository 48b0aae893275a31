"""`cityplan report`: the weekly report."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, NoCacheOpt, OutOpt, date_option
from cityplan_cli.cli.output import emit, environment
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
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.render import json_chunks
    from cityplan_cli.report import weekly

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    record = weekly(
        ix.dataset(),
        queries.all_duties(ix),
        queries.workloads(ix),
        queries.unowned_ids(ix),
        as_of or env.today,
    )
    if fmt is ReportFormat.json:
        text = json_chunks(record)
    else:
        from cityplan_cli.render.report import report_html, report_md

        text = report_html(record) if fmt is ReportFormat.html else report_md(record)
    emit(env, text, Path(out) if out else None)
    if fail_on_red and record["red"]:
        raise typer.Exit(1)
