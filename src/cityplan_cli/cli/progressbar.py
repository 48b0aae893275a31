"""Showing that a long command is at work: on a terminal's stderr only, never in scripts and pipes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from cityplan_cli.env import Environment

T = TypeVar("T")


def steps(env: Environment, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Iterate with a progress bar on a terminal's stderr; silently otherwise. `total`: how many
    items there are, where `items` cannot say."""
    if not env.stderr_tty or env.quiet:
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    # stdout is the command's output (the paths written): the bar must not take it over.
    with Progress(console=Console(stderr=True), transient=True, redirect_stdout=False) as bar:
        yield from bar.track(items, total=total, description=label)


@contextmanager
def working(env: Environment, label: str) -> Iterator[None]:
    """A spinner on a terminal's stderr while one long step runs; nothing in scripts and pipes."""
    if not env.stderr_tty or env.quiet:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(label):
        yield
