"""Paper forms: a coordinator records an entry on behalf of an organisation of their area."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Activity, AuditEvent
from app.vocabulary import Status

from . import entry_data


@pytest.fixture
def area(make, db):
    karasuu = make.organisation("KG-O-KSU", code="LCPC-PAPER")
    area = {
        "karasuu": karasuu,
        "closed_org": make.organisation("KG-O-KSU", code="LCPC-CLOSED"),
        "tajik_org": make.organisation("TJ-SU-PNJ", code="PC-PAPER"),
        "coordinator": make.user("coordinator", region="KG-O"),
        "other_coordinator": make.user("coordinator", region="KG-O"),
        "volunteer": make.user("volunteer", organisation=karasuu),
    }
    area["closed_org"].active = False
    db.session.commit()
    return area


def _count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Activity.id)))


def test_form_offers_the_organisations_of_the_area(client, login_as, area):
    login_as(area["coordinator"])
    html = client.get("/activities/new").get_data(as_text=True)
    assert f'value="{area["karasuu"].id}"' in html and area["karasuu"].name in html
    assert area["tajik_org"].name not in html and area["closed_org"].name not in html
    assert 'name="organisation"' in html and "Record an activity" in client.get("/").get_data(as_text=True)


def test_coordinator_records_a_paper_form(client, login_as, area, make, db):
    login_as(area["coordinator"])
    data = entry_data.activity(make.community("KG-O-KSU-02").id, organisation=str(area["karasuu"].id))
    response = client.post("/activities/new", data=data)
    assert response.status_code == 303
    stored = db.session.scalar(select(Activity))
    assert stored.organisation_id == area["karasuu"].id and stored.author_id == area["coordinator"].id
    assert stored.status == Status.SUBMITTED
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create"))
    assert event.details["changes"]["organisation_id"] == [None, "LCPC-PAPER"]
    # the same review rules: not approved by who entered it, approved by another coordinator
    assert client.post(f"/activities/{stored.uuid}/approve", data={"version": "1"}).status_code == 403
    client.post("/logout")
    login_as(area["other_coordinator"])
    assert client.post(f"/activities/{stored.uuid}/approve", data={"version": "1"}).status_code == 303


@pytest.mark.parametrize(
    ("organisation", "community", "field", "message"),
    [
        (None, "KG-O-KSU-02", "organisation", "Choose the organisation the entry belongs to."),
        ("tajik_org", "KG-O-KSU-02", "organisation", "Choose an organisation of your area."),
        ("closed_org", "KG-O-KSU-02", "organisation", "Choose an organisation of your area."),
        ("karasuu", "KG-O-UZG-01", "community", "Choose a community in your area."),
    ],
)
def test_bad_paper_forms_store_nothing(
    client, login_as, area, make, db, organisation, community, field, message
):
    login_as(area["coordinator"])
    org = str(area[organisation].id) if organisation else ""
    data = entry_data.activity(make.community(community).id, organisation=org)
    response = client.post("/activities/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and message in html
    assert _count(db) == 0


def test_the_organisation_and_its_author_edit_a_paper_draft(client, login_as, area, make, db):
    coordinator = area["coordinator"]
    draft = make.activity(coordinator, status=Status.DRAFT, organisation_id=area["karasuu"].id)
    db.session.commit()
    login_as(area["other_coordinator"])  # not theirs: neither edited nor sent
    assert client.get(f"/activities/{draft.uuid}/edit").status_code == 403
    assert client.post(f"/activities/{draft.uuid}/submit").status_code == 403
    client.post("/logout")
    login_as(coordinator)
    form = client.get(f"/activities/{draft.uuid}/edit").get_data(as_text=True)
    assert "Reason for the correction" not in form and 'name="organisation"' not in form
    data = entry_data.activity(draft.community_id, f_u18="2", submit=None, save_draft="1", version="1")
    assert client.post(f"/activities/{draft.uuid}/edit", data=data).status_code == 303
    client.post("/logout")
    login_as(area["volunteer"])  # the organisation's own volunteer sends it
    assert client.post(f"/activities/{draft.uuid}/submit").status_code == 303
    db.session.expire_all()
    assert db.session.get(Activity, draft.id).status == Status.SUBMITTED
