"""Bytes to text: encodings, traditional characters, and characters that have no place in a task file.

UTF-8 (with or without BOM) is read as it is; another encoding is detected (GB18030, Big5 …) and named.
Layout characters that converters and copies produce (form feed between PDF pages, vertical tab for a
Word line break, Unicode line and paragraph separators) become line breaks; any other control character
in a text file is refused by line, so that nothing invisible reaches the TOML."""

from __future__ import annotations

import re2

from cityplan_cli.errors import CityplanError, Finding
from cityplan_cli.i18n import N_, _

_SAMPLE = 20_000  # characters
_HAN = re2.compile(r"[\x{4e00}-\x{9fff}]")
# Line breaks in all but name: form feed, vertical tab, NEL, LINE and PARAGRAPH SEPARATOR.
_LAYOUT = str.maketrans({"\f": "\n", "\v": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
# C0 and C1 controls other than tab, line feed and carriage return; DEL; a BOM inside the text.
_CONTROL = re2.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\x{feff}]")


def decode(raw: bytes) -> tuple[str, list[str]]:
    """The text of an input file, with notes on how it was read."""
    if not raw.strip():
        raise CityplanError(_("the input is empty"))
    if b"\x00" in raw:
        raise CityplanError(_("the input is not text (it holds NUL bytes): give a .txt copy of the document"))
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or not _HAN.search(str(best)):
        raise CityplanError(_("the input is neither UTF-8 nor a Chinese encoding that can be recognised"))
    return str(best), [Finding(N_("read as {encoding}, not UTF-8"), encoding=best.encoding)]


MAX_BYTES = 30_000_000  # a file larger than this holds no document's text
MAX_CHARS = 1_000_000  # the longest plans run to a few hundred thousand characters
MAX_LINES = 100_000


def check_size(text: str) -> None:
    """Refuse a text longer than any document (or collection of documents) is."""
    if len(text) > MAX_CHARS:
        raise CityplanError(
            _("{count:,} characters: more than any document holds (at most {most:,})").format(
                count=len(text), most=MAX_CHARS
            )
        )
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise CityplanError(
            _("{count:,} lines: more than any document holds (at most {most:,})").format(
                count=lines, most=MAX_LINES
            )
        )


def layout(text: str) -> str:
    """Layout characters as line breaks."""
    return text.translate(_LAYOUT)


def refuse_controls(text: str) -> None:
    """Refuse text that holds a control character, naming its line."""
    m = _CONTROL.search(text)
    if m is None:
        return
    line = text.count("\n", 0, m.start()) + 1
    raise CityplanError(
        _("line {line}: holds the control character U+{code:04X}: not a document's text").format(
            line=line, code=ord(m.group())
        )
    )


def drop_controls(text: str) -> str:
    """A converter's stray control characters (field marks, cell ends) removed."""
    return _CONTROL.sub("", text)


def to_simplified(text: str) -> tuple[str, bool]:
    """Text in traditional characters converted to simplified; simplified text left as it is."""
    import opencc

    converter = opencc.OpenCC("t2s")
    # A simplified text still has a few characters OpenCC would change (著, 乾 …): only a text with
    # many of them is traditional. A sample decides; a document is written in one script.
    sample = text[:_SAMPLE]
    converted = converter.convert(sample)
    han = sum("\u4e00" <= c <= "\u9fff" for c in sample) or 1
    changed = sum(a != b for a, b in zip(sample, converted, strict=False))
    if len(converted) == len(sample) and changed / han > 0.03:
        return converter.convert(text), True
    return text, False
