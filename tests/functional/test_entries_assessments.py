"""The driver assessment form: every driver rated 0-3 with a trend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import DriverAssessment
from app.vocabulary import DRIVERS, Status, Trend

from . import entry_data
from .conftest import count


def _stored(db) -> DriverAssessment:
    db.session.expire_all()
    return db.session.scalar(select(DriverAssessment))


def test_valid_assessment_stored_exactly(signed_in, volunteer, home_community, db):
    response = signed_in.post("/assessments/new", data=entry_data.assessment(home_community.id))
    assert response.status_code == 303
    assessment = _stored(db)
    assert assessment.community_id == home_community.id
    assert assessment.organisation_id == volunteer.organisation_id
    assert assessment.notes == "Quarterly round table with the ayil okmotu."
    assert assessment.status == Status.SUBMITTED
    ratings = {r.driver_code: (r.rating, r.trend) for r in assessment.ratings}
    expected = {
        code: (position % 4, Trend(("down", "same", "up")[position % 3]))
        for position, (code, _label) in enumerate(DRIVERS)
    }
    assert ratings == expected


def test_edit_changes_ratings(signed_in, volunteer, make, db):
    assessment = make.assessment(volunteer, status=Status.DRAFT, ratings={"unemployment": 3})
    db.session.commit()
    page = signed_in.get(f"/assessments/{assessment.uuid}/edit").get_data(as_text=True)
    assert 'id="rating_unemployment-rating-3"' in page
    data = entry_data.assessment(assessment.community_id, **{"rating_unemployment-rating": "1"})
    assert signed_in.post(f"/assessments/{assessment.uuid}/edit", data=data).status_code == 303
    stored = _stored(db)
    assert len(stored.ratings) == len(DRIVERS)
    assert {r.driver_code: r.rating for r in stored.ratings}["unemployment"] == 1


BAD = [
    ("date", {"date": ""}, "Enter the date."),
    ("date", {"date": (date.today() + timedelta(days=1)).isoformat()}, "cannot be in the future"),
    ("date", {"date": "2014-01-01"}, "cannot be before 2015"),
    ("community", {"community": ""}, "Choose a community."),
    ("rating_injustice-rating", {"rating_injustice-rating": "4"}, "Not a valid choice"),
    ("rating_injustice-rating", {"rating_injustice-rating": "high"}, "Invalid Choice"),
    ("rating_unemployment-trend", {"rating_unemployment-trend": "sideways"}, "Not a valid choice"),
    ("notes", {"notes": "n" * 2001}, "under 2000 characters"),
    ("notes", {"notes": "Elder's phone +992 93 555 44 33"}, "phone number"),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_each_rule_refused_with_nothing_stored(signed_in, home_community, db, field, change, message):
    response = signed_in.post("/assessments/new", data=entry_data.assessment(home_community.id, **change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html
    assert count(db, "assessments") == 0


def test_community_outside_scope_refused(signed_in, make, db):
    elsewhere = make.community("TJ-KT-KUL-01")
    response = signed_in.post("/assessments/new", data=entry_data.assessment(elsewhere.id))
    assert response.status_code == 422
    assert count(db, "assessments") == 0
