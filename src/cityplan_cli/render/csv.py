"""CSV for Excel: UTF-8 with a BOM so Excel detects the encoding, and no cell that runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a quote to a cell a spreadsheet would evaluate (=SUM(), +1, -1, @x)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def to_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([neutralise(c) for c in row] for row in rows)
    return "\ufeff" + buf.getvalue()
