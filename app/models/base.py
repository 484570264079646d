"""Column helpers shared by the models."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum, Integer, Uuid
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the models use."""
    return datetime.now(UTC)


#: Record keys are uniform in ``[0, RECORD_KEY_RANGE)`` (the cell-key method).
RECORD_KEY_RANGE = 2**16


def new_record_key() -> int:
    """A fresh random record key; fixed for the record's life."""
    return secrets.randbelow(RECORD_KEY_RANGE)


def str_enum(enum_class: type[StrEnum], name: str) -> Enum:
    """A portable enum column: stored as its value in a VARCHAR with a CHECK constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class) + 4,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class IdMixin:
    """Integer key for joins, UUID for the outside world (sync, URLs)."""

    #: Internal key, never shown.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Stable public identifier; a tablet creates it offline.
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4, nullable=False)


class TimestampMixin:
    #: When the row was first stored (UTC).
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    #: When the row last changed (UTC).
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False
    )
