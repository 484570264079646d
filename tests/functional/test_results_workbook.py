"""The workbook of a programme gains its "Results framework" sheet: exact actuals for
coordinators, published ones (perturbed, small ones hidden) for donors (issue 13)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import Indicator, IndicatorTarget, Measure, Programme, Region
from app.vocabulary import Status
from reports.results import progress, quarters

START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def programme(make, db):
    volunteer = make.user("volunteer", organisation=make.organisation("KG-O-KSU", code="ORG-WB"))
    for month in (1, 2, 2, 5, 8, 8, 8, 11):
        make.activity(volunteer, date=date(2025, month, 10), status=Status.APPROVED, f_18_29=3, m_18_29=2)
    make.activity(volunteer, date=date(2025, 3, 3), status=Status.SUBMITTED, f_18_29=50)
    programme = Programme(code="PVE-WB", name="Workbook programme", start_date=START, end_date=END)
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    for code, measure in (("A1", Measure.ACTIVITIES), ("P1", Measure.PARTICIPANTS)):
        indicator = Indicator(
            programme=programme, code=code, name=f"{measure.value} indicator", measure=measure
        )
        indicator.targets = [IndicatorTarget(quarter=q, value=2.0) for q in quarters(START, END)]
    db.session.add(programme)
    db.session.commit()
    return programme


def _export(runner, tmp_path, *args):
    out = tmp_path / "r.xlsx"
    result = runner.invoke(args=["export-report", "--out", str(out), "--programme", "pve-wb", *args])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    assert "Results framework" in workbook.sheetnames
    rows = [list(r) for r in workbook["Results framework"].iter_rows(values_only=True)]
    return workbook, rows


def _quarters(rows, code):
    """The four quarter rows below an indicator's header row."""
    start = next(i for i, row in enumerate(rows) if row[0] and str(row[0]).startswith(f"{code}:"))
    header = next(i for i in range(start, len(rows)) if rows[i][0] == "Quarter")
    return rows[header + 1 : header + 5]


def test_the_coordinator_sheet_holds_the_exact_actuals_per_quarter(runner, db, tmp_path, programme):
    workbook, rows = _export(runner, tmp_path, "--audience", "coordinator")
    for indicator in programme.indicators:
        expected = progress(db.session, indicator)
        got = _quarters(rows, indicator.code)
        assert [r[0] for r in got] == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"]
        assert [r[1] for r in got] == [2, 2, 2, 2]
        assert [r[2] for r in got] == [row.actual for row in expected]
        assert [r[3] for r in got] == [row.cumulative for row in expected]
    assert [r[2] for r in _quarters(rows, "A1")] == [3, 1, 3, 1]  # approved only: the submitted one is out
    assert workbook["Results framework"]._charts, "a native chart of targets against actuals"


def test_the_donor_sheet_hides_small_counts(runner, db, tmp_path, programme):
    _workbook, rows = _export(runner, tmp_path)  # donor by default
    activities = [r[2] for r in _quarters(rows, "A1")]
    # 1 and 3 are never shown as they are: hidden (an empty shaded cell), or perturbed to 0 or 5.
    assert all(value is None or value == 0 or value >= 5 for value in activities), activities
    participants = [r[2] for r in _quarters(rows, "P1")]
    assert participants[0] not in (None,) and abs(participants[0] - 15) <= 2  # perturbed by at most 2


def test_an_unknown_programme_is_one_line_and_non_zero(runner, db, tmp_path):
    result = runner.invoke(args=["export-report", "--out", str(tmp_path / "x.xlsx"), "--programme", "NOPE"])
    assert result.exit_code != 0 and "No programme has the code 'NOPE'" in result.output
