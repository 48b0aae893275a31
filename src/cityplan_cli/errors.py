"""Problems found in data files, and the errors that end a command with exit code 2."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in one data file, located by line."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: the whole directory
        return f"{where}: {self.severity}: {self.message}"


class CityplanError(Exception):
    """Bad input or usage: the CLI prints the message and exits 2."""


class DataError(CityplanError):
    """The data directory has errors; carries every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        shown = "\n".join(str(p) for p in errors[:10])
        more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
        super().__init__(f"{shown}{more}\nthe data has errors; `cityplan check` lists them all")
