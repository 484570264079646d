"""Records as JSON: a body is read through the same WTForms classes as the pages, and written
through the same record lifecycle, so the API has no rules of its own.

A body's keys are the HTML form's field names (``community``, ``target_groups``, ``f_u18``,
``rating_D01-rating``, ...), plus ``status`` (``draft`` or ``submitted``) and, to change a stored
record, ``base_version``. :func:`put_record` answers what the route sends back, as an
:class:`Answer`; the admin's import of a tablet's saved outbox calls it too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import Field, FormField

from forms.base import MultiCheckboxField
from forms.entries import RecordForm

from ..errors import Conflict, DomainError, NotAllowed
from ..kinds import Kind
from ..models import RecordMixin, User
from ..services import lifecycle
from ..services.lifecycle import Action, AlreadyStored, Change, OutOfScope
from ..services.record_values import unchanged
from ..services.scope import get_record_in_scope
from ..translate import gettext as _
from ..vocabulary import Status

#: Form fields that are not data: the token, the buttons and the page's own bookkeeping.
NOT_DATA = frozenset({"csrf_token", "save_draft", "submit", "record_uuid", "version"})
#: Keys of a GET answer that a PUT may carry back unchanged; they are read-only and ignored.
READ_ONLY = frozenset({"uuid", "version", "url"})
#: The statuses a body may ask for.
BODY_STATUSES = {"draft": Status.DRAFT, "submitted": Status.SUBMITTED}
#: Where the messages of the form as a whole go in ``errors``.
FORM_ERRORS = "_form"


@dataclass
class Answer:
    """An HTTP status and the JSON body the API sends."""

    status: int
    body: dict = field(default_factory=dict)


def _paper_forms(user: User) -> bool:
    """A user without an organisation of their own names one (a coordinator's paper form)."""
    return user.organisation_id is None


def build_form(kind: Kind, user: User, formdata: MultiDict | None = None) -> RecordForm:
    """The kind's page form for the user, without its CSRF field (the API checks the header)."""
    return kind.form(
        formdata=formdata, user=user, choose_organisation=_paper_forms(user), meta={"csrf": False}
    )


def data_fields(form: RecordForm) -> dict[str, Field]:
    """``{body key: field}``: every data field of the form, sub-forms flattened to their names."""
    fields: dict[str, Field] = {}
    for name, bound in form._fields.items():
        if name in NOT_DATA:
            continue
        if isinstance(bound, FormField):
            for sub in bound.form:
                fields[sub.name] = sub
        else:
            fields[name] = bound
    return fields


def is_list_field(bound: Field) -> bool:
    return isinstance(bound, MultiCheckboxField)


#: ``{body key: whether it takes a list}`` per form class and paper-form flag (the fields of a form
#: class never change while a process runs), so that a PUT builds its form once, with the body.
_BODY_KEYS: dict[tuple[type[RecordForm], bool], dict[str, bool]] = {}


def body_keys(kind: Kind, user: User) -> dict[str, bool]:
    """The keys a body of this kind may carry for this user, and which of them are lists."""
    key = (kind.form, _paper_forms(user))
    keys = _BODY_KEYS.get(key)
    if keys is None:
        fields = data_fields(build_form(kind, user))
        keys = _BODY_KEYS[key] = {name: is_list_field(bound) for name, bound in fields.items()}
    return keys


def _formdata(body: dict, fields: dict[str, bool]) -> tuple[MultiDict, dict[str, list[str]]]:
    """The body as form data, and the keys it cannot be read from (unknown, wrong type)."""
    data: MultiDict = MultiDict()
    errors: dict[str, list[str]] = {}
    for key, value in body.items():
        if key in READ_ONLY or key in ("status", "base_version"):
            continue
        is_list = fields.get(key)
        if is_list is None:
            errors[key] = [_("This form has no such field.")]
        elif value is None:
            continue
        elif is_list:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors[key] = [_("Send a list of codes here.")]
            else:
                data.setlist(key, value)
        elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            data.add(key, str(value))
        else:
            errors[key] = [_("Send text or a whole number here.")]
    return data, errors


def _body_status(body: dict, errors: dict[str, list[str]]) -> Status | None:
    status = BODY_STATUSES.get(body.get("status")) if isinstance(body.get("status"), str) else None
    if status is None:
        errors["status"] = [_('Say "draft" or "submitted".')]
    return status


def _base_version(body: dict, errors: dict[str, list[str]]) -> int | None:
    value = body.get("base_version")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**31:
        errors["base_version"] = [_("Send the version number the entry was opened with.")]
        return None
    return value


def _uuid_matches(body: dict, record_uuid: uuid.UUID, errors: dict[str, list[str]]) -> None:
    if "uuid" in body and str(body["uuid"]) != str(record_uuid):
        errors["uuid"] = [_("This is not the entry's UUID.")]


def form_errors(form: RecordForm) -> dict[str, list[str]]:
    """The form's messages keyed as the body is: sub-form fields by their full names."""
    errors: dict[str, list[str]] = {}
    for key, bound in data_fields(form).items():
        if bound.errors:
            errors[key] = [str(message) for message in bound.errors]
    if form.form_errors:
        errors[FORM_ERRORS] = [str(message) for message in form.form_errors]
    return errors


def answer_for(kind: Kind, record: RecordMixin, status: int = 200) -> Answer:
    """``{"uuid", "version", "status", "url"}``: what a stored record's PUT answers."""
    return Answer(
        status,
        {
            "uuid": str(record.uuid),
            "version": record.version,
            "status": record.status.value,
            "url": url_for("entries.detail", kind=kind.slug, record_id=record.uuid),
        },
    )


def record_body(kind: Kind, record: RecordMixin, user: User) -> dict:
    """The record in the shape a PUT takes (plus its uuid, version, status and url)."""
    data = kind.form.data_from_record(record)
    data.pop("version", None)
    body: dict = {}
    for key, value in data.items():
        if isinstance(value, dict):  # a rating sub-form
            for sub, sub_value in value.items():
                body[f"{key}-{sub}"] = sub_value
        elif hasattr(value, "isoformat"):
            body[key] = value.isoformat()
        else:
            body[key] = value
    if _paper_forms(user):
        body["organisation"] = record.organisation_id
    answer = answer_for(kind, record).body
    return {**body, **answer}


def _error_answer(exc: DomainError, record: RecordMixin | None) -> Answer:
    """A lifecycle refusal as the API says it: 404, 403, 409 with the current version, or 422."""
    if isinstance(exc, OutOfScope):
        return Answer(404, {"error": str(exc)})
    if isinstance(exc, NotAllowed):
        if record is not None:  # the role may write, but not this entry in its state
            return Answer(409, {"error": str(exc), "code": exc.code, "current_version": record.version})
        return Answer(403, {"error": str(exc), "code": exc.code})
    if isinstance(exc, Conflict):
        body: dict = {
            "error": str(exc),
            "code": exc.code,
            "current_version": getattr(record, "version", None),
        }
        if exc.field:
            body["errors"] = {exc.field: [str(exc)]}
        return Answer(409, body)
    return Answer(422, {"errors": {exc.field or FORM_ERRORS: [str(exc)]}})


def _stored(session: Session, kind: Kind, record_uuid: uuid.UUID) -> RecordMixin | None:
    return session.scalar(select(kind.model).where(kind.model.uuid == record_uuid))


def _same(session: Session, record: RecordMixin, values: dict, status: Status) -> bool:
    """An identical resend: the same content, and the status asked for reached (or passed)."""
    reached = record.status == status or (status == Status.SUBMITTED and record.status == Status.APPROVED)
    return reached and unchanged(session, record, values)


def put_record(
    session: Session, user: User, kind: Kind, record_uuid: uuid.UUID, body: object, *, via: str = "api"
) -> Answer:
    """Create or change one record from a JSON body; the caller commits a 200 or 201 and rolls
    anything else back (nothing of a refused body stays).

    New UUID: created (201). Stored and identical: the same answer again (200). Stored and
    different: changed if ``base_version`` is the current version (200), else 409.
    """
    if Action.CREATE not in lifecycle.TRANSITIONS.get(user.role, {}):
        return Answer(403, {"error": _("Your account cannot record entries.")})
    if not isinstance(body, dict):
        return Answer(400, {"error": _("Send one JSON object.")})
    record = _stored(session, kind, record_uuid)
    if record is not None and get_record_in_scope(session, kind.model, record_uuid, user) is None:
        return _error_answer(OutOfScope(), None)
    formdata, errors = _formdata(body, body_keys(kind, user))
    status = _body_status(body, errors)
    base_version = _base_version(body, errors)
    _uuid_matches(body, record_uuid, errors)
    form = build_form(kind, user, formdata)
    valid = form.validate()
    errors = {**form_errors(form), **errors}
    if errors or not valid or status is None:
        return Answer(422, {"errors": errors or {FORM_ERRORS: [_("Check the entry.")]}})
    values = form.record_data()
    submit = status == Status.SUBMITTED
    if record is None:
        return _create(session, user, kind, record_uuid, values, submit, status, via)
    return _change(session, user, kind, record, values, submit, status, base_version, via)


def _create(
    session: Session,
    user: User,
    kind: Kind,
    record_uuid: uuid.UUID,
    values: dict,
    submit: bool,
    status: Status,
    via: str,
) -> Answer:
    change = Change(Action.CREATE, values=values, submit=submit, record_uuid=record_uuid, via=via)
    try:
        # put_record has just looked the UUID up and found nothing.
        record = lifecycle.create(session, user, kind, change, looked_up=True)
    except (AlreadyStored, IntegrityError):
        # The same UUID arrived twice at once, and the other request stored it first.
        session.rollback()
        record = _stored(session, kind, record_uuid)
        if record is None:
            raise
        if get_record_in_scope(session, kind.model, record_uuid, user) is None:
            return _error_answer(OutOfScope(), None)
        if _same(session, record, values, status):
            return answer_for(kind, record)
        return _error_answer(_exists(), record)
    except DomainError as exc:
        return _error_answer(exc, None)
    return answer_for(kind, record, 201)


def _exists() -> Conflict:
    return Conflict(
        _("This entry is already stored with other content. Keep yours or take the stored one."),
        code="exists",
    )


def _change(
    session: Session,
    user: User,
    kind: Kind,
    record: RecordMixin,
    values: dict,
    submit: bool,
    status: Status,
    base_version: int | None,
    via: str,
) -> Answer:
    if _same(session, record, values, status):
        return answer_for(kind, record)
    chosen = values.pop("organisation_id", record.organisation_id)
    if chosen != record.organisation_id:
        return Answer(422, {"errors": {"organisation": [_("The organisation of an entry cannot change.")]}})
    if base_version is None or base_version != record.version:
        return _error_answer(_exists() if base_version is None else lifecycle.stale(), record)
    change = Change(Action.EDIT, values=values, submit=submit, base_version=base_version, via=via)
    try:
        lifecycle.apply(session, user, record, change)
    except DomainError as exc:
        session.rollback()  # the caller would anyway; the answer needs the version now stored
        return _error_answer(exc, _stored(session, kind, record.uuid))
    return answer_for(kind, record)
