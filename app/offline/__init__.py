"""Offline use: the service worker, the web app manifest and the outbox page."""

from flask import Blueprint

bp = Blueprint("offline", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
