"""The versioned JSON API (``/api/v1``): the tablets' offline outbox sends its entries here."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import routes  # noqa: E402,F401
