"""The options every command spells the same way, and the parsing of their values.

Each listing takes the same vocabulary: `--unit` (repeatable: any of them), `--doc`, `--role`,
`--status`, `--light`, `--overdue`, `--due-before`, `--format`, `--out`. Values are accepted as the
tool prints them too: a status by its Chinese label (推进中), a date as 2026-11-20, 2026/11/20,
20261120, today or yesterday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._types import TyperChoice

from cityplan_cli.cli import complete
from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import N_, _
from cityplan_cli.model import ROLE_LABELS, STATE_LABELS, STATUS_LABELS
from cityplan_cli.render import Format

if TYPE_CHECKING:
    from cityplan_cli.index import Index
    from cityplan_cli.queries import TaskFilter

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "closed": "销号"}
# The Chinese labels of the other choices (formats, orders), accepted as the values themselves.
CHOICE_LABELS = {
    "table": "表格",
    "md": "markdown",
    "html": "网页",
    "xlsx": "excel",
    "docx": "word",
    "registry": "登记顺序",
    "load": "负荷",
    "name": "名称",
    "kind": "类别",
}


def choice(what: str, labels: dict[str, str]):
    """A parser accepting each value by its name or its Chinese label, with a did-you-mean;
    `what` is an English noun marked for the catalog."""

    def parse(value: str) -> str:
        text = value.strip()
        for key, label in labels.items():
            if text.lower() == key or text == label:
                return key
        from cityplan_cli.errors import closest, did_you_mean, listing

        options = [*labels, *labels.values()]
        shown = listing([f"{k} ({v})" for k, v in labels.items()])
        raise typer.BadParameter(
            _("'{value}' is not a {what}: {choices}").format(value=value, what=_(what), choices=shown)
            + did_you_mean(closest(text, options))
        )

    return parse


parse_status = choice(N_("status"), STATUS_LABELS)
parse_state = choice(N_("status"), STATE_LABELS)  # what a task may be found in: 待销号 too
parse_role = choice(N_("role"), ROLE_LABELS)
parse_light = choice(N_("light"), LIGHT_LABELS)


class LabelledChoice(TyperChoice):
    """A choice of an enum (a format, an order) that also takes the value's Chinese label, and says
    what is wrong in the language of the run, with a did-you-mean."""

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        text = str(value).strip()
        for key, label in CHOICE_LABELS.items():
            if text.lower() == label and any(str(getattr(c, "value", c)) == key for c in self.choices):
                value = key
        return super().convert(value.lower() if isinstance(value, str) else value, param, ctx)

    def get_invalid_choice_message(self, value, ctx):  # type: ignore[no-untyped-def]
        from cityplan_cli.errors import closest, did_you_mean, listing

        keys = [str(getattr(c, "value", c)) for c in self.choices]
        shown = listing([f"{k} ({CHOICE_LABELS[k]})" if k in CHOICE_LABELS else k for k in keys])
        close = closest(str(value), keys + [CHOICE_LABELS[k] for k in keys if k in CHOICE_LABELS])
        return _("'{value}' is not one of {choices}").format(value=value, choices=shown) + did_you_mean(close)


def parse_date(value: str) -> dt.date:
    """2026-11-20, 2026/11/20, 2026.11.20, 20261120, 2026年11月20日, today or yesterday."""
    text = value.strip().lower()
    today = _today()
    yesterday = today - dt.timedelta(days=1)
    named = {"today": today, "今天": today, "yesterday": yesterday, "昨天": yesterday}
    if text in named:
        return named[text]
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})", text)
    if m:
        y, mo, d = (
            (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        )
        try:
            return dt.date(int(y), int(mo), int(d))
        except ValueError:
            raise typer.BadParameter(
                _("'{value}' is not a day of the calendar").format(value=value)
            ) from None
    raise typer.BadParameter(
        _("'{value}' is not a date: write 2026-11-20, 2026/11/20, 20261120, today or yesterday").format(
            value=value
        )
    )


def _today() -> dt.date:
    """The run's today (its Environment's, which a caller may set), else the clock's."""
    from typer._click.globals import get_current_context

    from cityplan_cli.env import Environment

    ctx = get_current_context(silent=True)
    env = ctx.find_root().obj if ctx is not None else None
    return env.today if isinstance(env, Environment) else dt.date.today()


def date_option(*names: str, help: str) -> Any:
    """An option that takes a day in any form `parse_date` reads."""
    return typer.Option(*names, parser=parse_date, metavar="DATE", help=help, show_default=False)


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help=N_("Data directory (default: $CITYPLAN_DATA, else the nearest directory holding units.toml)."),
        show_default=False,
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help=N_("table, json, csv or md."), show_default=False)
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help=N_("Write to this file instead of stdout."))]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help=N_("Read the data files for this run only; leave nothing on disk."))
]
FailOpt = Annotated[bool, typer.Option("--fail-on-findings", help=N_("Exit 1 when anything is found."))]
UnitsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        "-u",
        help=N_("A unit by any of its names; repeat for several (any of them)."),
        show_default=False,
        autocompletion=complete.units,
    ),
]
DocsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--doc",
        "-d",
        help=N_("发文字号 or document id; repeat for several."),
        show_default=False,
        autocompletion=complete.documents,
    ),
]
RolesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        metavar="ROLE",
        parser=parse_role,
        help=N_("lead 牵头, support 配合 or local 落实; repeatable."),
        show_default=False,
    ),
]
StatusesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        parser=parse_state,
        help=N_(
            "not_started 未启动, in_progress 推进中, done 已完成, pending 待销号, blocked 受阻; repeatable."
        ),
        show_default=False,
    ),
]
LightsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--light",
        metavar="LIGHT",
        parser=parse_light,
        help=N_("red 红灯, yellow 黄灯, green 绿灯, closed 销号; repeatable."),
        show_default=False,
    ),
]
OverdueOpt = Annotated[
    bool, typer.Option("--overdue", help=N_("Only tasks past their due date and not done."))
]
DueBeforeOpt = Annotated[
    dt.date | None,
    date_option("--due-before", help=N_("Only tasks due on or before this day.")),
]
UnownedOpt = Annotated[bool, typer.Option("--unowned", help=N_("Only tasks with no responsible unit."))]


def task_filter(ix: Index, options: Mapping[str, Any]) -> TaskFilter:
    """The filter a listing's options describe, by their parameter names (`unit`, `doc`, `role`,
    `status`, `light`, `overdue`, `due_before`, `unowned`, `ids`: a command's `ctx.params`), every name
    resolved (an unknown one is a usage error). An option the command lacks filters nothing."""
    from cityplan_cli.queries import TaskFilter

    units = options.get("unit") or ()
    if options.get("role") and not units:
        raise CityplanError(_("--role needs --unit: a role is a unit's part in a task"))
    return TaskFilter(
        doc_ids=tuple(dict.fromkeys(ix.document_id(d) for d in options.get("doc") or ())),
        units=tuple(dict.fromkeys(ix.unit(u) for u in units)),
        roles=tuple(options.get("role") or ()),
        statuses=tuple(options.get("status") or ()),
        lights=tuple(options.get("light") or ()),
        overdue=bool(options.get("overdue")),
        due_before=options.get("due_before"),
        unowned=bool(options.get("unowned")),
        ids=tuple(dict.fromkeys(ix.task_id(i) for i in options.get("ids") or ())),
    )
