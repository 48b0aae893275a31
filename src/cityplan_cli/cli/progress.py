"""`cityplan progress TASK_ID`: record a unit's part of a task, correct it, or withdraw it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import DataOpt, date_option, parse_status
from cityplan_cli.cli.output import environment, say
from cityplan_cli.i18n import N_, _

if TYPE_CHECKING:
    from cityplan_cli.env import Environment
    from cityplan_cli.model import Progress


def progress(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(help=N_("The task's id."), autocompletion=complete.tasks)],
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            "-u",
            help=N_("The reporting unit: an owner of the task, or a member of a collective owner."),
            autocompletion=complete.units,
        ),
    ],
    note: Annotated[
        str, typer.Option(help=N_("What was done, what blocks it, or why a record is withdrawn."))
    ],
    status: Annotated[
        str | None,
        typer.Option(
            parser=parse_status,
            metavar="STATUS",
            help=N_(
                "not_started 未启动, in_progress 推进中, done 已完成, blocked 受阻 (not with --withdraw)."
            ),
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        dt.date | None,
        date_option(
            help=N_("The day it stands so (default: today; with --amend, the amended record's day).")
        ),
    ] = None,
    percent: Annotated[int | None, typer.Option(min=0, max=100, help=N_("Share done, 0 to 100."))] = None,
    amend: Annotated[
        bool,
        typer.Option("--amend", help=N_("Correct the unit's latest record on the task (or --record's).")),
    ] = False,
    withdraw: Annotated[
        bool,
        typer.Option("--withdraw", help=N_("Withdraw the unit's latest record on the task (or --record's).")),
    ] = False,
    record_id: Annotated[
        str | None,
        typer.Option(
            "--record", metavar="ID", help=N_("The record to amend or withdraw (see show --history).")
        ),
    ] = None,
    milestone: Annotated[
        dt.date | None,
        date_option(help=N_("The date of the task's milestone (节点) this record reports reached.")),
    ] = None,
    attach: Annotated[
        list[Path] | None,
        typer.Option(
            "--attach",
            metavar="FILE",
            help=N_("Evidence to keep with the record (copied into evidence/UNIT/); repeat for several."),
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            help=N_("Who enters it (default: git's user.name here, else your user name)."), show_default=False
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Record a unit's part of a task. Only an owner records, each its own part: a unit the task
    names, or a member of a collective it names (金昌市政府 for 各市州政府), never the collective.
    Records are never edited: --amend writes a record that corrects one, --withdraw one that
    withdraws it. Each copy of the data (a clone) keeps its records in a file of its own,
    progress/UNIT/COPY.toml, so clones recording for the same unit on the same day merge in git
    without a conflict.

    Example:
    cityplan progress gzf-2024-57-04 --unit 省住建厅 --status in_progress --note 已完成摸底调查 --percent 30
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index, writable
    from cityplan_cli.errors import CityplanError, listing, shown
    from cityplan_cli.load.fields import text_fault
    from cityplan_cli.model import STATUS_LABELS, Progress
    from cityplan_cli.store import add_record
    from cityplan_cli.tracking import standing

    if amend and withdraw:
        raise CityplanError(_("--amend and --withdraw: one record does one of them"))
    if record_id is not None and not (amend or withdraw):
        raise CityplanError(_("--record names the record to amend or withdraw: give --amend or --withdraw"))
    if withdraw and (status is not None or percent is not None):
        raise CityplanError(_("a withdrawal has no --status or --percent: --note says why"))
    if not withdraw and status is None:
        raise CityplanError(
            _("give --status: not_started 未启动, in_progress 推进中, done 已完成, blocked 受阻")
        )
    for key, text in (("note", note), ("by", by or ""), ("id", record_id or "")):
        fault = text_fault(key, text)
        if fault:
            raise CityplanError(f"--{'record' if key == 'id' else key} {shown(fault)}")
    if (status == "blocked" or withdraw) and not note.strip():
        raise CityplanError(
            _("--note must say why it is withdrawn") if withdraw else _("--note must say what blocks it")
        )

    env = environment(ctx)
    ix = open_index(env, data)
    root = writable(ix.root)
    task = ix.task_id(task_id)
    name = ix.unit(unit)
    members = ix.unit_info(name).members
    if members:
        raise CityplanError(
            _("'{unit}' is a collective: each of its members records its own part ({members})").format(
                unit=name, members=listing(members[:5]) + ("…" if len(members) > 5 else "")
            )
        )
    if task not in {d.task_id for d in queries.duties(ix, name)}:
        (found,) = ix.tasks("t.id = ?", [task])
        owners = listing(found.owners) or _("none")
        raise CityplanError(
            _("'{unit}' does not own {task}; its owners are {owners}").format(
                unit=name, task=task, owners=owners
            )
        )

    target = None
    if amend or withdraw:
        mine = [r for r in ix.progress([task]).get(task, []) if r.unit == name]
        target = _target(mine, standing(mine), record_id, name, task, "amend" if amend else "withdraw")
    day = date or (target.date if amend and target else env.today)
    (found,) = ix.tasks("t.id = ?", [task])
    issued = ix.documents()[found.doc_id].date
    if milestone is not None:
        if status not in ("in_progress", "done"):
            raise CityplanError(_("--milestone is reported reached by an in_progress or done record"))
        if milestone not in {m.date for m in found.milestones}:
            raise CityplanError(
                _("--milestone {day}: {task} has no milestone that day; its milestones: {milestones}").format(
                    day=milestone,
                    task=task,
                    milestones=listing([str(m.date) for m in found.milestones]) or _("none"),
                )
            )
    if day > env.today:
        raise CityplanError(
            _("--date {day} is after today ({today}): record what stands, when it does").format(
                day=day, today=env.today
            )
        )
    if attach and withdraw:
        raise CityplanError(_("--attach goes with a record of a status, not with a withdrawal"))
    if issued is not None and day < issued:
        raise CityplanError(
            _("--date {day} is before the document's date ({issued})").format(day=day, issued=issued)
        )

    record = Progress(
        task_id=task,
        unit=name,
        date=day,
        status=status or "",
        note=note.strip(),
        percent=percent,
        by=by.strip() if by and by.strip() else user(env, root),
        entered=dt.datetime.now().astimezone(),  # to the microsecond: the order of one day's records
        amends=target.id if amend and target else "",
        withdraws=target.id if withdraw and target else "",
        milestone=milestone,
    )
    if attach:
        from dataclasses import replace

        from cityplan_cli.evidence import keep

        kept = {e.sha256: e for e in (keep(root, name, Path(f)) for f in attach)}  # a file once
        record = replace(record, evidence=tuple(kept.values()))
    path, ident = add_record(root, record)
    if withdraw and target:
        said = _("{task}: {unit} withdraws {record}").format(task=task, unit=name, record=target.id)
        say(f"{said} [{ident}] → {path}\n")
        return
    amends = _(" (amends {record})").format(record=target.id) if target else ""
    say(f"{task}: {name} {record.date} {STATUS_LABELS[record.status]}{amends} [{ident}] → {path}\n")


def _target(
    mine: list[Progress], counting: list[Progress], wanted: str | None, unit: str, task: str, verb: str
) -> Progress:
    """The record to amend or withdraw: the one named, else the unit's latest that still counts."""
    from cityplan_cli.errors import CityplanError, listing

    if wanted is None:
        if not counting:
            raise CityplanError(
                (
                    _("'{unit}' has no record on {task} to amend")
                    if verb == "amend"
                    else _("'{unit}' has no record on {task} to withdraw")
                ).format(unit=unit, task=task)
            )
        return counting[-1]
    for r in counting:
        if r.id == wanted.strip():
            return r
    if any(r.id == wanted.strip() for r in mine):
        raise CityplanError(
            _("record '{record}' of '{unit}' on {task} no longer counts: it was amended or withdrawn").format(
                record=wanted, unit=unit, task=task
            )
        )
    shown = listing([r.id for r in counting]) or _("none")
    raise CityplanError(
        _("'{unit}' has no record '{record}' on {task}; those that count: {records}").format(
            unit=unit, record=wanted, task=task, records=shown
        )
    )


def user(env: Environment, root: Path) -> str:
    """Who is entering a record: git's user.name in the data directory where git has one, else the
    user name the system gives."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(root), "config", "user.name"],
            capture_output=True,
            text=True,
            timeout=10,
            env=dict(env.variables) or None,
            check=False,
        )
        git = done.stdout.strip() if done.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        git = ""
    from cityplan_cli.load.fields import text_fault

    for name in (git, env.get("USER"), env.get("USERNAME"), env.get("LOGNAME")):
        if name and not text_fault("by", name):
            return name
    return "unknown"
