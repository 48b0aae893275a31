"""A province's model in the program's process: millions of long-lived records that hold no cycles,
built once and kept to the end. The cyclic garbage collector need not walk them, and the process
need not free them one by one as it ends (half a second at a province's size): the system frees a
process's memory at once. Nor need it walk the rows of an index being built, short-lived as they
are."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import NoReturn

_program = False  # the program's own process (cli.main), not a test's runner: it may end at once
_kept: list[object] = []


def as_program() -> None:
    global _program
    _program = True


@contextmanager
def paused(kept: bool = True) -> Iterator[None]:
    """No collection until the block ends; then, in the program's process and when `kept`, what the
    block built is left out of every later collection (it is kept to the end). A collection walks
    every object of each generation it passes through: a sixth of a report's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _program and kept:
            gc.freeze()
        if enabled:
            gc.enable()


def keep(*objects: object) -> None:
    """Leave these to the end of the program's process, which ends without freeing them."""
    if _program:
        _kept.extend(objects)


def end(code: int | str | None) -> NoReturn:
    """End the program with `code` (SystemExit's): at once, with what it printed flushed, when it
    kept anything; else as Python ends."""
    if _kept:
        status = 0 if code is None else code if isinstance(code, int) else 1
        if isinstance(code, str):
            print(code, file=sys.stderr)
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                stream.flush()
        os._exit(status)
    sys.exit(code)
