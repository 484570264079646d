"""Role checks for views, in one place. Record scope lives in :mod:`app.services.scope`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user, login_required

from .vocabulary import Role

F = TypeVar("F", bound=Callable[..., object])


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Sign-in required, then 403 unless the user has one of ``roles``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: object, **kwargs: object) -> object:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator


#: Who logs records (and reads them within scope).
RECORD_ROLES = (Role.VOLUNTEER, Role.COORDINATOR, Role.ADMIN)
#: Who sees the dashboard and reports.
REPORT_ROLES = (Role.COORDINATOR, Role.DONOR, Role.ADMIN)
