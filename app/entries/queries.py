"""Reads for the entry pages: lists with filters and the home page's recent entries, in scope."""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Community, RecordMixin, User
from ..services.scope import records_in_scope
from .kinds import KINDS, Kind


def filtered_records(kind: Kind, user: User, filters: dict) -> Select:
    """The kind's records in the user's scope, filtered, newest first."""
    model = kind.model
    query = records_in_scope(model, user).options(
        joinedload(model.community).joinedload(Community.district), joinedload(model.organisation)
    )
    if "date_from" in filters:
        query = query.where(model.date >= filters["date_from"])
    if "date_to" in filters:
        query = query.where(model.date <= filters["date_to"])
    if "community_id" in filters:
        query = query.where(model.community_id == filters["community_id"])
    if "status" in filters:
        query = query.where(model.status == filters["status"])
    return query.order_by(model.date.desc(), model.id.desc())


def recent_records(user: User, limit: int = 10, *, own: bool) -> list[tuple[Kind, RecordMixin]]:
    """The latest changed records of every kind: the user's own, or all those in scope."""
    found: list[tuple[Kind, RecordMixin]] = []
    for kind in KINDS.values():
        model = kind.model
        query = records_in_scope(model, user).options(joinedload(model.community))
        if own:
            query = query.where(model.author_id == user.id)
        query = query.order_by(model.updated_at.desc(), model.id.desc()).limit(limit)
        found.extend((kind, record) for record in db.session.scalars(query))
    found.sort(key=lambda pair: pair[1].updated_at, reverse=True)
    return found[:limit]
