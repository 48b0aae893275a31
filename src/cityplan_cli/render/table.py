"""Plain-text tables for a terminal, a pipe or a file.

At any width, a key (an id, a number, a date, a phone, a code) is never cut, wrapped or elided; long
text wraps, breaking between Chinese characters but never inside a run of Latin letters and digits;
columns empty in every row are left out. Given no width, nothing wraps: one row a line."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from rich.cells import cell_len, chop_cells

from cityplan_cli.render import safe

GAP = "  "  # between columns
TEXT_MIN = 8  # cells: a wrapped column keeps at least four Chinese characters a line
HEADER_MIN = 4  # cells: a key column's heading may wrap to two Chinese characters a line

_CLOSING = "，。、；：！？）〕】」』》,.;:!?)]"
_OPENING = "（〔【「『《"
# What a line may not break inside: a run of printable ASCII (an id, a date, a phone, an e-mail), or
# one other character; opening brackets stay with what follows them, closing punctuation with what
# precedes it, as Chinese typesetting wants. (rich wraps only at spaces, folding a phone anywhere;
# uniseg's UAX #14 line breaking takes about 60 ms for a cell of a hundred characters.)
_TOKEN = re.compile(rf"\s|[{re.escape(_OPENING)}]*(?:[!-~]+|.)[{re.escape(_CLOSING)}]*")


_PART = re.compile(r"[!-~]+|.")  # a token's parts, where the whole token is wider than a line


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells. Only a run of ASCII wider than a whole line
    is ever folded."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if cell_len(paragraph) <= width:
            lines.append(paragraph)
            continue
        line: list[str] = []
        used = 0
        tokens = _TOKEN.findall(paragraph)
        tokens.reverse()  # a stack: a token too wide is put back as its parts
        while tokens:
            token = tokens.pop()
            if token.isspace():
                if used and used < width:
                    line.append(" ")
                    used += 1
                continue
            size = cell_len(token)
            if size > width:
                parts = _PART.findall(token)
                if len(parts) > 1:
                    tokens += reversed(parts)
                    continue
                *full, token = chop_cells(token, width)
                size = cell_len(token)
                if used:
                    lines.append("".join(line).rstrip())
                lines += full
                line, used = [], 0
            elif used + size > width:
                lines.append("".join(line).rstrip())
                line, used = [], 0
            line.append(token)
            used += size
        lines.append("".join(line).rstrip())
    return lines


def _widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], keys: Sequence[bool], width: int | None
) -> list[int]:
    """Each column's width. Keys get their widest cell always; text columns at least TEXT_MIN (or
    their widest cell, if less). What is left is shared out in equal shares among the columns not yet at
    their natural width (a key's heading, a text's widest cell), a column that needs less giving the
    rest back. Where even the minimum is wider than `width`, the minimum is returned."""
    widest = [
        max((cell_len(line) for row in rows for line in row[i].split("\n")), default=0)
        for i in range(len(header))
    ]
    heading = [max(map(cell_len, h.split("\n"))) for h in header]
    natural = [max(w, h) for w, h in zip(widest, heading, strict=True)]
    budget = None if width is None else width - len(GAP) * (len(header) - 1)
    if budget is None or sum(natural) <= budget:
        return natural
    sizes = [
        max(w, min(h, HEADER_MIN)) if key else min(n, TEXT_MIN)
        for w, h, n, key in zip(widest, heading, natural, keys, strict=True)
    ]
    spare = budget - sum(sizes)
    growing = [i for i in range(len(sizes)) if sizes[i] < natural[i]]
    while spare > 0 and growing:
        share = max(1, spare // len(growing))
        for i in list(growing):
            grow = min(share, natural[i] - sizes[i], spare)
            sizes[i] += grow
            spare -= grow
            if sizes[i] == natural[i]:
                growing.remove(i)
    return sizes


def _span(sizes: Sequence[int]) -> int:
    return sum(sizes) + len(GAP) * (len(sizes) - 1)


def layout(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    keys: Sequence[bool],
    width: int | None = None,
    rule: bool = True,
) -> list[str]:
    """The lines of a table: the header (if any), a rule under it (if `rule`), the rows. A blank line
    separates rows where any row takes more than one line."""
    header = [safe.terminal(h) for h in header] if header is not None else None
    rows = [[safe.terminal(c) for c in row] for row in rows]
    sizes = _widths(header or [""] * len(keys), rows, keys, width)

    def lines_of(cells: Sequence[str]) -> list[str]:
        parts = [wrap(c, w) for c, w in zip(cells, sizes, strict=True)]
        height = max(map(len, parts))
        return [
            GAP.join(
                (p[n] if n < len(p) else "") + " " * (w - cell_len(p[n] if n < len(p) else ""))
                for p, w in zip(parts, sizes, strict=True)
            ).rstrip()
            for n in range(height)
        ]

    body = [lines_of(row) for row in rows]
    out = []
    if header is not None:
        out += lines_of(header)
        if rule:
            out.append("─" * _span(sizes))
    spaced = any(len(lines) > 1 for lines in body)
    for n, lines in enumerate(body):
        if spaced and n:
            out.append("")
        out += lines
    return out


def to_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    keys: Sequence[bool],
    title: str = "",
    width: int | None = None,
    plain: bool = False,
) -> str:
    """A listing as a table. `keys` marks the columns never to break; `width` is the terminal's (None:
    no limit, nothing wraps); `plain` leaves out the rule under the header (for pipes and files).
    Columns empty in every row are left out. Where the keys and the narrowest text columns together
    are wider than `width`, each row is shown as a card instead, one `heading  value` line a field
    (as psql's expanded display does), so that nothing is cut."""
    heading = wrap(safe.terminal(title), width or sys.maxsize) if title else []
    if not rows:
        return "\n".join([*heading, "（无）"]) + "\n"
    shown = [i for i in range(len(header)) if any(row[i] for row in rows)]
    header = [safe.terminal(header[i]) for i in shown]
    rows = [[safe.terminal(row[i]) for i in shown] for row in rows]
    keys = [keys[i] for i in shown]
    if width is None or _span(_widths(header, rows, keys, width)) <= width:
        lines = layout(header, rows, keys, width, rule=not plain)
    else:
        lines = []
        for n, row in enumerate(rows):
            pairs = [[label, value] for label, value in zip(header, row, strict=True) if value]
            lines += ([""] if n else []) + layout(None, pairs, [True, False], width)
    return "\n".join([*heading, *([""] if heading else []), *lines]) + "\n"
