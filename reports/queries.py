"""Report aggregates, computed in SQL (GROUP BY) and returned as plain rows.

Every function takes a session and one :class:`~reports.filters.ReportFilters`; the workbook,
the charts and the page all read from here. Exact numbers only: perturbation and suppression for
donors happen afterwards (:mod:`reports.cellkey`, :mod:`reports.tables`). Beside every count comes
its key sum: the sum of the ``record_key`` of the records it counts, one ``SUM`` beside the
count in the same ``GROUP BY`` (for communities reached, the sum of their community keys).

The rows added up come from :func:`reports.sources.source`: the summary tables for the whole
months of the period, the records for the days at its edges (issue 14), so the cost of a report
over a period barely grows with the number of records. One row per record (coordinators only)
is in :mod:`reports.rows`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, Subquery, func, select
from sqlalchemy.orm import Session

from app.models import Community, District, RecordMixin, Region
from app.vocabulary import COUNT_CELLS, DRIVERS, RECOMMENDATIONS, TARGET_GROUPS

from . import facts
from .cellkey import community_key
from .facts import total
from .filters import DONOR_STATUSES, REPORT_STATUSES, Audience, ReportFilters
from .sources import keys, source

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
    if (places := filters.in_places(model.community_id)) is not None:
        conditions.append(places)
    if filters.organisation_id is not None:
        conditions.append(model.organisation_id == filters.organisation_id)
    return conditions


def cell_sums(rows: Subquery) -> list[ColumnElement[int]]:
    """The eight participant sums of a source."""
    return [total(rows.c[column]) for column in CELLS]


def _region_of(rows: Subquery) -> tuple:
    """Joins from a source's communities to their regions."""
    return (
        (Community, Community.id == rows.c.community_id),
        (District, District.id == Community.district_id),
        (Region, Region.id == District.region_id),
    )


def _joined(query, rows: Subquery):  # noqa: ANN001  (a Select, narrowed here)
    for target, on in _region_of(rows):
        query = query.join(target, on)
    return query


def _per_community(rows: Subquery, *groups: ColumnElement, sums: tuple[str, ...] = ()) -> Subquery:
    """The source added up per community (and ``groups``, each labelled; ``sums``, the columns
    summed) before its regions are joined, so the joins touch a row per community and group
    rather than every row of the source. With neither, the communities the source has, once each.
    (On SQLite a source with record rows at its edges is a UNION ALL, and joining all its rows to
    the communities built a temporary index of them: at a million records, half of the driver
    matrix's time.)"""
    return (
        select(rows.c.community_id, *groups, *(total(rows.c[name]).label(name) for name in sums))
        .group_by(rows.c.community_id, *groups)
        .subquery()
    )


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
    for community_id, count, key_total, *sums in rows:
        n, key = n + count, key + key_total
        cells = [a + b for a, b in zip(cells, sums, strict=True)]
        communities_key += community_key(community_id)
    return CountRow(code, n, tuple(cells), len(rows), key=key, communities_key=communities_key)


def _counts_per_code(session: Session, filters: ReportFilters, fact: facts.Fact) -> dict[str, CountRow]:
    """Per code of a link fact (activity -> recommendation or target group): activities, their
    key sum, the participant cells and the communities reached, from one GROUP BY (code, community)
    rolled up here: the communities reached are the groups, so their keys come for free."""
    rows = source(fact, filters)
    code = rows.c[fact.codes[0]]
    query = select(
        code, rows.c.community_id, total(rows.c.n), keys(rows, filters), *cell_sums(rows)
    ).group_by(code, rows.c.community_id)
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for value, *rest in session.execute(query):
        grouped[value].append(tuple(rest))
    return {value: _roll_up(value, found) for value, found in grouped.items()}


