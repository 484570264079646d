"""The audit log: every create, change, approval, export and login."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .people import User


class AuditEvent(db.Model):
    """One thing someone did. Details hold codes and counts, never record text."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    #: Who; None for the command line or a failed sign-in with an unknown name.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: e.g. ``create``, ``update``, ``submit``, ``approve``, ``export``, ``login``.
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    #: e.g. ``activity``, ``user``, ``report``.
    object_type: Mapped[str] = mapped_column(String(40), nullable=False)
    object_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    details: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    user: Mapped[User | None] = relationship()
