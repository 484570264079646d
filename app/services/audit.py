"""Write to the audit log. Details hold codes and counts, never the text of a record."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from ..models import AuditEvent, User


def log_event(
    session: Session,
    action: str,
    object_type: str,
    *,
    user: User | None = None,
    object_uuid: uuid.UUID | None = None,
    **details: object,
) -> AuditEvent:
    """Add one audit event to the session (the caller's transaction commits it)."""
    event = AuditEvent(
        action=action,
        object_type=object_type,
        user_id=user.id if user is not None else None,
        object_uuid=object_uuid,
        details=details,
    )
    session.add(event)
    return event
