"""Review through the pages: the queue, approve / return / reopen / correct, history, double posts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Activity, AuditEvent, Incident
from app.vocabulary import Status

from . import entry_data


@pytest.fixture
def team(make, db):
    org = make.organisation("KG-O-KSU", code="LCPC-TEST")
    team = {
        "volunteer": make.user("volunteer", organisation=org),
        "coordinator": make.user("coordinator", region="KG-O"),
        "other_coordinator": make.user("coordinator", region="KG-O"),
        "coordinator_out": make.user("coordinator", region="TJ-SU"),
        "admin": make.user("admin"),
        "donor": make.user("donor"),
    }
    db.session.commit()
    return team


def _fresh(db, record):
    db.session.expire_all()
    return db.session.get(type(record), record.id)


def _actions(db, record) -> list[str]:
    return [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_uuid == record.uuid).order_by(AuditEvent.id)
        )
    ]


# -- The queue --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("volunteer", 403), ("donor", 403), ("coordinator", 200), ("admin", 200), ("anonymous", 302)],
)
def test_queue_access_by_role(client, login_as, team, role, expected):
    if role != "anonymous":
        login_as(team[role])
    assert client.get("/review").status_code == expected
    assert client.get("/review/periods").status_code == expected


def test_queue_lists_submitted_in_scope_oldest_first(client, login_as, team, make, db):
    volunteer = team["volunteer"]
    now = date.today()
    newer = make.activity(
        volunteer, status=Status.SUBMITTED, submitted_at=_at(1), date=now - timedelta(days=2)
    )
    older = make.incident(
        volunteer, status=Status.SUBMITTED, submitted_at=_at(5), date=now - timedelta(days=1)
    )
    draft = make.activity(volunteer, status=Status.DRAFT)
    approved = make.activity(volunteer, status=Status.APPROVED)
    tj_org = make.organisation("TJ-SU-PNJ")
    outside = make.activity(make.user("volunteer", organisation=tj_org), status=Status.SUBMITTED)
    db.session.commit()
    login_as(team["coordinator"])
    html = client.get("/review").get_data(as_text=True)
    assert html.index(str(older.uuid)) < html.index(str(newer.uuid))
    for hidden in (draft, approved, outside):
        assert str(hidden.uuid) not in html
    assert "2 entries wait for review" in html
    assert f'>{volunteer.organisation.name} <span class="count">2</span></a>' in html
    only_incidents = client.get("/review?kind=incidents").get_data(as_text=True)
    assert str(older.uuid) in only_incidents and str(newer.uuid) not in only_incidents
    assert client.get("/review?kind=people").status_code == 400
    by_org = client.get(f"/review?organisation={volunteer.organisation.code}").get_data(as_text=True)
    assert str(older.uuid) in by_org and str(newer.uuid) in by_org
    assert client.get(f"/review?organisation={tj_org.code}").status_code == 400  # not in this area


def _at(days_ago: int):
    from datetime import UTC, datetime

    return datetime.now(UTC) - timedelta(days=days_ago)


def test_queue_pages(client, login_as, team, make, db, app):
    for _ in range(app.config["PER_PAGE"] + 2):
        make.activity(team["volunteer"], status=Status.SUBMITTED)
    db.session.commit()
    login_as(team["coordinator"])
    first = client.get("/review").get_data(as_text=True)
    assert first.count('class="queue-item"') == app.config["PER_PAGE"] and 'rel="prev"' not in first
    assert f"{app.config['PER_PAGE'] + 2} entries wait for review" in first
    after = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(after).get_data(as_text=True)
    assert second.count('class="queue-item"') == 2 and 'rel="next"' not in second
    picks = r'id="pick-([0-9a-f-]+)"'
    assert not set(re.findall(picks, first)) & set(re.findall(picks, second))
    before = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert client.get(before).get_data(as_text=True).count('class="queue-item"') == app.config["PER_PAGE"]
    assert client.get("/review?page=100000000000000000000").status_code == 200  # an old link: page 1


def test_bulk_approve_is_all_or_nothing(client, login_as, team, make, db):
    volunteer = team["volunteer"]
    records = [
        make.activity(volunteer, status=Status.SUBMITTED),
        make.incident(volunteer, status=Status.SUBMITTED),
    ]
    draft = make.activity(volunteer, status=Status.DRAFT)
    db.session.commit()
    login_as(team["coordinator"])
    picked = [
        f"activities:{records[0].uuid}:1",
        f"incidents:{records[1].uuid}:1",
        f"activities:{draft.uuid}:1",
    ]
    response = client.post("/review/approve", data={"records": picked}, follow_redirects=True)
    assert "Nothing was approved" in response.get_data(as_text=True)
    assert [_fresh(db, r).status for r in records] == [Status.SUBMITTED, Status.SUBMITTED]
    response = client.post("/review/approve", data={"records": picked[:2]})
    assert response.status_code == 303
    assert [_fresh(db, r).status for r in records] == [Status.APPROVED, Status.APPROVED]
    assert [_actions(db, r) for r in records] == [["approve"], ["approve"]]
    assert client.post("/review/approve", data={"records": ["activities:x:1"]}).status_code == 303
    assert client.post("/review/approve", data={}).status_code == 303


# -- One record -------------------------------------------------------------------------------------


def test_approve_return_reopen_through_the_pages(client, login_as, team, make, db):
    record = make.activity(team["volunteer"], status=Status.SUBMITTED)
    db.session.commit()
    login_as(team["coordinator"])
    url = f"/activities/{record.uuid}"
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/approve"' in page and f'action="{url}/return"' in page
    assert f'action="{url}/reopen"' not in page and f'action="{url}/delete"' not in page

    response = client.post(f"{url}/return", data={"comment": "", "version": "1"})
    assert response.status_code == 422
    assert "Say what needs to change" in response.get_data(as_text=True)
    response = client.post(f"{url}/return", data={"comment": "Call +996 555 123 456", "version": "1"})
    assert response.status_code == 422 and "phone number" in response.get_data(as_text=True)
    assert _fresh(db, record).status == Status.SUBMITTED and _actions(db, record) == []

    assert client.post(f"{url}/approve", data={"version": "1"}).status_code == 303
    assert _fresh(db, record).status == Status.APPROVED
    # a second coordinator's page still says version 1: the doubled approval is refused
    response = client.post(f"{url}/approve", data={"version": "1"})
    assert response.status_code in (403, 409)
    assert _actions(db, record) == ["approve"]

    assert client.post(f"{url}/reopen", data={"reason": "", "version": "2"}).status_code == 422
    response = client.post(f"{url}/reopen", data={"reason": "Wrong month.", "version": "1"})
    assert response.status_code == 409 and "changed this entry" in response.get_data(as_text=True)
    assert client.post(f"{url}/reopen", data={"reason": "Wrong month.", "version": "2"}).status_code == 303
    stored = _fresh(db, record)
    assert (stored.status, stored.version, stored.review_comment) == (Status.RETURNED, 3, "Wrong month.")
    assert _actions(db, record) == ["approve", "reopen"]


@pytest.mark.parametrize("path", ["approve", "return", "reopen"])
def test_review_out_of_scope_is_404_and_volunteer_403(client, login_as, team, make, db, path):
    record = make.activity(team["volunteer"], status=Status.SUBMITTED)
    db.session.commit()
    login_as(team["coordinator_out"])
    data = {"comment": "x", "reason": "x", "version": "1"}
    assert client.post(f"/activities/{record.uuid}/{path}", data=data).status_code == 404
    client.post("/logout")
    login_as(team["volunteer"])
    assert client.post(f"/activities/{record.uuid}/{path}", data=data).status_code == 403
    assert _fresh(db, record).status == Status.SUBMITTED and _actions(db, record) == []


def test_coordinator_corrects_with_a_reason_and_history_shows_the_diff(client, login_as, team, make, db):
    record = make.activity(team["volunteer"], status=Status.SUBMITTED, community="KG-O-KSU-01", f_u18=0)
    db.session.commit()
    login_as(team["coordinator"])
    url = f"/activities/{record.uuid}/edit"
    form = client.get(url)
    assert form.status_code == 200 and "Reason for the correction" in form.get_data(as_text=True)
    data = entry_data.activity(record.community_id, f_u18="12", outcome="Secret village words.", version="1")
    response = client.post(url, data={**data, "reason": ""})
    assert response.status_code == 422 and "Give the reason" in response.get_data(as_text=True)
    assert _fresh(db, record).f_u18 == 0
    assert client.post(url, data={**data, "reason": "Typo in the count."}).status_code == 303
    stored = _fresh(db, record)
    assert (stored.status, stored.f_u18, stored.version) == (Status.SUBMITTED, 12, 2)
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "correct")).all()
    assert event.user_id == team["coordinator"].id and event.details["changes"]["outcome"] == "changed"
    page = client.get(f"/activities/{record.uuid}").get_data(as_text=True)
    history = page[page.index('id="history-title"') :]
    assert "Corrected by a coordinator" in history and "Typo in the count." in history
    assert re.search(r'class="change-old">0</span>.*?class="change-new">12</span>', history, re.S)
    assert 'Short outcome</span> <span class="change-text">changed' in history
    assert "Secret village words." not in history


def test_volunteer_sees_returned_entries_first_with_the_comment(client, login_as, team, make, db):
    volunteer = team["volunteer"]
    make.activity(volunteer, status=Status.DRAFT)
    returned = make.incident(volunteer, status=Status.RETURNED, review_comment="Give the people affected.")
    db.session.commit()
    login_as(volunteer)
    html = client.get("/").get_data(as_text=True)
    assert "1 entry to fix" in html and "Give the people affected." in html
    assert html.index("Give the people affected.") < html.index("My recent entries")
    assert f'href="/incidents/{returned.uuid}/edit"' in html


# -- Double taps -----------------------------------------------------------------------------------


def test_double_posted_new_entry_stores_one_record(client, login_as, team, make, db):
    volunteer = team["volunteer"]
    login_as(volunteer)
    form = client.get("/activities/new").get_data(as_text=True)
    key = re.search(r'id="record_uuid" name="record_uuid" type="hidden" value="([0-9a-f-]{36})"', form).group(
        1
    )
    data = entry_data.activity(make.community("KG-O-KSU-02").id, record_uuid=key)
    first = client.post("/activities/new", data=data)
    second = client.post("/activities/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == f"/activities/{key}"
    assert db.session.scalar(select(func.count(Activity.id))) == 1
    assert [
        e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "create"))
    ] == ["create"]


def test_uuid_of_someone_elses_entry_is_refused(client, login_as, team, make, db):
    other = make.activity(make.user("volunteer"), status=Status.DRAFT)
    db.session.commit()
    login_as(team["volunteer"])
    data = entry_data.activity(make.community("KG-O-KSU-02").id, record_uuid=str(other.uuid))
    response = client.post("/activities/new", data=data)
    assert response.status_code == 409 and "already used" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Activity.id))) == 1
    assert db.session.scalar(select(func.count(Incident.id))) == 0


def test_double_posted_edit_changes_once(client, login_as, team, make, db):
    volunteer = team["volunteer"]
    record = make.activity(volunteer, status=Status.DRAFT, community="KG-O-KSU-01")
    db.session.commit()
    login_as(volunteer)
    form = client.get(f"/activities/{record.uuid}/edit").get_data(as_text=True)
    assert re.search(r'id="version" name="version" type="hidden" value="1"', form)
    data = entry_data.activity(record.community_id, f_u18="9", version="1")
    first = client.post(f"/activities/{record.uuid}/edit", data=data)
    second = client.post(f"/activities/{record.uuid}/edit", data=data)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == f"/activities/{record.uuid}"
    stored = _fresh(db, record)
    assert (stored.status, stored.version, stored.f_u18) == (Status.SUBMITTED, 2, 9)
    assert _actions(db, record) == ["submit"]


def test_edit_over_a_colleagues_newer_change_is_refused(client, login_as, team, make, db):
    volunteer = team["volunteer"]
    colleague = make.user("volunteer", organisation=volunteer.organisation)
    record = make.activity(volunteer, status=Status.DRAFT, community="KG-O-KSU-01", f_u18=1)
    db.session.commit()
    login_as(colleague)
    saved = entry_data.activity(record.community_id, f_u18="4", version="1", submit=None, save_draft="1")
    assert client.post(f"/activities/{record.uuid}/edit", data=saved).status_code == 303
    client.post("/logout")
    login_as(volunteer)  # their page still shows version 1
    stale = entry_data.activity(record.community_id, f_u18="7", version="1", submit=None, save_draft="1")
    response = client.post(f"/activities/{record.uuid}/edit", data=stale)
    assert response.status_code == 409 and "changed this entry" in response.get_data(as_text=True)
    assert _fresh(db, record).f_u18 == 4


@pytest.mark.parametrize("field", ["comment", "outcome"])
def test_a_very_long_text_is_refused_on_its_length_alone(client, login_as, team, make, db, field):
    """100,000 characters: refused for the length before any personal-data pattern runs on them."""
    text = "0555 123 456 " * 8000  # would also be a phone number, were the patterns run
    if field == "comment":
        record = make.activity(team["volunteer"], status=Status.SUBMITTED)
        db.session.commit()
        login_as(team["coordinator"])
        response = client.post(f"/activities/{record.uuid}/return", data={"comment": text, "version": "1"})
    else:
        login_as(team["volunteer"])
        response = client.post(
            "/activities/new", data=entry_data.activity(make.community("KG-O-KSU-02").id, outcome=text)
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Keep this under 2000 characters." in html
    assert "Please remove the phone number" not in html
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.object_type == "activity")) == 0
    )
