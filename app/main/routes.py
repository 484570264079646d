"""Home page, error pages and the helpers every template uses."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from forms.auth import LANGUAGE_NAMES

from ..entries.queries import recent_records, returned_records
from ..entries.routes import can_create
from ..kinds import KINDS
from ..security import RECORD_ROLES
from ..vocabulary import Role
from . import bp

#: How many recent entries the home page lists.
RECENT = 10


@bp.app_context_processor
def template_helpers() -> dict:
    """``has_endpoint(name)`` for links to blueprints that may be absent, and the language list."""
    languages = current_app.config["LANGUAGES"]
    return {
        "has_endpoint": lambda name: name in current_app.view_functions,
        "language_names": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
    }


@bp.get("/")
def index() -> str | Response:
    """Returned entries first (volunteers), then recent entries, and one large button per kind."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    recent, returned = [], []
    if current_user.role in RECORD_ROLES:
        recent = recent_records(current_user, RECENT, own=current_user.role == Role.VOLUNTEER)
    if current_user.role == Role.VOLUNTEER:
        returned = returned_records(current_user)
    return render_template(
        "main/index.html",
        kinds=KINDS,
        recent=recent,
        returned=returned,
        can_create=can_create(current_user) and current_user.role in RECORD_ROLES,
    )


def _error_page(error: HTTPException) -> tuple[str, int]:
    titles = {
        403: (_("Not allowed"), _("Your account cannot open this page.")),
        404: (_("Not found"), _("There is nothing at this address, or it is outside your area.")),
    }
    title, message = titles[error.code]
    return render_template("error.html", title=title, message=message), error.code


bp.app_errorhandler(403)(_error_page)
bp.app_errorhandler(404)(_error_page)
