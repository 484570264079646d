"""Report aggregates, computed in SQL (GROUP BY) and returned as plain rows.

Every function takes a session and one :class:`~reports.filters.ReportFilters`; the workbook,
the charts and the page all read from here. Exact numbers only: suppression for donors happens
afterwards, in :mod:`reports.suppression`. The row generators (one row per record) refuse the
donor audience.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, distinct, exists, func, not_, select
from sqlalchemy.orm import Session

from app.models import (
    Activity,
    Community,
    District,
    DriverAssessment,
    DriverRating,
    Incident,
    Organisation,
    RecordMixin,
    Region,
    activity_drivers,
    activity_recommendations,
    activity_target_groups,
    incident_drivers,
)
from app.vocabulary import COUNT_CELLS, DRIVERS, RECOMMENDATIONS, TARGET_GROUPS

from .filters import DONOR_STATUSES, REPORT_STATUSES, Audience, ReportFilters

__all__ = ["DONOR_STATUSES", "REPORT_STATUSES", "Audience", "ReportFilters"]

#: The eight participant columns, in display order (female first, youngest first).
CELLS: tuple[str, ...] = tuple(column for column, _sex, _band in COUNT_CELLS)
#: Rows fetched per round trip by the row generators.
ROW_BATCH = 2000


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


@dataclass
class CountRow:
    """One line of a participants table: activities, the eight cells, communities reached."""

    code: str
    activities: int = 0
    cells: tuple[int, ...] = (0,) * len(CELLS)
    communities: int = 0
    top_groups: list[tuple[str, int]] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return sum(self.cells)


def _counts_per_code(
    session: Session, filters: ReportFilters, code: ColumnElement[str]
) -> dict[str, tuple[int, int, tuple[int, ...]]]:
    """Per code of a link table (activity -> recommendation or target group): activities,
    communities reached and the participant cells, in one GROUP BY."""
    link = code.table
    query = (
        select(code, func.count(), func.count(distinct(Activity.community_id)), *_cell_sums())
        .select_from(link)
        .join(Activity, Activity.id == link.c.activity_id)
        .where(*record_conditions(Activity, filters))
        .group_by(code)
    )
    return {key: (n, reached, tuple(cells)) for key, n, reached, *cells in session.execute(query)}


def by_recommendation(session: Session, filters: ReportFilters, *, top_groups: bool = True) -> list[CountRow]:
    """R1-R14: activities, participants by sex x age band, communities reached, top target groups."""
    found = _counts_per_code(session, filters, activity_recommendations.c.recommendation_code)
    groups = _top_groups_by_recommendation(session, filters) if top_groups else {}
    rows = []
    for code, *_labels in RECOMMENDATIONS:
        n, reached, cells = found.get(code, (0, 0, (0,) * len(CELLS)))
        rows.append(CountRow(code, n, cells, reached, groups.get(code, [])[:3]))
    return rows


def _top_groups_by_recommendation(session: Session, filters: ReportFilters) -> dict[str, list]:
    rec, grp = activity_recommendations, activity_target_groups
    count = func.count()
    query = (
        select(rec.c.recommendation_code, grp.c.target_group_code, count)
        .select_from(rec)
        .join(grp, grp.c.activity_id == rec.c.activity_id)
        .join(Activity, Activity.id == rec.c.activity_id)
        .where(*record_conditions(Activity, filters))
        .group_by(rec.c.recommendation_code, grp.c.target_group_code)
        .order_by(rec.c.recommendation_code, count.desc(), grp.c.target_group_code)
    )
    result: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for rec_code, group_code, n in session.execute(query):
        result[rec_code].append((group_code, n))
    return result


def by_target_group(session: Session, filters: ReportFilters) -> list[CountRow]:
    """Per target group: activities that engaged it, their participants and communities."""
    found = _counts_per_code(session, filters, activity_target_groups.c.target_group_code)
    rows = []
    for code, _label in TARGET_GROUPS:
        n, reached, cells = found.get(code, (0, 0, (0,) * len(CELLS)))
        rows.append(CountRow(code, n, cells, reached))
    return rows


def activity_totals(session: Session, filters: ReportFilters) -> CountRow:
    """All activities: count, participants by sex x age band, communities reached."""
    query = select(func.count(), func.count(distinct(Activity.community_id)), *_cell_sums()).where(
        *record_conditions(Activity, filters)
    )
    n, reached, *cells = session.execute(query).one()
    return CountRow("all", n, tuple(cells), reached)


def activities_by_month(session: Session, filters: ReportFilters) -> list[tuple[str, int]]:
    """``(month, activities)`` for every month of the period."""
    month = month_bucket(session, Activity.date)
    query = select(month, func.count()).where(*record_conditions(Activity, filters)).group_by(month)
    found = dict(session.execute(query).all())
    return [(m, found.get(m, 0)) for m in months_between(filters.date_from, filters.date_to)]


def incident_cube(session: Session, filters: ReportFilters) -> list[tuple[str, str, str, int]]:
    """``(category, month, region code, incidents)`` for every combination that occurs."""
    month = month_bucket(session, Incident.date)
    query = (
        select(Incident.category_code, month, Region.code, func.count())
        .join(Community, Community.id == Incident.community_id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(*record_conditions(Incident, filters))
        .group_by(Incident.category_code, month, Region.code)
        .order_by(month, Region.code, Incident.category_code)
    )
    return [tuple(row) for row in session.execute(query)]


def incidents_by(session: Session, filters: ReportFilters, column: str) -> dict[str, int]:
    """Incidents per value of ``severity``, ``incident_status``, ``response`` or ``category_code``."""
    attribute = getattr(Incident, column)
    query = select(attribute, func.count()).where(*record_conditions(Incident, filters)).group_by(attribute)
    return {str(getattr(key, "value", key)): n for key, n in session.execute(query)}


@dataclass
class DriverCell:
    """Mean rating (0-3) of one driver in one region, and the previous period's."""

    mean: float | None
    assessments: int
    previous_mean: float | None
    previous_assessments: int

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return round(self.mean - self.previous_mean, 2)


