"""Defining programmes and their indicators (issue 13): thin views over
:mod:`app.services.programme_admin` and :mod:`app.services.indicator_admin`.

One submission is one transaction: the service flushes, the view commits, or rolls back and
shows the service's refusal beside its field (422). Bad input answers 422 and stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from forms.programmes import DeleteIndicatorForm, IndicatorForm, ProgrammeForm

from ..errors import DomainError
from ..extensions import db
from ..models import Indicator, Programme
from ..security import roles_required
from ..services import indicator_admin, programme_admin
from ..translate import gettext as _
from . import bp
from .page import DIRECTION_LABELS, MEASURE_LABELS
from .targets import MANAGERS, _managed

UNPROCESSABLE = 422
T = TypeVar("T")
#: What :func:`_write` returns when the service refused.
FAILED = object()


def _write(form: FlaskForm, write: Callable[[], T]) -> T | object:
    """Run one service write as one transaction: commit it, or roll back, put the refusal beside
    its field (or atop the form) and return FAILED."""
    try:
        result = write()
    except DomainError as exc:
        db.session.rollback()
        if exc.field and exc.field in form:
            form[exc.field].errors = [*form[exc.field].errors, str(exc)]
        else:
            form.form_errors.append(str(exc))
        return FAILED
    db.session.commit()
    return result


def _submit(
    form: FlaskForm,
    write: Callable[[], T],
    message: Callable[[T], str],
    programme_code: Callable[[T], str],
) -> Response | None:
    """Write a valid submission through the service (:func:`_write`), flash ``message`` and go to
    the programme's page (303); None when the form is not submitted, not valid or refused (the view
    shows it again, 422). ``message`` and ``programme_code`` get what the write returned; an edit's
    empty list of changed fields flashes "Nothing was changed." instead."""
    if not form.validate_on_submit():
        return None
    result = _write(form, write)
    if result is FAILED:
        return None
    if isinstance(result, list) and not result:
        flash(_("Nothing was changed."), "info")
    else:
        flash(message(result), "success")
    return redirect(url_for("results.programme", programme_code=programme_code(result)), 303)


def _programme_form(programme: Programme | None) -> ProgrammeForm:
    return ProgrammeForm(
        areas=programme_admin.area_choices(db.session, current_user),
        donors=programme_admin.donor_choices(db.session),
        programme=programme,
    )


def _programme_page(form: ProgrammeForm, programme: Programme | None) -> tuple[str, int]:
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("results/programme_form.html", form=form, programme=programme), status


@bp.route("/results/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def programme_new() -> Response | tuple[str, int]:
    """A new programme: code, names, period, area (within the coordinator's own) and donors."""
    form = _programme_form(None)
    done = _submit(
        form,
        lambda: programme_admin.create_programme(db.session, form.values(), actor=current_user),
        lambda created: _("Programme %(code)s created.", code=created.code),
        lambda created: created.code,
    )
    return done if done is not None else _programme_page(form, None)


@bp.route("/results/<programme_code>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def programme_edit(programme_code: str) -> Response | tuple[str, int]:
    """Change a programme; a period that would leave targets or actuals outside it is refused."""
    programme = _managed(programme_code)
    form = _programme_form(programme)
    done = _submit(
        form,
        lambda: programme_admin.update_programme(db.session, programme, form.values(), actor=current_user),
        lambda _changed: _("Programme %(code)s saved.", code=programme.code),
        lambda _changed: programme.code,
    )
    return done if done is not None else _programme_page(form, programme)


# Indicators -------------------------------------------------------------------------------------


def _indicator(programme: Programme, code: str) -> Indicator:
    found = next((i for i in programme.indicators if i.code == code), None)
    if found is None:
        abort(404)
    return found


def _indicator_form(programme: Programme, indicator: Indicator | None, **kwargs: object) -> IndicatorForm:
    return IndicatorForm(
        **kwargs,
        programme=programme,
        indicator=indicator,
        measures=[(measure.value, _(label)) for measure, label in MEASURE_LABELS.items()],
        directions=[(direction.value, _(label)) for direction, label in DIRECTION_LABELS.items()],
    )


def _indicator_page(
    programme: Programme,
    form: IndicatorForm,
    indicator: Indicator | None,
    delete_form: DeleteIndicatorForm | None = None,
    *,
    status: int | None = None,
) -> tuple[str, int]:
    if status is None:
        status = UNPROCESSABLE if form.is_submitted() else 200
    if indicator is not None and delete_form is None:
        delete_form = DeleteIndicatorForm(formdata=None)
    page = render_template(
        "results/indicator_form.html",
        programme=programme,
        indicator=indicator,
        form=form,
        delete_form=delete_form,
    )
    return page, status


@bp.route("/results/<programme_code>/indicators/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def indicator_new(programme_code: str) -> Response | tuple[str, int]:
    """A new indicator of the programme."""
    programme = _managed(programme_code)
    form = _indicator_form(programme, None)
    done = _submit(
        form,
        lambda: indicator_admin.create_indicator(db.session, programme, form.values(), actor=current_user),
        lambda created: _("Indicator %(code)s added.", code=created.code),
        lambda _created: programme.code,
    )
    return done if done is not None else _indicator_page(programme, form, None)


@bp.route("/results/<programme_code>/indicators/<indicator_code>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def indicator_edit(programme_code: str, indicator_code: str) -> Response | tuple[str, int]:
    """Change an indicator: its measure and filters, unit, direction, baseline and target."""
    programme = _managed(programme_code)
    indicator = _indicator(programme, indicator_code)
    form = _indicator_form(programme, indicator)
    done = _submit(
        form,
        lambda: indicator_admin.update_indicator(db.session, indicator, form.values(), actor=current_user),
        lambda _changed: _("Indicator %(code)s saved.", code=indicator.code),
        lambda _changed: programme.code,
    )
    return done if done is not None else _indicator_page(programme, form, indicator)


@bp.post("/results/<programme_code>/indicators/<indicator_code>/delete")
@roles_required(*MANAGERS)
def indicator_delete(programme_code: str, indicator_code: str) -> Response | tuple[str, int]:
    """Remove an indicator with its targets and actuals, once the box confirming it is ticked."""
    programme = _managed(programme_code)
    indicator = _indicator(programme, indicator_code)
    delete_form = DeleteIndicatorForm()
    if delete_form.validate_on_submit():
        code = indicator.code
        indicator_admin.delete_indicator(db.session, indicator, actor=current_user)
        db.session.commit()
        flash(_("Indicator %(code)s removed, with its targets and actuals.", code=code), "success")
        return redirect(url_for("results.programme", programme_code=programme.code), 303)
    form = _indicator_form(programme, indicator, formdata=None)
    return _indicator_page(programme, form, indicator, delete_form, status=UNPROCESSABLE)
