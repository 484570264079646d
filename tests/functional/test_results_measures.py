"""Each measure of the results framework equals a count made here, independently, from the seeded
records: approved only, in the programme's area and period, per quarter and cumulatively."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from app.models import Country, Indicator, IndicatorTarget, ManualActual, Measure, Programme, Region
from app.vocabulary import COUNT_CELLS, IncidentStatus, Response, Severity, Status
from reports.results import actual, progress, quarter_end, quarter_start, quarters

START, END = date(2025, 1, 1), date(2025, 12, 31)
#: Osh Region is in the programme; Sughd (Tajikistan) is not.
INSIDE, OUTSIDE = ("KG-O-KSU-01", "KG-O-KSU-02", "KG-O-ARV-01"), ("TJ-SU-PNJ-01",)
STATUSES = (Status.APPROVED, Status.APPROVED, Status.SUBMITTED, Status.DRAFT, Status.RETURNED)


def _day(rng: random.Random) -> date:
    """Mostly in 2025, some before and after the programme."""
    year = rng.choice((2024, 2025, 2025, 2025, 2026))
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


@pytest.fixture(params=["summaries", "records"], autouse=True)
def source(request, monkeypatch):
    """Every test twice: actuals read from the summary tables where they can be, and from the
    records alone (each must equal the count made here)."""
    from reports import results

    monkeypatch.setattr(results, "USE_SUMMARIES", request.param == "summaries")
    return request.param


@pytest.fixture
def seeded(make, db):
    rng = random.Random(13)
    osh = make.organisation("KG-O-KSU", code="ORG-RF-KG")
    sughd = make.organisation("TJ-SU-PNJ", code="ORG-RF-TJ")
    authors = {
        "KG": make.user("volunteer", organisation=osh),
        "TJ": make.user("volunteer", organisation=sughd),
    }
    records = {"activities": [], "incidents": [], "assessments": []}
    for _n in range(60):
        community = rng.choice(INSIDE + OUTSIDE)
        author = authors["TJ" if community.startswith("TJ") else "KG"]
        common = {"community": community, "date": _day(rng), "status": rng.choice(STATUSES)}
        counts = {column: rng.randint(0, 6) for column, _sex, _band in COUNT_CELLS}
        counts["first_time_participants"] = rng.randint(0, sum(counts.values()))
        records["activities"].append(
            make.activity(
                author,
                activity_type=rng.choice(("dialogue", "training")),
                target_groups=tuple(rng.sample(("youth", "women", "imams"), 2)),
                recommendations=tuple(rng.sample(("R4", "R6", "R9"), 1)),
                **common,
                **counts,
            )
        )
        records["incidents"].append(
            make.incident(
                author,
                category=rng.choice(("online_content", "interethnic_incident")),
                severity=rng.choice(list(Severity)),
                response=rng.choice(list(Response)),
                incident_status=rng.choice(list(IncidentStatus)),
                **common,
            )
        )
        records["assessments"].append(
            make.assessment(author, ratings={"unemployment": rng.randint(0, 3)}, **common)
        )
    programme = Programme(code="PVE-KG-OSH", name="Osh programme", start_date=START, end_date=END)
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    db.session.add(programme)
    db.session.commit()
    return programme, records


def _indicator(db, programme, measure: Measure, **values) -> Indicator:
    indicator = Indicator(
        programme=programme, code=f"I-{measure.value}", name=measure.value, measure=measure, **values
    )
    db.session.add(indicator)
    db.session.commit()
    return indicator


def _counted(records, start: date, end: date, **more):
    """The records an actual counts, chosen here without SQL."""
    return [
        r
        for r in records
        if r.status == Status.APPROVED
        and r.community.code.startswith("KG-O")
        and max(start, START) <= r.date <= min(end, END)
        and all(test(r) for test in more.values())
    ]


def _stretches():
    for start in quarters(START, END):
        yield start, quarter_end(start)  # the quarter
        yield START, quarter_end(start)  # cumulative


def _people(record, sex: str | None = None, bands: set | None = None) -> int:
    return sum(
        getattr(record, column)
        for column, s, band in COUNT_CELLS
        if (sex is None or s.value == sex) and (bands is None or band.value in bands)
    )


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


EXPECTED = {
    Measure.ACTIVITIES: lambda rs, s, e: float(len(_counted(rs["activities"], s, e))),
    Measure.PARTICIPANTS: lambda rs, s, e: float(sum(_people(r) for r in _counted(rs["activities"], s, e))),
    Measure.NEW_PARTICIPANTS: lambda rs, s, e: float(
        sum(r.first_time_participants for r in _counted(rs["activities"], s, e))
    ),
    Measure.SHARE_WOMEN: lambda rs, s, e: _share(
        sum(_people(r, "f") for r in _counted(rs["activities"], s, e)),
        sum(_people(r) for r in _counted(rs["activities"], s, e)),
    ),
    Measure.SHARE_YOUTH: lambda rs, s, e: _share(
        sum(_people(r, bands={"u18", "18_29"}) for r in _counted(rs["activities"], s, e)),
        sum(_people(r) for r in _counted(rs["activities"], s, e)),
    ),
    Measure.COMMUNITIES_REACHED: lambda rs, s, e: float(
        len({r.community_id for r in _counted(rs["activities"], s, e)})
    ),
    Measure.INCIDENTS: lambda rs, s, e: float(len(_counted(rs["incidents"], s, e))),
    Measure.SHARE_INCIDENTS_RESPONDED: lambda rs, s, e: _share(
        len(_counted(rs["incidents"], s, e, responded=lambda r: r.response != Response.NONE)),
        len(_counted(rs["incidents"], s, e)),
    ),
    Measure.SHARE_INCIDENTS_RESOLVED: lambda rs, s, e: _share(
        len(_counted(rs["incidents"], s, e, resolved=lambda r: r.incident_status == IncidentStatus.RESOLVED)),
        len(_counted(rs["incidents"], s, e)),
    ),
}


@pytest.mark.parametrize("measure", list(EXPECTED))
def test_each_measure_equals_the_records_per_quarter_and_cumulatively(db, seeded, measure):
    programme, records = seeded
    indicator = _indicator(db, programme, measure)
    for start, end in _stretches():
        assert actual(db.session, indicator, start, end) == EXPECTED[measure](records, start, end), (
            start,
            end,
        )


def test_filters_narrow_the_activities_counted(db, seeded):
    programme, records = seeded
    indicator = _indicator(
        db,
        programme,
        Measure.PARTICIPANTS,
        filters={
            "activity_types": ["training"],
            "target_groups": ["women"],
            "sex": "f",
            "age_bands": ["18_29"],
        },
    )
    for start, end in _stretches():
        chosen = _counted(
            records["activities"],
            start,
            end,
            kind=lambda r: r.activity_type_code == "training",
            group=lambda r: "women" in {g.code for g in r.target_groups},
        )
        assert actual(db.session, indicator, start, end) == float(
            sum(_people(r, "f", {"18_29"}) for r in chosen)
        )


def test_incidents_by_severity_and_the_share_of_the_areas_communities(db, seeded):
    programme, records = seeded
    severe = _indicator(db, programme, Measure.INCIDENTS, filters={"severities": ["high"]})
    share = _indicator(db, programme, Measure.SHARE_COMMUNITIES_REACHED)
    osh_communities = sum(len(d.communities) for d in programme.regions[0].districts)
    for start, end in _stretches():
        high = _counted(records["incidents"], start, end, high=lambda r: r.severity == Severity.HIGH)
        assert actual(db.session, severe, start, end) == float(len(high))
        reached = {r.community_id for r in _counted(records["activities"], start, end)}
        assert actual(db.session, share, start, end) == _share(len(reached), osh_communities)


def test_the_mean_rating_of_a_driver(db, seeded):
    programme, records = seeded
    indicator = _indicator(db, programme, Measure.MEAN_RATING, filters={"driver": "unemployment"})
    for start, end in _stretches():
        ratings = [
            rating.rating
            for a in _counted(records["assessments"], start, end)
            for rating in a.ratings
            if rating.driver_code == "unemployment"
        ]
        expected = round(sum(ratings) / len(ratings), 2) if ratings else None
        assert actual(db.session, indicator, start, end) == expected


def test_manual_actuals_and_progress_against_targets(db, seeded, make):
    programme, _records = seeded
    indicator = _indicator(db, programme, Measure.MANUAL, unit="%")
    indicator.manual_actuals = [
        ManualActual(quarter=date(2025, 1, 1), value=40.0, source_note="Baseline survey"),
        ManualActual(quarter=date(2025, 7, 1), value=55.0, source_note="Mid-term survey"),
    ]
    indicator.targets = [IndicatorTarget(quarter=q, value=50.0) for q in quarters(START, END)]
    db.session.commit()
    rows = progress(db.session, indicator)
    assert [r.quarter for r in rows] == [
        date(2025, 1, 1),
        date(2025, 4, 1),
        date(2025, 7, 1),
        date(2025, 10, 1),
    ]
    assert [r.actual for r in rows] == [40.0, None, 55.0, None]
    assert [r.cumulative for r in rows] == [40.0, 40.0, 55.0, 55.0]  # a survey's latest value
    assert [r.achieved for r in rows] == [80.0, None, 110.0, None]


def test_a_country_wide_programme_counts_every_region_of_the_country(db, seeded):
    programme, records = seeded
    programme.regions = []
    programme.countries = [db.session.scalar(select(Country).where(Country.code == "TJ"))]
    db.session.commit()
    indicator = _indicator(db, programme, Measure.ACTIVITIES)
    expected = [
        r
        for r in records["activities"]
        if r.status == Status.APPROVED and r.community.code.startswith("TJ") and START <= r.date <= END
    ]
    assert actual(db.session, indicator, START, END) == float(len(expected))


def test_quarters_of_a_period():
    assert quarters(date(2025, 2, 10), date(2025, 11, 3)) == [
        date(2025, 1, 1),
        date(2025, 4, 1),
        date(2025, 7, 1),
        date(2025, 10, 1),
    ]
    assert quarter_start(date(2025, 12, 31)) == date(2025, 10, 1)
    assert quarter_end(date(2025, 10, 1)) == date(2025, 12, 31)
