"""`cityplan confirm TASK_ID --by SUPERVISOR`: close a task its leads reported done (销号), or send
it back (退回)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, date_option
from cityplan_cli.cli.output import environment, say
from cityplan_cli.i18n import N_, _


def confirm(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(help=N_("The task's id."))],
    by: Annotated[str, typer.Option("--by", help=N_("The supervising unit (only it confirms)."))],
    reject: Annotated[
        bool, typer.Option("--reject", help=N_("Send the task back to its owners instead of closing it."))
    ] = False,
    note: Annotated[str, typer.Option(help=N_("Why it goes back (required with --reject)."))] = "",
    date: Annotated[
        dt.date | None,
        date_option(help=N_("The day of the verdict (default: today).")),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Confirm a task its leads reported done (办结审核). A done task is 待销号 until its document's
    supervisor records its verdict: confirm closes it (销号); --reject sends it back to its owners,
    in progress, with --note saying why, until its leads report it done again. The verdict is a
    record in the supervisor's own progress file, progress/SUPERVISOR/COPY.toml.

    Example: cityplan confirm gzf-2024-57-04 --by 省政府办公厅 --reject --note 缺少验收材料
    """
    from cityplan_cli import queries
    from cityplan_cli.cli.progress import user
    from cityplan_cli.datadir import open_index, writable
    from cityplan_cli.errors import CityplanError, shown
    from cityplan_cli.load.fields import text_fault
    from cityplan_cli.model import ACT_LABELS, STATE_LABELS, Progress
    from cityplan_cli.store import add_record

    fault = text_fault("note", note)
    if fault:
        raise CityplanError(f"--note {shown(fault)}")
    if reject and not note.strip():
        raise CityplanError(_("--reject needs --note saying why the task goes back"))
    env = environment(ctx)
    ix = open_index(env, data)
    root = writable(ix.root)
    task = ix.task_id(task_id)
    unit = ix.unit(by)
    day = date or env.today
    sel = queries.select(ix, queries.TaskFilter(ids=(task,)), day)
    (found,) = sel.tasks
    doc = ix.documents()[found.doc_id]
    if doc.supervisor is None:
        raise CityplanError(
            _(
                "{doc_id} has no supervisor: its tasks close when their leads report done "
                "(name one with `supervisor` in its [document], or [supervision] in cityplan.toml)"
            ).format(doc_id=doc.number or doc.id)
        )
    if unit != doc.supervisor:
        raise CityplanError(
            _("only {supervisor}, the supervisor of {doc_id}, confirms {task}").format(
                supervisor=doc.supervisor, doc_id=doc.number or doc.id, task=task
            )
        )
    if day > env.today:
        raise CityplanError(_("--date {day} is after today ({today})").format(day=day, today=env.today))
    status = sel.statuses[task]
    if status != "pending":
        raise CityplanError(
            _(
                "{task} is {status} on {day}, not 待销号: "
                "only a task its leads reported done awaits a verdict"
            ).format(task=task, status=STATE_LABELS.get(status, status), day=day)
        )
    kind = "reject" if reject else "confirm"
    record = Progress(
        task_id=task,
        unit=unit,
        date=day,
        status="",
        note=note.strip(),
        by=user(env, root),
        entered=dt.datetime.now().astimezone(),
        kind=kind,
    )
    path, ident = add_record(root, record)
    say(f"{task}: {unit} {day} {ACT_LABELS[kind]} [{ident}] → {path}\n")
