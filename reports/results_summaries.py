"""Actuals of the results framework read from the summary tables (issue 14), when they can be.

An indicator's actual over a quarter (or from the programme's start) is, for most measures and
filters, a sum over the summaries' whole months plus the records of the days at the edges
(:func:`reports.sources.source`), exactly as the records alone would give it, perturbation keys
included. :func:`summary_parts` answers those and returns None for the rest, which
:mod:`reports.results` then counts from the records: a filter on the type of activity (not a
summary dimension), several codes of a link (an activity with two of them would count twice in
a per-code summary), target groups with recommendations, categories with severities, a share of
incidents narrowed by category or severity, new participants of some groups only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from app.models import Indicator, Measure
from app.vocabulary import COUNT_CELLS, IncidentStatus, Response, Sex

from . import facts
from .cellkey import communities_key
from .facts import total
from .filters import Audience, ReportFilters
from .sources import source

YOUTH = ("u18", "18_29")


def _filters(start: date, end: date, area: Select) -> ReportFilters:
    """Approved records in the programme's area over ``start`` .. ``end``, as report filters."""
    return ReportFilters(date_from=start, date_to=end, audience=Audience.DONOR, places=area)


def _cell_names(filters: dict, *, sexes: tuple[str, ...] = (), bands: tuple[str, ...] = ()) -> list[str]:
    wanted_sex, wanted_bands = filters.get("sex"), set(filters.get("age_bands") or ())
    names = []
    for column, sex, band in COUNT_CELLS:
        if wanted_sex and sex.value != wanted_sex and sex.name.lower() != wanted_sex:
            continue
        if (wanted_bands and band.value not in wanted_bands) or (bands and band.value not in bands):
            continue
        if sexes and sex.value not in sexes:
            continue
        names.append(column)
    return names


def _activity_fact(filters: dict, measure: Measure) -> tuple[facts.Fact, list] | None:
    """The summary that answers the activity filters, with its condition; None: the records."""
    groups, recommendations = filters.get("target_groups") or [], filters.get("recommendations") or []
    if filters.get("activity_types") or (groups and recommendations) or len(groups) > 1:
        return None
    if len(recommendations) > 1:
        return None
    if groups or recommendations:
        if measure == Measure.NEW_PARTICIPANTS:  # kept on the activity summary only
            return None
        if groups:
            return facts.ACTIVITY_TARGET_GROUPS, ["target_group_code", groups[0]]
        return facts.ACTIVITY_RECOMMENDATIONS, ["recommendation_code", recommendations[0]]
    return facts.ACTIVITIES, []


def _where(rows: object, condition: list) -> list[ColumnElement[bool]]:
    return [rows.c[condition[0]] == condition[1]] if condition else []


def summary_parts(
    session: Session, indicator: Indicator, start: date, end: date, area: Select
) -> tuple | None:
    """``(kind, (n, key sum), (whole n, whole key sum) | None, value)`` of the actual over
    ``start`` .. ``end`` (within the programme), from the summaries; None when they cannot answer
    it (then the records do). Key sums are raw: :mod:`reports.results` derives the cell keys."""
    measure, filters = indicator.measure, indicator.filters or {}
    report = _filters(start, end, area)
    if measure in (
        Measure.ACTIVITIES,
        Measure.PARTICIPANTS,
        Measure.NEW_PARTICIPANTS,
        Measure.SHARE_WOMEN,
        Measure.SHARE_YOUTH,
        Measure.COMMUNITIES_REACHED,
        Measure.SHARE_COMMUNITIES_REACHED,
    ):
        return _activities(session, measure, filters, report, area)
    if measure in (Measure.INCIDENTS, Measure.SHARE_INCIDENTS_RESPONDED, Measure.SHARE_INCIDENTS_RESOLVED):
        return _incidents(session, measure, filters, report)
    if measure == Measure.MEAN_RATING:
        rows = source(facts.RATINGS, report)
        rating_sum, n = session.execute(
            select(total(rows.c.rating_sum), total(rows.c.n)).where(
                rows.c.driver_code == filters.get("driver")
            )
        ).one()
        return "mean", (int(n), 0), None, round(rating_sum / n, 2) if n else None
    return None


def _activities(
    session: Session, measure: Measure, filters: dict, report: ReportFilters, area: Select
) -> tuple | None:
    chosen = _activity_fact(filters, measure)
    if chosen is None:
        return None
    fact, condition = chosen
    rows = source(fact, report)
    where = _where(rows, condition)
    key = total(rows.c.key_sum)
    if measure == Measure.ACTIVITIES:
        n, keys = session.execute(select(total(rows.c.n), key).where(*where)).one()
        return "count", (int(n), int(keys)), None, None
    if measure in (Measure.PARTICIPANTS, Measure.NEW_PARTICIPANTS):
        names = ["first_time_participants"] if measure == Measure.NEW_PARTICIPANTS else _cell_names(filters)
        people = sum((rows.c[name] for name in names[1:]), rows.c[names[0]]) if names else None
        if people is None:
            return "count", (0, 0), None, None
        n, keys = session.execute(select(total(people), key).where(*where)).one()
        return "count", (int(n), int(keys)), None, None
    if measure in (Measure.SHARE_WOMEN, Measure.SHARE_YOUTH):
        part_names = (
            _cell_names(filters, sexes=(Sex.FEMALE.value,))
            if measure == Measure.SHARE_WOMEN
            else _cell_names(filters, bands=YOUTH)
        )
        whole_names = _cell_names(filters)
        columns = [sum((rows.c[n] for n in names), rows.c.n * 0) for names in (part_names, whole_names)]
        part, whole, keys = session.execute(
            select(total(columns[0]), total(columns[1]), key).where(*where)
        ).one()
        return "share", (int(part), int(keys)), (int(whole), int(keys)), None
    reached = list(session.scalars(select(func.distinct(rows.c.community_id)).where(*where)))
    count = (len(reached), communities_key(reached))
    if measure == Measure.COMMUNITIES_REACHED:
        return "count", count, None, None
    everywhere = list(session.scalars(area))
    return "share", count, (len(everywhere), communities_key(everywhere)), None


def _incidents(session: Session, measure: Measure, filters: dict, report: ReportFilters) -> tuple | None:
    categories, severities = filters.get("categories") or [], filters.get("severities") or []
    if measure == Measure.INCIDENTS:
        if categories and severities:
            return None
        if severities:
            rows = source(facts.INCIDENT_VALUES, report)
            where = [rows.c.dimension == "severity", rows.c.value.in_(severities)]
        else:
            rows = source(facts.INCIDENTS, report)
            where = [rows.c.category_code.in_(categories)] if categories else []
        n, keys = session.execute(select(total(rows.c.n), total(rows.c.key_sum)).where(*where)).one()
        return "count", (int(n), int(keys)), None, None
    if categories or severities:
        return None
    rows = source(facts.INCIDENT_VALUES, report)
    if measure == Measure.SHARE_INCIDENTS_RESPONDED:
        dimension, counted = "response", rows.c.value != Response.NONE.value
    else:
        dimension, counted = "incident_status", rows.c.value == IncidentStatus.RESOLVED.value
    flag = case((counted, 1), else_=0)
    whole, whole_key, n, key = session.execute(
        select(
            total(rows.c.n), total(rows.c.key_sum), total(rows.c.n * flag), total(rows.c.key_sum * flag)
        ).where(rows.c.dimension == dimension)
    ).one()
    return "share", (int(n), int(key)), (int(whole), int(whole_key)), None
