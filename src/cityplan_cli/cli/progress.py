"""`cityplan progress TASK_ID`: record where a task stands."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, environment, parse_date, parse_status, say


def progress(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(help="The task's id.")],
    unit: Annotated[
        str,
        typer.Option("--unit", "-u", help="The reporting unit: an owner of the task, by any of its names."),
    ],
    status: Annotated[
        str,
        typer.Option(
            parser=parse_status, help="not_started 未启动, in_progress 推进中, done 已完成, blocked 受阻."
        ),
    ],
    note: Annotated[str, typer.Option(help="What was done, or what blocks it.")],
    date: Annotated[
        dt.date | None,
        typer.Option(
            parser=parse_date,
            metavar="DATE",
            help="The day it stands so (default: today).",
            show_default=False,
        ),
    ] = None,
    percent: Annotated[int | None, typer.Option(min=0, max=100, help="Share done, 0 to 100.")] = None,
    data: DataOpt = None,
) -> None:
    """Record progress on a task. The unit must own the task, directly or through a collective it
    belongs to. Each unit's records live in progress/UNIT.toml, so departments recording in their own
    clones merge cleanly; a file lock keeps concurrent recorders from losing a record.

    Example:
    cityplan progress gzf-2024-57-04 --unit 省住建厅 --status in_progress --note 已完成摸底调查 --percent 30
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index, writable
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.files import safe_names
    from cityplan_cli.load import PROGRESS_DIR
    from cityplan_cli.model import STATUS_LABELS, Progress
    from cityplan_cli.store import append_progress

    env = environment(ctx)
    ix = open_index(env, data)
    root = writable(ix.root)
    task = ix.task_id(task_id)
    name = ix.unit(unit)
    if task not in {d.task_id for d in queries.duties(ix, name)}:
        (found,) = ix.tasks("t.id = ?", [task])
        owners = "、".join(found.owners) or "none"
        raise CityplanError(f"'{name}' does not own {task}; its owners are {owners}")
    record = Progress(
        task_id=task, unit=name, date=date or env.today, status=status, note=note, percent=percent
    )
    files = ix.progress_files()
    path = files.get(name)
    if path is None:
        taken = {p.stem.casefold() for p in files.values()}
        stem = safe_names([*sorted(taken), name])[name]
        path = root / PROGRESS_DIR / f"{stem}.toml"
    append_progress(path, record)
    say(f"{task}: {name} {record.date} {STATUS_LABELS[record.status]} → {path}\n")
