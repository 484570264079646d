"""The summary tables equal the records after every kind of change (issue 14): created on a page
or through the API, edited, sent, approved, returned, reopened, corrected, deleted, purged,
ratings changed, a failed change rolled back; rebuilt by the command. And reports read from them
give the figures the records give."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.models import Activity, DriverAssessment, Incident
from app.services import lifecycle, summaries
from app.services.lifecycle import Action, Change
from app.vocabulary import Status
from reports import queries as q
from reports.facts import FACTS, grouped
from reports.filters import resolve_filters

from . import entry_data
from .test_api import body_for, url

DAY = date(2025, 3, 14)


def _expected(db) -> dict[str, set[tuple]]:
    """Each summary as the records make it, computed afresh (nothing stored)."""
    dialect = db.session.get_bind().dialect.name
    return {
        fact.table.name: {_plain(row) for row in db.session.execute(grouped(fact, dialect))} for fact in FACTS
    }


def _stored(db) -> dict[str, set[tuple]]:
    columns = lambda fact: [fact.table.c[name] for name in (*fact.key, *fact.sums)]  # noqa: E731
    return {
        fact.table.name: {_plain(row) for row in db.session.execute(select(*columns(fact)))} for fact in FACTS
    }


def _plain(row) -> tuple:
    return tuple(int(v) if isinstance(v, int) else getattr(v, "value", v) for v in row)


def assert_summaries_match(db) -> None:
    db.session.flush()
    expected, stored = _expected(db), _stored(db)
    for name in expected:
        assert stored[name] == expected[name], name


@pytest.fixture
def people(make, db):
    org = make.organisation("KG-O-KSU", code="ORG-SUM")
    found = {
        "author": make.user("volunteer", organisation=org),
        "coordinator": make.user("coordinator", region="KG-O"),
    }
    db.session.commit()
    return found


def _activity_values(record: Activity, **more) -> dict:
    return {"date": record.date, "community_id": record.community_id, **more}


def test_every_step_of_the_lifecycle_keeps_the_summaries_equal_to_the_records(db, make, people):
    author, coordinator = people["author"], people["coordinator"]
    record = make.activity(author, status=Status.DRAFT, date=DAY, f_18_29=4, recommendations=("R4", "R6"))
    incident = make.incident(author, status=Status.SUBMITTED, date=DAY)
    assessment = make.assessment(author, status=Status.SUBMITTED, date=DAY, ratings={"unemployment": 2})
    db.session.commit()
    assert_summaries_match(db)
    steps = [
        (author, Change(Action.EDIT, values=_activity_values(record, f_18_29=9, recommendations=["R1"]))),
        (author, Change(Action.EDIT, values=_activity_values(record, date=date(2025, 5, 2)))),
        (author, Change(Action.SUBMIT)),
        (coordinator, Change(Action.RETURN, note="Count the women separately.")),
        (author, Change(Action.SUBMIT)),
        (coordinator, Change(Action.CORRECT, values=_activity_values(record, m_30_59=3), note="Typo.")),
        (coordinator, Change(Action.APPROVE)),
        (coordinator, Change(Action.REOPEN, note="A wrong village.")),
    ]
    for actor, change in steps:
        lifecycle.apply(db.session, actor, record, change)
        db.session.commit()
        assert_summaries_match(db)
    lifecycle.apply(db.session, coordinator, incident, Change(Action.APPROVE))
    lifecycle.apply(
        db.session,
        coordinator,
        assessment,
        Change(
            Action.CORRECT,
            values={
                "date": DAY,
                "community_id": assessment.community_id,
                "ratings": {"unemployment": (3, "up"), "injustice": (1, "same")},
            },
            note="Rated again.",
        ),
    )
    db.session.commit()
    assert_summaries_match(db)
    lifecycle.purge_text(db.session, incident)
    db.session.commit()
    assert_summaries_match(db)
    draft = make.activity(author, status=Status.DRAFT, date=DAY)
    db.session.commit()
    lifecycle.apply(db.session, author, draft, Change(Action.DELETE))
    db.session.commit()
    assert_summaries_match(db)
    approved = db.session.scalars(select(q.facts.ACTIVITIES.table)).all()
    assert approved, "the summaries hold the activity"


def test_a_rolled_back_change_leaves_the_summaries_as_they_were(db, make, people):
    record = make.activity(people["author"], status=Status.SUBMITTED, date=DAY, f_u18=2)
    db.session.commit()
    before = _stored(db)
    lifecycle.apply(db.session, people["coordinator"], record, Change(Action.APPROVE))
    db.session.flush()
    assert _stored(db) != before
    db.session.rollback()
    assert _stored(db) == before
    assert_summaries_match(db)


def test_pages_and_the_api_keep_the_summaries_equal(db, make, people, login_as, volunteer):
    client = login_as(volunteer)
    home = volunteer.organisation.district.communities[0]
    assert client.post("/activities/new", data=entry_data.activity(home.id)).status_code == 303
    assert client.post("/incidents/new", data=entry_data.incident(home.id)).status_code == 303
    key = uuid.uuid4()
    assert client.put(url("assessments", key), json=body_for("assessments", home.id)).status_code == 201
    assert client.put(url("assessments", key), json=body_for("assessments", home.id)).status_code == 200
    assert_summaries_match(db)
    refused = client.post("/activities/new", data=entry_data.activity(home.id, f_u18="-1"))
    assert refused.status_code == 422
    assert_summaries_match(db)


def test_rebuild_gives_the_same_rows_and_the_command_says_how_many(db, make, people, runner):
    for month in (1, 2, 2, 3):
        make.activity(people["author"], status=Status.APPROVED, date=date(2025, month, 5), f_18_29=month)
    for groups in (("youth", "women"), ("youth",)):  # rows that add into the same summary rows
        make.activity(
            people["author"], date=date(2025, 2, 5), target_groups=groups, recommendations=("R1", "R6")
        )
    make.incident(people["author"], status=Status.APPROVED, date=DAY)
    make.assessment(people["author"], date=DAY)
    make.assessment(people["author"], date=DAY, ratings={"unemployment": 3})
    db.session.commit()
    maintained = _stored(db)
    summaries.rebuild(db.session)
    db.session.commit()
    assert _stored(db) == maintained
    assert_summaries_match(db)  # and each table as GROUP BY makes it from the records
    result = runner.invoke(args=["rebuild-summaries"])
    assert result.exit_code == 0 and "summary_activities 4 rows" in result.output, result.output
    assert _stored(db) == maintained


def test_reports_read_the_same_figures_from_summaries_and_from_records(db, make, people):
    """A period of whole months (summaries) and the same period shifted by a day (records at both
    edges) count the same records when no record falls on the days that differ."""
    author = people["author"]
    for month, day, cells in ((1, 10, 3), (2, 11, 5), (3, 12, 7), (4, 13, 2)):
        make.activity(author, status=Status.APPROVED, date=date(2025, month, day), f_18_29=cells, m_u18=1)
        make.incident(author, status=Status.APPROVED, date=date(2025, month, day))
    db.session.commit()
    whole = resolve_filters(
        db.session, audience="coordinator", date_from=date(2025, 1, 1), date_to=date(2025, 3, 31)
    )
    shifted = resolve_filters(
        db.session, audience="coordinator", date_from=date(2025, 1, 2), date_to=date(2025, 4, 1)
    )
    records_only = resolve_filters(
        db.session, audience="coordinator", date_from=date(2025, 1, 5), date_to=date(2025, 3, 20)
    )
    for filters in (whole, shifted, records_only):
        totals = q.activity_totals(db.session, filters)
        assert (totals.activities, totals.participants, totals.communities) == (3, 18, 1), filters
        assert q.record_counts(db.session, filters)["incidents"].n == 3
        assert sum(t.n for t in q.incidents_by(db.session, filters, "severity").values()) == 3
    assert [n for _m, n, _k in q.activities_by_month(db.session, whole)] == [1, 1, 1]


@pytest.mark.parametrize("model", [Activity, Incident, DriverAssessment])
def test_deleting_a_record_removes_its_summary_rows(db, make, people, model):
    builders = {Activity: make.activity, Incident: make.incident, DriverAssessment: make.assessment}
    extra = {"ratings": {"unemployment": 1}} if model is DriverAssessment else {}
    record = builders[model](people["author"], status=Status.DRAFT, date=DAY, **extra)
    db.session.commit()
    assert any(_stored(db).values())
    db.session.delete(record)
    db.session.commit()
    assert not any(_stored(db).values())
