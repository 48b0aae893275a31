"""`cityplan ack TASK_ID --unit U`: record that an owner has received a task (签收)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, date_option
from cityplan_cli.cli.output import environment, say
from cityplan_cli.i18n import N_, _


def ack(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(help=N_("The task's id."))],
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            "-u",
            help=N_("The receiving unit: an owner of the task, or a member of a collective owner."),
        ),
    ],
    date: Annotated[
        dt.date | None,
        date_option(help=N_("The day it was received (default: today).")),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Acknowledge a task (签收): the owner has received it. A task not acknowledged within
    supervision.ack_days working days of its assignment turns yellow and the weekly report lists
    it. The receipt is a record in the unit's own progress file, progress/UNIT/COPY.toml; a unit
    acknowledges a task once.

    Example: cityplan ack gzf-2024-57-04 --unit 省住建厅 --date 2024-11-25
    """
    from cityplan_cli import queries
    from cityplan_cli.cli.progress import user
    from cityplan_cli.datadir import open_index, writable
    from cityplan_cli.errors import CityplanError, listing
    from cityplan_cli.model import Progress
    from cityplan_cli.store import add_record
    from cityplan_cli.tracking import counting

    env = environment(ctx)
    ix = open_index(env, data)
    root = writable(ix.root)
    task = ix.task_id(task_id)
    name = ix.unit(unit)
    members = ix.unit_info(name).members
    if members:
        shown = listing(members[:5]) + ("…" if len(members) > 5 else "")
        raise CityplanError(
            _("'{unit}' is a collective: each of its members acknowledges for itself ({members})").format(
                unit=name, members=shown
            )
        )
    if task not in {d.task_id for d in queries.duties(ix, name)}:
        (found,) = ix.tasks("t.id = ?", [task])
        raise CityplanError(
            _("'{unit}' does not own {task}; its owners are {owners}").format(
                unit=name, task=task, owners=listing(found.owners) or _("none")
            )
        )
    day = date or env.today
    (found,) = ix.tasks("t.id = ?", [task])
    issued = ix.documents()[found.doc_id].date
    if day > env.today:
        raise CityplanError(_("--date {day} is after today ({today})").format(day=day, today=env.today))
    if issued is not None and day < issued:
        raise CityplanError(
            _("--date {day} is before the document's date ({issued})").format(day=day, issued=issued)
        )
    done = [r for r in counting(ix.progress([task]).get(task, [])) if r.unit == name and r.kind == "ack"]
    if done:
        say(f"{task}: {name} 已于 {done[0].date} 签收 [{done[0].id}]\n")
        return
    record = Progress(
        task_id=task,
        unit=name,
        date=day,
        status="",
        by=user(env, root),
        entered=dt.datetime.now().astimezone(),
        kind="ack",
    )
    path, ident = add_record(root, record)
    say(f"{task}: {name} {day} 签收 [{ident}] → {path}\n")
