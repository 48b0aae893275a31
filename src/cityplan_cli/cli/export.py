"""`cityplan export`: the ledger workbook (台账)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, NoCacheOpt, date_option
from cityplan_cli.cli.output import done_reading, environment, say
from cityplan_cli.i18n import N_, _


def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("The workbook to write (.xlsx)."))],
    as_of: Annotated[
        dt.date | None,
        date_option(help=N_("The day the lights are for (default: today).")),
    ] = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Write the ledger workbook: 任务总表 (every task with its owners by role, status, light and due
    date), 责任矩阵 (units × tasks: 牵 / 配 / 落), 单位负荷 (load, capacity, overloaded) and 未落实责任
    (tasks nobody owns). Opens ready to read in Excel and LibreOffice: frozen headers, filters, widths,
    wrapped text, lights as fills, and no text that could run as a formula.

    Example: cityplan export --out 台账.xlsx
    """
    from cityplan_cli.cli.progressbar import working
    from cityplan_cli.collector import keep, paused
    from cityplan_cli.datadir import open_index
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.files import write_atomic
    from cityplan_cli.ledger import ledger
    from cityplan_cli.render.xlsx import ledger_xlsx

    if out.suffix.lower() != ".xlsx":
        raise CityplanError(_("--out: '{name}' is not an .xlsx file").format(name=out.name))
    env = environment(ctx)
    with working(env, _("Writing the ledger…")), paused():
        led = ledger(open_index(env, data, no_cache), as_of or env.today)
        done_reading()  # the ledger is made: the index is not read while the workbook is written
        write_atomic(out, ledger_xlsx(led))
        keep(led)
    say(f"{out}\n")
