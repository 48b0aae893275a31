"""What every command does with what it shows: the environment it runs in, printing, writing `--out`
atomically, and tables sized to the screen or kept plain in a pipe."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from cityplan_cli.env import Environment
    from cityplan_cli.render import Column, Format


def environment(ctx: typer.Context) -> Environment:
    """The environment the root command made (or a test gave)."""
    from cityplan_cli.env import Environment

    env = ctx.find_root().obj
    return env if isinstance(env, Environment) else Environment.current()


def emit(env: Environment, text: str | Iterable[str] | Iterable[bytes], out: Path | None = None) -> None:
    """Print, or write `out` atomically and say where. Text given in pieces (str, or UTF-8 bytes) is
    written as it comes, a megabyte at a time, never held whole."""
    # The answer is made: a pager read slowly must not hold back another process's refresh.
    done_reading()
    if out is None:
        if isinstance(text, str):
            say(text)
            return
        held: list[Any] = []
        size = 0
        for piece in text:
            held.append(piece)
            size += len(piece)
            if size > 1 << 20:
                say(_joined(held))
                held, size = [], 0
        if held:
            say(_joined(held))
        return
    from cityplan_cli.files import write_atomic

    write_atomic(out, text)
    say(f"{out}\n")


def done_reading() -> None:
    """End this run's reads of the stored index, if it opened one (see cache.Store.open)."""
    cache = sys.modules.get("cityplan_cli.cache")  # not imported by a run that read no data
    if cache is not None:
        cache.release()


def _joined(pieces: list[Any]) -> str | bytes:
    return b"".join(pieces) if isinstance(pieces[0], bytes) else "".join(pieces)


def table_args(env: Environment, out: Path | None) -> dict[str, object]:
    """How wide a table may be and whether to draw its rules: a terminal's width on a terminal (or
    the width $COLUMNS asks for); in a pipe or a file, one line a row and no rules, so the output is
    the same kind of table and easy to grep."""
    to_screen = env.stdout_tty and out is None
    width = env.width if to_screen or (out is None and env.get("COLUMNS")) else None
    return {"width": width, "plain": not to_screen}


def stdout_fd() -> int | None:
    """The file descriptor of stdout, where bytes written to it read as the text printed (UTF-8,
    nothing buffered; else None)."""
    import sys

    try:
        if _utf8_buffer() is None:
            return None
        sys.stdout.flush()
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a stream in memory (a test's)
        return None


def _utf8_buffer() -> Any:
    """stdout's byte stream, where bytes written to it read as the text printed; else None."""
    import sys

    buffer = getattr(sys.stdout, "buffer", None)
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return buffer if encoding == "utf8" else None


def say(text: str | bytes) -> None:
    """Print to stdout (bytes: UTF-8, as the text is written). When the reader has gone (`| head
    -1`), printing stops quietly and the rest of the command (files it writes) goes on."""
    import os
    import sys

    try:
        if isinstance(text, bytes):
            buffer = _utf8_buffer()
            if buffer is None:
                text = text.decode("utf-8")
            else:  # no second encoding of a hundred megabytes
                sys.stdout.flush()
                buffer.write(text)
                buffer.flush()
                return
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at nothing, so neither later output nor the flush at exit fails again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        finally:
            os.close(devnull)


def emit_rows(
    env: Environment,
    rows: list[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    out: Path | None,
    title: str = "",
) -> None:
    """Records as a table (or JSON, CSV, Markdown): printed, or written to `out`."""
    from cityplan_cli.render import render

    emit(env, render(rows, columns, fmt, title=title, **table_args(env, out)), out)
