"""Which data directory a command reads: --data, $CITYPLAN_DATA, ./tasks, or the bundled dataset."""

from __future__ import annotations

import os
from pathlib import Path

from cityplan_cli.errors import CityplanError
from cityplan_cli.load import Dataset, load_checked


def bundled() -> Path:
    """The dataset shipped inside the package (wheels carry `tasks/` as `cityplan_cli/data`)."""
    packaged = Path(__file__).with_name("data")
    if packaged.is_dir():
        return packaged
    # An editable install runs from the source tree, where the data sits at the top as tasks/.
    return Path(__file__).resolve().parents[2] / "tasks"


def data_dir(option: Path | None) -> Path:
    """`option` comes from --data or $CITYPLAN_DATA (typer reads both)."""
    if option is not None:
        if not option.is_dir():
            raise CityplanError(f"--data: '{option}' is not a directory")
        return option
    local = Path("tasks")
    return local if local.is_dir() else bundled()


def writable(root: Path) -> Path:
    """`root`, unless it is the dataset inside an installed package, which is not the user's to change."""
    if root.resolve() == Path(__file__).with_name("data").resolve():
        raise CityplanError(
            "this changes data: give your own data directory (--data DIR, $CITYPLAN_DATA or ./tasks)"
        )
    return root


def open_dataset(option: Path | None) -> Dataset:
    """The data, through the query cache unless $CITYPLAN_NO_CACHE is set."""
    root = data_dir(option)
    if os.environ.get("CITYPLAN_NO_CACHE"):
        return load_checked(root)
    from cityplan_cli.cache import QueryCache

    return QueryCache.load(root)
