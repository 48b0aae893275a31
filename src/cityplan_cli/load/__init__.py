"""Data files → rows, each problem located as file:line.

A data directory holds `units.toml` (the registry), an optional `cityplan.toml` (settings), one TOML
file per document, and `progress/UNIT.toml` files of progress records. Each file is read on its own
(`text` decodes it and finds where its tables sit, `fields` checks each value's type, and `units`,
`settings`, `documents`, `progress` read each kind); `resolve` then turns the names written in
documents into units and applies each document's rules. The index (index.py) keeps the results.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cityplan_cli.layout import PROGRESS_DIR, SETTINGS_FILE, UNITS_FILE
from cityplan_cli.load.fields import tomllib
from cityplan_cli.load.text import read_text

if TYPE_CHECKING:
    from cityplan_cli.errors import Problem
    from cityplan_cli.model import Dataset

__all__ = ["PROGRESS_DIR", "SETTINGS_FILE", "UNITS_FILE", "load", "load_checked", "read_text", "tomllib"]


def load(root: Path) -> tuple[Dataset, list[Problem]]:
    """Read every file of the data directory (nothing is stored); never raises for bad content,
    only reports it."""
    from cityplan_cli.index import Index

    index = Index.in_memory(root)
    return index.dataset(), index.problems()


def load_checked(root: Path) -> Dataset:
    """The dataset, or DataError when any file has an error."""
    from cityplan_cli.index import Index

    index = Index.in_memory(root)
    index.check_errors()
    return index.dataset()
