"""The command line: typer wiring only. Each command module parses, calls the library, renders.

Command modules import the library inside the command, so that a command loads only what it uses:
start-up time is a target (benchmarks/startup.py), and a query must not pay for exports.
"""

from __future__ import annotations

import gc
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main
from typer._click.exceptions import NoArgsIsHelpError
from typer._types import TyperChoice
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import TyperException

from cityplan_cli import __version__, i18n
from cityplan_cli.env import Environment
from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import N_, _

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
    "schema": "schema",
    "completion": "completion",
}

SHELLS = ("bash", "zsh", "fish")


_UNWRAP = re.compile(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)")


_FOLDING: dict[str, Any] = {}  # the help renderer once made to fold, so that it is made so once


class _Speaks:
    """The help of a command in the language of the run: its texts (English in the code) through the
    catalog when it is built, and the pieces click and typer add of their own."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), _("Usage: "))  # type: ignore[attr-defined]

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except TyperException as exc:
            if getattr(exc, "ctx", False) is None:  # the parser's own errors: the hint names the command
                exc.ctx = ctx  # type: ignore[attr-defined]
            raise

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        import typer.rich_utils as panels  # only when help is shown

        panels.ARGUMENTS_PANEL_TITLE = _("Arguments")
        panels.OPTIONS_PANEL_TITLE = _("Options")
        panels.COMMANDS_PANEL_TITLE = _("Commands")
        panels.DEFAULT_STRING = _("[default: {}]")
        panels.REQUIRED_LONG_STRING = _("[required]")
        if panels._make_rich_text is not _FOLDING.get("made"):
            # Chinese has no spaces to wrap at: a help text folds where the panel ends, never cut to "…".
            make = panels._make_rich_text

            def folding(**kwargs: Any) -> Any:
                text = make(**kwargs)
                if hasattr(text, "overflow"):
                    text.overflow = "fold"
                return text

            panels._make_rich_text = _FOLDING["made"] = folding
        super().format_help(ctx, formatter)  # type: ignore[misc]


class CityplanCommand(_Speaks, TyperCommand):
    pass


def _translate(command: Any) -> Any:
    """Put a command's help, and its parameters', into the language of the run; accept each choice
    by its Chinese label too. The English texts are kept, so that a later run in the same process
    (a test's) may speak the other language."""
    from cityplan_cli.cli.options import LabelledChoice

    for item in (command, *command.params):
        texts = item.__dict__.setdefault("_msgids", {"help": item.help})
        # A docstring's line breaks are the source's, not the reader's: the terminal wraps paragraphs.
        item.help = _UNWRAP.sub(" ", _(texts["help"])) if texts["help"] else texts["help"]
        choice = getattr(item, "type", None)
        if isinstance(choice, TyperChoice) and not isinstance(choice, LabelledChoice):
            item.type = LabelledChoice(choice.choices, choice.case_sensitive)
    return command


class CityplanGroup(_Speaks, TyperGroup):
    """Runs a command and turns every way it can fail into one line on stderr and an exit code:
    2 for bad input or usage (with a hint), 130 when interrupted; never a traceback."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Command names from the table, without loading a command's module (a completion
        answers while the user waits), and the root's options."""
        from typer._click.core import Command
        from typer._click.shell_completion import CompletionItem

        names = [CompletionItem(name) for name in COMMANDS if name.startswith(incomplete)]
        return names + Command.shell_complete(self, ctx, incomplete)

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        """Answer the shell's completion script (`cityplan completion SHELL`) when it asks, through
        typer's completion for bash, zsh and fish. The instruction may be spelled either way:
        `complete_bash` (typer's scripts) or `bash_complete` (click's). Nothing but candidates is
        ever printed: a failure offers nothing."""
        import os

        complete_var = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
        instruction = os.environ.get(complete_var)
        if not instruction:
            return
        from typer._completion_classes import completion_init
        from typer.completion import shell_complete

        completion_init()
        first, _, rest = instruction.partition("_")
        if first in SHELLS:
            instruction = f"{rest}_{first}"
        # A candidate's help on one line: typer renders it at the terminal's width, and a line
        # break would make fish read the rest as a candidate of its own.
        columns = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "100000"
        try:
            code = shell_complete(self, ctx_args, prog_name, complete_var, instruction)
        except Exception:
            code = 1
        finally:
            if columns is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = columns
        sys.exit(code)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        function = getattr(importlib.import_module(f"cityplan_cli.cli.{module}"), module)
        one = typer.Typer(add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})
        one.command(cmd_name, cls=CityplanCommand)(function)
        command = typer.main.get_command(one)
        if any(p.name == "data" for p in command.params):  # a command that reads data may be told to be quiet
            command.params.append(_quiet_option())
        return _translate(command)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name in COMMANDS or name.startswith("-"):
            return super().resolve_command(ctx, args)
        from difflib import get_close_matches

        from cityplan_cli.errors import did_you_mean

        raise CityplanError(
            _("no such command '{name}'").format(name=name)
            + did_you_mean(get_close_matches(name, list(COMMANDS), n=2, cutoff=0.7)),
            _("see '{command} --help'").format(command="cityplan"),
        )

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
        i18n.use(i18n.language_of(env.variables))
        _translate(self)
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
            if code == 130:  # ^C, as typer returns it
                typer.echo(_("cityplan: interrupted"), err=True)
        except CityplanError as exc:
            code = _fail(str(exc), exc.hint)
        except NoArgsIsHelpError as exc:  # `cityplan` alone: its help is the answer, with click's code
            if exc.message:
                typer.echo(exc.message)
            code = 2
        except TyperException as exc:  # usage: an unknown option, a bad value, a missing argument
            from cityplan_cli.cli import usage

            code = _fail(usage.message(exc), usage.hint(exc))
        except typer.Exit as exc:
            code = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):
            typer.echo(_("cityplan: interrupted"), err=True)
            code = 130
        except BrokenPipeError:
            code = 0  # whoever read the output stopped reading: nothing more to say
        except OSError as exc:  # a full disk, a read-only directory, a locked file
            from cityplan_cli.errors import os_reason, shown

            where = f"{exc.filename}: " if exc.filename else ""
            code = _fail(f"{where}{shown(os_reason(exc))}")
        finally:
            from cityplan_cli.cli.output import done_reading

            done_reading()
        if standalone_mode:
            sys.exit(code)
        return code


