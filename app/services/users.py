"""User administration: list, change role and scope, deactivate, reset a password.

Creating a user is :func:`app.services.accounts.create_user`; these functions change existing ones.
Passwords never reach the audit log. A new role or scope, a deactivation and a new password each
end the user's open sessions (:meth:`app.models.User.end_sessions`).
"""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ..errors import DomainError
from ..models import User
from ..translate import gettext as _
from ..vocabulary import Role
from .accounts import check_password_strength, create_user, resolve_scope
from .audit import apply_changes, log_event

#: Columns that together make a user's scope.
SCOPE_COLUMNS = ("organisation_id", "scope_region_id", "scope_country_id")
#: A change to any of these signs the user out: what their open sessions may see has changed.
SESSION_ENDING_COLUMNS = frozenset(("role", *SCOPE_COLUMNS))


def users_query(*, role: str | None = None, search: str | None = None) -> Select:
    """``SELECT users`` for the admin list, filtered by role and part of the username."""
    query = select(User).options(
        joinedload(User.organisation), joinedload(User.scope_region), joinedload(User.scope_country)
    )
    if role:
        query = query.where(User.role == Role(role))
    if search and search.strip():
        pattern = (
            "%" + search.strip().lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        )
        query = query.where(func.lower(User.username).like(pattern, escape="\\"))
    return query.order_by(func.lower(User.username))


def update_user(
    session: Session,
    user: User,
    *,
    actor: User,
    role: str,
    organisation_code: str | None = None,
    region_code: str | None = None,
    country_code: str | None = None,
    locale: str | None = None,
) -> list[str]:
    """Set a user's role, scope and language; return the names of what changed (audited)."""
    if user.id == actor.id and user.role == Role.ADMIN and role != Role.ADMIN:
        raise DomainError(
            _("You cannot remove your own administrator role."), field="role", code="own_admin_role"
        )
    values = resolve_scope(
        session,
        role,
        organisation_code=organisation_code,
        region_code=region_code,
        country_code=country_code,
    )
    values["locale"] = locale or None
    changed = apply_changes(session, user, values, "user", actor=actor, role=Role(values["role"]).value)
    if SESSION_ENDING_COLUMNS.intersection(changed):
        user.end_sessions()
        session.flush()
    return changed


def set_user_active(session: Session, user: User, active: bool, *, actor: User) -> None:
    """Deactivate (no more sign-in) or reactivate a user; an admin cannot deactivate themselves."""
    if not active and user.id == actor.id:
        raise DomainError(_("You cannot deactivate your own account."), code="deactivate_self")
    if user.active == active:
        return
    user.active = active
    if not active:
        user.end_sessions()
    session.flush()
    log_event(session, "reactivate" if active else "deactivate", "user", user=actor, object_uuid=user.uuid)


def reset_password(session: Session, user: User, password: str, *, actor: User) -> None:
    """Give a user a new password typed by an administrator (the password is never logged).

    The sessions the user had open end, wherever they were signed in.
    """
    check_password_strength(password, username=user.username)
    user.set_password(password)
    session.flush()
    log_event(session, "reset_password", "user", user=actor, object_uuid=user.uuid)


def add_user(
    session: Session,
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    organisation_code: str | None = None,
    region_code: str | None = None,
    country_code: str | None = None,
    locale: str | None = None,
    via: str = "admin",
) -> User:
    """Create a user through :func:`create_user` and audit it (without the password).

    ``actor`` is None on the command line (``via="cli"``).
    """
    user = create_user(
        session,
        username,
        password,
        role,
        organisation_code=organisation_code,
        region_code=region_code,
        country_code=country_code,
        locale=locale,
    )
    log_event(session, "create", "user", user=actor, object_uuid=user.uuid, role=user.role.value, via=via)
    return user
