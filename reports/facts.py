"""How each record adds to the summary tables (issue 14): one place for the rule, read by the
summaries' upkeep (:mod:`app.services.summaries`: rebuild, and the change of each record) and by
the report sources (:mod:`reports.sources`: the days at a period's edges read from the records).

A fact's :meth:`Fact.rows` is a SELECT of one row per record (per link for the code facts, per
rating for the ratings) whose columns are named like its summary table's: ``day`` (the record's
date; a summary has ``month``), ``community_id``, ``organisation_id``, ``status``, the codes, then
the sums: ``n`` (1 per row), ``key_sum`` (the record key) and the fact's own measures. Added up
per month they are the summary rows; that is what :func:`grouped` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Date,
    Select,
    String,
    Table,
    cast,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)

from app.models import (
    Activity,
    DriverAssessment,
    DriverRating,
    Incident,
    RecordMixin,
    activity_recommendations,
    activity_target_groups,
)
from app.models.summaries import (
    CELLS,
    summary_activities,
    summary_activity_recommendation_groups,
    summary_activity_recommendations,
    summary_activity_target_groups,
    summary_assessments,
    summary_incident_values,
    summary_incidents,
    summary_ratings,
)

#: The columns every summary starts with (``day`` on record rows).
PLACE = ("community_id", "organisation_id", "status")


@dataclass(frozen=True)
class Fact:
    """One summary table and the record rows that add up to it."""

    table: Table
    model: type[RecordMixin]
    #: The code columns between the place and the sums.
    codes: tuple[str, ...]
    #: The sums after ``n`` and ``key_sum``.
    measures: tuple[str, ...]
    _rows: Callable[[], Select | list[Select]]

    @property
    def sums(self) -> tuple[str, ...]:
        return ("n", "key_sum", *self.measures)

    @property
    def key(self) -> tuple[str, ...]:
        """The summary's primary key, month first."""
        return ("month", *PLACE, *self.codes)

    def rows(self, *where: ColumnElement[bool]) -> Select | CompoundSelect:
        """One row per record (link, rating), columns as documented above, narrowed by ``where``
        on the model's columns (``self.model.date``, ``self.model.id``...)."""
        made = self._rows()
        if isinstance(made, list):  # one SELECT per code column, each narrowed alike
            return union_all(*(part.where(*where) for part in made))
        return made.where(*where)


def _place(model: type[RecordMixin]) -> list[ColumnElement]:
    return [
        model.date.label("day"),
        model.community_id.label("community_id"),
        model.organisation_id.label("organisation_id"),
        model.status.label("status"),
    ]


def _one() -> ColumnElement:
    return literal(1, BigInteger).label("n")


def _cells() -> list[ColumnElement]:
    return [getattr(Activity, column).label(column) for column in CELLS]


def _activity_rows() -> Select:
    return select(
        *_place(Activity),
        _one(),
        Activity.record_key.label("key_sum"),
        *_cells(),
        Activity.first_time_participants.label("first_time_participants"),
    )


def _linked_rows(link: Table, code: str) -> Callable[[], Select]:
    def rows() -> Select:
        return (
            select(
                *_place(Activity),
                link.c[code].label(code),
                _one(),
                Activity.record_key.label("key_sum"),
                *_cells(),
            )
            .select_from(link)
            .join(Activity, Activity.id == link.c.activity_id)
        )

    return rows


def _recommendation_group_rows() -> Select:
    rec, grp = activity_recommendations, activity_target_groups
    return (
        select(
            *_place(Activity),
            rec.c.recommendation_code.label("recommendation_code"),
            grp.c.target_group_code.label("target_group_code"),
            _one(),
            Activity.record_key.label("key_sum"),
        )
        .select_from(rec)
        .join(grp, grp.c.activity_id == rec.c.activity_id)
        .join(Activity, Activity.id == rec.c.activity_id)
    )


def _incident_rows() -> Select:
    return select(
        *_place(Incident),
        Incident.category_code.label("category_code"),
        _one(),
        Incident.record_key.label("key_sum"),
    )


