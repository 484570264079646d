"""Sign-in, sign-out and the language switch: thin views over services.accounts and audit."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from forms.auth import LanguageForm, LoginForm

from ..api.answers import is_api_request, json_error
from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..services.accounts import authenticate
from ..services.audit import log_event
from ..translate import gettext as _
from ..translate import ngettext
from . import bp, throttle
from .sessions import end_session, start_session

#: The ``lang`` cookie of visitors who are not signed in keeps for a year.
LANG_COOKIE_AGE = 365 * 24 * 3600


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` when it is a path on this site, else ``fallback`` (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    return target


def _known_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def _refuse_while_limited(form: LoginForm, wait: int) -> tuple[str, int, dict[str, str]]:
    """429: too many failures for this account or address; audited, the password not even tried."""
    known = _known_user(form.username.data)
    log_event(db.session, "login_failed", "user", user=known, known_user=known is not None, rate_limited=True)
    db.session.commit()
    minutes = throttle.minutes(wait)
    message = ngettext(
        "Too many failed sign-ins. Try again in %(num)d minute.",
        "Too many failed sign-ins. Try again in %(num)d minutes.",
        minutes,
    )
    page = render_template("auth/login.html", form=form, limited_message=message)
    return page, 429, {"Retry-After": str(wait)}


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Sign in with a username and a password; failures are limited per account and address."""
    form = LoginForm()
    if request.method == "POST":
        if not form.validate():
            return render_template("auth/login.html", form=form), 422
        username = form.username.data
        wait = throttle.seconds_to_wait(username)
        if wait is not None:
            return _refuse_while_limited(form, wait)
        user = authenticate(db.session, username, form.password.data)
        if user is None:
            throttle.record_failure(username)
            known = _known_user(username)
            log_event(db.session, "login_failed", "user", user=known, known_user=known is not None)
            db.session.commit()
            form.password.errors = [_("The username or password is not right.")]
            return render_template("auth/login.html", form=form), 401
        throttle.forget_failures(username)
        start_session(user)
        user.last_login_at = utcnow()
        log_event(db.session, "login", "user", user=user, object_uuid=user.uuid, role=str(user.role))
        db.session.commit()
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out (POST only, with the CSRF token): every session of this user ends, here and elsewhere."""
    log_event(db.session, "logout", "user", user=current_user, object_uuid=current_user.uuid)
    current_user.end_sessions()
    db.session.commit()
    end_session()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language() -> Response | tuple[str, int]:
    """Save the chosen language on the user, or in a cookie before sign-in."""
    form = LanguageForm()
    form.locale.choices = list(current_app.config["LANGUAGES"])
    if not form.validate():
        return (
            render_template(
                "error.html",
                title=_("Language not changed"),
                message=_("Choose one of the languages offered."),
            ),
            422,
        )
    response = redirect(safe_next(form.next.data, url_for("main.index")))
    if current_user.is_authenticated:
        current_user.locale = form.locale.data
        log_event(
            db.session,
            "update",
            "user",
            user=current_user,
            object_uuid=current_user.uuid,
            locale=form.locale.data,
        )
        db.session.commit()
    else:
        response.set_cookie(
            "lang",
            form.locale.data,
            max_age=LANG_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> tuple[str, int] | tuple[Response, int]:
    """A form sent without a valid token: say so plainly, store nothing."""
    if is_api_request():
        return json_error(400, _("The session's token is missing or old: ask /api/v1/session for a new one."))
    return (
        render_template(
            "error.html",
            title=_("The form has expired"),
            message=_("Please go back, reload the page and send the form again."),
        ),
        400,
    )
