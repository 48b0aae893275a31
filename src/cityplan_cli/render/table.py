"""Tables for a terminal (rich)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

_WHOLE = 18  # terminal cells: 甘政发〔2024〕57号, gzf-2024-57-01
_FOLDED = 8  # a folded column keeps at least four Chinese characters a line


def to_table(header: Sequence[str], rows: Sequence[Sequence[str]], title: str = "") -> str:
    if not rows:
        return f"{title}\n（无）\n" if title else "(无)\n"
    table = Table(title=title or None, box=box.SIMPLE_HEAD)
    for i, label in enumerate(header):
        widest = max([cell_len(label), *(cell_len(row[i]) for row in rows)])
        # Short cells (ids, 发文字号) stay whole; long Chinese text, which has no spaces to break at,
        # folds instead of being cut off.
        whole = widest <= _WHOLE
        table.add_column(label, overflow="fold", no_wrap=whole, min_width=None if whole else _FOLDED)
    for row in rows:
        table.add_row(*row)
    return capture(table)


def capture(renderable: object) -> str:
    buf = io.StringIO()
    width = shutil.get_terminal_size((120, 24)).columns
    Console(file=buf, width=width, force_terminal=False, highlight=False).print(renderable)
    return buf.getvalue()