def _quiet_option() -> Any:
    """`-q/--quiet` after the command as before it (`cityplan report -q`): it sets the run's
    environment as the root option does, so the command itself takes no parameter for it."""
    from typer.core import TyperOption

    def quiet(ctx: Any, _param: Any, value: bool) -> None:
        if value:
            root = ctx.find_root()
            env = root.obj if isinstance(root.obj, Environment) else Environment.current()
            root.obj = env.with_options(quiet=True)

    return TyperOption(
        param_decls=["--quiet", "-q"],
        is_flag=True,
        default=False,
        expose_value=False,
        callback=quiet,
        help=N_("Say nothing on stderr but errors."),
    )


def _fail(message: str = "", hint: str = "") -> int:
    """One line `cityplan: error: …` (and a hint line): every failure looks the same."""
    typer.echo(_("cityplan: error: {message}").format(message=message), err=True)
    if hint:
        typer.echo(_("cityplan: hint: {hint}").format(hint=hint), err=True)
    return 2


app = typer.Typer(
    name="cityplan",
    cls=CityplanGroup,
    help=N_("Government plans turned into who-does-what: tasks, owners, duties and checklists."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from cityplan_cli.schemas import VERSION

        typer.echo(_("cityplan {version} (JSON schema {schema})").format(version=__version__, schema=VERSION))
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help=N_("Data directory, for every command."), show_default=False),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help=N_("Say nothing on stderr but errors."))
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help=N_("Print the version."))
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
    from cityplan_cli import collector

    collector.as_program()
    try:
        app()
    except SystemExit as exc:
        collector.end(exc.code)
