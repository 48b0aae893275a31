"""What a command may know of the world it runs in, read in one place and passed down: the
variables, the current directory, whether output goes to a terminal and how wide it is, and today.
Tests give their own, to set a width, a terminal or a day without a pseudo-terminal."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Environment:
    variables: Mapping[str, str] = field(default_factory=dict)
    cwd: Path = field(default_factory=Path)
    stdout_tty: bool = False
    stderr_tty: bool = False
    width: int = 100
    today: dt.date = field(default_factory=dt.date.today)
    data: Path | None = None  # --data given before the command
    quiet: bool = False
    warn: Callable[[str], None] = field(default=lambda text: print(f"cityplan: {text}", file=sys.stderr))

    @classmethod
    def current(cls) -> Environment:
        columns = shutil.get_terminal_size((100, 24)).columns
        return cls(
            variables=dict(os.environ),
            cwd=Path.cwd(),
            stdout_tty=sys.stdout.isatty(),
            stderr_tty=sys.stderr.isatty(),
            width=max(columns, 40),
        )

    def get(self, name: str) -> str | None:
        value = self.variables.get(name)
        return value if value else None

    def with_options(self, **changes: object) -> Environment:
        return replace(self, **changes)  # type: ignore[arg-type]

    def note(self, text: str) -> None:
        """A line on stderr that --quiet hides."""
        if not self.quiet:
            self.warn(text)
