"""The workbook, opened with openpyxl, against numbers worked out from the records."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.vocabulary import COUNT_CELLS, Status
from reports.excel import build_workbook, export_filename
from reports.filters import resolve_filters
from reports.suppression import is_small
from reports.xlsx import CHANGE, PERCENT, PERCENT_CHANGE, RATING, SHARE

from . import report_data
from .report_data import OSH, PERIOD

#: Number formats of cells that are not counts (so may hold 1 to 4 in a donor workbook).
NOT_COUNTS = (RATING, CHANGE, PERCENT, PERCENT_CHANGE, SHARE)
INJECTIONS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1"]


@pytest.fixture
def known(make, db):
    return report_data.build(make, db)


def _workbook(db, gettext=lambda s: s, **kwargs):
    filters = resolve_filters(db.session, **{**PERIOD, **kwargs})
    buffer = BytesIO()
    result = build_workbook(db.session, filters, buffer, gettext=gettext, threshold=5)
    buffer.seek(0)
    raw = buffer.getvalue()
    return load_workbook(BytesIO(raw)), result, raw


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _find(rows, first):
    return next(row for row in rows if row and row[0] == first)


def test_coordinator_numbers_match_the_records(known, db):
    workbook, result, _raw = _workbook(db, audience="coordinator")
    assert workbook.sheetnames == [
        "Overview",
        "By month",
        "By recommendation",
        "By target group",
        "Participants",
        "Incidents",
        "Incidents by region",
        "Drivers",
        "Coverage",
        "Methodology",
        "Incidents by month and region",
        "Activities",
        "Incident records",
    ]
    rows = _rows(workbook["By recommendation"])
    assert rows[0][:3] == ["Code", "Recommendation", "Activities"]
    for code in ("R6", "R7", "R8"):
        mine = [a for a in known.activities if code in {r.code for r in a.recommendations}]
        row = _find(rows, code)
        cells = [sum(getattr(a, column) for a in mine) for column, _s, _b in COUNT_CELLS]
        assert row[2:11] == [len(mine), *cells]
        assert row[11] == sum(cells)
        assert row[12] == len({a.community_id for a in mine})
    participants = _rows(workbook["Participants"])
    female = _find(participants, "Female")
    assert female[1:6] == [
        sum(a.f_u18 for a in known.activities),
        sum(a.f_18_29 for a in known.activities),
        sum(a.f_30_59 for a in known.activities),
        sum(a.f_60p for a in known.activities),
        sum(a.f_u18 + a.f_18_29 + a.f_30_59 + a.f_60p for a in known.activities),
    ]
    activity_rows = _rows(workbook["Activities"])[1:]
    assert len(activity_rows) == len(known.activities) == result.counts["activity_rows"]
    assert sorted(r[0] for r in activity_rows) == sorted(str(a.uuid) for a in known.activities)
    header = _rows(workbook["Activities"])[0]
    first_time = header.index("First time")
    assert header[first_time - 1] == "Participants"
    by_id = {str(a.uuid): a.first_time_participants for a in known.activities}
    assert {r[0]: r[first_time] for r in activity_rows} == by_id
    assert len(_rows(workbook["Incident records"])) - 1 == len(known.incidents)
    incidents = _rows(workbook["Incidents"])
    online = _find(incidents, "Hate speech or extremist content online")
    assert [v for v in online if v is not None][-1] == 2  # the row total, across every month


def test_file_name_carries_the_period(db):
    filters = resolve_filters(db.session, **PERIOD, audience="donor")
    assert export_filename(filters) == "yntymak-donor-2025-01-01_2025-06-30.xlsx"


def test_donor_workbook_has_no_small_count_and_no_records(known, db):
    workbook, _result, _raw = _workbook(db, audience="donor")
    assert "Activities" not in workbook.sheetnames
    assert "Incident records" not in workbook.sheetnames
    seen_mark = False
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.value not in ("<5", "*"), (sheet.title, cell.coordinate)  # never text
                if cell.number_format in NOT_COUNTS:
                    continue  # mean ratings on the 0-3 scale, shares and changes: not counts
                assert not is_small(cell.value, 5), (sheet.title, cell.coordinate, cell.value)
                seen_mark = seen_mark or (cell.value is None and cell.comment is not None)
    assert seen_mark
    text = " ".join(str(c) for row in _rows(workbook["Overview"]) for c in row if c)
    assert "Only records a coordinator has approved are counted." in text
    assert "counted as if approved" not in text
    assert "at most 2 up or down" in text
    assert "may not equal the sum" in text
    descriptions = {i.description for i in known.incidents}
    assert not any(str(c) in descriptions for s in workbook.worksheets for row in _rows(s) for c in row if c)


def test_user_text_arrives_as_text_never_as_a_formula(make, db):
    volunteer = make.user("volunteer")
    for text in INJECTIONS:
        make.activity(
            volunteer,
            date=PERIOD["date_to"],
            status=Status.SUBMITTED,
            outcome=text,
            partners=text,
            follow_up=text,
        )
    make.incident(volunteer, date=PERIOD["date_to"], description=INJECTIONS[0])
    db.session.commit()
    workbook, _result, raw = _workbook(db, audience="coordinator")
    sheet = workbook["Activities"]
    header = [c.value for c in sheet[1]]
    columns = [header.index(name) for name in ("Partners", "Outcome", "Follow-up")]
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        for index in columns:
            cell = row[index]
            assert cell.data_type == "s", (cell.coordinate, cell.value)
            seen.add(cell.value)
    # Intact, carriage return included (written as a character reference, which XML keeps).
    assert seen == set(INJECTIONS)
    description = [c for c in workbook["Incident records"][2] if c.value == INJECTIONS[0]]
    assert description and description[0].data_type == "s"
    with zipfile.ZipFile(BytesIO(raw)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name), name


def test_a_coordinators_workbook_holds_only_their_area(known, make, db):
    coordinator = make.user("coordinator", region="KG-O")
    workbook, _result, _raw = _workbook(db, viewer=coordinator)
    activity_rows = _rows(workbook["Activities"])[1:]
    osh = [a for a in known.activities if a.community.district.region.code == "KG-O"]
    assert len(activity_rows) == len(osh) == 3
    assert {row[2] for row in activity_rows} == {"Osh Region"}
    assert {row[2] for row in _rows(workbook["Incident records"])[1:]} == {"Osh Region"}
    assert "Sughd Region" not in {c for s in workbook.worksheets for row in _rows(s) for c in row}
    assert "TJ" not in str(_rows(workbook["Incidents"]))


def _shout(message):
    """A stand-in translation: upper case, placeholders kept."""
    return re.sub(r"%\(\w+\)s|[^%]+", lambda m: m[0] if m[0].startswith("%(") else m[0].upper(), message)


def test_every_label_goes_through_the_callers_gettext(known, db):
    workbook, _result, _raw = _workbook(db, gettext=_shout, audience="coordinator")
    assert workbook.sheetnames[0] == "OVERVIEW"
    assert _rows(workbook["BY RECOMMENDATION"])[0][1] == "RECOMMENDATION"
    assert _find(_rows(workbook["PARTICIPANTS"]), "FEMALE")


def test_frozen_headers_filters_and_formats(known, db):
    workbook, _result, _raw = _workbook(db, audience="coordinator")
    sheet = workbook["Activities"]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet["B2"].is_date
    assert (
        workbook["By recommendation"]._charts or workbook["By recommendation"]["C2"].number_format == "#,##0"
    )
    assert workbook["Drivers"].conditional_formatting


def test_an_activity_in_a_known_community_lands_in_its_row(known, db):
    workbook, _result, _raw = _workbook(db, audience="coordinator", district="KG-O-KSU")
    rows = _rows(workbook["Activities"])[1:]
    assert {row[4] for row in rows} == {known.activities[0].community.name}
    assert all(row[4] for row in rows) and OSH.startswith("KG-O-KSU")
