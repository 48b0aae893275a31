"""`cityplan checklist`: one 任务清单 file per unit."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from cityplan_cli.cli import complete
from cityplan_cli.cli.options import DataOpt, NoCacheOpt, UnitsOpt
from cityplan_cli.cli.output import done_reading, environment, say
from cityplan_cli.i18n import N_, _

# Items (a unit's duties) from which the lists are shared among processes: below, forking costs
# more than it saves.
PARALLEL_ITEMS = 50_000


class FileFormat(str, enum.Enum):
    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    docx = "docx"


def checklist(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help=N_("Units, by any of their names."), show_default=False, autocompletion=complete.units
        ),
    ] = None,
    unit: UnitsOpt = None,
    all_units: Annotated[bool, typer.Option("--all", help=N_("Every unit that has a duty."))] = False,
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("Directory to write to."))] = Path("checklists"),
    fmt: Annotated[
        list[FileFormat] | None,
        typer.Option(
            "--format", "-f", help=N_("md, csv, xlsx or docx; repeat for several (default: md and csv).")
        ),
    ] = None,
    no_cache: NoCacheOpt = False,
    data: DataOpt = None,
) -> None:
    """Write each unit's 任务清单: its tasks grouped 牵头 / 配合 / 落实, each with document, item,
    title, text, the other owners, due date and status, as Markdown, CSV, an Excel workbook or a Word
    document laid out as an official document (GB/T 9704). Prints the paths written.

    Example: cityplan checklist 省住建厅 金昌市政府 --out 清单
    """
    import json

    from cityplan_cli import forked, queries
    from cityplan_cli.checklist import Checklist, brief
    from cityplan_cli.cli.progressbar import steps
    from cityplan_cli.collector import keep, paused
    from cityplan_cli.datadir import open_index
    from cityplan_cli.errors import CityplanError
    from cityplan_cli.files import AtomicBatch, safe_names
    from cityplan_cli.records import task_record
    from cityplan_cli.render.checklist import checklist_csv, checklist_md, shared_md

    def rendered(f: FileFormat, content: Checklist) -> str | bytes | list[bytes]:
        if f is FileFormat.xlsx:
            from cityplan_cli.render.xlsx import checklist_xlsx

            return checklist_xlsx(content)
        if f is FileFormat.docx:
            from cityplan_cli.render.docx import checklist_docx

            return checklist_docx(content, env.today)
        return checklist_md(content, memo) if f is FileFormat.md else checklist_csv(content)

    memo: dict[Any, Any] = {}  # what every Markdown list holding a task says of it, made once
    shared: dict[str, Any] = {}  # what every list holding a task has of it, found once

    given = [*(names or []), *(unit or [])]
    if bool(given) == all_units:
        raise CityplanError(_("name one or more units, or give --all"))
    env = environment(ctx)
    # The lists' model, built with the collector held off (collector.py).
    with paused():
        ix = open_index(env, data, no_cache)
        registry = ix.registry()
        if all_units:
            duties = queries.all_duties(ix)
            chosen = [u.name for u in registry if duties.get(u.name)]
        else:
            chosen = list(dict.fromkeys(ix.unit(u) for u in given))
            duties = {name: queries.duties(ix, name) for name in chosen}
        wanted = {d.task_id for name in chosen for d in duties.get(name, [])}
        many = len(wanted) > queries.NAMED_MAX  # then every task is selected, and those wanted kept
        listed = queries.TaskFilter() if many else queries.TaskFilter(ids=tuple(wanted))
        selection = queries.select(ix, listed, env.today)
        docs = ix.documents()
        records = {
            t.id: task_record(t, docs.get(t.doc_id), selection.statuses[t.id])
            for t in selection.tasks
            if t.id in wanted
        }
        # The tasks above those of the lists, and those beneath that each unit has handed down.
        from cityplan_cli.links import holders

        beneath = holders(ix, selection.tasks) if wanted else {}
        handed: dict[str, dict[str, list[str]]] = {}
        for target, subs in beneath.items():
            for sub, unit_name in subs:
                if unit_name is not None:
                    handed.setdefault(unit_name, {}).setdefault(target, []).append(sub)
        near = {i for r in records.values() for i in r["implements"]} | {
            s for subs in beneath.values() for s, _ in subs
        }
        related = {
            t.id: brief(t, docs.get(t.doc_id))
            for t in ix.tasks("t.id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(near))])
        }
    done_reading()  # the lists' model is made: the index is not read while they are written
    files = safe_names(chosen)
    formats = fmt or [FileFormat.md, FileFormat.csv]

    def checklist_of(name: str) -> Checklist:
        return Checklist(
            registry.get(name), duties.get(name, []), records, registry, related, handed.get(name, {}), shared
        )

    def write(names: Iterable[str], batch: AtomicBatch) -> None:
        for name in names:
            content = checklist_of(name)
            for f in formats:
                batch.write(out / f"{files[name]}.{f.value}", rendered(f, content))

    def written(path: Path) -> None:
        say(f"{path}\n")

    # A province's lists (a million items) are shared among the CPUs: each process writes a run of
    # units' lists and says which files it wrote, and they are named here in the order of the units.
    items = sum(len(duties.get(name, ())) for name in chosen)
    workers = forked.processes() if items >= PARALLEL_ITEMS else 1
    if workers > 1 and FileFormat.md in formats:
        with paused():
            shared_md(checklist_of(chosen[0]), memo, records)
    keep(ix, duties, selection, records, related, memo, shared)
    if workers == 1:
        with AtomicBatch(written) as batch:
            write(steps(env, chosen, _("Checklists")), batch)
        return

    def job(names: list[str]) -> list[Path]:
        paths: list[Path] = []
        with AtomicBatch(paths.append) as batch:
            write(names, batch)
        return paths

    size = -(-len(chosen) // (workers * 32))  # small runs: the processes finish close together
    parts = [chosen[i : i + size] for i in range(0, len(chosen), size)]
    with forked.Forked(job, workers) as pool:
        for paths in steps(env, pool.map(parts), _("Checklists"), total=len(parts)):
            for path in paths:
                written(path)
