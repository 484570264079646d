"""Write to the audit log. Details hold codes and counts, never the text of a record."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from ..models import AuditEvent, User


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
