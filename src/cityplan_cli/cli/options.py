"""Options shared by every command, so each spells them the same way."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cityplan_cli.model import ROLES, STATUSES
from cityplan_cli.render import Format

Status = enum.Enum("Status", {s: s for s in STATUSES}, type=str)
Role = enum.Enum("Role", {r: r for r in ROLES}, type=str)

RoleOpt = Annotated[
    Optional[Role],  # noqa: UP045
    typer.Option("--role", help="Only duties in this role (lead 牵头, support 配合, local 落实)."),
]

FailOpt = Annotated[bool, typer.Option("--fail-on-findings", help="Exit 1 when anything is found.")]

DataOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer on Python 3.10 needs Optional here
    typer.Option(
        "--data",
        envvar="CITYPLAN_DATA",
        help="Data directory (default: ./tasks if present, else the bundled dataset).",
        show_default=False,
    ),
]

FormatOpt = Annotated[
    Optional[Format],  # noqa: UP045
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: table on a terminal, json otherwise).",
        show_default=False,
    ),
]


def output_format(fmt: Format | None) -> Format:
    if fmt is not None:
        return fmt
    return Format.table if sys.stdout.isatty() else Format.json


def emit(text: str) -> None:
    typer.echo(text, nl=False)
