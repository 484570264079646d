"""Sessions end: at sign-out, on a new password, role, scope or deactivation, after idling, after
a lifetime; a copied cookie of an ended session is refused; CSRF tokens rotate with the session.

No test sleeps: the times the session holds are moved back with ``session_transaction``.
"""

from __future__ import annotations

import re
import time

import pytest

from app.auth.sessions import SEEN_KEY, SIGNED_IN_KEY
from app.models import User
from app.services import users
from app.services.accounts import GENERATION_KEY

from ..factories import PASSWORD

EN = {"Accept-Language": "en"}
NEW_PASSWORD = "a new long passphrase"


def _signed_in_client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _copy_of(client, app):
    """A second browser holding a copy of ``client``'s session cookie (as a thief would)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    return thief


def _is_signed_in(client) -> bool:
    return client.get("/activities", headers=EN).status_code == 200


def _reload(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# Revocation -------------------------------------------------------------------------------------


def test_a_cookie_copied_before_sign_out_is_refused_after(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    thief = _copy_of(client, app)
    assert _is_signed_in(thief)  # the copy works while the session is open ...
    assert client.post("/logout").status_code == 302
    response = thief.get("/activities", headers=EN)
    assert response.status_code == 302  # ... and not after sign-out
    assert response.headers["Location"].startswith("/login")
    assert not _is_signed_in(thief)


def test_sign_out_ends_the_other_sessions_of_the_user(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    laptop, tablet = _signed_in_client(app, user), _signed_in_client(app, user)
    assert _is_signed_in(laptop) and _is_signed_in(tablet)  # a second sign-in ends nothing
    laptop.post("/logout")
    assert not _is_signed_in(tablet)


def test_a_cookie_copied_before_an_admin_reset_the_password_is_refused(app, make, db):
    admin = make.user("admin")
    user = make.user("volunteer")
    db.session.commit()
    victim = _signed_in_client(app, user)
    thief = _copy_of(victim, app)
    assert _is_signed_in(thief)
    response = _signed_in_client(app, admin).post(
        f"/admin/users/{user.uuid}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    for old in (thief, victim):
        response = old.get("/activities", headers=EN)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        page = old.get(response.headers["Location"], headers=EN).get_data(as_text=True)
        assert "Your session has ended. Please sign in again." in page
    assert _is_signed_in(_signed_in_client_with(app, user, NEW_PASSWORD))


def _signed_in_client_with(app, user, password):
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": password}).status_code == 302
    return client


@pytest.mark.parametrize(
    ("change", "ends"),
    [
        ({"role": "coordinator", "region_code": "KG-O"}, True),
        ({"role": "volunteer", "organisation_code": "OTHER-ORG"}, True),
        ({"role": "volunteer", "organisation_code": "HOME-ORG", "locale": "ru"}, False),
    ],
    ids=["role", "scope", "language only"],
)
def test_a_new_role_or_scope_ends_the_sessions(app, make, db, change, ends):
    admin = make.user("admin")
    home = make.organisation(code="HOME-ORG")
    make.organisation(code="OTHER-ORG")
    user = make.user("volunteer", organisation=home)
    db.session.commit()
    client = _signed_in_client(app, user)
    users.update_user(db.session, _reload(db, user), actor=admin, **change)
    db.session.commit()
    assert _is_signed_in(client) is not ends


def test_a_coordinator_moved_to_another_area_is_signed_out(app, make, db):
    admin = make.user("admin")
    user = make.user("coordinator", region="KG-O")
    db.session.commit()
    client = _signed_in_client(app, user)
    response = _signed_in_client(app, admin).post(
        f"/admin/users/{user.uuid}",
        data={"role": "coordinator", "organisation": "", "region": "", "country": "KG", "locale": "en"},
    )
    assert response.status_code == 302
    assert client.get("/review", headers=EN).status_code == 302


def test_deactivation_revokes_for_good(app, make, db):
    admin = make.user("admin")
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    thief = _copy_of(client, app)
    users.set_user_active(db.session, _reload(db, user), False, actor=admin)
    users.set_user_active(db.session, _reload(db, user), True, actor=admin)
    db.session.commit()
    # Reactivated, the account signs in afresh, but the sessions opened before stay ended.
    assert not _is_signed_in(client) and not _is_signed_in(thief)
    assert _is_signed_in(_signed_in_client(app, user))


def test_each_ending_bumps_the_generation(make, db):
    admin = make.user("admin")
    user = make.user("volunteer")
    db.session.commit()
    start = user.session_generation
    users.reset_password(db.session, user, NEW_PASSWORD, actor=admin)
    users.update_user(db.session, user, actor=admin, role="donor")
    users.set_user_active(db.session, user, False, actor=admin)
    assert user.session_generation == start + 3


def test_a_session_of_another_generation_is_refused(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    with client.session_transaction() as session:
        assert session[GENERATION_KEY] == user.session_generation
        session[GENERATION_KEY] = user.session_generation - 1
    assert not _is_signed_in(client)


# Idle timeout and lifetime ----------------------------------------------------------------------


def _move_back(client, key: str, seconds: int) -> None:
    with client.session_transaction() as session:
        session[key] = session[key] - seconds


def test_idle_for_more_than_30_minutes_signs_out(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    _move_back(client, SEEN_KEY, 31 * 60)
    response = client.get("/activities?page=2", headers=EN)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/activities?page%3D2"
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity." in page
    assert not _is_signed_in(client)
    with client.session_transaction() as session:
        assert "_user_id" not in session and SEEN_KEY not in session


def test_activity_keeps_the_session_open(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    for _step in range(3):  # 3 x 20 minutes: never 30 without a request
        _move_back(client, SEEN_KEY, 20 * 60)
        _move_back(client, SIGNED_IN_KEY, 20 * 60)
        assert _is_signed_in(client)
    with client.session_transaction() as session:
        assert time.time() - session[SEEN_KEY] < 60


def test_idle_timeout_comes_from_the_config(app, make, db, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    _move_back(client, SEEN_KEY, 6 * 60)
    response = client.get("/activities", headers=EN, follow_redirects=True)
    assert "You were signed out after 5 minutes without activity." in response.get_data(as_text=True)


def test_the_absolute_lifetime_ends_even_an_active_session(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    _move_back(client, SIGNED_IN_KEY, 12 * 3600 + 1)  # signed in 12 hours ago, busy ever since
    response = client.get("/activities", headers=EN, follow_redirects=True)
    assert "You were signed out 12 hours after signing in. Please sign in again." in response.get_data(
        as_text=True
    )
    assert not _is_signed_in(client)


def test_an_expired_session_on_the_sign_in_page_shows_why(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    _move_back(client, SEEN_KEY, 31 * 60)
    response = client.get("/login", headers=EN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity." in page
    assert "You are signed in as" not in page


def test_a_session_without_times_is_signed_out(app, make, db):
    user = make.user("volunteer")
    db.session.commit()
    client = _signed_in_client(app, user)
    with client.session_transaction() as session:
        del session[SIGNED_IN_KEY]
    assert not _is_signed_in(client)


def test_expired_post_goes_to_sign_in_and_changes_nothing(app, make, db):
    user = make.user("volunteer", locale="en")
    db.session.commit()
    client = _signed_in_client(app, user)
    _move_back(client, SEEN_KEY, 31 * 60)
    response = client.post("/language", data={"locale": "ru", "next": "/activities"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert _reload(db, user).locale == "en"


# CSRF tokens and the lang cookie ----------------------------------------------------------------


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html).group(1)


def test_csrf_token_rotates_at_sign_in_and_ends_with_the_session(app, make, db, csrf_enabled):
    user = make.user("volunteer")
    db.session.commit()
    client = app.test_client()
    before = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    # The token of the page before sign-in no longer sends a form ...
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    during = _token(client.get("/").get_data(as_text=True))
    assert during != before
    assert client.post("/logout", data={"csrf_token": during}).status_code == 302
    # ... nor does the signed-in one once the session has ended.
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": during}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("secure", [True, False])
def test_lang_cookie_is_secure_when_the_session_cookie_is(app, client, db, monkeypatch, secure):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", secure)
    response = client.post("/language", data={"locale": "ky", "next": "/login"})
    header = response.headers["Set-Cookie"]
    assert header.startswith("lang=ky")
    assert ("Secure" in header) is secure
    assert "HttpOnly" in header and "SameSite=Lax" in header
