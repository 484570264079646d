"""The results framework (issue 13): programmes, their indicators, targets per quarter and the
actuals entered by hand for survey-type indicators. Actuals of every other indicator are computed
from approved records by :mod:`reports.results`, never stored.

A programme covers countries and/or regions between two dates; its indicators measure one thing
each (:class:`Measure`) with optional filters (activity types, target groups, sex, severity, a
driver...). Quarters are named by their first day (2026-01-01 is Q1 2026).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import IdMixin, TimestampMixin, str_enum, utcnow
from .geography import Country, Region
from .names import LocalNameMixin
from .people import User


class Measure(StrEnum):
    """What an indicator counts, from approved records in the programme's area and quarter."""

    ACTIVITIES = "activities"
    PARTICIPANTS = "participants"
    NEW_PARTICIPANTS = "new_participants"
    SHARE_WOMEN = "share_women"
    SHARE_YOUTH = "share_youth"
    COMMUNITIES_REACHED = "communities_reached"
    SHARE_COMMUNITIES_REACHED = "share_communities_reached"
    INCIDENTS = "incidents"
    SHARE_INCIDENTS_RESPONDED = "share_incidents_responded"
    SHARE_INCIDENTS_RESOLVED = "share_incidents_resolved"
    MEAN_RATING = "mean_rating"
    MANUAL = "manual"


#: Measures that are shares (0-100 %); the others are counts, or a mean rating 0-3.
SHARE_MEASURES = frozenset(
    {
        Measure.SHARE_WOMEN,
        Measure.SHARE_YOUTH,
        Measure.SHARE_COMMUNITIES_REACHED,
        Measure.SHARE_INCIDENTS_RESPONDED,
        Measure.SHARE_INCIDENTS_RESOLVED,
    }
)


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


programme_countries = Table(
    "programme_countries",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("country_id", ForeignKey("countries.id"), primary_key=True),
)
programme_regions = Table(
    "programme_regions",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id"), primary_key=True),
)
#: Donor accounts that see a programme (a donor linked to none sees all, as before).
programme_donors = Table(
    "programme_donors",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)
indicator_recommendations = Table(
    "indicator_recommendations",
    db.metadata,
    Column("indicator_id", ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    Column("recommendation_code", ForeignKey("recommendations.code"), primary_key=True),
)


class Programme(LocalNameMixin, IdMixin, TimestampMixin, db.Model):
    """A donor's PVE project: an area, a period, the donors who may see it."""

    __tablename__ = "programmes"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="programme_period"),)

    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)

    countries: Mapped[list[Country]] = relationship(secondary=programme_countries)
    regions: Mapped[list[Region]] = relationship(secondary=programme_regions)
    donors: Mapped[list[User]] = relationship(secondary=programme_donors)
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="programme", order_by="Indicator.code", cascade="all, delete-orphan"
    )


class Indicator(LocalNameMixin, IdMixin, TimestampMixin, db.Model):
    """One line of the logframe: what it measures, its baseline and its targets."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("programme_id", "code", name="uq_indicator_code"),)

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    measure: Mapped[Measure] = mapped_column(str_enum(Measure, "measure"), nullable=False)
    #: Narrows the measure: ``{"activity_types": [...], "target_groups": [...],
    #: "recommendations": [...], "sex": "female", "age_bands": [...], "categories": [...],
    #: "severities": [...], "driver": "unemployment"}`` (each key optional).
    filters: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict, server_default="{}")
    unit: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    direction: Mapped[Direction] = mapped_column(
        str_enum(Direction, "direction"), nullable=False, default=Direction.INCREASE
    )
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    #: The life-of-programme target.
    target_total: Mapped[float | None] = mapped_column(Float)

    programme: Mapped[Programme] = relationship(back_populates="indicators")
    recommendations = relationship("Recommendation", secondary=indicator_recommendations)
    targets: Mapped[list[IndicatorTarget]] = relationship(
        back_populates="indicator", order_by="IndicatorTarget.quarter", cascade="all, delete-orphan"
    )
    manual_actuals: Mapped[list[ManualActual]] = relationship(
        back_populates="indicator", order_by="ManualActual.quarter", cascade="all, delete-orphan"
    )


class IndicatorTarget(db.Model):
    """The target of one quarter."""

    __tablename__ = "indicator_targets"
    __table_args__ = (CheckConstraint("value >= 0", name="target_not_negative"),)

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True
    )
    quarter: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float, nullable=False)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class ManualActual(db.Model):
    """An actual entered by a coordinator (survey results), with where it comes from."""

    __tablename__ = "manual_actuals"
    __table_args__ = (CheckConstraint("value >= 0", name="actual_not_negative"),)

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True
    )
    quarter: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    source_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="manual_actuals")
