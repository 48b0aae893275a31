"""`cityplan checklist`: one 任务清单 file per unit."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityplan_cli.cli.options import DataOpt, emit, steps

if TYPE_CHECKING:
    from cityplan_cli.checklist import Checklist


class FileFormat(str, enum.Enum):
    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    docx = "docx"


def checklist(
    units: Annotated[list[str] | None, typer.Argument(help="Units, by any of their names.")] = None,
    all_units: Annotated[bool, typer.Option("--all", help="Every unit that has a duty.")] = False,
    out: Annotated[Path, typer.Option(help="Directory to write to.")] = Path("checklists"),
    fmt: Annotated[
        list[FileFormat] | None,
        typer.Option(
            "--format", "-f", help="md, csv, xlsx or docx; repeat for several (default: md and csv)."
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Write each unit's 任务清单: its tasks grouped 牵头 / 配合 / 落实, each with document, item,
    title, text, the other owners, due date and status, as Markdown, CSV, an Excel workbook or a Word
    document laid out as an official document (GB/T 9704). Prints the paths written.

    Example: cityplan checklist 省住建厅 金昌市政府 --out 清单
    """
    from cityplan_cli import graph
    from cityplan_cli.checklist import checklist as build_checklist
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.files import safe_names, write_atomic
    from cityplan_cli.records import task_record
    from cityplan_cli.render.checklist import checklist_csv, checklist_md

    def rendered(f: FileFormat, content: Checklist) -> str | bytes:
        if f is FileFormat.xlsx:
            from cityplan_cli.render.xlsx import checklist_xlsx

            return checklist_xlsx(content)
        if f is FileFormat.docx:
            from cityplan_cli.render.docx import checklist_docx

            return checklist_docx(content)
        return (checklist_md if f is FileFormat.md else checklist_csv)(content)

    if bool(units) == all_units:
        raise CityplanError("name one or more units, or give --all")
    ds = open_dataset(data)
    g = graph.build(ds)
    if all_units:
        names = [u.name for u in ds.registry if graph.duties(g, u.name)]
    else:
        names = list(dict.fromkeys(ds.unit(u) for u in units or []))
    files = safe_names(names)
    records = {t.id: task_record(t, ds) for t in ds.tasks} if len(names) > 1 else None
    for name in steps(names, "任务清单"):
        content = build_checklist(ds, g, name, records)
        for f in fmt or [FileFormat.md, FileFormat.csv]:
            path = out / f"{files[name]}.{f.value}"
            write_atomic(path, rendered(f, content))
            emit(f"{path}\n")
