"""The one way a record changes: pages, review, the command line and the JSON sync all call :func:`apply`.

:func:`apply` checks the action against :data:`TRANSITIONS` (which role may take which action
from which status), the actor's scope, the four-eyes rule, the community's district and closed
months; it applies the values, bumps the record's ``version`` once, and writes one audit event
with a field-level diff (coded and numeric fields with their values, free text only as
"changed"). It flushes and never commits: the caller commits once per request. How values
are applied, snapshotted and compared is :mod:`.record_values`.

The ``version`` column is SQLAlchemy's ``version_id_col``: the UPDATE says ``WHERE version = <the
version read>``, so when two coordinators act on one record at once the second matches no row and
gets :class:`~app.errors.Conflict`, whatever the database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Conflict, DomainError, NotAllowed
from ..kinds import Kind, kind_of
from ..models import (
    AuditEvent,
    Community,
    Organisation,
    RecordMixin,
    ReviewNote,
    User,
)
from ..models.base import utcnow
from ..translate import gettext as _
from ..vocabulary import Role, Status
from .audit import log_event
from .periods import closed_month_of
from .record_values import apply_values, by_id, diff, snapshot, text_fields, wanted
from .scope import organisations_in_scope, record_scope


class Action(StrEnum):
    """What can happen to a record; the value is the audit log's action name."""

    CREATE = "create"
    EDIT = "update"
    SUBMIT = "submit"
    DELETE = "delete"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    CORRECT = "correct"
    #: The data lifecycle: free text blanked after the retention period (the command line only).
    PURGE = "purge"


#: Marks a deleted record in the table (it has no status afterwards).
DELETED = None
_AUTHOR: dict[Action, dict[Status | None, Status | None]] = {
    Action.CREATE: {None: Status.DRAFT},
    Action.EDIT: {Status.DRAFT: Status.DRAFT, Status.RETURNED: Status.RETURNED},
    Action.SUBMIT: {Status.DRAFT: Status.SUBMITTED, Status.RETURNED: Status.SUBMITTED},
    Action.DELETE: {Status.DRAFT: DELETED},
}
_REVIEWER: dict[Action, dict[Status | None, Status | None]] = {
    # Paper forms: a coordinator records an entry on behalf of an organisation of their area,
    # then edits, sends or deletes it like its author (OWN_ENTRY_ACTIONS), never someone else's.
    **_AUTHOR,
    Action.APPROVE: {Status.SUBMITTED: Status.APPROVED},
    Action.RETURN: {Status.SUBMITTED: Status.RETURNED},
    Action.REOPEN: {Status.APPROVED: Status.RETURNED},
    Action.CORRECT: {Status.SUBMITTED: Status.SUBMITTED},
}
#: Role -> action -> {status before: status after}. Anything not here is refused.
TRANSITIONS: dict[Role, dict[Action, dict[Status | None, Status | None]]] = {
    Role.VOLUNTEER: _AUTHOR,
    Role.COORDINATOR: _REVIEWER,
    Role.ADMIN: _REVIEWER,
    Role.DONOR: {},
}
#: For roles without an organisation of their own: only on entries they entered themselves.
OWN_ENTRY_ACTIONS = frozenset({Action.EDIT, Action.SUBMIT, Action.DELETE})
#: Actions that need words from the actor (a comment or a reason), and the field they come in.
NOTE_FIELDS: dict[Action, str] = {Action.RETURN: "comment", Action.REOPEN: "reason", Action.CORRECT: "reason"}
#: Actions that change the record's content (values from a form).
CONTENT_ACTIONS = frozenset({Action.CREATE, Action.EDIT, Action.CORRECT})


class OutOfScope(DomainError):
    """The record is outside the actor's scope; web doors answer 404 so its existence is not confirmed."""

    http_status = 404

    def __init__(self) -> None:
        super().__init__(_("There is nothing at this address, or it is outside your area."), code="not_found")


class AlreadyStored(Conflict):
    """A new record arrived with the UUID of one already stored (a double tap, a resent form)."""

    def __init__(self, record: RecordMixin) -> None:
        super().__init__(_("This entry was already saved."), code="already_stored")
        self.record = record


