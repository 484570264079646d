"""Closed months: closing refuses while entries wait, a closed month's entries are frozen, admins reopen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Activity, AuditEvent, ClosedPeriod, ReviewNote
from app.vocabulary import Status

from . import entry_data

#: A whole month in the past, so entries can be dated in it.
LAST_MONTH = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
IN_MONTH = LAST_MONTH + timedelta(days=9)


@pytest.fixture
def team(make, db):
    org = make.organisation("KG-O-KSU")
    team = {
        "volunteer": make.user("volunteer", organisation=org),
        "coordinator": make.user("coordinator", region="KG-O"),
        "national": make.user("coordinator", country="KG"),
        "coordinator_tj": make.user("coordinator", region="TJ-SU"),
        "admin": make.user("admin"),
    }
    db.session.commit()
    return team


def _region_value(make, code: str) -> str:
    from app.models import Region

    region = make.session.scalar(select(Region).where(Region.code == code))
    return f"region:{region.id}"


def _close(client, make, region: str = "KG-O", month: date = LAST_MONTH):
    return client.post(
        "/review/periods", data={"month": month.isoformat()[:7], "area": _region_value(make, region)}
    )


def test_closing_refuses_while_entries_wait_and_says_how_many(client, login_as, team, make, db):
    waiting = [make.activity(team["volunteer"], status=Status.SUBMITTED, date=IN_MONTH) for _ in range(2)]
    make.activity(team["volunteer"], status=Status.DRAFT, date=IN_MONTH)  # drafts do not hold it up
    db.session.commit()
    login_as(team["coordinator"])
    response = _close(client, make)
    assert response.status_code == 409
    assert "2 entries of" in response.get_data(as_text=True) and "still wait for review" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count(ClosedPeriod.id))) == 0
    for record in waiting:
        assert client.post(f"/activities/{record.uuid}/approve", data={"version": "1"}).status_code == 303
    assert _close(client, make).status_code == 303
    (period,) = db.session.scalars(select(ClosedPeriod)).all()
    assert period.month == LAST_MONTH and period.region.code == "KG-O"
    assert "closed by " + team["coordinator"].username in client.get("/review/periods").get_data(as_text=True)
    assert _close(client, make).status_code == 409  # already closed


def test_a_closed_month_freezes_its_entries(client, login_as, team, make, db):
    volunteer = team["volunteer"]
    approved = make.activity(volunteer, status=Status.APPROVED, date=IN_MONTH)
    returned = make.activity(volunteer, status=Status.RETURNED, date=IN_MONTH, review_comment="Fix")
    draft_now = make.activity(volunteer, status=Status.DRAFT, date=date.today())
    db.session.commit()
    login_as(team["coordinator"])
    assert _close(client, make).status_code == 303
    response = client.post(f"/activities/{approved.uuid}/reopen", data={"reason": "Late fix", "version": "1"})
    assert response.status_code == 409 and "is closed for reporting" in response.get_data(as_text=True)
    client.post("/logout")

    login_as(volunteer)
    shown = client.get(f"/activities/{returned.uuid}").get_data(as_text=True)
    assert "is closed for reporting in this area: this entry can no longer change" in shown
    assert "can no longer change" not in client.get(f"/activities/{draft_now.uuid}").get_data(as_text=True)
    community = approved.community_id
    new = client.post("/activities/new", data=entry_data.activity(community, date=IN_MONTH.isoformat()))
    assert new.status_code == 409 and "is closed for reporting" in new.get_data(as_text=True)
    edit = client.post(f"/activities/{returned.uuid}/edit", data=entry_data.activity(community))
    assert edit.status_code == 409
    assert client.post(f"/activities/{returned.uuid}/submit").status_code == 409
    # nor can an open entry be moved into the closed month
    moved = client.post(
        f"/activities/{draft_now.uuid}/edit", data=entry_data.activity(community, date=IN_MONTH.isoformat())
    )
    assert moved.status_code == 409
    db.session.expire_all()
    assert db.session.get(Activity, returned.id).status == Status.RETURNED
    assert db.session.get(Activity, draft_now.id).date == date.today()
    assert db.session.scalar(select(func.count(Activity.id))) == 3
    # the rest of the country is not closed
    other = make.community("KG-C-SKL-01")
    assert other is not None


def test_coordinator_closes_only_their_area_and_cannot_reopen(client, login_as, team, make, db):
    login_as(team["coordinator_tj"])
    response = _close(client, make, region="KG-O")
    assert response.status_code == 422  # not among the areas offered
    assert db.session.scalar(select(func.count(ClosedPeriod.id))) == 0
    assert _close(client, make, region="TJ-SU").status_code == 303
    period = db.session.scalar(select(ClosedPeriod))
    response = client.post(f"/review/periods/{period.uuid}/reopen", data={"reason": "Mistake"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(ClosedPeriod.id))) == 1


def test_national_coordinator_closes_the_whole_country(client, login_as, team, make, db):
    from app.models import Country

    kg = db.session.scalar(select(Country).where(Country.code == "KG"))
    login_as(team["national"])
    page = client.get("/review/periods").get_data(as_text=True)
    assert f'value="country:{kg.id}"' in page and "TJ-SU" not in page
    month = LAST_MONTH.isoformat()[:7]
    assert (
        client.post("/review/periods", data={"month": month, "area": f"country:{kg.id}"}).status_code == 303
    )
    # a region of a closed country is closed already
    assert _close(client, make, region="KG-C").status_code == 409


@pytest.mark.parametrize("month", ["", "2026-13", "26-01", "2014-12", "x" * 100_000])
def test_bad_month_is_refused(client, login_as, team, make, db, month):
    login_as(team["coordinator"])
    response = client.post("/review/periods", data={"month": month, "area": _region_value(make, "KG-O")})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(ClosedPeriod.id))) == 0


def test_future_month_is_refused(client, login_as, team, make, db):
    login_as(team["coordinator"])
    next_month = (date.today().replace(day=28) + timedelta(days=5)).replace(day=1)
    response = _close(client, make, month=next_month)
    assert response.status_code == 422 and "once it has begun" in response.get_data(as_text=True)


def test_admin_reopens_with_a_reason(client, login_as, team, make, db):
    record = make.activity(team["volunteer"], status=Status.APPROVED, date=IN_MONTH)
    db.session.commit()
    login_as(team["admin"])
    assert _close(client, make).status_code == 303
    period = db.session.scalar(select(ClosedPeriod))
    response = client.post(f"/review/periods/{period.uuid}/reopen", data={"reason": "  "})
    assert response.status_code == 422 and "Give the reason" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ClosedPeriod.id))) == 1
    response = client.post(f"/review/periods/{period.uuid}/reopen", data={"reason": "Late corrections."})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(ClosedPeriod.id))) == 0
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.object_type == "period", AuditEvent.action == "reopen")
    )
    assert db.session.get(ReviewNote, event.id).text == "Late corrections."
    # open again: the entry can be reopened
    client.post("/logout")
    login_as(team["coordinator"])
    assert (
        client.post(f"/activities/{record.uuid}/reopen", data={"reason": "Fix", "version": "1"}).status_code
        == 303
    )


def test_which_communities_a_closing_covers(make, db, team):
    """A country's closing covers every community of it; a region's, only its own; neither covers
    another month."""
    from app.models import Country, Region
    from app.services.periods import closed_month_of

    osh, chui, sughd = (make.community(code) for code in ("KG-O-KSU-02", "KG-C-SKL-01", "TJ-SU-PNJ-01"))

    def closed() -> list[bool]:
        return [closed_month_of(db.session, c.id, IN_MONTH) is not None for c in (osh, chui, sughd)]

    assert closed() == [False, False, False]
    by = team["admin"].id
    region = db.session.scalar(select(Region).where(Region.code == "KG-O"))
    db.session.add(
        ClosedPeriod(month=LAST_MONTH, country_id=region.country_id, region_id=region.id, closed_by_id=by)
    )
    db.session.flush()
    assert closed() == [True, False, False]
    assert closed_month_of(db.session, osh.id, IN_MONTH + timedelta(days=31)) is None  # the next month
    kg = db.session.scalar(select(Country).where(Country.code == "KG"))
    db.session.add(ClosedPeriod(month=LAST_MONTH, country_id=kg.id, closed_by_id=by))
    db.session.flush()
    assert closed() == [True, True, False]
    db.session.rollback()
