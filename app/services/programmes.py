"""Which programmes of the results framework a user may see (issue 13).

An administrator: all. A coordinator: those whose area (countries or regions) overlaps the area
assigned. A donor: the programmes they are linked to, or all when linked to none. A volunteer:
none (the pages answer 403 before asking).
"""

from __future__ import annotations

from sqlalchemy import Select, exists, false, or_, select
from sqlalchemy.orm import Session, selectinload

from ..collation import in_order
from ..models import Programme, Region, User, programme_countries, programme_donors, programme_regions
from ..vocabulary import Role
from .scope import region_ids_in_scope


def programmes_in_scope(user: User) -> Select:
    """``SELECT Programme`` of the programmes the user may see."""
    query = select(Programme)
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.DONOR:
        linked = select(programme_donors.c.programme_id).where(programme_donors.c.user_id == user.id)
        return query.where(or_(~exists(linked), Programme.id.in_(linked)))
    if user.role == Role.COORDINATOR:
        regions = region_ids_in_scope(user)
        countries = select(Region.country_id).where(Region.id.in_(regions))
        return query.where(
            or_(
                exists().where(
                    programme_regions.c.programme_id == Programme.id,
                    programme_regions.c.region_id.in_(regions),
                ),
                exists().where(
                    programme_countries.c.programme_id == Programme.id,
                    programme_countries.c.country_id.in_(countries),
                ),
            )
        )
    return query.where(false())


def visible_programmes(session: Session, user: User) -> list[Programme]:
    """The user's programmes, by name in the reader's alphabet, with their area and indicators."""
    found = session.scalars(
        programmes_in_scope(user).options(
            selectinload(Programme.countries),
            selectinload(Programme.regions),
            selectinload(Programme.indicators),
        )
    )
    return in_order(found, lambda programme: programme.local_name)


def visible_programme(session: Session, user: User, code: str) -> Programme | None:
    """The programme with that code if the user may see it, else None (the view answers 404)."""
    return session.scalar(programmes_in_scope(user).where(Programme.code == code))
