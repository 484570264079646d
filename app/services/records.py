"""Writes to records: create, update, submit and delete from validated form data.

Every function takes plain values (``form.record_data()``), checks the domain rules again, writes
one audit event, flushes and never commits: the caller commits once per submission.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import (
    RECORD_MODELS,
    Community,
    Driver,
    DriverAssessment,
    DriverRating,
    Recommendation,
    RecordMixin,
    TargetGroup,
    User,
)
from ..vocabulary import Status, Trend
from .audit import log_event
from .scope import community_ids_in_scope

#: The audit log's name for each record kind.
OBJECT_TYPES = {"activities": "activity", "incidents": "incident", "assessments": "assessment"}
#: Code lists: record attribute -> taxonomy model.
_CODE_LISTS = {"target_groups": TargetGroup, "drivers": Driver, "recommendations": Recommendation}
#: Statuses in which a record may still be changed by its organisation.
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


def kind_of(record: RecordMixin) -> str:
    """The URL segment of a record's kind (``activities``, ``incidents``, ``assessments``)."""
    for kind, model in RECORD_MODELS.items():
        if isinstance(record, model):
            return kind
    raise TypeError(f"not a record: {record!r}")


def is_editable(record: RecordMixin) -> bool:
    """Only drafts and records returned for changes can be edited."""
    return record.status in EDITABLE_STATUSES


def can_delete(record: RecordMixin, user: User) -> bool:
    """Only a draft, and only by its author."""
    return record.status == Status.DRAFT and record.author_id == user.id


def can_create(user: User) -> bool:
    """Records belong to an organisation: only users with one can log them."""
    return user.organisation_id is not None


def _check_community(session: Session, user: User, community_id: int) -> None:
    allowed = session.scalar(
        select(Community.id).where(
            Community.id == community_id, Community.id.in_(community_ids_in_scope(user))
        )
    )
    if allowed is None:
        raise DomainError(_("Choose a community in your area."))


def _snapshot(record: RecordMixin, keys: list[str]) -> dict:
    """Current values of ``keys`` in comparable form (codes for lists)."""
    values: dict = {}
    for key in keys:
        if key in _CODE_LISTS:
            values[key] = sorted(row.code for row in getattr(record, key))
        elif key == "ratings":
            values[key] = {r.driver_code: (r.rating, str(r.trend)) for r in record.ratings}
        else:
            value = getattr(record, key)
            values[key] = str(value) if hasattr(value, "value") else value
    return values


def _normalised(data: dict) -> dict:
    values = {}
    for key, value in data.items():
        if key in _CODE_LISTS:
            values[key] = sorted(value)
        elif key == "ratings":
            values[key] = {code: (rating, str(trend)) for code, (rating, trend) in value.items()}
        else:
            values[key] = value
    return values


def _apply(session: Session, record: RecordMixin, data: dict) -> None:
    """Copy validated values onto the record; codes become taxonomy rows."""
    for key, value in data.items():
        if key in _CODE_LISTS:
            model = _CODE_LISTS[key]
            rows = list(session.scalars(select(model).where(model.code.in_(value))))
            if len(rows) != len(set(value)):
                raise DomainError(_("Choose only from the options shown."))
            setattr(record, key, rows)
        elif key == "ratings":
            _apply_ratings(record, value)
        else:
            setattr(record, key, value)


def _apply_ratings(record: DriverAssessment, ratings: dict[str, tuple[int, str]]) -> None:
    existing = {r.driver_code: r for r in record.ratings}
    for code, (rating, trend) in ratings.items():
        row = existing.get(code)
        if row is None:
            record.ratings.append(DriverRating(driver_code=code, rating=rating, trend=Trend(trend)))
        else:
            row.rating = rating
            row.trend = Trend(trend)
    for code, row in existing.items():
        if code not in ratings:
            record.ratings.remove(row)


def create_record(session: Session, kind: str, user: User, data: dict, *, submit: bool) -> RecordMixin:
    """A new record of ``kind`` for the user's organisation, as a draft or submitted."""
    if not can_create(user):
        raise DomainError(_("Only members of an organisation can add entries."))
    _check_community(session, user, data["community_id"])
    record = RECORD_MODELS[kind](
        organisation_id=user.organisation_id,
        author_id=user.id,
        status=Status.SUBMITTED if submit else Status.DRAFT,
    )
    session.add(record)
    _apply(session, record, data)
    session.flush()
    log_event(
        session,
        "create",
        OBJECT_TYPES[kind],
        user=user,
        object_uuid=record.uuid,
        status=str(record.status),
        fields=len(data),
    )
    if submit:
        log_event(session, "submit", OBJECT_TYPES[kind], user=user, object_uuid=record.uuid)
    return record


def update_record(
    session: Session, record: RecordMixin, user: User, data: dict, *, submit: bool
) -> RecordMixin:
    """Change a draft or returned record; ``submit`` sends it for review."""
    if not is_editable(record):
        raise DomainError(_("This entry is under review and can no longer be changed."))
    if data["community_id"] != record.community_id:
        _check_community(session, user, data["community_id"])
    before = _snapshot(record, list(data))
    _apply(session, record, data)
    after = _normalised(data)
    changed = sorted(key for key in data if before.get(key) != after.get(key))
    if submit:
        record.status = Status.SUBMITTED
    session.flush()
    kind = kind_of(record)
    log_event(
        session,
        "update",
        OBJECT_TYPES[kind],
        user=user,
        object_uuid=record.uuid,
        changed=changed,
        status=str(record.status),
    )
    if submit:
        log_event(session, "submit", OBJECT_TYPES[kind], user=user, object_uuid=record.uuid)
    return record


def submit_record(session: Session, record: RecordMixin, user: User) -> RecordMixin:
    """Send a draft or returned record for review as it stands."""
    if not is_editable(record):
        raise DomainError(_("This entry is under review and can no longer be changed."))
    record.status = Status.SUBMITTED
    session.flush()
    log_event(session, "submit", OBJECT_TYPES[kind_of(record)], user=user, object_uuid=record.uuid)
    return record


def delete_record(session: Session, record: RecordMixin, user: User) -> None:
    """Delete a draft; only its author may."""
    if not can_delete(record, user):
        raise DomainError(_("Only the author can delete an entry, and only while it is a draft."))
    kind = kind_of(record)
    log_event(session, "delete", OBJECT_TYPES[kind], user=user, object_uuid=record.uuid)
    session.delete(record)
    session.flush()
