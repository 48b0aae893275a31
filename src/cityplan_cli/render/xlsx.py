"""Excel workbooks: the ledger (台账) and a unit's checklist. Readable on open: frozen header rows,
autofilter, column widths, wrapped text; light colours as fills; no text cell Excel could run, and no
character an XML part may not hold (render/workbook.py writes them, a row at a time)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cityplan_cli.checklist import Checklist
from cityplan_cli.i18n import chinese
from cityplan_cli.ledger import Ledger
from cityplan_cli.render import CONTACT_LABELS, Column
from cityplan_cli.render.checklist import progress_hint
from cityplan_cli.render.columns import (
    CHECKLIST_SHEET,
    FULL_NAME,
    ID,
    KIND,
    LEDGER_HIERARCHY,
    LEDGER_TASK,
    LEDGER_UNIT,
    LEDGER_UNOWNED,
    LIGHT,
    LOAD,
    NAME,
    OVERLOADED,
    PERCENT,
    ROLE,
    SCORES,
    TITLE,
)
from cityplan_cli.render.workbook import Workbook

FILLS = {
    "red": "FFC7CE",
    "yellow": "FFEB9C",
    "green": "C6EFCE",
    "closed": "D9D9D9",
    "lead": "F8CBAD",
    "support": "BDD7EE",
    "local": "C6E0B4",
}
MATRIX_MARK = {"lead": "牵", "support": "配", "local": "落"}
HEADER_FILL = "DDEBF7"
MAX_OUTLINE = 7  # the deepest row outline Excel groups


class _Styles:
    """The cell formats of a workbook, by what they are for."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.plain = 0  # keys (ids, numbers, dates): no wrapping
        self.header = book.style(bold=True, fill=HEADER_FILL, wrap=True)
        self.body = book.style(wrap=True)
        self.percent = book.style(wrap=True, percent=True)
        self.label = book.style(bold=True)
        self.unit_header = book.style(bold=True, fill=HEADER_FILL, rotation=90, center=True)

    def fill(self, key: str) -> int:
        return self.book.style(wrap=True, fill=FILLS[key])

    def indent(self, level: int) -> int:
        return self.book.style(wrap=True, indent=level * 2)


def _getter(column: Column) -> Callable[[Mapping[str, Any]], Any]:
    """What a column's cell holds in a record: numbers as numbers, a per cent as a fraction, the
    rest as the column's text (None: an empty cell)."""
    field, show = column.field, column.show
    if field == PERCENT.field:
        return lambda record: None if (raw := record.get(field)) is None else raw / 100

    def value(record: Mapping[str, Any]) -> Any:
        raw = record if field is None else record.get(field)
        if raw.__class__ in (int, float):  # not a bool: that is shown as text
            return raw
        return show(raw) or None

    def text(record: Mapping[str, Any]) -> Any:
        # Most cells: text shown as it is (the default `show`), without a call for each.
        raw = record.get(field)
        if raw.__class__ is str or raw is None:
            return raw or None
        return value(record)

    return text if field is not None and show is Column.show else value


def _sheet(
    book: Workbook,
    styles: _Styles,
    title: str,
    columns: Sequence[Column],
    records: Sequence[Mapping[str, Any]],
    style_of: Mapping[str, Callable[[Mapping[str, Any]], int]] | None = None,
    note: str = "",
) -> None:
    """A table with a frozen, filtered header row (below a one-line `note`, where given). `style_of`
    maps a column's heading to the format of its cell in a row (a light's fill)."""
    top = 1 if note else 0
    widths = [(n, n, c.width) for n, c in enumerate(columns)]
    size = (top + 1 + len(records), len(columns))
    with book.sheet(title, widths, size, frozen=(top + 1, 0)) as ws:
        if note:
            ws.row([note], [styles.label])
        ws.row([c.label for c in columns], [styles.header] * len(columns))
        # Keys (ids, numbers, dates) need no wrapping; text wraps.
        fixed = [styles.plain if c.key else styles.body for c in columns]
        styled = [(n, (style_of or {}).get(c.label)) for n, c in enumerate(columns)]
        styled = [(n, style) for n, style in styled if style is not None]
        getters = [_getter(c) for c in columns]
        for record in records:
            formats = fixed
            if styled:
                formats = list(fixed)
                for n, style in styled:
                    formats[n] = style(record)
            ws.row([get(record) for get in getters], formats)


