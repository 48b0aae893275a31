"""`cityplan units [UNIT…]`: every unit with its counts, load and capacity, or one unit's card."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import DataOpt, FormatOpt, NoCacheOpt, OutOpt, UnitsOpt
from cityplan_cli.cli.output import emit, emit_rows, environment, table_args
from cityplan_cli.i18n import N_
from cityplan_cli.render import Format


class Sort(str, enum.Enum):
    registry = "registry"
    load = "load"
    name = "name"
    kind = "kind"


def units(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help=N_("Units to show in full, by any of their names."),
            show_default=False,
            autocompletion=complete.units,
        ),
    ] = None,
    unit: UnitsOpt = None,
    sort: Annotated[
        Sort, typer.Option(help=N_("Order: as registered, by load (heaviest first), name or kind."))
    ] = (Sort.registry),
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Every unit with its lead / support / local counts (collectives included), load and capacity;
    or, given units, each one's card: names, kind, parent, members, contacts and load.

    Example: cityplan units --sort load --format csv --out 单位负荷.csv
    Example: cityplan units 省住建厅
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.records import unit_record
    from cityplan_cli.render.columns import UNIT

    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    registry = ix.registry()
    wanted = [ix.unit(n) for n in [*(names or []), *(unit or [])]]
    loads = queries.workloads(ix)
    rows = [unit_record(w, registry.get(w.unit)) for w in loads]
    if wanted:
        from cityplan_cli.render.detail import unit_cards

        chosen = {r["unit"]: r for r in rows}
        emit(env, unit_cards([chosen[n] for n in dict.fromkeys(wanted)], fmt, **table_args(env, out)), out)
        return
    if sort is Sort.load:
        rows.sort(key=lambda r: -r["load"])
    elif sort is not Sort.registry:
        rows.sort(key=lambda r: r["unit" if sort is Sort.name else sort.value])
    emit_rows(env, rows, UNIT, fmt, out)
