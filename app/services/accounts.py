"""Users: creation with role and scope checks, loading and authentication."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..extensions import db
from ..models import Country, Organisation, Region, User
from ..vocabulary import Role

MIN_PASSWORD_LENGTH = 8


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the session holds the user's UUID, never the integer key.

    A deactivated user (or a volunteer of a deactivated organisation) is not loaded, so
    deactivation also ends the sessions already open.
    """
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    user = db.session.scalar(select(User).where(User.uuid == key))
    return user if user is not None and user.is_active else None


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


def check_password_strength(password: str) -> None:
    """Refuse passwords too short to protect sensitive data."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
            code="password_too_short",
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
    check_password_strength(password)
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


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with that name and password, or None (same answer for every failure)."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or not user.is_active or not user.check_password(password):
        return None
    return user
