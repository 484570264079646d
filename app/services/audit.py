"""Write to the audit log. Details hold codes and counts, never the text of a record."""

from __future__ import annotations

import uuid

from flask import has_request_context, request
from sqlalchemy.orm import Session

from ..models import AuditEvent, User

#: Browser strings are cut to the column's length.
USER_AGENT_LENGTH = 300


def apply_changes(
    session: Session,
    target: object,
    values: dict[str, object],
    object_type: str,
    *,
    actor: User | None,
    **details: object,
) -> list[str]:
    """Set the attributes that differ and audit an ``update`` naming them; return their names."""
    changed = sorted(key for key, value in values.items() if getattr(target, key) != value)
    for key in changed:
        setattr(target, key, values[key])
    if changed:
        session.flush()
        log_event(
            session, "update", object_type, user=actor, object_uuid=target.uuid, changed=changed, **details
        )
    return changed


def log_event(
    session: Session,
    action: str,
    object_type: str,
    *,
    user: User | None = None,
    object_uuid: uuid.UUID | None = None,
    **details: object,
) -> AuditEvent:
    """Add one audit event to the session (the caller's transaction commits it).

    In a request, the client's address and browser are kept too; on the command line they are None.
    """
    ip_address = user_agent = None
    if has_request_context():
        ip_address = request.remote_addr
        user_agent = (request.user_agent.string or "")[:USER_AGENT_LENGTH] or None
    event = AuditEvent(
        action=action,
        object_type=object_type,
        user_id=user.id if user is not None else None,
        object_uuid=object_uuid,
        details=details,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    session.add(event)
    return event
