"""Signed-in sessions that end: at sign-out, when revoked, after idling and after a lifetime.

At sign-in the session is emptied (so the CSRF token is new), then holds the user's
``session_generation`` (checked by :func:`app.services.accounts.load_user`), the time of sign-in
and the time of the last request. Before each request :func:`enforce_session_limits` signs out a
session idle for ``SESSION_IDLE_MINUTES`` or older than ``SESSION_LIFETIME_HOURS``, or whose user
the loader refused (signed out elsewhere, new password, new role or scope, deactivated), and
sends the browser to the sign-in page with a message saying why.
"""

from __future__ import annotations

import time

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ..api.answers import is_api_request, not_signed_in
from ..models import User
from ..services.accounts import GENERATION_KEY
from ..translate import gettext as _
from ..translate import ngettext

#: Session keys: when the user signed in, and when the session last served a request.
SIGNED_IN_KEY = "auth_signed_in_at"
SEEN_KEY = "auth_seen_at"
#: The last-seen time is rewritten at most this often (seconds), not on every request.
SEEN_RESOLUTION = 60


def start_session(user: User) -> None:
    """Sign ``user`` in on a fresh session: new CSRF token, the user's generation, the times."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # Flask-WTF's cache
    login_user(user)
    now = int(time.time())
    session[GENERATION_KEY] = user.session_generation
    session[SIGNED_IN_KEY] = now
    session[SEEN_KEY] = now


def end_session() -> None:
    """Sign out here and forget everything the session held (CSRF token included)."""
    logout_user()
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def _expiry_message(now: int) -> str | None:
    """Why the session must end now, or None while it may go on."""
    config = current_app.config
    signed_in, seen = session.get(SIGNED_IN_KEY), session.get(SEEN_KEY)
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return _("Your session has ended. Please sign in again.")
    hours = config["SESSION_LIFETIME_HOURS"]
    if now - signed_in > hours * 3600:
        return ngettext(
            "You were signed out %(num)d hour after signing in. Please sign in again.",
            "You were signed out %(num)d hours after signing in. Please sign in again.",
            hours,
        )
    idle = config["SESSION_IDLE_MINUTES"]
    if now - seen > idle * 60:
        return ngettext(
            "You were signed out after %(num)d minute without activity.",
            "You were signed out after %(num)d minutes without activity.",
            idle,
        )
    if not current_user.is_authenticated:  # the loader refused the session
        return _("Your session has ended. Please sign in again.")
    return None


def enforce_session_limits() -> Response | tuple[Response, int] | None:
    """Before each request: end an expired or revoked session and send it to the sign-in page."""
    if request.endpoint in (None, "static") or "_user_id" not in session:
        return None
    now = int(time.time())
    message = _expiry_message(now)
    if message is None:
        if now - session[SEEN_KEY] >= SEEN_RESOLUTION:
            session[SEEN_KEY] = now
        return None
    end_session()
    if is_api_request():  # the outbox keeps its entries and asks the volunteer to sign in again
        return not_signed_in()
    flash(message, "info")
    if request.endpoint == "auth.login":
        return None  # the sign-in page itself goes on, and shows the message
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))
