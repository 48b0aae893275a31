"""`cityplan docs`: the document index."""

from __future__ import annotations

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, NoCacheOpt, OutOpt
from cityplan_cli.cli.output import emit_rows, environment
from cityplan_cli.render import Format


def docs(
    ctx: typer.Context,
    fmt: FormatOpt = Format.table,
    out: OutOpt = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """The documents, with 序号, 标题, 发文字号, 成文日期, 发布日期, and how many tasks each has and
    how many of those nobody owns.

    Example: cityplan docs --format csv --out 文件目录.csv
    """
    from cityplan_cli import queries
    from cityplan_cli.datadir import open_index
    from cityplan_cli.render.columns import DOCUMENT

    env = environment(ctx)
    rows = queries.document_records(open_index(env, data, no_cache))
    emit_rows(env, rows, DOCUMENT, fmt, out)
