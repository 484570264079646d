"""RowStream's contract: the record rows it writes are, byte for byte, what openpyxl writes for the
same values; reopened with openpyxl (normal and read-only) every cell has its value, type, number
format and style; the auto-filter, frozen panes, widths and print titles are the sheet's; past the
row limit the rows go on to further sheets. The openpyxl internals it relies on are checked one by
one (see the docstring of :mod:`reports.row_stream`): if an upgrade changes one, a test here fails
naming it.
"""

from __future__ import annotations

import inspect
import math
import re
import uuid
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from reports import row_stream
from reports.row_stream import SPECIAL, RowStream, record_sheets
from reports.xlsx import FORMULA_PREFIXES, HEADER_FILL, HEADER_FONT, NOT_XML, WRAP, Sheet, sheet_title

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["Text", "Number", "Date", "Fraction", "Free text"]
WIDTHS = (30, 8, 11, 9, 50)
LONG = "Долгий текст & <разметка> " * 1150  # ~29,900 characters (Excel holds 32,767 in a cell)
#: Every kind of value RowStream takes, in the columns of HEADERS.
ROWS = [
    ["plain", 1, date(2025, 1, 31), 0.5, "Кириллица: встреча в айыл окмоту"],
    ["=1+1", 0, date(1900, 1, 1), -1.25, '=HYPERLINK("http://x","y")'],
    ["@x", -3, date(1900, 3, 1), 1e-7, "+996 не номер"],
    ["-3", 2**40, date(2099, 12, 31), 12345.678, "\t=tab first"],
    ["\r=1", 7, None, None, "line one\nline two\r\nline three"],
    [" padded ", None, date(2025, 6, 30), 3.0, "a & b < c > d \"quoted\" 'single'"],
    ["bell\x07and\x00nul\x1f", 5, None, 0.1, "\x01\x02"],
    ["", 12, None, math.pi, "non-characters \ufffe\uffff gone"],
    [None, None, None, None, LONG],
    ["emoji 🙂 and ñ", 1, date(2024, 2, 29), 2.5e15, "trailing space "],
]


def _setup(workbook: Workbook, title: str = "Records") -> row_stream.SheetFactory:
    return record_sheets(lambda name: Sheet(workbook, name, WIDTHS), title, HEADERS)


def _stream(rows: list[list]) -> tuple[bytes, int, RowStream]:
    workbook = Workbook(write_only=True)
    stream = RowStream(_setup(workbook), len(HEADERS))
    count = stream.write(rows)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count, stream


def _openpyxl(rows: list[list]) -> bytes:
    """The same rows through openpyxl's own cells (:meth:`Sheet.cell`, so :func:`safe_text`)."""
    workbook = Workbook(write_only=True)
    sheet = _setup(workbook)(1)
    # The two styles RowStream registers first, in its order, so that the style ids agree.
    WriteOnlyCell(sheet.ws, value=date(2000, 1, 1)).style_id  # noqa: B018
    quoted = WriteOnlyCell(sheet.ws, value="")
    quoted.quotePrefix = True
    quoted.style_id  # noqa: B018
    for row in rows:
        sheet.append([sheet.cell(value) for value in row])
    sheet.ws.auto_filter.ref = f"A1:E{sheet.rows}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _part(raw: bytes, name: str) -> bytes:
    with zipfile.ZipFile(BytesIO(raw)) as archive:
        return archive.read(name)


def _utf8(xml: bytes) -> bytes:
    """openpyxl (lxml's xmlfile) writes a character outside ASCII as a character reference,
    RowStream as UTF-8: the same XML. Written as UTF-8 here, to compare the rest byte for byte."""
    return re.sub(rb"&#(\d+);", lambda m: chr(int(m[1])).encode() if int(m[1]) > 127 else m[0], xml)


def _expected(value: object) -> object:
    """What openpyxl reads back: text without the characters XML cannot hold, "" as no value."""
    if isinstance(value, str):
        value = NOT_XML.sub("", value)
        return value or None
    if isinstance(value, date):
        return datetime.combine(value, time())
    return value


