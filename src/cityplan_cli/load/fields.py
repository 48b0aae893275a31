"""Typed fields of a TOML table, each problem located at its line.

`FileReader` reads one data file: its text, its TOML, its table spans, and the problems found in
it. `get` returns a field of the right type or reports it and returns a default, so a loader states
each field once and never raises for bad content.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

# tomli is the parser the standard library's tomllib was taken from; its wheels are compiled, which
# reads a province's data about three times as fast.
import tomli as tomllib

from cityplan_cli.errors import Finding, Severity
from cityplan_cli.i18n import N_
from cityplan_cli.load.text import Lines, read_text, toml_line, toml_problem

Span = tuple[int, int]
Found = tuple[int, str, str]  # (line, severity, message)

MAX_DEPTH = 8  # brackets open at once: far more than any real data file nests
_RUNS = ("[[[", "[{", "{[", "{{")  # how deep nesting begins; `[[tasks]]` opens two at most
_TOO_DEEP = Finding(N_("values nested more than {depth} deep: not a cityplan data file"), depth=MAX_DEPTH)

# What a string may hold. Every field: no control characters and no bidirectional controls (they
# reorder what a reader sees). Texts (`text`, `quote`, `note`) may run over lines: tab and line feed.
# Names (of units, people, addressees) may hold nothing invisible: a zero-width space would make a
# second unit that looks like the first.
MULTILINE = frozenset({"text", "quote", "note"})
NAMES = frozenset(
    {"name", "full_name", "aliases", "nameplates", "members", "parent", "issuer", "addressees", "leaders"}
    | {"lead", "support", "local", "unit", "units", "supervisor"}
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CONTROL_NAMES = {
    "\x00": "NULL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
}
_CATEGORY_WORDS = {
    "Cf": N_("an invisible character"),
    "Zl": N_("a line separator"),
    "Zp": N_("a paragraph separator"),
}
# Dates a document can mean: none before 1949, none more than 30 years after the document's date
# (or today, for a file without one). Outside, the year is almost surely mistyped (9999-12-31).
EARLIEST = dt.date(1949, 1, 1)
HORIZON_YEARS = 30


class Tables(list):
    """The type of a field that holds an array of tables ([[tasks.basis]]), for a schema."""


TYPE_NAMES = {
    Tables: N_("an array of tables"),
    str: N_("a string"),
    int: N_("an integer"),
    float: N_("a number"),
    dt.date: N_("a date (YYYY-MM-DD)"),
    dt.datetime: N_("a date and time (YYYY-MM-DDTHH:MM:SS+08:00)"),
    list: N_("a list of strings"),
    bool: N_("true or false"),
    dict: N_("a table"),
}


def _type(expected: type) -> Finding:
    return Finding(TYPE_NAMES[expected])


Where = Span | tuple[str, int] | Callable[[], Span]
Schema = dict[
    str, tuple[type, bool, Any]
]  # field → (type, required, default)  # a span, (header, index), or how to find it


class FileReader:
    """One TOML file being read: its data, and the problems found in it, each at its line.

    Where a value sits is worked out only when a problem needs it: `Where` names a table as a span,
    as the n-th table under a header, or as a function that finds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Found] = []
        self.data: dict[str, Any] = {}
        self.text = ""
        self._lines: Lines | None = None
        self.latest = _years_after(dt.date.today(), HORIZON_YEARS)
        self.anchor_text: str = Finding(N_("today"))

    @property
    def lines(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self.text)
        return self._lines

    def read(self) -> bool:
        text, why = read_text(self.path)
        if why is not None:
            self.report(why.line or 1, why.message)
            return False
        assert text is not None
        self.text = text
        # No data file nests values more than a few levels; the parser recurses once per level, and
        # 100,000 `[` would exhaust the stack. Only a file with brackets run together is measured.
        deep = _deepest_line(text) if any(run in text for run in _RUNS) else 0
        if deep:
            self.report(deep, _TOO_DEEP)
            return False
        try:
            self.data = tomllib.loads(text)
        except RecursionError:
            self.report(_deepest_line(text) or 1, _TOO_DEEP)
            return False
        except tomllib.TOMLDecodeError as exc:
            self.report(toml_line(exc), Finding(N_("TOML syntax error: {detail}"), detail=toml_problem(exc)))
            return False
        return True

    def missing(self, key: str, expected: type, where: Where) -> None:
        self.report(
            self.first(where), Finding(N_("missing field '{key}' ({type})"), key=key, type=_type(expected))
        )

    def mistyped(self, key: str, expected: type, value: Any, where: Where) -> None:
        wrong = Finding(
            N_("'{key}' must be {type}, not {value}"), key=key, type=_type(expected), value=_show(value)
        )
        self.report(self.line(key, where), wrong)

    def unknown(self, key: str, known: Any, where: Where) -> None:
        unknown = Finding(N_("unknown field {key} (known: {known})"), key=quoted(key), known=sorted(known))
        self.report(self.line(key, where), unknown, "warning")

    def report(self, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append((line, severity, message))

    def span(self, where: Where) -> Span:
        if callable(where):
            return where()
        if isinstance(where[0], str):
            header, index = where
            spans = self.lines.tables(header)
            # An inline array of tables has no headers: the top of the file stands for it.
            return spans[index] if index < len(spans) else (1, 1)
        return where  # type: ignore[return-value]

    def line(self, key: str, where: Where) -> int:
        """The line of `key = …` in a table (the table's first line if it is not there)."""
        return self.lines.key(key, self.span(where))

    def first(self, where: Where) -> int:
        return self.span(where)[0]

    def get(
        self,
        table: dict[str, Any],
        key: str,
        expected: type,
        where: Where,
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """table[key] if it has the right type; otherwise report and return the default."""
        if key not in table:
            if required:
                self.missing(key, expected, where)
            return default
        value = table[key]
        if type(value) is expected and expected is not list:  # the common case, without a call
            return self._checked(key, value, where)
        if fits(value, expected):
            return self._checked(key, tuple(value) if expected is list else value, where)
        self.mistyped(key, expected, value, where)
        return default

    def _checked(self, key: str, value: Any, where: Where) -> Any:
        """The value, once its text and dates are found sound; a string loses the characters it must
        not hold (reported), so that what follows is checked once, on what the writer meant."""
        if type(value) is str:
            return value if value.isprintable() else self._clean(key, value, where)
        if type(value) is tuple:
            if all(map(str.isprintable, value)):
                return value
            return tuple(self._clean(key, v, where) for v in value)
        if type(value) is dt.date and not EARLIEST <= value <= self.latest:
            self._odd_date(key, value, where)
        return value

    def _clean(self, key: str, text: str, where: Where) -> str:
        fault = text_fault(key, text)
        if fault is None:
            return text
        self.report(
            self.line(key, where),
            Finding(N_("'{key}' {text} {fault}"), key=key, text=visible(text), fault=fault),
        )
        return "".join(c for c in text if c not in refused(key, text))

    def _odd_date(self, key: str, value: dt.date, where: Where) -> None:
        if value < EARLIEST:
            why = Finding(N_("before {year}"), year=EARLIEST.year)
        else:
            why = Finding(
                N_("more than {years} years after {anchor}"), years=HORIZON_YEARS, anchor=self.anchor_text
            )
        odd = Finding(N_("'{key}' {value} is {why}: check the year"), key=key, value=str(value), why=why)
        self.report(self.line(key, where), odd, "warning")

    def anchor(self, date: dt.date | None) -> None:
        """Dates of this file are sane up to HORIZON_YEARS after `date` (the document's), not today."""
        if date is not None and EARLIEST <= date <= self.latest:
            self.latest = _years_after(date, HORIZON_YEARS)
            self.anchor_text = Finding(N_("the document's date ({date})"), date=str(date))

    def fields(self, table: dict[str, Any], schema: Schema, where: Where) -> dict[str, Any]:
        """Every field of a table in one pass: each value of its schema's type, or its default and a
        problem; a field the schema does not know is a warning."""
        defaults, required = _layout(schema)
        found = defaults.copy()
        for key, value in table.items():
            spec = schema.get(key)
            if spec is None:
                self.unknown(key, schema, where)
                continue
            expected = spec[0]
            # The two common cases first, without a call: a province's data has a million fields.
            if type(value) is str and expected is str:
                found[key] = value if value.isprintable() else self._clean(key, value, where)
            elif type(value) is list and expected is list and _printable_strings(value):
                found[key] = tuple(value)
            elif type(value) is expected and expected is not list:
                found[key] = self._checked(key, value, where)
            elif fits(value, expected):
                # an array of tables stays a list
                found[key] = self._checked(key, tuple(value) if expected is list else value, where)
            else:
                self.mistyped(key, expected, value, where)
        for key in required:
            if key not in table:
                self.missing(key, schema[key][0], where)
        return found

    def tables(self, data: dict[str, Any], key: str, where: Where = (1, 1)) -> list[dict[str, Any]]:
        """data[key] as an array of tables, or [] and a problem."""
        value = data.get(key, [])
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
        line = self.line(key, where) if key in data else self.first(where)
        self.report(line, Finding(N_("'{key}' must be an array of tables ([[{key}]])"), key=key))
        return []

    def unknown_keys(self, table: dict[str, Any], known: frozenset[str] | set[str], where: Where) -> None:
        for key in table:
            if key not in known:
                self.unknown(key, known, where)


_LAYOUTS: dict[int, tuple[Schema, dict[str, Any], tuple[str, ...]]] = {}


def _layout(schema: Schema) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A schema's defaults and its required fields, worked out once per schema (schemas are
    constants, and the one kept under an id is checked to be this one)."""
    found = _LAYOUTS.get(id(schema))
    if found is None or found[0] is not schema:
        defaults = {key: default for key, (_, _, default) in schema.items()}
        found = _LAYOUTS[id(schema)] = (
            schema,
            defaults,
            tuple(k for k, (_, req, _) in schema.items() if req),
        )
    return found[1], found[2]


def _printable_strings(values: list[Any]) -> bool:
    """Whether every item is a string of visible text, in one pass in C."""
    try:
        return all(map(str.isprintable, values))
    except TypeError:  # an item that is not a string
        return False


def fits(value: Any, expected: type) -> bool:
    if expected is Tables:
        return type(value) is list and all(type(v) is dict for v in value)
    if expected is list:
        return type(value) is list and all(type(v) is str for v in value)
    if expected is dt.date:
        return type(value) is dt.date
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def refused(key: str, text: str) -> str:
    """The characters of `text` that a field named `key` must not hold, in order, without repeats."""
    name, multiline = key in NAMES, key in MULTILINE
    bad: dict[str, None] = {}
    for c in text:
        if c.isprintable():
            continue
        category = unicodedata.category(c)
        if category == "Zs" or (multiline and c in "\t\n"):
            continue  # spaces (names drop them when compared); line breaks in a text
        if category in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI or (name and category == "Cf"):
            bad[c] = None
    return "".join(bad)


def text_fault(key: str, text: str) -> str | None:
    """What is wrong with the text a field named `key` holds, in words, or None: `holds U+0007 BELL,
    a control character: remove it (…)`. The one judgment of text, for files and the command line."""
    bad = refused(key, text)
    if not bad:
        return None
    what = Finding(_CATEGORY_WORDS.get(unicodedata.category(bad[0]), N_("a control character")))
    if key in NAMES:
        rule = Finding(N_("retype it (a name is visible text only)"))
    elif key in MULTILINE:
        rule = Finding(N_("remove it (a text may hold tabs and line breaks, nothing else of the kind)"))
    else:
        rule = Finding(N_("remove it ('{key}' is one line of visible text)"), key=key)
    return Finding(N_("holds {char}, {what}: {rule}"), char=char_name(bad[0]), what=what, rule=rule)


def char_name(c: str) -> str:
    """U+200B ZERO WIDTH SPACE: a character as Unicode names it (control characters by their alias)."""
    name = unicodedata.name(c, None) or _CONTROL_NAMES.get(c)
    return f"U+{ord(c):04X} {name}" if name else f"U+{ord(c):04X}"


def visible(text: str, limit: int = 40) -> str:
    """The text quoted, every character one cannot see written as an escape (\\u200b)."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in shown) + '"'


def quoted(text: str) -> str:
    """'text' as written, or, where it holds what cannot be seen (an escape sequence), made visible."""
    return f"'{text}'" if text.isprintable() else visible(text)


def _years_after(date: dt.date, years: int) -> dt.date:
    if date.year + years > dt.MAXYEAR:
        return dt.date.max
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February, in a year without one
        return date.replace(year=date.year + years, day=28)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return Finding(N_("the string {value}"), value=repr(value))
    if isinstance(value, list):
        return Finding(N_("a list with a non-string item"))
    return f"{type(value).__name__} {value!r}"


def _deepest_line(text: str) -> int:
    """The line where brackets first open more than MAX_DEPTH deep (strings and comments skipped),
    or 0."""
    depth = 0
    for m in re.finditer(r"[\[\]{}]|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*", text):
        c = m.group(0)
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, m.start()) + 1
        elif c in "]}":
            depth = max(0, depth - 1)
    return 0


class Parsed:
    """What one data file says, as plain rows per table, and the problems found in it alone.
    Rows are tuples of strings, numbers and None: what the index stores and a worker process returns."""

    __slots__ = ("kind", "problems", "resolved", "rows")

    def __init__(self, kind: str, rows: dict[str, list[tuple[Any, ...]]], problems: list[Found]) -> None:
        self.kind = kind
        self.rows = rows
        self.problems = problems  # found in the file alone
        self.resolved: list[Found] = []  # found resolving its names with the registry


def dumps(value: Any) -> str:
    """A list or table as the JSON text the index keeps; empty as ''."""
    import json

    return json.dumps(value, ensure_ascii=False, default=str) if value else ""
