"""Where a report's numbers are read from (issue 14): the summary tables for the whole months of
its period, the records for the days at its edges.

:func:`source` gives one subquery per fact (:mod:`reports.facts`) with the columns of its record
rows (``day``, ``community_id``, ``organisation_id``, ``status``, the codes, ``n``, ``key_sum``,
the measures) for the period, statuses, place and organisation of a report: the summary rows of
the months that lie wholly inside the period (``day`` is then the first of the month) and the
record rows of the days before the first whole month and after the last. Every aggregate adds
them up (``SUM(n)``, not ``COUNT(*)``): a month of a million records is a few hundred rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import ColumnElement, CompoundSelect, Select, Subquery, literal_column, union_all

from .facts import PLACE, Fact, total
from .filters import ReportFilters, add_months, month_end

#: Read whole months from the summaries. Benchmarks turn it off to measure, in the same run, what
#: the same report costs from the records alone (``bench/scale.py``); nothing else does.
USE_SUMMARIES = True


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first days of the first and last months lying wholly in ``start`` .. ``end``."""
    first = start if start.day == 1 else add_months(start.replace(day=1), 1)
    last = end.replace(day=1) if end == month_end(end) else add_months(end.replace(day=1), -1)
    return (first, last) if first <= last else None


def edges(start: date, end: date) -> list[tuple[date, date]]:
    """The stretches of ``start`` .. ``end`` outside its whole months (all of it when none)."""
    months = whole_months(start, end)
    if months is None:
        return [(start, end)]
    first, last = months
    stretches = []
    if start < first:
        stretches.append((start, first - timedelta(days=1)))
    if month_end(last) < end:
        stretches.append((month_end(last) + timedelta(days=1), end))
    return stretches


def _statuses(filters: ReportFilters, statuses: object) -> list[str]:
    chosen = filters.statuses if statuses is None else statuses
    return [str(getattr(status, "value", status)) for status in chosen]


def _place(column: object, filters: ReportFilters, organisation: object) -> list[ColumnElement[bool]]:
    conditions = []
    if (places := filters.in_places(column)) is not None:
        conditions.append(places)
    if filters.organisation_id is not None:
        conditions.append(organisation == filters.organisation_id)
    return conditions


def source(fact: Fact, filters: ReportFilters, *, statuses: object = None) -> Subquery:
    """The fact's rows for the report (see the module's docstring); ``statuses`` instead of the
    report's own (e.g. every review status, for the data-quality counts)."""
    wanted = tuple(_statuses(filters, statuses))
    return _source(fact, filters, id(filters.places), wanted, USE_SUMMARIES)


@lru_cache(maxsize=256)
def _source(
    fact: Fact, filters: ReportFilters, _places: int, wanted: tuple[str, ...], summaries: bool
) -> Subquery:
    """:func:`source`, each subquery built once: a workbook reads some thirty, a dashboard ten, and
    building one (its UNION, then the columns SQLAlchemy derives for ``.c``) cost more than
    running it on a month of summaries. A subquery depends only on these arguments and is never
    changed once made. Filters compare without their ``places`` statement (two programmes' areas
    would be equal), so its ``id`` is part of the key: the subquery cached holds that statement,
    so no other object can take its ``id`` while the entry lives."""
    parts: list[Select] = []
    months = whole_months(filters.date_from, filters.date_to) if summaries else None
    if months is not None:
        table = fact.table
        parts.append(
            Select(
                table.c.month.label("day"),
                *(table.c[name] for name in (*PLACE, *fact.codes, *fact.sums)),
            ).where(
                table.c.month >= months[0],
                table.c.month <= months[1],
                table.c.status.in_(wanted),
                *_place(table.c.community_id, filters, table.c.organisation_id),
            )
        )
    model = fact.model
    for start, end in (
        edges(filters.date_from, filters.date_to) if months else [(filters.date_from, filters.date_to)]
    ):
        made = fact.rows(
            model.date >= start,
            model.date <= end,
            model.status.in_(wanted),
            *_place(model.community_id, filters, model.organisation_id),
        )
        # One flat UNION ALL: SQLite refuses a parenthesised one inside another.
        parts.extend(made.selects if isinstance(made, CompoundSelect) else [made])
    if len(parts) == 1:
        return parts[0].subquery()
    return union_all(*parts).subquery()


def keys(rows: Subquery, filters: ReportFilters) -> ColumnElement[int]:
    """The key sum beside a count: donors' figures are perturbed by it; for coordinators the
    constant 0 (their figures are exact)."""
    if not filters.is_donor:
        return literal_column("0")
    return total(rows.c.key_sum)
