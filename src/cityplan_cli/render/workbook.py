"""An .xlsx package written as it streams: each sheet's rows go into the zip as they are made.

openpyxl and XlsxWriter both make an object for every cell and walk it through their writers, 13 to
20 µs a cell here: a province's ledger has millions of cells, which took them most of two minutes.
This writes a row as one string, with a handful of shared cell formats, and only what the ledger and
the checklists show: text (always text, never a formula), numbers, column widths, frozen header
rows, an autofilter, row outline levels, wrapped, rotated and indented text, fills, a per cent
format, and fills by a cell's value (conditional formats).

Text is made safe here: no character an XML part may not hold (`safe.document`), and Excel's quote
prefix on text it would otherwise take for a formula."""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from cityplan_cli.render.safe import FORMULA_START, xml_text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_INLINE = 't="inlineStr"><is><t xml:space="preserve">'  # a text cell holds its text
_ROWS_PER_WRITE = 512  # rows joined into one write to the zip


def column_letter(n: int) -> str:
    """A, B, …, Z, AA, … for the columns 0, 1, …"""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


@dataclass(frozen=True)
class Style:
    """A cell format."""

    bold: bool = False
    fill: str | None = None  # RRGGBB
    wrap: bool = False  # wrapped, at the top of the cell
    rotation: int = 0
    center: bool = False
    indent: int = 0
    percent: bool = False  # 0%
    quoted: bool = False  # text Excel must not read as a formula


