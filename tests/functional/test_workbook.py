"""The workbook a donor can use as it is: native charts, hidden cells, the Overview's figures,
frozen headers and print settings, the confidential mark, and the Methodology sheet."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale, gettext
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from app.vocabulary import COUNT_CELLS, Status
from reports import queries as q
from reports import tables
from reports.charts import CHART_TITLES, build_dashboard
from reports.excel import build_workbook
from reports.filters import resolve_filters
from reports.methodology import DONOR_QUALITY_NOTE
from reports.notes import NOT_ASSESSED_NOTE, PERTURBATION_NOTE, SOURCES_NOTE
from reports.suppression import EXACT_NOTE
from reports.xlsx import COMPLEMENT_FILL, HEADER_FILL, HIDDEN_FILL

from . import report_data
from .report_data import PERIOD

#: Which sheet draws which dashboard chart.
CHART_SHEETS = {
    "recommendations": "By recommendation",
    "participants": "Participants",
    "monthly": "By month",
    "incidents": "Incidents",
    "drivers": "Drivers",
    "coverage": "Coverage",
}
#: Sheets that are one table (or tables with the same columns): their header repeats when printed.
REPEATED_HEADERS = {
    "By month": "1:1",
    "By recommendation": "1:1",
    "By target group": "1:1",
    "Participants": "1:2",
    "Incidents by region": "1:2",
    "Coverage": "1:1",
    "Incidents by month and region": "1:1",
    "Activities": "1:1",
    "Incident records": "1:1",
}
MARKS = ("<5", "*")
HIDDEN_COLOURS = {HIDDEN_FILL.fgColor.rgb, COMPLEMENT_FILL.fgColor.rgb}


@pytest.fixture
def known(make, db):
    return report_data.build(make, db)


def _build(db, **kwargs):
    filters = resolve_filters(db.session, **{**PERIOD, **kwargs})
    buffer = BytesIO()
    build_workbook(db.session, filters, buffer, gettext=lambda s: s, threshold=5)
    return load_workbook(BytesIO(buffer.getvalue())), buffer.getvalue(), filters


def _is_hidden(cell) -> bool:
    """An empty cell with the hidden mark: a grey or violet fill and a comment saying why."""
    return (
        cell.value is None
        and cell.fill.fgColor.rgb in HIDDEN_COLOURS
        and cell.comment is not None
        and cell.comment.text.startswith("Hidden")
    )


def _headline(sheet) -> dict[str, object]:
    """The Overview's headline figures: label -> the cell of "This period"."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == "Headline figures")
    figures = {}
    for row in rows[start + 2 :]:
        if row[0].value is None or str(row[0].value).startswith("Change:"):
            break
        figures[row[0].value] = row[1]
    return figures


