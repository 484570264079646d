"""Review: the coordinators' queue, approve / return / reopen, and closed months."""

from flask import Blueprint

bp = Blueprint("review", __name__)

from . import periods, routes  # noqa: E402,F401
