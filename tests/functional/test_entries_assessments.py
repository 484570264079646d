"""The driver assessment form: the concerns assessed rated 0-3 with a trend, the rest left out."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import AuditEvent, DriverAssessment
from app.vocabulary import DRIVER_GROUPS, DRIVERS, Status, Trend
from reports.filters import Audience, ReportFilters
from reports.queries import driver_matrix

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


# -- Concerns start unrated; only rated ones are stored ----------------------------------------------

AT_LEAST_ONE = "Rate at least one concern."


def test_new_form_starts_unrated_in_four_groups(signed_in, db):
    html = signed_in.get("/assessments/new").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', html)
    assert len(radios) == len(DRIVERS) * (5 + 3)  # four ratings and "Not assessed", three trends
    assert not [r for r in radios if "checked" in r]
    assert html.count("data-concern-group") == len(DRIVER_GROUPS) == 4
    assert f"0 of {len(DRIVERS)} rated" in html
    assert html.count('value="na"') == len(DRIVERS) and "Not assessed" in html


@pytest.mark.parametrize(
    "ratings",
    [
        {},  # sent untouched
        {code: ("na", None) for code, _label in DRIVERS},  # everything "not assessed"
        {"injustice": ("na", "up"), "unemployment": ("", "down")},  # trends alone count for nothing
    ],
    ids=["untouched", "all-not-assessed", "trends-only"],
)
def test_an_assessment_with_nothing_rated_is_refused(signed_in, home_community, db, ratings):
    response = signed_in.post(
        "/assessments/new", data=entry_data.partial_assessment(home_community.id, ratings)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html[
        html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))
    ]
    assert AT_LEAST_ONE in summary  # at the top
    assert 'id="concerns-error"' in html  # and beside the concerns
    assert html.index('id="concerns-error"') > html.index('id="concerns-title"')
    assert count(db, "assessments") == 0


def test_only_rated_concerns_are_stored(signed_in, home_community, db):
    ratings = {
        "unemployment": ("3", "up"),
        "injustice": ("0", "same"),
        "corruption": ("na", "down"),  # not assessed: its trend is ignored
        "belonging": ("", "up"),  # unrated
    }
    data = entry_data.partial_assessment(home_community.id, ratings)
    assert signed_in.post("/assessments/new", data=data).status_code == 303
    stored = {r.driver_code: (r.rating, r.trend) for r in _stored(db).ratings}
    assert stored == {"unemployment": (3, Trend.UP), "injustice": (0, Trend.SAME)}


def test_a_rated_concern_needs_its_trend(signed_in, home_community, db):
    data = entry_data.partial_assessment(
        home_community.id, {"unemployment": ("2", None), "injustice": ("1", "up")}
    )
    response = signed_in.post("/assessments/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="rating_unemployment-trend-error"' in html and "Choose a trend." in html
    assert 'id="rating_injustice-trend-error"' not in html
    assert '<a href="#rating_unemployment">' in html  # listed at the top
    assert count(db, "assessments") == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "-1", "Not a valid choice"),
        ("rating", "NA", "Invalid Choice"),
        ("trend", "0", "Not a valid choice"),
    ],
)
def test_bad_rating_values_refused(signed_in, home_community, db, field, value, message):
    data = entry_data.partial_assessment(home_community.id, {"injustice": ("1", "up")})
    data[f"rating_unemployment-{field}"] = value
    if field == "trend":
        data["rating_unemployment-rating"] = "2"
    response = signed_in.post("/assessments/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'id="rating_unemployment-{field}-error"' in html
    assert count(db, "assessments") == 0


def test_progress_counts_what_was_rated_after_an_error(signed_in, home_community, db):
    ratings = {"unemployment": ("3", "up"), "injustice": ("1", None), "corruption": ("na", None)}
    html = signed_in.post(
        "/assessments/new", data=entry_data.partial_assessment(home_community.id, ratings)
    ).get_data(as_text=True)
    assert f"2 of {len(DRIVERS)} rated" in html
    assert "1 of 5 rated" in html  # justice and rights: injustice
    assert "data-concern-group open" in html  # the group with the error is open


def test_edit_shows_ratings_and_not_assessed_ones(signed_in, volunteer, make, db):
    assessment = make.assessment(volunteer, status=Status.DRAFT, ratings={"unemployment": 3, "injustice": 0})
    db.session.commit()
    html = signed_in.get(f"/assessments/{assessment.uuid}/edit").get_data(as_text=True)
    checked = dict(
        re.findall(
            r'<input checked id="(rating_\w+)-rating-\d" name="\1-rating" type="radio" value="(\w+)">', html
        )
    )
    assert checked["rating_unemployment"] == "3" and checked["rating_injustice"] == "0"
    assert checked["rating_corruption"] == "na"
    assert len(checked) == len(DRIVERS)
    assert f"2 of {len(DRIVERS)} rated" in html


def test_marking_a_rated_concern_not_assessed_removes_its_rating(signed_in, volunteer, make, db):
    assessment = make.assessment(volunteer, status=Status.DRAFT, ratings={"unemployment": 3, "injustice": 1})
    db.session.commit()
    data = entry_data.partial_assessment(
        assessment.community_id,
        {"unemployment": ("3", "same"), "injustice": ("na", None)},
        version=str(assessment.version),
        submit=None,
        save_draft="1",
    )
    assert signed_in.post(f"/assessments/{assessment.uuid}/edit", data=data).status_code == 303
    assert {r.driver_code for r in _stored(db).ratings} == {"unemployment"}
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.details["changes"]["rating:injustice"] == [[1, "same"], None]
    history = signed_in.get(f"/assessments/{assessment.uuid}")
    assert history.status_code == 200 and "Perceived injustice" in history.get_data(as_text=True)


def test_detail_lists_the_concerns_not_assessed(signed_in, volunteer, make, db):
    assessment = make.assessment(volunteer, ratings={"unemployment": 3})
    db.session.commit()
    html = signed_in.get(f"/assessments/{assessment.uuid}").get_data(as_text=True)
    assert f"1 of {len(DRIVERS)} rated" in html
    not_assessed = html[html.index("<dt>Not assessed</dt>") : html.index("<dt>Notes</dt>")]
    assert "Perceived injustice" in not_assessed and "Lack of jobs and income" not in not_assessed


def test_not_assessed_concerns_are_left_out_of_the_means(signed_in, home_community, db):
    first = {"unemployment": ("3", "up"), "injustice": ("na", None)}
    second = {"unemployment": ("1", "same"), "injustice": ("2", "down")}
    for ratings in (first, second):
        data = entry_data.partial_assessment(home_community.id, ratings)
        assert signed_in.post("/assessments/new", data=data).status_code == 303
    filters = ReportFilters(date_from=date(2015, 1, 1), date_to=date.today(), audience=Audience.COORDINATOR)
    (cells,) = driver_matrix(db.session, filters).values()  # the one region assessed
    assert (cells["unemployment"].mean, cells["unemployment"].assessments) == (2.0, 2)
    assert (cells["injustice"].mean, cells["injustice"].assessments) == (2.0, 1)  # not (1.0, 2)
    assert cells["corruption"].assessments == 0 and cells["corruption"].mean is None
