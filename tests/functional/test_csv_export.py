"""The zipped CSV of the record rows: the same rows and header words as the workbook's row sheets,
UTF-8 with a byte-order mark, formula-like text neutralised, never for donors."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from babel.support import Translations
from flask_babel import force_locale, gettext
from openpyxl import load_workbook

from app.vocabulary import COUNT_CELLS, Status
from reports.csv_export import ACTIVITIES_CSV, INCIDENTS_CSV, separator, write_records_zip
from reports.excel import build_workbook
from reports.filters import resolve_filters
from reports.xlsx import FORMULA_PREFIXES

from . import report_data
from .report_data import PERIOD

ROOT = Path(__file__).resolve().parents[2]
INJECTIONS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1"]


@pytest.fixture
def known(make, db):
    return report_data.build(make, db)


def _zip(db, gettext=lambda s: s, locale="en", **kwargs):
    filters = resolve_filters(db.session, **{**PERIOD, "audience": "coordinator", **kwargs})
    buffer = io.BytesIO()
    result = write_records_zip(db.session, filters, buffer, gettext=gettext, locale=locale)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue())), result


def _table(archive, name, delimiter=","):
    raw = archive.read(name)
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark first, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_the_rows_are_the_records(known, db):
    archive, result = _zip(db)
    assert archive.namelist() == [ACTIVITIES_CSV, INCIDENTS_CSV]
    header, *rows = _table(archive, ACTIVITIES_CSV)
    assert header[:3] == ["Record ID", "Date", "Region"] and header[-2:] == ["Outcome", "Follow-up"]
    assert len(rows) == len(known.activities) == result.counts["activity_rows"]
    by_id = {str(a.uuid): a for a in known.activities}
    assert {row[0] for row in rows} == set(by_id)
    counts = header.index("Participants") - len(COUNT_CELLS)
    for row in rows:
        activity = by_id[row[0]]
        assert row[1] == activity.date.isoformat()
        assert row[4] == activity.community.local_name
        cells = [getattr(activity, column) for column, _s, _b in COUNT_CELLS]
        assert row[counts : counts + len(cells)] == [str(n) for n in cells]
        assert row[header.index("Participants")] == str(sum(cells))
        first_time = activity.first_time_participants
        assert row[header.index("First time")] == ("" if first_time is None else str(first_time))
    header, *rows = _table(archive, INCIDENTS_CSV)
    assert header[-1] == "Description"
    assert len(rows) == len(known.incidents) == result.counts["incident_rows"]
    assert {row[0] for row in rows} == {str(i.uuid) for i in known.incidents}
    assert result.filename == "yntymak-records-2025-01-01_2025-06-30.zip"


def test_the_same_rows_as_the_workbooks_row_sheets(known, db):
    archive, _result = _zip(db)
    buffer = io.BytesIO()
    filters = resolve_filters(db.session, **{**PERIOD, "audience": "coordinator"})
    build_workbook(db.session, filters, buffer, gettext=lambda s: s, threshold=5)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for name, sheet in ((ACTIVITIES_CSV, "Activities"), (INCIDENTS_CSV, "Incident records")):
        expected = [
            ["" if v is None else v.date().isoformat() if hasattr(v, "date") else str(v) for v in row]
            for row in workbook[sheet].iter_rows(values_only=True)
        ]
        assert _table(archive, name) == expected, sheet


def test_header_words_in_the_language_asked_for(app, known, db):
    russian = Translations.load(str(ROOT / "translations"), ["ru"])
    with app.test_request_context(), force_locale("ru"):
        archive, _result = _zip(db, gettext=gettext, locale="ru")
    assert separator("ru") == ";"
    header, *rows = _table(archive, ACTIVITIES_CSV, delimiter=";")
    for english in ("Record ID", "Date", "Region", "Participants", "Outcome"):
        assert russian.gettext(english) != english
        assert russian.gettext(english) in header, english
    assert "Record ID" not in header
    assert {row[2] for row in rows} >= {"Ошская область"}  # place names in Russian too
    header, *_rows = _table(archive, INCIDENTS_CSV, delimiter=";")
    assert russian.gettext("Description") in header


def test_formula_like_text_is_neutralised(make, db):
    volunteer = make.user("volunteer")
    for text in INJECTIONS:
        make.activity(
            volunteer, date=PERIOD["date_to"], status=Status.SUBMITTED, outcome=text, partners="plain"
        )
        make.incident(volunteer, date=PERIOD["date_to"], status=Status.SUBMITTED, description=text)
    db.session.commit()
    archive, _result = _zip(db)
    header, *rows = _table(archive, ACTIVITIES_CSV)
    assert {row[header.index("Outcome")] for row in rows} == {"'" + text for text in INJECTIONS}
    assert {row[header.index("Partners")] for row in rows} == {"plain"}  # only what needs it
    header, *rows = _table(archive, INCIDENTS_CSV)
    assert {row[header.index("Description")] for row in rows} == {"'" + text for text in INJECTIONS}
    for row in rows:
        assert not any(field.startswith(FORMULA_PREFIXES) for field in row), row


def test_progress_is_told_the_rows_written(known, db):
    filters = resolve_filters(db.session, **{**PERIOD, "audience": "coordinator"})
    told = []
    write_records_zip(db.session, filters, io.BytesIO(), gettext=lambda s: s, progress=told.append)
    assert told == [len(known.activities), len(known.activities) + len(known.incidents)]


def test_a_donor_is_refused_before_anything_is_written(known, db):
    filters = resolve_filters(db.session, **{**PERIOD, "audience": "donor"})
    buffer = io.BytesIO()
    with pytest.raises(PermissionError):
        write_records_zip(db.session, filters, buffer, gettext=lambda s: s, locale="en")
    assert buffer.getvalue() == b""
