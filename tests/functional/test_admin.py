"""Admin pages: access per role, users, organisations and geography (valid input stored, bad refused)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Community, Organisation, User
from app.services import accounts
from app.vocabulary import OrganisationType, Role

from ..factories import PASSWORD

NEW_PASSWORD = "a new long passphrase"


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit_events(db, action: str, object_type: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.object_type == object_type)
            .order_by(AuditEvent.id)
        )
    )


def reload(db, row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


@pytest.fixture
def admin(make):
    return make.user("admin", username="chief")


@pytest.fixture
def as_admin(admin, login_as, db):
    db.session.commit()
    return login_as(admin)


# Access per role --------------------------------------------------------------------------------

GET_PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/{organisation}",
    "/admin/geography",
    "/admin/geography/districts/KG-O-KSU",
]
POST_ACTIONS = [
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/users/{user}/password",
    "/admin/users/{user}/deactivate",
    "/admin/users/{user}/reactivate",
    "/admin/organisations/new",
    "/admin/organisations/{organisation}",
    "/admin/organisations/{organisation}/deactivate",
    "/admin/organisations/{organisation}/reactivate",
    "/admin/geography/districts/KG-O-KSU",
]


@pytest.fixture
def targets(make, db):
    """A user and an organisation to aim the per-object routes at."""
    organisation = make.organisation(code="TARGET-ORG")
    user = make.user("volunteer", organisation=organisation, username="target")
    db.session.commit()
    return {"user": user.uuid, "organisation": organisation.uuid}


@pytest.mark.parametrize("path", GET_PAGES + POST_ACTIONS)
def test_anonymous_is_sent_to_sign_in(client, targets, path):
    url = path.format(**targets)
    method = client.post if path in POST_ACTIONS and path not in GET_PAGES else client.get
    response = method(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "donor"])
@pytest.mark.parametrize("path", GET_PAGES)
def test_other_roles_are_refused_pages(make, login_as, db, targets, role, path):
    user = make.user(role)
    db.session.commit()
    assert login_as(user).get(path.format(**targets)).status_code == 403


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "donor"])
@pytest.mark.parametrize("path", POST_ACTIONS)
def test_other_roles_are_refused_actions(make, login_as, db, targets, role, path):
    user = make.user(role)
    db.session.commit()
    response = login_as(user).post(path.format(**targets), data={"name": "X", "password": "x" * 20})
    assert response.status_code == 403
    db.session.expire_all()
    admin_actions = ("create", "update", "deactivate", "reactivate", "reset_password")
    assert not db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action.in_(admin_actions))
    )
    assert db.session.scalar(select(User.active).where(User.username == "target"))
    assert db.session.scalar(select(func.count(Community.id)).where(Community.name == "X")) == 0


@pytest.mark.parametrize("path", GET_PAGES)
def test_admin_sees_every_page(as_admin, targets, path):
    response = as_admin.get(path.format(**targets))
    assert response.status_code == 200
    assert "<h1" in response.get_data(as_text=True)


def test_index_links_to_the_sections(as_admin):
    page = as_admin.get("/admin/").get_data(as_text=True)
    for href in ('href="/admin/users"', 'href="/admin/organisations"', 'href="/admin/geography"'):
        assert href in page


def test_unknown_objects_are_404(as_admin):
    assert as_admin.get("/admin/users/00000000-0000-0000-0000-000000000000").status_code == 404
    assert as_admin.get("/admin/organisations/00000000-0000-0000-0000-000000000000").status_code == 404
    assert as_admin.get("/admin/geography/districts/XX-NOPE").status_code == 404


# Users: list ------------------------------------------------------------------------------------


def test_user_list_filters_by_role_and_username(as_admin, make, db):
    make.user("donor", username="osce.donor")
    make.user("coordinator", username="osh.coord", region="KG-O")
    make.user("volunteer", username="vol.osh")
    db.session.commit()
    page = as_admin.get("/admin/users?role=coordinator").get_data(as_text=True)
    assert "osh.coord" in page
    assert "osce.donor" not in page
    assert "vol.osh" not in page
    page = as_admin.get("/admin/users?q=OSH").get_data(as_text=True)
    assert "osh.coord" in page
    assert "vol.osh" in page
    assert "osce.donor" not in page
    page = as_admin.get("/admin/users?q=100%25").get_data(as_text=True)
    assert "No user matches these filters." in page


def test_user_list_ignores_a_bad_role_filter(as_admin):
    response = as_admin.get("/admin/users?role=emperor")
    assert response.status_code == 200
    assert "chief" in response.get_data(as_text=True)


def test_user_list_is_paginated(as_admin, make, db, app):
    per_page = app.config["PER_PAGE"]
    for number in range(per_page + 5):
        make.user("donor", username=f"pager{number:03d}")
    db.session.commit()
    first = as_admin.get("/admin/users?q=pager").get_data(as_text=True)
    assert "pager000" in first
    assert f"pager{per_page:03d}" not in first
    assert "page=2" in first
    second = as_admin.get("/admin/users?q=pager&page=2").get_data(as_text=True)
    assert f"pager{per_page:03d}" in second
    assert "pager000" not in second
    assert as_admin.get("/admin/users?page=99").status_code == 200


# Users: create ----------------------------------------------------------------------------------


def user_data(**values: str) -> dict[str, str]:
    data = {
        "username": "aigul.k",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "role": "volunteer",
        "organisation": "",
        "region": "",
        "country": "",
        "locale": "ky",
    }
    data.update(values)
    return data


def test_create_volunteer_is_stored_exactly(as_admin, make, db):
    organisation = make.organisation(code="LCPC-TEST")
    db.session.commit()
    response = as_admin.post("/admin/users/new", data=user_data(organisation="LCPC-TEST"))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "aigul.k"))
    assert user.role == Role.VOLUNTEER
    assert user.organisation_id == organisation.id
    assert user.scope_region_id is None
    assert user.scope_country_id is None
    assert user.locale == "ky"
    assert user.active
    assert user.check_password(NEW_PASSWORD)
    assert response.headers["Location"].endswith(f"/admin/users/{user.uuid}")
    (event,) = audit_events(db, "create", "user")
    assert event.object_uuid == user.uuid
    assert event.user.username == "chief"
    assert NEW_PASSWORD not in repr(event.details)


@pytest.mark.parametrize(
    ("values", "region", "country"),
    [({"region": "TJ-SU"}, "TJ-SU", None), ({"country": "KG"}, None, "KG")],
)
def test_create_coordinator_with_region_or_country(as_admin, db, values, region, country):
    data = user_data(username="coord.new", role="coordinator", locale="", **values)
    assert as_admin.post("/admin/users/new", data=data).status_code == 302
    user = db.session.scalar(select(User).where(User.username == "coord.new"))
    assert user.role == Role.COORDINATOR
    assert (user.scope_region.code if user.scope_region else None) == region
    assert (user.scope_country.code if user.scope_country else None) == country
    assert user.organisation_id is None
    assert user.locale is None


def test_create_donor_and_admin_need_no_scope(as_admin, db):
    for name, role in (("eu.donor", "donor"), ("second.admin", "admin")):
        response = as_admin.post("/admin/users/new", data=user_data(username=name, role=role))
        assert response.status_code == 302
        assert db.session.scalar(select(User.role).where(User.username == name)) == Role(role)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"username": ""}, "A username is required."),
        ({"username": "ab"}, "Use between 3 and 80 characters."),
        ({"username": "a b c"}, "Use letters, digits, dots, hyphens and underscores only."),
        ({"username": "CHIEF"}, "The username CHIEF is already taken."),
        ({"password": "short", "confirm": "short"}, "The password needs at least 10 characters."),
        ({"confirm": "something else"}, "The passwords differ."),
        ({"role": ""}, "Choose a role."),
        ({"role": "emperor"}, "Not a valid choice."),
        ({"role": "volunteer", "organisation": ""}, "A volunteer needs an organisation."),
        ({"organisation": "NO-SUCH-ORG"}, "Not a valid choice."),
        ({"role": "coordinator"}, "A coordinator needs a region or a country."),
        (
            {"role": "coordinator", "region": "KG-O", "country": "KG"},
            "Give a coordinator a region or a country, not both.",
        ),
        ({"role": "donor", "region": "KG-O"}, "Only a coordinator is assigned a region or a country."),
        ({"role": "admin", "country": "TJ"}, "Only a coordinator is assigned a region or a country."),
        ({"role": "coordinator", "region": "XX-Y"}, "Not a valid choice."),
        ({"locale": "fr"}, "Not a valid choice."),
    ],
)
def test_create_user_refuses_bad_input(as_admin, make, db, values, message):
    make.organisation(code="LCPC-TEST")
    db.session.commit()
    before = count(db, User)
    data = user_data(organisation="LCPC-TEST") | values
    response = as_admin.post("/admin/users/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page
    assert message in page
    assert count(db, User) == before
    assert audit_events(db, "create", "user") == []


def test_create_form_labels_every_input(as_admin):
    page = as_admin.get("/admin/users/new").get_data(as_text=True)
    for field in ("username", "password", "confirm", "role", "organisation", "region", "country", "locale"):
        assert f'for="{field}"' in page
        assert f'id="{field}"' in page


# Users: edit, deactivate, reset password --------------------------------------------------------


def test_edit_sets_role_scope_and_locale(as_admin, make, db):
    user = make.user("volunteer", username="vol.edit")
    db.session.commit()
    response = as_admin.post(
        f"/admin/users/{user.uuid}",
        data={"role": "coordinator", "organisation": "", "region": "", "country": "TJ", "locale": "tg"},
    )
    assert response.status_code == 302
    user = reload(db, user)
    assert user.role == Role.COORDINATOR
    assert user.organisation_id is None
    assert user.scope_region_id is None
    assert user.scope_country.code == "TJ"
    assert user.locale == "tg"
    (event,) = audit_events(db, "update", "user")
    assert event.details["changed"] == ["locale", "organisation_id", "role", "scope_country_id"]


def test_edit_form_shows_current_values(as_admin, make, db):
    user = make.user("coordinator", username="coord.show", region="KG-J", locale="uz")
    db.session.commit()
    page = as_admin.get(f"/admin/users/{user.uuid}").get_data(as_text=True)
    assert '<option selected value="coordinator">' in page or 'value="coordinator" selected' in page
    assert 'value="KG-J" selected' in page or '<option selected value="KG-J">' in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"role": "coordinator"}, "A coordinator needs a region or a country."),
        ({"role": "volunteer", "organisation": ""}, "A volunteer needs an organisation."),
        ({"role": "donor", "country": "KG"}, "Only a coordinator is assigned a region or a country."),
        ({"locale": "xx"}, "Not a valid choice."),
    ],
)
def test_edit_refuses_bad_input(as_admin, make, db, values, message):
    organisation = make.organisation(code="LCPC-EDIT")
    user = make.user("volunteer", username="vol.bad", organisation=organisation)
    db.session.commit()
    data = {"role": "volunteer", "organisation": "LCPC-EDIT", "region": "", "country": "", "locale": ""}
    response = as_admin.post(f"/admin/users/{user.uuid}", data=data | values)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    user = reload(db, user)
    assert user.role == Role.VOLUNTEER
    assert user.organisation_id == organisation.id
    assert user.locale == "en"
    assert audit_events(db, "update", "user") == []


def test_admin_cannot_remove_own_admin_role(as_admin, admin, db):
    response = as_admin.post(
        f"/admin/users/{admin.uuid}",
        data={"role": "donor", "organisation": "", "region": "", "country": "", "locale": ""},
    )
    assert response.status_code == 422
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    assert reload(db, admin).role == Role.ADMIN


def test_admin_can_change_own_language(as_admin, admin, db):
    data = {"role": "admin", "organisation": "", "region": "", "country": "", "locale": "ru"}
    assert as_admin.post(f"/admin/users/{admin.uuid}", data=data).status_code == 302
    assert reload(db, admin).locale == "ru"


def test_admin_can_demote_another_admin(as_admin, make, db):
    other = make.user("admin", username="other.admin")
    db.session.commit()
    data = {"role": "donor", "organisation": "", "region": "", "country": "", "locale": ""}
    assert as_admin.post(f"/admin/users/{other.uuid}", data=data).status_code == 302
    assert reload(db, other).role == Role.DONOR


def test_deactivate_and_reactivate_a_user(as_admin, make, db):
    user = make.user("donor", username="leaving")
    db.session.commit()
    assert as_admin.post(f"/admin/users/{user.uuid}/deactivate").status_code == 302
    assert not reload(db, user).active
    assert as_admin.post(f"/admin/users/{user.uuid}/reactivate").status_code == 302
    assert reload(db, user).active
    assert len(audit_events(db, "deactivate", "user")) == 1
    assert len(audit_events(db, "reactivate", "user")) == 1


def test_deactivated_user_cannot_sign_in(as_admin, make, db, app):
    user = make.user("donor", username="gone")
    db.session.commit()
    as_admin.post(f"/admin/users/{user.uuid}/deactivate")
    response = app.test_client().post("/login", data={"username": "gone", "password": PASSWORD})
    assert response.status_code == 401


def test_deactivation_ends_an_open_session(app, make, db):
    user = make.user("donor", username="signed.in")
    admin = make.user("admin", username="second.chief")
    db.session.commit()
    user_client, admin_client = app.test_client(), app.test_client()
    assert user_client.post("/login", data={"username": "signed.in", "password": PASSWORD}).status_code == 302
    assert user_client.get("/").status_code == 200
    assert (
        admin_client.post("/login", data={"username": "second.chief", "password": PASSWORD}).status_code
        == 302
    )
    assert admin_client.post(f"/admin/users/{user.uuid}/deactivate").status_code == 302
    response = user_client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert admin.active


def test_admin_cannot_deactivate_themselves(as_admin, admin, db):
    page = as_admin.get(f"/admin/users/{admin.uuid}").get_data(as_text=True)
    assert "you cannot deactivate it" in page
    response = as_admin.post(f"/admin/users/{admin.uuid}/deactivate")
    assert response.status_code == 422
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    assert reload(db, admin).active
    assert audit_events(db, "deactivate", "user") == []


def test_reset_password(as_admin, make, db):
    user = make.user("volunteer", username="forgetful")
    db.session.commit()
    response = as_admin.post(
        f"/admin/users/{user.uuid}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user = reload(db, user)
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    (event,) = audit_events(db, "reset_password", "user")
    assert event.object_uuid == user.uuid
    assert NEW_PASSWORD not in repr(event.details)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "seven77", "confirm": "seven77"}, "The password needs at least 10 characters."),
        ({"password": "", "confirm": ""}, "Type a password."),
        ({"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"}, "The passwords differ."),
    ],
)
def test_reset_password_refuses_bad_input(as_admin, make, db, data, message):
    user = make.user("volunteer", username="forgetful")
    db.session.commit()
    response = as_admin.post(f"/admin/users/{user.uuid}/password", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reload(db, user).check_password(PASSWORD)
    assert audit_events(db, "reset_password", "user") == []


# Organisations ----------------------------------------------------------------------------------


def organisation_data(**values: str) -> dict[str, str]:
    data = {
        "code": "PC-VAHDAT",
        "name": "Public Council Vahdat",
        "type": "public_council",
        "district": "TJ-SU-ISF",
    }
    data.update(values)
    return data


def test_create_organisation_is_stored_exactly(as_admin, db):
    response = as_admin.post("/admin/organisations/new", data=organisation_data())
    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation).where(Organisation.code == "PC-VAHDAT"))
    assert organisation.name == "Public Council Vahdat"
    assert organisation.type == OrganisationType.PUBLIC_COUNCIL
    assert organisation.district.code == "TJ-SU-ISF"
    assert organisation.active
    (event,) = audit_events(db, "create", "organisation")
    assert event.object_uuid == organisation.uuid
    assert event.details["code"] == "PC-VAHDAT"


def test_organisation_code_is_trimmed_and_upper_cased(as_admin, db):
    response = as_admin.post(
        "/admin/organisations/new", data=organisation_data(code="  lcpc-nookat ", name="  LCPC   Nookat ")
    )
    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation).where(Organisation.code == "LCPC-NOOKAT"))
    assert organisation.name == "LCPC Nookat"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"code": ""}, "A code is required."),
        ({"code": "pc vahdat"}, "Use Latin capital letters, digits and hyphens only, e.g. LCPC-KARASUU."),
        ({"code": "PC--X"}, "Use Latin capital letters, digits and hyphens only, e.g. LCPC-KARASUU."),
        ({"code": "X" * 41}, "Use at most 40 characters."),
        ({"code": "lcpc-taken"}, "The code LCPC-TAKEN is already used by another organisation."),
        ({"name": "   "}, "A name is required."),
        ({"name": "N" * 201}, "Use at most 200 characters."),
        ({"type": ""}, "Choose a type."),
        ({"type": "militia"}, "Not a valid choice."),
        ({"district": ""}, "Choose a district."),
        ({"district": "KG-NOPE"}, "Not a valid choice."),
    ],
)
def test_create_organisation_refuses_bad_input(as_admin, make, db, values, message):
    make.organisation(code="LCPC-TAKEN")
    db.session.commit()
    before = count(db, Organisation)
    response = as_admin.post("/admin/organisations/new", data=organisation_data(**values))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="field-error"' in page
    assert count(db, Organisation) == before
    assert audit_events(db, "create", "organisation") == []


def test_organisation_form_groups_districts_by_region(as_admin):
    page = as_admin.get("/admin/organisations/new").get_data(as_text=True)
    assert '<optgroup label="Osh Region">' in page
    assert 'value="KG-O-KSU"' in page
    assert "Local Crime Prevention Centre" in page


def test_edit_organisation(as_admin, make, db):
    organisation = make.organisation(code="LCPC-OLD", district="KG-O-KSU")
    db.session.commit()
    page = as_admin.get(f"/admin/organisations/{organisation.uuid}").get_data(as_text=True)
    assert 'value="LCPC-OLD"' in page
    response = as_admin.post(
        f"/admin/organisations/{organisation.uuid}",
        data={"code": "NGO-NEW", "name": "Renamed", "type": "ngo", "district": "KG-O-ARV"},
    )
    assert response.status_code == 302
    organisation = reload(db, organisation)
    assert (organisation.code, organisation.name, organisation.type, organisation.district.code) == (
        "NGO-NEW",
        "Renamed",
        OrganisationType.NGO,
        "KG-O-ARV",
    )
    (event,) = audit_events(db, "update", "organisation")
    assert event.details["changed"] == ["code", "district_id", "name", "type"]


def test_edit_organisation_keeps_its_own_code(as_admin, make, db):
    organisation = make.organisation(code="LCPC-SAME")
    db.session.commit()
    response = as_admin.post(
        f"/admin/organisations/{organisation.uuid}",
        data={"code": "LCPC-SAME", "name": "New name", "type": "lcpc", "district": "KG-O-KSU"},
    )
    assert response.status_code == 302
    assert reload(db, organisation).name == "New name"


def test_edit_organisation_refuses_another_ones_code(as_admin, make, db):
    make.organisation(code="LCPC-FIRST")
    second = make.organisation(code="LCPC-SECOND")
    db.session.commit()
    response = as_admin.post(
        f"/admin/organisations/{second.uuid}",
        data={"code": "LCPC-FIRST", "name": "Clash", "type": "lcpc", "district": "KG-O-KSU"},
    )
    assert response.status_code == 422
    assert "The code LCPC-FIRST is already used by another organisation." in response.get_data(as_text=True)
    second = reload(db, second)
    assert second.code == "LCPC-SECOND"
    assert second.name != "Clash"


def test_deactivate_and_reactivate_an_organisation(as_admin, make, db):
    organisation = make.organisation(code="LCPC-CLOSED")
    db.session.commit()
    assert as_admin.post(f"/admin/organisations/{organisation.uuid}/deactivate").status_code == 302
    assert not reload(db, organisation).active
    assert "Deactivated" in as_admin.get("/admin/organisations").get_data(as_text=True)
    assert as_admin.post(f"/admin/organisations/{organisation.uuid}/reactivate").status_code == 302
    assert reload(db, organisation).active
    assert len(audit_events(db, "deactivate", "organisation")) == 1
    assert len(audit_events(db, "reactivate", "organisation")) == 1


def test_organisation_list(as_admin, make, db):
    make.organisation(code="LCPC-LISTED", district="KG-O-KSU")
    db.session.commit()
    page = as_admin.get("/admin/organisations").get_data(as_text=True)
    assert "LCPC-LISTED" in page
    assert "Kara-Suu District" in page


# Geography --------------------------------------------------------------------------------------


def test_geography_browser_lists_countries_regions_districts_and_communities(as_admin):
    page = as_admin.get("/admin/geography").get_data(as_text=True)
    for text in (
        "Kyrgyzstan",
        "Tajikistan",
        "Osh Region",
        "Kara-Suu District",
        "/admin/geography/districts/KG-O-KSU",
    ):
        assert text in page


def test_add_community_gets_the_next_code(as_admin, make, db):
    district = make.district("KG-O-KSU")
    existing = len(district.communities)
    response = as_admin.post("/admin/geography/districts/KG-O-KSU", data={"name": "  Jany-Turmush  "})
    assert response.status_code == 302
    community = db.session.scalar(select(Community).where(Community.name == "Jany-Turmush"))
    assert community.code == f"KG-O-KSU-{existing + 1:02d}"
    assert community.district_id == district.id
    as_admin.post("/admin/geography/districts/KG-O-KSU", data={"name": "Жийде"})
    second = db.session.scalar(select(Community).where(Community.name == "Жийде"))
    assert second.code == f"KG-O-KSU-{existing + 2:02d}"
    (event, _second_event) = audit_events(db, "create", "community")
    assert event.details == {"code": community.code, "district": "KG-O-KSU"}
    assert "Jany-Turmush" in as_admin.get("/admin/geography/districts/KG-O-KSU").get_data(as_text=True)


def test_next_code_follows_the_highest_number(as_admin, make, db):
    district = make.district("KG-C-KMN")
    db.session.add(Community(code="KG-C-KMN-17", name="Far away", district_id=district.id))
    db.session.commit()
    as_admin.post("/admin/geography/districts/KG-C-KMN", data={"name": "Next one"})
    assert db.session.scalar(select(Community.code).where(Community.name == "Next one")) == "KG-C-KMN-18"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A name is required."),
        ("    ", "A name is required."),
        ("n" * 121, "Use at most 120 characters."),
        ("KASHGAR-KYSHTAK", "Kara-Suu District already has a community called KASHGAR-KYSHTAK."),
        ("  kashgar-kyshtak ", "Kara-Suu District already has a community called kashgar-kyshtak."),
    ],
)
def test_add_community_refuses_bad_input(as_admin, db, name, message):
    before = count(db, Community)
    response = as_admin.post("/admin/geography/districts/KG-O-KSU", data={"name": name})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="field-error"' in page
    assert count(db, Community) == before


def test_community_names_compare_case_insensitively_in_any_alphabet(as_admin, db):
    assert as_admin.post("/admin/geography/districts/TJ-SU-ISF", data={"name": "Чорку"}).status_code == 302
    response = as_admin.post("/admin/geography/districts/TJ-SU-ISF", data={"name": "ЧОРКУ"})
    assert response.status_code == 422


def test_same_community_name_allowed_in_another_district(as_admin, db):
    response = as_admin.post("/admin/geography/districts/KG-O-ARV", data={"name": "Kashgar-Kyshtak"})
    assert response.status_code == 302


def test_community_name_with_a_phone_number_is_refused(as_admin, db):
    before = count(db, Community)
    response = as_admin.post("/admin/geography/districts/KG-O-KSU", data={"name": "Call +996 555 123 456"})
    assert response.status_code == 422
    assert "Please remove the phone number" in response.get_data(as_text=True)
    assert count(db, Community) == before


def test_admin_forms_need_the_csrf_token(as_admin, make, db, csrf_enabled):
    user = make.user("donor", username="csrf.target")
    db.session.commit()
    assert as_admin.post(f"/admin/users/{user.uuid}/deactivate").status_code == 400
    assert as_admin.post("/admin/geography/districts/KG-O-KSU", data={"name": "Forged"}).status_code == 400
    assert reload(db, user).active
    assert db.session.scalar(select(func.count(Community.id)).where(Community.name == "Forged")) == 0


def test_volunteers_of_a_deactivated_organisation_cannot_sign_in(as_admin, make, db, app):
    organisation = make.organisation(code="LCPC-CLOSED")
    make.user("volunteer", organisation=organisation, username="closed.vol")
    colleague = make.user("volunteer", username="open.vol")
    db.session.commit()
    assert as_admin.post(f"/admin/organisations/{organisation.uuid}/deactivate").status_code == 302
    refused = app.test_client().post("/login", data={"username": "closed.vol", "password": PASSWORD})
    assert refused.status_code == 401
    allowed = app.test_client().post("/login", data={"username": colleague.username, "password": PASSWORD})
    assert allowed.status_code == 302


# Service refusals carry their field -------------------------------------------------------------


def field_error(page: str, field: str) -> str | None:
    """The text of the error shown beside ``field``, or None."""
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    return match.group(1) if match else None


def test_taken_username_is_shown_beside_the_username(as_admin, db):
    before = count(db, User)
    response = as_admin.post("/admin/users/new", data=user_data(username="CHIEF", role="donor"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The username CHIEF is already taken." in field_error(page, "username")
    assert field_error(page, "role") is None
    assert count(db, User) == before
    assert audit_events(db, "create", "user") == []


def test_taken_code_is_shown_beside_the_code(as_admin, make, db):
    make.organisation(code="LCPC-TAKEN")
    second = make.organisation(code="LCPC-SECOND")
    db.session.commit()
    before = count(db, Organisation)
    response = as_admin.post("/admin/organisations/new", data=organisation_data(code="lcpc-taken"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The code LCPC-TAKEN is already used by another organisation." in field_error(page, "code")
    assert count(db, Organisation) == before
    response = as_admin.post(
        f"/admin/organisations/{second.uuid}", data=organisation_data(code="LCPC-TAKEN", name="Clash")
    )
    assert response.status_code == 422
    assert "already used by another organisation" in field_error(response.get_data(as_text=True), "code")
    assert reload(db, second).code == "LCPC-SECOND"
    assert audit_events(db, "update", "organisation") == []


def test_existing_community_name_is_shown_beside_the_name(as_admin, db):
    before = count(db, Community)
    response = as_admin.post("/admin/geography/districts/KG-O-KSU", data={"name": "kashgar-kyshtak"})
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "name")
    assert "Kara-Suu District already has a community called kashgar-kyshtak." in message
    assert count(db, Community) == before
    assert audit_events(db, "create", "community") == []


def test_own_admin_role_refusal_is_shown_beside_the_role(as_admin, admin, db):
    response = as_admin.post(
        f"/admin/users/{admin.uuid}",
        data={"role": "donor", "organisation": "", "region": "", "country": "", "locale": ""},
    )
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "role")
    assert "You cannot remove your own administrator role." in message
    assert reload(db, admin).role == Role.ADMIN


def test_a_refusal_without_a_field_goes_at_the_top_of_the_form(as_admin, db, monkeypatch):
    from app.errors import DomainError
    from app.services import users as user_service

    def refuse(*args, **kwargs):
        raise DomainError("Accounts are frozen during the audit.", code="frozen")

    monkeypatch.setattr(user_service, "add_user", refuse)
    before = count(db, User)
    response = as_admin.post("/admin/users/new", data=user_data(role="donor"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert "Accounts are frozen during the audit." in summary
    assert 'class="field-error"' not in page
    assert count(db, User) == before


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda s: accounts.create_user(s, "chief", NEW_PASSWORD, "admin"), "username", "username_taken"),
        (lambda s: accounts.create_user(s, "  ", NEW_PASSWORD, "admin"), "username", "username_required"),
        (lambda s: accounts.create_user(s, "new.one", "short", "admin"), "password", "password_too_short"),
        (lambda s: accounts.create_user(s, "new.one", NEW_PASSWORD, "chief"), "role", "unknown_role"),
        (
            lambda s: accounts.create_user(s, "new.one", NEW_PASSWORD, "volunteer"),
            "organisation",
            "organisation_required",
        ),
        (
            lambda s: accounts.create_user(s, "new.one", NEW_PASSWORD, "volunteer", organisation_code="NOPE"),
            "organisation",
            "unknown_organisation",
        ),
        (
            lambda s: accounts.create_user(s, "new.one", NEW_PASSWORD, "coordinator", region_code="XX-9"),
            "region",
            "unknown_region",
        ),
        (
            lambda s: accounts.create_user(s, "new.one", NEW_PASSWORD, "coordinator", country_code="ZZ"),
            "country",
            "unknown_country",
        ),
        (
            lambda s: accounts.create_user(s, "new.one", NEW_PASSWORD, "coordinator"),
            "region",
            "scope_required",
        ),
        (
            lambda s: accounts.create_user(
                s, "new.one", NEW_PASSWORD, "coordinator", region_code="KG-O", country_code="KG"
            ),
            "country",
            "scope_region_and_country",
        ),
        (
            lambda s: accounts.create_user(s, "new.one", NEW_PASSWORD, "donor", country_code="KG"),
            "country",
            "scope_not_allowed",
        ),
    ],
)
def test_account_rules_name_their_field_and_code(admin, db, call, field, code):
    from app.errors import DomainError

    with pytest.raises(DomainError) as refused:
        call(db.session)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert str(refused.value)


def test_organisation_geography_and_user_rules_name_their_field_and_code(admin, make, db):
    from app.errors import DomainError
    from app.services import geography, organisations, users

    make.organisation(code="LCPC-TAKEN")
    db.session.commit()  # each refusal below is rolled back
    values = {"code": "PC-NEW", "name": "New", "type": "ngo", "district_code": "KG-O-KSU"}
    cases = [
        (
            lambda: organisations.create_organisation(
                db.session, actor=admin, **(values | {"code": "lcpc-taken"})
            ),
            "code",
            "code_taken",
        ),
        (
            lambda: organisations.create_organisation(db.session, actor=admin, **(values | {"code": "a b"})),
            "code",
            "code_format",
        ),
        (
            lambda: organisations.create_organisation(db.session, actor=admin, **(values | {"name": " "})),
            "name",
            "name_required",
        ),
        (
            lambda: organisations.create_organisation(
                db.session, actor=admin, **(values | {"type": "militia"})
            ),
            "type",
            "unknown_type",
        ),
        (
            lambda: organisations.create_organisation(
                db.session, actor=admin, **(values | {"district_code": "XX"})
            ),
            "district",
            "unknown_district",
        ),
        (
            lambda: geography.add_community(
                db.session, make.district("KG-O-KSU"), "KASHGAR-kyshtak", actor=admin
            ),
            "name",
            "community_name_taken",
        ),
        (
            lambda: geography.add_community(db.session, make.district("KG-O-KSU"), "  ", actor=admin),
            "name",
            "name_required",
        ),
        (lambda: users.update_user(db.session, admin, actor=admin, role="donor"), "role", "own_admin_role"),
        (lambda: users.set_user_active(db.session, admin, False, actor=admin), None, "deactivate_self"),
        (
            lambda: users.reset_password(db.session, admin, "short", actor=admin),
            "password",
            "password_too_short",
        ),
    ]
    for call, field, code in cases:
        with pytest.raises(DomainError) as refused:
            call()
        assert (refused.value.field, refused.value.code) == (field, code), str(refused.value)
        db.session.rollback()
