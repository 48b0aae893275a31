"""`cityplan check`: validate every data file."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, emit


def check(
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    fail_on_findings: Annotated[bool, typer.Option(help="Exit 1 when there are warnings.")] = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Validate every data file; print each problem as file:line: severity: message.

    Exit 2 on any error (or warning, with --strict); 1 on warnings with --fail-on-findings.
    The default format here is the file:line list, on a terminal or not.

    Example: cityplan check --strict
    """
    from cityplan_cli.datadir import data_dir
    from cityplan_cli.load import load
    from cityplan_cli.records import problem_record
    from cityplan_cli.render import Format, render
    from cityplan_cli.render.columns import PROBLEM

    root = data_dir(data)
    ds, problems = load(root)
    # The file:line lines are the contract here, on a terminal or not.
    fmt = fmt or Format.table
    if fmt is Format.table:
        emit("".join(f"{p}\n" for p in problems))
    else:
        rows = [problem_record(p) for p in problems]
        emit(render(rows, PROBLEM, fmt))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(
        f"{root}: {len(ds.documents)} documents, {len(ds.tasks)} tasks, {len(ds.registry)} units, "
        f"{len(ds.progress)} progress records; "
        f"{errors} errors, {warnings} warnings",
        err=True,
    )
    if errors or (strict and warnings):
        raise typer.Exit(2)
    if fail_on_findings and warnings:
        raise typer.Exit(1)