@dataclass
class Change:
    """What a caller asks for: an action, and for content actions the validated values."""

    action: Action
    #: ``form.record_data()`` for create, edit and correct.
    values: dict | None = None
    #: Create or edit, then send for review in the same step.
    submit: bool = False
    #: The return comment or the reopen / correction reason.
    note: str | None = None
    #: The version the actor saw; a different current version is a conflict.
    base_version: int | None = None
    #: For create: the UUID the form or the tablet made.
    record_uuid: uuid.UUID | None = None
    #: Which door: ``web``, ``review``, ``cli``, ``api``.
    via: str = "web"


# -- The checks ------------------------------------------------------------------------------------


class RecordReads:
    """What :func:`check` reads from the database about one stored record, read at most once:
    :func:`allowed_actions` tries every action on the same record (it was a scope query and a
    closed-month query per action, sixteen statements a detail page), and the page shows the
    closed month it read."""

    def __init__(self, session: Session, actor: User, record: RecordMixin, *, in_scope: bool = False) -> None:
        """``in_scope``: the caller read the record through ``records_in_scope`` for this actor in
        this transaction, so the scope query would only repeat that one."""
        self.session, self.actor, self.record = session, actor, record
        if in_scope:
            self.__dict__["in_scope"] = True

    @cached_property
    def in_scope(self) -> bool:
        model, record = type(self.record), self.record
        query = select(model.id).where(model.id == record.id, record_scope(model, self.actor))
        return self.session.scalar(query) is not None

    @cached_property
    def closed_month(self) -> str | None:
        return closed_month_of(self.session, self.record.community_id, self.record.date)


def _steps(change: Change) -> list[Action]:
    """The table lookups a change needs: create or edit then submit, when asked to send."""
    if change.submit and change.action in (Action.CREATE, Action.EDIT):
        return [change.action, Action.SUBMIT]
    return [change.action]


def _target_status(actor: User, record: RecordMixin | None, change: Change) -> Status | None:
    """The status after the change, or :class:`NotAllowed` when the table has no such move."""
    status = record.status if record is not None else None
    table = TRANSITIONS.get(actor.role, {})
    for step in _steps(change):
        moves = table.get(step, {})
        if status not in moves:
            raise NotAllowed(_not_allowed_message(step, status), code=f"{step.value}_not_allowed")
        status = moves[status]
    return status


def _not_allowed_message(action: Action, status: Status | None) -> str:
    if action == Action.APPROVE and status is not None and status != Status.SUBMITTED:
        return _("Only an entry sent for review can be approved.")
    if action == Action.RETURN and status is not None and status != Status.SUBMITTED:
        return _("Only an entry sent for review can be returned.")
    if action == Action.REOPEN and status is not None and status != Status.APPROVED:
        return _("Only an approved entry can be reopened.")
    if action in (Action.EDIT, Action.SUBMIT) and status in (Status.SUBMITTED, Status.APPROVED):
        return _("This entry is under review and can no longer be changed.")
    if action == Action.DELETE:
        return _("Only the author can delete an entry, and only while it is a draft.")
    return _("Your account cannot do this with this entry.")


def check(
    session: Session,
    actor: User,
    record: RecordMixin | None,
    change: Change,
    reads: RecordReads | None = None,
) -> Status | None:
    """Every rule but the values: role and status, scope, organisation, four eyes, closed months.

    Returns the status the record will have; raises a :class:`DomainError` subclass. ``reads``
    keeps what was read of the record for the next check of the same record and actor.
    """
    if not actor.is_authenticated or not actor.is_active:
        raise NotAllowed(_("Your account cannot do this with this entry."))
    if record is not None:
        reads = reads or RecordReads(session, actor, record)
    if record is not None and not reads.in_scope:
        raise OutOfScope()
    target = _target_status(actor, record, change)
    if actor.role == Role.VOLUNTEER:
        if actor.organisation_id is None or (
            record is not None and record.organisation_id != actor.organisation_id
        ):
            raise NotAllowed(_("Only members of the entry's organisation can change it."))
        if change.action == Action.DELETE and record is not None and record.author_id != actor.id:
            raise NotAllowed(_("Only the author can delete an entry, and only while it is a draft."))
    elif change.action in OWN_ENTRY_ACTIONS and record is not None and record.author_id != actor.id:
        raise NotAllowed(_("Your account cannot do this with this entry."))
    if change.action == Action.APPROVE and record is not None and record.author_id == actor.id:
        raise NotAllowed(_("You entered this yourself: another coordinator approves it."), code="four_eyes")
    if change.base_version is not None and record is not None and change.base_version != record.version:
        raise stale()
    if record is not None and change.action != Action.DELETE:
        _refuse_closed(reads.closed_month)
    return target


