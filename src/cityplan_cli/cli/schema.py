"""`cityplan schema [COMMAND]`: the JSON Schema of a command's JSON output."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import OutOpt
from cityplan_cli.cli.output import emit, environment
from cityplan_cli.i18n import N_, _


def _commands(incomplete: str) -> list[str]:
    from cityplan_cli.schemas import COMMANDS

    return [c for c in COMMANDS if c.startswith(incomplete)]


def schema(
    ctx: typer.Context,
    command: Annotated[
        str | None,
        typer.Argument(
            help=N_("A command that prints JSON (default: every one, keyed by command)."),
            show_default=False,
            autocompletion=_commands,
        ),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a command's --format json output, or of every one
    as one object keyed by command. `cityplan --version` names the schema's version, which every
    JSON object (show, report, graph) carries as its "schema" key.

    Example: cityplan schema tasks
    """
    import json

    from cityplan_cli import schemas
    from cityplan_cli.errors import CityplanError, closest

    if command is None:
        document = schemas.schemas()
    elif command in schemas.COMMANDS:
        document = schemas.schema(command)
    else:
        from cityplan_cli.cli import COMMANDS
        from cityplan_cli.errors import listing, suggestion

        known = listing(list(schemas.COMMANDS))
        if command in COMMANDS:
            raise CityplanError(
                _("'{command}' prints no JSON; these do: {known}").format(command=command, known=known)
            )
        close = closest(command, list(schemas.COMMANDS))
        raise CityplanError(
            _("no command '{command}' prints JSON; {more}").format(
                command=command,
                more=suggestion(close) if close else _("these do: {known}").format(known=known),
            )
        )
    emit(environment(ctx), json.dumps(document, ensure_ascii=False, indent=2) + "\n", out)
