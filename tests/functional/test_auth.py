"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

from sqlalchemy import select

from app.models import AuditEvent, User


def _events(db, action):
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def test_login_page_has_labelled_fields(client):
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'for="username"' in html
    assert 'for="password"' in html
    assert "Sign in" in html


def test_sign_in_and_out(client, make, db):
    user = make.user("volunteer")
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Community safety log" in home.get_data(as_text=True)
    assert len(_events(db, "login")) == 1
    assert db.session.get(User, user.id).last_login_at is not None
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert len(_events(db, "logout")) == 1


def test_username_is_case_insensitive(client, make, db):
    make.user("volunteer", username="Aigerim")
    db.session.commit()
    response = client.post("/login", data={"username": "aigerim ", "password": "correct horse battery"})
    assert response.status_code == 302


def test_wrong_password_refused_and_audited(client, make, db):
    user = make.user("volunteer")
    db.session.commit()
    response = client.post(
        "/login",
        data={"username": user.username, "password": "wrong password"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 401
    assert "not right" in response.get_data(as_text=True)
    failed = _events(db, "login_failed")
    assert len(failed) == 1 and failed[0].user_id == user.id
    assert failed[0].details == {"known_user": True}
    assert client.get("/activities").status_code == 302


def test_unknown_user_refused_with_the_same_message(client, db):
    response = client.post(
        "/login", data={"username": "nobody", "password": "whatever12"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 401
    assert "not right" in response.get_data(as_text=True)
    failed = _events(db, "login_failed")
    assert failed[0].user_id is None and "nobody" not in str(failed[0].details)


def test_inactive_user_refused(client, make, db):
    user = make.user("volunteer", active=False)
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 401


def test_empty_form_answers_422(client, db):
    response = client.post("/login", data={}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter your username." in html and "Enter your password." in html


def test_next_is_followed_only_on_this_site(client, make, db):
    user = make.user("volunteer")
    db.session.commit()
    data = {"username": user.username, "password": "correct horse battery"}
    response = client.post("/login?next=/activities", data=data)
    assert response.headers["Location"] == "/activities"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=//evil.example/", data=data)
    assert response.headers["Location"] == "/"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/activities")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_needs_post(client, make, login_as, db):
    user = make.user("volunteer")
    db.session.commit()
    login_as(user)
    assert client.get("/logout").status_code == 405


def test_language_saved_on_user(client, make, login_as, db):
    user = make.user("volunteer", locale="en")
    db.session.commit()
    login_as(user)
    response = client.post("/language", data={"locale": "ru", "next": "/activities"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/activities"
    assert db.session.get(User, user.id).locale == "ru"
    assert 'lang="ru"' in client.get("/").get_data(as_text=True)


def test_language_cookie_before_sign_in(client, db):
    response = client.post("/language", data={"locale": "ky", "next": "/login"})
    assert response.status_code == 302
    assert "lang=ky" in response.headers["Set-Cookie"]
    assert 'lang="ky"' in client.get("/login").get_data(as_text=True)


def test_unknown_language_refused(client, db):
    response = client.post("/language", data={"locale": "xx"})
    assert response.status_code == 422


def test_language_next_cannot_leave_the_site(client, db):
    response = client.post("/language", data={"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_login_without_csrf_token_refused(client, make, db, csrf_enabled):
    user = make.user("volunteer")
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 400
    assert not _events(db, "login")
