"""The community incident form: valid input stored exactly; each rule refused with nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Incident
from app.vocabulary import IncidentStatus, Response, Severity, Status

from . import entry_data
from .conftest import audit_actions, count


def test_valid_incident_stored_exactly(signed_in, volunteer, home_community, db):
    response = signed_in.post("/incidents/new", data=entry_data.incident(home_community.id))
    assert response.status_code == 303
    db.session.expire_all()
    incident = db.session.scalar(select(Incident))
    assert incident.date == entry_data.DAY
    assert incident.community_id == home_community.id
    assert incident.organisation_id == volunteer.organisation_id
    assert incident.category_code == "interethnic_incident"
    assert incident.severity == Severity.MEDIUM
    assert incident.response == Response.MEDIATION
    assert incident.incident_status == IncidentStatus.RESOLVED
    assert [d.code for d in incident.drivers] == ["interethnic_tension"]
    assert (incident.f_18_29, incident.m_18_29, incident.f_u18, incident.m_60p) == (1, 3, 0, 0)
    assert incident.description.startswith("A dispute at the market")
    assert incident.status == Status.SUBMITTED
    assert audit_actions(db)[-1] == "create"


def test_people_counts_are_optional(signed_in, home_community, db):
    data = entry_data.incident(home_community.id, f_18_29=None, m_18_29=None, save_draft="1", submit=None)
    assert signed_in.post("/incidents/new", data=data).status_code == 303
    db.session.expire_all()
    incident = db.session.scalar(select(Incident))
    assert incident.people_total == 0 and incident.status == Status.DRAFT


BAD = [
    ("date", {"date": ""}, "Enter the date."),
    ("date", {"date": (date.today() + timedelta(days=2)).isoformat()}, "cannot be in the future"),
    ("date", {"date": "2010-06-01"}, "cannot be before 2015"),
    ("community", {"community": ""}, "Choose a community."),
    ("category_code", {"category_code": ""}, "Choose what happened."),
    ("category_code", {"category_code": "gossip"}, "Choose only from the options shown."),
    ("severity", {"severity": None}, "Choose how serious it was."),
    ("severity", {"severity": "extreme"}, "Not a valid choice"),
    ("response", {"response": None}, "Choose the response taken."),
    ("incident_status", {"incident_status": "closed"}, "Not a valid choice"),
    ("drivers", {"drivers": ["x"]}, "Choose only from the options shown."),
    ("f_u18", {"f_u18": "100001"}, "whole number from 0 to 100,000"),
    ("m_u18", {"m_u18": "1,5"}, "whole number from 0 to 100,000"),
    ("description", {"description": "d" * 2001}, "under 2000 characters"),
    ("description", {"description": "His phone 8 (3422) 2-22-22"}, "phone number"),
    ("description", {"description": "Passport AN1234567"}, "ID or passport number"),
    ("description", {"description": "mail x.y@example.com"}, "e-mail address"),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_each_rule_refused_with_nothing_stored(signed_in, home_community, db, field, change, message):
    response = signed_in.post("/incidents/new", data=entry_data.incident(home_community.id, **change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html
    assert count(db, "incidents") == 0


def test_community_outside_scope_refused(signed_in, make, db):
    elsewhere = make.community("KG-C-SKL-01")
    response = signed_in.post("/incidents/new", data=entry_data.incident(elsewhere.id))
    assert response.status_code == 422
    assert count(db, "incidents") == 0


def test_edit_returned_incident(signed_in, volunteer, make, db):
    incident = make.incident(volunteer, status=Status.RETURNED, review_comment="Add the response.")
    db.session.commit()
    page = signed_in.get(f"/incidents/{incident.uuid}/edit").get_data(as_text=True)
    assert "Add the response." in page
    data = entry_data.incident(incident.community_id, severity="high", save_draft="1", submit=None)
    assert signed_in.post(f"/incidents/{incident.uuid}/edit", data=data).status_code == 303
    db.session.expire_all()
    stored = db.session.get(Incident, incident.id)
    assert stored.severity == Severity.HIGH and stored.status == Status.RETURNED


def test_volunteer_screens_use_neutral_wording(signed_in, volunteer, make, db):
    incident = make.incident(volunteer, category="recruitment_approach")
    make.incident(volunteer, category="printed_material")
    make.activity(volunteer, recommendations=("R9", "R13"))
    db.session.commit()
    pages = ["/", "/incidents/new", "/activities/new", "/assessments/new", "/incidents", "/activities"]
    pages.append(f"/incidents/{incident.uuid}")
    for path in pages:
        html = signed_in.get(path).get_data(as_text=True).lower()
        for word in ("extremis", "suspect", "radical", "pve"):
            assert word not in html, (path, word)
