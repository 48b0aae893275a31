"""Problems found in data files, and the errors that end a command with exit code 2."""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cityplan_cli.i18n import N_

Severity = Literal["error", "warning"]
SEVERITIES = (N_("error"), N_("warning"))  # shown in the language of the run


class Finding(str):
    """A finding's English text that keeps its message and values: findings are made in worker
    processes and cached, so they are stored in no language and translated where they are shown.
    A value may itself be a Finding (a type's name, say), translated with it; a list of names is
    joined as the language of the run joins them (a, b / a、b)."""

    __slots__ = ("msgid", "params")
    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Finding:
        # A value JSON cannot hold (a date, say) is kept as its text, as the message shows it.
        params = {k: _kept(v) for k, v in params.items()}
        english = {k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
        self = super().__new__(cls, msgid.format(**english))
        self.msgid, self.params = msgid, params
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        return (self.msgid,), self.params

    def translated(self, into: Callable[[str], str] | None = None) -> str:
        """The finding in the language of the run (or through `into`: `i18n.chinese` for a file)."""
        from cityplan_cli.i18n import _

        into = into or _
        values = {k: _translated(v, into) for k, v in self.params.items()}
        return into(self.msgid).format(**values)

    def stored(self) -> Any:
        """The message and its values, as JSON would hold them."""
        return {"msgid": self.msgid, "params": {k: _stored(v) for k, v in self.params.items()}}

    @classmethod
    def restored(cls, stored: Any) -> Finding:
        params = stored["params"]
        return cls(stored["msgid"], **{k: _restored(v) for k, v in params.items()})


_KEPT = (str, int, float, bool, type(None))


def _kept(value: Any) -> Any:
    if isinstance(value, _KEPT):
        return value
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _translated(value: Any, into: Callable[[str], str]) -> Any:
    if isinstance(value, Finding):
        return value.translated(into)
    return into(", ").join(value) if isinstance(value, list) else value


def _stored(value: Any) -> Any:
    return value.stored() if isinstance(value, Finding) else value


def _restored(value: Any) -> Any:
    return Finding.restored(value) if isinstance(value, dict) and "msgid" in value else value


def shown(message: str, into: Callable[[str], str] | None = None) -> str:
    """A problem's message in the language of the run (or through `into`)."""
    return message.translated(into) if isinstance(message, Finding) else message


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in one data file, located by line."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: the whole directory
        from cityplan_cli.i18n import _

        return f"{where}: {_(self.severity)}: {shown(self.message)}"


class CityplanError(Exception):
    """Bad input or usage: the CLI prints the message (and the hint, if any) and exits 2."""

    def __init__(self, message: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent back whole from a worker process (forked.py): the hint, and a subclass's fields, too.
        return _error, (type(self), self.args, self.__dict__)


def _error(kind: type[CityplanError], args: tuple[Any, ...], state: dict[str, Any]) -> CityplanError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class DataError(CityplanError):
    """The data directory has errors; carries the first of them."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        total = len(errors) if total is None else total
        from cityplan_cli.i18n import _

        shown = "\n".join(str(p) for p in errors[:10])
        more = "\n" + _("… and {count} more").format(count=total - 10) if total > 10 else ""
        super().__init__(f"{shown}{more}\n" + _("the data has errors; `cityplan check` lists them all"))


# The reasons the system gives most often for refusing a file, as messages of the catalog: the
# English is the system's own words.
_OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.EEXIST: N_("File exists"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.EIO: N_("Input/output error"),
    errno.EBUSY: N_("Device or resource busy"),
    errno.ETXTBSY: N_("Text file busy"),
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, kept in no language (a Finding) when it is a common reason; else as
    the system words it."""
    message = _OS_REASONS.get(exc.errno or 0)
    return Finding(message) if message else (exc.strerror or str(exc))


def closest(word: str, choices: list[str], limit: int = 3, cutoff: int = 60) -> list[str]:
    """The choices that come closest to `word`, best first (for "did you mean")."""
    from rapidfuzz import process  # only on the error path

    return [m for m, _, _ in process.extract(word, choices, limit=limit, score_cutoff=cutoff)]


def suggestion(close: list[str]) -> str:
    """ "did you mean a, b?" or nothing: the one wording of every suggestion."""
    from cityplan_cli.i18n import _

    return _("did you mean {choices}?").format(choices=listing(close)) if close else ""


def suggested(close: list[str]) -> str:
    """The suggestion after a finding, translated where it is shown: "; did you mean a, b?" or nothing."""
    return Finding(N_("; did you mean {choices}?"), choices=close) if close else ""


def did_you_mean(close: list[str]) -> str:
    """The suggestion after a message: "; did you mean a, b?" or nothing."""
    from cityplan_cli.i18n import _

    return _("; did you mean {choices}?").format(choices=listing(close)) if close else ""


def listing(items: Sequence[str]) -> str:
    """Items one after another, as the language of the run separates them (a, b / a、b)."""
    from cityplan_cli.i18n import _

    # TRANSLATORS: the separator between the items of a list in a message
    return _(", ").join(items)


def not_found(what: str, word: str, choices: list[str]) -> CityplanError:
    """No such task, document…: `what` is the English noun, marked for the catalog where it is given."""
    from cityplan_cli.i18n import _

    message = _("no {what} '{word}'").format(what=_(what), word=word)
    return CityplanError(message + did_you_mean(closest(word, choices)))
