"""`cityplan remind`: a reminder notice (催办通知) per unit, and a summary for the supervisor."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, NoCacheOpt, UnitsOpt, date_option
from cityplan_cli.cli.output import environment, say
from cityplan_cli.i18n import N_, _


class NoticeFormat(str, enum.Enum):
    md = "md"
    docx = "docx"


def remind(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("Directory to write to."))],
    as_of: Annotated[
        dt.date | None,
        date_option("--as-of", help=N_("The day the notices speak of (default: today).")),
    ] = None,
    unit: UnitsOpt = None,
    window: Annotated[
        int | None,
        typer.Option(
            min=0,
            help=N_("Days ahead that count as due soon (default: lights.due_soon_days in cityplan.toml)."),
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[NoticeFormat, typer.Option("--format", "-f", help=N_("md or docx."))] = NoticeFormat.md,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Write a reminder notice (催办通知) for each unit with something to be reminded of: its tasks
    overdue (by their due date or their next milestone), due within the window, not acknowledged in
    time, or not updated for more than stale_days; each with its deadline, the unit's last record and
    its supervisor, and the supervisors' contacts. Also writes 催办汇总, the summary for the
    supervisor. The same data and day give the same files. Prints the paths written.

    Example: cityplan remind --as-of 2026-02-26 --unit 省住建厅 --out 催办
    """
    from cityplan_cli.datadir import open_index
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.files import safe_names, write_atomic
    from cityplan_cli.remind import notices
    from cityplan_cli.render import notice as render

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    day = as_of or env.today
    chosen = [ix.unit(u) for u in unit] if unit else None
    for name in chosen or ():
        if ix.unit_info(name).members:
            raise CityplanError(
                _("'{unit}' is a collective: each of its members is reminded of its own part").format(
                    unit=name
                )
            )
    found = notices(ix, day, chosen, window)
    files = safe_names([n.unit.name for n in found])
    for notice in found:
        path = out / f"催办通知-{files[notice.unit.name]}.{fmt.value}"
        write_atomic(
            path, render.notice_docx(notice) if fmt is NoticeFormat.docx else render.notice_md(notice)
        )
        say(f"{path}\n")
    path = out / f"催办汇总.{fmt.value}"
    write_atomic(
        path, render.summary_docx(found, day) if fmt is NoticeFormat.docx else render.summary_md(found, day)
    )
    say(f"{path}\n")
