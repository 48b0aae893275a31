"""`cityplan graph`: the unit–task graph as a file, or a summary of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import CHOICE_LABELS, DataOpt, NoCacheOpt
from cityplan_cli.cli.output import environment, say, table_args
from cityplan_cli.i18n import N_, _


def graph(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help=N_("Write here; the format follows the extension."))
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            "-u",
            help=N_("Only this unit's neighbourhood: its collectives, its tasks and their other owners."),
            autocompletion=complete.units,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=N_(
                "With --out: graphml, gexf, json (node-link), dot, svg or png. Without: the summary as "
                "table, json, csv or md, or the graph itself as graphml, gexf or dot on stdout."
            ),
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Export the responsibility graph (GraphML, GEXF, node-link JSON, DOT), draw it (SVG, PNG: units
    grouped by kind, lead edges bold red, support dashed, local dotted; needs Graphviz), or summarise it:
    node and edge counts, connected parts, and the units with the highest load and betweenness.

    Example: cityplan graph --unit 省住建厅 --out 省住建厅.svg
    """
    from cityplan_cli import graph as graphs
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.errors import CityplanError, listing
    from cityplan_cli.files import write_atomic
    from cityplan_cli.records import summary_record
    from cityplan_cli.render import Format
    from cityplan_cli.render.graphfile import FORMATS, PICTURES, format_for, graph_file
    from cityplan_cli.render.summary import summary_text

    if fmt is not None:  # by its Chinese label too (表格), as every choice
        fmt = next((key for key, label in CHOICE_LABELS.items() if fmt.strip() == label), fmt.strip().lower())
    env = environment(ctx)
    ix = open_index(env, data, no_cache)
    g = graphs.build(ix.dataset())
    if unit is not None:
        from cityplan_cli.render.graphpic import neighbourhood

        g = neighbourhood(g, ix.unit(unit))
    if out is not None:
        file_format = fmt or format_for(out)
        if file_format not in FORMATS:
            raise CityplanError(
                _(
                    "--out: cannot tell the format of '{name}'; use an extension or --format of {formats}"
                ).format(name=out.name, formats=listing(FORMATS))
            )
        if file_format in PICTURES:
            from cityplan_cli.render.graphpic import picture

            write_atomic(out, picture(g, file_format, layout="dot" if unit else "fdp"))
        else:
            write_atomic(out, graph_file(g, file_format))
        say(f"{out}\n")
        return
    if fmt in ("graphml", "gexf", "dot"):
        say(graph_file(g, fmt))
        return
    try:
        summary_format = Format(fmt) if fmt else Format.table
    except ValueError:
        from cityplan_cli.errors import closest, did_you_mean

        known = ["table", "json", "csv", "md", "graphml", "gexf", "dot"]
        raise CityplanError(
            _("--format: '{format}' is not one of {formats}").format(format=fmt, formats=listing(known))
            + did_you_mean(closest(str(fmt), known))
        ) from None
    record = summary_record(graphs.summary(g), queries.workloads(ix))
    say(summary_text(record, summary_format, **table_args(env, None)))
