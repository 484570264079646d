"""Dashboard and exports (Excel, CSV, in the background when big) for coordinators, donors and
administrators."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from . import exports, issued, routes  # noqa: E402,F401
