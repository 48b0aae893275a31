"""`cityplan duties UNIT`: what one unit must do."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import (
    DataOpt,
    DocsOpt,
    DueBeforeOpt,
    FormatOpt,
    LightsOpt,
    NoCacheOpt,
    OutOpt,
    OverdueOpt,
    RolesOpt,
    StatusesOpt,
    UnitsOpt,
    task_filter,
)
from cityplan_cli.cli.output import emit_rows, environment
from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import N_, _
from cityplan_cli.render import Format


def duties(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help=N_("Short name, full official name or alias."),
            show_default=False,
            autocompletion=complete.units,
        ),
    ] = None,
    unit: UnitsOpt = None,
    role: RolesOpt = None,
    doc: DocsOpt = None,
    status: StatusesOpt = None,
    light: LightsOpt = None,
    overdue: OverdueOpt = False,
    due_before: DueBeforeOpt = None,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """What a unit must do: as lead, support or local implementer, and through every collective it
    belongs to (金昌市政府 receives what 各市州政府 must do; `via` names the collective). A duty the
    unit has handed down lists the tasks of its own documents that carry it out (`passed_down`).

    Example: cityplan duties 金昌市人民政府 --role local --format json
    """
    import json

    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.render import unit_heading
    from cityplan_cli.render.columns import DUTY

    names = ([name] if name else []) + list(unit or [])
    if not names:
        raise CityplanError(_("name a unit: cityplan duties UNIT (or --unit UNIT)"))
    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    selection = task_filter(ix, {**ctx.params, "unit": names})
    rows = queries.task_records(ix, selection, env.today)
    from cityplan_cli.links import passed_down

    # The duties the unit has handed down: tasks of its own documents that implement them.
    ids = [r["id"] for r in rows]
    handed = passed_down(
        ix, selection.units, ix.tasks("t.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])
    )
    for row in rows:
        row["passed_down"] = handed.get(row["id"], [])
    title = ""
    if len(selection.units) == 1:
        one = ix.unit_info(selection.units[0])
        title = unit_heading(one.name, one.full_name, one.contact, len(rows))
    emit_rows(env, rows, DUTY, fmt, out, title=title)
