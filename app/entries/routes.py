"""One set of thin views for the three record kinds; writes in services.records, scope in services.scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from forms.entries import RecordFilterForm

from .. import vocabulary
from ..errors import DomainError
from ..extensions import db
from ..models import RecordMixin
from ..security import RECORD_ROLES, roles_required
from ..services import records as service
from ..services.scope import get_record_in_scope
from ..vocabulary import STATUS_LABELS, Status, neutral_label
from . import bp
from .kinds import KIND_CONVERTER, Kind, get_kind
from .queries import filtered_records

RECORD = f"/{KIND_CONVERTER}/<uuid:record_id>"


def _load(kind: Kind, record_id: uuid.UUID) -> RecordMixin:
    """The record if it is in the user's scope; 404 otherwise, so its existence is not confirmed."""
    record = get_record_in_scope(db.session, kind.model, record_id, current_user)
    if record is None:
        abort(404)
    return record


def _render_form(kind: Kind, form: object, record: RecordMixin | None, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "entries/form.html",
            kind=kind,
            form=form,
            record=record,
            title=kind.edit_title if record else kind.new_title,
        ),
        status,
    )


def _saved_message(submitted: bool) -> str:
    return _("Sent for review. Thank you.") if submitted else _("Saved as a draft.")


@bp.get(f"/{KIND_CONVERTER}", endpoint="list")
@roles_required(*RECORD_ROLES)
def list_records(kind: str) -> str | tuple[str, int]:
    """The kind's records in scope, with filters and pages."""
    kind_ = get_kind(kind)
    filters = RecordFilterForm(request.args, user=current_user)
    if request.args and not filters.validate():
        return render_template("entries/list.html", kind=kind_, filters=filters, pagination=None), 400
    query = filtered_records(kind_, current_user, filters.filters())
    pagination = db.paginate(
        query,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "entries/list.html",
        kind=kind_,
        filters=filters,
        pagination=pagination,
        can_create=service.can_create(current_user),
    )


@bp.route(f"/{KIND_CONVERTER}/new", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def new(kind: str) -> Response | tuple[str, int]:
    """Record a new entry, as a draft or sent for review."""
    kind_ = get_kind(kind)
    if not service.can_create(current_user):
        abort(403)
    form = kind_.form(user=current_user)
    if request.method == "GET":
        return _render_form(kind_, form, None)
    return _save(
        kind_,
        form,
        None,
        lambda: service.create_record(
            db.session, kind_.slug, current_user, form.record_data(), submit=form.wants_submit
        ),
    )


@bp.get(RECORD)
@roles_required(*RECORD_ROLES)
def detail(kind: str, record_id: uuid.UUID) -> str:
    """One record."""
    kind_ = get_kind(kind)
    record = _load(kind_, record_id)
    return render_template(
        "entries/detail.html",
        kind=kind_,
        record=record,
        editable=service.is_editable(record),
        deletable=service.can_delete(record, current_user),
    )


@bp.route(f"{RECORD}/edit", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def edit(kind: str, record_id: uuid.UUID) -> Response | tuple[str, int]:
    """Change a draft or a record returned for changes."""
    kind_ = get_kind(kind)
    record = _load(kind_, record_id)
    if not service.is_editable(record):
        abort(403)
    if request.method == "GET":
        return _render_form(kind_, kind_.form(user=current_user, obj=record), record)
    form = kind_.form(user=current_user)
    return _save(
        kind_,
        form,
        record,
        lambda: service.update_record(
            db.session, record, current_user, form.record_data(), submit=form.wants_submit
        ),
    )


def _save(
    kind_: Kind, form: FlaskForm, record: RecordMixin | None, write: Callable[[], RecordMixin]
) -> Response | tuple[str, int]:
    """Validate, write in one transaction, then show the record; or the form again with 422."""
    if form.validate():
        try:
            saved = write()
        except DomainError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_saved_message(form.wants_submit), "success")
            return redirect(url_for("entries.detail", kind=kind_.slug, record_id=saved.uuid), 303)
    return _render_form(kind_, form, record, 422)


@bp.post(f"{RECORD}/submit")
@roles_required(*RECORD_ROLES)
def submit(kind: str, record_id: uuid.UUID) -> Response:
    """Send a draft or returned record for review as it stands."""
    kind_ = get_kind(kind)
    record = _load(kind_, record_id)
    if not service.is_editable(record):
        abort(403)
    service.submit_record(db.session, record, current_user)
    db.session.commit()
    flash(_saved_message(True), "success")
    return redirect(url_for("entries.detail", kind=kind_.slug, record_id=record.uuid), 303)


@bp.post(f"{RECORD}/delete")
@roles_required(*RECORD_ROLES)
def delete(kind: str, record_id: uuid.UUID) -> Response:
    """Delete a draft (its author only)."""
    kind_ = get_kind(kind)
    record = _load(kind_, record_id)
    if not service.can_delete(record, current_user):
        abort(403)
    service.delete_record(db.session, record, current_user)
    db.session.commit()
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("entries.list", kind=kind_.slug), 303)


@bp.app_context_processor
def entry_helpers() -> dict:
    """Labels for records in templates: ``record_title``, ``status_label``, ``label_of``."""
    return {
        "record_title": record_title,
        "status_label": lambda status: _(STATUS_LABELS[Status(status)]),
        "label_of": lambda kind, code, default: _(neutral_label(kind, code, default)),
        "choice_label": lambda labels, value: _(labels[value]),
        "vocab": vocabulary,
    }


def record_title(kind: str, record: RecordMixin) -> str:
    """A short title for a record in lists: its type, category or kind."""
    if kind == "activities":
        return _(neutral_label("activity_type", record.activity_type_code, record.activity_type.label))
    if kind == "incidents":
        return _(neutral_label("incident_category", record.category_code, record.category.label))
    return _("Assessment of concerns")
