"""`cityplan report`: the weekly report."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, emit


class ReportFormat(str, enum.Enum):
    md = "md"
    json = "json"
    html = "html"


def report(
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="A day of the week to report (default: today).", show_default=False
        ),
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="md, json or html.")] = ReportFormat.md,
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
    fail_on_red: Annotated[bool, typer.Option(help="Exit 1 when any task is red.")] = False,
    data: DataOpt = None,
) -> None:
    """The weekly report for the ISO week holding --as-of: counts by status and light, the red list
    with reasons, this week's updates, status changes since last week, tasks not updated for too long,
    unowned tasks, overloaded units, and every lead unit's tasks. The same data and date give the same
    bytes. HTML is one self-contained file (inline CSS and SVG, no network) that prints on A4.

    Example: cityplan report --as-of 2026-11-26 --format html --out 周报.html
    """
    from cityplan_cli import graph
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.files import write_atomic
    from cityplan_cli.render import to_json
    from cityplan_cli.report import weekly

    ds = open_dataset(data)
    record = weekly(ds, graph.build(ds), (as_of or dt.datetime.now()).date())
    if fmt is ReportFormat.json:
        text = to_json(record)
    else:
        from cityplan_cli.render.report import report_html, report_md

        text = report_html(record) if fmt is ReportFormat.html else report_md(record)
    if out is None:
        emit(text)
    else:
        write_atomic(out, text)
        emit(f"{out}\n")
    if fail_on_red and record["red"]:
        raise typer.Exit(1)
