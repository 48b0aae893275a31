"""Markdown tables."""

from __future__ import annotations

from collections.abc import Sequence

from cityplan_cli.render.safe import markdown


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(markdown(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
