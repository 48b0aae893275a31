"""`cityplan checklist`: one 任务清单 file per unit."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cityplan_cli.cli.options import DataOpt, emit


class FileFormat(str, enum.Enum):
    md = "md"
    csv = "csv"


def checklist(
    units: Annotated[Optional[list[str]], typer.Argument(help="Units, by any of their names.")] = None,  # noqa: UP045
    all_units: Annotated[bool, typer.Option("--all", help="Every unit that has a duty.")] = False,
    out: Annotated[Path, typer.Option(help="Directory to write to.")] = Path("checklists"),
    fmt: Annotated[
        Optional[list[FileFormat]],  # noqa: UP045
        typer.Option("--format", "-f", help="File formats to write (default: md and csv)."),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Write each unit's 任务清单: its tasks grouped 牵头 / 配合 / 落实, each with document, item,
    title, text, the other owners, due date and status. Prints the paths written.

    Example: cityplan checklist 省住建厅 金昌市政府 --out 清单
    """
    from cityplan_cli import graph
    from cityplan_cli.checklist import checklist as build_checklist
    from cityplan_cli.datadir import open_dataset
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.files import safe_names, write_atomic
    from cityplan_cli.render.checklist import checklist_csv, checklist_md

    if bool(units) == all_units:
        raise CityplanError("name one or more units, or give --all")
    ds = open_dataset(data)
    g = graph.build(ds)
    if all_units:
        names = [u.name for u in ds.registry if graph.duties(g, u.name)]
    else:
        names = list(dict.fromkeys(ds.unit(u) for u in units or []))
    files = safe_names(names)
    for name in names:
        content = build_checklist(ds, g, name)
        for f in fmt or list(FileFormat):
            path = out / f"{files[name]}.{f.value}"
            write_atomic(path, (checklist_md if f is FileFormat.md else checklist_csv)(content))
            emit(f"{path}\n")
