"""Formatting only: records in, text out. Nothing here computes what the records say."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cityplan_cli.i18n import N_
from cityplan_cli.model import ROLE_LABELS, STATE_LABELS


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def status_label(value: Any) -> str:
    return STATE_LABELS.get(value, _cell(value))


def role_label(value: Any) -> str:
    return ROLE_LABELS.get(value, _cell(value))


# Headings of a unit's contact details, in English for the catalog (Chinese in documents).
CONTACT_LABELS = {
    "address": N_("Address"),
    "postcode": N_("Postcode"),
    "phone": N_("Phone"),
    "fax": N_("Fax"),
    "email": N_("Email"),
    "hours": N_("Office hours"),
}


def unit_heading(name: str, full_name: str, contact: dict[str, str], count: int) -> str:
    """省住建厅(甘肃省住房和城乡建设厅):11 项, and the unit's contact on a line of its own."""
    heading = f"{name}（{full_name}）：{count} 项"
    return f"{heading}\n{contact_text(contact)}" if contact else heading


def contact_text(contact: dict[str, str]) -> str:
    """A unit's contact details on one line, in a fixed order: 地址:…;电话:…"""
    from cityplan_cli.i18n import chinese

    return "；".join(
        f"{chinese(label)}：{contact[key]}" for key, label in CONTACT_LABELS.items() if key in contact
    )


@dataclass(frozen=True)
class Column:
    """One column of a listing, a sheet or a table: defined once, used by every format."""

    field: str | None  # the record's key; None: `show` is given the whole record
    title: str  # the heading in English, marked for the catalog
    show: Callable[[Any], str] = _cell  # the value as text
    wide: bool = False  # long text: in files, not in the terminal table
    key: bool = False  # an id, number, date, phone or code: never cut, wrapped or elided
    width: float = 12  # in a spreadsheet, in characters

    @cached_property  # the same in every run: looked up for each of a province's million items
    def label(self) -> str:
        """The heading in documents and files (sheets, checklists, CSV, Markdown): Chinese always."""
        from cityplan_cli.i18n import chinese

        return chinese(self.title)

    @property
    def heading(self) -> str:
        """The heading in a terminal table: in the language of the run."""
        from cityplan_cli.i18n import _

        return _(self.title)


def cells(row: dict[str, Any], columns: Sequence[Column]) -> list[str]:
    return [c.show(row if c.field is None else row.get(c.field)) for c in columns]


def to_json(data: Any) -> str:
    """JSON with real Chinese characters: an array one object a line, an object one field a line.
    An object (a document of its own: show, report) says first which version of the JSON schema it
    follows; an array (a listing) stays a plain array of records, as scripts read it."""
    return b"".join(json_chunks(data)).decode("utf-8")


def json_chunks(data: Any, fields: slice = slice(None)) -> Iterator[bytes]:
    """`to_json`'s text in UTF-8, a piece at a time: a province's report is a hundred megabytes,
    written as it is made rather than held whole. Of an object, only the `fields` chosen (schema
    first), with the opening brace if the first is, the closing one if the last is: an object's
    text can be made in parts, apart, and joined.

    Indented all the way down, a province's hundred thousand tasks take Python's slow encoder many
    seconds; a line per item keeps the fast one and stays readable and diffable."""
    from cityplan_cli.render.safe import json_text
    from cityplan_cli.schemas import VERSION

    if isinstance(data, dict):
        data = {"schema": VERSION, **data}
    encoder = json.JSONEncoder(ensure_ascii=False)

    def dumps(value: Any) -> bytes:
        return json_text(encoder.encode(value)).encode("utf-8")

    # A record that several lists of an object hold (a report's task: under its lead, then among the
    # red, the stale and the unacknowledged) is encoded once: the id of each object in `data`, alive
    # until the end, is its own. A group of records (a lead and its tasks: a small object, half its
    # fields or more lists of records) is written a field at a time, with json.dumps' separators, so
    # that its records are each encoded once too: the same bytes as json.dumps of the whole.
    made: dict[int, bytes] = {}

    def listed(item: Any) -> bytes:
        if item.__class__ is not dict:
            return dumps(item)
        text = made.get(id(item))
        if text is None:
            lists = [v for v in item.values() if _records(v)] if len(item) <= 4 else ()
            if lists and 2 * len(lists) >= len(item) and all(k.__class__ is str for k in item):
                text = (
                    b"{"
                    + b", ".join(
                        dumps(k)
                        + b": "
                        + (b"[" + b", ".join(map(listed, v)) + b"]" if _records(v) else dumps(v))
                        for k, v in item.items()
                    )
                    + b"}"
                )
            else:
                text = dumps(item)
            made[id(item)] = text
        return text

    if isinstance(data, list) and data:
        yield b"[\n"
        last = len(data) - 1
        for n, item in enumerate(data):
            yield b"  " + dumps(item) + (b",\n" if n < last else b"\n")
        yield b"]\n"
    elif isinstance(data, dict) and data:
        items = list(data.items())
        start, stop, _ = fields.indices(len(items))
        stop = max(start, stop)
        last = len(items) - 1
        if start == 0 < stop:
            yield b"{\n"
        for n in range(start, stop):
            key, value = items[n]
            yield b"  " + dumps(key) + b": "
            if isinstance(value, list):  # the bytes json.dumps writes, an item at a time
                yield b"["
                for i, item in enumerate(value):
                    yield b", " + listed(item) if i else listed(item)
                yield b"]"
            else:
                yield dumps(value)
            yield b",\n" if n < last else b"\n"
        if start < stop == len(items):
            yield b"}\n"
    else:
        yield dumps(data) + b"\n"


def _records(value: Any) -> bool:
    """A non-empty list that starts with a record."""
    return value.__class__ is list and bool(value) and value[0].__class__ is dict


def render(
    rows: list[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    title: str = "",
    width: int | None = None,
    plain: bool = False,
) -> str:
    """A listing in one of the formats; JSON carries every field, the others the columns.

    For a table, `width` is the terminal's in cells (None: no limit, one row a line) and `plain`
    leaves out the rule under the header, for pipes and files; the caller knows which it writes to."""
    if fmt is Format.json:
        return to_json(rows)
    if fmt is Format.csv:
        from cityplan_cli.render.csv import to_csv

        return to_csv([c.label for c in columns], [cells(r, columns) for r in rows])
    if fmt is Format.md:
        from cityplan_cli.render.markdown import md_table

        return md_table([c.label for c in columns], [cells(r, columns) for r in rows])
    from cityplan_cli.render.table import to_table

    narrow = [c for c in columns if not c.wide]
    return to_table(
        [c.heading for c in narrow],
        [cells(r, narrow) for r in rows],
        [c.key for c in narrow],
        title,
        width,
        plain,
    )
