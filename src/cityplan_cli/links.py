"""Tasks that carry out other tasks (`implements`): whose part of a task a task beneath it is, which
links close a cycle, and what lies beneath a task.

A task of one document may implement tasks of another, across levels: a city's 分工方案 item carries
out a provincial item, a county's item the city's. The implementing task's document is issued by a
unit (or by an office of it: 金昌市人民政府办公室 for 金昌市政府); the first unit of that chain who owns
the target task, directly or through a collective, is the one whose part of the target it carries
out (its holder). Where nobody in the chain owns the target, `check` warns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from cityplan_cli.index import BLOCK

if TYPE_CHECKING:
    from cityplan_cli.index import Index
    from cityplan_cli.model import Dataset, Settings, Task
    from cityplan_cli.registry import Registry


def chain(registry: Registry, issuer: str) -> list[str]:
    """The issuing unit and every unit above it (its `parent`, and theirs); empty when the issuer is
    not a registered unit."""
    unit = registry.resolve(issuer) if issuer else None
    out: list[str] = []
    while unit is not None and unit not in out:
        out.append(unit)
        parent = registry.get(unit).parent
        unit = registry.resolve(parent) if parent else None
    return out


def members(unit: str, registry: Registry) -> set[str]:
    """Every unit a collective stands for, through nested collectives; empty for a unit."""
    out: set[str] = set()
    todo = [unit]
    while todo:
        current = todo.pop()
        if current not in registry:
            continue
        for member in registry.get(current).members:
            canonical = registry.resolve(member)
            if canonical is not None and canonical not in out and canonical != unit:
                out.add(canonical)
                todo.append(canonical)
    return out


def owners_through(registry: Registry, owners: Iterable[str]) -> set[str]:
    """A task's owners and every member of a collective among them, through nested collectives."""
    found = set(owners)
    return found.union(*(members(u, registry) for u in list(found)))


def holder(registry: Registry, issuer: str, owners: set[str]) -> str | None:
    """Whose part of a task (its `owners`, through collectives) a task of a document from `issuer`
    carries out: the first of the issuer's chain who owns it; None when none does."""
    return next((u for u in chain(registry, issuer) if u in owners), None)


def cycles(edges: Mapping[str, Sequence[str]], order: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Each link that closes a cycle, as (the task whose link closes it, the cycle from its first task
    back to it); `order` is the order to start from (the data order, so the first is reported)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    found = []
    for start in order:
        if start in state:
            continue
        state[start] = 1
        path = [start]
        stack = [iter(edges.get(start, ()))]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(target) == 1:
                found.append((path[-1], [*path[path.index(target) :], target]))
            elif target not in state:
                state[target] = 1
                path.append(target)
                stack.append(iter(edges.get(target, ())))
    return found


def beneath(ix: Index, ids: Iterable[str]) -> list[str]:
    """Every task that implements one of `ids`, or implements one that does, to any depth."""
    seen: dict[str, None] = {}
    frontier = list(dict.fromkeys(ids))
    while frontier:
        rows = ix.db.execute(
            "SELECT DISTINCT t.id FROM links l JOIN tasks t ON t.tid = l.tid "
            "WHERE l.target IN (SELECT value FROM json_each(?))",
            (json.dumps(frontier),),
        ).fetchall()
        frontier = [i for (i,) in rows if i not in seen]
        seen.update(dict.fromkeys(frontier))
    return list(seen)


def targets(ix: Index, ids: Iterable[str]) -> list[str]:
    """Those of `ids` that some task implements (links are few beside tasks: all are read)."""
    linked = {i for (i,) in ix.db.execute("SELECT DISTINCT target FROM links")}
    return [i for i in dict.fromkeys(ids) if i in linked] if linked else []


def subtree(ix: Index, ids: Iterable[str], settings: Settings | None = None) -> Dataset:
    """The tasks `ids` and everything beneath them, with their documents, history and the registry:
    what a roll-up of those tasks reads, without the rest of the data. `settings`: the data's own
    when not given."""
    from cityplan_cli.model import Dataset

    wanted = list(dict.fromkeys(ids))
    everything = wanted + [i for i in beneath(ix, wanted) if i not in wanted]
    tasks = ix.tasks("t.id IN (SELECT value FROM json_each(?))", [json.dumps(everything)])
    return Dataset(
        root=ix.root,
        registry=ix.registry(),
        documents=ix.documents(),
        tasks=tasks,
        settings=settings or ix.settings(),
        history=ix.progress(everything),
    )


def holders(ix: Index, tasks: Iterable[Task]) -> dict[str, list[tuple[str, str | None]]]:
    """For each of `tasks`, the tasks beneath it, in data order, each with whose part it carries out
    (None where no unit of its document's chain owns the target)."""
    by_id = {t.id: t for t in tasks}
    if not by_id:
        return {}
    rows = ix.db.execute(
        "SELECT l.target, t.id, d.issuer FROM links l JOIN tasks t ON t.tid = l.tid "
        f"JOIN documents d ON d.fid = l.tid / {BLOCK} JOIN files f ON f.fid = d.fid "
        "WHERE l.target IN (SELECT value FROM json_each(?)) ORDER BY f.rank, l.tid",
        (json.dumps(list(by_id)),),
    ).fetchall()
    if not rows:  # most tasks are handed down nowhere: no registry to build
        return {}
    registry = ix.registry()
    owners: dict[str, set[str]] = {}
    found: dict[str, list[tuple[str, str | None]]] = {}
    for target, task_id, issuer in rows:
        if target not in owners:
            owners[target] = owners_through(registry, by_id[target].owners)
        found.setdefault(target, []).append((task_id, holder(registry, issuer, owners[target])))
    return found


def passed_down(ix: Index, units: Iterable[str], tasks: Iterable[Task]) -> dict[str, list[str]]:
    """For each of `tasks`, the tasks beneath it that carry out the part of one of `units`: those of
    documents issued by the unit (or an office under it), in data order."""
    wanted = set(units)
    found: dict[str, list[str]] = {}
    for target, subs in holders(ix, tasks).items():
        mine = [task_id for task_id, unit in subs if unit in wanted]
        if mine:
            found[target] = mine
    return found
