"""The results pages (issue 13): who sees which programme, exact figures for coordinators, published
ones for donors (on the page and in the chart data alike), and the demo programmes seeded once."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.models import Indicator, IndicatorTarget, ManualActual, Measure, Programme, Region, User
from app.models.geography import Country
from app.results.page import quarter_label, shown
from app.services.seed import seed_demo
from app.vocabulary import Status
from reports.results import progress, published, quarter_end, quarters

START, END = date(2025, 1, 1), date(2025, 12, 31)


def _programme(db, code: str, *, regions=(), countries=(), donors=()) -> Programme:
    programme = Programme(code=code, name=f"Programme {code}", start_date=START, end_date=END)
    programme.regions = [db.session.scalar(select(Region).where(Region.code == r)) for r in regions]
    programme.countries = [db.session.scalar(select(Country).where(Country.code == c)) for c in countries]
    programme.donors = list(donors)
    db.session.add(programme)
    db.session.flush()
    return programme


def _indicator(db, programme: Programme, code: str, measure: Measure, **values) -> Indicator:
    indicator = Indicator(programme=programme, code=code, name=f"Indicator {code}", measure=measure, **values)
    indicator.targets = [IndicatorTarget(quarter=q, value=10.0) for q in quarters(START, END)]
    db.session.add(indicator)
    db.session.flush()
    return indicator


@pytest.fixture
def programmes(db):
    """Osh (KG-O), all of Kyrgyzstan, and Sughd (TJ-SU)."""
    found = {
        "osh": _programme(db, "P-OSH", regions=("KG-O",)),
        "kg": _programme(db, "P-KG", countries=("KG",)),
        "sughd": _programme(db, "P-SUGHD", regions=("TJ-SU",)),
    }
    db.session.commit()
    return found


def _listed(client) -> set[str]:
    response = client.get("/results")
    assert response.status_code == 200
    # The programme cards' titles (not the "New programme" button beside them).
    return set(re.findall(r'<h2><a href="/results/([^"]+)"', response.get_data(as_text=True)))


def test_a_volunteer_is_refused(make, db, login_as, programmes):
    client = login_as(make.user("volunteer"))
    assert client.get("/results").status_code == 403
    assert client.get("/results/P-OSH").status_code == 403


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"region": "KG-O"}, {"P-OSH", "P-KG"}),
        ({"region": "KG-C"}, {"P-KG"}),
        ({"country": "KG"}, {"P-OSH", "P-KG"}),
        ({"country": "TJ"}, {"P-SUGHD"}),
    ],
)
def test_a_coordinator_sees_the_programmes_of_their_area(make, db, login_as, programmes, scope, expected):
    client = login_as(make.user("coordinator", **scope))
    assert _listed(client) == expected
    for code in ("P-OSH", "P-KG", "P-SUGHD"):
        assert client.get(f"/results/{code}").status_code == (200 if code in expected else 404), code


def test_a_linked_donor_sees_only_their_programmes(make, db, login_as, programmes):
    donor = make.user("donor")
    programmes["sughd"].donors = [donor]
    db.session.commit()
    client = login_as(donor)
    assert _listed(client) == {"P-SUGHD"}
    assert client.get("/results/P-SUGHD").status_code == 200
    assert client.get("/results/P-OSH").status_code == 404


def test_an_unlinked_donor_and_an_admin_see_all(make, db, login_as, programmes, app):
    other = make.user("donor")
    programmes["osh"].donors = [other]  # linked to someone else: not the donor below
    db.session.commit()
    for role in ("donor", "admin"):
        client = app.test_client()
        user = make.user(role)
        db.session.commit()
        assert client.post("/login", data={"username": user.username, "password": "correct horse battery"})
        assert _listed(client) == {"P-OSH", "P-KG", "P-SUGHD"}, role
        assert client.get("/results/P-KG").status_code == 200
        assert client.get("/results/NO-SUCH").status_code == 404


def _section(page: str, code: str) -> str:
    match = re.search(rf'<section[^>]*data-indicator="{re.escape(code)}">(.*?)</section>', page, re.S)
    assert match, code
    return match.group(1)


def _cells(section: str, name: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(rf'<td data-cell="{name}">([^<]*)</td>', section)]


def _figures(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="dashboard-figures">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.fixture
def recorded(make, db, programmes):
    """Approved activities and incidents in Osh in 2025 (a few outside it and not approved)."""
    volunteer = make.user("volunteer")
    for month, n in ((2, 3), (5, 7), (8, 12)):
        for day in range(1, n + 1):
            make.activity(
                volunteer, date=date(2025, month, day), status=Status.APPROVED, m_18_29=2, f_30_59=3
            )
    make.activity(volunteer, date=date(2025, 2, 10), status=Status.SUBMITTED)
    make.activity(volunteer, date=date(2024, 12, 10), status=Status.APPROVED)
    make.incident(volunteer, date=date(2025, 4, 2), status=Status.APPROVED)
    programme = programmes["osh"]
    indicators = [
        _indicator(db, programme, "A", Measure.ACTIVITIES),
        _indicator(db, programme, "B", Measure.PARTICIPANTS),
        _indicator(db, programme, "C", Measure.SHARE_WOMEN, unit="%"),
        _indicator(db, programme, "D", Measure.INCIDENTS),
        _indicator(db, programme, "E", Measure.MANUAL, unit="%"),
    ]
    indicators[-1].manual_actuals = [ManualActual(quarter=START, value=41.5, source_note="Household survey")]
    db.session.commit()
    return programme, indicators


def test_a_coordinator_sees_the_exact_progress(make, db, login_as, recorded):
    _programme, indicators = recorded
    page = login_as(make.user("coordinator", region="KG-O")).get("/results/P-OSH").get_data(as_text=True)
    with force_locale("en"):
        for indicator in indicators:
            section = _section(page, indicator.code)
            rows = progress(db.session, indicator)
            assert _cells(section, "actual") == [shown(r.actual) for r in rows], indicator.code
            assert _cells(section, "cumulative") == [shown(r.cumulative) for r in rows], indicator.code
            assert _cells(section, "target") == [shown(r.target) for r in rows], indicator.code
            assert [quarter_label(r.quarter) for r in rows] == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"]
            figure = _figures(page)[f"indicator-{indicator.id}"]
            assert figure["data"][1]["y"] == [r.actual for r in rows]
    assert _cells(_section(page, "A"), "actual") == ["3", "7", "12", "0"]
    assert "Household survey" in page


def test_a_donor_sees_a_small_count_as_less_than_five_never_its_number(make, db, login_as, app, programmes):
    volunteer = make.user("volunteer")
    # Three approved activities in Q1, their keys chosen so that the published count is small.
    for day, key in ((1, 11), (2, 22), (3, 33)):
        make.activity(volunteer, date=date(2025, 1, day), status=Status.APPROVED, record_key=key)
    indicator = _indicator(db, programmes["osh"], "A", Measure.ACTIVITIES)
    db.session.commit()
    table, threshold = app.config["CELL_KEY_TABLE"], app.config["SUPPRESSION_THRESHOLD"]
    shown_q1 = published(db.session, indicator, START, quarter_end(START), table, threshold)
    if shown_q1 != "<5":
        pytest.fail(f"choose other keys: the published count is {shown_q1!r}")
    page = login_as(make.user("donor")).get("/results/P-OSH").get_data(as_text=True)
    section = _section(page, "A")
    assert _cells(section, "actual")[0] == "<5"
    assert _cells(section, "cumulative")[0] == "<5"
    assert _cells(section, "achieved")[0] == "–"
    actual = _figures(page)[f"indicator-{indicator.id}"]["data"][1]
    assert actual["y"][0] is None
    assert actual["text"][0] == "<5"
    assert 3 not in actual["y"] and "3" not in actual["text"]
    assert '<td data-cell="actual">3</td>' not in page


def test_the_seed_creates_the_demo_programmes_once(db):
    today = date(2026, 11, 27)
    for _run in range(2):
        seed_demo(db.session, activities=40, incidents=10, assessments=10, seed=3, today=today)
        db.session.commit()
    programmes = {p.code: p for p in db.session.scalars(select(Programme))}
    assert set(programmes) == {"DEMO-KG-SOUTH", "DEMO-TJ-SUGHD"}
    kg, tj = programmes["DEMO-KG-SOUTH"], programmes["DEMO-TJ-SUGHD"]
    assert {r.code for r in kg.regions} == {"KG-O", "KG-J"} and {r.code for r in tj.regions} == {"TJ-SU"}
    assert [u.username for u in kg.donors] == ["donor"] and tj.donors == []
    assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "donor")) == 1
    for programme in (kg, tj):
        assert {i.measure for i in programme.indicators} == set(Measure)
        assert all(set(i.names) >= {"ru", "ky", "tg", "uz"} for i in programme.indicators)
        assert set(programme.names) >= {"ru", "ky", "tg", "uz"}
        periods = quarters(programme.start_date, programme.end_date)
        for indicator in programme.indicators:
            assert [t.quarter for t in indicator.targets] == periods
            assert indicator.baseline_value is not None and indicator.target_total is not None
        manual = next(i for i in programme.indicators if i.measure == Measure.MANUAL)
        assert len(manual.manual_actuals) == 2 and all(a.source_note for a in manual.manual_actuals)
        rating = next(i for i in programme.indicators if i.measure == Measure.MEAN_RATING)
        assert rating.direction.value == "decrease" and rating.filters == {"driver": "unemployment"}


def test_a_quarter_not_begun_has_no_actual_yet(make, db, login_as):
    today = date.today()
    programme = Programme(
        code="P-NOW", name="Now", start_date=date(today.year, 1, 1), end_date=date(today.year + 1, 12, 31)
    )
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    db.session.add(programme)
    _indicator(db, programme, "A", Measure.ACTIVITIES)
    db.session.commit()
    page = login_as(make.user("admin")).get("/results/P-NOW").get_data(as_text=True)
    actuals = _cells(_section(page, "A"), "actual")
    assert len(actuals) == 8
    assert actuals[-4:] == ["–"] * 4  # next year's quarters
    assert actuals[0] == "0"  # this year's first quarter has begun: nothing approved is a zero
