"""`cityplan show TASK_ID`: one task in full."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, emit, output_format


def show(
    task_id: Annotated[str, typer.Argument(help="The task's id, e.g. gzf-2024-57-04.")],
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Show one task in full: document, section, text, owners by role, and its progress history.

    Example: cityplan show gzf-2024-57-01 --format json
    """
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.records import progress_records, task_record
    from cityplan_cli.render.detail import task_detail

    ds = open_dataset(data)
    task = ds.task(task_id)
    record = {**task_record(task, ds), "progress": progress_records(task.id, ds)}
    emit(task_detail(record, output_format(fmt)))
