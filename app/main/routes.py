"""Home page, error pages and the helpers every template uses."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from forms.auth import LANGUAGE_NAMES

from ..api.answers import error_json, is_api_request
from ..entries.queries import recent_records, returned_records
from ..entries.routes import can_create
from ..kinds import KINDS
from ..security import RECORD_ROLES
from ..translate import gettext as _
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


def _error_page(error: HTTPException) -> tuple[str, int] | tuple[Response, int]:
    """The app's own page for an error, in the user's language (the error itself is logged by Flask);
    JSON for the API."""
    if is_api_request():
        return error_json(getattr(error, "code", 500) or 500)
    titles = {
        403: (_("Not allowed"), _("Your account cannot open this page.")),
        404: (_("Not found"), _("There is nothing at this address, or it is outside your area.")),
        413: (
            _("Too much sent at once"),
            _("What was sent is larger than this page accepts. Shorten the text and send it again."),
        ),
        500: (
            _("Something went wrong"),
            _("The error was recorded. Try again, and tell your coordinator if it happens again."),
        ),
    }
    if error.code not in titles and isinstance(error, HTTPException) and error.code < 500:
        return error  # type: ignore[return-value]  (Werkzeug's own short page for the rest)
    code = error.code if error.code in titles else 500
    title, message = titles[code]
    return render_template("error.html", title=title, message=message), code


for _code in (400, 403, 404, 405, 413, 415, 500):
    bp.app_errorhandler(_code)(_error_page)