def ledger_xlsx(led: Ledger) -> bytes:
    book = Workbook()
    styles = _Styles(book)
    _sheet(
        book,
        styles,
        "任务总表",
        LEDGER_TASK,
        led.tasks,
        {
            LIGHT.label: lambda t: styles.fill(t["light"]),
            PERCENT.label: lambda t: styles.percent,
        },
    )
    _matrix(book, styles, led)

    def overloaded(u: Mapping[str, Any]) -> int:
        return styles.fill("red") if u["overloaded"] else styles.body

    units = {c.label: overloaded for c in (NAME, LOAD, OVERLOADED)}
    _sheet(book, styles, "单位负荷", LEDGER_UNIT, led.units, units)
    _sheet(book, styles, "未落实责任", LEDGER_UNOWNED, led.unowned)
    _hierarchy(book, styles, led.hierarchy)
    _sheet(book, styles, "考评", SCORES, led.scores)
    return book.bytes()


def _hierarchy(book: Workbook, styles: _Styles, rows: Sequence[Mapping[str, Any]]) -> None:
    """Tasks from above and what carries them out below, a level of outline grouping each: a
    province's item, the city's tasks under it, their departments under those (Excel's + and −,
    above the rows each groups). A task's id, or an owner's name, is indented by its level; a light
    is filled with its colour."""
    columns = LEDGER_HIERARCHY
    widths = [(n, n, c.width) for n, c in enumerate(columns)]
    depth = min(max((r["level"] for r in rows), default=0), MAX_OUTLINE)
    with book.sheet("分解落实", widths, (1 + len(rows), len(columns)), frozen=(1, 0), outline=depth) as ws:
        ws.row([c.label for c in columns], [styles.header] * len(columns))
        getters = [_getter(c) for c in columns]
        named = {  # the column indented in each kind of row
            kind: next(n for n, c in enumerate(columns) if c.field == field)
            for kind, field in (("task", ID.field), ("owner", "unit"))
        }
        light = columns.index(LIGHT)
        for r in rows:
            formats = [styles.body] * len(columns)
            formats[named[r["kind"]]] = styles.indent(r["level"])
            if r["light"]:
                formats[light] = styles.fill(r["light"])
            ws.row([get(r) for get in getters], formats, min(r["level"], MAX_OUTLINE))


def _matrix(book: Workbook, styles: _Styles, led: Ledger) -> None:
    """Tasks down, units across (Excel has room for a million rows but only 16,384 columns). A mark's
    colour comes from a conditional format on the whole grid, not from a format on each of the
    million marks a province has."""
    units = led.matrix_units
    widths = [(0, 0, ID.width), (1, 1, 28)] + ([(2, len(units) + 1, 3.5)] if units else [])
    size = (1 + len(led.matrix_tasks), 2 + len(units))
    marks = {MATRIX_MARK[role]: FILLS[role] for role in MATRIX_MARK} if units else None
    with book.sheet("责任矩阵", widths, size, frozen=(1, 2), marks=marks) as ws:
        legend = "，".join(f"{mark} = {ROLE.show(role)}" for role, mark in MATRIX_MARK.items())
        ws.row(
            [ID.label, f"{TITLE.label}（{legend}）", *units],
            [styles.header, styles.header] + [styles.unit_header] * len(units),
        )
        column = {u: i for i, u in enumerate(units, 2)}
        titles = {t["id"]: t["title"] for t in led.tasks}
        for task_id in led.matrix_tasks:
            marks_of = sorted(
                (column[u], MATRIX_MARK[role]) for u, role in led.matrix.get(task_id, {}).items()
            )
            ws.sparse([(0, task_id), (1, titles[task_id]), *marks_of], styles.plain)


def checklist_xlsx(c: Checklist) -> bytes:
    book = Workbook()
    styles = _Styles(book)
    _sheet(
        book,
        styles,
        "任务清单",
        CHECKLIST_SHEET,
        c.items,
        {ROLE.label: lambda i: styles.fill(i["role"])},
        note=progress_hint(c.unit.name),
    )
    unit = c.unit
    pairs = [(NAME.label, unit.name), (FULL_NAME.label, unit.full_name), (KIND.label, unit.kind)]
    pairs += [
        (chinese(label), unit.contact[key]) for key, label in CONTACT_LABELS.items() if key in unit.contact
    ]
    with book.sheet("单位", [(0, 0, 10), (1, 1, 60)], (len(pairs), 2), autofilter=False) as info:
        for label, value in pairs:
            info.row([label, value or None], [styles.label, styles.body])
    return book.bytes()
