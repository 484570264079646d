"""Reads for the review queue: submitted records in the reviewer's scope, oldest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from ..kinds import KINDS, Kind
from ..models import Organisation, RecordMixin, User
from ..services.scope import record_scope
from ..vocabulary import Status


@dataclass
class QueuePage:
    """One page of the queue, with the counts per organisation of the whole queue."""

    items: list[tuple[Kind, RecordMixin]]
    total: int
    page: int
    pages: int
    per_organisation: list[tuple[str, str, int]]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _waiting(user: User, kind_slug: str | None, organisation_id: int | None):
    """``(kind, id, submitted_at, organisation_id)`` of every submitted record in scope."""
    parts = []
    for slug, kind in KINDS.items():
        if kind_slug and slug != kind_slug:
            continue
        model = kind.model
        query = select(
            literal(slug).label("kind"),
            model.id.label("id"),
            func.coalesce(model.submitted_at, model.updated_at).label("waiting_since"),
            model.organisation_id.label("organisation_id"),
        ).where(model.status == Status.SUBMITTED, record_scope(model, user))
        if organisation_id is not None:
            query = query.where(model.organisation_id == organisation_id)
        parts.append(query)
    return union_all(*parts).subquery()


def review_queue(
    session: Session,
    user: User,
    *,
    kind: str | None = None,
    organisation_id: int | None = None,
    page: int = 1,
    per_page: int = 25,
) -> QueuePage:
    """The page of submitted records the reviewer may act on, oldest first."""
    waiting = _waiting(user, kind, organisation_id)
    total = session.scalar(select(func.count()).select_from(waiting)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = session.execute(
        select(waiting.c.kind, waiting.c.id)
        .order_by(waiting.c.waiting_since, waiting.c.kind, waiting.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    loaded: dict[tuple[str, int], RecordMixin] = {}
    for slug in {slug for slug, _id in rows}:
        kind_ = KINDS[slug]
        ids = [record_id for s, record_id in rows if s == slug]
        for record in session.scalars(kind_.rows().where(kind_.model.id.in_(ids))):
            loaded[(slug, record.id)] = record
    items = [(KINDS[slug], loaded[(slug, record_id)]) for slug, record_id in rows]
    everything = _waiting(user, kind, None)
    per_organisation = [
        (code, name, n)
        for code, name, n in session.execute(
            select(Organisation.code, Organisation.local_name, func.count())
            .select_from(everything)
            .join(Organisation, Organisation.id == everything.c.organisation_id)
            .group_by(Organisation.id)
            .order_by(func.count().desc(), Organisation.code)
        )
    ]
    return QueuePage(items, total, page, pages, per_organisation)
