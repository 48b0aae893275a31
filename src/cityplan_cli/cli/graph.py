"""`cityplan graph`: the unit–task graph as a file, or a summary of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, emit, output_format


def graph(
    out: Annotated[Path | None, typer.Option(help="Write here; the format follows the extension.")] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            help="Only this unit's neighbourhood: its collectives, its tasks and their other owners."
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="With --out: graphml, gexf, json (node-link), dot, svg or png. Without: the summary as "
            "table, json, csv or md, or the graph itself as graphml, gexf or dot on stdout.",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Export the responsibility graph (GraphML, GEXF, node-link JSON, DOT), draw it (SVG, PNG: units
    grouped by kind, lead edges bold red, support dashed, local dotted; needs Graphviz), or summarise it:
    node and edge counts, connected parts, and the units with the highest load and betweenness.

    Example: cityplan graph --unit 省住建厅 --out 省住建厅.svg
    """
    from cityplan_cli import graph as graphs
    from cityplan_cli import workload
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.files import write_atomic
    from cityplan_cli.records import summary_record
    from cityplan_cli.render import Format
    from cityplan_cli.render.graphfile import FORMATS, PICTURES, format_for, graph_file
    from cityplan_cli.render.summary import summary_text

    ds = open_dataset(data)
    g = graphs.build(ds)
    if unit is not None:
        from cityplan_cli.render.graphpic import neighbourhood

        g = neighbourhood(g, ds.unit(unit))
    if out is not None:
        file_format = fmt or format_for(out)
        if file_format not in FORMATS:
            raise CityplanError(
                f"--out: cannot tell the format of '{out.name}'; use an extension or --format of "
                + ", ".join(FORMATS)
            )
        if file_format in PICTURES:
            from cityplan_cli.render.graphpic import picture

            write_atomic(out, picture(g, file_format, layout="dot" if unit else "fdp"))
        else:
            write_atomic(out, graph_file(g, file_format))
        emit(f"{out}\n")
        return
    if fmt in ("graphml", "gexf", "dot"):
        emit(graph_file(g, fmt))
        return
    try:
        summary_format = output_format(Format(fmt) if fmt else None)
    except ValueError:
        raise CityplanError(
            f"--format: '{fmt}' is not one of table, json, csv, md, graphml, gexf, dot"
        ) from None
    record = summary_record(graphs.summary(g), workload.workloads(ds, g))
    emit(summary_text(record, summary_format))
