"""The JSON API a tablet's outbox sends to: one record per UUID, whatever the network does.

Shares the forms' validation and the record lifecycle; every refusal is JSON with a 4xx and
leaves nothing stored.
"""

from __future__ import annotations

import threading
import uuid
from datetime import date

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.kinds import KINDS
from app.models import AuditEvent, ClosedPeriod, Country
from app.vocabulary import Status

from ..factories import PASSWORD
from . import entry_data

BUILDERS = {
    "activities": entry_data.activity,
    "incidents": entry_data.incident,
    "assessments": entry_data.assessment,
}


def body_for(kind: str, community_id: int, status: str = "submitted", **changes: object) -> dict:
    """A valid JSON body: the page form's fields (as strings, as a browser sends them), and the status."""
    data = BUILDERS[kind](community_id, **changes)
    data.pop("submit", None)
    return {**data, "status": status}


def url(kind: str, key: uuid.UUID | str) -> str:
    return f"/api/v1/{kind}/{key}"


def count(db, kind: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(KINDS[kind].model.id)))


def audit_rows(db, key: uuid.UUID) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.object_uuid == key).order_by(AuditEvent.id))
    )


def stored(db, kind: str, key: uuid.UUID):
    db.session.expire_all()
    model = KINDS[kind].model
    return db.session.scalar(select(model).where(model.uuid == key))


@pytest.fixture
def home(make):
    return make.community("KG-O-KSU-02")


@pytest.fixture
def api(volunteer, login_as):
    return login_as(volunteer)


# -- Creating, resending, changing ------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_new_entry_is_created_with_the_tablets_uuid(api, db, home, volunteer, kind):
    key = uuid.uuid4()
    response = api.put(url(kind, key), json=body_for(kind, home.id))
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {
        "uuid": str(key),
        "version": 1,
        "status": "submitted",
        "url": f"/{kind}/{key}",
    }
    record = stored(db, kind, key)
    assert record.author_id == volunteer.id and record.status == Status.SUBMITTED
    events = audit_rows(db, key)
    assert [e.action for e in events] == ["create"]
    assert events[0].details["via"] == "api"


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_identical_resend_answers_200_with_the_same_version_and_stores_nothing(api, db, home, kind):
    key = uuid.uuid4()
    body = body_for(kind, home.id)
    first = api.put(url(kind, key), json=body)
    again = api.put(url(kind, key), json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert count(db, kind) == 1
    assert len(audit_rows(db, key)) == 1


def test_a_resend_after_approval_is_not_a_change(api, db, home):
    """The tablet kept sending "submitted" while a coordinator approved it: it has arrived."""
    key = uuid.uuid4()
    body = body_for("activities", home.id)
    assert api.put(url("activities", key), json=body).status_code == 201
    record = stored(db, "activities", key)
    record.status = Status.APPROVED
    record.version = 2
    db.session.commit()
    again = api.put(url("activities", key), json=body)
    assert again.status_code == 200
    assert again.get_json()["status"] == "approved" and again.get_json()["version"] == 2


def test_other_content_without_base_version_is_a_conflict_with_the_current_version(api, db, home):
    key = uuid.uuid4()
    assert (
        api.put(url("activities", key), json=body_for("activities", home.id, status="draft")).status_code
        == 201
    )
    changed = body_for("activities", home.id, status="draft", m_60p="7")
    response = api.put(url("activities", key), json=changed)
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["current_version"] == 1 and answer["code"] == "exists" and answer["error"]
    assert stored(db, "activities", key).m_60p == 1


def test_a_stale_base_version_is_a_conflict(api, db, home):
    key = uuid.uuid4()
    api.put(url("activities", key), json=body_for("activities", home.id, status="draft"))
    api.put(
        url("activities", key),
        json=body_for("activities", home.id, status="draft", m_60p="2", base_version=1),
    )
    response = api.put(
        url("activities", key),
        json=body_for("activities", home.id, status="draft", m_60p="3", base_version=1),
    )
    assert response.status_code == 409
    assert response.get_json()["code"] == "stale" and response.get_json()["current_version"] == 2
    assert stored(db, "activities", key).m_60p == 2


def test_a_change_on_the_current_version_is_applied_and_audited_field_by_field(api, db, home):
    key = uuid.uuid4()
    api.put(url("activities", key), json=body_for("activities", home.id, status="draft"))
    response = api.put(
        url("activities", key),
        json=body_for("activities", home.id, status="submitted", m_60p="5", base_version=1),
    )
    assert response.status_code == 200
    assert response.get_json()["version"] == 2 and response.get_json()["status"] == "submitted"
    events = audit_rows(db, key)
    assert [e.action for e in events] == ["create", "submit"]
    assert events[1].details["changes"] == {"m_60p": [1, 5]}
    assert events[1].details["status"] == ["draft", "submitted"] and events[1].details["via"] == "api"


def test_an_entry_under_review_cannot_be_changed_by_its_volunteer(api, db, home):
    key = uuid.uuid4()
    api.put(url("incidents", key), json=body_for("incidents", home.id))
    response = api.put(
        url("incidents", key), json=body_for("incidents", home.id, m_18_29="4", base_version=1)
    )
    assert response.status_code == 409
    assert response.get_json()["current_version"] == 1
    assert "under review" in response.get_json()["error"]
    assert stored(db, "incidents", key).m_18_29 == 3


@pytest.mark.parametrize("kind", list(KINDS))
def test_get_answers_the_shape_a_put_takes_and_a_round_trip_changes_nothing(api, db, home, kind):
    key = uuid.uuid4()
    api.put(url(kind, key), json=body_for(kind, home.id, status="draft"))
    answer = api.get(url(kind, key))
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"  # a record on a shared tablet
    record = answer.get_json()
    assert record["uuid"] == str(key) and record["version"] == 1 and record["status"] == "draft"
    assert record["community"] == home.id and record["url"] == f"/{kind}/{key}"
    back = {**record, "status": "draft", "base_version": record["version"]}
    again = api.put(url(kind, key), json=back)
    assert again.status_code == 200 and again.get_json()["version"] == 1
    assert len(audit_rows(db, key)) == 1


def test_the_same_uuid_sent_at_once_from_several_threads_leaves_one_record(app, db, home, volunteer):
    key = uuid.uuid4()
    body = body_for("activities", home.id)
    clients = []
    for _n in range(6):
        client = app.test_client()
        assert (
            client.post("/login", data={"username": volunteer.username, "password": PASSWORD}).status_code
            == 302
        )
        clients.append(client)
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def send(client) -> None:
        start.wait()
        statuses.append(client.put(url("activities", key), json=body).status_code)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200] * 5 + [201]
    assert count(db, "activities") == 1
    assert [e.action for e in audit_rows(db, key)] == ["create"]


