"""``/reports/issued``: the register of issued workbooks, a user's own (all for administrators)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from reports.filters import AUDIENCE_LABELS

from ..extensions import db
from ..models import IssuedReport
from ..paging import page_number
from ..security import REPORT_ROLES, roles_required
from ..translate import gettext as _
from ..vocabulary import Role
from . import bp


@bp.get("/reports/issued")
@roles_required(*REPORT_ROLES)
def issued() -> str:
    """Every workbook the user downloaded, newest first, with its id and SHA-256."""
    query = select(IssuedReport).options(joinedload(IssuedReport.user))
    if current_user.role != Role.ADMIN:
        query = query.where(IssuedReport.user_id == current_user.id)
    query = query.order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())
    page = db.paginate(query, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)
    audiences = {audience.value: _(label) for audience, label in AUDIENCE_LABELS.items()}
    return render_template(
        "dashboard/issued.html", page=page, everyone=current_user.role == Role.ADMIN, audiences=audiences
    )
