"""The workbook of a programme gains its "Results framework" sheet: exact actuals for
coordinators, published ones (perturbed, small ones hidden) for donors (issue 13)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import Indicator, IndicatorTarget, IssuedReport, Measure, Programme, Region
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


def _links(html: str) -> list[str]:
    import html as html_module
    import re

    return [html_module.unescape(href) for href in re.findall(r'href="(/reports/export\.xlsx\?[^"]+)"', html)]


@pytest.mark.parametrize(
    ("role", "audiences"),
    [("coordinator", ["donor", "coordinator"]), ("donor", [None]), ("admin", ["donor", "coordinator"])],
)
def test_the_programme_page_offers_its_workbooks_with_the_results_sheet(
    make, db, login_as, programme, role, audiences
):
    from urllib.parse import parse_qs, urlsplit

    user = make.user(role, region="KG-O") if role == "coordinator" else make.user(role)
    db.session.commit()
    client = login_as(user)
    links = _links(client.get("/results/PVE-WB").get_data(as_text=True))
    assert [parse_qs(urlsplit(link).query).get("audience", [None])[0] for link in links] == audiences
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["programme"] == ["PVE-WB"] and query["region"] == ["KG-O"]
        assert query["from"] == ["2025-01-01"] and query["to"] == ["2025-12-31"]
        response = client.get(link)
        assert response.status_code == 200, link
        workbook = load_workbook(__import__("io").BytesIO(response.data))
        assert "Results framework" in workbook.sheetnames
        assert ("Activities" in workbook.sheetnames) == ("audience=coordinator" in link)
    registered = db.session.scalars(select(IssuedReport).order_by(IssuedReport.id)).all()
    assert [r.filters["programme"] for r in registered] == ["PVE-WB"] * len(links)


def test_a_programme_the_user_does_not_see_is_not_in_any_workbook(make, db, login_as, programme):
    donor = make.user("donor")
    programme.donors = [donor]  # a donor linked to a programme sees only the programmes linked
    other = Programme(code="OTHER", name="Not theirs", start_date=START, end_date=END)
    other.donors = [make.user("donor", username="another-donor")]
    db.session.add(other)
    db.session.commit()
    client = login_as(donor)
    assert client.get("/reports/export.xlsx?programme=OTHER&from=2025-01-01&to=2025-06-30").status_code == 404
    assert client.get("/reports/export.xlsx?programme=NOPE&from=2025-01-01&to=2025-06-30").status_code == 404
    assert db.session.scalars(select(IssuedReport)).all() == []


@pytest.mark.parametrize("audience", ["coordinator", "donor"])
def test_a_quarter_not_begun_has_its_target_and_no_actual_in_the_sheet(
    runner, db, tmp_path, programme, audience
):
    from datetime import timedelta

    from reports.results import quarter_start

    programme.end_date = quarter_start(date.today()) + timedelta(days=200)  # two quarters ahead
    for indicator in programme.indicators:
        indicator.targets = [
            IndicatorTarget(quarter=q, value=2.0) for q in quarters(programme.start_date, programme.end_date)
        ]
    db.session.commit()
    _workbook, rows = _export(runner, tmp_path, "--audience", audience, "--to", date.today().isoformat())
    for code in ("A1", "P1"):
        start = next(i for i, row in enumerate(rows) if row[0] and str(row[0]).startswith(f"{code}:"))
        header = next(i for i in range(start, len(rows)) if rows[i][0] == "Quarter")
        block = []
        for row in rows[header + 1 :]:
            if not row[0] or not str(row[0]).startswith("Q"):
                break
            block.append(row)
        future = [row for row in block if date(int(row[0][3:]), 3 * int(row[0][1]) - 2, 1) > date.today()]
        assert future, block
        assert all(row[1] == 2 and row[2] is None and row[3] is None and row[4] is None for row in future), (
            future
        )
