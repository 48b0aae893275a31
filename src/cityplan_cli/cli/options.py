"""Options shared by every command, so each spells them the same way."""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from cityplan_cli.model import ROLES, STATUSES
from cityplan_cli.render import Format

T = TypeVar("T")
Status = enum.Enum("Status", {s: s for s in STATUSES}, type=str)
Role = enum.Enum("Role", {r: r for r in ROLES}, type=str)

RoleOpt = Annotated[
    Role | None,
    typer.Option("--role", help="Only duties in this role (lead 牵头, support 配合, local 落实)."),
]

NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Read the data files, not the query cache (see README: Scale).")
]

FailOpt = Annotated[bool, typer.Option("--fail-on-findings", help="Exit 1 when anything is found.")]

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="CITYPLAN_DATA",
        help="Data directory (default: ./tasks if present, else the bundled dataset).",
        show_default=False,
    ),
]

FormatOpt = Annotated[
    Format | None,
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


def steps(items: Sequence[T], label: str) -> Iterator[T]:
    """Iterate with a progress bar on a terminal's stderr; silently in scripts and pipes."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=label, console=Console(stderr=True), transient=True)


@contextmanager
def working(label: str) -> Iterator[None]:
    """A spinner on a terminal's stderr while one long step runs; nothing in scripts and pipes."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(label):
        yield