def test_openpyxl_is_the_pinned_version():
    pin = re.search(r"^openpyxl==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert pin, "requirements.txt must pin openpyxl (RowStream relies on its internals)"
    assert openpyxl.__version__ == pin.group(1), (
        f"openpyxl {openpyxl.__version__} installed, {pin.group(1)} pinned: RowStream writes openpyxl's "
        "sheet files itself; check every internal named in reports/row_stream.py before moving the pin"
    )
    assert openpyxl.LXML, "openpyxl does not use lxml: its cell writer is then etree_write_cell, not lxml's"


def test_the_sheet_xml_is_byte_for_byte_openpyxls():
    ours, count, _ = _stream(ROWS)
    theirs = _openpyxl(ROWS)
    assert count == len(ROWS)
    for part in ("xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"):
        mine, reference = _part(ours, part), _utf8(_part(theirs, part))
        at = next((i for i, (a, b) in enumerate(zip(mine, reference, strict=False)) if a != b), None)
        assert mine == reference, (
            f"{part} differs from what openpyxl.cell._writer.lxml_write_cell writes for the same cells"
            f" (at byte {at}): ours {mine[at - 80 : at + 80] if at else mine[-160:]!r}, openpyxl's "
            f"{reference[at - 80 : at + 80] if at else reference[-160:]!r}"
        )


@pytest.mark.parametrize("read_only", [False, True])
def test_each_cell_reads_back_as_written(read_only):
    raw, _count, _ = _stream(ROWS)
    workbook = load_workbook(BytesIO(raw), read_only=read_only)
    assert workbook.sheetnames == ["Records"]
    rows = list(workbook["Records"].iter_rows())
    header = rows[0]
    assert [c.value for c in header] == HEADERS
    for cell in header:
        assert cell.font.b and cell.font.color.rgb == HEADER_FONT.color.rgb, cell.coordinate
        assert cell.fill.fgColor.rgb == HEADER_FILL.fgColor.rgb and cell.fill.fill_type == "solid"
        assert cell.alignment.wrap_text == WRAP.wrap_text and cell.alignment.vertical == "top"
    assert len(rows) == len(ROWS) + 1
    for values, cells in zip(ROWS, rows[1:], strict=True):
        by_column = {c.column: c for c in cells if c.value is not None}
        for column, value in enumerate(values, start=1):
            cell = by_column.get(column)
            expected = _expected(value)
            if expected is None:
                assert cell is None, (column, value, cell)
                continue
            where = f"{cell.coordinate} {value!r:.40}"
            assert cell.value == expected, where
            if isinstance(value, str):
                assert cell.data_type == "s", where  # text, never a formula
                assert cell.number_format == "General", where
                quoted = expected.startswith(FORMULA_PREFIXES)
                style = cell.style_array if read_only else cell._style  # a read-only cell has no quotePrefix
                assert bool(style.quotePrefix) is quoted, where
            elif isinstance(value, date):
                assert cell.is_date and cell.number_format == "yyyy-mm-dd", where
            else:
                assert cell.data_type == "n" and cell.number_format == "General", where
                # A whole float is written as openpyxl writes it ("3"), so reads back as an int.
                assert type(cell.value) is (int if value == int(value) else float), where


def test_sheet_settings_are_kept():
    raw, _count, _ = _stream(ROWS)
    sheet = load_workbook(BytesIO(raw))["Records"]
    assert sheet.auto_filter.ref == f"A1:E{len(ROWS) + 1}"
    assert sheet.freeze_panes == "C2"
    assert sheet.print_title_rows == "$1:$1"
    for letter, width in zip("ABCDE", WIDTHS, strict=True):
        assert sheet.column_dimensions[letter].width == width, letter
    names = _part(raw, "xl/workbook.xml").decode()
    assert f"'Records'!$A$1:$E${len(ROWS) + 1}</definedName>" in names  # _xlnm._FilterDatabase


def test_no_rows_leaves_the_header_and_its_filter():
    raw, count, _ = _stream([])
    sheet = load_workbook(BytesIO(raw))["Records"]
    assert count == 0
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [HEADERS]
    assert sheet.auto_filter.ref == "A1:E1"


@pytest.mark.parametrize(
    "value",
    [datetime(2025, 1, 1, 12), True, uuid.uuid4(), Decimal("1.5"), time(8), b"x", type("S", (str,), {})("x")],
)
def test_other_values_are_refused(value):
    with pytest.raises(TypeError, match="in a record row"):
        _stream([["x", 1, None, None, value]])


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError):
        _stream([["x", 1]])


def test_rows_past_the_limit_go_on_to_more_sheets(monkeypatch):
    monkeypatch.setattr(row_stream, "MAX_ROWS", 5)  # the header and 4 rows a sheet
    rows = [[f"row {n}", n, date(2025, 1, 1 + n), n / 2, "=x"] for n in range(11)]
    raw, count, stream = _stream(rows)
    assert count == 11
    assert len(stream.sheets) == 3
    workbook = load_workbook(BytesIO(raw))
    assert workbook.sheetnames == ["Records", "Records (2)", "Records (3)"]
    seen = []
    for name, filtered in zip(workbook.sheetnames, ("A1:E5", "A1:E5", "A1:E4"), strict=True):
        sheet = workbook[name]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0] == HEADERS, name
        assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == HEADER_FILL.fgColor.rgb, name
        assert sheet.auto_filter.ref == filtered, name
        assert sheet.freeze_panes == "C2", name
        assert sheet.print_title_rows == "$1:$1", name
        assert [sheet.column_dimensions[c].width for c in "ABCDE"] == list(WIDTHS), name
        assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["E2"].quotePrefix, name
        seen += values[1:]
    assert [row[0] for row in seen] == [f"row {n}" for n in range(11)]
    assert [row[1] for row in seen] == list(range(11))


def test_rows_that_fill_the_last_sheet_exactly_make_no_empty_one(monkeypatch):
    monkeypatch.setattr(row_stream, "MAX_ROWS", 5)
    raw, count, _ = _stream([["x", n, None, None, None] for n in range(8)])
    assert count == 8
    assert load_workbook(BytesIO(raw)).sheetnames == ["Records", "Records (2)"]