def by_recommendation(session: Session, filters: ReportFilters, *, top_groups: bool = True) -> list[CountRow]:
    """R1-R14: activities, participants by sex x age band, communities reached, top target groups."""
    found = _counts_per_code(session, filters, facts.ACTIVITY_RECOMMENDATIONS)
    groups = _top_groups_by_recommendation(session, filters) if top_groups else {}
    rows = []
    for code, *_labels in RECOMMENDATIONS:
        row = found.get(code, CountRow(code))
        row.top_groups = groups.get(code, [])[:3]
        rows.append(row)
    return rows


def _top_groups_by_recommendation(session: Session, filters: ReportFilters) -> dict[str, list]:
    rows = source(facts.ACTIVITY_RECOMMENDATION_GROUPS, filters)
    rec, grp, count = rows.c.recommendation_code, rows.c.target_group_code, total(rows.c.n)
    query = select(rec, grp, count, keys(rows, filters)).group_by(rec, grp).order_by(rec, count.desc(), grp)
    result: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for rec_code, group_code, n, key in session.execute(query):
        result[rec_code].append((group_code, n, key))
    return result


def by_target_group(session: Session, filters: ReportFilters) -> list[CountRow]:
    """Per target group: activities that engaged it, their participants and communities."""
    found = _counts_per_code(session, filters, facts.ACTIVITY_TARGET_GROUPS)
    return [found.get(code, CountRow(code)) for code, _label in TARGET_GROUPS]


def activity_totals(session: Session, filters: ReportFilters) -> CountRow:
    """All activities: count, participants by sex x age band, communities reached (with keys)."""
    rows = source(facts.ACTIVITIES, filters)
    query = select(rows.c.community_id, total(rows.c.n), keys(rows, filters), *cell_sums(rows)).group_by(
        rows.c.community_id
    )
    return _roll_up("all", [tuple(row) for row in session.execute(query)])


def activities_by_month(session: Session, filters: ReportFilters) -> list[tuple[str, int, int]]:
    """``(month, activities, key sum)`` for every month of the period."""
    rows = source(facts.ACTIVITIES, filters)
    month = month_bucket(session, rows.c.day)
    query = select(month, total(rows.c.n), keys(rows, filters)).group_by(month)
    found = {m: (n, key) for m, n, key in session.execute(query)}
    return [(m, *found.get(m, (0, 0))) for m in months_between(filters.date_from, filters.date_to)]


def incident_cube(session: Session, filters: ReportFilters) -> list[tuple[str, str, str, int, int]]:
    """``(category, month, region code, incidents, key sum)`` for every combination that occurs."""
    rows = source(facts.INCIDENTS, filters)
    month = month_bucket(session, rows.c.day)
    category = rows.c.category_code
    query = _joined(select(category, month, Region.code, total(rows.c.n), keys(rows, filters)), rows)
    query = query.group_by(category, month, Region.code).order_by(month, Region.code, category)
    return [tuple(row) for row in session.execute(query)]


def incidents_by(session: Session, filters: ReportFilters, column: str) -> dict[str, Tally]:
    """Incidents per value of ``severity``, ``incident_status``, ``response`` or ``category_code``."""
    if column == "category_code":
        rows = source(facts.INCIDENTS, filters)
        value = rows.c.category_code
        query = select(value, total(rows.c.n), keys(rows, filters))
    else:
        rows = source(facts.INCIDENT_VALUES, filters)
        value = rows.c.value
        query = select(value, total(rows.c.n), keys(rows, filters)).where(rows.c.dimension == column)
    query = query.group_by(value)
    return {str(getattr(v, "value", v)): Tally(n, key) for v, n, key in session.execute(query)}


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


def _mean(rating_sum: int, n: int) -> float:
    return round(rating_sum / n, 2)


