"""Admin pages (administrators only): users, organisations, geography and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit, imports, routes  # noqa: E402,F401
