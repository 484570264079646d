"""The audit log: every create, change, approval, export and login.

Rows are append-only: no route changes or deletes one, and a database trigger (added by the
``record_lifecycle`` migration, on SQLite and PostgreSQL) refuses UPDATE and DELETE.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .people import User


class AuditEvent(db.Model):
    """One thing someone did. Details hold codes and counts, never record text."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_object_type_at", "object_type", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    #: Who; None for the command line or a failed sign-in with an unknown name.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: e.g. ``create``, ``update``, ``submit``, ``approve``, ``export``, ``login``.
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    #: e.g. ``activity``, ``user``, ``report``.
    object_type: Mapped[str] = mapped_column(String(40), nullable=False)
    object_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    #: For records: ``version``, ``status`` [from, to] and ``changes`` {field: [from, to] or "changed"}.
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: Where the request came from (None on the command line).
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User | None] = relationship()
    note: Mapped[ReviewNote | None] = relationship(back_populates="event", uselist=False)


class ReviewNote(db.Model):
    """The words of a return comment, reopen reason or correction reason.

    Kept beside its audit event rather than in it, so the audit log itself never holds free text
    (and a later purge can remove the words without touching the log).
    """

    __tablename__ = "review_notes"

    audit_event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)

    event: Mapped[AuditEvent] = relationship(back_populates="note")
