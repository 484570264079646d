"""Report aggregates, computed in SQL (GROUP BY) and returned as plain rows.

Every function takes a session and one :class:`~reports.filters.ReportFilters`; the workbook,
the charts and the page all read from here. Exact numbers only: perturbation and suppression for
donors happen afterwards (:mod:`reports.cellkey`, :mod:`reports.tables`). Beside every count comes
its key sum: the sum of the ``record_key`` of the records it counts, one ``SUM`` beside the
``COUNT`` in the same ``GROUP BY`` (for communities reached, the sum of their community keys).
One row per record (coordinators only) is in :mod:`reports.rows`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, exists, func, literal_column, not_, select
from sqlalchemy.orm import Session

from app.models import (
    Activity,
    Community,
    District,
    DriverAssessment,
    DriverRating,
    Incident,
    RecordMixin,
    Region,
    activity_recommendations,
    activity_target_groups,
)
from app.vocabulary import COUNT_CELLS, DRIVERS, RECOMMENDATIONS, TARGET_GROUPS

from .cellkey import community_key
from .filters import DONOR_STATUSES, REPORT_STATUSES, Audience, ReportFilters

__all__ = ["DONOR_STATUSES", "REPORT_STATUSES", "Audience", "ReportFilters"]

#: The eight participant columns, in display order (female first, youngest first).
CELLS: tuple[str, ...] = tuple(column for column, _sex, _band in COUNT_CELLS)
_NO_CELLS = (0,) * len(CELLS)


class Tally(NamedTuple):
    """A count and the sum of the keys of what it counts (its cell key, before ``mod 2**16``)."""

    n: int
    key: int = 0


def month_bucket(session: Session, column: ColumnElement) -> ColumnElement[str]:
    """``'YYYY-MM'`` of a date column, on SQLite and PostgreSQL alike (the one dialect switch)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite keeps dates as 'YYYY-MM-DD' text; cheaper than strftime


def months_between(start: date, end: date) -> list[str]:
    """Every ``'YYYY-MM'`` from ``start`` to ``end``, so empty months still show."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def record_conditions(model: type[RecordMixin], filters: ReportFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses for period, status, place and scope, organisation."""
    conditions = [
        model.date >= filters.date_from,
        model.date <= filters.date_to,
        model.status.in_(filters.statuses),
    ]
    if filters.community_ids is not None:
        conditions.append(model.community_id.in_(sorted(filters.community_ids)))
    if filters.organisation_id is not None:
        conditions.append(model.organisation_id == filters.organisation_id)
    return conditions


def _cell_sums() -> list[ColumnElement[int]]:
    return [func.coalesce(func.sum(getattr(Activity, column)), 0) for column in CELLS]


def key_sum(model: type[RecordMixin], filters: ReportFilters) -> ColumnElement[int]:
    """``SUM(record_key)``, 0 for no rows: the key of the cell a ``COUNT(*)`` beside it makes.

    Only donor figures are perturbed: for coordinators this is the constant 0, so their queries
    read exactly the columns they read before keys existed.
    """
    if not filters.is_donor:
        return literal_column("0")
    return func.coalesce(func.sum(model.record_key), 0)


@dataclass
class CountRow:
    """One line of a participants table: activities, the eight cells, communities reached.

    ``key`` is the key sum of its activities (for the activity count and, offset per measure, the
    people counts); ``communities_key`` the key sum of the communities reached.
    """

    code: str
    activities: int = 0
    cells: tuple[int, ...] = _NO_CELLS
    communities: int = 0
    #: ``(target group code, activities, key sum)``, most activities first.
    top_groups: list[tuple[str, int, int]] = field(default_factory=list)
    key: int = 0
    communities_key: int = 0

    @property
    def participants(self) -> int:
        return sum(self.cells)


def _roll_up(code: str, rows: list[tuple]) -> CountRow:
    """One :class:`CountRow` from rows of ``(community id, activities, key sum, *cells)``."""
    n = key = communities_key = 0
    cells = [0] * len(CELLS)
    for community_id, count, keys, *sums in rows:
        n, key = n + count, key + keys
        cells = [a + b for a, b in zip(cells, sums, strict=True)]
        communities_key += community_key(community_id)
    return CountRow(code, n, tuple(cells), len(rows), key=key, communities_key=communities_key)


def _counts_per_code(
    session: Session, filters: ReportFilters, code: ColumnElement[str]
) -> dict[str, CountRow]:
    """Per code of a link table (activity -> recommendation or target group): activities, their
    key sum, the participant cells and the communities reached, from one GROUP BY (code, community)
    rolled up here: the communities reached are the groups, so their keys come for free."""
    link = code.table
    query = (
        select(code, Activity.community_id, func.count(), key_sum(Activity, filters), *_cell_sums())
        .select_from(link)
        .join(Activity, Activity.id == link.c.activity_id)
        .where(*record_conditions(Activity, filters))
        .group_by(code, Activity.community_id)
    )
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for value, *rest in session.execute(query):
        grouped[value].append(tuple(rest))
    return {value: _roll_up(value, rows) for value, rows in grouped.items()}


