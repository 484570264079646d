"""One set of thin views for the three record kinds; every write goes through services.lifecycle."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from forms.entries import RecordFilterForm, RecordForm
from forms.review import ReopenForm, ReturnForm, correction_form

from .. import keyset, vocabulary
from ..errors import DomainError
from ..extensions import db
from ..history import record_history
from ..i18n import translate
from ..kinds import KIND_CONVERTER, KINDS, Kind, get_kind
from ..models import AuditEvent, RecordMixin
from ..security import RECORD_ROLES, roles_required
from ..services import lifecycle
from ..services.lifecycle import Action, AlreadyStored, Change
from ..services.record_values import load_code_lists
from ..services.scope import get_record_in_scope, organisations_in_scope
from ..translate import gettext as _
from ..vocabulary import STATUS_LABELS, Role, Status, code_label, in_list_order
from . import bp
from .queries import COUNT_CAP, CURSOR, count_records, record_page

RECORD = f"/{KIND_CONVERTER}/<uuid:record_id>"


def load_record(kind: Kind, record_id: uuid.UUID) -> RecordMixin:
    """The record if it is in the user's scope; 404 otherwise, so its existence is not confirmed."""
    record = get_record_in_scope(db.session, kind.model, record_id, current_user, *kind.shown_with())
    if record is None:
        abort(404)
    return record


def can_create(user: object) -> bool:
    """Whether the user may log new records: the lifecycle's table, and an organisation to log for
    (a volunteer's own; for a coordinator's paper form, one of their area)."""
    if Action.CREATE not in lifecycle.TRANSITIONS.get(user.role, {}):
        return False
    if user.organisation_id is not None:
        return True
    return db.session.scalar(organisations_in_scope(user).limit(1)) is not None


def _choose_organisation(user: object) -> bool:
    """A paper form: the user has no organisation of their own and picks one."""
    return user.organisation_id is None


def _is_correction(record: RecordMixin | None) -> bool:
    """A reviewer changing someone else's entry, or one already sent (with a reason)."""
    if record is None or current_user.role not in (Role.COORDINATOR, Role.ADMIN):
        return False
    own_open = record.author_id == current_user.id and record.status in (Status.DRAFT, Status.RETURNED)
    return not own_open


def _form_class(kind: Kind, record: RecordMixin | None) -> type[RecordForm]:
    return correction_form(kind.form) if _is_correction(record) else kind.form


def _render_form(
    kind: Kind, form: RecordForm, record: RecordMixin | None, status: int = 200
) -> tuple[str, int]:
    return (
        render_template(
            "entries/form.html",
            kind=kind,
            form=form,
            record=record,
            correcting=_is_correction(record),
            title=kind.edit_title if record else kind.new_title,
        ),
        status,
    )


def render_detail(
    kind: Kind,
    record: RecordMixin,
    status: int = 200,
    *,
    return_form: ReturnForm | None = None,
    reopen_form: ReopenForm | None = None,
) -> tuple[str, int]:
    """The record (read by :func:`load_record`, so in the viewer's scope), the actions the viewer
    may take and its history (also after a refused action)."""
    reads = lifecycle.RecordReads(db.session, current_user, record, in_scope=True)
    load_code_lists(db.session, record)
    actions = lifecycle.allowed_actions(db.session, current_user, record, reads)
    return (
        render_template(
            "entries/detail.html",
            kind=kind,
            record=record,
            actions=actions,
            Action=Action,
            return_form=return_form or ReturnForm(formdata=None, version=record.version),
            reopen_form=reopen_form or ReopenForm(formdata=None, version=record.version),
            history=record_history(db.session, record),
            closed_month=reads.closed_month,
        ),
        status,
    )


def _saved_message(action: Action, submitted: bool) -> str:
    if action == Action.CORRECT:
        return _("Correction saved. It is recorded in the entry's history as yours.")
    return _("Sent for review. Thank you.") if submitted else _("Saved as a draft.")


