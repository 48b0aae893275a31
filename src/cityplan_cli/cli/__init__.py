"""The command line: typer wiring only. Each command module parses, calls the library, renders.

Command modules import the library inside the command, so that a command loads only what it uses:
start-up time is a target (benchmarks/startup.py), and a query must not pay for exports.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from cityplan_cli import __version__
from cityplan_cli.cli import (
    assign,
    check,
    checklist,
    docs,
    duties,
    export,
    graph,
    import_,
    overloaded,
    progress,
    report,
    show,
    suggest,
    tasks,
    units,
    unowned,
)
from cityplan_cli.errors import CityplanError

app = typer.Typer(
    name="cityplan",
    help="Government plans turned into who-does-what: tasks, owners, duties and checklists.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input ends the command with one message on stderr and exit code 2, never a traceback."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CityplanError as exc:
            typer.echo(f"cityplan: error: {exc}", err=True)
            raise typer.Exit(2) from None
        except OSError as exc:  # a full disk, a read-only directory, a locked file
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"cityplan: error: {where}{exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None

    return run


COMMANDS = {
    "check": check.check,
    "docs": docs.docs,
    "tasks": tasks.tasks,
    "show": show.show,
    "duties": duties.duties,
    "units": units.units,
    "unowned": unowned.unowned,
    "overloaded": overloaded.overloaded,
    "checklist": checklist.checklist,
    "graph": graph.graph,
    "export": export.export,
    "suggest": suggest.suggest,
    "assign": assign.assign,
    "import": import_.import_,
    "progress": progress.progress,
    "report": report.report,
}
for _name, _fn in COMMANDS.items():
    app.command(_name)(_guarded(_fn))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cityplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """cityplan: government plans turned into who-does-what."""


def main() -> None:
    # A run holds a province's tasks as hundreds of thousands of long-lived objects; at the default
    # thresholds the collector rescans them over and over while they are built (a third of a report).
    gc.set_threshold(50_000, 20, 100)
    for stream in (sys.stdout, sys.stderr):
        # Chinese text must reach files and pipes as UTF-8 whatever the console code page is.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    app()
