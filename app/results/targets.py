"""What coordinators set on a programme (issue 13): the targets template (download, upload back)
and the actuals of survey-type indicators."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forms.results import ManualActualForm, TargetsUploadForm
from reports.results import quarters
from reports.targets_template import TemplateErrors, read_template, write_template

from ..extensions import db
from ..models import Measure, Programme
from ..security import roles_required
from ..services.programmes import visible_programme
from ..services.targets import can_manage, save_manual_actual, save_targets
from ..translate import gettext as _
from ..vocabulary import Role
from . import bp
from .page import quarter_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGERS = (Role.COORDINATOR, Role.ADMIN)


def _managed(code: str) -> Programme:
    """The programme if the user sees it (else 404) and may set its targets (else 403)."""
    programme = visible_programme(db.session, current_user, code)
    if programme is None:
        abort(404)
    if not can_manage(db.session, current_user, programme):
        abort(403)
    return programme


@bp.get("/results/<programme_code>/targets.xlsx")
@roles_required(*MANAGERS)
def targets_template(programme_code: str) -> Response:
    """The template: the programme's indicators and their current quarterly targets."""
    programme = _managed(programme_code)
    buffer = BytesIO()
    write_template(programme, buffer, _)
    buffer.seek(0)
    response = send_file(
        buffer, mimetype=XLSX, as_attachment=True, download_name=f"yntymak-targets-{programme.code}.xlsx"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/results/<programme_code>/targets", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def targets(programme_code: str) -> Response | tuple[str, int]:
    """Upload the filled-in template: every cell is checked; nothing is stored unless all are right."""
    programme = _managed(programme_code)
    form = TargetsUploadForm()
    problems: list[tuple[str, str]] = []
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                values = read_template(programme, BytesIO(form.file.data.read()), _)
            except TemplateErrors as exc:
                problems = exc.problems
            else:
                stored = save_targets(db.session, programme, values, actor=current_user)
                db.session.commit()
                flash(_("Targets saved: %(num)d.", num=stored), "success")
                return redirect(url_for("results.programme", programme_code=programme.code), 303)
    return render_template("results/targets.html", programme=programme, form=form, problems=problems), status


@bp.route("/results/<programme_code>/indicators/<indicator_code>/actuals", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def manual_actuals(programme_code: str, indicator_code: str) -> Response | tuple[str, int]:
    """Enter a survey-type ("manual") indicator's actual for a quarter, with its source."""
    programme = _managed(programme_code)
    indicator = next((i for i in programme.indicators if i.code == indicator_code), None)
    if indicator is None or indicator.measure != Measure.MANUAL:
        abort(404)
    periods = quarters(programme.start_date, programme.end_date)
    labels = [(q.isoformat(), quarter_label(q)) for q in periods]
    form = ManualActualForm(quarters=labels, share=indicator.unit.strip() == "%")
    if form.validate_on_submit():
        quarter = date.fromisoformat(form.quarter.data)
        save_manual_actual(
            db.session, indicator, quarter, float(form.value.data), form.source_note.data, actor=current_user
        )
        db.session.commit()
        flash(_("Actual saved for %(quarter)s.", quarter=quarter_label(quarter)), "success")
        return redirect(
            url_for("results.manual_actuals", programme_code=programme.code, indicator_code=indicator.code),
            303,
        )
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "results/actuals.html",
        programme=programme,
        indicator=indicator,
        form=form,
        quarter_label=quarter_label,
    )
    return page, status
