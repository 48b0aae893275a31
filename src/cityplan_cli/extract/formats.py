"""The files offices receive, read as text: .txt in any encoding, .docx (paragraphs and tables), .xlsx
and .csv tables, .pdf with a text layer (tables included), and .doc / .wps / .rtf through LibreOffice.

Every reader gives the same thing: lines of text, a table's rows rendered one a line with their cells
separated by ` | ` (the form the outline reads as a table), and for each line where it came from
(table 2, row 5; page 3), for the report."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import re2

from cityplan_cli.errors import CityplanError, Finding, listing, os_reason, shown
from cityplan_cli.extract.decoding import (
    MAX_BYTES,
    check_size,
    decode,
    drop_controls,
    layout,
    refuse_controls,
)
from cityplan_cli.i18n import N_, _

CELL_SEPARATOR = " | "
CONVERTED = (".doc", ".wps", ".rtf", ".odt", ".wpt", ".dot")
SHEETS = (".xlsx", ".xlsm")
KNOWN = (".txt", ".text", ".docx", ".csv", ".pdf", *SHEETS, *CONVERTED)
LEDGER_SHEET = "任务总表"  # the ledger `cityplan export` writes: its task sheet is the one to read
_SPACES = re2.compile(r"[ \t\x{3000}\x{a0}]+")
# A page number as printed at the foot of a page: "— 3 —", "- 3 -", "3", "第3页".
_PAGE_NUMBER = re2.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?[-—–\s]*(?:/\s*\d{1,4}\s*)?$")
# A break inside a cell is a separator after a unit's name, a wrap anywhere else.
_NAME_END = "委厅局办府会室院部处社"
_SENTENCE_END = "。;；:：!！?？)）】]"


@dataclass
class Source:
    text: str
    notes: list[str] = field(default_factory=list)
    origins: dict[int, str] = field(default_factory=dict)  # line number → where it came from
    kind: str = "text"


class _Lines:
    """Lines being built, with where each came from."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origins: dict[int, str] = {}

    def add(self, text: str, origin: str = "") -> None:
        for part in layout(text).split("\n"):
            self.lines.append(part)
            if origin:
                self.origins[len(self.lines)] = origin

    def row(self, cells: Iterable[str], origin: str) -> None:
        self.add(CELL_SEPARATOR.join(cells), origin)

    def source(self, notes: list[str], kind: str) -> Source:
        text = drop_controls("\n".join(self.lines))
        return Source(text, notes, self.origins, kind)


def read_source(path: Path) -> Source:
    """The text of `path`, by its extension."""
    source = _read(path)
    try:
        check_size(source.text)
    except CityplanError as exc:
        raise CityplanError(f"{path}: {exc}") from None
    return source


def _read(path: Path) -> Source:
    suffix = path.suffix.lower()
    try:
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            size = path.stat().st_size / 1e6
            raise CityplanError(
                _("{path}: {size:.0f} MB: more than any document holds").format(path=path, size=size)
            )
        if suffix in CONVERTED:
            return _converted(path)
        raw = path.read_bytes()
    except OSError as exc:
        raise CityplanError(
            _("{path}: cannot read: {why}").format(path=path, why=shown(os_reason(exc)))
        ) from None
    try:
        if suffix == ".docx":
            return _docx(raw)
        if suffix in SHEETS:
            return _xlsx(raw)
        if suffix == ".csv":
            return _csv(raw)
        if suffix == ".pdf" or raw.startswith(b"%PDF-"):
            return _pdf(raw)
        if raw.startswith(b"PK\x03\x04"):
            raise CityplanError(
                _("a zip archive: name it .docx or .xlsx if it is one (read: {formats})").format(
                    formats=listing(KNOWN)
                )
            )
        if raw.startswith(b"\xd0\xcf\x11\xe0"):
            raise CityplanError(
                _("an old Office file (.doc, .xls): name it .doc to convert it, or save it as .docx")
            )
        text, notes = decode(raw)
        text = layout(text)
        refuse_controls(text)
        return Source(text, notes, {}, "text")
    except CityplanError as exc:
        raise CityplanError(f"{path}: {exc}") from None


def _cell(text: str | None, wrapped: bool = False) -> str:
    """A cell's text on one line. An explicit break (Word, Excel) separates; a PDF break is a wrap
    unless it follows a unit's name."""
    if not text:
        return ""
    parts = [p.strip() for p in layout(str(text)).split("\n") if p.strip()]
    out = ""
    for part in parts:
        if not out:
            out = part
        elif not wrapped or out[-1] in _NAME_END or out[-1] in _SENTENCE_END:
            out += " " + part
        else:
            out += part
    return _SPACES.sub(" ", out.replace("|", "｜")).strip()


