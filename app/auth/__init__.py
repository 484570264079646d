"""Sign-in, sign-out and the language switch; sessions that expire and can be revoked."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes  # noqa: E402,F401
from .sessions import enforce_session_limits  # noqa: E402

bp.before_app_request(enforce_session_limits)
