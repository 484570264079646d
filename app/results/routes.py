"""Results pages: thin views over :mod:`app.services.programmes` and :mod:`app.results.page`."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import format_number
from flask_login import current_user
from jinja2.utils import htmlsafe_json_dumps

from ..dashboard.routes import PLOTLY_BUNDLE, PLOTLY_STYLES
from ..extensions import db
from ..security import REPORT_ROLES, roles_required
from ..services.programme_admin import may_define
from ..services.programmes import visible_programme, visible_programmes
from ..services.scope import region_ids_in_scope
from ..services.targets import can_manage
from ..vocabulary import Role
from . import bp
from .page import disclosure_notes, indicator_views, quarter_label, workbook_params


@bp.get("/results")
@roles_required(*REPORT_ROLES)
def index() -> str:
    """The programmes the user may see, with their period, area and number of indicators."""
    return render_template(
        "results/index.html",
        programmes=visible_programmes(db.session, current_user),
        may_define=may_define(current_user),
        format_number=format_number,
    )


@bp.get("/results/<programme_code>")
@roles_required(*REPORT_ROLES)
def programme(programme_code: str) -> str:
    """One programme's indicators: targets against actuals per quarter, as tables and charts."""
    found = visible_programme(db.session, current_user, programme_code)
    if found is None:
        abort(404)
    donor = current_user.role == Role.DONOR
    views = indicator_views(db.session, found, donor=donor)
    figures = {view.chart: view.figure for view in views}
    return render_template(
        "results/programme.html",
        programme=found,
        indicators=views,
        donor=donor,
        manage=can_manage(db.session, current_user, found),
        notes=disclosure_notes(donor=donor),
        workbooks=workbook_params(
            found, donor=donor, readable=set(db.session.scalars(region_ids_in_scope(current_user)))
        ),
        figures_json=htmlsafe_json_dumps(figures, ensure_ascii=False, separators=(",", ":")),
        plotly_bundle=PLOTLY_BUNDLE,
        plotly_styles=PLOTLY_STYLES,
        quarter_label=quarter_label,
    )
