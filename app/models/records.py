"""The three kinds of record volunteers log, with their review status and links."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Table,
    Text,
    column,
    func,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..vocabulary import (
    COUNT_CELLS,
    IncidentStatus,
    Response,
    Severity,
    Status,
    Trend,
)
from .base import IdMixin, TimestampMixin, new_record_key, str_enum
from .geography import Community
from .people import Organisation, User
from .taxonomy import ActivityType, Driver, IncidentCategory, Recommendation, TargetGroup


def _link_table(name: str, owner: tuple[str, str], target: tuple[str, str]) -> Table:
    """A many-to-many link from a record (column, table) to a taxonomy code (column, table)."""
    owner_column, owner_table = owner
    target_column, target_table = target
    return Table(
        name,
        db.metadata,
        Column(owner_column, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(target_column, ForeignKey(f"{target_table}.code"), primary_key=True, index=True),
    )


_ACTIVITY = ("activity_id", "activities")
_INCIDENT = ("incident_id", "incidents")
activity_target_groups = _link_table(
    "activity_target_groups", _ACTIVITY, ("target_group_code", "target_groups")
)
activity_drivers = _link_table("activity_drivers", _ACTIVITY, ("driver_code", "drivers"))
activity_recommendations = _link_table(
    "activity_recommendations", _ACTIVITY, ("recommendation_code", "recommendations")
)
incident_drivers = _link_table("incident_drivers", _INCIDENT, ("driver_code", "drivers"))


class RecordMixin(IdMixin, TimestampMixin):
    """What every record carries: where, when, who logged it and its review status."""

    #: When it happened (activity, incident) or was assessed.
    date: Mapped[date] = mapped_column(Date, nullable=False)
    #: Review status; donors count approved records only.
    status: Mapped[Status] = mapped_column(str_enum(Status, "status"), nullable=False, default=Status.DRAFT)
    #: When a coordinator last approved or returned it, and their comment.
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_comment: Mapped[str | None] = mapped_column(Text)
    #: When it was last sent for review (the review queue is oldest first).
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Bumped by every change (``app.services.lifecycle``); an UPDATE whose version is stale
    #: matches no row, so two coordinators acting at once cannot both succeed.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    #: Random key fixed at creation, never shown: donor figures are perturbed by the sum of the
    #: keys of the records a cell counts (the cell-key method, shared/DISCLOSURE.md).
    record_key: Mapped[int] = mapped_column(Integer, nullable=False, default=new_record_key)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # The application sets the new version itself (once per change), SQLAlchemy guards it.
        return {"version_id_col": cls.version, "version_id_generator": False}

    @declared_attr
    def community_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("communities.id"), nullable=False)

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organisations.id"), nullable=False)

    @declared_attr
    def author_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"), nullable=False, index=True)

    @declared_attr
    def reviewed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def community(cls) -> Mapped[Community]:
        return relationship(Community)

    @declared_attr
    def organisation(cls) -> Mapped[Organisation]:
        return relationship(Organisation)

    @declared_attr
    def author(cls) -> Mapped[User]:
        return relationship(User, foreign_keys=f"{cls.__name__}.author_id")

    @classmethod
    def report_indexes(cls, table: str) -> tuple[Index, ...]:
        """Indexes for the filters reports and lists use.

        The entries list is ``ORDER BY date DESC, id DESC`` from a cursor (``app.keyset``): each of
        its filters (scope by organisation or community, status, or none) has an index ending in
        ``date, id``, which the list walks backwards from the cursor and leaves after a page (the
        id is explicit: SQLite appends the rowid to every index, PostgreSQL does not). The review
        queue walks ``ix_<table>_waiting`` the same way, oldest first.
        """
        return (
            Index(f"ix_{table}_date_id", "date", "id"),
            Index(f"ix_{table}_community_id_date_id", "community_id", "date", "id"),
            Index(f"ix_{table}_organisation_id_date_id", "organisation_id", "date", "id"),
            Index(f"ix_{table}_status_date_id", "status", "date", "id"),
            Index(
                f"ix_{table}_waiting",
                "status",
                func.coalesce(column("submitted_at"), column("updated_at")),
                "id",
            ),
        )


def _count_checks() -> tuple[CheckConstraint, ...]:
    return tuple(
        CheckConstraint(f"{column} >= 0 AND {column} <= 100000", name=f"{column}_range")
        for column, _sex, _band in COUNT_CELLS
    )


class SexAgeCountsMixin:
    """People counted by sex x age band (never named): eight whole numbers."""

    f_u18: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    f_18_29: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    f_30_59: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    f_60p: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    m_u18: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    m_18_29: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    m_30_59: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    m_60p: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    @property
    def people_total(self) -> int:
        return sum(getattr(self, column) or 0 for column, _sex, _band in COUNT_CELLS)


class Activity(RecordMixin, SexAgeCountsMixin, db.Model):
    """An engagement activity: the most frequent entry."""

    __tablename__ = "activities"
    __table_args__ = (
        *RecordMixin.report_indexes("activities"),
        # Covers the dashboard's pass over activities (period, status, place, the eight counts);
        # date first, so that grouping by day follows the index and needs no sort.
        # record_key too: donor figures add up the record keys beside each count (cell-key method).
        Index(
            "ix_activities_report",
            "date",
            "status",
            "community_id",
            "organisation_id",
            *(column for column, _sex, _band in COUNT_CELLS),
            "record_key",
        ),
        # The same, status first: donor figures read one status (approved) over a period.
        Index(
            "ix_activities_report_status",
            "status",
            "date",
            "community_id",
            "organisation_id",
            *(column for column, _sex, _band in COUNT_CELLS),
            "record_key",
        ),
        *_count_checks(),
        CheckConstraint(
            "first_time_participants >= 0 AND first_time_participants <= "
            + " + ".join(column for column, _sex, _band in COUNT_CELLS),
            name="first_time_within_participants",
        ),
    )

    activity_type_code: Mapped[str] = mapped_column(ForeignKey("activity_types.code"), nullable=False)
    #: Of the people counted, how many took part for the first time (a count, never names); the
    #: results framework's "new participants".
    first_time_participants: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default="0"
    )
    #: Partners involved (organisations, never people).
    partners: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: Short outcome.
    outcome: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: Planned follow-up.
    follow_up: Mapped[str] = mapped_column(Text, nullable=False, default="")

    activity_type: Mapped[ActivityType] = relationship()
    target_groups: Mapped[list[TargetGroup]] = relationship(
        secondary=activity_target_groups, order_by=TargetGroup.position
    )
    drivers: Mapped[list[Driver]] = relationship(secondary=activity_drivers, order_by=Driver.position)
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=activity_recommendations, order_by=Recommendation.position
    )


class Incident(RecordMixin, SexAgeCountsMixin, db.Model):
    """A community incident, recorded at community level; people only as counts."""

    __tablename__ = "incidents"
    __table_args__ = (
        *RecordMixin.report_indexes("incidents"),
        # Covers the incident counts by category, month and place (status first, as in the
        # status_date index it extends, so that the planner prefers it).
        Index(
            "ix_incidents_report",
            "status",
            "date",
            "community_id",
            "organisation_id",
            "category_code",
            "record_key",
        ),
        *_count_checks(),
    )

    category_code: Mapped[str] = mapped_column(ForeignKey("incident_categories.code"), nullable=False)
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "severity"), nullable=False)
    response: Mapped[Response] = mapped_column(str_enum(Response, "response"), nullable=False)
    #: Follow-up state of the incident itself (not the review status).
    incident_status: Mapped[IncidentStatus] = mapped_column(
        str_enum(IncidentStatus, "incident_status"), nullable=False, default=IncidentStatus.OPEN
    )
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")

    category: Mapped[IncidentCategory] = relationship()
    drivers: Mapped[list[Driver]] = relationship(secondary=incident_drivers, order_by=Driver.position)


class DriverAssessment(RecordMixin, db.Model):
    """A periodic perception snapshot of the drivers in one community."""

    __tablename__ = "driver_assessments"
    __table_args__ = (
        *RecordMixin.report_indexes("driver_assessments"),
        # Covers the assessments a driver mean reads (status first, like ix_incidents_report).
        Index(
            "ix_driver_assessments_report", "status", "date", "community_id", "organisation_id", "record_key"
        ),
    )

    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    ratings: Mapped[list[DriverRating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="DriverRating.driver_code"
    )


class DriverRating(db.Model):
    """One driver's rating (0 not observed .. 3 high) and trend in an assessment."""

    __tablename__ = "driver_ratings"
    __table_args__ = (
        CheckConstraint("rating >= 0 AND rating <= 3", name="rating_range"),
        # The ratings of an assessment without reading the table (driver means).
        Index("ix_driver_ratings_assessment_id_rating", "assessment_id", "driver_code", "rating"),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("driver_assessments.id", ondelete="CASCADE"), primary_key=True
    )
    driver_code: Mapped[str] = mapped_column(ForeignKey("drivers.code"), primary_key=True, index=True)
    rating: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    trend: Mapped[Trend] = mapped_column(str_enum(Trend, "trend"), nullable=False, default=Trend.SAME)

    assessment: Mapped[DriverAssessment] = relationship(back_populates="ratings")
    driver: Mapped[Driver] = relationship()
