"""Writing sheets with openpyxl's write-only mode: styled headers, notes, and fast record rows.

Every text cell that could come from a person goes through :func:`safe_text` (or the same rule in
:class:`RowStream`), so it can never become a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: First characters that make a spreadsheet treat text as a formula or command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5D62")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
INTEGER = "#,##0"
RATING = "0.00"
CHANGE = "+0.00;-0.00;0.00"
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_text(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """Text a person typed, kept as text: never a formula, never an illegal XML character."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # a string, whatever it starts with
        cell.quotePrefix = True  # and Excel / LibreOffice keep it text when edited
        return cell
    return value


class Sheet:
    """A write-only sheet with styled headers and number formats."""

    def __init__(self, workbook: Workbook, title: str, widths: Iterable[float] = ()) -> None:
        self.ws: WriteOnlyWorksheet = workbook.create_sheet(sheet_title(title))
        self.widths = list(widths)
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        # Printed or saved as PDF: landscape, as wide as the page, as many pages down as needed.
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.rows = 0

    def cell(
        self, value: object, *, font: Font | None = None, fmt: str | None = None, wrap: bool = False
    ) -> object:
        if value is None:
            return None
        if isinstance(value, str):
            value = safe_text(self.ws, value)
        if font is None and fmt is None and not wrap:
            return value
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self.ws, value=value)
        if font is not None:
            cell.font = font
        if fmt is not None and isinstance(value, int | float):
            cell.number_format = fmt
        if wrap:
            cell.alignment = WRAP
        return cell

    def append(self, values: Iterable[object]) -> None:
        self.ws.append(list(values))
        self.rows += 1

    def header(self, values: Iterable[str], height: float = 32) -> None:
        self.ws.row_dimensions[self.rows + 1].height = height
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.ws, value=value)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            cells.append(cell)
        self.append(cells)

    def numbers(self, values: Iterable[object], fmt: str = INTEGER) -> list:
        return [self.cell(v, fmt=fmt) for v in values]

    def title(self, text: str, font: Font = SECTION_FONT) -> None:
        self.append([self.cell(text, font=font)])

    def blank(self) -> None:
        self.append([])

    def note(self, text: str, column: int = 1) -> None:
        """Wrapped text in ``column``, the row made tall enough to show all of it."""
        width = self.widths[column - 1] if len(self.widths) >= column else 60
        lines = max(1, -(-len(text) * 11 // (width * 10)))  # ~1.1 characters per unit of width
        self.ws.row_dimensions[self.rows + 1].height = 15 * lines
        self.append([*[""] * (column - 1), self.cell(text, wrap=True)])


class RowStream:
    """Writes plain record rows straight into a write-only sheet's XML, below its header.

    openpyxl spends ~15 us a cell (a cell object, type checks, coordinates, one XML element at a
    time); the record sheets hold millions of cells, so they are written here as text instead, cell
    for cell what openpyxl writes (inline strings, numbers, dates with openpyxl's date style).
    Every string is kept as text like :func:`safe_text` does: illegal characters dropped, and a
    formula-like start written as a quote-prefixed string, never a formula.

    Use: append the header through the sheet as usual, then ``write(rows)`` once, which closes the
    sheet: openpyxl has written the sheet up to the header row, the rows go in after it.
    """

    CHUNK = 500

    def __init__(self, sheet: Sheet, columns: int) -> None:
        self.sheet, self.columns = sheet, columns
        self.letters = [get_column_letter(i) for i in range(1, columns + 1)]
        # openpyxl's own date style; registering it here puts it in styles.xml.
        self.date_style = WriteOnlyCell(sheet.ws, value=date(2000, 1, 1)).style_id
        self._quoted_style: int | None = None
        self._dates: dict[date, str] = {}

    @property
    def quoted_style(self) -> int:
        """The style of a quote-prefixed string (registered the first time one is written)."""
        if self._quoted_style is None:
            quoted = WriteOnlyCell(self.sheet.ws, value="")
            quoted.quotePrefix = True
            self._quoted_style = quoted.style_id
        return self._quoted_style

    def _date(self, value: date) -> str:
        serial = self._dates.get(value)
        if serial is None:
            serial = self._dates[value] = safe_string(to_excel(value))
        return serial

    def _row(self, r: int, values: Iterable[object]) -> str:
        parts = [f'<row r="{r}">']
        add = parts.append
        for letter, value in zip(self.letters, values, strict=True):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    add(f'<c r="{letter}{r}" t="inlineStr"/>')
                    continue
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                style = f' s="{self.quoted_style}"' if value.startswith(FORMULA_PREFIXES) else ""
                space = ' xml:space="preserve"' if value != value.strip() else ""
                if "&" in value or "<" in value or ">" in value or "\r" in value:
                    value = (
                        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                        .replace("\r", "&#13;")
                    )  # fmt: skip
                add(f'<c r="{letter}{r}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind is int:
                add(f'<c r="{letter}{r}" t="n"><v>{value}</v></c>')
            elif kind is date:
                add(f'<c r="{letter}{r}" s="{self.date_style}" t="n"><v>{self._date(value)}</v></c>')
            elif kind is float:
                add(f'<c r="{letter}{r}" t="n"><v>{safe_string(value)}</v></c>')
            else:
                raise TypeError(f"unexpected {kind.__name__} in a record row")
        add("</row>")
        return "".join(parts)

    def write(self, rows: Iterable[Iterable[object]]) -> int:
        """Write ``rows`` after the header, set the auto-filter over them; return how many."""
        ws, end = self.sheet.ws, self.letters[-1]
        first = self.sheet.rows + 1
        placeholder = f'ref="A1:{end}{first - 1}"'
        ws.auto_filter.ref = f"A1:{end}{first - 1}"
        ws.close()  # openpyxl writes the sheet, header included, to its temporary file
        path = ws._writer.out
        with open(path, "rb") as existing:
            head, tail = existing.read().split(b"</sheetData>", 1)
        n = 0
        with open(path, "wb") as out:
            out.write(head)
            chunk: list[str] = []
            for n, values in enumerate(rows, start=1):
                chunk.append(self._row(first + n - 1, values))
                if len(chunk) == self.CHUNK:
                    out.write("".join(chunk).encode("utf-8"))
                    chunk.clear()
            out.write("".join(chunk).encode("utf-8"))
            last = first + n - 1
            final = f'ref="A1:{end}{last}"'.encode()
            out.write(b"</sheetData>" + tail.replace(placeholder.encode(), final, 1))
        ws.auto_filter.ref = f"A1:{end}{last}"  # the workbook's filter range is written on save
        self.sheet.rows = last
        return n


def sheet_title(title: str) -> str:
    return _SHEET_TITLE_BAD.sub(" ", title)[:31]