@pytest.mark.parametrize(("changes", "expected"), [({}, 200), ({"partners": "Another partner"}, 409)])
def test_a_copy_stored_between_lookup_and_insert_is_answered_not_a_500(
    api, db, home, monkeypatch, changes, expected
):
    """The other request stores the UUID after this one looked it up: the insert is refused by the
    unique UUID inside the lifecycle's one flush, and the answer is the stored entry's (200 for the
    same content, 409 for other content), with nothing stored twice."""
    from app.api import records

    key = uuid.uuid4()
    assert api.put(url("activities", key), json=body_for("activities", home.id)).status_code == 201
    looked_up = records._stored
    misses = iter([None])  # the first lookup misses the copy, as if it were not yet committed
    monkeypatch.setattr(records, "_stored", lambda *args: next(misses, None) or looked_up(*args))
    response = api.put(url("activities", key), json=body_for("activities", home.id, **changes))
    assert response.status_code == expected, response.get_json()
    answer = response.get_json()
    assert answer["version"] == 1 if expected == 200 else answer["current_version"] == 1
    assert count(db, "activities") == 1
    assert [e.action for e in audit_rows(db, key)] == ["create"]


def test_a_paper_form_names_its_organisation_and_resends_identically(make, db, login_as):
    coordinator = make.user("coordinator", region="KG-O")
    organisation = make.organisation("KG-O-KSU", code="ORG-PAPER")
    community = make.community("KG-O-KSU-02")
    db.session.commit()
    client = login_as(coordinator)
    key = uuid.uuid4()
    missing = client.put(url("activities", key), json=body_for("activities", community.id))
    assert missing.status_code == 422 and "organisation" in missing.get_json()["errors"]
    body = body_for("activities", community.id, organisation=str(organisation.id))
    assert client.put(url("activities", key), json=body).status_code == 201
    assert client.put(url("activities", key), json=body).status_code == 200
    assert stored(db, "activities", key).organisation_id == organisation.id
    assert client.get(url("activities", key)).get_json()["organisation"] == organisation.id


