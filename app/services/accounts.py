"""Users: creation with role and scope checks, password rules, loading and authentication."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

from flask import current_app, has_app_context, has_request_context
from flask import session as flask_session
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import DomainError
from ..extensions import db
from ..models import Country, Organisation, Region, User
from ..translate import gettext as _
from ..translate import ngettext
from ..vocabulary import Role

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
#: Shipped with the app (no network): where it comes from is said at its top.
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
#: The session key holding the user's ``session_generation`` from sign-in.
GENERATION_KEY = "auth_generation"


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the session holds the user's UUID, never the integer key.

    A deactivated user (or a volunteer of a deactivated organisation) is not loaded, nor is a
    session whose generation is not the user's (signed out, new password, new role or scope), so
    those also end the sessions already open.
    """
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    # The organisation in the same statement: ``is_active`` reads it on every request.
    user = db.session.scalar(select(User).options(joinedload(User.organisation)).where(User.uuid == key))
    if user is None or not user.is_active:
        return None
    if has_request_context() and flask_session.get(GENERATION_KEY) != user.session_generation:
        return None
    return user


def _by_code(session: Session, model: type, code: str) -> object | None:
    return session.scalar(select(model).where(model.code == code))


def check_scope(
    role: str,
    *,
    organisation_code: str | None = None,
    region_code: str | None = None,
    country_code: str | None = None,
) -> Role:
    """The role, after checking it is known and that the scope it needs is given (no lookups).

    Each refusal names the form field it belongs beside (``role``, ``organisation``, ``region``,
    ``country``), so the pages place it and the command line prints it.
    """
    try:
        role_value = Role(role)
    except ValueError:
        raise DomainError(
            _("Unknown role %(role)s: use one of %(roles)s", role=role, roles=", ".join(Role)),
            field="role",
            code="unknown_role",
        ) from None
    if role_value == Role.VOLUNTEER and not organisation_code:
        raise DomainError(
            _("A volunteer needs an organisation."), field="organisation", code="organisation_required"
        )
    if role_value == Role.COORDINATOR:
        if region_code and country_code:
            raise DomainError(
                _("Give a coordinator a region or a country, not both."),
                field="country",
                code="scope_region_and_country",
            )
        if not (region_code or country_code):
            raise DomainError(
                _("A coordinator needs a region or a country."), field="region", code="scope_required"
            )
    elif region_code or country_code:
        raise DomainError(
            _("Only a coordinator is assigned a region or a country."),
            field="region" if region_code else "country",
            code="scope_not_allowed",
        )
    return role_value


def resolve_scope(
    session: Session,
    role: str,
    *,
    organisation_code: str | None = None,
    region_code: str | None = None,
    country_code: str | None = None,
) -> dict[str, object]:
    """Check a role and its scope codes; return the column values to set on a user."""
    role_value = check_scope(
        role, organisation_code=organisation_code, region_code=region_code, country_code=country_code
    )
    values: dict[str, object] = {
        "role": role_value,
        "organisation_id": None,
        "scope_region_id": None,
        "scope_country_id": None,
    }
    if organisation_code:
        organisation = _by_code(session, Organisation, organisation_code)
        if organisation is None:
            raise DomainError(
                _("Unknown organisation code %(code)s", code=organisation_code),
                field="organisation",
                code="unknown_organisation",
            )
        values["organisation_id"] = organisation.id
    if region_code:
        region = _by_code(session, Region, region_code)
        if region is None:
            raise DomainError(
                _("Unknown region code %(code)s", code=region_code), field="region", code="unknown_region"
            )
        values["scope_region_id"] = region.id
    if country_code:
        country = _by_code(session, Country, country_code)
        if country is None:
            raise DomainError(
                _("Unknown country code %(code)s", code=country_code),
                field="country",
                code="unknown_country",
            )
        values["scope_country_id"] = country.id
    return values


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (read once)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _demo_password_allowed() -> bool:
    return has_app_context() and bool(current_app.config.get("ALLOW_DEMO_PASSWORD"))


def check_password_strength(
    password: str, *, username: str | None = None, allow_demo: bool | None = None
) -> None:
    """Refuse a password that is short, long, common, the username, or the published demo one.

    The one rule of the command line, the admin forms and the services. The demo password passes
    only where ``allow_demo`` (by default the ``ALLOW_DEMO_PASSWORD`` setting) says so.
    """
    from .seed import DEMO_PASSWORD  # seed imports this module

    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            ngettext(
                "The password needs at least %(num)d character.",
                "The password needs at least %(num)d characters.",
                MIN_PASSWORD_LENGTH,
            ),
            field="password",
            code="password_too_short",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(
            ngettext(
                "The password can have at most %(num)d character.",
                "The password can have at most %(num)d characters.",
                MAX_PASSWORD_LENGTH,
            ),
            field="password",
            code="password_too_long",
        )
    folded = password.strip().casefold()
    if username and folded == username.strip().casefold():
        raise DomainError(
            _("The password must not be the same as the username."),
            field="password",
            code="password_is_username",
        )
    if folded == DEMO_PASSWORD.casefold():
        if allow_demo is None:
            allow_demo = _demo_password_allowed()
        if not allow_demo:
            raise DomainError(
                _("This is the published demo password: choose another."),
                field="password",
                code="password_demo",
            )
    elif password.strip().lower() in common_passwords():
        raise DomainError(
            _("This password is one of the most common ones and easy to guess: choose another."),
            field="password",
            code="password_common",
        )


def username_taken(session: Session, username: str) -> bool:
    """Whether a user already has this name, ignoring case."""
    return bool(
        session.scalar(select(func.count(User.id)).where(func.lower(User.username) == username.lower()))
    )


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    organisation_code: str | None = None,
    region_code: str | None = None,
    country_code: str | None = None,
    locale: str | None = None,
) -> User:
    """Create a user after checking the name, password, role and scope; flushes, never commits."""
    username = username.strip()
    if not username:
        raise DomainError(_("A username is required."), field="username", code="username_required")
    if username_taken(session, username):
        raise DomainError(
            _("The username %(name)s is already taken.", name=username),
            field="username",
            code="username_taken",
        )
    check_password_strength(password, username=username)
    values = resolve_scope(
        session,
        role,
        organisation_code=organisation_code,
        region_code=region_code,
        country_code=country_code,
    )
    user = User(username=username, locale=locale, **values)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


@cache
def _dummy_hash() -> str:
    """A hash of a random password, made like the real ones, for names that match no account."""
    return generate_password_hash(uuid.uuid4().hex)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with that name and password, or None (same answer for every failure).

    A password is hashed and compared whether or not the name exists or the account is active,
    so the time an answer takes does not tell which names exist.
    """
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user
