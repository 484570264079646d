"""Reads for the review queue: submitted records in the reviewer's scope, oldest first.

The queue is ordered by ``(waiting since, kind, id)``, where "waiting since" is when the record
was sent (``submitted_at``; ``updated_at`` for a record older than that column). A page is read
from a cursor (``app.keyset``): each kind's query walks its index ``ix_<table>_waiting``
(``status, coalesce(submitted_at, updated_at), id``) from the cursor and stops after
``per_page + 1`` rows; the three are merged here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, literal, select, union_all
from sqlalchemy.orm import Session

from .. import keyset
from ..kinds import KINDS, Kind
from ..models import Organisation, RecordMixin, User
from ..services.scope import record_scope
from ..vocabulary import Status

#: A cursor of the queue: waiting since (UTC), kind and UUID of the row a page continues from.
CURSOR = (keyset.parse_timestamp, lambda slug: KINDS[slug].slug, keyset.parse_uuid)


def waiting_since(model: type[RecordMixin]) -> ColumnElement:
    """When the record was sent for review, as the queue sorts it (and its index holds it)."""
    return func.coalesce(model.submitted_at, model.updated_at)


def _since(record: RecordMixin) -> datetime:
    return record.submitted_at or record.updated_at


@dataclass
class QueuePage:
    """One page of the queue, with the counts per organisation of the whole queue."""

    items: list[tuple[Kind, RecordMixin]]
    total: int
    before: str | None
    after: str | None
    per_organisation: list[tuple[str, str, int]]


def _waiting(user: User, kind_slug: str | None):
    """``(organisation_id)`` of every submitted record in scope, for the counts."""
    parts = []
    for slug, kind in KINDS.items():
        if kind_slug and slug != kind_slug:
            continue
        model = kind.model
        parts.append(
            select(literal(slug).label("kind"), model.organisation_id.label("organisation_id")).where(
                model.status == Status.SUBMITTED, record_scope(model, user)
            )
        )
    return union_all(*parts).subquery()


def _position(session: Session, user: User, position: keyset.Position | None) -> keyset.Position | None:
    """The cursor's UUID as the id of its row (which may have been reviewed since: it is looked
    up in scope whatever its status; a row gone, None, starts the page at its time: keyset.UNKNOWN)."""
    if position is None:
        return None
    since, slug, record_uuid = position.values
    model = KINDS[slug].model
    record_id = session.scalar(select(model.id).where(model.uuid == record_uuid, record_scope(model, user)))
    return position.resolved((since, slug, record_id))


def review_queue(
    session: Session,
    user: User,
    *,
    kind: str | None = None,
    organisation_id: int | None = None,
    position: keyset.Position | None = None,
    per_page: int = 25,
) -> QueuePage:
    """The page of submitted records the reviewer may act on, oldest first, from ``position``."""
    parts = []
    for slug, kind_ in KINDS.items():
        if kind and slug != kind:
            continue
        model = kind_.model
        query = kind_.rows().where(model.status == Status.SUBMITTED, record_scope(model, user))
        if organisation_id is not None:
            query = query.where(model.organisation_id == organisation_id)
        parts.append(keyset.Part(query, (waiting_since(model), slug, model.id)))
    page = keyset.fetch(
        session,
        parts,
        key=lambda record: (_since(record), _slug(record), record.id),
        cursor=lambda record: keyset.encode(_since(record), _slug(record), record.uuid),
        descending=False,
        position=_position(session, user, position),
        per_page=per_page,
    )
    everything = _waiting(user, kind)
    counted = session.execute(
        select(Organisation.id, Organisation.code, Organisation.local_name, func.count())
        .select_from(everything)
        .join(Organisation, Organisation.id == everything.c.organisation_id)
        .group_by(Organisation.id)
        .order_by(func.count().desc(), Organisation.code)
    ).all()
    total = sum(n for org_id, _code, _name, n in counted if organisation_id in (None, org_id))
    items = [(KINDS[_slug(record)], record) for record in page.items]
    return QueuePage(
        items, total, page.before, page.after, [(code, name, n) for _id, code, name, n in counted]
    )


_SLUGS = {kind.model: slug for slug, kind in KINDS.items()}


def _slug(record: RecordMixin) -> str:
    return _SLUGS[type(record)]
