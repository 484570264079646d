"""Results framework pages: programmes, their indicators, targets against actuals (issue 13)."""

from flask import Blueprint

bp = Blueprint("results", __name__)

from . import manage, routes, targets  # noqa: E402,F401
