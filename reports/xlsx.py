"""Writing sheets with openpyxl's write-only mode: styled headers, numbers, hidden cells, notes.

Every text cell that could come from a person goes through :func:`safe_text` (or the same rule in
:class:`reports.row_stream.RowStream`, which writes the record rows), so it can never become a
formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

#: First characters that make a spreadsheet treat text as a formula or command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Named, so that a font without a name never falls back to a serif one (LibreOffice does).
FONT = "Calibri"
BOLD = Font(name=FONT, bold=True)
WARNING_FONT = Font(name=FONT, bold=True, color="B71C1C")
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5D62")
TITLE_FONT = Font(name=FONT, bold=True, size=14)
SECTION_FONT = Font(name=FONT, bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
INTEGER = "#,##0"
RATING = "0.00"
CHANGE = "+0.00;-0.00;0.00"
PERCENT = "0.0%"
PERCENT_CHANGE = "+0%;-0%;0%"
SHARE = "0.0"
#: A hidden donor number: an empty cell with this fill (and a comment saying why).
HIDDEN_FILL = PatternFill("solid", fgColor="BFBFBF")
#: A number hidden because, with the total, it would give a hidden one away (``*``).
COMPLEMENT_FILL = PatternFill("solid", fgColor="D9D2E9")
CONFIDENTIAL_FONT = Font(name=FONT, bold=True, color="FFFFFF")
CONFIDENTIAL_FILL = PatternFill("solid", fgColor="B71C1C")
#: Excel refuses a header or footer longer than 255 characters, codes included: a longer
#: confidential note is left to the header's mark and the Overview.
MAX_FOOTER_NOTE = 180
#: Sheets wider than this (in column width units, about one character each) print landscape.
PORTRAIT_WIDTH = 100
#: Reasons a donor number is hidden, each with its comment (:class:`Hiding`).
SMALL, COMPLEMENT, FEW, DERIVED = "small", "complement", "few", "derived"
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
#: Characters an XML file cannot hold: openpyxl's ``ILLEGAL_CHARACTERS_RE`` (control characters
#: but tab, line feed and carriage return) and the non-characters U+FFFE and U+FFFF, which lxml
#: refuses (openpyxl would fail on them) and Excel too. Dropped from every text written.
NOT_XML = re.compile(rf"{ILLEGAL_CHARACTERS_RE.pattern}|[\ufffe\uffff]")


def safe_text(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """Text a person typed, kept as text: never a formula, never an illegal XML character."""
    if NOT_XML.search(value):
        value = NOT_XML.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # a string, whatever it starts with
        cell.quotePrefix = True  # and Excel / LibreOffice keep it text when edited
        return cell
    return value


#: Per workbook: the style array openpyxl made for each combination of styles (:func:`styled`).
_STYLE_ARRAYS: WeakKeyDictionary[Workbook, dict[tuple, tuple]] = WeakKeyDictionary()


def _set_styles(
    cell: Cell, font: Font | None, fill: PatternFill | None, alignment: Alignment | None, fmt: str | None
) -> None:
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if fmt is not None:
        cell.number_format = fmt


def styled(
    sheet: WriteOnlyWorksheet,
    value: object,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
    fmt: str | None = None,
) -> Cell:
    """A cell holding ``value`` (or ``value`` itself, if a cell) with these styles.

    openpyxl's style setters hash the font, fill and alignment for every cell they are set on,
    which was most of the styling time of a small workbook (headers on thirteen sheets). Here each
    combination goes through those setters once per workbook, on a probe cell, and the cells
    after it take a copy of the style array that made (what the setters would have made).
    A cell already styled (a quote-prefixed text) is styled through the setters, keeping it."""
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
    if cell._style is not None and any(cell._style):
        _set_styles(cell, font, fill, alignment, fmt)
        return cell
    arrays = _STYLE_ARRAYS.setdefault(sheet.parent, {})
    key = (id(font), id(fill), id(alignment), fmt)
    made = arrays.get(key)
    if made is None:
        probe = WriteOnlyCell(sheet)
        _set_styles(probe, font, fill, alignment, fmt)
        # The style objects are kept beside their array, so no other object takes their ids.
        made = arrays[key] = (probe._style, font, fill, alignment)
    cell._style = copy(made[0])
    return cell


@dataclass(frozen=True)
class Hiding:
    """How a hidden donor number is written: an empty cell (so columns still sum and chart) with a
    fill and a comment saying why. ``comments`` maps a reason (:data:`SMALL`, :data:`COMPLEMENT`,
    :data:`FEW`, :data:`DERIVED`) to its translated comment; ``small`` is the mark the tables use
    for a small count (``"<5"``), ``"*"`` the complementary one."""

    small: str
    comments: dict[str, str]
    author: str = "Yntymak"

    def reason(self, value: object) -> str | None:
        if value == self.small:
            return SMALL
        if value == "*":
            return COMPLEMENT
        return None


@dataclass(frozen=True)
class PageFrame:
    """What every printed page carries: report and sheet name and period in the header, page
    numbers in the footer, and for coordinators a confidential mark in both."""

    title: str
    period: str
    pages: str  #: "Page &P of &N", translated, with the header codes in place
    confidential: str | None = None  #: a short word for the header centre
    confidential_note: str | None = None  #: the full sentence for the footer


def _hf(text: str) -> str:
    """Text for a header or footer section: ``&`` is a code there, so it is doubled."""
    return text.replace("&", "&&")


class Sheet:
    """A write-only sheet with styled headers, number formats, hidden cells and print settings."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        widths: Iterable[float] = (),
        *,
        hiding: Hiding | None = None,
        frame: PageFrame | None = None,
        landscape: bool | None = None,
    ) -> None:
        self.ws: WriteOnlyWorksheet = workbook.create_sheet(sheet_title(title))
        self.widths = list(widths)
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.hiding = hiding
        #: Reasons of the hidden cells written so far (for the legend below the tables).
        self.hidden: set[str] = set()
        # Printed or saved as PDF: as wide as the page, as many pages down as needed; landscape
        # when the columns are wider than a portrait page.
        if landscape is None:
            landscape = sum(self.widths) > PORTRAIT_WIDTH
        self.ws.page_setup.orientation = "landscape" if landscape else "portrait"
        self.ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_options.horizontalCentered = False
        if frame is not None:
            self._frame(frame)
        self.rows = 0

    def _frame(self, frame: PageFrame) -> None:
        header, footer = self.ws.oddHeader, self.ws.oddFooter
        header.left.text = f"{_hf(frame.title)} – &A"
        header.left.size = 9
        header.right.text = _hf(frame.period)
        header.right.size = 9
        footer.right.text = frame.pages
        footer.right.size = 9
        if frame.confidential:
            header.center.text = _hf(frame.confidential)
            header.center.font, header.center.color, header.center.size = "-,Bold", "B71C1C", 11
        if frame.confidential_note and len(frame.confidential_note) <= MAX_FOOTER_NOTE:
            footer.left.text = _hf(frame.confidential_note)
            footer.left.font, footer.left.color, footer.left.size = "-,Bold", "B71C1C", 8

    def freeze(self, cell: str, print_rows: int | None = None) -> None:
        """Freeze the rows above and the columns left of ``cell``; with ``print_rows``, repeat the
        first that many rows at the top of every printed page. Before the first row: a
        write-only sheet writes its view with the first row."""
        assert self.rows == 0, "freeze a write-only sheet before writing to it"
        self.ws.freeze_panes = cell
        if print_rows:
            self.ws.print_title_rows = f"1:{print_rows}"

    def cell(
        self, value: object, *, font: Font | None = None, fmt: str | None = None, wrap: bool = False
    ) -> object:
        if value is None:
            return None
        if isinstance(value, str):
            value = safe_text(self.ws, value)
        if font is None and fmt is None and not wrap:
            return value
        number = fmt if isinstance(value, int | float) else None
        return styled(self.ws, value, font=font, alignment=WRAP if wrap else None, fmt=number)

    def append(self, values: Iterable[object]) -> None:
        self.ws.append(list(values))
        self.rows += 1

    def header(self, values: Iterable[str], height: float = 32, *, span: int | None = None) -> None:
        """A styled header row; with ``span``, its last cell merged up to column ``span``."""
        row = self.rows + 1
        self.ws.row_dimensions[row].height = height
        cells = []
        for value in values:
            cells.append(styled(self.ws, value, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP))
        if span is not None and span > len(cells):
            self.ws.merged_cells.add(f"{get_column_letter(len(cells))}{row}:{get_column_letter(span)}{row}")
        self.append(cells)

    def numbers(self, values: Iterable[object], fmt: str = INTEGER) -> list:
        """Number cells; a hidden donor count (``"<5"``, ``"*"``) becomes an empty marked cell."""
        cells = []
        for value in values:
            reason = self.hiding.reason(value) if self.hiding is not None else None
            cells.append(self.hidden_cell(reason, fmt) if reason else self.cell(value, fmt=fmt))
        return cells

    def hidden_cell(self, reason: str, fmt: str = INTEGER) -> WriteOnlyCell:
        """An empty number cell marked as hidden for ``reason``: a fill and a comment."""
        assert self.hiding is not None, "coordinators' numbers are never hidden"
        cell = styled(self.ws, None, fill=COMPLEMENT_FILL if reason == COMPLEMENT else HIDDEN_FILL, fmt=fmt)
        cell.comment = Comment(self.hiding.comments[reason], self.hiding.author, height=70, width=240)
        self.hidden.add(reason)
        return cell

    def legend(self, lines: dict[str, str], last_column: int | None = None, *, every: bool = False) -> None:
        """One line per reason of the hidden cells written so far (``every``: per reason in
        ``lines``), its text shaded as those cells are."""
        for reason in (SMALL, COMPLEMENT, FEW, DERIVED):
            if (every or reason in self.hidden) and reason in lines:
                fill = COMPLEMENT_FILL if reason == COMPLEMENT else HIDDEN_FILL
                self.text(lines[reason], last=last_column, fill=fill)

    def title(self, text: str, font: Font = SECTION_FONT) -> None:
        self.append([self.cell(text, font=font)])

    def blank(self) -> None:
        self.append([])

    def text(
        self,
        text: str,
        *,
        first: int = 1,
        last: int | None = None,
        before: list | None = None,
        font: Font | None = None,
        fill: PatternFill | None = None,
    ) -> None:
        """Wrapped text from column ``first`` to ``last`` (merged; default: the last column with a
        width), the row made tall enough to show all of it; ``before`` fills the columns left of
        ``first``, aligned to the top as the text is."""
        last = last or max(len(self.widths), first)
        width = sum(self.widths[first - 1 : last]) or 60
        self.ws.row_dimensions[self.rows + 1].height = 15 * text_lines(text, width)
        if last > first:
            row = self.rows + 1
            self.ws.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")
        cells = []
        for value in before or []:
            cells.append(styled(self.ws, value, alignment=TOP))
        cells += [""] * (first - 1 - len(cells))
        cell = styled(self.ws, safe_text(self.ws, text), font=font, fill=fill, alignment=WRAP)
        self.append([*cells, cell])


def text_lines(text: str, width: float) -> int:
    """Lines that ``text`` wraps to in a cell ``width`` units wide (a unit is the width of a
    digit; a letter of running text takes a little less, Cyrillic included)."""
    per_line = max(1, int(width * 1.0))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def sheet_title(title: str, part: int = 1) -> str:
    """A sheet name Excel takes: none of ``[]:*?/\\``, at most 31 characters; from ``part`` 2 on,
    `` (2)``... after it (the title shortened to make room), for a table continued on more sheets."""
    suffix = f" ({part})" if part > 1 else ""
    return _SHEET_TITLE_BAD.sub(" ", title)[: 31 - len(suffix)] + suffix
