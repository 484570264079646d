"""The record tables as CSV in a zip (coordinators only): the rows of the workbook's Activities and
Incident records sheets, for a selection too large for Excel or for tools that read CSV.

The same columns, header words and cells as the sheets (:mod:`reports.record_columns`): one
UTF-8 file per table, with a byte-order mark so that Excel reads Cyrillic as such, written into
the zip as the rows stream from the database (never all of them in memory). Dates are ISO
(``2025-02-03``), an empty cell is an empty field. Text that a spreadsheet would read as a formula
or command (:data:`reports.xlsx.FORMULA_PREFIXES`, the rule of the sheets) gets an apostrophe
before it: in a sheet the cell is marked as text, which CSV cannot say. Excel splits a CSV at its
regional list separator, a semicolon where the decimal separator is a comma (Russian, Kyrgyz,
Tajik, Uzbek), so that is the default separator for those languages, a comma otherwise.

Donors never get it: donor reports never include single records (:mod:`reports.rows`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from datetime import date
from typing import IO

from babel.numbers import get_decimal_symbol
from sqlalchemy.orm import Session

from .excel import ExportResult
from .filters import ReportFilters
from .progress import CountedColumns, Progress
from .record_columns import ACTIVITY_HEADERS, INCIDENT_HEADERS, RecordColumns
from .rows import _refuse_donor
from .xlsx import FORMULA_PREFIXES

Gettext = Callable[[str], str]
#: The files in the zip, by table.
ACTIVITIES_CSV, INCIDENTS_CSV = "activities.csv", "incident-records.csv"


def records_zip_filename(filters: ReportFilters) -> str:
    """``yntymak-records-2025-01-01_2025-12-31.zip``: the file name carries the period."""
    return f"yntymak-records-{filters.date_from:%Y-%m-%d}_{filters.date_to:%Y-%m-%d}.zip"


def separator(locale: str) -> str:
    """The field separator Excel expects where ``locale`` is the regional setting."""
    try:
        comma_decimals = get_decimal_symbol(locale) == ","
    except (ValueError, LookupError):
        comma_decimals = False
    return ";" if comma_decimals else ","


def csv_text(value: str) -> str:
    """Text kept as text in a spreadsheet: an apostrophe before a formula-like start."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _fields(cells: list) -> list[str]:
    fields = []
    for value in cells:
        if value is None:
            fields.append("")
        elif isinstance(value, str):
            fields.append(csv_text(value))
        elif isinstance(value, date):
            fields.append(value.isoformat())
        else:
            fields.append(str(value))
    return fields


def _write_table(
    archive: zipfile.ZipFile, name: str, headers: list[str], rows: Iterable[list], delimiter: str
) -> int:
    n = 0
    with (
        archive.open(name, "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", write_through=False) as text,
    ):
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(headers)
        for cells in rows:
            writer.writerow(_fields(cells))
            n += 1
    return n


def write_records_zip(
    session: Session,
    filters: ReportFilters,
    out: str | IO[bytes],
    *,
    gettext: Gettext,
    locale: str = "en",
    delimiter: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the activity and incident rows for ``filters`` as two CSV files in a zip to ``out``
    (a path or a binary file, which need not be seekable). Header words through ``gettext``; place
    names in the active locale, as in the workbook (the caller's ``force_locale``); ``delimiter``
    by default :func:`separator` of ``locale``; ``progress`` is told the rows written so far,
    now and then (:class:`reports.progress.RowCounter`). Raises :class:`PermissionError` for
    donors, before anything is written. The counts are the workbook's (``activity_rows``,
    ``incident_rows``)."""
    _refuse_donor(filters)
    columns = RecordColumns(gettext) if progress is None else CountedColumns(gettext, progress)
    sep = delimiter or separator(locale)
    counts = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        counts["activity_rows"] = _write_table(
            archive,
            ACTIVITIES_CSV,
            columns.headers(ACTIVITY_HEADERS),
            columns.activities(session, filters),
            sep,
        )
        counts["incident_rows"] = _write_table(
            archive,
            INCIDENTS_CSV,
            columns.headers(INCIDENT_HEADERS),
            columns.incidents(session, filters),
            sep,
        )
    return ExportResult(records_zip_filename(filters), counts)
