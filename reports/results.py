"""Actuals of the results framework, computed in SQL from approved records (issue 13).

An indicator's actual for a stretch of time is one query over the approved records dated in it
and in the programme's area (its countries and regions): a count, a sum of participants, a share
or a mean rating, narrowed by the indicator's filters. Quarterly actuals ask for each quarter of
the programme; cumulative ones for the programme's start up to the end of the quarter (so a share
or a count of distinct communities is computed over the whole stretch, never added up). Manual
indicators read the value a coordinator entered for the quarter (cumulative: the latest one).

No Flask here, like the rest of ``reports``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Activity,
    Community,
    District,
    DriverAssessment,
    DriverRating,
    Incident,
    Indicator,
    ManualActual,
    Measure,
    Programme,
    Region,
    activity_recommendations,
    activity_target_groups,
)
from app.vocabulary import COUNT_CELLS, AgeBand, IncidentStatus, Response, Sex, Status

from .cellkey import CellKeyTable, communities_key, measure_key, perturb
from .results_summaries import summary_parts
from .suppression import is_small, small_mark

#: The age bands counted as youth (under 30).
YOUTH_BANDS = frozenset({AgeBand.UNDER_18, AgeBand.AGE_18_29})


def quarter_start(day: date) -> date:
    """The first day of the quarter ``day`` lies in."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: date) -> date:
    """The last day of the quarter starting on ``start``."""
    month = start.month + 3
    following = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return following - timedelta(days=1)


def quarters(start: date, end: date) -> list[date]:
    """The first days of the quarters from ``start``'s to ``end``'s, in order."""
    found, current = [], quarter_start(start)
    while current <= end:
        found.append(current)
        current = quarter_end(current) + timedelta(days=1)
    return found


