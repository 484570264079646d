"""The register of issued reports (issue 13): every workbook downloaded or written by the command
line, so that a figure quoted in a donor report can be traced to the file it came from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import IdMixin, utcnow
from .people import User


class IssuedReport(IdMixin, db.Model):
    """One workbook as issued: who, when, for what, how many records, and its SHA-256."""

    __tablename__ = "issued_reports"

    issued_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, index=True
    )
    #: None for the command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: ``web`` or ``cli``.
    via: Mapped[str] = mapped_column(String(8), nullable=False)
    audience: Mapped[str] = mapped_column(String(16), nullable=False)
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    #: The filters as the URL carries them (``ReportFilters.params()``).
    filters: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: Whether every month of the period was closed for reporting in the report's whole area
    #: (then the same request gives the same figures).
    period_closed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: Records the workbook counts (activities, incidents and assessments together).
    records_counted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    filename: Mapped[str] = mapped_column(String(120), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)

    user: Mapped[User | None] = relationship()
