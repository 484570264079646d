"""Closed months at ``/review/periods``: coordinators close their area's months, admins reopen."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from forms.review import ClosePeriodForm, ReopenPeriodForm

from ..errors import DomainError
from ..extensions import db
from ..models import ClosedPeriod
from ..security import roles_required
from ..services import periods
from ..translate import gettext as _
from ..vocabulary import Role
from . import bp


def _area_choices() -> list[tuple[str, str]]:
    """``country:<id>`` or ``region:<id>`` values with readable labels."""
    choices = []
    for country, region in periods.areas_for(db.session, current_user):
        if region is None:
            choices.append(
                (f"country:{country.id}", _("%(country)s (whole country)", country=country.local_name))
            )
        else:
            choices.append((f"region:{region.id}", f"{region.local_name} ({country.local_name})"))
    return choices


def _page(
    form: ClosePeriodForm, status: int = 200, reopen_form: ReopenPeriodForm | None = None
) -> tuple[str, int]:
    return (
        render_template(
            "review/periods.html",
            form=form,
            reopen_form=reopen_form or ReopenPeriodForm(formdata=None),
            closed=periods.closed_periods(db.session, current_user),
            month_label=periods.month_label,
        ),
        status,
    )


@bp.get("/review/periods")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def periods_page() -> tuple[str, int]:
    """The months closed in the user's area, and the form to close one."""
    return _page(ClosePeriodForm(formdata=None, areas=_area_choices()))


@bp.post("/review/periods")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def close_period() -> Response | tuple[str, int]:
    """Close a month for an area (refused while entries of it wait for review)."""
    form = ClosePeriodForm(areas=_area_choices())
    if not form.validate():
        return _page(form, 422)
    country, region = _area(form.area.data)
    try:
        periods.close_month(db.session, current_user, form.month_date(), country, region)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        target = form[exc.field] if exc.field in ("month", "area") else form.month
        target.errors = [*target.errors, str(exc)]
        return _page(form, exc.http_status)
    flash(
        _(
            "%(month)s is closed: its entries can no longer change.",
            month=periods.month_label(form.month_date()),
        ),
        "success",
    )
    return redirect(url_for(".periods_page"), 303)


def _area(value: str) -> tuple:
    """The (country, region) a choice value names; the choices only offer the user's areas."""
    for country, region in periods.areas_for(db.session, current_user):
        key = f"region:{region.id}" if region is not None else f"country:{country.id}"
        if key == value:
            return country, region
    abort(400)


@bp.post("/review/periods/<uuid:period_id>/reopen")
@roles_required(Role.ADMIN)
def reopen_period(period_id: uuid.UUID) -> Response | tuple[str, int]:
    """An administrator reopens a closed month, with a reason."""
    period = db.session.scalar(select(ClosedPeriod).where(ClosedPeriod.uuid == period_id))
    if period is None:
        abort(404)
    form = ReopenPeriodForm()
    if not form.validate():
        form.period.data = str(period.uuid)
        return _page(ClosePeriodForm(formdata=None, areas=_area_choices()), 422, reopen_form=form)
    label = periods.month_label(period.month)
    try:
        periods.reopen_month(db.session, current_user, period, form.reason.data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        form.period.data = str(period_id)
        form.reason.errors = [*form.reason.errors, str(exc)]
        return _page(ClosePeriodForm(formdata=None, areas=_area_choices()), exc.http_status, reopen_form=form)
    flash(_("%(month)s is open again.", month=label), "success")
    return redirect(url_for(".periods_page"), 303)