# -- Validation: messages per field, nothing stored -------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        ("activities", {"activity_type_code": ""}, "activity_type_code", "Choose the type of activity."),
        ("activities", {"target_groups": []}, "target_groups", "Choose at least one group."),
        ("activities", {"f_u18": "-3"}, "f_u18", "Enter a whole number from 0 to 100,000."),
        ("activities", {"f_u18": "12a"}, "f_u18", "Enter a whole number from 0 to 100,000."),
        (
            "activities",
            {"first_time_participants": 1000},
            "first_time_participants",
            "At most the",
        ),
        (
            "activities",
            {"outcome": "Call Aigul on 0555 123 456"},
            "outcome",
            "Please remove the phone number",
        ),
        ("activities", {"outcome": "x" * 100_000}, "outcome", "Keep this under 2000 characters."),
        ("activities", {"partners": "a\x00b"}, "partners", "Remove the control characters from this text."),
        ("activities", {"date": "2015-13-40"}, "date", "Not a valid date value."),
        ("activities", {"date": "0001-01-01"}, "date", "The date cannot be before 2015."),
        ("activities", {"target_groups": ["nobody"]}, "target_groups", "Choose only from the options shown."),
        ("incidents", {"severity": "apocalyptic"}, "severity", "Not a valid choice."),
        ("incidents", {"category_code": None}, "category_code", "Choose what happened."),
    ],
)
def test_invalid_input_is_answered_per_field_and_nothing_is_stored(
    api, db, home, kind, changes, field, message
):
    key = uuid.uuid4()
    response = api.put(url(kind, key), json=body_for(kind, home.id, **changes))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert any(text.startswith(message) for text in errors[field]), errors
    assert count(db, kind) == 0 and audit_rows(db, key) == []


