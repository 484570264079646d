"""Dashboard page, Excel and CSV exports: thin views over ``reports`` (big exports in the
background: :mod:`app.dashboard.exports`)."""

from __future__ import annotations

from io import BytesIO

from flask import Response, abort, current_app, render_template, request, send_file
from flask_babel import format_date, get_locale
from flask_login import current_user
from jinja2.utils import htmlsafe_json_dumps
from werkzeug.wrappers import Response as BaseResponse

from forms.reports import ReportFiltersForm
from reports.charts import CHART_TITLES, build_dashboard
from reports.notes import disclosure_notes, widened_note
from reports.tables import Disclosure

from ..extensions import db
from ..i18n import translate
from ..models import ExportKind
from ..security import REPORT_ROLES, roles_required
from ..services.exports import export_records_zip, export_workbook
from ..services.priority import at_lower_priority
from ..services.programmes import visible_programme
from ..translate import gettext
from ..vocabulary import Role
from . import bp
from .exports import XLSX, ZIP, background_export

#: The dashboard's own plotly.js (core, bar, heatmap), built by assets/plotly (``make plotly-bundle``).
PLOTLY_BUNDLE = "vendor/plotly-yntymak-4.1.1.min.js"
PLOTLY_STYLES = "vendor/plotly-4.1.1.css"


def _form() -> ReportFiltersForm:
    form = ReportFiltersForm(request.args, session=db.session, viewer=current_user)
    form.validate()
    return form


def _page(form: ReportFiltersForm, status: int = 200, dashboard: object = None) -> tuple[str, int]:
    notes, widened = [], None
    if form.filters is not None:
        rules = Disclosure.for_filters(form.filters, current_app.config["SUPPRESSION_THRESHOLD"])
        notes = disclosure_notes(form.filters, rules, gettext) if rules.donor else []
        widened = widened_note(form.filters, gettext, format_date)  # as the period line above it
    return (
        render_template(
            "dashboard/index.html",
            form=form,
            dashboard=dashboard,
            figures_json=_figures_json(dashboard),
            chart_titles=CHART_TITLES,
            plotly_bundle=PLOTLY_BUNDLE,
            plotly_styles=PLOTLY_STYLES,
            donor_notes=notes,
            widened_note=widened,
            query=request.query_string.decode("utf-8", "replace"),
        ),
        status,
    )


def _figures_json(dashboard: object) -> str | None:
    """The figures for the page's script: compact, letters as they are (not ``\\u0430``), and safe
    inside <script>."""
    figures = getattr(dashboard, "figures", None)
    if figures is None:
        return None
    return htmlsafe_json_dumps(figures, ensure_ascii=False, separators=(",", ":"))


@bp.get("/dashboard")
@roles_required(*REPORT_ROLES)
def index() -> tuple[str, int]:
    """Charts against the 14 recommendations, with the filters in the query string."""
    form = _form()
    if form.filters is None:
        return _page(form, form.http_status)
    dashboard = build_dashboard(
        db.session,
        form.filters,
        gettext=translate,  # vocabulary labels with a context (NP_) are translated in it
        locale=str(get_locale()),
        threshold=current_app.config["SUPPRESSION_THRESHOLD"],
    )
    return _page(form, 200, dashboard)


@bp.get("/reports/export.xlsx")
@roles_required(*REPORT_ROLES)
def export() -> Response | BaseResponse | tuple[str, int]:
    """The workbook for the same filters as the dashboard; every export is audited. With
    ``programme=CODE`` (a programme the user sees, else 404) it adds its Results framework sheet.
    More than ``EXPORT_INLINE_ROWS`` records: built in the background (303 to the job's page)."""
    programme = None
    if code := request.args.get("programme", "").strip():
        programme = visible_programme(db.session, current_user, code.upper())
        if programme is None:
            abort(404)
    form = _form()
    if form.filters is None:
        return _page(form, form.http_status)
    if (later := background_export(form.filters, ExportKind.XLSX, programme)) is not None:
        return later  # a job, and a 303 to its page
    buffer = BytesIO()
    result = at_lower_priority(
        lambda: export_workbook(
            db.session,
            form.filters,
            buffer,
            locale=str(get_locale()),
            user=current_user,
            via="web",
            programme=programme,
        ),
        current_app.config["EXPORT_NICENESS"],
    )
    db.session.commit()
    buffer.seek(0)
    response = send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=result.filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/reports/export.csv.zip")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def export_csv() -> Response | BaseResponse | tuple[str, int]:
    """The activity and incident rows for the dashboard's filters as CSV files in a zip, audited;
    never for the donor audience (single records: 403). Big ones are built in the background."""
    form = _form()
    if form.filters is None:
        return _page(form, form.http_status)
    if form.filters.is_donor:
        abort(403)
    if (later := background_export(form.filters, ExportKind.CSV_ZIP)) is not None:
        return later
    buffer = BytesIO()
    result = at_lower_priority(
        lambda: export_records_zip(
            db.session, form.filters, buffer, locale=str(get_locale()), user=current_user, via="web"
        ),
        current_app.config["EXPORT_NICENESS"],
    )
    db.session.commit()
    buffer.seek(0)
    response = send_file(buffer, mimetype=ZIP, as_attachment=True, download_name=result.filename)
    response.headers["Cache-Control"] = "no-store"
    return response
