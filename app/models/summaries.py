"""Summary tables (issue 14): the records added up per month x community x organisation x review
status, so that a report over whole months reads a few thousand summary rows instead of every
record. Kept current on every change of a record by :mod:`app.services.summaries` (in the same
flush, hence the same transaction) and rebuilt from the records by ``flask rebuild-summaries``.

Each table is one "fact" of :mod:`reports.facts`, which says how a record contributes to it; the
columns here and the record rows there must match name for name. ``month`` is the first day of the
month. ``key_sum`` adds up the record keys (the cell-key method of donor figures), so that a count
read from here is perturbed exactly as the same count read from the records.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Integer, String, Table

from ..extensions import db
from ..vocabulary import COUNT_CELLS

#: The participant columns (female first, youngest first), as on the records.
CELLS: tuple[str, ...] = tuple(column for column, _sex, _band in COUNT_CELLS)


def _place_columns() -> list[Column]:
    """month x community x organisation x review status: the key every summary starts with.

    No foreign keys: every row is a sum of records whose own keys were checked when stored, and
    checking each summary row again was most of a rebuild's time (migration ``f8a4d0b6c543``).
    """
    return [
        Column("month", Date, primary_key=True),
        Column("community_id", Integer, primary_key=True),
        Column("organisation_id", Integer, primary_key=True),
        Column("status", String(20), primary_key=True),
    ]


def _counts(*names: str) -> list[Column]:
    return [Column(name, BigInteger, nullable=False, default=0) for name in names]


def _summary(name: str, codes: list[Column], measures: tuple[str, ...]) -> Table:
    return Table(name, db.metadata, *_place_columns(), *codes, *_counts("n", "key_sum", *measures))


def _code(name: str) -> Column:
    """A vocabulary code (``recommendations.code``...: all ``String(40)``)."""
    return Column(name, String(40), primary_key=True)


summary_activities = _summary("summary_activities", [], (*CELLS, "first_time_participants"))
summary_activity_recommendations = _summary(
    "summary_activity_recommendations", [_code("recommendation_code")], CELLS
)
summary_activity_target_groups = _summary(
    "summary_activity_target_groups", [_code("target_group_code")], CELLS
)
#: Target groups per recommendation (the "top groups" of the By recommendation tables).
summary_activity_recommendation_groups = _summary(
    "summary_activity_recommendation_groups",
    [_code("recommendation_code"), _code("target_group_code")],
    (),
)
summary_incidents = _summary("summary_incidents", [_code("category_code")], ())
#: Incidents per value of one of their other codes: ``dimension`` is ``severity``, ``response`` or
#: ``incident_status``. One table for the three, each value a row: far fewer rows than every
#: combination of the three would make.
summary_incident_values = _summary(
    "summary_incident_values",
    [Column("dimension", String(20), primary_key=True), Column("value", String(30), primary_key=True)],
    (),
)
summary_assessments = _summary("summary_assessments", [], ())
#: Ratings per driver: ``n`` ratings adding up to ``rating_sum``; ``key_sum`` adds the key of each
#: rating's assessment once per rating, as the record query's join does.
summary_ratings = _summary("summary_ratings", [_code("driver_code")], ("rating_sum",))

#: Every summary table, in the order they are rebuilt.
SUMMARY_TABLES: tuple[Table, ...] = (
    summary_activities,
    summary_activity_recommendations,
    summary_activity_target_groups,
    summary_activity_recommendation_groups,
    summary_incidents,
    summary_incident_values,
    summary_assessments,
    summary_ratings,
)