#: The incident codes of :data:`INCIDENT_VALUES`, each a ``dimension``.
INCIDENT_DIMENSIONS = ("severity", "response", "incident_status")


def _incident_value_rows() -> list[Select]:
    return [
        select(
            *_place(Incident),
            literal(dimension).label("dimension"),
            type_coerce(getattr(Incident, dimension), String).label("value"),  # codes of three enums
            _one(),
            Incident.record_key.label("key_sum"),
        )
        for dimension in INCIDENT_DIMENSIONS
    ]


def _assessment_rows() -> Select:
    return select(*_place(DriverAssessment), _one(), DriverAssessment.record_key.label("key_sum"))


def _rating_rows() -> Select:
    return (
        select(
            *_place(DriverAssessment),
            DriverRating.driver_code.label("driver_code"),
            _one(),
            DriverAssessment.record_key.label("key_sum"),
            DriverRating.rating.label("rating_sum"),
        )
        .select_from(DriverRating)
        .join(DriverAssessment, DriverAssessment.id == DriverRating.assessment_id)
    )


ACTIVITIES = Fact(summary_activities, Activity, (), (*CELLS, "first_time_participants"), _activity_rows)
ACTIVITY_RECOMMENDATIONS = Fact(
    summary_activity_recommendations,
    Activity,
    ("recommendation_code",),
    CELLS,
    _linked_rows(activity_recommendations, "recommendation_code"),
)
ACTIVITY_TARGET_GROUPS = Fact(
    summary_activity_target_groups,
    Activity,
    ("target_group_code",),
    CELLS,
    _linked_rows(activity_target_groups, "target_group_code"),
)
ACTIVITY_RECOMMENDATION_GROUPS = Fact(
    summary_activity_recommendation_groups,
    Activity,
    ("recommendation_code", "target_group_code"),
    (),
    _recommendation_group_rows,
)
INCIDENTS = Fact(summary_incidents, Incident, ("category_code",), (), _incident_rows)
#: Read one dimension at a time (``dimension = 'severity'``...): each adds up to every incident.
INCIDENT_VALUES = Fact(summary_incident_values, Incident, ("dimension", "value"), (), _incident_value_rows)
ASSESSMENTS = Fact(summary_assessments, DriverAssessment, (), (), _assessment_rows)
RATINGS = Fact(summary_ratings, DriverAssessment, ("driver_code",), ("rating_sum",), _rating_rows)

FACTS: tuple[Fact, ...] = (
    ACTIVITIES,
    ACTIVITY_RECOMMENDATIONS,
    ACTIVITY_TARGET_GROUPS,
    ACTIVITY_RECOMMENDATION_GROUPS,
    INCIDENTS,
    INCIDENT_VALUES,
    ASSESSMENTS,
    RATINGS,
)


def month_start(dialect: str, day: ColumnElement) -> ColumnElement[date]:
    """The first day of ``day``'s month, on SQLite (dates are ``YYYY-MM-DD`` text) and PostgreSQL."""
    if dialect == "postgresql":
        return cast(func.date_trunc("month", day), Date)
    return type_coerce(func.substr(day, 1, 7).concat("-01"), Date)  # read back as a date


def total(column: ColumnElement) -> ColumnElement[int]:
    """``SUM`` as a whole number on both databases (PostgreSQL's SUM of a bigint is numeric)."""
    return func.coalesce(cast(func.sum(column), BigInteger), 0)


def grouped(fact: Fact, dialect: str, *where: ColumnElement[bool]) -> Select:
    """The fact's record rows (narrowed by ``where``) added up per summary key: summary rows."""
    rows = fact.rows(*where).subquery()
    month = month_start(dialect, rows.c.day).label("month")
    keys = [rows.c[name] for name in (*PLACE, *fact.codes)]
    return select(month, *keys, *(total(rows.c[name]).label(name) for name in fact.sums)).group_by(
        month, *keys
    )
