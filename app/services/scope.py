"""Least privilege by scope, in one place: which communities and records a user may see.

A volunteer: their organisation's records, and the communities of its district.
A coordinator: records and communities of the region (or country) assigned.
A donor: no single record at all (aggregates only, through ``reports``).
An administrator: everything.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from ..collation import in_order
from ..models import Community, District, Organisation, RecordMixin, Region, User
from ..vocabulary import Role


def community_ids_in_scope(user: User) -> Select:
    """``SELECT communities.id`` of the communities the user may log in or read."""
    query = select(Community.id).join(District, Community.district_id == District.id)
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.VOLUNTEER and user.organisation_id is not None:
        return query.where(
            District.id
            == select(Organisation.district_id)
            .where(Organisation.id == user.organisation_id)
            .scalar_subquery()
        )
    if user.role == Role.COORDINATOR:
        if user.scope_region_id is not None:
            return query.where(District.region_id == user.scope_region_id)
        if user.scope_country_id is not None:
            return query.join(Region, District.region_id == Region.id).where(
                Region.country_id == user.scope_country_id
            )
    return query.where(false())


def region_ids_in_scope(user: User) -> Select:
    """``SELECT regions.id`` the user may filter reports by."""
    query = select(Region.id)
    if user.role in (Role.ADMIN, Role.DONOR):
        return query
    if user.role == Role.COORDINATOR:
        if user.scope_region_id is not None:
            return query.where(Region.id == user.scope_region_id)
        if user.scope_country_id is not None:
            return query.where(Region.country_id == user.scope_country_id)
    return query.where(false())


def record_scope(model: type[RecordMixin], user: User) -> ColumnElement[bool]:
    """A WHERE clause that keeps only the records of ``model`` the user may read and edit."""
    if not user.is_authenticated or not user.is_active:
        return false()
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.VOLUNTEER:
        if user.organisation_id is None:
            return false()
        return model.organisation_id == user.organisation_id
    if user.role == Role.COORDINATOR:
        return model.community_id.in_(community_ids_in_scope(user))
    return false()


def records_in_scope(model: type[RecordMixin], user: User) -> Select:
    """``SELECT model`` limited to the user's scope."""
    return select(model).where(record_scope(model, user))


def get_record_in_scope(
    session: Session, model: type[RecordMixin], record_uuid: uuid.UUID, user: User, *options: ORMOption
) -> RecordMixin | None:
    """The record with that UUID if the user may see it, else None (the view answers 404);
    ``options`` load what the page shows with it."""
    query = records_in_scope(model, user).where(model.uuid == record_uuid)
    return session.scalar(query.options(*options))


def communities_in_scope(session: Session, user: User) -> list[Community]:
    """Communities for a picker, by district then name in the reader's alphabet, districts loaded."""
    communities = session.scalars(
        select(Community)
        .join(Community.district)
        .where(Community.id.in_(community_ids_in_scope(user)))
        .options(joinedload(Community.district))
    )
    return in_order(communities, lambda c: c.district.local_name, lambda c: c.local_name)


def organisations_in_scope(user: User) -> Select:
    """``SELECT Organisation.id`` of the active organisations whose district lies in the user's scope
    (a coordinator recording a paper form chooses one of these)."""
    districts = select(Community.district_id).where(Community.id.in_(community_ids_in_scope(user)))
    return select(Organisation.id).where(
        Organisation.active.is_(True), Organisation.district_id.in_(districts)
    )


def organisations_for_paper_forms(session: Session, user: User) -> list[Organisation]:
    """The organisations a coordinator may record a paper form for, by name."""
    organisations = session.scalars(
        select(Organisation).where(Organisation.id.in_(organisations_in_scope(user)))
    )
    return in_order(organisations, lambda o: o.local_name)
