"""Failed sign-ins are limited per account and per address, audited, and told when to retry.

No test sleeps: the limiter's storage is emptied before and after each one (``signin_limits``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth import throttle
from app.extensions import limiter
from app.models import AuditEvent
from app.services import accounts

from ..factories import PASSWORD

EN = {"Accept-Language": "en"}


@pytest.fixture
def signin_limits(app, monkeypatch):
    """The sign-in limits on (the testing config turns them off), on an empty storage."""
    monkeypatch.setitem(app.config, "SIGNIN_LIMITS_ENABLED", True)
    limiter.reset()
    yield
    limiter.reset()


def _sign_in(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        headers=EN,
        environ_base={"REMOTE_ADDR": address},
    )


def _failed_events(db) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def test_sixth_failure_is_429_with_when_to_retry(client, make, db, signin_limits):
    user = make.user("volunteer")
    db.session.commit()
    for _attempt in range(5):
        assert _sign_in(client, user.username, "wrong password!").status_code == 401
    response = _sign_in(client, user.username, "wrong password!")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many failed sign-ins. Try again in 15 minutes." in page
    assert 'name="username"' in page  # the sign-in page itself, not a bare error
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60


def test_while_limited_even_the_right_password_waits(client, make, db, signin_limits):
    user = make.user("volunteer")
    db.session.commit()
    for _attempt in range(5):
        _sign_in(client, user.username, "wrong password!")
    assert _sign_in(client, user.username, PASSWORD).status_code == 429
    assert client.get("/activities").status_code == 302  # not signed in


def test_limited_attempts_are_audited(client, make, db, signin_limits):
    user = make.user("volunteer")
    db.session.commit()
    for _attempt in range(7):
        _sign_in(client, user.username, "wrong password!")
    events = _failed_events(db)
    assert len(events) == 7
    assert all(event.user_id == user.id for event in events)
    assert [event.details.get("rate_limited", False) for event in events] == [False] * 5 + [True] * 2
    assert "wrong password" not in repr([event.details for event in events])


def test_after_a_reset_the_account_signs_in_again(client, make, db, signin_limits):
    user = make.user("volunteer")
    db.session.commit()
    for _attempt in range(6):
        _sign_in(client, user.username, "wrong password!")
    assert _sign_in(client, user.username, PASSWORD).status_code == 429
    limiter.reset()  # what 15 minutes of waiting does
    assert _sign_in(client, user.username, PASSWORD).status_code == 302


def test_a_colleague_at_the_same_address_still_signs_in(app, make, db, signin_limits):
    careless, colleague = make.user("volunteer"), make.user("volunteer")
    db.session.commit()
    office = "198.51.100.20"
    for _attempt in range(6):
        _sign_in(app.test_client(), careless.username, "wrong password!", office)
    assert _sign_in(app.test_client(), careless.username, PASSWORD, office).status_code == 429
    assert _sign_in(app.test_client(), colleague.username, PASSWORD, office).status_code == 302


def test_the_address_limit_spans_accounts(app, make, db, signin_limits, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_LIMIT_PER_ADDRESS", "3 per 15 minutes")
    users = [make.user("volunteer") for _ in range(4)]
    db.session.commit()
    attacker = "203.0.113.9"
    for user in users[:3]:
        assert _sign_in(app.test_client(), user.username, "wrong password!", attacker).status_code == 401
    # A fourth account from that address waits, even with its right password ...
    assert _sign_in(app.test_client(), users[3].username, PASSWORD, attacker).status_code == 429
    # ... while from elsewhere it signs in: its own account has no failures.
    assert _sign_in(app.test_client(), users[3].username, PASSWORD, "192.0.2.44").status_code == 302


def test_unknown_names_are_limited_like_known_ones(client, make, db, signin_limits):
    known = make.user("volunteer")
    db.session.commit()
    answers = {}
    for username in (known.username, "no.such.person"):
        answers[username] = [_sign_in(client, username, "wrong password!").status_code for _ in range(6)]
    assert answers[known.username] == answers["no.such.person"] == [401] * 5 + [429]


def test_account_limit_ignores_case_and_spaces(client, make, db, signin_limits):
    make.user("volunteer", username="Aigerim")
    db.session.commit()
    for name in ("aigerim", "AIGERIM", " Aigerim", "aigeriM ", "aiGerim"):
        assert _sign_in(client, name, "wrong password!").status_code == 401
    assert _sign_in(client, "aigerim", PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_account_failures(client, make, db, signin_limits):
    user = make.user("volunteer")
    db.session.commit()
    for _attempt in range(4):
        _sign_in(client, user.username, "wrong password!")
    assert _sign_in(client, user.username, PASSWORD).status_code == 302
    client.post("/logout")
    for _attempt in range(4):
        assert _sign_in(client, user.username, "wrong password!").status_code == 401


def test_empty_forms_are_not_counted(client, make, db, signin_limits):
    user = make.user("volunteer")
    db.session.commit()
    for _attempt in range(8):
        assert client.post("/login", data={"username": user.username}).status_code == 422
    assert _sign_in(client, user.username, PASSWORD).status_code == 302


def test_one_minute_left_is_said_in_the_singular(app, client, make, db, signin_limits, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_LIMIT_PER_ACCOUNT", "1 per 1 minute")
    user = make.user("volunteer")
    db.session.commit()
    _sign_in(client, user.username, "wrong password!")
    response = _sign_in(client, user.username, "wrong password!")
    assert response.status_code == 429
    assert "Try again in 1 minute." in response.get_data(as_text=True)


def test_without_the_setting_nothing_is_limited(app, client, make, db, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_LIMITS_ENABLED", False)
    user = make.user("volunteer")
    db.session.commit()
    assert {_sign_in(client, user.username, "wrong password!").status_code for _ in range(8)} == {401}


@pytest.mark.parametrize(("seconds", "minutes"), [(1, 1), (59, 1), (60, 1), (61, 2), (900, 15)])
def test_waits_are_rounded_up_to_minutes(seconds, minutes):
    assert throttle.minutes(seconds) == minutes


def test_every_failure_hashes_a_password(app, make, db, monkeypatch):
    """Unknown names, inactive accounts and wrong passwords all cost one hash: timing tells nothing."""
    calls = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda h, p: calls.append("dummy") or real(h, p))
    inactive = make.user("volunteer", active=False)
    active = make.user("volunteer")
    db.session.commit()
    hashed = []
    monkeypatch.setattr(type(active), "check_password", lambda self, p: hashed.append(self.id) or False)
    assert accounts.authenticate(db.session, "no.such.person", PASSWORD) is None
    assert accounts.authenticate(db.session, inactive.username, PASSWORD) is None
    assert accounts.authenticate(db.session, active.username, "wrong password!") is None
    assert calls == ["dummy"] and hashed == [inactive.id, active.id]