def by_recommendation(session: Session, filters: ReportFilters, *, top_groups: bool = True) -> list[CountRow]:
    """R1-R14: activities, participants by sex x age band, communities reached, top target groups."""
    found = _counts_per_code(session, filters, activity_recommendations.c.recommendation_code)
    groups = _top_groups_by_recommendation(session, filters) if top_groups else {}
    rows = []
    for code, *_labels in RECOMMENDATIONS:
        row = found.get(code, CountRow(code))
        row.top_groups = groups.get(code, [])[:3]
        rows.append(row)
    return rows


def _top_groups_by_recommendation(session: Session, filters: ReportFilters) -> dict[str, list]:
    rec, grp = activity_recommendations, activity_target_groups
    count = func.count()
    query = (
        select(rec.c.recommendation_code, grp.c.target_group_code, count, key_sum(Activity, filters))
        .select_from(rec)
        .join(grp, grp.c.activity_id == rec.c.activity_id)
        .join(Activity, Activity.id == rec.c.activity_id)
        .where(*record_conditions(Activity, filters))
        .group_by(rec.c.recommendation_code, grp.c.target_group_code)
        .order_by(rec.c.recommendation_code, count.desc(), grp.c.target_group_code)
    )
    result: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for rec_code, group_code, n, key in session.execute(query):
        result[rec_code].append((group_code, n, key))
    return result


def by_target_group(session: Session, filters: ReportFilters) -> list[CountRow]:
    """Per target group: activities that engaged it, their participants and communities."""
    found = _counts_per_code(session, filters, activity_target_groups.c.target_group_code)
    return [found.get(code, CountRow(code)) for code, _label in TARGET_GROUPS]


def activity_totals(session: Session, filters: ReportFilters) -> CountRow:
    """All activities: count, participants by sex x age band, communities reached (with keys)."""
    query = (
        select(Activity.community_id, func.count(), key_sum(Activity, filters), *_cell_sums())
        .where(*record_conditions(Activity, filters))
        .group_by(Activity.community_id)
    )
    return _roll_up("all", [tuple(row) for row in session.execute(query)])


def activities_by_month(session: Session, filters: ReportFilters) -> list[tuple[str, int, int]]:
    """``(month, activities, key sum)`` for every month of the period."""
    month = month_bucket(session, Activity.date)
    query = (
        select(month, func.count(), key_sum(Activity, filters))
        .where(*record_conditions(Activity, filters))
        .group_by(month)
    )
    found = {m: (n, key) for m, n, key in session.execute(query)}
    return [(m, *found.get(m, (0, 0))) for m in months_between(filters.date_from, filters.date_to)]


