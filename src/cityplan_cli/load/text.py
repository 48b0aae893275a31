"""Reading a data file: bytes to text, and where each table and key sits in it.

TOML parsers do not say where a value sits, so `Lines` finds the line of each table header by
scanning the text, skipping multi-line strings: the n-th `[[tasks]]` header is the n-th task.
Key lines are looked up only when a problem needs one.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

_HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*([^\]\[#\n]+?)[ \t]*\]\]?[ \t]*(?:#[^\n]*)?$", re.M)
# A multi-line string opens where a value starts (after =, [ or ,) and closes at the next same quotes.
_MULTILINE_OPEN = re.compile(r"(?:=|\[|,)[ \t]*(\"\"\"|''')")


def read_text(path: Path) -> tuple[str | None, str | None]:
    """The file's text as UTF-8 (a BOM is allowed), or None and why it could not be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    return decode_data(raw)


def decode_data(raw: bytes) -> tuple[str | None, str | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16(raw):
        return None, "line 1: the file is UTF-16; save it as UTF-8"
    if b"\x00" in raw:  # never in UTF-8 text, nor in TOML
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, f"line {line}: not a text file (it holds NUL bytes); a data file is UTF-8 TOML"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, f"line {line}: not UTF-8 text; save the file as UTF-8"
        return None, f"line {line}: not UTF-8; the file looks like GBK/GB18030, save it as UTF-8"


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
