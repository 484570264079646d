"""Admin views: forms in, services write, the view commits. Bad input answers 422."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from forms.admin import (
    CommunityForm,
    OrganisationForm,
    PasswordResetForm,
    PlaceNamesForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)

from ..collation import in_order
from ..errors import DomainError
from ..extensions import db
from ..models import Community, District, Organisation, Region, User
from ..paging import page_number
from ..security import roles_required
from ..services import geography, organisations, users
from ..translate import gettext as _
from ..vocabulary import ORGANISATION_TYPE_LABELS, ROLE_LABELS, Role
from . import bp

UNPROCESSABLE = 422
T = TypeVar("T")


def _render(template: str, status: int = 200, **context: object) -> tuple[str, int]:
    return render_template(
        template,
        role_labels=ROLE_LABELS,
        organisation_type_labels=ORGANISATION_TYPE_LABELS,
        **context,
    ), status


#: What :func:`_write` returns when the service refused the change.
FAILED = object()


def _write(form: FlaskForm, write: Callable[[], T]) -> T | object:
    """Run one service write as one transaction; commit it, or roll back and return FAILED.

    The service's refusal goes beside the field it names when the form has that field, else at
    the top of the form.
    """
    try:
        result = write()
    except DomainError as exc:
        db.session.rollback()
        place_error(form, exc)
        return FAILED
    db.session.commit()
    return result


def place_error(form: FlaskForm, exc: DomainError) -> None:
    """Show a service's refusal beside ``form[exc.field]``, or as a form-level error."""
    if exc.field and exc.field in form:
        field = form[exc.field]
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _flash_saved(changed: list[str], message: str) -> None:
    if changed:
        flash(message, "success")
    else:
        flash(_("Nothing was changed."), "info")


def _get_by_uuid(model: type, key: uuid.UUID) -> User | Organisation:
    row = db.session.scalar(select(model).where(model.uuid == key))
    if row is None:
        abort(404)
    return row


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> tuple[str, int]:
    return _render("admin/index.html")


# Users ------------------------------------------------------------------------------------------


@bp.get("/users")
@roles_required(Role.ADMIN)
def users_list() -> tuple[str, int]:
    filters = UserFilterForm(request.args)
    valid = filters.validate()
    role = filters.role.data if valid else None
    search = filters.q.data if valid else None
    page = db.paginate(
        users.users_query(role=role, search=search),
        page=page_number(),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return _render("admin/users.html", filters=filters, page=page, role=role, search=search)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_create() -> Response | tuple[str, int]:
    form = UserCreateForm()
    if form.validate_on_submit():
        user = _write(
            form,
            lambda: users.add_user(
                db.session,
                actor=current_user,
                username=form.username.data,
                password=form.password.data,
                **form.scope_values(),
            ),
        )
        if user is not FAILED:
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for(".user_edit", user_uuid=user.uuid))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return _render("admin/user_create.html", status, form=form)