def incident_cube(session: Session, filters: ReportFilters) -> list[tuple[str, str, str, int, int]]:
    """``(category, month, region code, incidents, key sum)`` for every combination that occurs."""
    month = month_bucket(session, Incident.date)
    query = (
        select(Incident.category_code, month, Region.code, func.count(), key_sum(Incident, filters))
        .join(Community, Community.id == Incident.community_id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(*record_conditions(Incident, filters))
        .group_by(Incident.category_code, month, Region.code)
        .order_by(month, Region.code, Incident.category_code)
    )
    return [tuple(row) for row in session.execute(query)]


def incidents_by(session: Session, filters: ReportFilters, column: str) -> dict[str, Tally]:
    """Incidents per value of ``severity``, ``incident_status``, ``response`` or ``category_code``."""
    attribute = getattr(Incident, column)
    query = (
        select(attribute, func.count(), key_sum(Incident, filters))
        .where(*record_conditions(Incident, filters))
        .group_by(attribute)
    )
    return {str(getattr(value, "value", value)): Tally(n, key) for value, n, key in session.execute(query)}


@dataclass
class DriverCell:
    """Mean rating (0-3) of one driver in one region, and the previous period's.

    ``key`` is the key sum of the assessments behind ``assessments`` (this period).
    """

    mean: float | None
    assessments: int
    previous_mean: float | None
    previous_assessments: int
    key: int = 0

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return round(self.mean - self.previous_mean, 2)


def _driver_means(session: Session, filters: ReportFilters) -> dict[tuple[str, str], tuple[float, int, int]]:
    query = (
        select(
            Region.code,
            DriverRating.driver_code,
            func.avg(DriverRating.rating),
            func.count(),
            key_sum(DriverAssessment, filters),
        )
        .select_from(DriverRating)
        .join(DriverAssessment, DriverAssessment.id == DriverRating.assessment_id)
        .join(Community, Community.id == DriverAssessment.community_id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(*record_conditions(DriverAssessment, filters))
        .group_by(Region.code, DriverRating.driver_code)
    )
    return {(r, d): (round(float(mean), 2), n, key) for r, d, mean, n, key in session.execute(query)}


def driver_matrix(session: Session, filters: ReportFilters) -> dict[str, dict[str, DriverCell]]:
    """``{region code: {driver code: DriverCell}}`` for regions with assessments in either period."""
    current = _driver_means(session, filters)
    previous = _driver_means(session, filters.previous())
    regions = sorted({region for region, _driver in current} | {region for region, _driver in previous})
    matrix: dict[str, dict[str, DriverCell]] = {}
    for region in regions:
        matrix[region] = {}
        for driver, _label in DRIVERS:
            mean, n, key = current.get((region, driver), (None, 0, 0))
            prev_mean, prev_n, _key = previous.get((region, driver), (None, 0, 0))
            matrix[region][driver] = DriverCell(mean, n, prev_mean, prev_n, key)
    return matrix


@dataclass
class CoverageRow:
    code: str
    name: str
    reached: int
    communities: int
    #: Key sum of the communities reached.
    reached_key: int = 0

    @property
    def share(self) -> float:
        return self.reached / self.communities if self.communities else 0.0


def coverage_by_region(
    session: Session, filters: ReportFilters, *, reached: dict[str, Tally] | None = None
) -> list[CoverageRow]:
    """Per region: communities with at least one activity, over all communities (in the filters).

    ``reached`` (:func:`reached_by_region`) when the caller has counted them.
    """
    totals_query = (
        select(Region.code, Region.local_name.label("name"), func.count(Community.id))
        .select_from(Community)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .group_by(Region.id, Region.code)
        .order_by(Region.code)
    )
    if filters.community_ids is not None:
        totals_query = totals_query.where(Community.id.in_(sorted(filters.community_ids)))
    if reached is None:
        reached = reached_by_region(session, filters)
    rows = []
    for code, name, n in session.execute(totals_query):
        found = reached.get(code, Tally(0))
        rows.append(CoverageRow(code, name, found.n, n, found.key))
    return rows


@dataclass
class DashboardAggregates:
    """What the dashboard draws, from as few scans of the records as possible."""

    recommendations: list[CountRow]
    totals: CountRow
    #: ``(month, activities, key sum)``.
    monthly: list[tuple[str, int, int]]
    incidents: list[tuple[str, str, str, int, int]]
    drivers: dict[str, dict[str, DriverCell]]
    coverage: list[CoverageRow]


def recommendation_counts(
    session: Session, filters: ReportFilters, *, selected: int | None = None
) -> list[CountRow]:
    """Activities per recommendation, with their key sums for donors (the dashboard's bar chart).

    Donors: one pass from the selected activities to their links, counting and summing keys.
    Coordinators need no keys, so the links alone are read: with ``selected`` (how many activities
    the filters select) when that is most of the activities, the links of the activities left out
    are counted and subtracted from all links, which reads far fewer rows than checking every
    link against the selection. (With keys that shortcut would have to read every activity for
    its key, twice the work of the direct pass; so donors never take it.)
    """
    link = activity_recommendations
    matching = and_(*record_conditions(Activity, filters))
    count = func.count()
    if filters.is_donor:
        query = (
            select(link.c.recommendation_code, count, key_sum(Activity, filters))
            .select_from(Activity)
            .join(link, link.c.activity_id == Activity.id)
            .where(matching)
            .group_by(link.c.recommendation_code)
        )
        found = {code: (n, key) for code, n, key in session.execute(query)}
    else:
        per_code = select(link.c.recommendation_code, count).group_by(link.c.recommendation_code)
        total = session.scalar(select(func.count()).select_from(Activity)) if selected is not None else 0
        if selected is not None and selected * 2 > total:
            every = dict(session.execute(per_code).all())
            left_out = dict(
                session.execute(
                    per_code.where(link.c.activity_id.in_(select(Activity.id).where(not_(matching))))
                ).all()
            )
            found = {code: (n - left_out.get(code, 0), 0) for code, n in every.items()}
        else:
            query = per_code.where(link.c.activity_id.in_(select(Activity.id).where(matching)))
            found = {code: (n, 0) for code, n in session.execute(query)}
    rows = []
    for code, *_labels in RECOMMENDATIONS:
        n, key = found.get(code, (0, 0))
        rows.append(CountRow(code, n, key=key))
    return rows


def reached_by_region(session: Session, filters: ReportFilters) -> dict[str, Tally]:
    """Communities with at least one activity, per region code, with their community key sum.

    One index probe per community (does it have a matching activity?) rather than a distinct
    count over every activity; the communities come back one row each (a few hundred), so their
    keys are summed here.
    """
    has_activity = exists().where(
        Activity.community_id == Community.id, *record_conditions(Activity, filters)
    )
    query = (
        select(Region.code, Community.id)
        .select_from(Community)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(has_activity)
    )
    if filters.community_ids is not None:
        query = query.where(Community.id.in_(sorted(filters.community_ids)))
    found: dict[str, list[int]] = defaultdict(list)
    for code, community_id in session.execute(query):
        found[code].append(community_id)
    return {code: Tally(len(ids), sum(map(community_key, ids))) for code, ids in found.items()}


def dashboard_aggregates(session: Session, filters: ReportFilters) -> DashboardAggregates:
    """Everything the dashboard needs, each from one indexed pass.

    Activities are read once, grouped by day (at most one row per day of the period, in index
    order, no sort); months and totals, key sums included, are rolled up from those day rows.
    """
    daily = session.execute(
        select(Activity.date, func.count(), key_sum(Activity, filters), *_cell_sums())
        .where(*record_conditions(Activity, filters))
        .group_by(Activity.date)
    ).all()
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    cells = [0] * len(CELLS)
    for day, n, key, *sums in daily:
        month = by_month[f"{day:%Y-%m}"]
        month[0] += n
        month[1] += key
        cells = [a + b for a, b in zip(cells, sums, strict=True)]
    activities = sum(n for n, _key in by_month.values())
    reached = reached_by_region(session, filters)
    totals = CountRow(
        "all",
        activities,
        tuple(cells),
        sum(t.n for t in reached.values()),
        key=sum(key for _n, key in by_month.values()),
        communities_key=sum(t.key for t in reached.values()),
    )
    months = months_between(filters.date_from, filters.date_to)
    return DashboardAggregates(
        recommendations=recommendation_counts(session, filters, selected=activities),
        totals=totals,
        monthly=[(m, *by_month.get(m, (0, 0))) for m in months],
        incidents=incident_cube(session, filters),
        drivers=driver_matrix(session, filters),
        coverage=coverage_by_region(session, filters, reached=reached),
    )


def driver_overall(session: Session, filters: ReportFilters) -> dict[str, DriverCell]:
    """Per driver, over every region the filters select: mean rating and ratings, this period and
    the previous one. A concern an assessment did not rate has no rating row and counts nowhere."""

    def means(period: ReportFilters) -> dict[str, tuple[float, int, int]]:
        query = (
            select(
                DriverRating.driver_code,
                func.avg(DriverRating.rating),
                func.count(DriverRating.rating),
                key_sum(DriverAssessment, period),
            )
            .select_from(DriverRating)
            .join(DriverAssessment, DriverAssessment.id == DriverRating.assessment_id)
            .where(*record_conditions(DriverAssessment, period))
            .group_by(DriverRating.driver_code)
        )
        return {d: (round(float(mean), 2), n, key) for d, mean, n, key in session.execute(query)}

    current, previous = means(filters), means(filters.previous())
    cells = {}
    for driver, _label in DRIVERS:
        mean, n, key = current.get(driver, (None, 0, 0))
        prev_mean, prev_n, _key = previous.get(driver, (None, 0, 0))
        cells[driver] = DriverCell(mean, n, prev_mean, prev_n, key)
    return cells


def region_names(session: Session) -> dict[str, str]:
    """``{region code: name in the reader's language}``."""
    return dict(session.execute(select(Region.code, Region.local_name)).all())


def record_counts(session: Session, filters: ReportFilters) -> dict[str, Tally]:
    """How many activities, incidents and assessments the filters select, with their key sums."""
    counts = {}
    for name, model in (("activities", Activity), ("incidents", Incident), ("assessments", DriverAssessment)):
        query = (
            select(func.count(), key_sum(model, filters))
            .select_from(model)
            .where(*record_conditions(model, filters))
        )
        counts[name] = Tally(*session.execute(query).one())
    return counts


def review_counts(session: Session, filters: ReportFilters) -> dict[str, int]:
    """Entries of the three kinds per review status (submitted, approved) in the filters: the
    coordinator's view of how much is checked. Never for donors, who see approved records only."""
    counts: dict[str, int] = defaultdict(int)
    for model in (Activity, Incident, DriverAssessment):
        query = (
            select(model.status, func.count())
            .where(*record_conditions(model, filters))
            .group_by(model.status)
        )
        for status, n in session.execute(query):
            counts[str(getattr(status, "value", status))] += n
    return dict(counts)
