"""Every entry route x every role: who may do what, and 404 for records outside one's scope."""

from __future__ import annotations

import re
import uuid

import pytest

from app.vocabulary import Status

from . import entry_data
from .conftest import count

KINDS = ("activities", "incidents", "assessments")
ROLES = (
    "anonymous",
    "volunteer",
    "other_volunteer",
    "coordinator_in",
    "coordinator_out",
    "donor",
    "admin",
)
#: (name, method, path template); {kind} and {id} are filled in.
ALL_ROUTES = (
    "list", "new_form", "new_post", "detail", "edit_form", "edit_post", "submit", "delete",
    "approve", "return", "reopen",
)  # fmt: skip
ROUTES = (
    ("list", "GET", "/{kind}"),
    ("new_form", "GET", "/{kind}/new"),
    ("new_post", "POST", "/{kind}/new"),
    ("detail", "GET", "/{kind}/{id}"),
    ("edit_form", "GET", "/{kind}/{id}/edit"),
    ("edit_post", "POST", "/{kind}/{id}/edit"),
    ("submit", "POST", "/{kind}/{id}/submit"),
    ("delete", "POST", "/{kind}/{id}/delete"),
    ("approve", "POST", "/{kind}/{id}/approve"),
    ("return", "POST", "/{kind}/{id}/return"),
    ("reopen", "POST", "/{kind}/{id}/reopen"),
)
#: Expected status by role, route. The record is a draft by "volunteer" in KG-O-KSU: nobody
#: reviews a draft, and a coordinator neither edits nor submits someone else's draft.
EXPECTED = {
    "anonymous": dict.fromkeys(ALL_ROUTES, 302),
    "volunteer": {
        "list": 200, "new_form": 200, "new_post": 303, "detail": 200,
        "edit_form": 200, "edit_post": 303, "submit": 303, "delete": 303,
        "approve": 403, "return": 403, "reopen": 403,
    },
    # another organisation, another district: its own community picker refuses KG-O-KSU
    "other_volunteer": {
        "list": 200, "new_form": 200, "new_post": 422, "detail": 404,
        "edit_form": 404, "edit_post": 404, "submit": 404, "delete": 404,
        "approve": 404, "return": 404, "reopen": 404,
    },
    # coordinators record paper forms for an organisation of their area (none chosen here: 422)
    "coordinator_in": {
        "list": 200, "new_form": 200, "new_post": 422, "detail": 200,
        "edit_form": 403, "edit_post": 403, "submit": 403, "delete": 403,
        "approve": 403, "return": 403, "reopen": 403,
    },
    "coordinator_out": {
        "list": 200, "new_form": 403, "new_post": 403, "detail": 404,
        "edit_form": 404, "edit_post": 404, "submit": 404, "delete": 404,
        "approve": 404, "return": 404, "reopen": 404,
    },
    "donor": dict.fromkeys(ALL_ROUTES, 403),
    "admin": {
        "list": 200, "new_form": 200, "new_post": 422, "detail": 200,
        "edit_form": 403, "edit_post": 403, "submit": 403, "delete": 403,
        "approve": 403, "return": 403, "reopen": 403,
    },
}  # fmt: skip
DATA = {
    "activities": entry_data.activity,
    "incidents": entry_data.incident,
    "assessments": entry_data.assessment,
}


@pytest.fixture
def world(make, db):
    """An organisation's volunteer with one draft of each kind, and every other role."""
    owner = make.user("volunteer")
    other_org = make.organisation(district="KG-C-SKL")
    users = {
        "volunteer": owner,
        "other_volunteer": make.user("volunteer", organisation=other_org),
        "coordinator_in": make.user("coordinator", region="KG-O"),
        "coordinator_out": make.user("coordinator", region="TJ-SU"),
        "donor": make.user("donor"),
        "admin": make.user("admin"),
    }
    records = {
        "activities": make.activity(owner, status=Status.DRAFT, community="KG-O-KSU-01"),
        "incidents": make.incident(owner, status=Status.DRAFT, community="KG-O-KSU-01"),
        "assessments": make.assessment(owner, status=Status.DRAFT, community="KG-O-KSU-01"),
    }
    db.session.commit()
    return users, records


@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", KINDS)
def test_route_by_role(client, login_as, world, make, kind, role, route):
    users, records = world
    name, method, template = route
    if role != "anonymous":
        login_as(users[role])
    record = records[kind]
    path = template.format(kind=kind, id=record.uuid)
    if method == "GET":
        response = client.get(path)
    else:
        data = DATA[kind](record.community_id) if name in ("new_post", "edit_post") else {}
        response = client.post(path, data=data)
    assert response.status_code == EXPECTED[role][name], (path, response.get_data(as_text=True)[:300])
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "donor")])
@pytest.mark.parametrize("kind", KINDS)
def test_unknown_record_is_404(client, login_as, world, kind, role):
    users, _records = world
    login_as(users[role])
    assert client.get(f"/{kind}/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/{kind}/not-a-uuid").status_code == 404
    assert client.post(f"/{kind}/{uuid.uuid4()}/delete").status_code == 404


def test_unknown_kind_is_404(client, login_as, world):
    users, _records = world
    login_as(users["admin"])
    assert client.get("/reports-of-people").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_home_page(client, login_as, world, role):
    users, _records = world
    if role == "anonymous":
        response = client.get("/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        return
    login_as(users[role])
    html = client.get("/").get_data(as_text=True)
    # volunteers log for their organisation; coordinators and admins record paper forms for the
    # organisations of their area (the Tajik coordinator has none in this test)
    assert ("Record an activity" in html) == (role not in ("donor", "coordinator_out"))
    assert ('href="/activities"' in html) == (role != "donor")


def test_lists_show_only_records_in_scope(client, login_as, world):
    users, records = world
    login_as(users["other_volunteer"])
    assert str(records["activities"].uuid) not in client.get("/activities").get_data(as_text=True)
    client.post("/logout")
    login_as(users["coordinator_in"])
    assert str(records["activities"].uuid) in client.get("/activities").get_data(as_text=True)


@pytest.mark.parametrize("kind", KINDS)
def test_post_without_csrf_token_refused(client, login_as, world, csrf_enabled, db, kind):
    users, records = world
    login_as_with_token(client, users["volunteer"])
    record = records[kind]
    before = count(db, kind)
    assert client.post(f"/{kind}/new", data=DATA[kind](record.community_id)).status_code == 400
    assert client.post(f"/{kind}/{record.uuid}/edit", data=DATA[kind](record.community_id)).status_code == 400
    assert client.post(f"/{kind}/{record.uuid}/submit").status_code == 400
    assert client.post(f"/{kind}/{record.uuid}/delete").status_code == 400
    assert client.post("/logout").status_code == 400
    assert count(db, kind) == before
    db.session.expire_all()
    assert db.session.get(type(record), record.id).status == Status.DRAFT


def login_as_with_token(client, user) -> None:
    """Sign in with CSRF on: read the token from the form first."""
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(
        "/login",
        data={"username": user.username, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 302