def _user_page(
    user: User,
    *,
    form: UserEditForm | None = None,
    password_form: PasswordResetForm | None = None,
    status_error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return _render(
        "admin/user_edit.html",
        status,
        user=user,
        form=form or UserEditForm(formdata=None, user=user),
        password_form=password_form or PasswordResetForm(formdata=None, user=user),
        status_error=status_error,
    )


@bp.route("/users/<uuid:user_uuid>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_edit(user_uuid: uuid.UUID) -> Response | tuple[str, int]:
    user = _get_by_uuid(User, user_uuid)
    form = UserEditForm(user=user)
    if form.validate_on_submit():
        changed = _write(
            form, lambda: users.update_user(db.session, user, actor=current_user, **form.scope_values())
        )
        if changed is not FAILED:
            _flash_saved(changed, _("Changes to %(name)s saved.", name=user.username))
            return redirect(url_for(".user_edit", user_uuid=user.uuid))
    return _user_page(user, form=form, status=UNPROCESSABLE if form.is_submitted() else 200)


@bp.post("/users/<uuid:user_uuid>/password")
@roles_required(Role.ADMIN)
def user_password(user_uuid: uuid.UUID) -> Response | tuple[str, int]:
    user = _get_by_uuid(User, user_uuid)
    password_form = PasswordResetForm(user=user)
    if password_form.validate_on_submit():
        users.reset_password(db.session, user, password_form.password.data, actor=current_user)
        db.session.commit()
        flash(_("New password set for %(name)s. Give it to them in person.", name=user.username), "success")
        return redirect(url_for(".user_edit", user_uuid=user.uuid))
    return _user_page(user, password_form=password_form, status=UNPROCESSABLE)


@bp.post("/users/<uuid:user_uuid>/<any(deactivate, reactivate):action>")
@roles_required(Role.ADMIN)
def user_status(user_uuid: uuid.UUID, action: str) -> Response | tuple[str, int]:
    user = _get_by_uuid(User, user_uuid)
    try:
        users.set_user_active(db.session, user, action == "reactivate", actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        return _user_page(user, status_error=str(exc), status=UNPROCESSABLE)
    db.session.commit()
    if user.active:
        flash(_("%(name)s can sign in again.", name=user.username), "success")
    else:
        flash(_("%(name)s is deactivated and can no longer sign in.", name=user.username), "success")
    return redirect(url_for(".user_edit", user_uuid=user.uuid))


# Organisations ----------------------------------------------------------------------------------


@bp.get("/organisations")
@roles_required(Role.ADMIN)
def organisations_list() -> tuple[str, int]:
    rows = in_order(db.session.scalars(organisations.organisations_query()), lambda o: o.local_name)
    return _render("admin/organisations.html", organisations=rows)


def _organisation_values(form: OrganisationForm) -> dict[str, str]:
    return {
        "code": form.code.data,
        "name": form.name.data,
        "names": form.names.form.names(),
        "type": form.type.data,
        "district_code": form.district.data,
    }


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def organisation_create() -> Response | tuple[str, int]:
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = _write(
            form,
            lambda: organisations.create_organisation(
                db.session, actor=current_user, **_organisation_values(form)
            ),
        )
        if organisation is not FAILED:
            flash(_("Organisation %(code)s created.", code=organisation.code), "success")
            return redirect(url_for(".organisations_list"))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return _render("admin/organisation_form.html", status, form=form, organisation=None)


@bp.route("/organisations/<uuid:organisation_uuid>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def organisation_edit(organisation_uuid: uuid.UUID) -> Response | tuple[str, int]:
    organisation = _get_by_uuid(Organisation, organisation_uuid)
    form = OrganisationForm(organisation=organisation)
    if form.validate_on_submit():
        changed = _write(
            form,
            lambda: organisations.update_organisation(
                db.session, organisation, actor=current_user, **_organisation_values(form)
            ),
        )
        if changed is not FAILED:
            _flash_saved(changed, _("Organisation %(code)s saved.", code=organisation.code))
            return redirect(url_for(".organisations_list"))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return _render("admin/organisation_form.html", status, form=form, organisation=organisation)


@bp.post("/organisations/<uuid:organisation_uuid>/<any(deactivate, reactivate):action>")
@roles_required(Role.ADMIN)
def organisation_status(organisation_uuid: uuid.UUID, action: str) -> Response:
    organisation = _get_by_uuid(Organisation, organisation_uuid)
    organisations.set_organisation_active(
        db.session, organisation, action == "reactivate", actor=current_user
    )
    db.session.commit()
    if organisation.active:
        flash(_("Organisation %(code)s is active again.", code=organisation.code), "success")
    else:
        flash(_("Organisation %(code)s is deactivated.", code=organisation.code), "success")
    return redirect(url_for(".organisations_list"))


# Geography --------------------------------------------------------------------------------------


@bp.get("/geography")
@roles_required(Role.ADMIN)
def geography_index() -> tuple[str, int]:
    return _render("admin/geography.html", countries=geography.geography_tree(db.session))


@bp.route("/geography/districts/<code>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def district(code: str) -> Response | tuple[str, int]:
    row = db.session.scalar(select(District).where(District.code == code))
    if row is None:
        abort(404)
    form = CommunityForm(district=row)
    if form.validate_on_submit():
        community = _write(
            form,
            lambda: geography.add_community(
                db.session, row, form.name.data, actor=current_user, names=form.names.form.names()
            ),
        )
        if community is not FAILED:
            flash(
                _("Community %(name)s added as %(code)s.", name=community.local_name, code=community.code),
                "success",
            )
            return redirect(url_for(".district", code=row.code))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return _render("admin/district.html", status, district=row, form=form)


#: The places whose names an administrator edits: URL segment -> (model, audit name).
PLACES = {
    "regions": (Region, "region"),
    "districts": (District, "district"),
    "communities": (Community, "community"),
}


@bp.route("/geography/<any(regions, districts, communities):level>/<code>/names", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def place_names(level: str, code: str) -> Response | tuple[str, int]:
    """A region's, district's or community's name in each interface language."""
    model, object_type = PLACES[level]
    place = db.session.scalar(select(model).where(model.code == code))
    if place is None:
        abort(404)
    form = PlaceNamesForm(data={"names": dict(place.names or {})})
    if form.validate_on_submit():
        changed = geography.set_names(
            db.session, place, form.names.form.names(), actor=current_user, object_type=object_type
        )
        db.session.commit()
        _flash_saved(["names"] if changed else [], _("Names of %(name)s saved.", name=place.local_name))
        district = place if level == "districts" else getattr(place, "district", None)
        if district is not None:
            return redirect(url_for(".district", code=district.code))
        return redirect(url_for(".geography_index"))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return _render("admin/place_names.html", status, place=place, form=form, level=level)
