"""Reads for the entry pages: lists with filters and the home page's entries, in scope."""

from __future__ import annotations

from sqlalchemy import Select

from ..extensions import db
from ..kinds import KINDS, Kind
from ..models import RecordMixin, User
from ..services.scope import record_scope
from ..vocabulary import Status


def filtered_records(kind: Kind, user: User, filters: dict) -> Select:
    """The kind's records in the user's scope, filtered, newest first."""
    model = kind.model
    query = kind.rows().where(record_scope(model, user))
    if "date_from" in filters:
        query = query.where(model.date >= filters["date_from"])
    if "date_to" in filters:
        query = query.where(model.date <= filters["date_to"])
    if "community_id" in filters:
        query = query.where(model.community_id == filters["community_id"])
    if "status" in filters:
        query = query.where(model.status == filters["status"])
    return query.order_by(model.date.desc(), model.id.desc())


def _latest(user: User, limit: int, *conditions: object) -> list[tuple[Kind, RecordMixin]]:
    found: list[tuple[Kind, RecordMixin]] = []
    for kind in KINDS.values():
        model = kind.model
        query = (
            kind.rows()
            .where(record_scope(model, user), *(c(model) for c in conditions))
            .order_by(model.updated_at.desc(), model.id.desc())
            .limit(limit)
        )
        found.extend((kind, record) for record in db.session.scalars(query))
    found.sort(key=lambda pair: pair[1].updated_at, reverse=True)
    return found[:limit]


def recent_records(user: User, limit: int = 10, *, own: bool) -> list[tuple[Kind, RecordMixin]]:
    """The latest changed records of every kind: the user's own, or all those in scope."""
    if own:
        return _latest(user, limit, lambda m: m.author_id == user.id, lambda m: m.status != Status.RETURNED)
    return _latest(user, limit)


def returned_records(user: User, limit: int = 50) -> list[tuple[Kind, RecordMixin]]:
    """Records of the user's organisation returned for changes, latest first (the home page's top)."""
    return _latest(user, limit, lambda m: m.status == Status.RETURNED)