def stale() -> Conflict:
    """The refusal of a change made on an older version than the record's."""
    return Conflict(
        _("Someone changed this entry while you were looking at it. Open it again to see the changes."),
        code="stale",
    )


def _check_open_month(session: Session, community_id: int, day: date) -> None:
    _refuse_closed(closed_month_of(session, community_id, day))


def _refuse_closed(closed: str | None) -> None:
    if closed is not None:
        raise Conflict(
            _(
                "%(month)s is closed for reporting in this area: its entries can no longer change. "
                "An administrator can reopen it.",
                month=closed,
            ),
            field="date",
            code="period_closed",
        )


def _check_values(session: Session, organisation_id: int, values: dict) -> None:
    """The rules on content the services own: the community's district, closed months.

    The organisation and the community are read by primary key (a volunteer's organisation is
    already in the session, loaded with the user), and stay there for the audit diff's codes.
    """
    organisation = by_id(session, Organisation, organisation_id)
    community = by_id(session, Community, values["community_id"])
    if community is None or organisation is None or community.district_id != organisation.district_id:
        raise DomainError(
            _("Choose a community in your area."), field="community", code="community_outside_district"
        )
    _check_open_month(session, values["community_id"], values["date"])


def _check_note(change: Change) -> str | None:
    field = NOTE_FIELDS.get(change.action)
    if field is None:
        return None
    note = (change.note or "").strip()
    if not note:
        if change.action == Action.RETURN:
            message = _("Say what needs to change: the comment goes to the volunteer.")
        else:
            message = _("Give the reason: it is kept in the entry's history.")
        raise DomainError(message, field=field, code="note_required")
    return note


def allowed_actions(
    session: Session, actor: User, record: RecordMixin, reads: RecordReads | None = None
) -> list[Action]:
    """The actions the actor may take on the record now (what the detail page offers)."""
    allowed = []
    reads = reads or RecordReads(session, actor, record)
    for action in Action:
        if action == Action.CREATE:
            continue
        try:
            check(session, actor, record, Change(action), reads)
        except DomainError:
            continue
        allowed.append(action)
    return allowed


# -- Applying a change -----------------------------------------------------------------------------


def create(
    session: Session, actor: User, kind: Kind, change: Change, *, looked_up: bool = False
) -> RecordMixin:
    """A new record of ``kind`` for the actor's organisation, as a draft or sent for review.

    ``looked_up``: the caller has just looked for the UUID in this transaction and found nothing
    (the unique UUID still refuses a copy stored in between, as :class:`IntegrityError`).
    """
    if change.record_uuid is not None and not looked_up:
        existing = session.scalar(select(kind.model).where(kind.model.uuid == change.record_uuid))
        if existing is not None:
            raise AlreadyStored(existing)
    target = check(session, actor, None, change)
    values = dict(change.values or {})
    organisation_id = _organisation_for(session, actor, values.pop("organisation_id", None))
    _check_values(session, organisation_id, values)
    record = kind.model(organisation_id=organisation_id, author_id=actor.id, status=target, version=1)
    record.uuid = change.record_uuid or uuid.uuid4()  # the audit event names it before the flush
    session.add(record)
    apply_values(session, record, values)
    if target == Status.SUBMITTED:
        record.submitted_at = utcnow()
    after = snapshot(session, record, ["organisation_id", *values])
    _audit(session, actor, kind, record, change, None, diff(kind.model, {}, after))
    session.flush()  # the record and its event in one flush; a UUID stored meanwhile fails here
    return record


