"""`cityplan overloaded`: units whose load exceeds their capacity."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FailOpt, FormatOpt, emit, output_format


def overloaded(
    max_load: Annotated[
        float | None,
        typer.Option("--max", min=0, help="One capacity for every unit, over any set in the data."),
    ] = None,
    fail_on_findings: FailOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Units whose load exceeds their capacity, heaviest first, with the rule that set the capacity:
    --max, the unit's capacity, its kind's capacity, or else an outlier among its kind
    (above Q3 + 1.5×IQR).

    Example: cityplan overloaded --fail-on-findings
    """
    from cityplan_cli import graph, workload
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.records import unit_record
    from cityplan_cli.render import render
    from cityplan_cli.render.columns import OVERLOAD

    ds = open_dataset(data)
    rows = [unit_record(w, ds) for w in workload.overloaded(ds, graph.build(ds), max_load)]
    emit(render(rows, OVERLOAD, output_format(fmt)))
    if fail_on_findings and rows:
        raise typer.Exit(1)
