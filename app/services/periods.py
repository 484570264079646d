"""Closed months: a coordinator closes a month for their area, so a donor report of it never changes.

Records dated in a closed month of their area cannot be created, edited, submitted, approved,
returned or reopened (the lifecycle asks :func:`closed_month_of`). Closing refuses while records of
that month and area still wait for review. Only an administrator reopens a month, with a reason.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from ..collation import in_order
from ..errors import Conflict, DomainError, NotAllowed
from ..models import ClosedPeriod, Community, Country, District, Region, ReviewNote, User
from ..translate import gettext as _
from ..translate import ngettext
from ..vocabulary import Role, Status
from .audit import log_event


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_label(month: date) -> str:
    """``November 2026`` in the user's language (the stand-alone month name, capitalised)."""
    label = format_date(month, "LLLL y")
    return label[:1].upper() + label[1:]


def closed_month_of(session: Session, community_id: int, day: date) -> str | None:
    """The month's name when ``day`` falls in a month closed for the community's area, else None.

    One statement: the closings of the month for the community's country, as a whole or for its
    region (a community with no area has none).
    """
    month = month_start(day)
    closed = session.scalar(
        select(ClosedPeriod.id)
        .join(
            Region,
            (Region.country_id == ClosedPeriod.country_id)
            & or_(ClosedPeriod.region_id.is_(None), ClosedPeriod.region_id == Region.id),
        )
        .join(District, District.region_id == Region.id)
        .join(Community, Community.district_id == District.id)
        .where(Community.id == community_id, ClosedPeriod.month == month)
        .limit(1)
    )
    return month_label(month) if closed is not None else None


def areas_for(session: Session, user: User) -> list[tuple[Country, Region | None]]:
    """The areas a user may close: a coordinator's own (a country and its regions), any for an admin."""
    if user.role == Role.ADMIN:
        countries = in_order(session.scalars(select(Country)), lambda c: c.local_name)
    elif user.role == Role.COORDINATOR and user.scope_region is not None:
        return [(user.scope_region.country, user.scope_region)]
    elif user.role == Role.COORDINATOR and user.scope_country is not None:
        countries = [user.scope_country]
    else:
        return []
    areas: list[tuple[Country, Region | None]] = []
    for country in countries:
        if not country.regions:
            continue
        areas.append((country, None))
        areas.extend((country, region) for region in country.regions)
    return areas


def _area_label(country: Country, region: Region | None) -> str:
    return region.name if region is not None else _(country.name)


def waiting_for_review(session: Session, month: date, country_id: int, region_id: int | None) -> int:
    """How many records of that month and area are sent for review and not yet reviewed."""
    from ..kinds import KINDS  # the registry imports the forms, which import services

    start = month_start(month)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    total = 0
    for kind in KINDS.values():
        model = kind.model
        query = (
            select(func.count())
            .select_from(model)
            .join(Community, Community.id == model.community_id)
            .join(District, District.id == Community.district_id)
            .join(Region, Region.id == District.region_id)
            .where(
                model.status == Status.SUBMITTED,
                model.date >= start,
                model.date < end,
                Region.country_id == country_id,
            )
        )
        if region_id is not None:
            query = query.where(Region.id == region_id)
        total += session.scalar(query)
    return total


def closed_periods(session: Session, user: User) -> list[ClosedPeriod]:
    """Closed months the user's area touches, newest first."""
    query = select(ClosedPeriod).options(joinedload(ClosedPeriod.region), joinedload(ClosedPeriod.country))
    if user.role == Role.COORDINATOR and user.scope_region_id is not None:
        query = query.where(
            ClosedPeriod.country_id == user.scope_region.country_id,
            or_(ClosedPeriod.region_id.is_(None), ClosedPeriod.region_id == user.scope_region_id),
        )
    elif user.role == Role.COORDINATOR:
        query = query.where(ClosedPeriod.country_id == user.scope_country_id)
    elif user.role != Role.ADMIN:
        return []
    return list(session.scalars(query.order_by(ClosedPeriod.month.desc(), ClosedPeriod.id)))


