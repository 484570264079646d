"""``/admin/outbox-import``: bring in a tablet's saved outbox file (app/api/imports.py)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from forms.imports import OutboxImportForm

from ..api.imports import import_outbox
from ..errors import DomainError
from ..extensions import db
from ..kinds import KINDS
from ..security import roles_required
from ..vocabulary import Role
from . import bp


@bp.route("/outbox-import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def outbox_import() -> tuple[str, int]:
    """Upload the file; each entry is stored once, or said to be already here or refused."""
    form = OutboxImportForm()
    report, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                report = import_outbox(db.session, current_user, form.file.data.read())
            except DomainError as exc:
                db.session.rollback()
                form.file.errors = [str(exc)]
                status = exc.http_status
        else:
            status = 422
    return render_template("admin/outbox_import.html", form=form, report=report, kinds=KINDS), status
