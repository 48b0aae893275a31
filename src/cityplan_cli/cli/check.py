"""`cityplan check`: validate every data file."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FailOpt, NoCacheOpt, OutOpt
from cityplan_cli.cli.output import emit, emit_rows, environment
from cityplan_cli.i18n import N_, _, ngettext
from cityplan_cli.render import Format


def check(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option(help=N_("Treat warnings as errors (exit 2)."))] = False,
    fail_on_findings: FailOpt = False,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help=N_("table (file:line: severity: message), json, csv or md."),
            show_default=False,
        ),
    ] = None,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Validate every data file; print each problem as file:line: severity: message.

    Exit 2 on any error (or warning, with --strict); 1 on warnings with --fail-on-findings.

    Example: cityplan check --strict
    """
    from cityplan_cli.datadir import load_index
    from cityplan_cli.records import problem_record
    from cityplan_cli.render.columns import PROBLEM

    env = environment(ctx)
    ix = load_index(env, data, no_cache)
    problems = sorted(
        ix.problems() + ix.dated_problems(env.today) + ix.evidence_problems(), key=lambda p: (p.path, p.line)
    )
    # Without a registry (unreadable, reported) no quote names anyone: checking them would only
    # repeat that error once per owner.
    if (
        ix.db.execute("SELECT 1 FROM units LIMIT 1").fetchone()
        and ix.db.execute("SELECT 1 FROM documents WHERE source IS NOT NULL LIMIT 1").fetchone()
    ):
        from cityplan_cli.basis import dataset_problems

        problems = sorted([*problems, *dataset_problems(ix.dataset())], key=lambda p: (p.path, p.line))
    if fmt is None or fmt is Format.table:  # the file:line lines are the contract, on a terminal or not
        emit(env, "".join(f"{p}\n" for p in problems), out)
    elif fmt is Format.json:  # data: the English message, whatever the language (scripts match on it)
        emit_rows(env, [problem_record(p) for p in problems], PROBLEM, fmt, out)
    else:  # CSV and Markdown are files for the office: Chinese, as their headings
        from cityplan_cli.errors import shown
        from cityplan_cli.i18n import chinese

        rows = [problem_record(p) for p in problems]
        for row, p in zip(rows, problems, strict=True):
            row.update(severity=chinese(p.severity), message=shown(p.message, chinese))
        emit_rows(env, rows, PROBLEM, fmt, out)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not env.quiet:
        n = {**ix.counts(), "errors": errors, "warnings": warnings}
        forms = {
            "documents": ngettext("{count} document", "{count} documents", n["documents"]),
            "tasks": ngettext("{count} task", "{count} tasks", n["tasks"]),
            "units": ngettext("{count} unit", "{count} units", n["units"]),
            "progress": ngettext("{count} progress record", "{count} progress records", n["progress"]),
            "errors": ngettext("{count} error", "{count} errors", errors),
            "warnings": ngettext("{count} warning", "{count} warnings", warnings),
        }
        typer.echo(
            _("{root}: {documents}, {tasks}, {units}, {progress}; {errors}, {warnings}").format(
                root=ix.root, **{key: form.format(count=n[key]) for key, form in forms.items()}
            ),
            err=True,
        )
    if errors or (strict and warnings):
        raise typer.Exit(2)
    if fail_on_findings and warnings:
        raise typer.Exit(1)
