"""CSV for Excel: UTF-8 with a BOM so Excel detects the encoding, and no cell that runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from cityplan_cli.render.safe import spreadsheet


def to_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([spreadsheet(h) for h in header])
    writer.writerows([spreadsheet(c) for c in row] for row in rows)
    return "\ufeff" + buf.getvalue()
