"""The options every command spells the same way, and the parsing of their values.

Each listing takes the same vocabulary: `--unit` (repeatable: any of them), `--doc`, `--role`,
`--status`, `--light`, `--overdue`, `--due-before`, `--format`, `--out`. Values are accepted as the
tool prints them too: a status by its Chinese label (推进中), a date as 2026-11-20, 2026/11/20,
20261120, today or yesterday.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityplan_cli.errors import CityplanError
from cityplan_cli.model import ROLE_LABELS, STATE_LABELS, STATUS_LABELS
from cityplan_cli.render import Format

if TYPE_CHECKING:
    from cityplan_cli.env import Environment
    from cityplan_cli.index import Index
    from cityplan_cli.queries import TaskFilter

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "closed": "销号"}


def choice(what: str, labels: dict[str, str]):
    """A parser accepting each value by its name or its Chinese label, with a did-you-mean."""

    def parse(value: str) -> str:
        text = value.strip()
        for key, label in labels.items():
            if text.lower() == key or text == label:
                return key
        from cityplan_cli.errors import closest, did_you_mean

        options = [*labels, *labels.values()]
        shown = ", ".join(f"{k} ({v})" for k, v in labels.items())
        raise typer.BadParameter(f"'{value}' is not a {what}: {shown}{did_you_mean(closest(text, options))}")

    return parse


parse_status = choice("status", STATUS_LABELS)
parse_state = choice("status", STATE_LABELS)  # what a task may be found in: 待销号 too
parse_role = choice("role", ROLE_LABELS)
parse_light = choice("light", LIGHT_LABELS)


def parse_date(value: str) -> dt.date:
    """2026-11-20, 2026/11/20, 2026.11.20, 20261120, 2026年11月20日, today or yesterday."""
    text = value.strip().lower()
    today = dt.date.today()
    named = {"today": today, "今天": today, "yesterday": today - dt.timedelta(days=1), "昨天": today}
    if text in named:
        return named[text] if text != "昨天" else today - dt.timedelta(days=1)
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})", text)
    if m:
        y, mo, d = (
            (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        )
        try:
            return dt.date(int(y), int(mo), int(d))
        except ValueError:
            raise typer.BadParameter(f"'{value}' is not a day of the calendar") from None
    raise typer.BadParameter(
        f"'{value}' is not a date: write 2026-11-20, 2026/11/20, 20261120, today or yesterday"
    )


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Data directory (default: $CITYPLAN_DATA, else the nearest directory holding units.toml).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table, json, csv or md.", show_default=False)
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Read the data files for this run only; leave nothing on disk.")
]
FailOpt = Annotated[bool, typer.Option("--fail-on-findings", help="Exit 1 when anything is found.")]
UnitsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        "-u",
        help="A unit by any of its names; repeat for several (any of them).",
        show_default=False,
    ),
]
DocsOpt = Annotated[
    list[str] | None,
    typer.Option("--doc", "-d", help="发文字号 or document id; repeat for several.", show_default=False),
]
RolesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        parser=parse_role,
        help="lead 牵头, support 配合 or local 落实; repeatable.",
        show_default=False,
    ),
]
StatusesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        parser=parse_state,
        help="not_started 未启动, in_progress 推进中, done 已完成, pending 待销号, blocked 受阻; repeatable.",
        show_default=False,
    ),
]
LightsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--light",
        parser=parse_light,
        help="red 红灯, yellow 黄灯, green 绿灯, closed 销号; repeatable.",
        show_default=False,
    ),
]
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="Only tasks past their due date and not done.")]
DueBeforeOpt = Annotated[
    dt.date | None,
    typer.Option(
        "--due-before",
        parser=parse_date,
        metavar="DATE",
        help="Only tasks due on or before this day.",
        show_default=False,
    ),
]
UnownedOpt = Annotated[bool, typer.Option("--unowned", help="Only tasks with no responsible unit.")]


def environment(ctx: typer.Context) -> Environment:
    """The environment the root command made (or a test gave)."""
    from cityplan_cli.env import Environment

    env = ctx.find_root().obj
    return env if isinstance(env, Environment) else Environment.current()


def emit(env: Environment, text: str, out: Path | None = None) -> None:
    """Print, or write `out` atomically and say where."""
    if out is None:
        say(text)
        return
    from cityplan_cli.files import write_atomic

    write_atomic(out, text)
    say(f"{out}\n")


def table_args(env: Environment, out: Path | None) -> dict[str, object]:
    """How wide a table may be and whether to draw its rules: a terminal's width on a terminal (or
    the width $COLUMNS asks for); in a pipe or a file, one line a row and no rules, so the output is
    the same kind of table and easy to grep."""
    to_screen = env.stdout_tty and out is None
    width = env.width if to_screen or (out is None and env.get("COLUMNS")) else None
    return {"width": width, "plain": not to_screen}


def say(text: str) -> None:
    """Print to stdout. When the reader has gone (`| head -1`), printing stops quietly and the rest
    of the command (files it writes) goes on."""
    import os
    import sys

    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at nothing, so neither later output nor the flush at exit fails again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        finally:
            os.close(devnull)


def task_filter(
    ix: Index,
    *,
    units: list[str] | None = None,
    docs: list[str] | None = None,
    roles: list[str] | None = None,
    statuses: list[str] | None = None,
    lights: list[str] | None = None,
    overdue: bool = False,
    due_before: dt.date | None = None,
    unowned: bool = False,
    ids: list[str] | None = None,
) -> TaskFilter:
    """The filter the options describe, every name resolved (an unknown one is a usage error)."""
    from cityplan_cli.queries import TaskFilter

    if roles and not units:
        raise CityplanError("--role needs --unit: a role is a unit's part in a task")
    return TaskFilter(
        doc_ids=tuple(dict.fromkeys(ix.document_id(d) for d in docs or ())),
        units=tuple(dict.fromkeys(ix.unit(u) for u in units or ())),
        roles=tuple(roles or ()),
        statuses=tuple(statuses or ()),
        lights=tuple(lights or ()),
        overdue=overdue,
        due_before=due_before,
        unowned=unowned,
        ids=tuple(dict.fromkeys(ix.task_id(i) for i in ids or ())),
    )