def test_an_assessment_with_nothing_rated_is_refused_as_a_whole(api, db, home):
    body = entry_data.partial_assessment(home.id, {})
    body.pop("submit")
    response = api.put(url("assessments", uuid.uuid4()), json={**body, "status": "draft"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["_form"][0].startswith("Rate at least one concern.")


def test_a_community_outside_the_district_is_refused_by_the_lifecycle(api, db, make):
    other = make.community("TJ-SU-PNJ-01")
    response = api.put(url("activities", uuid.uuid4()), json=body_for("activities", other.id))
    assert response.status_code == 422
    assert response.get_json()["errors"]["community"] == ["Choose a community in your area."]
    assert count(db, "activities") == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nickname": "Aigul"}, "nickname"),
        ({"outcome": ["a", "b"]}, "outcome"),
        ({"outcome": {"text": "a"}}, "outcome"),
        ({"f_u18": True}, "f_u18"),
        ({"f_u18": 1.5}, "f_u18"),
        ({"target_groups": "youth"}, "target_groups"),
        ({"target_groups": [1, 2]}, "target_groups"),
        ({"status": "approved"}, "status"),
        ({"status": None}, "status"),
        ({"base_version": "one"}, "base_version"),
        ({"base_version": 10**30}, "base_version"),
        ({"uuid": "00000000-0000-4000-8000-000000000000"}, "uuid"),
    ],
)
def test_unknown_fields_and_wrong_types_are_refused(api, db, home, changes, field):
    body = {**body_for("activities", home.id), **changes}
    response = api.put(url("activities", uuid.uuid4()), json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"], response.get_json()
    assert count(db, "activities") == 0


def test_messages_come_in_the_users_language(make, db, login_as, home):
    volunteer = make.user("volunteer", locale="ky")
    db.session.commit()
    client = login_as(volunteer)
    response = client.put(
        url("activities", uuid.uuid4()), json=body_for("activities", home.id, target_groups=[])
    )
    with force_locale("ky"):
        expected = _("Choose at least one group.")
    assert expected != "Choose at least one group."
    assert response.get_json()["errors"]["target_groups"] == [expected]


# -- Bad requests: JSON errors, never 500, nothing stored -------------------------------------------


@pytest.mark.parametrize(
    ("path", "kwargs", "status"),
    [
        ("/api/v1/activities/{key}", {"data": "{not json", "content_type": "application/json"}, 400),
        ("/api/v1/activities/{key}", {"json": ["a", "list"]}, 400),
        ("/api/v1/activities/{key}", {"json": "text"}, 400),
        (
            "/api/v1/activities/{key}",
            {"data": "date=2026-01-01", "content_type": "application/x-www-form-urlencoded"},
            415,
        ),
        ("/api/v1/activities/not-a-uuid", {"json": {}}, 404),
        ("/api/v1/activities/{{{key}}}", {"json": {}}, 404),
        ("/api/v1/parties/{key}", {"json": {}}, 404),
        (
            "/api/v1/activities/{key}",
            {"data": b"{" + b" " * (3 * 1024 * 1024) + b"}", "content_type": "application/json"},
            413,
        ),
    ],
)
def test_bad_requests_get_a_json_error(api, db, path, kwargs, status):
    response = api.put(path.format(key=uuid.uuid4()), **kwargs)
    assert response.status_code == status
    assert response.mimetype == "application/json" and response.get_json()["error"]
    assert count(db, "activities") == 0


def test_a_wrong_method_gets_a_json_405(api):
    response = api.post(url("activities", uuid.uuid4()), json={})
    assert response.status_code == 405 and response.get_json()["error"]


# -- Who may: 401, 403, 404 ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "get"])
def test_not_signed_in_is_a_json_401_never_a_redirect(client, home, method):
    response = getattr(client, method)(url("activities", uuid.uuid4()), json=body_for("activities", home.id))
    assert response.status_code == 401
    assert response.mimetype == "application/json" and response.get_json()["error"]
    assert client.get("/api/v1/session").status_code == 401


def test_an_expired_session_is_a_json_401(app, api, home, db):
    with api.session_transaction() as session:
        session["auth_seen_at"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    response = api.put(url("activities", uuid.uuid4()), json=body_for("activities", home.id))
    assert response.status_code == 401 and response.get_json()["error"]
    assert count(db, "activities") == 0


def test_a_donor_may_not_write_and_sees_no_record(make, db, login_as, home, volunteer):
    record = make.activity(volunteer)
    donor = make.user("donor")
    db.session.commit()
    client = login_as(donor)
    response = client.put(url("activities", uuid.uuid4()), json=body_for("activities", home.id))
    assert response.status_code == 403 and response.get_json()["error"]
    assert client.get(url("activities", record.uuid)).status_code == 404
    assert count(db, "activities") == 1


def test_an_entry_of_another_organisation_is_not_found(make, db, login_as, home, volunteer):
    record = make.activity(volunteer, status=Status.DRAFT)
    db.session.commit()
    other = make.user("volunteer", organisation=make.organisation("KG-O-KSU", code="ORG-OTHER"))
    db.session.commit()
    client = login_as(other)
    body = body_for("activities", home.id, status="draft", base_version=record.version)
    assert client.put(url("activities", record.uuid), json=body).status_code == 404
    assert client.get(url("activities", record.uuid)).status_code == 404
    assert stored(db, "activities", record.uuid).version == record.version


def test_writes_need_the_sessions_csrf_token_in_a_header(api, db, home, csrf_enabled):
    key = uuid.uuid4()
    body = body_for("activities", home.id)
    refused = api.put(url("activities", key), json=body)
    assert refused.status_code == 400 and refused.get_json()["error"]
    token = api.get("/api/v1/session").get_json()["csrf_token"]
    accepted = api.put(url("activities", key), json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201
    assert count(db, "activities") == 1


def test_the_session_says_who_is_signed_in(api, volunteer):
    answer = api.get("/api/v1/session").get_json()
    assert answer["user"] == str(volunteer.uuid) and answer["username"] == volunteer.username
    assert answer["role"] == "volunteer" and answer["csrf_token"]


def test_a_closed_month_is_a_conflict_beside_the_date(api, db, home, make):
    admin = make.user("admin")
    kg = db.session.scalar(select(Country).where(Country.code == "KG"))
    day = date.fromisoformat(entry_data.DAY.isoformat())
    db.session.add(ClosedPeriod(month=day.replace(day=1), country_id=kg.id, closed_by_id=admin.id))
    db.session.commit()
    response = api.put(url("activities", uuid.uuid4()), json=body_for("activities", home.id))
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["code"] == "period_closed" and "date" in answer["errors"]
    assert count(db, "activities") == 0
