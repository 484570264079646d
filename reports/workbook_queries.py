"""Aggregates only the workbook reads (its Overview, Drivers and Methodology sheets), in the
manner of :mod:`reports.queries`: SQL GROUP BYs, exact numbers, a key sum beside every count
(perturbation and suppression for donors happen afterwards, in :mod:`reports.tables`).

Queries group their source (:func:`reports.sources.source`: summaries for whole months, records
for the edge days) by community alone and are rolled up to regions and countries here, from
:func:`community_places`.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Community, Country, District, Region

from . import facts
from .facts import total
from .filters import ReportFilters
from .queries import CountRow, _roll_up, cell_sums
from .sources import keys, source


def community_places(session: Session) -> dict[int, tuple[str, str]]:
    """``{community id: (region code, country code)}``: a few hundred rows, so that record
    queries group by community alone (an index, no joins) and are rolled up to places here."""
    query = (
        select(Community.id, Region.code, Country.code)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .join(Country, Country.id == Region.country_id)
    )
    return {community: (region, country) for community, region, country in session.execute(query)}


def activities_by_country(
    session: Session, filters: ReportFilters, *, review: dict[tuple[str, str, str], int] | None = None
) -> dict[str, CountRow]:
    """Per country code: activities, participants by sex x age band, communities reached, with
    their key sums: :func:`activity_totals`'s GROUP BY community, rolled up per country.

    With ``review`` (coordinators), the same pass over the activities also counts them per region
    and review status (submitted, returned, approved) into it, keyed as
    :func:`review_status_by_region` keys them, which then need not read them again.
    """
    statuses = QUALITY_STATUSES if review is not None else filters.statuses
    rows = source(facts.ACTIVITIES, filters, statuses=statuses)
    query = select(
        rows.c.community_id, rows.c.status, total(rows.c.n), keys(rows, filters), *cell_sums(rows)
    ).group_by(rows.c.community_id, rows.c.status)
    places = community_places(session)
    counted = {str(s) for s in filters.statuses}
    communities: dict[int, list[int]] = {}
    for community, status, n, *rest in session.execute(query):
        status = str(getattr(status, "value", status))
        if review is not None:
            key = (places[community][0], "activities", status)
            review[key] = review.get(key, 0) + n
        if status in counted:
            sums = communities.setdefault(community, [0] * (len(rest) + 1))
            for i, value in enumerate((n, *rest)):
                sums[i] += value
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for community, (n, key, *cells) in communities.items():
        grouped[places[community][1]].append((community, n, key, *cells))
    return {country: _roll_up(country, rows) for country, rows in sorted(grouped.items())}


def countries(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """``({country code: English name}, {region code: country code})``."""
    names = dict(session.execute(select(Country.code, Country.name)).all())
    regions = dict(
        session.execute(
            select(Region.code, Country.code).join(Country, Country.id == Region.country_id)
        ).all()
    )
    return names, regions


#: Review statuses of the Methodology sheet's data-quality counts (coordinators only).
QUALITY_STATUSES = ("submitted", "returned", "approved")


def review_status_by_region(
    session: Session, filters: ReportFilters, *, counted: dict[tuple[str, str, str], int] | None = None
) -> dict[tuple[str, str, str], int]:
    """``{(region code, kind, status): records}`` dated in the period and place of ``filters``,
    whatever their review status (submitted, returned, approved; drafts are their authors' own).
    Kinds are ``activities``, ``incidents`` and ``assessments``; ``counted``: the activities
    already counted by :func:`activities_by_country`. Coordinators only: counts of records not
    approved are never shown to donors."""
    if filters.is_donor:
        raise PermissionError("donor reports count approved records only")
    counts: dict[tuple[str, str, str], int] = dict(counted or {})
    places = community_places(session)
    kinds = (
        ("activities", facts.ACTIVITIES),
        ("incidents", facts.INCIDENTS),
        ("assessments", facts.ASSESSMENTS),
    )
    for kind, fact in kinds[1:] if counted is not None else kinds:
        rows = source(fact, filters, statuses=QUALITY_STATUSES)
        query = select(rows.c.community_id, rows.c.status, total(rows.c.n)).group_by(
            rows.c.community_id, rows.c.status
        )
        for community, status, n in session.execute(query):
            key = (places[community][0], kind, str(getattr(status, "value", status)))
            counts[key] = counts.get(key, 0) + n
    return counts