class Sheet:
    """A sheet's rows, written in order from the first (its header rows included)."""

    def __init__(self, book: Workbook, fh: IO[bytes], columns: int) -> None:
        self._book = book
        self._fh = fh
        self._letters = [column_letter(n) for n in range(columns)]
        self._columns = range(columns)
        self._pending: list[str] = []
        self.rows = 0

    def row(self, values: Sequence[Any], styles: Sequence[int], level: int = 0) -> None:
        """One row: `values[n]` in column n with the format `styles[n]` (`Workbook.style`); None is
        an empty cell, a str is text, an int or float a number. `level`: its outline level."""
        self._write(zip(self._columns, values, styles, strict=False), level)

    def sparse(self, cells: Iterable[tuple[int, Any]], style: int) -> None:
        """One row of a few cells far apart: each (column, value), in the order of the columns."""
        self._write(((n, value, style) for n, value in cells), 0)

    def _write(self, cells: Iterable[tuple[int, Any, int]], level: int) -> None:
        self.rows = r = self.rows + 1
        letters, quoted = self._letters, self._book._quoted
        out = []
        for n, value, s in cells:
            if value is None:
                continue
            if value.__class__ is str:
                if value.startswith(FORMULA_START):
                    s = quoted(s)
                out.append(f'<c r="{letters[n]}{r}" s="{s}" {_INLINE}{xml_text(value)}</t></is></c>')
            elif isinstance(value, (int, float)) and math.isfinite(value) and not isinstance(value, bool):
                out.append(f'<c r="{letters[n]}{r}" s="{s}"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"a cell holds text or a number, not {value!r}")
        outline = f' outlineLevel="{level}"' if level else ""
        self._pending.append(f'<row r="{r}"{outline}>{"".join(out)}</row>')
        if len(self._pending) >= _ROWS_PER_WRITE:
            self._flush()

    def _flush(self) -> None:
        self._fh.write("".join(self._pending).encode())
        self._pending.clear()


class Workbook:
    """Sheets written one after the other; `bytes()` closes the package."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._zip = zipfile.ZipFile(self._out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._styles: dict[Style, int] = {Style(): 0}
        self._quoted_of: dict[int, int] = {}
        self._sheets: list[tuple[str, str | None]] = []  # title, autofilter range
        self._dxfs: list[str] = []  # fill colours of the conditional formats

    def style(self, **spec: Any) -> int:
        """The index of a cell format (made once)."""
        return self._styles.setdefault(Style(**spec), len(self._styles))

    def _quoted(self, index: int) -> int:
        found = self._quoted_of.get(index)
        if found is None:
            style = next(s for s, i in self._styles.items() if i == index)
            found = self._quoted_of[index] = self.style(**{**style.__dict__, "quoted": True})
        return found

    @contextmanager
    def sheet(
        self,
        title: str,
        widths: Sequence[tuple[int, int, float]],
        size: tuple[int, int],
        frozen: tuple[int, int] = (0, 0),
        autofilter: bool = True,
        outline: int = 0,
        marks: Mapping[str, str] | None = None,
    ) -> Iterator[Sheet]:
        """A sheet of `size` (rows, columns, the header rows included), each (first, last, width) in
        `widths` the width of columns first to last, `frozen` (rows, columns) the panes kept in
        view, an autofilter over the whole table from the last frozen row, `outline` the deepest
        row outline level (its + and − above the rows each groups), and a fill on every body cell
        of the columns not frozen that holds one of `marks` (text → RRGGBB)."""
        rows, columns = size
        last = _ref(max(rows, 1) - 1, max(columns, 1) - 1)
        fr, fc = frozen
        parts = [_HEAD, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">']
        if outline:
            parts.append('<sheetPr><outlinePr summaryBelow="0"/></sheetPr>')
        parts.append(f'<dimension ref="A1:{last}"/>')
        selected = ' tabSelected="1"' if not self._sheets else ""
        pane = "bottomRight" if fr and fc else "bottomLeft" if fr else "topRight"
        split = (f' xSplit="{fc}"' if fc else "") + (f' ySplit="{fr}"' if fr else "")
        if fr or fc:
            view = f'<pane{split} topLeftCell="{_ref(fr, fc)}" activePane="{pane}" state="frozen"/>'
            view += f'<selection pane="{pane}"/>'
        else:
            view = ""
        parts.append(f'<sheetViews><sheetView{selected} workbookViewId="0">{view}</sheetView></sheetViews>')
        level = f' outlineLevelRow="{outline}"' if outline else ""
        parts.append(f'<sheetFormatPr defaultRowHeight="15"{level}/><cols>')
        parts += [f'<col min="{a + 1}" max="{b + 1}" width="{w}" customWidth="1"/>' for a, b, w in widths]
        parts.append("</cols><sheetData>")
        path = f"xl/worksheets/sheet{len(self._sheets) + 1}.xml"
        filtered = f"A{max(fr, 1)}:{last}" if autofilter and rows > fr else None
        self._sheets.append((title, filtered))
        with self._zip.open(path, "w") as fh:
            fh.write("".join(parts).encode())
            sheet = Sheet(self, fh, columns)
            yield sheet
            sheet._flush()
            if sheet.rows != rows:  # the dimension and the filter, written first, would be wrong
                raise ValueError(f"{title}: {sheet.rows} rows written, {rows} announced")
            tail = ["</sheetData>"]
            if filtered:
                tail.append(f'<autoFilter ref="{filtered}"/>')
            if marks and rows > fr and columns > fc:
                grid = f"{_ref(fr, fc)}:{last}"
                tail.append(f'<conditionalFormatting sqref="{grid}">')
                for priority, (mark, colour) in enumerate(marks.items(), 1):
                    self._dxfs.append(colour)
                    formula = escape(f'"{mark}"')
                    tail.append(
                        f'<cfRule type="cellIs" dxfId="{len(self._dxfs) - 1}" priority="{priority}"'
                        f' operator="equal"><formula>{formula}</formula></cfRule>'
                    )
                tail.append("</conditionalFormatting>")
            tail.append("</worksheet>")
            fh.write("".join(tail).encode())

    def bytes(self) -> bytes:
        """The package: its sheets, then the workbook, the formats and the parts that list them."""
        sheets = range(1, len(self._sheets) + 1)
        files = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in sheets
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
            "xl/workbook.xml": self._workbook(),
            "xl/styles.xml": self._stylesheet(),
        }
        for name, text in files.items():
            # Dated as the sheets are (ZipInfo's default): the same data, the same bytes.
            self._zip.writestr(zipfile.ZipInfo(name), text.encode(), zipfile.ZIP_DEFLATED, 1)
        self._zip.close()
        return self._out.getvalue()

    def _content_types(self) -> str:
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        return (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
            '+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ct}.worksheet+xml"/>'
                for n in range(1, len(self._sheets) + 1)
            )
            + f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>'
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
            for n, (title, _) in enumerate(self._sheets, 1)
        )
        # The autofilter's range, under the name Excel gives it.
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            + escape("'{}'!{}".format(title.replace("'", "''"), re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref)))
            + "</definedName>"
            for n, (title, ref) in enumerate(self._sheets)
            if ref
        )
        return (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><workbookPr/>'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + '<calcPr calcId="191029"/></workbook>'
        )

    def _stylesheet(self) -> str:
        fills = ["none", "gray125"]
        solid = {colour: n for n, colour in enumerate({s.fill: 0 for s in self._styles if s.fill}, 2)}
        xfs = []
        for style in sorted(self._styles, key=self._styles.__getitem__):
            attrs = f'numFmtId="{9 if style.percent else 0}" fontId="{int(style.bold)}"'
            attrs += f' fillId="{solid[style.fill] if style.fill else 0}" borderId="0" xfId="0"'
            if style.percent:
                attrs += ' applyNumberFormat="1"'
            if style.bold:
                attrs += ' applyFont="1"'
            if style.fill:
                attrs += ' applyFill="1"'
            if style.quoted:
                attrs += ' quotePrefix="1"'
            align = ""
            if style.wrap:
                align += ' wrapText="1" vertical="top"'
            if style.rotation:
                align += f' textRotation="{style.rotation}"'
            if style.center:
                align += ' horizontal="center"'
            if style.indent:
                align += f' indent="{style.indent}"'
            if align:
                xfs.append(f'<xf {attrs} applyAlignment="1"><alignment{align}/></xf>')
            else:
                xfs.append(f"<xf {attrs}/>")
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
        return (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            f'<fills count="{len(fills) + len(solid)}">'
            + "".join(f'<fill><patternFill patternType="{p}"/></fill>' for p in fills)
            + "".join(
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c}"/><bgColor indexed="64"/>'
                "</patternFill></fill>"
                for c in solid
            )
            + '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            f'<dxfs count="{len(self._dxfs)}">'
            + "".join(
                f'<dxf><fill><patternFill patternType="solid"><bgColor rgb="FF{c}"/></patternFill>'
                "</fill></dxf>"
                for c in self._dxfs
            )
            + "</dxfs></styleSheet>"
        )