def _rows(lines: _Lines, rows: Iterable[Iterable[str | None]], where: Finding, wrapped: bool = False) -> None:
    previous = None
    n = 0
    for raw in rows:
        n += 1
        cells = [_cell(c, wrapped) for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not any(cells):
            continue
        if cells == previous:  # a row repeated by a merged cell spanning it
            continue
        previous = cells
        lines.row(cells, Finding(N_("{where}, row {row}"), where=where, row=n))
    lines.add("")


def _docx(raw: bytes) -> Source:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        doc = Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise CityplanError(_("not a Word document that can be read ({why})").format(why=exc)) from None
    except Exception as exc:  # lxml and zipfile raise their own errors on a damaged file
        raise CityplanError(_("a damaged Word document ({why})").format(why=type(exc).__name__)) from None
    lines = _Lines()
    tables = 0
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            # python-docx gives a merged cell once per grid column it spans: the row reads as a person
            # reading the table would, the merged value in each column.
            rows = ([cell.text for cell in row.cells] for row in block.rows)
            _rows(lines, rows, Finding(N_("table {table}"), table=tables))
        else:
            lines.add(block.text)
    return lines.source([], "docx")


def _xlsx(raw: bytes) -> Source:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise CityplanError(
            _("not an Excel workbook that can be read ({why})").format(why=type(exc).__name__)
        ) from None
    sheets = [wb[LEDGER_SHEET]] if LEDGER_SHEET in wb.sheetnames else list(wb.worksheets)
    lines = _Lines()
    for ws in sheets:
        grid = [[_value(c) for c in row] for row in ws.iter_rows()]
        # A merged range holds its value in its top-left cell: every cell it covers reads it.
        for merged in ws.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1] if grid else None
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = value
        _rows(lines, grid, Finding(N_("sheet {sheet}"), sheet=ws.title))
    return lines.source([], "xlsx")


def _value(cell) -> str | None:
    import datetime as dt

    value = cell.value
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv(raw: bytes) -> Source:
    text, notes = decode(raw)
    text = text.replace("\r\n", "\n")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    lines = _Lines()
    try:
        _rows(lines, csv.reader(io.StringIO(text), dialect), "csv")
    except csv.Error as exc:
        raise CityplanError(_("not a CSV table that can be read ({why})").format(why=exc)) from None
    return lines.source(notes, "csv")


def _pdf(raw: bytes) -> Source:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    lines = _Lines()
    tables = 0
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                chars += len(page.chars)
                found = page.find_tables()
                boxes = [t.bbox for t in found]
                # The words outside the tables, then each table, in the order they stand on the page.
                blocks: list[tuple[float, str, object]] = []
                outside = page.filter(lambda o, boxes=boxes: not _inside(o, boxes))
                for line in outside.extract_text_lines(return_chars=False):
                    blocks.append((line["top"], "line", line["text"]))
                for table in found:
                    blocks.append((table.bbox[1], "table", table.extract()))
                blocks.sort(key=lambda b: b[0])
                paragraph: list[str] = []
                for _top, kind, content in blocks:
                    if kind == "line":
                        text = str(content).strip()
                        if not _PAGE_NUMBER.match(text):
                            paragraph.append(text)
                        continue
                    _flush(lines, paragraph, Finding(N_("page {page}"), page=number))
                    tables += 1
                    rows = _unmerge(content)  # type: ignore[arg-type]
                    _rows(
                        lines,
                        rows,
                        Finding(N_("table {table}, page {page}"), table=tables, page=number),
                        wrapped=True,
                    )
                _flush(lines, paragraph, Finding(N_("page {page}"), page=number))
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise CityplanError(_("not a PDF that can be read ({why})").format(why=type(exc).__name__)) from None
    except Exception as exc:  # pdfminer raises its own kinds on damaged files
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise CityplanError(
                _("not a PDF that can be read ({why})").format(why=type(exc).__name__)
            ) from None
        raise
    if chars == 0:
        raise CityplanError(
            _("a scanned PDF without a text layer: run OCR on it, or give a Word or text copy")
        )
    return lines.source([], "pdf")


def _unmerge(rows: list[list[str | None]]) -> list[list[str | None]]:
    """pdfplumber gives None where a merged cell covers the grid: a row spanned by one cell reads it
    in every column; a cell merged down reads the one above it."""
    out: list[list[str | None]] = []
    for row in rows:
        present = [c for c in row if c is not None]
        if len(present) == 1 and len(row) > 1:
            out.append([present[0]] * len(row))
            continue
        above = out[-1] if out else []
        out.append([above[i] if c is None and i < len(above) else c for i, c in enumerate(row)])
    return out


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _flush(lines: _Lines, paragraph: list[str], origin: str) -> None:
    """A PDF's printed lines joined back into paragraphs: a line continues into the next unless it
    ends a sentence or the next one starts a numbered item or a label."""
    from cityplan_cli.extract.outline import starts_paragraph

    current = ""
    for text in paragraph:
        if current and (current[-1] in _SENTENCE_END or starts_paragraph(text)):
            lines.add(current, origin)
            current = ""
        current += text
    if current:
        lines.add(current, origin)
    paragraph.clear()


def _converted(path: Path) -> Source:
    """An old Word, WPS or RTF file, converted to .docx by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise CityplanError(
            _(
                "{path}: reading {suffix} files needs LibreOffice's soffice, which is not installed "
                "(apt-get install libreoffice-writer-nogui), or save the file as .docx"
            ).format(path=path, suffix=path.suffix)
        )
    if not path.is_file():
        raise CityplanError(_("{path}: cannot read: no such file").format(path=path))
    with tempfile.TemporaryDirectory(prefix="cityplan-") as tmp:
        profile = Path(tmp, "profile").as_uri()  # a profile of its own: another soffice may be running
        try:
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx"]
            subprocess.run(
                [*command, "--outdir", tmp, str(path)],
                capture_output=True,
                timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise CityplanError(
                _("{path}: LibreOffice took more than 2 minutes to convert it").format(path=path)
            ) from None
        converted = Path(tmp, path.stem + ".docx")
        if not converted.exists():
            raise CityplanError(_("{path}: LibreOffice could not convert it to .docx").format(path=path))
        source = _docx(converted.read_bytes())
    source.notes.append(Finding(N_("converted from {suffix} by LibreOffice"), suffix=path.suffix))
    return source
