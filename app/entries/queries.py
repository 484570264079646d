"""Reads for the entry pages: lists with filters and the home page's entries, in scope."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select

from .. import keyset
from ..extensions import db
from ..kinds import KINDS, Kind
from ..models import RecordMixin, User
from ..services.scope import record_scope
from ..vocabulary import Status

#: How far the entries list counts: "N entries" up to this, "More than N entries" beyond.
COUNT_CAP = 1000
#: A cursor of the entries list: the date and the UUID of the row a page continues from.
CURSOR = (keyset.parse_date, keyset.parse_uuid)


def _conditions(kind: Kind, user: User, filters: dict) -> list[ColumnElement[bool]]:
    model = kind.model
    conditions = [record_scope(model, user)]
    if "date_from" in filters:
        conditions.append(model.date >= filters["date_from"])
    if "date_to" in filters:
        conditions.append(model.date <= filters["date_to"])
    if "community_id" in filters:
        conditions.append(model.community_id == filters["community_id"])
    if "status" in filters:
        conditions.append(model.status == filters["status"])
    return conditions


def filtered_records(kind: Kind, user: User, filters: dict) -> Select:
    """The kind's records in the user's scope, filtered, newest first (``date DESC, id DESC``:
    the indexes ``ix_<table>_date_id`` and ``ix_<table>_<filter>_date_id`` walk it in order)."""
    model = kind.model
    return kind.rows().where(*_conditions(kind, user, filters)).order_by(model.date.desc(), model.id.desc())


def record_page(
    kind: Kind, user: User, filters: dict, position: keyset.Position | None, per_page: int
) -> keyset.Page[RecordMixin]:
    """One page of ``filtered_records`` from a cursor ``(date, uuid)`` (see ``app.keyset``)."""
    model = kind.model
    if position is not None:
        record_date, record_uuid = position.values
        # None (keyset.UNKNOWN) if the row is gone or out of scope: the page starts at its date.
        record_id = db.session.scalar(
            select(model.id).where(model.uuid == record_uuid, record_scope(model, user))
        )
        position = position.resolved((record_date, record_id))
    return keyset.fetch(
        db.session,
        [keyset.Part(filtered_records(kind, user, filters), (model.date, model.id))],
        key=lambda record: (record.date, record.id),
        cursor=lambda record: keyset.encode(record.date, record.uuid),
        descending=True,
        position=position,
        per_page=per_page,
    )


def count_records(kind: Kind, user: User, filters: dict, cap: int = COUNT_CAP) -> int:
    """How many records the list holds, counted up to ``cap + 1`` (a result above ``cap`` reads
    "more than cap").

    A full ``COUNT(*)`` over a coordinator's region reads every record of it on every page load,
    100 ms and more at a million records; the list needs the number only to say how long it is,
    and past a thousand entries the exact figure helps no one (the dashboard has the totals). The
    capped count reads at most ``cap + 1`` index entries, about a millisecond.
    """
    model = kind.model
    capped = select(model.id).where(*_conditions(kind, user, filters)).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped)) or 0


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
