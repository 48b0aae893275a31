"""Shell completion: the unit names, task ids and documents a command line may hold, answered from
the index the commands read (kept between runs: no data file is parsed again while it is unchanged).

A completion never fails: without data, or with data that does not load, there is nothing to offer,
and nothing is printed but the candidates (no note on stderr, no traceback)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from cityplan_cli.index import Index

Candidates = list[tuple[str, str]]  # (what is typed, what it is: shown by zsh and fish)


def _index(ctx: typer.Context) -> Index:
    from cityplan_cli.cli.output import environment
    from cityplan_cli.datadir import load_index

    data = None
    level = ctx
    while level is not None and data is None:  # --data after the command, or before it
        data = level.params.get("data")
        level = level.parent
    # Values as parsed, not yet converted (typer turns them into a Path for the command only).
    return load_index(environment(ctx).with_options(quiet=True), Path(data) if data else None)


def _offer(ask: Callable[[Index], Iterator[tuple[str, str]]]) -> Callable[[typer.Context, str], Candidates]:
    def complete(ctx: typer.Context, incomplete: str) -> Candidates:
        try:
            # Ids are read in any case: what was typed is kept, the rest completed as stored.
            folded, n = incomplete.casefold(), len(incomplete)
            found = {
                incomplete + value[n:]: help
                for value, help in ask(_index(ctx))
                if value[:n].casefold() == folded
            }
        except Exception:  # a completion must never break the command line it helps with
            return []
        return list(found.items())

    return complete


def _units(ix: Index) -> Iterator[tuple[str, str]]:
    """Every unit's canonical name first, then its full name and aliases."""
    units = list(ix.registry())
    for u in units:
        yield u.name, u.full_name
    for u in units:
        for other in (u.full_name, *u.aliases):
            yield other, u.name


def _tasks(ix: Index) -> Iterator[tuple[str, str]]:
    yield from ix.iter_rows("SELECT id, title FROM tasks ORDER BY tid")


def _documents(ix: Index) -> Iterator[tuple[str, str]]:
    rows = list(
        ix.iter_rows(
            "SELECT d.id, d.number, d.title FROM documents d JOIN files f USING (fid) ORDER BY f.rank"
        )
    )
    for ident, _number, title in rows:
        yield ident, title or ""
    for _ident, number, title in rows:
        if number:
            yield number, title or ""


units = _offer(_units)
tasks = _offer(_tasks)
documents = _offer(_documents)