def area_communities(programme: Programme) -> Select:
    """``SELECT communities.id`` of the programme's countries and regions."""
    country_ids = [country.id for country in programme.countries]
    region_ids = [region.id for region in programme.regions]
    return (
        select(Community.id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .where(or_(Region.country_id.in_(country_ids), Region.id.in_(region_ids)))
    )


@dataclass(frozen=True)
class Stretch:
    """The dates an actual is computed over (within the programme's own period)."""

    start: date
    end: date

    @classmethod
    def within(cls, programme: Programme, start: date, end: date) -> Stretch:
        return cls(max(start, programme.start_date), min(end, programme.end_date))


def _records(model: type, programme: Programme, stretch: Stretch) -> list[ColumnElement[bool]]:
    return [
        model.status == Status.APPROVED,
        model.date >= stretch.start,
        model.date <= stretch.end,
        model.community_id.in_(area_communities(programme)),
    ]


def _cells(filters: dict, *, sexes: frozenset | None = None, bands: frozenset | None = None) -> list:
    """The count columns an indicator sums: by sex and age band when it (or the measure) says so."""
    wanted_sex = filters.get("sex")
    wanted_bands = set(filters.get("age_bands") or ())
    columns = []
    for column, sex, band in COUNT_CELLS:
        if wanted_sex and sex.value != wanted_sex and sex.name.lower() != wanted_sex:
            continue
        if wanted_bands and band.value not in wanted_bands:
            continue
        if sexes is not None and sex not in sexes:
            continue
        if bands is not None and band not in bands:
            continue
        columns.append(getattr(Activity, column))
    return columns


def _sum(columns: list) -> ColumnElement:
    total = literal(0)
    for column in columns:
        total = total + column
    return func.coalesce(func.sum(total), 0)


def _activity_filters(filters: dict) -> list[ColumnElement[bool]]:
    clauses = []
    if filters.get("activity_types"):
        clauses.append(Activity.activity_type_code.in_(filters["activity_types"]))
    if filters.get("target_groups"):
        link = activity_target_groups
        clauses.append(
            exists().where(
                link.c.activity_id == Activity.id, link.c.target_group_code.in_(filters["target_groups"])
            )
        )
    if filters.get("recommendations"):
        link = activity_recommendations
        clauses.append(
            exists().where(
                link.c.activity_id == Activity.id, link.c.recommendation_code.in_(filters["recommendations"])
            )
        )
    return clauses


def _incident_filters(filters: dict) -> list[ColumnElement[bool]]:
    clauses = []
    if filters.get("categories"):
        clauses.append(Incident.category_code.in_(filters["categories"]))
    if filters.get("severities"):
        clauses.append(Incident.severity.in_(filters["severities"]))
    return clauses


@dataclass(frozen=True)
class Count:
    """An exact count and its cell key (the sum of the record keys behind it)."""

    n: int
    key: int


@dataclass(frozen=True)
class Parts:
    """What an actual is made of: a count, a share (part of whole), a mean, or a value entered."""

    kind: str  # "count", "share", "mean" or "manual"
    count: Count | None = None
    whole: Count | None = None
    value: float | None = None


def _share(part: float | int | None, whole: float | int | None) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def parts(session: Session, indicator: Indicator, start: date, end: date) -> Parts | None:
    """The counts behind the indicator's actual over ``start`` .. ``end`` (None: outside the
    programme's period)."""
    programme = indicator.programme
    stretch = Stretch.within(programme, start, end)
    if stretch.start > stretch.end:
        return None
    filters, measure = indicator.filters or {}, indicator.measure
    if measure == Measure.MANUAL:
        return Parts("manual", value=_manual(session, indicator, stretch))
    raw = None
    if USE_SUMMARIES:
        raw = summary_parts(session, indicator, stretch.start, stretch.end, area_communities(programme))
    if raw is None:
        raw = _from_records(session, programme, stretch, measure, filters)
    return _as_parts(measure, raw)


#: Read from the summaries what they can answer (see :mod:`reports.results_summaries`); the tests
#: turn it off to check that the records give the same actuals.
USE_SUMMARIES = True


def _from_records(
    session: Session, programme: Programme, stretch: Stretch, measure: Measure, filters: dict
) -> tuple:
    """The raw parts of an actual counted from the records (what the summaries cannot answer)."""
    if measure in (Measure.INCIDENTS, Measure.SHARE_INCIDENTS_RESPONDED, Measure.SHARE_INCIDENTS_RESOLVED):
        return _incidents(session, programme, stretch, measure, filters)
    if measure == Measure.MEAN_RATING:
        total, n = session.execute(
            select(func.coalesce(func.sum(DriverRating.rating), 0), func.count(DriverRating.rating))
            .join(DriverAssessment, DriverAssessment.id == DriverRating.assessment_id)
            .where(
                *_records(DriverAssessment, programme, stretch),
                DriverRating.driver_code == filters.get("driver"),
            )
        ).one()
        return "mean", (int(n), 0), None, round(total / n, 2) if n else None
    return _activities(session, programme, stretch, measure, filters)


def _as_parts(measure: Measure, raw: tuple) -> Parts:
    """Parts from raw sums ``(kind, (n, key sum), whole | None, value)``, whichever source gave
    them: the people counts take their measure's own cell key (so that participants and
    activities of one selection are perturbed independently)."""
    kind, (n, key), whole, value = raw
    if measure in (Measure.PARTICIPANTS, Measure.NEW_PARTICIPANTS):
        return Parts("count", count=_keyed(measure, n, key))
    if measure in (Measure.SHARE_WOMEN, Measure.SHARE_YOUTH):
        return Parts(
            "share", count=_keyed(f"{measure}:part", n, key), whole=_keyed(f"{measure}:whole", *whole)
        )
    return Parts(kind, count=Count(int(n), int(key)), whole=Count(*whole) if whole else None, value=value)


def actual(session: Session, indicator: Indicator, start: date, end: date) -> float | None:
    """The indicator's exact actual over ``start`` .. ``end``; None when there is nothing to
    compute it from (no participants for a share, no rating for a mean, no value entered)."""
    found = parts(session, indicator, start, end)
    if found is None:
        return None
    if found.kind == "count":
        return float(found.count.n)
    if found.kind == "share":
        return _share(found.count.n, found.whole.n)
    return found.value


def published(
    session: Session, indicator: Indicator, start: date, end: date, table: CellKeyTable, threshold: int
) -> float | str | None:
    """The actual as a donor sees it: counts perturbed by their cell key, then 1 .. threshold-1
    shown as ``"<threshold"``; a share from perturbed counts, hidden when its whole is small; a
    mean hidden when fewer ratings than the threshold stand behind it; a value entered as it is."""
    found = parts(session, indicator, start, end)
    if found is None:
        return None
    if found.kind == "count":
        shown = perturb(found.count.n, found.count.key, table)
        return small_mark(threshold) if is_small(shown, threshold) else float(shown)
    if found.kind == "share":
        part = perturb(found.count.n, found.count.key, table)
        whole = perturb(found.whole.n, found.whole.key, table)
        if whole == 0 or is_small(whole, threshold):
            return small_mark(threshold) if whole else None
        return _share(min(part, whole), whole)
    if found.kind == "mean":
        return small_mark(threshold) if is_small(found.count.n, threshold) else found.value
    return found.value


def _keyed(measure: str, n: object, key: object) -> Count:
    return Count(int(n or 0), measure_key(int(key or 0), f"results:{measure}"))


def _activities(
    session: Session, programme: Programme, stretch: Stretch, measure: Measure, filters: dict
) -> tuple:
    where = [*_records(Activity, programme, stretch), *_activity_filters(filters)]
    keys = func.coalesce(func.sum(Activity.record_key), 0)
    if measure == Measure.ACTIVITIES:
        n, key = session.execute(select(func.count(Activity.id), keys).where(*where)).one()
        return "count", (int(n), int(key)), None, None
    if measure in (Measure.PARTICIPANTS, Measure.NEW_PARTICIPANTS):
        people = (
            [Activity.first_time_participants] if measure == Measure.NEW_PARTICIPANTS else _cells(filters)
        )
        n, key = session.execute(select(_sum(people), keys).where(*where)).one()
        return "count", (int(n or 0), int(key or 0)), None, None
    if measure in (Measure.SHARE_WOMEN, Measure.SHARE_YOUTH):
        part_cells = (
            _cells(filters, sexes=frozenset({Sex.FEMALE}))
            if measure == Measure.SHARE_WOMEN
            else _cells(filters, bands=YOUTH_BANDS)
        )
        part, whole, key = session.execute(
            select(_sum(part_cells), _sum(_cells(filters)), keys).where(*where)
        ).one()
        return "share", (int(part or 0), int(key or 0)), (int(whole or 0), int(key or 0)), None
    reached = list(session.scalars(select(func.distinct(Activity.community_id)).where(*where)))
    count = (len(reached), communities_key(reached))
    if measure == Measure.COMMUNITIES_REACHED:
        return "count", count, None, None
    area = list(session.scalars(area_communities(programme)))
    return "share", count, (len(area), communities_key(area)), None


def _incidents(
    session: Session, programme: Programme, stretch: Stretch, measure: Measure, filters: dict
) -> tuple:
    where = [*_records(Incident, programme, stretch), *_incident_filters(filters)]
    if measure == Measure.SHARE_INCIDENTS_RESPONDED:
        counted = Incident.response != Response.NONE
    else:
        counted = Incident.incident_status == IncidentStatus.RESOLVED
    total, key, part, part_key = session.execute(
        select(
            func.count(Incident.id),
            func.coalesce(func.sum(Incident.record_key), 0),
            func.coalesce(func.sum(case((counted, 1), else_=0)), 0),
            func.coalesce(func.sum(case((counted, Incident.record_key), else_=0)), 0),
        ).where(*where)
    ).one()
    if measure == Measure.INCIDENTS:
        return "count", (int(total), int(key)), None, None
    return "share", (int(part), int(part_key)), (int(total), int(key)), None


def _manual(session: Session, indicator: Indicator, stretch: Stretch) -> float | None:
    """The value entered for the latest quarter that starts within the stretch."""
    value = session.scalar(
        select(ManualActual.value)
        .where(
            ManualActual.indicator_id == indicator.id,
            ManualActual.quarter >= quarter_start(stretch.start),
            ManualActual.quarter <= stretch.end,
        )
        .order_by(ManualActual.quarter.desc())
        .limit(1)
    )
    return float(value) if value is not None else None


@dataclass(frozen=True)
class QuarterRow:
    """One quarter of an indicator: target, actual, cumulative actual and % achieved."""

    quarter: date
    target: float | None
    #: A number, or for a donor a hidden one (``"<5"``); None when there is none (yet).
    actual: float | str | None
    cumulative: float | str | None
    achieved: float | None


def progress(session: Session, indicator: Indicator) -> list[QuarterRow]:
    """Per quarter of the programme: the target, the actual, the cumulative actual and the share
    of the quarter's target achieved (lower is better for a "decrease" indicator: target/actual)."""
    programme = indicator.programme
    targets = {target.quarter: target.value for target in indicator.targets}
    rows = []
    for start in quarters(programme.start_date, programme.end_date):
        value = actual(session, indicator, start, quarter_end(start))
        cumulative = actual(session, indicator, programme.start_date, quarter_end(start))
        target = targets.get(start)
        rows.append(QuarterRow(start, target, value, cumulative, share_achieved(indicator, target, value)))
    return rows


@dataclass(frozen=True)
class Publishing:
    """How a donor's figures are protected: the cell-key table and the small-count threshold."""

    table: CellKeyTable
    threshold: int


def shown_progress(
    session: Session, indicator: Indicator, *, today: date, donor: Publishing | None = None
) -> list[QuarterRow]:
    """:func:`progress` as the page and the sheet show it: exact for staff, published for a donor
    (``donor`` given: each actual and cumulative actual perturbed, small ones hidden, % achieved
    from the shown actual); a quarter not begun by ``today`` has its target and no actual (not a
    zero)."""
    if donor is None:
        return [
            row if row.quarter <= today else QuarterRow(row.quarter, row.target, None, None, None)
            for row in progress(session, indicator)
        ]
    programme = indicator.programme
    targets = {target.quarter: target.value for target in indicator.targets}
    rows = []
    for start in quarters(programme.start_date, programme.end_date):
        target = targets.get(start)
        if start > today:
            rows.append(QuarterRow(start, target, None, None, None))
            continue
        end = quarter_end(start)
        value = published(session, indicator, start, end, donor.table, donor.threshold)
        cumulative = published(session, indicator, programme.start_date, end, donor.table, donor.threshold)
        rows.append(QuarterRow(start, target, value, cumulative, share_achieved(indicator, target, value)))  # type: ignore[arg-type]
    return rows


def share_achieved(indicator: Indicator, target: float | None, value: object) -> float | None:
    """The target reached, in %: actual / target, or target / actual for a "decrease" indicator;
    None without both figures (or for a hidden one)."""
    if target is None or not isinstance(value, int | float):
        return None
    if indicator.direction.value == "decrease":
        return round(100 * target / value, 1) if value else None
    return round(100 * value / target, 1) if target else None
