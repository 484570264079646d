"""The review queue and the approve / return / reopen buttons: thin views over the lifecycle."""

from __future__ import annotations

import uuid

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from forms.review import ApproveForm, BulkApproveForm, QueueFilterForm, ReopenForm, ReturnForm

from .. import keyset
from ..collation import in_order
from ..entries.routes import act, load_record, render_detail
from ..errors import DomainError
from ..extensions import db
from ..kinds import KIND_CONVERTER, KINDS, get_kind
from ..models import Community, Organisation
from ..security import RECORD_ROLES, roles_required
from ..services import lifecycle
from ..services.lifecycle import Action, Change
from ..services.scope import community_ids_in_scope, get_record_in_scope
from ..translate import gettext as _
from ..translate import ngettext
from ..vocabulary import Role
from . import bp
from .queue import CURSOR, review_queue

RECORD = f"/{KIND_CONVERTER}/<uuid:record_id>"
REVIEWERS = (Role.COORDINATOR, Role.ADMIN)


def _queue_filters() -> QueueFilterForm:
    """Kinds, and the organisations whose district lies in the reviewer's scope."""
    districts = select(Community.district_id).where(Community.id.in_(community_ids_in_scope(current_user)))
    organisations = in_order(
        db.session.execute(
            select(Organisation.code, Organisation.local_name).where(Organisation.district_id.in_(districts))
        ).all(),
        lambda row: row[1],
    )
    return QueueFilterForm(
        request.args,
        kinds=[(slug, str(kind.plural)) for slug, kind in KINDS.items()],
        organisations=[(code, name) for code, name in organisations],
    )


@bp.get("/review")
@roles_required(*REVIEWERS)
def queue() -> tuple[str, int]:
    """Submitted records in the reviewer's scope, oldest first, with counts per organisation; pages
    from a cursor (``?after=``/``?before=``, see ``app.keyset``), an unreadable one is a 400."""
    filters = _queue_filters()
    kind = filters.kind.data or None
    organisation_id = None
    status = 200
    if request.args and not filters.validate():
        kind, status = None, 400
    elif filters.organisation.data:
        organisation_id = db.session.scalar(
            select(Organisation.id).where(Organisation.code == filters.organisation.data)
        )
    bad_cursor = False
    try:
        position = keyset.position_from(request.args, CURSOR)
    except keyset.BadCursor:
        position, bad_cursor, status = None, True, 400
    page = review_queue(
        db.session,
        current_user,
        kind=kind,
        organisation_id=organisation_id,
        position=position,
        per_page=current_app.config["PER_PAGE"],
    )
    html = render_template(
        "review/queue.html", filters=filters, page=page, form=BulkApproveForm(), bad_cursor=bad_cursor
    )
    return html, status


@bp.post("/review/approve")
@roles_required(*REVIEWERS)
def approve_many() -> Response | tuple[str, int]:
    """Approve every ticked entry in one transaction: all of them, or none and say why."""
    form = BulkApproveForm()
    if not form.validate():
        flash(" ".join(form.records.errors) or _("The form expired. Please send it again."), "error")
        return redirect(url_for(".queue"), 303)
    problems = []
    approved = 0
    for slug, record_uuid, version in form.chosen():
        kind = KINDS[slug]
        record = get_record_in_scope(db.session, kind.model, uuid.UUID(record_uuid), current_user)
        if record is None:
            problems.append(_("An entry is no longer in your queue."))
            continue
        try:
            lifecycle.apply(
                db.session, current_user, record, Change(Action.APPROVE, base_version=version, via="review")
            )
            approved += 1
        except DomainError as exc:
            problems.append(f"{kind.title(record)}, {record.community.local_name}: {exc}")
            if exc.code == "stale":  # the failed flush ends the transaction: stop here
                break
    if problems:
        db.session.rollback()
        flash(_("Nothing was approved:") + " " + " ".join(problems), "error")
        return redirect(url_for(".queue", **request.args), 303)
    db.session.commit()
    flash(ngettext("%(num)d entry approved.", "%(num)d entries approved.", approved), "success")
    return redirect(url_for(".queue"), 303)


@bp.post(f"{RECORD}/approve")
@roles_required(*RECORD_ROLES)
def approve(kind: str, record_id: uuid.UUID) -> Response | tuple[str, int]:
    """Approve one submitted entry (never one's own)."""
    kind_ = get_kind(kind)
    record = load_record(kind_, record_id)
    form = ApproveForm()
    if not form.validate():
        flash(_("The form expired. Please send it again."), "error")
        return render_detail(kind_, record, 400)
    change = Change(Action.APPROVE, base_version=form.version.data, via="review")
    return act(kind_, record, change, _("Approved. It now counts in donor reports."))


def _with_note(
    kind: str, record_id: uuid.UUID, form_class: type[ReturnForm | ReopenForm], action: Action, done: str
) -> Response | tuple[str, int]:
    """Return or reopen: the words come in the form's one text field (``comment`` or ``reason``)."""
    kind_ = get_kind(kind)
    record = load_record(kind_, record_id)
    form = form_class()
    form_key = "return_form" if action == Action.RETURN else "reopen_form"
    if not form.validate():
        return render_detail(kind_, record, 422, **{form_key: form})
    words = form[lifecycle.NOTE_FIELDS[action]].data
    change = Change(action, note=words, base_version=form.version.data, via="review")
    return act(kind_, record, change, done, **{form_key: form})


@bp.post(f"{RECORD}/return", endpoint="return_")
@roles_required(*RECORD_ROLES)
def return_record(kind: str, record_id: uuid.UUID) -> Response | tuple[str, int]:
    """Send an entry back to its organisation with a comment."""
    return _with_note(
        kind, record_id, ReturnForm, Action.RETURN, _("Returned to the volunteer with your comment.")
    )


@bp.post(f"{RECORD}/reopen")
@roles_required(*RECORD_ROLES)
def reopen(kind: str, record_id: uuid.UUID) -> Response | tuple[str, int]:
    """Reopen an approved entry: it goes back to its organisation with the reason."""
    return _with_note(
        kind, record_id, ReopenForm, Action.REOPEN, _("Reopened and sent back to the volunteer.")
    )