def _driver_means(session: Session, filters: ReportFilters) -> dict[tuple[str, str], tuple[float, int, int]]:
    rows = source(facts.RATINGS, filters)
    grouped = _per_community(rows, rows.c.driver_code, sums=("n", "key_sum", "rating_sum"))
    driver = grouped.c.driver_code
    query = _joined(
        select(Region.code, driver, total(grouped.c.rating_sum), total(grouped.c.n), keys(grouped, filters)),
        grouped,
    ).group_by(Region.code, driver)
    return {
        (r, d): (_mean(rating_sum, n), n, key) for r, d, rating_sum, n, key in session.execute(query) if n
    }


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
    if (places := filters.in_places(Community.id)) is not None:
        totals_query = totals_query.where(places)
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
    (``selected``: kept for callers; the summaries make the old shortcut needless.)"""
    rows = source(facts.ACTIVITY_RECOMMENDATIONS, filters)
    code = rows.c.recommendation_code
    found = {
        value: (n, key)
        for value, n, key in session.execute(
            select(code, total(rows.c.n), keys(rows, filters)).group_by(code)
        )
    }
    counted = []
    for value, *_labels in RECOMMENDATIONS:
        n, key = found.get(value, (0, 0))
        counted.append(CountRow(value, n, key=key))
    return counted


def reached_by_region(session: Session, filters: ReportFilters) -> dict[str, Tally]:
    """Communities with at least one activity, per region code, with their community key sum
    (the communities come back one row each, a few hundred, so their keys are summed here)."""
    rows = source(facts.ACTIVITIES, filters)
    reached = _per_community(rows)
    query = _joined(select(Region.code, reached.c.community_id), reached)
    found: dict[str, list[int]] = defaultdict(list)
    for code, community_id in session.execute(query):
        found[code].append(community_id)
    return {code: Tally(len(ids), sum(map(community_key, ids))) for code, ids in found.items()}


def dashboard_aggregates(session: Session, filters: ReportFilters) -> DashboardAggregates:
    """Everything the dashboard needs, each from one pass over its source."""
    monthly = activities_by_month(session, filters)
    totals = activity_totals(session, filters)
    reached = reached_by_region(session, filters)
    return DashboardAggregates(
        recommendations=recommendation_counts(session, filters),
        totals=totals,
        monthly=monthly,
        incidents=incident_cube(session, filters),
        drivers=driver_matrix(session, filters),
        coverage=coverage_by_region(session, filters, reached=reached),
    )


def driver_overall(session: Session, filters: ReportFilters) -> dict[str, DriverCell]:
    """Per driver, over every region the filters select: mean rating and ratings, this period and
    the previous one. A concern an assessment did not rate has no rating row and counts nowhere."""

    def means(period: ReportFilters) -> dict[str, tuple[float, int, int]]:
        rows = source(facts.RATINGS, period)
        driver = rows.c.driver_code
        query = select(driver, total(rows.c.rating_sum), total(rows.c.n), keys(rows, period)).group_by(driver)
        return {d: (_mean(rating_sum, n), n, key) for d, rating_sum, n, key in session.execute(query) if n}

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


_KIND_FACTS = (
    ("activities", facts.ACTIVITIES),
    ("incidents", facts.INCIDENTS),
    ("assessments", facts.ASSESSMENTS),
)


def record_counts(session: Session, filters: ReportFilters) -> dict[str, Tally]:
    """How many activities, incidents and assessments the filters select, with their key sums."""
    counts = {}
    for name, fact in _KIND_FACTS:
        rows = source(fact, filters)
        counts[name] = Tally(*session.execute(select(total(rows.c.n), keys(rows, filters))).one())
    return counts


def review_counts(session: Session, filters: ReportFilters) -> dict[str, int]:
    """Entries of the three kinds per review status (submitted, approved) in the filters: the
    coordinator's view of how much is checked. Never for donors, who see approved records only."""
    counts: dict[str, int] = defaultdict(int)
    for _name, fact in _KIND_FACTS:
        rows = source(fact, filters)
        for status, n in session.execute(select(rows.c.status, total(rows.c.n)).group_by(rows.c.status)):
            counts[str(getattr(status, "value", status))] += n
    return dict(counts)