def _driver_means(session: Session, filters: ReportFilters) -> dict[tuple[str, str], tuple[float, int]]:
    query = (
        select(Region.code, DriverRating.driver_code, func.avg(DriverRating.rating), func.count())
        .select_from(DriverRating)
        .join(DriverAssessment, DriverAssessment.id == DriverRating.assessment_id)
        .join(Community, Community.id == DriverAssessment.community_id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(*record_conditions(DriverAssessment, filters))
        .group_by(Region.code, DriverRating.driver_code)
    )
    return {(r, d): (round(float(mean), 2), n) for r, d, mean, n in session.execute(query)}


def driver_matrix(session: Session, filters: ReportFilters) -> dict[str, dict[str, DriverCell]]:
    """``{region code: {driver code: DriverCell}}`` for regions with assessments in either period."""
    current = _driver_means(session, filters)
    previous = _driver_means(session, filters.previous())
    regions = sorted({region for region, _driver in current} | {region for region, _driver in previous})
    matrix: dict[str, dict[str, DriverCell]] = {}
    for region in regions:
        matrix[region] = {}
        for driver, _label in DRIVERS:
            mean, n = current.get((region, driver), (None, 0))
            prev_mean, prev_n = previous.get((region, driver), (None, 0))
            matrix[region][driver] = DriverCell(mean, n, prev_mean, prev_n)
    return matrix


@dataclass
class CoverageRow:
    code: str
    name: str
    reached: int
    communities: int

    @property
    def share(self) -> float:
        return self.reached / self.communities if self.communities else 0.0


def coverage_by_region(
    session: Session, filters: ReportFilters, *, reached: dict[str, int] | None = None
) -> list[CoverageRow]:
    """Per region: communities with at least one activity, over all communities (in the filters).

    ``reached`` (communities with activities per region code) when the caller has counted them.
    """
    totals_query = (
        select(Region.code, Region.name, func.count(Community.id))
        .select_from(Community)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .group_by(Region.code, Region.name)
        .order_by(Region.code)
    )
    if filters.community_ids is not None:
        totals_query = totals_query.where(Community.id.in_(sorted(filters.community_ids)))
    reached_query = (
        select(Region.code, func.count(distinct(Activity.community_id)))
        .select_from(Activity)
        .join(Community, Community.id == Activity.community_id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(*record_conditions(Activity, filters))
        .group_by(Region.code)
    )
    if reached is None:
        reached = dict(session.execute(reached_query).all())
    return [
        CoverageRow(code, name, reached.get(code, 0), n) for code, name, n in session.execute(totals_query)
    ]


@dataclass
class DashboardAggregates:
    """What the dashboard draws, from as few scans of the records as possible."""

    recommendations: list[CountRow]
    totals: CountRow
    monthly: list[tuple[str, int]]
    incidents: list[tuple[str, str, str, int]]
    drivers: dict[str, dict[str, DriverCell]]
    coverage: list[CoverageRow]


def recommendation_counts(
    session: Session, filters: ReportFilters, *, selected: int | None = None
) -> list[CountRow]:
    """Activities per recommendation (counts only: the dashboard's bar chart).

    ``selected`` (how many activities the filters select) when the caller knows it: when that is
    most of the activities, counting the links of the activities left out and subtracting them from
    all links reads far fewer rows than checking every link against the selection.
    """
    link = activity_recommendations
    matching = and_(*record_conditions(Activity, filters))
    count = func.count()
    per_code = select(link.c.recommendation_code, count).group_by(link.c.recommendation_code)
    if selected is not None and selected * 2 > session.scalar(select(func.count()).select_from(Activity)):
        every = dict(session.execute(per_code).all())
        left_out = dict(
            session.execute(
                per_code.where(link.c.activity_id.in_(select(Activity.id).where(not_(matching))))
            ).all()
        )
        found = {code: n - left_out.get(code, 0) for code, n in every.items()}
    else:
        found = dict(
            session.execute(per_code.where(link.c.activity_id.in_(select(Activity.id).where(matching)))).all()
        )
    return [CountRow(code, found.get(code, 0)) for code, *_labels in RECOMMENDATIONS]


def reached_by_region(session: Session, filters: ReportFilters) -> dict[str, int]:
    """Communities with at least one activity, per region code.

    One index probe per community (does it have a matching activity?) rather than a distinct
    count over every activity.
    """
    has_activity = exists().where(
        Activity.community_id == Community.id, *record_conditions(Activity, filters)
    )
    query = (
        select(Region.code, func.count())
        .select_from(Community)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(has_activity)
        .group_by(Region.code)
    )
    if filters.community_ids is not None:
        query = query.where(Community.id.in_(sorted(filters.community_ids)))
    return dict(session.execute(query).all())


def dashboard_aggregates(session: Session, filters: ReportFilters) -> DashboardAggregates:
    """Everything the dashboard needs, each from one indexed pass.

    Activities are read once, grouped by day (at most one row per day of the period, in index
    order, no sort); months and totals are rolled up from those day rows, not from records.
    """
    daily = session.execute(
        select(Activity.date, func.count(), *_cell_sums())
        .where(*record_conditions(Activity, filters))
        .group_by(Activity.date)
    ).all()
    by_month: dict[str, int] = defaultdict(int)
    cells = [0] * len(CELLS)
    for day, n, *sums in daily:
        by_month[f"{day:%Y-%m}"] += n
        cells = [a + b for a, b in zip(cells, sums, strict=True)]
    activities = sum(by_month.values())
    reached = reached_by_region(session, filters)
    totals = CountRow("all", activities, tuple(cells), sum(reached.values()))
    return DashboardAggregates(
        recommendations=recommendation_counts(session, filters, selected=activities),
        totals=totals,
        monthly=[(m, by_month.get(m, 0)) for m in months_between(filters.date_from, filters.date_to)],
        incidents=incident_cube(session, filters),
        drivers=driver_matrix(session, filters),
        coverage=coverage_by_region(session, filters, reached=reached),
    )


def region_names(session: Session) -> dict[str, str]:
    """``{region code: name}``."""
    return dict(session.execute(select(Region.code, Region.name)).all())


# --- One row per record (coordinators only) -------------------------------------------------


def _codes(owner_column: ColumnElement, code_column: ColumnElement, model: type) -> ColumnElement[str]:
    """Comma-joined codes linked to the current row, as a correlated subquery."""
    return (
        select(func.aggregate_strings(code_column, ","))
        .where(owner_column == model.id)
        .correlate(model)
        .scalar_subquery()
    )


def _place_columns(model: type[RecordMixin]) -> tuple:
    return (Region.name, District.name, Community.name, Organisation.name)


def _joined(query: Select, model: type[RecordMixin]) -> Select:
    return (
        query.join(Community, Community.id == model.community_id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .join(Organisation, Organisation.id == model.organisation_id)
    )


def _refuse_donor(filters: ReportFilters) -> None:
    if filters.audience == Audience.DONOR:
        raise PermissionError("donor reports never include single records")


#: Column order of :func:`activity_rows`.
ACTIVITY_ROW_FIELDS = (
    "uuid", "date", "region", "district", "community", "organisation", "activity_type",
    "recommendations", "target_groups", "drivers", *CELLS, "status", "partners", "outcome", "follow_up",
)  # fmt: skip


def activity_rows(session: Session, filters: ReportFilters) -> Iterator[tuple]:
    """One tuple per activity (see :data:`ACTIVITY_ROW_FIELDS`), streamed in batches."""
    _refuse_donor(filters)
    query = (
        _joined(
            select(
                Activity.uuid,
                Activity.date,
                *_place_columns(Activity),
                Activity.activity_type_code,
                _codes(
                    activity_recommendations.c.activity_id,
                    activity_recommendations.c.recommendation_code,
                    Activity,
                ),
                _codes(
                    activity_target_groups.c.activity_id, activity_target_groups.c.target_group_code, Activity
                ),
                _codes(activity_drivers.c.activity_id, activity_drivers.c.driver_code, Activity),
                *(getattr(Activity, column) for column in CELLS),
                Activity.status,
                Activity.partners,
                Activity.outcome,
                Activity.follow_up,
            ).select_from(Activity),
            Activity,
        )
        .where(*record_conditions(Activity, filters))
        .order_by(Activity.date, Activity.id)
    )
    yield from _stream(session, query)


#: Column order of :func:`incident_rows`.
INCIDENT_ROW_FIELDS = (
    "uuid", "date", "region", "district", "community", "organisation", "category", "severity",
    "response", "incident_status", "drivers", *CELLS, "status", "description",
)  # fmt: skip


def incident_rows(session: Session, filters: ReportFilters) -> Iterator[tuple]:
    """One tuple per incident (see :data:`INCIDENT_ROW_FIELDS`), streamed in batches."""
    _refuse_donor(filters)
    query = (
        _joined(
            select(
                Incident.uuid,
                Incident.date,
                *_place_columns(Incident),
                Incident.category_code,
                Incident.severity,
                Incident.response,
                Incident.incident_status,
                _codes(incident_drivers.c.incident_id, incident_drivers.c.driver_code, Incident),
                *(getattr(Incident, column) for column in CELLS),
                Incident.status,
                Incident.description,
            ).select_from(Incident),
            Incident,
        )
        .where(*record_conditions(Incident, filters))
        .order_by(Incident.date, Incident.id)
    )
    yield from _stream(session, query)


def _stream(session: Session, query: Select) -> Iterator[tuple]:
    result = session.execute(query.execution_options(yield_per=ROW_BATCH))
    for partition in result.partitions():
        yield from partition


def record_counts(session: Session, filters: ReportFilters) -> dict[str, int]:
    """How many activities, incidents and assessments the filters select."""
    return {
        name: session.scalar(
            select(func.count()).select_from(model).where(*record_conditions(model, filters))
        )
        for name, model in (
            ("activities", Activity),
            ("incidents", Incident),
            ("assessments", DriverAssessment),
        )
    }
