"""`cityplan init DIR`: a new data directory, ready to share through git."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityplan_cli.cli.output import say
from cityplan_cli.i18n import N_, _


def init(
    directory: Annotated[Path, typer.Argument(help=N_("The new data directory (created if missing)."))],
) -> None:
    """Start a data directory: units.toml (a commented example), cityplan.toml (every setting, with
    its default), a .gitignore for cityplan's locks and temporary files, and a .gitattributes. Each
    clone keeps its progress records in files of its own, so clones that record on the same day
    merge without a conflict. Nothing is written over: a file already there stops it, before
    anything is written.

    Example: cityplan init 任务数据 && cd 任务数据 && git init && git add -A && git commit -m 初始化
    """
    from cityplan_cli.errors import CityplanError, listing
    from cityplan_cli.files import write_atomic
    from cityplan_cli.sharing import INIT_FILES

    if directory.exists() and not directory.is_dir():
        raise CityplanError(_("{directory} exists and is not a directory").format(directory=directory))
    taken = [name for name in INIT_FILES if (directory / name).exists()]
    if taken:
        raise CityplanError(
            _("{directory} already holds {files}: nothing written").format(
                directory=directory, files=listing(taken)
            )
        )
    for name, text in INIT_FILES.items():
        write_atomic(directory / name, text)
        say(f"{directory / name}\n")
