"""Text from the data made safe for each kind of output.

Whatever a data file holds, no control character reaches a terminal, an XML part (xlsx, docx) or a
spreadsheet cell; Markdown carries no HTML and no link from the data; a spreadsheet never runs a cell
as a formula. Control characters are shown, not dropped: each C0 control becomes its Unicode control
picture (ESC → ␛), so whoever reads the output sees that the data needs cleaning."""

from __future__ import annotations

import re
from typing import Any

# C0 controls as control pictures (U+2400 …), DEL as ␡. C1 controls (0x9B is an 8-bit CSI) and the
# bidi embeddings, overrides and isolates (which make a terminal or a browser show text out of order)
# become U+FFFD, as do the two code points XML forbids.
_REPLACED = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
_REPLACED |= {0x7F: "\u2421", 0xFFFE: "\ufffd", 0xFFFF: "\ufffd"}
_REPLACED |= {c: "\ufffd" for c in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}

_MARKDOWN = {
    **_REPLACED,
    0x0D: "",
    0x0A: "<br>",
    # Everything that can open HTML, an entity, a link or an image, or change emphasis or a table's
    # cells; line breaks stay inside the line, so data never starts a block of its own.
    **{ord(c): "\\" + c for c in "\\`*_[]|~#"},
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord("&"): "&amp;",
}


def _translation(table: dict[int, str]) -> tuple[dict[int, str], Any]:
    """A translate table and the search for its characters: translate runs only on text that holds
    one of them. Most text holds none, and the search finds that out many times faster."""
    return str.maketrans(table), re.compile(
        "[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]"
    ).search


_DOCUMENT, _document_special = _translation(_REPLACED)
# An XML element's text: the XML specials escaped, and carriage returns kept (an XML reader turns a
# raw one into a line feed).
_XML_TEXT, _xml_special = _translation(
    {**_REPLACED, ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", 0x0D: "&#13;"}
)
_TERMINAL, _terminal_special = _translation({**_REPLACED, 0x09: " ", 0x0D: ""})
_MARKDOWN_TABLE, _markdown_special = _translation(_MARKDOWN)

# What a spreadsheet reads as the start of a formula (OWASP's list). CSV cells that start so get a
# leading quote; xlsx cells are typed as text and flagged with Excel's quote prefix.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What JSON leaves unescaped but a terminal would act on: C1 controls, DEL, bidi controls.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def document(text: str) -> str:
    """For an XML part (xlsx, docx), CSV or HTML: no character XML forbids, none that reorders text."""
    return text.translate(_DOCUMENT) if _document_special(text) else text


def xml_text(text: str) -> str:
    """For the text of an element in an XML part written by hand: `document`, and escaped."""
    return text.translate(_XML_TEXT) if _xml_special(text) else text


def terminal(text: str) -> str:
    """For the screen: no escape sequence, no carriage return, no tab."""
    return text.translate(_TERMINAL) if _terminal_special(text) else text


# What opens a list or a heading where a line starts (`- x`, `+ x`, `1. x`, `= x`).
_LEADING = re.compile(r"^(\s*)([-+=]|\d{1,9}(?=[.)]))")


def markdown(text: str) -> str:
    """For Markdown inline text: shows as the text it is in every viewer, never as HTML, a link or
    the start of a block."""
    text = text.translate(_MARKDOWN_TABLE) if _markdown_special(text) else text
    m = _LEADING.match(text)
    if m is not None:  # 1. → 1\.  - x → \- x
        cut = m.end() if m[2][0].isdigit() else len(m[1])
        text = f"{text[:cut]}\\{text[cut:]}"
    if text[:1] in (" ", "\t"):  # indented, where a line or a list item starts, it is code: &#32;
        text = f"&#{ord(text[0])};{text[1:]}"
    return text


def markdown_code(text: str) -> str:
    """A Markdown code span holding `text` as it is (its fence longer than any backtick run in it)."""
    text = terminal(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def spreadsheet(text: str) -> str:
    """For a CSV cell: document-safe, and a leading quote where a spreadsheet would see a formula."""
    text = document(text)
    return "'" + text if formula_like(text) else text


def json_text(text: str) -> str:
    """JSON as json.dumps wrote it, with the characters it leaves raw that a terminal would act on
    written as \\u escapes: the same JSON value, safe on a screen."""
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