def test_one_sheet_alone_refuses_rows_past_the_limit(monkeypatch):
    monkeypatch.setattr(row_stream, "MAX_ROWS", 5)
    workbook = Workbook(write_only=True)
    sheet = _setup(workbook)(1)
    with pytest.raises(ValueError, match="no sheet to go on with"):
        RowStream(sheet, len(HEADERS)).write([["x", n, None, None, None] for n in range(5)])


def test_the_limit_is_excels():
    assert row_stream.MAX_ROWS == 1_048_576


def test_continued_sheet_titles_keep_to_31_characters():
    assert sheet_title("Activities", 2) == "Activities (2)"
    long = "Записи об инцидентах и их последствиях"
    assert sheet_title(long) == long[:31]
    assert sheet_title(long, 12) == long[:26] + " (12)"
    assert len(sheet_title(long, 12)) == 31
    assert sheet_title("a/b: c", 3) == "a b  c (3)"


# -- the openpyxl internals RowStream relies on, one by one --------------------------------------
def test_internal_close_writes_the_sheet_to_writer_out():
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("x")
    assert isinstance(ws, WriteOnlyWorksheet)
    ws.auto_filter.ref = "A1:B1"
    ws.append(["a", "b"])
    assert hasattr(ws, "close") and not ws.closed, "WriteOnlyWorksheet.close()/closed changed"
    ws.close()
    assert ws.closed, "WriteOnlyWorksheet.closed is not true after close()"
    writer = getattr(ws, "_writer", None)
    assert writer is not None, "WriteOnlyWorksheet._writer is gone (RowStream reads ws._writer.out)"
    out = getattr(writer, "out", None)
    assert isinstance(out, str) and Path(out).is_file(), (
        "WorksheetWriter.out is no longer the sheet's file path"
    )
    xml = Path(out).read_bytes()
    assert xml.count(b"</sheetData>") == 1, "the sheet file no longer holds exactly one </sheetData>"
    head, tail = xml.split(b"</sheetData>")
    assert b'<row r="1">' in head, "the rows appended before close() are not before </sheetData>"
    assert b'<autoFilter ref="A1:B1"' in tail, (
        'the auto-filter is no longer written as <autoFilter ref="...">'
    )


def test_internal_save_copies_a_closed_sheets_file():
    source = inspect.getsource(ExcelWriter.write_worksheet)
    assert "if not ws.closed" in source and "writer = ws._writer" in source, (
        "ExcelWriter.write_worksheet no longer takes a closed write-only sheet's ws._writer as it is"
    )
    assert "self._archive.write(writer.out" in source, (
        "ExcelWriter.write_worksheet no longer copies ws._writer.out into the zip"
    )
    # And in deed: what is put into the file after close() is what is saved.
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("x")
    ws.append(["a"])
    ws.close()
    path = Path(ws._writer.out)
    path.write_bytes(
        path.read_bytes().replace(
            b"</sheetData>", b'<row r="2"><c r="A2" t="n"><v>7</v></c></row></sheetData>'
        )
    )
    buffer = BytesIO()
    workbook.save(buffer)
    assert load_workbook(buffer)["x"]["A2"].value == 7, (
        "rows put into ws._writer.out after close() are not saved"
    )


def test_internal_style_id_registers_the_style():
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("x")
    cell = WriteOnlyCell(ws, value=date(2000, 1, 1))
    assert cell.number_format == "yyyy-mm-dd", "openpyxl's date format changed"
    before = len(workbook._cell_styles)
    style = cell.style_id
    assert isinstance(style, int) and style > 0, "WriteOnlyCell.style_id no longer gives the style's index"
    assert len(workbook._cell_styles) == before + 1, "style_id no longer registers the style in _cell_styles"
    assert WriteOnlyCell(ws, value=date(2001, 2, 3)).style_id == style, (
        "style_id is not the same for one style"
    )


def test_internal_number_text():
    assert to_excel(date(2025, 1, 31)) == 45688, "openpyxl.utils.datetime.to_excel changed"
    assert to_excel(date(1900, 1, 1)) == 1, "to_excel no longer keeps Excel's 1900 leap year"
    assert safe_string(to_excel(date(2025, 1, 31))) == "45688", "openpyxl.compat.safe_string changed"
    assert safe_string(0.1) == "0.1" and safe_string(2.5e15) == "2500000000000000", "safe_string changed"


def test_internal_illegal_characters():
    illegal = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"}
    assert {chr(c) for c in range(0x10000) if ILLEGAL_CHARACTERS_RE.match(chr(c))} == illegal, (
        "openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE matches other characters now"
    )
    not_xml = {chr(c) for c in range(0x10000) if NOT_XML.match(chr(c))}
    assert not_xml == illegal | {"\ufffe", "\uffff"}
    special = {chr(c) for c in range(0x10000) if SPECIAL.match(chr(c))}
    assert special == not_xml | set("&<>\r"), "RowStream's SPECIAL must match NOT_XML and what XML escapes"
