"""An administrator imports the outbox a tablet saved as a file: nothing arrives twice."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from sqlalchemy import func, select

from app.kinds import KINDS
from app.models import AuditEvent

from ..factories import PASSWORD
from .test_api import body_for, count, stored


def _file(user, entries: list[dict], **changes) -> dict:
    document = {
        "format": "yntymak-outbox",
        "version": 1,
        "saved_at": "2026-11-30T10:00:00Z",
        "user": str(user.uuid),
        "username": user.username,
        "entries": entries,
        **changes,
    }
    return {"file": (io.BytesIO(json.dumps(document).encode()), "outbox.json")}


def _entry(kind: str, body: dict, key: uuid.UUID | None = None) -> dict:
    return {"kind": kind, "uuid": str(key or uuid.uuid4()), "body": body, "saved_at": "2026-11-30T09:00:00Z"}


@pytest.fixture
def people(make, db):
    volunteer = make.user("volunteer")
    admin = make.user("admin")
    community = make.community("KG-O-KSU-02")
    db.session.commit()
    return volunteer, admin, community


def _outcomes(html: str) -> list[str]:
    import re

    return re.findall(r'<tr data-outcome="(\w+)">', html)


def test_a_saved_outbox_is_stored_once_for_the_volunteers_organisation(app, db, people, login_as):
    volunteer, admin, community = people
    entries = [_entry(kind, body_for(kind, community.id)) for kind in KINDS]
    client = login_as(admin)
    first = client.post(
        "/admin/outbox-import", data=_file(volunteer, entries), content_type="multipart/form-data"
    )
    assert first.status_code == 200
    assert _outcomes(first.get_data(as_text=True)) == ["stored"] * 3
    for entry in entries:
        record = stored(db, entry["kind"], uuid.UUID(entry["uuid"]))
        assert record.organisation_id == volunteer.organisation_id and record.author_id == admin.id
    again = client.post(
        "/admin/outbox-import", data=_file(volunteer, entries), content_type="multipart/form-data"
    )
    assert _outcomes(again.get_data(as_text=True)) == ["already"] * 3
    assert [count(db, kind) for kind in KINDS] == [1, 1, 1]
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "import_outbox").order_by(AuditEvent.id)
    )
    assert [(e.details["stored"], e.details["already"]) for e in events] == [(3, 0), (0, 3)]
    creates = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "create"))
    assert {e.details["via"] for e in creates} == {"import"}


def test_an_entry_that_already_arrived_from_the_tablet_is_not_stored_again(app, db, people, login_as):
    volunteer, admin, community = people
    key = uuid.uuid4()
    body = body_for("activities", community.id)
    tablet = app.test_client()
    tablet.post("/login", data={"username": volunteer.username, "password": PASSWORD})
    assert tablet.put(f"/api/v1/activities/{key}", json=body).status_code == 201
    client = login_as(admin)
    page = client.post(
        "/admin/outbox-import",
        data=_file(volunteer, [_entry("activities", body, key)]),
        content_type="multipart/form-data",
    )
    assert _outcomes(page.get_data(as_text=True)) == ["already"]
    assert count(db, "activities") == 1


def test_a_refused_entry_is_reported_and_the_others_are_stored(app, db, people, login_as):
    volunteer, admin, community = people
    good = _entry("incidents", body_for("incidents", community.id))
    bad = _entry("activities", body_for("activities", community.id, outcome="Call 0555 123 456"))
    unreadable = {"kind": "parties", "uuid": "x"}
    client = login_as(admin)
    page = client.post(
        "/admin/outbox-import",
        data=_file(volunteer, [good, bad, unreadable]),
        content_type="multipart/form-data",
    )
    html = page.get_data(as_text=True)
    assert _outcomes(html) == ["stored", "refused", "refused"]
    assert "Please remove the phone number" in html and "0555" not in html
    assert count(db, "incidents") == 1 and count(db, "activities") == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "This is not a file saved from the outbox."),
        (
            b'{"format": "something-else", "version": 1, "entries": []}',
            "This is not a file saved from the outbox.",
        ),
        (b"[" * 100_000, "This is not a file saved from the outbox."),
        (b'{"format": "yntymak-outbox", "version": 1, "user": "nobody", "entries": []}', "is not known here"),
    ],
)
def test_a_file_that_is_not_an_outbox_is_refused_with_a_message(db, people, login_as, content, message):
    _volunteer, admin, _community = people
    client = login_as(admin)
    page = client.post(
        "/admin/outbox-import",
        data={"file": (io.BytesIO(content), "x.json")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "import_outbox")) == 0
    )


def test_a_file_is_required_and_too_many_entries_are_refused(db, people, login_as):
    volunteer, admin, _community = people
    client = login_as(admin)
    missing = client.post("/admin/outbox-import", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose the file saved from the tablet" in missing.get_data(
        as_text=True
    )
    entries = [_entry("activities", {})] * 2001
    many = client.post(
        "/admin/outbox-import", data=_file(volunteer, entries), content_type="multipart/form-data"
    )
    assert many.status_code == 422 and "more than 2000 entries" in many.get_data(as_text=True)
    assert count(db, "activities") == 0


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "donor"])
def test_only_administrators_import(make, db, login_as, role):
    user = make.user(role)
    db.session.commit()
    assert login_as(user).get("/admin/outbox-import").status_code == 403
