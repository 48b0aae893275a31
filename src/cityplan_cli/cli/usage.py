"""Usage errors in the tool's words and language: what click found wrong with a command line
(an unknown command or option, a missing argument, a bad value), said as one line with a
did-you-mean where a close candidate exists, and a hint line. Loaded only when a usage is wrong."""

from __future__ import annotations

import re
from difflib import get_close_matches  # names of commands and options: short, ASCII, like click's
from typing import Any

from typer._click import exceptions as click_errors

from cityplan_cli.errors import did_you_mean
from cityplan_cli.i18n import N_, _

# click's own wordings of a bad value or a bad option, as templates to translate.
# click's wording of a problem → ours, in the catalog.
_CLICK_MESSAGES = [
    (
        re.compile(r"(?P<value>.+) is not a valid (?P<type>integer|float|boolean)[.:]?.*"),
        N_("{value} is not a number"),
    ),
    (
        re.compile(r"(?P<value>.+) is not in the range (?P<range>.+)\."),
        N_("{value} is not in the range {range}"),
    ),
    (re.compile(r"Option '(?P<option>[^']+)' requires an argument\."), N_("option '{option}' needs a value")),
    (
        re.compile(r"Option '(?P<option>[^']+)' requires (?P<n>\d+) arguments\."),
        N_("option '{option}' needs {n} values"),
    ),
    (
        re.compile(r"Option '(?P<option>[^']+)' does not take a value\."),
        N_("option '{option}' takes no value"),
    ),
    (
        re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<extra>.*)\)"),
        N_("unexpected extra arguments: {extra}"),
    ),
]


def message(exc: Exception) -> str:
    """The one-line message for a usage error click raised."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click_errors.NoSuchOption):
        close = get_close_matches(exc.option_name, _option_names(ctx), n=2, cutoff=0.7)
        return _("no such option: {option}").format(option=exc.option_name) + did_you_mean(close)
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return _("missing argument {name}").format(name=_param_name(param))
        return _("missing option '{option}'").format(option=_param_name(param))
    if isinstance(exc, click_errors.BadParameter):
        param = getattr(exc, "param", None)
        problem = _click_message(exc.message, param)
        if param is not None and param.param_type_name == "argument":
            return _("invalid value for {name}: {problem}").format(name=_param_name(param), problem=problem)
        return _("invalid value for '{option}': {problem}").format(option=_param_name(param), problem=problem)
    return _click_message(getattr(exc, "message", str(exc)), None)


def hint(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "cityplan"
    return _("see '{command} --help'").format(command=path)


def _option_names(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    names = [name for p in ctx.command.get_params(ctx) for name in (*p.opts, *p.secondary_opts)]
    return [n for n in names if n.startswith("--")] or names


def _param_name(param: Any) -> str:
    """An argument as its usage line names it (TASK_ID), an option by its long name."""
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return param.human_readable_name.upper()
    return max(param.opts, key=len)


def _click_message(text: str, param: Any) -> str:
    """click's wording of a problem, translated where it is one of click's own."""
    for pattern, ours in _CLICK_MESSAGES:
        m = pattern.fullmatch(text.strip())
        if m:
            return _(ours).format(**m.groupdict())
    return text
