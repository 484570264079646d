"""Dashboard and Excel export for coordinators, donors and administrators."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from . import issued, routes  # noqa: E402,F401
