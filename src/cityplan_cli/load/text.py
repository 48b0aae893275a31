"""Reading a data file: bytes to text, and where each table and key sits in it.

TOML parsers do not say where a value sits, so `Lines` finds the line of each table header by
scanning the text, skipping multi-line strings: the n-th `[[tasks]]` header is the n-th task.
Key lines are looked up only when a problem needs one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cityplan_cli.errors import Finding, os_reason
from cityplan_cli.i18n import N_

if TYPE_CHECKING:
    from tomli import TOMLDecodeError

_HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]\[#\n]+?)[ \t]*\]\]?[ \t]*(?:#[^\n]*)?$", re.M)
# A multi-line string opens where a value starts (after =, [ or ,) and closes at the next same quotes.
_MULTILINE_OPEN = re.compile(r"(?:=|\[|,)[ \t]*(\"\"\"|''')")


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why a data file could not be read: where (line 0: the file as a whole) and the message."""

    line: int
    message: Finding

    def shown(self, path: Path | str) -> str:
        """`path:line: message`, in the language of the run."""
        where = f"{path}:{self.line}" if self.line else str(path)
        return f"{where}: {self.message.translated()}"


def read_text(path: Path) -> tuple[str | None, Unreadable | None]:
    """The file's text as UTF-8 (a BOM is allowed), or None and why it could not be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, Unreadable(0, Finding(N_("cannot read: {why}"), why=os_reason(exc)))
    return decode_data(raw)


def decode_data(raw: bytes) -> tuple[str | None, Unreadable | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16(raw):
        return None, Unreadable(1, Finding(N_("the file is UTF-16; save it as UTF-8")))
    if b"\x00" in raw:  # never in UTF-8 text, nor in TOML
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, Unreadable(
            line, Finding(N_("not a text file (it holds NUL bytes); a data file is UTF-8 TOML"))
        )
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, Unreadable(line, Finding(N_("not UTF-8 text; save the file as UTF-8")))
        return None, Unreadable(
            line, Finding(N_("not UTF-8; the file looks like GBK/GB18030, save it as UTF-8"))
        )


# What the TOML parser (tomli) says of a file it cannot parse, each a message of the catalog: its
# words as they are, a value it names in braces. A message not here is shown as the parser words it.
TOML_MESSAGES = (
    N_("Invalid statement"),
    N_("Expected newline or end of document after a statement"),
    N_("Expected {expected}"),
    N_("Found invalid character {char}"),
    N_("Cannot declare {key} twice"),
    N_("Cannot overwrite a value"),
    N_("Expected ']' at the end of a table declaration"),
    N_("Expected ']]' at the end of an array declaration"),
    N_("Cannot mutate immutable namespace {key}"),
    N_("Cannot redefine namespace {key}"),
    N_("Expected '=' after a key in a key/value pair"),
    N_("Invalid initial character for a key part"),
    N_("Unclosed array"),
    N_("Duplicate inline table key {key}"),
    N_("Unclosed inline table"),
    N_("Unescaped '\\' in a string"),
    N_("Invalid hex value"),
    N_("Escaped character is not a Unicode scalar value"),
    N_("Unterminated string"),
    N_("Illegal character {char}"),
    N_("Invalid date or datetime"),
    N_("Invalid value"),
)
# Each message as a pattern, the ones naming no value first ("Expected {expected}" comes last).
_TOML_PATTERNS = [
    (re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", re.escape(message))), message)
    for message in sorted(TOML_MESSAGES, key=lambda m: "{" in m)
]


def toml_problem(exc: TOMLDecodeError) -> str:
    """What the parser found wrong, as a message of the catalog when it is one of the parser's own."""
    said = getattr(exc, "msg", str(exc))
    for pattern, message in _TOML_PATTERNS:
        m = pattern.fullmatch(said)
        if m:
            return Finding(message, **{k: _key(v) for k, v in m.groupdict().items()})
    return said


def _key(value: str) -> str:
    """A key the parser names as a tuple of its parts, ('tasks', 'basis'), written as in TOML."""
    if value.startswith("("):
        import ast

        try:
            return ".".join(ast.literal_eval(value))
        except (ValueError, SyntaxError, TypeError):
            pass
    return value


def toml_line(exc: TOMLDecodeError) -> int:
    """The line the parser stopped at: the last line when it ran to the end of the file."""
    if exc.pos < len(exc.doc):
        return exc.lineno
    return len(exc.doc.splitlines()) or 1


def _utf16(raw: bytes) -> bool:
    """Whether bytes without a byte order mark are UTF-16 text: a TOML file's keys and brackets are
    ASCII, each a NUL byte beside its character, and the whole decodes to text without controls."""
    if len(raw) % 2 or b"\x00" not in raw:
        return False
    for encoding, nuls in (("utf-16-le", raw[1::2]), ("utf-16-be", raw[0::2])):
        if nuls.count(0) * 4 < len(nuls):  # fewer than a quarter ASCII: not a TOML file's text
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if all(c.isprintable() or c in "\t\r\n" for c in text):
            return True
    return False


def multiline_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every multi-line string in the text."""
    spans = []
    pos = 0
    while True:
        m = _MULTILINE_OPEN.search(text, pos)
        if m is None:
            return spans
        quotes = m.group(1)
        end = text.find(quotes, m.end())
        if end < 0:  # unterminated: the parser reports it; the rest of the file is the string
            spans.append((m.start(1), len(text)))
            return spans
        end += 3
        while text.startswith(quotes[0], end):  # """a"""" ends in a quote that belongs to the string
            end += 1
        spans.append((m.start(1), end))
        pos = end


class Lines:
    """Where tables and keys sit in a TOML file's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._strings = multiline_spans(text) if ('"""' in text or "'''" in text) else []
        self.headers: list[tuple[int, str]] = []  # (line, "[[tasks]]" / "[document]")
        line, last = 1, 0
        for m in _HEADER.finditer(text):
            if self._in_string(m.start()):
                continue
            line += text.count("\n", last, m.start())
            last = m.start()
            bracket = m.group(1)
            name = m.group(2).replace(" ", "").replace("\t", "")
            self.headers.append((line, f"{bracket}{name}{']' * len(bracket)}"))
        self._lines: list[str] | None = None
        self._string_lines: set[int] | None = None

    def _in_string(self, offset: int) -> bool:
        if not self._strings:
            return False
        i = bisect.bisect_right(self._strings, (offset, float("inf"))) - 1
        return i >= 0 and self._strings[i][0] <= offset < self._strings[i][1]

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    @property
    def count(self) -> int:
        return len(self.lines)

    def tables(self, header: str) -> list[tuple[int, int]]:
        """(first line, line after the last) of each table with this header, in order."""
        spans = []
        for i, (no, name) in enumerate(self.headers):
            if name == header:
                end = self.headers[i + 1][0] if i + 1 < len(self.headers) else self.count + 1
                spans.append((no, end))
        return spans

    def key(self, key: str, span: tuple[int, int]) -> int:
        """The line where `key = …` is set within a table's span; the table's first line if not found."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        inside = self._lines_in_strings()
        for no in range(span[0], min(span[1], self.count + 1)):
            if no not in inside and pattern.match(self.lines[no - 1]):
                return no
        return span[0]

    def _lines_in_strings(self) -> set[int]:
        """Lines that lie wholly within a multi-line string (after its first line)."""
        if self._string_lines is None:
            self._string_lines = set()
            for start, end in self._strings:
                first = self.text.count("\n", 0, start) + 1
                last = first + self.text.count("\n", start, end)
                self._string_lines.update(range(first + 1, last + 1))
        return self._string_lines
