"""Password rules: 10 to 128 characters, not common, not the username, not the demo password
outside development; one rule for the command line, the admin create form and the reset form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.errors import DomainError
from app.models import AuditEvent, User
from app.services import accounts, users
from app.services.seed import DEMO_PASSWORD

from ..factories import PASSWORD

EN = {"Accept-Language": "en"}

#: (password, username, expected refusal code) -- every way a new password is refused.
REFUSED = [
    ("ninechars", "aigul", "password_too_short"),
    ("", "aigul", "password_too_short"),
    ("x" * 129, "aigul", "password_too_long"),
    ("password123", "aigul", "password_common"),
    ("PassWord123", "aigul", "password_common"),
    ("qwertyuiop", "aigul", "password_common"),
    ("йцукенгшщз", "aigul", "password_common"),  # qwertyuiop on a Russian keyboard
    ("1q2w3e4r5t", "aigul", "password_common"),
    ("aigul.osmonova", "Aigul.Osmonova", "password_is_username"),
    (" AIGUL.OSMONOVA ", "aigul.osmonova", "password_is_username"),
]

MESSAGES = {
    "password_too_short": "The password needs at least 10 characters.",
    "password_too_long": "The password can have at most 128 characters.",
    "password_common": "This password is one of the most common ones and easy to guess: choose another.",
    "password_is_username": "The password must not be the same as the username.",
    "password_demo": "This is the published demo password: choose another.",
}


@pytest.mark.parametrize(("password", "username", "code"), REFUSED)
def test_refused_passwords(app, password, username, code):
    with app.test_request_context(headers=EN), pytest.raises(DomainError) as refused:
        accounts.check_password_strength(password, username=username)
    assert (refused.value.field, refused.value.code) == ("password", code)
    assert str(refused.value) == MESSAGES[code]


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "s3cret-pass", "a new long passphrase", "x1" * 64, "Бишкек-2026-весна", "tenchars!!"],
)
def test_accepted_passwords(app, password):
    with app.app_context():
        accounts.check_password_strength(password, username="aigul")


def test_the_demo_password_only_where_the_config_allows_it(app, monkeypatch):
    with app.test_request_context(headers=EN):
        accounts.check_password_strength(DEMO_PASSWORD)  # testing, like development, allows it
        monkeypatch.setitem(app.config, "ALLOW_DEMO_PASSWORD", False)
        for spelling in (DEMO_PASSWORD, DEMO_PASSWORD.upper()):
            with pytest.raises(DomainError) as refused:
                accounts.check_password_strength(spelling)
            assert refused.value.code == "password_demo"
        accounts.check_password_strength(DEMO_PASSWORD, allow_demo=True)
    with pytest.raises(DomainError):  # outside the app: refused
        accounts.check_password_strength(DEMO_PASSWORD)


def test_the_shipped_list_is_read_without_the_network():
    common = accounts.common_passwords()
    assert len(common) > 3000
    assert all(10 <= len(word) <= 128 and word == word.lower() for word in common)
    assert not any(word.startswith("#") for word in common)
    assert {"password123", "1234567890", "йцукенгшщз"} <= common
    assert PASSWORD not in common


def test_create_user_service_checks_against_its_own_username(make, db):
    with pytest.raises(DomainError) as refused:
        accounts.create_user(db.session, "Correct.Horse.Battery", "correct.horse.battery", "donor")
    assert refused.value.code == "password_is_username"


def test_reset_service_checks_against_the_users_name(make, db):
    admin, user = make.user("admin"), make.user("volunteer", username="dinara.kasymova")
    with pytest.raises(DomainError) as refused:
        users.reset_password(db.session, user, "Dinara.Kasymova", actor=admin)
    assert refused.value.code == "password_is_username"
    assert user.check_password(PASSWORD)


# The admin pages --------------------------------------------------------------------------------


@pytest.fixture
def as_admin(make, db, login_as):
    admin = make.user("admin", username="chief")
    db.session.commit()
    return login_as(admin)


def _field_errors(page: str, field: str) -> list[str]:
    """The message shown beside one field (the form macro's ``<field>-error`` paragraph)."""
    found = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    return [re.sub(r"<span.*?</span>", "", found.group(1)).strip()] if found else []


def _new_user(password: str, **values: str) -> dict[str, str]:
    data = {"username": "new.person", "password": password, "confirm": password, "role": "donor"}
    return data | {"organisation": "", "region": "", "country": "", "locale": "en"} | values


BAD_NEW_PASSWORDS = [
    ("ninechars", "password_too_short"),
    ("x" * 129, "password_too_long"),
    ("Password123", "password_common"),
    ("NEW.PERSON", "password_is_username"),
]


@pytest.mark.parametrize(("password", "code"), BAD_NEW_PASSWORDS)
def test_admin_create_form_refuses_bad_passwords(as_admin, make, db, password, code):
    before = db.session.scalar(select(func.count(User.id)))
    response = as_admin.post("/admin/users/new", data=_new_user(password), headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert MESSAGES[code] in _field_errors(page, "password")
    assert password not in page
    assert db.session.scalar(select(func.count(User.id))) == before


def test_admin_create_form_refuses_the_demo_password_where_not_allowed(app, as_admin, db, monkeypatch):
    monkeypatch.setitem(app.config, "ALLOW_DEMO_PASSWORD", False)
    response = as_admin.post("/admin/users/new", data=_new_user(DEMO_PASSWORD), headers=EN)
    assert response.status_code == 422
    assert MESSAGES["password_demo"] in _field_errors(response.get_data(as_text=True), "password")
    assert db.session.scalar(select(User).where(User.username == "new.person")) is None


def test_admin_create_form_accepts_a_good_password(as_admin, db):
    assert as_admin.post("/admin/users/new", data=_new_user(PASSWORD)).status_code == 302
    assert db.session.scalar(select(User).where(User.username == "new.person")).check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "code"), [*BAD_NEW_PASSWORDS[:3], ("Forgetful.One", "password_is_username")]
)
def test_reset_form_refuses_bad_passwords(as_admin, make, db, password, code):
    user = make.user("volunteer", username="forgetful.one")
    db.session.commit()
    generation = user.session_generation
    response = as_admin.post(
        f"/admin/users/{user.uuid}/password", data={"password": password, "confirm": password}, headers=EN
    )
    assert response.status_code == 422
    assert MESSAGES[code] in _field_errors(response.get_data(as_text=True), "password")
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.check_password(PASSWORD) and user.session_generation == generation
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reset_password")) is None
