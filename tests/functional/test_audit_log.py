"""The audit log page /admin/audit: who may see it, filters, pages, the diff, bad input."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.admin.audit import short_user_agent
from app.models import AuditEvent

from ..factories import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.6478.71 Mobile Safari/537.36"
)


@pytest.fixture
def admin(make):
    return make.user("admin", username="chief")


@pytest.fixture
def as_admin(admin, login_as, db):
    db.session.commit()
    return login_as(admin)


def add_event(db, action: str, object_type: str, *, user=None, at=None, ip=None, agent=None, **values):
    """One audit row as the services write it, at a chosen time, from a chosen client."""
    event = AuditEvent(
        action=action,
        object_type=object_type,
        user_id=user.id if user is not None else None,
        object_uuid=values.pop("object_uuid", None),
        details=values,
        ip_address=ip,
        user_agent=agent,
        at=at or datetime.now(UTC),
    )
    db.session.add(event)
    db.session.commit()
    return event


def page_of(client, query: str = "", **request: object) -> str:
    response = client.get("/admin/audit" + query, **request)
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return response.get_data(as_text=True)


def events_html(page: str) -> str:
    """Only the list of events (not the filters, whose choices name every action)."""
    match = re.search(r'<ol class="audit-list">.*?</ol>', page, re.S)
    return match.group(0) if match else ""


# Access -----------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/audit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "donor"])
def test_other_roles_are_refused(make, login_as, db, role):
    user = make.user(role)
    db.session.commit()
    assert login_as(user).get("/admin/audit").status_code == 403
    assert login_as(user).get("/admin/audit?action=login").status_code == 403


def test_admin_sees_the_log(as_admin):
    page = page_of(as_admin)
    assert "<h1>Audit log</h1>" in page
    assert "Signed in" in events_html(page)  # the admin's own sign-in, a moment ago


def test_admin_index_links_to_the_log(as_admin):
    assert 'href="/admin/audit"' in as_admin.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_log_has_no_write_route(as_admin, method):
    assert getattr(as_admin, method)("/admin/audit").status_code == 405


# What a row shows -------------------------------------------------------------------------------


def test_newest_first(as_admin, make, db):
    clerk = make.user("donor", username="clerk")
    now = datetime.now(UTC)
    add_event(db, "export", "report", user=clerk, at=now - timedelta(days=2), ip="10.0.0.2")
    add_event(db, "export", "report", user=clerk, at=now - timedelta(days=1), ip="10.0.0.1")
    add_event(db, "export", "report", user=clerk, at=now - timedelta(days=3), ip="10.0.0.3")
    rows = events_html(page_of(as_admin, "?user=clerk"))
    assert rows.index("10.0.0.1") < rows.index("10.0.0.2") < rows.index("10.0.0.3")


def test_a_record_change_shows_the_diff_but_never_the_words(as_admin, make, db):
    volunteer = make.user("volunteer", username="vol.diff")
    words = "The elders agreed to meet the youth committee every Friday"
    activity = make.activity(volunteer, outcome=words, community="KG-O-KSU-01")
    add_event(
        db,
        "update",
        "activity",
        user=volunteer,
        object_uuid=activity.uuid,
        version=3,
        via="web",
        status=["draft", "submitted"],
        changes={
            "f_u18": [0, 12],
            "outcome": "changed",
            "community_id": ["KG-O-KSU-01", "KG-O-KSU-02"],
        },
    )
    page = page_of(as_admin, "?user=vol.diff")
    rows = events_html(page)
    assert "Edited" in rows
    assert "Female, Under 18:</span> 0 → 12" in rows
    assert re.search(r"Short outcome:</span>\s*<em>changed</em>", rows)
    assert "Kashgar-Kyshtak → Papan" in rows
    assert "Draft → Submitted" in rows
    assert f'href="/activities/{activity.uuid}"' in rows
    assert words not in page
    assert "elders" not in page


def test_a_deleted_record_has_no_link(as_admin, make, db):
    volunteer = make.user("volunteer", username="vol.gone")
    key = uuid.uuid4()
    add_event(db, "create", "incident", user=volunteer, object_uuid=key, status=[None, "draft"])
    add_event(db, "delete", "incident", user=volunteer, object_uuid=key, status=["draft", None])
    rows = events_html(page_of(as_admin, "?user=vol.gone"))
    assert str(key) not in rows
    assert "/incidents/" not in rows
    assert "Incident " + str(key)[:8] in rows
    assert 'badge-inactive">Deleted<' in rows  # on the create: the record is gone since


def test_client_address_and_short_user_agent(as_admin, make, db):
    volunteer = make.user("volunteer", username="vol.client")
    add_event(db, "login", "user", user=volunteer, ip="203.0.113.7", agent=FIREFOX)
    rows = events_html(page_of(as_admin, "?user=vol.client"))
    assert "203.0.113.7" in rows
    assert "Firefox 128 · Windows" in rows
    assert f'title="{FIREFOX}"' in rows  # the whole string on hover


def test_a_real_sign_in_is_logged_with_its_client(app, make, db):
    admin = make.user("admin", username="real.chief")
    db.session.commit()
    client = app.test_client()
    # The same client throughout: a session moving to another address or browser is dropped.
    same = {"headers": {"User-Agent": ANDROID}, "environ_base": {"REMOTE_ADDR": "198.51.100.23"}}
    response = client.post("/login", data={"username": "real.chief", "password": PASSWORD}, **same)
    assert response.status_code == 302
    rows = events_html(page_of(client, "?action=login", **same))
    assert "198.51.100.23" in rows
    assert "Chrome 126 · Android" in rows
    assert f'href="/admin/users/{admin.uuid}"' in rows


def test_who_when_there_is_no_user(as_admin, db):
    add_event(db, "create", "user", via="cli", role="coordinator")
    add_event(db, "login_failed", "user", known_user=False, ip="192.0.2.9")
    rows = events_html(page_of(as_admin, "?object=user"))
    assert "Command line" in rows
    assert re.search(r'audit-who-none">Unknown<', rows)


def test_user_and_organisation_changes_name_the_fields(as_admin, admin, make, db):
    target = make.user("volunteer", username="vol.moved")
    organisation = make.organisation(code="LCPC-AUDITED")
    add_event(db, "update", "user", user=admin, object_uuid=target.uuid, changed=["locale", "role"])
    add_event(
        db,
        "update",
        "organisation",
        user=admin,
        object_uuid=organisation.uuid,
        changed=["name"],
        code="LCPC-AUDITED",
    )
    rows = events_html(page_of(as_admin, "?user=chief&action=update"))
    assert re.search(r"Interface language:</span>\s*<em>changed</em>", rows)
    assert re.search(r"Role:</span>\s*<em>changed</em>", rows)
    assert re.search(r"Name:</span>\s*<em>changed</em>", rows)
    assert f'href="/admin/users/{target.uuid}"' in rows and "vol.moved" in rows
    assert f'href="/admin/organisations/{organisation.uuid}"' in rows and "LCPC-AUDITED" in rows


def test_an_export_names_its_audience_and_period(as_admin, make, db):
    donor = make.user("donor", username="eu.reader")
    add_event(
        db,
        "export",
        "report",
        user=donor,
        audience="donor",
        filters={"from": "2026-01-01", "to": "2026-06-30", "country": "KG", "audience": "donor"},
        via="web",
    )
    rows = events_html(page_of(as_admin, "?user=eu.reader"))
    assert "Report downloaded" in rows
    assert "Donor (aggregates)" in rows
    assert "Jan 1, 2026 – Jun 30, 2026" in rows


def test_a_closed_month_names_the_month_and_area(as_admin, make, db):
    coordinator = make.user("coordinator", username="closer", region="KG-O")
    add_event(
        db,
        "close",
        "period",
        user=coordinator,
        object_uuid=uuid.uuid4(),
        month="2026-05",
        country="KG",
        region="KG-O",
    )
    rows = events_html(page_of(as_admin, "?user=closer"))
    assert "Month closed" in rows
    assert "May 2026 · KG-O" in rows


# Filters ----------------------------------------------------------------------------------------


@pytest.fixture
def two_users(make, db):
    """alice created an activity (from 10.1.1.1); bob approved it (10.2.2.2) and reset a password."""
    alice = make.user("volunteer", username="alice")
    bob = make.user("coordinator", username="bob")
    key = uuid.uuid4()
    add_event(db, "create", "activity", user=alice, object_uuid=key, ip="10.1.1.1")
    add_event(db, "approve", "activity", user=bob, object_uuid=key, ip="10.2.2.2")
    add_event(db, "reset_password", "user", user=bob, object_uuid=alice.uuid, ip="10.2.2.3")
    return alice, bob


def test_filter_by_user(as_admin, two_users):
    rows = events_html(page_of(as_admin, "?user=alice"))
    assert "10.1.1.1" in rows
    assert "10.2.2.2" not in rows and "10.2.2.3" not in rows
    rows = events_html(page_of(as_admin, "?user=BOB"))  # any case
    assert "10.2.2.2" in rows and "10.2.2.3" in rows
    assert "10.1.1.1" not in rows
    assert "Signed in" not in rows  # the admin's own sign-in is someone else's


def test_filter_by_action(as_admin, two_users):
    rows = events_html(page_of(as_admin, "?action=approve"))
    assert "10.2.2.2" in rows
    assert "10.1.1.1" not in rows and "10.2.2.3" not in rows
    assert "Approved" in rows


def test_filter_by_object_type(as_admin, two_users):
    rows = events_html(page_of(as_admin, "?object=activity"))
    assert "10.1.1.1" in rows and "10.2.2.2" in rows
    assert "10.2.2.3" not in rows
    rows = events_html(page_of(as_admin, "?object=user&user=bob"))
    assert "10.2.2.3" in rows
    assert "10.1.1.1" not in rows and "10.2.2.2" not in rows


def test_filters_combine_and_say_when_nothing_matches(as_admin, two_users):
    page = page_of(as_admin, "?user=alice&action=approve")
    assert events_html(page) == ""
    assert "No event matches these filters." in page
    assert "0 events" in page


def test_the_filter_form_offers_the_known_actions_and_types(as_admin):
    page = page_of(as_admin)
    for value, label in (
        ("approve", "Approved"),
        ("login_failed", "Sign-in refused"),
        ("export", "Report downloaded"),
    ):
        assert f'<option value="{value}">{label}</option>' in page
    assert '<option value="organisation">Organisation</option>' in page
    assert 'list="audit-usernames"' in page
    assert '<option value="chief">' in page


def test_filter_by_dates_in_the_local_day(as_admin, make, db):
    """Days are Bishkek days (UTC+6): 20:00 UTC on 14 March is 02:00 on 15 March there."""
    clerk = make.user("donor", username="dated")
    add_event(db, "export", "report", user=clerk, at=datetime(2026, 3, 10, 12, tzinfo=UTC), ip="10.9.0.10")
    add_event(db, "export", "report", user=clerk, at=datetime(2026, 3, 14, 20, tzinfo=UTC), ip="10.9.0.15")
    add_event(db, "export", "report", user=clerk, at=datetime(2026, 3, 20, 12, tzinfo=UTC), ip="10.9.0.20")
    rows = events_html(page_of(as_admin, "?user=dated&from=2026-03-15"))
    assert "10.9.0.15" in rows and "10.9.0.20" in rows
    assert "10.9.0.10" not in rows
    rows = events_html(page_of(as_admin, "?user=dated&to=2026-03-14"))
    assert "10.9.0.10" in rows
    assert "10.9.0.15" not in rows and "10.9.0.20" not in rows
    rows = events_html(page_of(as_admin, "?user=dated&from=2026-03-15&to=2026-03-15"))
    assert "10.9.0.15" in rows
    assert "10.9.0.10" not in rows and "10.9.0.20" not in rows
    assert "Mar 15, 2026, 2:00:00" in rows  # shown in the same time zone
    assert '<time datetime="2026-03-14T20:00:00+00:00">' in rows


@pytest.mark.parametrize("query", ["?from=0001-01-01", "?to=9999-12-31", "?from=0001-01-01&to=9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_no_error(as_admin, query):
    assert "Signed in" in events_html(page_of(as_admin, query))


# Pages ------------------------------------------------------------------------------------------


def test_pages(as_admin, make, db, app):
    per_page = app.config["PER_PAGE"]
    clerk = make.user("donor", username="pager")
    start = datetime.now(UTC) - timedelta(days=1)
    for number in range(per_page + 3):
        add_event(
            db, "export", "report", user=clerk, at=start + timedelta(minutes=number), ip=f"10.5.{number}.1"
        )
    first = page_of(as_admin, "?user=pager")
    rows = events_html(first)
    assert rows.count('<li class="audit-event">') == per_page
    assert f"10.5.{per_page + 2}.1" in rows  # newest first
    assert "10.5.0.1<" not in rows
    assert "page=2" in first and "user=pager" in first
    second = events_html(page_of(as_admin, "?user=pager&page=2"))
    assert second.count('<li class="audit-event">') == 3
    assert "10.5.0.1<" in second
    past = page_of(as_admin, "?user=pager&page=99")
    assert events_html(past) == ""
    assert "This page is past the end of the log." in past


@pytest.mark.parametrize("value", ["abc", "0", "-4", "2.5", "", "1" * 40])
def test_a_bad_page_number_is_no_error(as_admin, value):
    assert as_admin.get(f"/admin/audit?page={value}").status_code == 200


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?from=2026-13-45", "from", "Not a valid date value."),
        ("?to=yesterday", "to", "Not a valid date value."),
        ("?from=2026-05-02&to=2026-05-01", "to", "The end date is before the start date."),
        ("?action=explode", "action", "Not a valid choice."),
        ("?object=secrets", "object", "Not a valid choice."),
        ("?user=nobody.here", "user", "No user is called nobody.here."),
        ("?user=" + "u" * 81, "user", "Field cannot be longer than 80 characters."),
    ],
)
def test_bad_filters_answer_400_beside_the_field(as_admin, query, field, message):
    response = as_admin.get("/admin/audit" + query)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    assert error is not None, page[:2000]
    assert message in error.group(1)
    assert events_html(page) == ""


# The browser string, shortened ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "short"),
    [
        (FIREFOX, "Firefox 128 · Windows"),
        (ANDROID, "Chrome 126 · Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari 17 · iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.92",
            "Edge 125 · Windows",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        ("x" * 100, "x" * 39 + "…"),
        ("", None),
        (None, None),
    ],
)
def test_short_user_agent(agent, short):
    assert short_user_agent(agent) == short
