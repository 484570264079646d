"""Record rows written straight into a write-only sheet's XML (coordinators' row sheets).

Why: openpyxl spends ~10-15 us a cell even in write-only mode with lxml (a cell object, type
checks, its coordinate, one XML element at a time). The record sheets hold millions of cells, so
:class:`RowStream` writes them as text, cell for cell what openpyxl writes. ``python -m
bench.writers`` measures it against openpyxl write-only, XlsxWriter ``constant_memory``,
pyexcelerate and a bare zipfile-plus-XML dump of the same cells (figures in ``bench/RESULTS.md``).

What it relies on in openpyxl (pinned at 3.1.5 in requirements.txt; ``tests/unit/
test_row_stream.py`` checks each of these and fails naming the one that changed):

- ``WriteOnlyWorksheet.close()`` writes the whole sheet (top, the rows appended so far, tail) to
  a temporary file whose path is the private ``ws._writer.out`` (``ws._writer`` is the sheet's
  ``openpyxl.worksheet._writer.WorksheetWriter``); ``ExcelWriter.write_worksheet`` copies that
  file into the zip at ``Workbook.save()`` without writing the sheet again, so rows put into the
  file after ``close()`` are saved. ``ws.closed`` is true from then on.
- That file holds exactly one ``</sheetData>``, after the last row, and the sheet's auto-filter as
  ``<autoFilter ref="...">`` after it: the rows go in before the first, the final range replaces
  the placeholder range in the second. The workbook's ``_xlnm._FilterDatabase`` name is made
  from ``ws.auto_filter.ref`` at save, so that is set to the final range too.
- ``WriteOnlyCell(ws, ...).style_id`` registers the cell's style in the workbook (its
  ``_cell_styles``) and returns its index, the ``s`` attribute: how the date style (openpyxl's
  ``yyyy-mm-dd``) and the quote-prefix style of formula-like text get into ``styles.xml``.
- The cell XML that ``openpyxl.cell._writer.lxml_write_cell`` writes: ``<c r="A2" t="n">``
  ``<v>..</v></c>`` for numbers, ``t="inlineStr"`` with ``<is><t>..</t></is>`` (``xml:space=
  "preserve"`` when the text starts or ends with white space) for text, an empty text as
  ``<c r="A2" t="inlineStr"></c>``, dates as serial numbers (``openpyxl.utils.datetime.to_excel``)
  formatted by ``openpyxl.compat.safe_string``, and ``openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE``
  for the characters XML cannot hold (in :data:`reports.xlsx.NOT_XML`). The contract test writes
  the same rows through openpyxl itself and compares the sheet XML byte for byte.

Rows past Excel's limit (:data:`MAX_ROWS`, the header included) go on to a second sheet, a third
and so on, each made by the caller's factory with the same header, panes, filter and widths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import chain, islice

from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from .xlsx import FORMULA_PREFIXES, NOT_XML, Sheet, sheet_title

#: Rows a sheet holds in Excel (1,048,576), its header included; read at every ``write``, so a
#: test may lower it.
MAX_ROWS = 2**20
#: Any character that needs more than copying: one XML cannot hold (:data:`reports.xlsx.NOT_XML`),
#: or one to escape (``& < >``, and a carriage return, which XML would read back as a line feed).
#: One character class: a search for it is the only cost most texts have.
SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>\r]")
_END = object()

#: Makes sheet number ``part`` (1, 2, ...) of one record table, its header appended.
SheetFactory = Callable[[int], Sheet]


def record_sheets(new_sheet: Callable[[str], Sheet], title: str, headers: list[str]) -> SheetFactory:
    """The sheets of one record table: ``title``, then ``title (2)``... (:func:`sheet_title`), each
    with ``headers`` frozen above the rows (and the first two columns), repeated on every page."""

    def make(part: int) -> Sheet:
        sheet = new_sheet(sheet_title(title, part))
        sheet.freeze("C2", print_rows=1)
        sheet.header(headers)
        return sheet

    return make


class RowStream:
    """Writes plain record rows straight into write-only sheets' XML, below their header.

    Values: ``str`` (exactly: a subclass is refused), ``int``, ``float``, ``date`` (not a
    ``datetime``) and ``None`` (no cell); anything else raises :class:`TypeError`. Every string is
    kept as text as :func:`reports.xlsx.safe_text` keeps it: characters XML cannot hold dropped,
    a formula-like start written as a quote-prefixed string, never a formula.

    ``sheets`` is a :class:`~reports.xlsx.Sheet` with its header appended (then rows past
    :data:`MAX_ROWS` raise :class:`ValueError`) or a :data:`SheetFactory` (:func:`record_sheets`),
    called for the first sheet at once and for each further one when the one before is full.
    ``write(rows)``, once, writes the rows and closes the sheets.
    """

    #: Rows joined and written at a time.
    CHUNK = 1000

    def __init__(self, sheets: Sheet | SheetFactory, columns: int) -> None:
        self.factory: SheetFactory | None = None if isinstance(sheets, Sheet) else sheets
        first = sheets if isinstance(sheets, Sheet) else sheets(1)
        #: The sheets written, in order.
        self.sheets: list[Sheet] = [first]
        self.columns = columns
        self.end = get_column_letter(columns)
        self._heads = [f'<c r="{get_column_letter(i)}' for i in range(1, columns + 1)]
        self._styles(first)
        self._dates: dict[date, str] = {}

    def _styles(self, sheet: Sheet) -> None:
        # The style ids are the workbook's: the same for every sheet of it.
        ws = sheet.ws
        self.date_style = WriteOnlyCell(ws, value=date(2000, 1, 1)).style_id
        quoted = WriteOnlyCell(ws, value="")
        quoted.quotePrefix = True
        self.quoted_style = quoted.style_id

    def _date(self, value: date) -> str:
        serial = self._dates.get(value)
        if serial is None:
            serial = self._dates[value] = safe_string(to_excel(value))
        return serial

    def _rows(self, first: int, rows: Iterable[Iterable[object]]) -> Iterator[str]:
        """The XML of ``rows``, the first numbered ``first``."""
        heads, dates = self._heads, self._dates
        special, prefixes, illegal = SPECIAL.search, FORMULA_PREFIXES, NOT_XML.sub
        quoted = f' s="{self.quoted_style}"'
        dated = f'" s="{self.date_style}" t="n"><v>'
        for r, values in enumerate(rows, start=first):
            parts = [f'<row r="{r}">']
            add = parts.append
            for head, value in zip(heads, values, strict=True):
                kind = type(value)
                if kind is str:
                    if special(value):
                        value = illegal("", value)
                        text = (
                            value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                            .replace("\r", "&#13;")
                        )  # fmt: skip
                    else:
                        text = value
                    if not value:
                        add(f'{head}{r}" t="inlineStr"></c>')
                        continue
                    style = quoted if value.startswith(prefixes) else ""
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    add(f'{head}{r}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
                elif kind is int:
                    add(f'{head}{r}" t="n"><v>{value}</v></c>')
                elif kind is date:
                    serial = dates.get(value) or self._date(value)
                    add(f"{head}{r}{dated}{serial}</v></c>")
                elif kind is float:
                    add(f'{head}{r}" t="n"><v>{safe_string(value)}</v></c>')
                elif value is not None:
                    raise TypeError(f"unexpected {kind.__name__} in a record row")
            add("</row>")
            yield "".join(parts)

    def write(self, rows: Iterable[Iterable[object]]) -> int:
        """Write ``rows`` below the header, sheet after sheet, each with its auto-filter over its
        rows; close the sheets; return how many rows were written in all."""
        pending: Iterator[Iterable[object]] = iter(rows)
        total = 0
        while True:
            sheet = self.sheets[-1]
            room = MAX_ROWS - sheet.rows
            if room <= 0:
                raise ValueError(f"a sheet holds {MAX_ROWS:,} rows, its header takes {sheet.rows:,}")
            total += self._fill(sheet, islice(pending, room))
            upcoming = next(pending, _END)
            if upcoming is _END:
                return total
            if self.factory is None:
                raise ValueError(f"more than {MAX_ROWS:,} rows for one sheet, and no sheet to go on with")
            pending = chain((upcoming,), pending)
            self.sheets.append(self.factory(len(self.sheets) + 1))

    def _fill(self, sheet: Sheet, rows: Iterable[Iterable[object]]) -> int:
        """Close ``sheet`` (openpyxl writes it, header included) and put ``rows`` into its file."""
        ws, end, header = sheet.ws, self.end, sheet.rows
        placeholder = f'ref="A1:{end}{header}"'
        ws.auto_filter.ref = f"A1:{end}{header}"
        ws.close()  # openpyxl writes the sheet, header included, to its temporary file
        path = ws._writer.out
        with open(path, "rb") as existing:
            head, tail = existing.read().split(b"</sheetData>", 1)
        last = header
        with open(path, "wb", buffering=1 << 20) as out:
            out.write(head)
            lines = self._rows(header + 1, rows)
            while chunk := list(islice(lines, self.CHUNK)):
                out.write("".join(chunk).encode())
                last += len(chunk)
            final = f'ref="A1:{end}{last}"'
            out.write(b"</sheetData>" + tail.replace(placeholder.encode(), final.encode(), 1))
        ws.auto_filter.ref = f"A1:{end}{last}"  # the workbook's filter range is written on save
        sheet.rows = last
        return last - header