def _place_error(form: RecordForm, exc: DomainError) -> None:
    """The service's message beside the field it names, or at the top of the form."""
    if exc.field and exc.field in form and exc.field not in ("csrf_token",):
        form[exc.field].errors = [*form[exc.field].errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


@bp.get(f"/{KIND_CONVERTER}", endpoint="list")
@roles_required(*RECORD_ROLES)
def list_records(kind: str) -> str | tuple[str, int]:
    """The kind's records in scope, with filters and pages from a cursor (``?after=``/``?before=``,
    see ``app.keyset``); a cursor that cannot be read is a 400 showing the first page."""
    kind_ = get_kind(kind)
    filters = RecordFilterForm(request.args, user=current_user)
    if request.args and not filters.validate():
        page = render_template(
            "entries/list.html",
            kind=kind_,
            filters=filters,
            page=None,
            can_create=can_create(current_user),
        )
        return page, 400
    status = 200
    try:
        position = keyset.position_from(request.args, CURSOR)
    except keyset.BadCursor:
        position, status = None, 400
    chosen = filters.filters()
    page = record_page(kind_, current_user, chosen, position, current_app.config["PER_PAGE"])
    total = count_records(kind_, current_user, chosen) if page.items else 0
    listing = render_template(
        "entries/list.html",
        kind=kind_,
        filters=filters,
        page=page,
        total=total,
        more_than=format_number(COUNT_CAP) if total > COUNT_CAP else None,
        bad_cursor=status == 400,
        can_create=can_create(current_user),
    )
    return listing, status


@bp.route(f"/{KIND_CONVERTER}/new", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def new(kind: str) -> Response | tuple[str, int]:
    """Record a new entry, as a draft or sent for review; a resent form finds the stored entry."""
    kind_ = get_kind(kind)
    if not can_create(current_user):
        abort(403)
    form = kind_.form(user=current_user, choose_organisation=_choose_organisation(current_user))
    if request.method == "GET":
        form.record_uuid.data = str(uuid.uuid4())
        return _render_form(kind_, form, None)
    if not form.validate():
        return _render_form(kind_, form, None, 422)
    change = Change(
        Action.CREATE, values=form.record_data(), submit=form.wants_submit, record_uuid=form.new_record_uuid()
    )
    try:
        record = lifecycle.create(db.session, current_user, kind_, change)
        record_id = record.uuid  # read before the commit expires it (no reload for the redirect)
        db.session.commit()
    except AlreadyStored as exc:
        db.session.rollback()
        return _already_stored(kind_, form, exc.record)
    except IntegrityError:
        # Two copies of the form arrived at once: the other one stored the entry first.
        db.session.rollback()
        stored = db.session.scalar(select(kind_.model).where(kind_.model.uuid == change.record_uuid))
        if stored is None:
            raise
        return _already_stored(kind_, form, stored)
    except DomainError as exc:
        db.session.rollback()
        _place_error(form, exc)
        return _render_form(kind_, form, None, exc.http_status)
    flash(_saved_message(Action.CREATE, form.wants_submit), "success")
    return redirect(url_for("entries.detail", kind=kind_.slug, record_id=record_id), 303)


def _already_stored(kind: Kind, form: RecordForm, stored: RecordMixin) -> Response | tuple[str, int]:
    """Lead to the entry a resent form already stored; a UUID of someone else's entry is refused."""
    visible = get_record_in_scope(db.session, kind.model, stored.uuid, current_user)
    if visible is not None and visible.author_id == current_user.id:
        flash(_("This entry was already saved: here it is."), "info")
        return redirect(url_for("entries.detail", kind=kind.slug, record_id=visible.uuid), 303)
    form.record_uuid.data = str(uuid.uuid4())
    form.form_errors.append(_("This form was already used. Check your entries, then send it again."))
    return _render_form(kind, form, None, 409)


@bp.get(RECORD)
@roles_required(*RECORD_ROLES)
def detail(kind: str, record_id: uuid.UUID) -> tuple[str, int]:
    """One record, the actions the viewer may take, and its history."""
    kind_ = get_kind(kind)
    return render_detail(kind_, load_record(kind_, record_id))


@bp.route(f"{RECORD}/edit", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def edit(kind: str, record_id: uuid.UUID) -> Response | tuple[str, int]:
    """Edit a draft or returned entry (its organisation), or correct a submitted one (a coordinator)."""
    kind_ = get_kind(kind)
    record = load_record(kind_, record_id)
    load_code_lists(db.session, record)  # the form shows them, the audit diff compares them
    action = Action.CORRECT if _is_correction(record) else Action.EDIT
    resent = request.method == "POST" and _last_change_by_me(record)
    try:
        lifecycle.check(db.session, current_user, record, Change(action))
    except DomainError as exc:
        if resent:
            flash(_("This entry was already saved: here it is."), "info")
            return redirect(url_for("entries.detail", kind=kind_.slug, record_id=record.uuid), 303)
        flash(str(exc), "error")
        return render_detail(kind_, record, exc.http_status)
    form_class = _form_class(kind_, record)
    if request.method == "GET":
        return _render_form(kind_, form_class(user=current_user, obj=record), record)
    form = form_class(user=current_user)
    if form.version.data is not None and form.version.data != record.version and _last_change_by_me(record):
        # The same form sent twice (a double tap): the first one was saved.
        flash(_("This entry was already saved: here it is."), "info")
        return redirect(url_for("entries.detail", kind=kind_.slug, record_id=record.uuid), 303)
    if not form.validate():
        return _render_form(kind_, form, record, 422)
    change = Change(
        action,
        values=form.record_data(),
        submit=form.wants_submit and action == Action.EDIT,
        note=form.reason.data if action == Action.CORRECT else None,
        base_version=form.version.data,
    )
    try:
        lifecycle.apply(db.session, current_user, record, change)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        _place_error(form, exc)
        return _render_form(kind_, form, load_record(kind_, record_id), exc.http_status)
    flash(_saved_message(action, change.submit), "success")
    return redirect(url_for("entries.detail", kind=kind_.slug, record_id=record.uuid), 303)


def _last_change_by_me(record: RecordMixin) -> bool:
    """Whether the record's latest audited change is the current user's (a resent form)."""
    latest = db.session.scalar(
        select(AuditEvent.user_id)
        .where(AuditEvent.object_uuid == record.uuid)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    return latest is not None and latest == current_user.id


def act(
    kind: Kind, record: RecordMixin, change: Change, done: str, **forms: object
) -> Response | tuple[str, int]:
    """Apply one action from a button on the detail page: done -> back to the record; refused -> 4xx."""
    try:
        lifecycle.apply(db.session, current_user, record, change)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if exc.http_status == 404:
            abort(404)
        record = load_record(kind, record.uuid)
        beside = [form for form in forms.values() if exc.field and exc.field in form]
        for form in beside:
            form[exc.field].errors = [*form[exc.field].errors, str(exc)]
        if not beside:
            flash(str(exc), "error")
        return render_detail(kind, record, exc.http_status, **forms)
    flash(done, "success")
    if change.action == Action.DELETE:
        return redirect(url_for("entries.list", kind=kind.slug), 303)
    return redirect(url_for("entries.detail", kind=kind.slug, record_id=record.uuid), 303)


@bp.post(f"{RECORD}/submit")
@roles_required(*RECORD_ROLES)
def submit(kind: str, record_id: uuid.UUID) -> Response | tuple[str, int]:
    """Send a draft or returned record for review as it stands."""
    kind_ = get_kind(kind)
    record = load_record(kind_, record_id)
    return act(kind_, record, Change(Action.SUBMIT), _saved_message(Action.SUBMIT, True))


@bp.post(f"{RECORD}/delete")
@roles_required(*RECORD_ROLES)
def delete(kind: str, record_id: uuid.UUID) -> Response | tuple[str, int]:
    """Delete a draft."""
    kind_ = get_kind(kind)
    record = load_record(kind_, record_id)
    return act(kind_, record, Change(Action.DELETE), _("The draft was deleted."))


@bp.app_context_processor
def entry_helpers() -> dict:
    """Labels for records in templates: ``record_title``, ``status_label``, ``label_of``."""
    return {
        "record_title": lambda kind, record: get_kind(kind).title(record),
        "status_label": lambda status: _(STATUS_LABELS[Status(status)]),
        "label_of": lambda kind, code: _(code_label(kind, code)),
        "in_list_order": in_list_order,
        "choice_label": lambda labels, value: translate(labels[value]),
        "vocab": vocabulary,
        "record_kinds": list(KINDS.values()),
    }