def _organisation_for(session: Session, actor: User, chosen: int | None) -> int:
    """A volunteer's own organisation; for a paper form, the active organisation of the area chosen."""
    if actor.role == Role.VOLUNTEER:
        return actor.organisation_id
    if chosen is None:
        raise DomainError(
            _("Choose the organisation the entry belongs to."),
            field="organisation",
            code="organisation_required",
        )
    if session.scalar(organisations_in_scope(actor).where(Organisation.id == chosen)) is None:
        raise DomainError(
            _("Choose an organisation of your area."), field="organisation", code="organisation_out_of_scope"
        )
    return chosen


def apply(session: Session, actor: User, record: RecordMixin, change: Change) -> RecordMixin | None:
    """Change an existing record (edit, submit, review, correct, delete); None once deleted."""
    kind = kind_of(record)
    before_status = record.status
    target = check(session, actor, record, change)
    note = _check_note(change)
    changes: dict = {}
    if change.action in CONTENT_ACTIONS:
        values = change.values or {}
        _check_values(session, record.organisation_id, values)
        before = snapshot(session, record, list(values))
        apply_values(session, record, values)
        changes = diff(kind.model, before, wanted(session, values))
    if change.action == Action.DELETE:
        _audit(session, actor, kind, record, change, before_status, {}, deleted=True)
        session.delete(record)
        _flush(session)
        return None
    record.status = target
    record.version = record.version + 1
    _review_stamps(record, actor, change.action, before_status, note)
    _flush(session)
    _audit(session, actor, kind, record, change, before_status, changes, note=note)
    return record


def _review_stamps(
    record: RecordMixin, actor: User, action: Action, before: Status | None, note: str | None
) -> None:
    """When it was sent and reviewed, by whom, and the comment the volunteer reads."""
    now = utcnow()
    if record.status == Status.SUBMITTED and before != Status.SUBMITTED:
        record.submitted_at = now
        record.review_comment = None
    if action in (Action.APPROVE, Action.RETURN, Action.REOPEN):
        record.reviewed_at = now
        record.reviewed_by_id = actor.id
        record.review_comment = note


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise stale() from None


def _audit(
    session: Session,
    actor: User,
    kind: Kind,
    record: RecordMixin,
    change: Change,
    before_status: Status | None,
    changes: dict,
    *,
    note: str | None = None,
    deleted: bool = False,
) -> None:
    """One audit event per change; a submit in the same step names the event ``submit``."""
    action = change.action
    if change.submit and action == Action.EDIT:
        action = Action.SUBMIT
    details: dict = {"version": record.version, "via": change.via}
    after_status = None if deleted else record.status
    if before_status != after_status:
        details["status"] = [
            before_status.value if before_status else None,
            after_status.value if after_status else None,
        ]
    if changes:
        details["changes"] = changes
    event = log_event(session, action.value, kind.object_type, user=actor, object_uuid=record.uuid, **details)
    if note:
        session.flush()
        session.add(ReviewNote(audit_event_id=event.id, text=note))


def purge_text(session: Session, record: RecordMixin, *, via: str = "cli") -> list[str]:
    """Blank the record's free text and the words of its review notes, keeping counts and codes.

    The retention purge of the data lifecycle, run by the server's operator (no user): the version
    is bumped and the change audited like any other. Returns the fields that held text.
    """
    kind = kind_of(record)
    blanked = [name for name in text_fields(kind.model) if getattr(record, name)]
    if not blanked:
        return []
    for name in blanked:
        column = kind.model.__table__.columns[name]
        setattr(record, name, None if column.nullable else "")
    record.version = record.version + 1
    _flush(session)
    note_ids = select(AuditEvent.id).where(AuditEvent.object_uuid == record.uuid)
    session.execute(delete(ReviewNote).where(ReviewNote.audit_event_id.in_(note_ids)))
    log_event(
        session,
        Action.PURGE.value,
        kind.object_type,
        object_uuid=record.uuid,
        version=record.version,
        via=via,
        changes=dict.fromkeys(blanked, "changed"),
    )
    return blanked
