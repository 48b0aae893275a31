"""`cityplan duties UNIT`: what one unit must do."""

from __future__ import annotations

from typing import Annotated

import typer

from cityplan_cli.cli.options import DataOpt, FormatOpt, NoCacheOpt, RoleOpt, emit, output_format


def duties(
    unit: Annotated[str, typer.Argument(help="Short name, full official name or alias.")],
    role: RoleOpt = None,
    doc: Annotated[str | None, typer.Option(help="发文字号 or document id.")] = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """What a unit must do: as lead, support or local implementer, and through every collective it
    belongs to (金昌市政府 receives what 各市州政府 must do; `via` names the collective).

    Example: cityplan duties 金昌市人民政府 --role local --format json
    """
    from cityplan_cli.render import render, unit_heading
    from cityplan_cli.render.columns import DUTY

    wanted = role.value if role else None
    if no_cache:
        from cityplan_cli import graph
        from cityplan_cli.datadir import open_dataset
        from cityplan_cli.records import duty_record

        ds = open_dataset(data)
        name = ds.unit(unit)
        doc_id = ds.document(doc).id if doc is not None else None
        rows = [
            duty_record(d, ds)
            for d in graph.duties(graph.build(ds), name)
            if (wanted is None or d.role == wanted)
            and (doc_id is None or ds.task(d.task_id).doc_id == doc_id)
        ]
        full_name, contact = ds.registry.get(name).full_name, ds.registry.get(name).contact
    else:
        from cityplan_cli.cache import QueryCache
        from cityplan_cli.datadir import data_dir

        cache = QueryCache.open(data_dir(data))
        name = cache.unit(unit)
        rows = cache.duties(name, wanted, cache.document(doc) if doc is not None else None)
        full_name, contact = cache.unit_info(name)
    emit(render(rows, DUTY, output_format(fmt), title=unit_heading(name, full_name, contact, len(rows))))
