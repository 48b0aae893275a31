"""`cityplan assign`: write a task's owners into its data file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import DataOpt
from cityplan_cli.cli.output import environment, say
from cityplan_cli.i18n import N_, _

if TYPE_CHECKING:
    from cityplan_cli.index import Index
    from cityplan_cli.model import Task


def assign(
    ctx: typer.Context,
    task_id: Annotated[str, typer.Argument(help=N_("The task's id."), autocompletion=complete.tasks)],
    lead: Annotated[
        list[str] | None,
        typer.Option(help=N_("Lead unit (牵头); repeat for several."), autocompletion=complete.units),
    ] = None,
    support: Annotated[
        list[str] | None,
        typer.Option(help=N_("Supporting unit (配合); repeat for several."), autocompletion=complete.units),
    ] = None,
    local: Annotated[
        list[str] | None,
        typer.Option(help=N_("Local implementer (落实); repeat for several."), autocompletion=complete.units),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(help=N_("Who decided it (default: your user name); kept in the task's basis.")),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Set a task's owners in its TOML file. The roles given replace what the task had; the others,
    every comment and everything else in the file stay as they are. Units may be given by any name
    and are written by their short name; an unknown unit is refused.

    Example: cityplan assign gzf-2023-73-01 --lead 省工信厅 --support 省科技厅 --local 金昌市政府
    """
    from pathlib import Path

    from cityplan_cli.datadir import open_index, writable
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.model import ROLE_LABELS
    from cityplan_cli.store import set_owners

    given = {"lead": lead, "support": support, "local": local}
    if not any(given.values()):
        raise CityplanError(_("give at least one of --lead, --support, --local"))
    env = environment(ctx)
    ix = open_index(env, data, no_cache=True)  # about to change: the files, not the cache, say what is
    writable(ix.root)
    (task,) = ix.tasks("t.id = ?", [ix.task_id(task_id)])
    owners = {role: list(dict.fromkeys(ix.unit(u) for u in names)) for role, names in given.items() if names}
    seen: dict[str, str] = {}
    for role, units in owners.items():
        for unit in units:
            if unit in seen:
                raise CityplanError(
                    _("'{unit}' is given as both --{first} and --{second}").format(
                        unit=unit, first=seen[unit], second=role
                    )
                )
            seen[unit] = role
    _keep_reporters(ix, task, owners)
    who = by or env.get("USER") or env.get("USERNAME") or "cityplan assign"
    set_owners(Path(task.path), task.id, owners, f"{who} 指派，{env.today.isoformat()}", env.today)
    said = ";".join(f"{ROLE_LABELS[role]} {'、'.join(units)}" for role, units in owners.items())
    say(f"{task.id}: {said} → {task.path}\n")


def _keep_reporters(ix: Index, task: Task, owners: dict[str, list[str]]) -> None:
    """Refuse to take a task from a unit whose records on it still count: they would stand as a
    non-owner's. It withdraws them first (or stays an owner)."""
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.tracking import Tracker, standing

    records = standing(ix.progress([task.id]).get(task.id, []))
    if not records:
        return
    parties = {p.unit for p in Tracker.of_index(ix).parties(ix.reassigned(task, owners))}
    for r in records:
        if r.unit not in parties:
            raise CityplanError(
                _(
                    "'{unit}' has records on {task} that still count ({record}): withdraw them first "
                    "(cityplan progress {task} --unit {unit} --withdraw --note …) or keep it an owner"
                ).format(unit=r.unit, task=task.id, record=r.id)
            )
