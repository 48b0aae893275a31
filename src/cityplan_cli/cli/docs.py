"""`cityplan docs`: the document index."""

from __future__ import annotations

from cityplan_cli.cli.options import DataOpt, FormatOpt, emit, output_format


def docs(data: DataOpt = None, fmt: FormatOpt = None) -> None:
    """The documents, with 序号, 标题, 发文字号, 成文日期, 发布日期, and how many tasks each has and
    how many of those nobody owns.

    Example: cityplan docs --format csv > 文件目录.csv
    """
    from cityplan_cli import graph
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.records import document_record
    from cityplan_cli.render import render
    from cityplan_cli.render.columns import DOCUMENT

    ds = open_dataset(data)
    nobody = set(graph.unowned(ds, graph.build(ds)))
    rows = [document_record(i, doc, ds, nobody) for i, doc in enumerate(ds.documents.values(), 1)]
    emit(render(rows, DOCUMENT, output_format(fmt)))