@pytest.mark.parametrize("audience", ["donor", "coordinator"])
def test_a_native_chart_for_every_dashboard_chart(known, db, audience):
    workbook, raw, _filters = _build(db, audience=audience)
    with zipfile.ZipFile(BytesIO(raw)) as archive:
        charts = [name for name in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", name)]
    assert len(charts) == len(CHART_TITLES) == 6
    titles = {}
    for name, sheet_name in CHART_SHEETS.items():
        sheet = workbook[sheet_name]
        assert len(sheet._charts) == 1, sheet_name
        chart = sheet._charts[0]
        title = "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))
        titles[name] = title
        for series in chart.series:
            # Drawn from a table on this very sheet, whose cells are numbers or empty (hidden).
            reference = series.val.numRef.f
            assert reference.startswith(f"'{sheet_name}'!"), reference
            low_col, low_row, high_col, high_row = range_boundaries(reference.split("!")[1].replace("$", ""))
            for row in sheet.iter_rows(min_row=low_row, max_row=high_row, min_col=low_col, max_col=high_col):
                for cell in row:
                    assert cell.value is None or isinstance(cell.value, int | float), (sheet_name, cell)
    for name, english in CHART_TITLES.items():
        if name != "drivers":  # a heatmap has no Excel chart: the table's colour scale is it
            assert titles[name] == english, name
    assert titles["drivers"].startswith("Perceived drivers: mean rating, all regions")
    assert workbook["Drivers"].conditional_formatting


def test_hidden_donor_counts_are_empty_number_cells_with_a_mark(known, db):
    workbook, _raw, filters = _build(db, audience="donor")
    rules = tables.Disclosure.for_filters(filters, 5)
    hidden = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.value not in MARKS, (sheet.title, cell.coordinate)
                if cell.comment is not None:
                    assert _is_hidden(cell), (sheet.title, cell.coordinate)
                    assert cell.number_format != "General"  # a number cell, left empty
                    hidden += 1
    assert hidden
    # Cell for cell where the tables hide a count, in a line of By recommendation.
    sheet = workbook["By recommendation"]
    for row, line in zip(
        sheet.iter_rows(min_row=2, max_row=15), q.by_recommendation(db.session, filters), strict=True
    ):
        activities, cells, total, reached = tables.count_line(line, rules)
        for cell, shown in zip(row[2:13], [activities, *cells, total, reached], strict=True):
            if shown in MARKS:
                assert _is_hidden(cell), cell.coordinate
                assert ("(*)" in cell.comment.text) == (shown == "*")
            else:
                assert cell.value == shown, cell.coordinate
    # Columns still sum: a hidden cell is no text, and the legend below says what the shades mean.
    legend = [c.value for c in sheet["A"] if c.value and str(c.value).startswith("Hidden")]
    assert legend and all(c.fill.fgColor.rgb in HIDDEN_COLOURS for c in sheet["A"] if c.value in legend)


@pytest.mark.parametrize(
    "extra",
    [{"audience": "donor"}, {"audience": "coordinator"}, {"audience": "donor", "region": "KG-O"},
     {"audience": "coordinator", "country": "TJ"}],
)  # fmt: skip
def test_the_overview_carries_the_dashboards_headline_figures(known, app, db, extra):
    workbook, _raw, filters = _build(db, **extra)
    with app.test_request_context(), force_locale("en"):
        dashboard = build_dashboard(db.session, filters, gettext=gettext, locale="en")
    figures = _headline(workbook["Overview"])
    assert len(dashboard.kpis) >= 4
    hidden = 0
    for label, text in dashboard.kpis:
        cell = figures[label]
        if text in MARKS:
            assert _is_hidden(cell), label
            hidden += 1
        else:
            assert cell.value == int(text.replace(",", "")), (label, text, cell.value)
    if extra == {"audience": "donor"}:
        assert hidden  # the known records are few: the donor sees some headline figures hidden


def test_shares_comparison_months_and_countries_for_coordinators(known, db):
    workbook, _raw, filters = _build(db, audience="coordinator")
    counted = known.activities
    people = sum(sum(getattr(a, column) for column, _sex, _band in COUNT_CELLS) for a in counted)
    women = sum(a.f_u18 + a.f_18_29 + a.f_30_59 + a.f_60p for a in counted)
    youth = sum(a.f_18_29 + a.m_18_29 for a in counted)
    figures = _headline(workbook["Overview"])
    assert figures["Participants"].value == people
    assert figures["Share of women among participants"].value == pytest.approx(women / people)
    assert figures["Share of youth (18-29) among participants"].value == pytest.approx(youth / people)
    # This period against the one before it, of the same length (2024-07-04 .. 2024-12-31).
    rows = {row[0].value: row for row in workbook["Overview"].iter_rows() if row[0].value in figures}
    previous = filters.previous()
    assert (previous.date_from, previous.date_to) == (date(2024, 7, 4), date(2024, 12, 31))
    before = q.activity_totals(db.session, previous)
    assert before.activities == 1  # the submitted one of 31 December 2024
    assert rows["Activities"][2].value == 1
    assert rows["Activities"][3].value == pytest.approx(len(counted) / 1 - 1)
    assert rows["Participants"][2].value == before.participants == 50
    # Activities by month: exact, every month of the period, with the total.
    by_month = {
        row[0]: row[1] for row in workbook["By month"].iter_rows(min_row=2, values_only=True) if row[0]
    }
    assert by_month["Feb 2025"] == 2 and by_month["Mar 2025"] == 1 and by_month["Jun 2025"] == 0
    assert by_month["Total"] == len(counted)
    # The split by country adds up to the headline figures.
    values = [list(row) for row in workbook["Overview"].iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(values) if row[0] == "Country")
    split = {row[0]: row[1:5] for row in values[start + 1 : start + 4]}
    assert split["Kyrgyzstan"] == [3, 64, 2, 3] and split["Tajikistan"] == [2, 50, 1, 1]
    assert split["Total"] == [5, 114, 3, 4]


def test_every_table_header_is_frozen_or_repeated_and_pages_are_numbered(known, db):
    workbook, _raw, _filters = _build(db, audience="coordinator")
    for sheet in workbook.worksheets:
        assert sheet.oddFooter.right.text == "Page &P of &N", sheet.title
        assert "&A" in sheet.oddHeader.left.text
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        if sheet.title in ("Overview", "Methodology"):
            assert sheet.page_setup.orientation == "portrait"
            continue
        frozen = sheet.freeze_panes
        assert frozen, sheet.title
        header_row = int(re.sub(r"\D", "", frozen)) - 1
        header = [c for c in sheet[header_row] if c.value]
        assert header and all(c.fill.fgColor.rgb == HEADER_FILL.fgColor.rgb for c in header), sheet.title
        if sheet.title in REPEATED_HEADERS:
            assert sheet.print_title_rows.replace("$", "") == REPEATED_HEADERS[sheet.title], sheet.title
    assert workbook["Activities"].page_setup.orientation == "landscape"


def test_the_coordinator_workbook_is_marked_confidential_and_the_donor_one_is_not(known, db):
    coordinator, _raw, _filters = _build(db, audience="coordinator")
    for sheet in coordinator.worksheets:
        assert sheet.oddHeader.center.text == "Confidential", sheet.title
        assert sheet.oddFooter.left.text == EXACT_NOTE
    overview = [c for row in coordinator["Overview"].iter_rows(max_row=4, values_only=True) for c in row if c]
    assert "Confidential" in overview and EXACT_NOTE in overview
    donor, _raw, _filters = _build(db, audience="donor")
    for sheet in donor.worksheets:
        assert not sheet.oddHeader.center.text and not sheet.oddFooter.left.text
        for row in sheet.iter_rows(values_only=True):
            assert EXACT_NOTE not in row and "Confidential" not in row


def _methodology(workbook) -> list[list]:
    return [list(row) for row in workbook["Methodology"].iter_rows(values_only=True)]


def test_the_methodology_sheet_in_both_workbooks(known, db):
    for audience in ("donor", "coordinator"):
        workbook, _raw, _filters = _build(db, audience=audience)
        rows = _methodology(workbook)
        text = " ".join(str(c) for row in rows for c in row if c)
        assert "Participants aged 18 to 29" in text  # youth defined
        assert SOURCES_NOTE in text and NOT_ASSESSED_NOTE in text
        assert {"R1", "R14"} <= {row[0] for row in rows}
        assert ("at most 2 up or down" in text) == (audience == "donor")
        assert (PERTURBATION_NOTE.split(",")[0] in text) == (audience == "donor")
        assert (DONOR_QUALITY_NOTE in text) == (audience == "donor")
        assert (EXACT_NOTE in text) == (audience == "coordinator")


def test_data_quality_counts_exact_for_coordinators_absent_for_donors(known, make, db):
    workbook, _raw, _filters = _build(db, audience="coordinator")
    rows = _methodology(workbook)
    start = next(i for i, row in enumerate(rows) if row[:2] == ["Region", "Kind of entry"])
    assert rows[start][2:5] == ["Waiting for review", "Returned for changes", "Approved"]
    table = {(row[0], row[1]): row[2:5] for row in rows[start + 1 :] if row[0]}
    # The known records: a returned activity in Osh, drafts and records outside the period never.
    assert table[("Osh Region", "Activities")] == [2, 1, 1]
    assert table[("Sughd Region", "Activities")] == [1, 0, 1]
    assert table[("Osh Region", "Incidents")] == [1, 0, 2]
    assert table[("Sughd Region", "Incidents")] == [1, 0, 0]
    assert table[("Osh Region", "Driver assessments")] == [0, 0, 2]
    assert table[("All regions", "Activities")] == [3, 1, 2]
    donor, _raw, _filters = _build(db, audience="donor")
    assert not any(row[:2] == ["Region", "Kind of entry"] for row in _methodology(donor))


def test_a_concern_not_assessed_is_left_out_and_counted_as_such(known, db):
    workbook, _raw, _filters = _build(db, audience="coordinator")
    rows = _methodology(workbook)
    start = next(i for i, row in enumerate(rows) if row[:3] == ["Concern", "Rated", "Not assessed"])
    table = {row[0]: row[1:3] for row in rows[start + 1 : start + 17]}
    # The two assessments of the period rated unemployment and injustice only.
    assert table["Lack of jobs and income"] == [2, 0]
    assert table["Widespread corruption"] == [0, 2]
    drivers = [list(row) for row in workbook["Drivers"].iter_rows(values_only=True)]
    header = drivers[0]
    everywhere = next(row for row in drivers if row[0] == "All regions")
    assert everywhere[header.index("Lack of jobs and income")] == 2.5  # (3 + 2) / 2
    assert everywhere[header.index("Widespread corruption")] is None  # no rating: no mean, no zero


def test_submitted_records_change_no_donor_cell(known, make, db):
    """Nothing in the donor workbook, Methodology included, depends on records not approved."""
    before, _raw, _filters = _build(db, audience="donor")
    make.activity(
        known.osh_volunteer, community=report_data.OSH, date=date(2025, 3, 9), status=Status.SUBMITTED
    )
    make.activity(
        known.osh_volunteer, community=report_data.OSH, date=date(2025, 3, 9), status=Status.RETURNED
    )
    db.session.commit()
    after, _raw, _filters = _build(db, audience="donor")
    for sheet in before.worksheets:
        old = [r for r in sheet.iter_rows(values_only=True) if r[0] != "Generated at"]
        new = [r for r in after[sheet.title].iter_rows(values_only=True) if r[0] != "Generated at"]
        assert old == new, sheet.title
