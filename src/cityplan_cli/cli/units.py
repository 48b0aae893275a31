"""`cityplan units`: every unit with its counts, load and capacity."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, emit, output_format


class Sort(str, enum.Enum):
    registry = "registry"
    load = "load"
    name = "name"
    kind = "kind"


def units(
    sort: Annotated[
        Sort, typer.Option(help="Order: as registered, by load (heaviest first), name or kind.")
    ] = (Sort.registry),
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Every unit with its lead / support / local counts (collectives included), load and capacity.

    Example: cityplan units --sort load --format csv > 单位负荷.csv
    """
    from cityplan_cli import graph, workload
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.records import unit_record
    from cityplan_cli.render import render
    from cityplan_cli.render.columns import UNIT

    ds = open_dataset(data)
    rows = [unit_record(w, ds) for w in workload.workloads(ds, graph.build(ds))]
    if sort is Sort.load:
        rows.sort(key=lambda r: -r["load"])
    elif sort is not Sort.registry:
        rows.sort(key=lambda r: r[sort.value])
    emit(render(rows, UNIT, output_format(fmt)))
