"""Closed months: once a coordinator closes a month for an area, its records are frozen."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import IdMixin, utcnow
from .geography import Country, Region
from .people import User


class ClosedPeriod(IdMixin, db.Model):
    """One month closed for a whole country (``region_id`` None) or for one region.

    Reopening deletes the row (the audit log keeps who closed and reopened it, and why).
    """

    __tablename__ = "closed_periods"
    __table_args__ = (Index("ix_closed_periods_month_country_id", "month", "country_id"),)

    #: The first day of the closed month.
    month: Mapped[date] = mapped_column(Date, nullable=False)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), nullable=False)
    #: None: the whole country.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    country: Mapped[Country] = relationship()
    region: Mapped[Region | None] = relationship()
    closed_by: Mapped[User] = relationship()