def close_month(
    session: Session, actor: User, month: date, country: Country, region: Region | None
) -> ClosedPeriod:
    """Close ``month`` for the area; refused while records there still wait for review."""
    allowed = {(c.id, r.id if r else None) for c, r in areas_for(session, actor)}
    if (country.id, region.id if region else None) not in allowed:
        raise NotAllowed(_("This is outside the area you are assigned."), field="area")
    month = month_start(month)
    if month > month_start(date.today()):
        raise DomainError(_("A month can be closed once it has begun."), field="month", code="future_month")
    if closed_period_covering(session, month, country.id, region.id if region else None) is not None:
        raise Conflict(
            _(
                "%(month)s is already closed for %(area)s.",
                month=month_label(month),
                area=_area_label(country, region),
            ),
            field="month",
            code="already_closed",
        )
    waiting = waiting_for_review(session, month, country.id, region.id if region else None)
    if waiting:
        raise Conflict(
            ngettext(
                "%(num)d entry of %(month)s in %(area)s still waits for review: approve or return it first.",
                "%(num)d entries of %(month)s in %(area)s still wait for review: "
                "approve or return them first.",
                waiting,
                month=month_label(month),
                area=_area_label(country, region),
            ),
            field="month",
            code="waiting_for_review",
        )
    period = ClosedPeriod(
        month=month, country_id=country.id, region_id=region.id if region else None, closed_by_id=actor.id
    )
    session.add(period)
    session.flush()
    log_event(
        session,
        "close",
        "period",
        user=actor,
        object_uuid=period.uuid,
        month=month.isoformat()[:7],
        country=country.code,
        region=region.code if region else None,
    )
    return period


def closed_period_covering(
    session: Session, month: date, country_id: int, region_id: int | None
) -> ClosedPeriod | None:
    """A closed row for that month that covers the area (the country's, or the region's own)."""
    conditions = [ClosedPeriod.month == month_start(month), ClosedPeriod.country_id == country_id]
    if region_id is None:
        conditions.append(ClosedPeriod.region_id.is_(None))
    else:
        conditions.append(or_(ClosedPeriod.region_id.is_(None), ClosedPeriod.region_id == region_id))
    return session.scalar(select(ClosedPeriod).where(*conditions))


def period_closed(
    session: Session, date_from: date, date_to: date, community_ids: frozenset[int] | None
) -> bool:
    """Whether every month from ``date_from`` to ``date_to`` is closed in every region a report
    over these communities (None: all) covers; then its figures can no longer change."""
    areas = select(District.region_id, Region.country_id).join(Region, Region.id == District.region_id)
    areas = areas.join(Community, Community.district_id == District.id).distinct()
    if community_ids is not None:
        areas = areas.where(Community.id.in_(sorted(community_ids)))
    wanted = {(region_id, country_id) for region_id, country_id in session.execute(areas)}
    if not wanted:
        return False
    months, current = [], month_start(date_from)
    while current <= date_to:
        months.append(current)
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    closed = session.execute(
        select(ClosedPeriod.month, ClosedPeriod.country_id, ClosedPeriod.region_id).where(
            ClosedPeriod.month >= months[0], ClosedPeriod.month <= months[-1]
        )
    ).all()
    whole_countries = {(month, country) for month, country, region in closed if region is None}
    regions = {(month, region) for month, _country, region in closed if region is not None}
    return all(
        (month, country_id) in whole_countries or (month, region_id) in regions
        for month in months
        for region_id, country_id in wanted
    )


def reopen_month(session: Session, actor: User, period: ClosedPeriod, reason: str | None) -> None:
    """An administrator reopens a closed month; the reason is kept beside the audit event."""
    if actor.role != Role.ADMIN:
        raise NotAllowed(_("Only an administrator can reopen a closed month."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason: it is kept in the audit log."), field="reason", code="note_required"
        )
    event = log_event(
        session,
        "reopen",
        "period",
        user=actor,
        object_uuid=period.uuid,
        month=period.month.isoformat()[:7],
        country=period.country.code,
        region=period.region.code if period.region else None,
    )
    session.delete(period)
    session.flush()
    session.add(ReviewNote(audit_event_id=event.id, text=reason))
    session.flush()
