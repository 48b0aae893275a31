"""The command line: typer wiring only. Each command module parses, calls the library, renders.

Command modules import the library inside the command, so that a command loads only what it uses:
start-up time is a target (benchmarks/startup.py), and a query must not pay for exports.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup
from typer.exceptions import TyperException

from cityplan_cli import __version__
from cityplan_cli.env import Environment
from cityplan_cli.errors import CityplanError

# Command name → its module in this package. A command's module is imported, and its options built,
# only when that command runs (or help lists them all): start-up is a target.
COMMANDS = {
    "check": "check",
    "docs": "docs",
    "tasks": "tasks",
    "show": "show",
    "duties": "duties",
    "units": "units",
    "unowned": "unowned",
    "overloaded": "overloaded",
    "checklist": "checklist",
    "graph": "graph",
    "export": "export",
    "suggest": "suggest",
    "assign": "assign",
    "import": "import_",
    "progress": "progress",
    "ack": "ack",
    "confirm": "confirm",
    "remind": "remind",
    "scores": "scores",
    "report": "report",
    "cascade": "cascade",
    "init": "init",
    "codeowners": "codeowners",
}


class CityplanGroup(TyperGroup):
    """Runs a command and turns every way it can fail into one line on stderr and an exit code:
    2 for bad input or usage (with a hint), 130 when interrupted; never a traceback."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        function = getattr(importlib.import_module(f"cityplan_cli.cli.{module}"), module)
        one = typer.Typer(add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})
        one.command(cmd_name)(function)
        return typer.main.get_command(one)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        env = extra.pop("obj", None)
        if not isinstance(env, Environment):
            env = Environment.current()
        code = 0
        try:
            result = super().main(
                args=args,
                prog_name=prog_name or "cityplan",
                complete_var=complete_var,
                standalone_mode=False,
                obj=env,
                **extra,
            )
            code = result if isinstance(result, int) else 0
        except CityplanError as exc:
            code = _fail(str(exc))
        except TyperException as exc:  # usage: an unknown option, a bad value, a missing argument
            code = _fail(exc.format_message(), _hint(exc))
        except typer.Exit as exc:
            code = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):
            typer.echo("cityplan: interrupted", err=True)
            code = 130
        except BrokenPipeError:
            code = 0  # whoever read the output stopped reading: nothing more to say
        except OSError as exc:  # a full disk, a read-only directory, a locked file
            where = f"{exc.filename}: " if exc.filename else ""
            code = _fail(f"{where}{exc.strerror or exc}")
        if standalone_mode:
            sys.exit(code)
        return code


def _fail(message: str, hint: str = "") -> int:
    typer.echo(f"cityplan: error: {message}", err=True)
    if hint:
        typer.echo(f"cityplan: hint: {hint}", err=True)
    return 2


def _hint(exc: TyperException) -> str:
    ctx = getattr(exc, "ctx", None)
    param = getattr(exc, "param", None)
    choices = getattr(getattr(param, "type", None), "choices", None)
    given = getattr(exc, "value", None) or ""
    if choices and isinstance(given, str):
        from cityplan_cli.errors import closest

        close = closest(given, [str(c) for c in choices])
        if close:
            return f"did you mean {', '.join(close)}?"
    if ctx is not None:
        return f"see '{ctx.command_path} --help'"
    return "see 'cityplan --help'"


app = typer.Typer(
    name="cityplan",
    cls=CityplanGroup,
    help="Government plans turned into who-does-what: tasks, owners, duties and checklists.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cityplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Data directory, for every command.", show_default=False),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Say nothing on stderr but errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """cityplan: government plans turned into who-does-what."""
    env = ctx.obj if isinstance(ctx.obj, Environment) else Environment.current()
    ctx.obj = env.with_options(data=data or env.data, quiet=quiet or env.quiet)


def main() -> None:
    # A run holds a province's tasks as hundreds of thousands of long-lived objects; at the default
    # thresholds the collector rescans them over and over while they are built (a third of a report).
    gc.set_threshold(50_000, 20, 100)
    for stream in (sys.stdout, sys.stderr):
        # Chinese text must reach files and pipes as UTF-8 whatever the console code page is.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    app()
