"""Errors of the JSON API as JSON (never an HTML page or a redirect to the sign-in page)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Response, jsonify, request
from flask_login import current_user

from ..translate import gettext as _

F = TypeVar("F", bound=Callable[..., object])

#: Every path of the API starts so.
PREFIX = "/api/"


def is_api_request() -> bool:
    """Whether the request is for the JSON API (its errors are answered in JSON)."""
    return request.path.startswith(PREFIX)


def json_error(status: int, message: str, **extra: object) -> tuple[Response, int]:
    """``{"error": message, ...}`` with the status."""
    return jsonify({"error": message, **extra}), status


def not_signed_in() -> tuple[Response, int]:
    return json_error(401, _("Sign in to send entries. Nothing waiting on this device is lost."))


def signed_in_json(view: F) -> F:
    """401 in JSON unless signed in (a page would redirect to the sign-in page)."""

    @wraps(view)
    def wrapped(*args: object, **kwargs: object) -> object:
        if not current_user.is_authenticated:
            return not_signed_in()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def error_json(code: int) -> tuple[Response, int]:
    """An HTTP error of the API as JSON, in the user's language."""
    messages = {
        400: _("The request was not understood."),
        401: _("Sign in to send entries. Nothing waiting on this device is lost."),
        403: _("Your account cannot do this."),
        404: _("There is nothing at this address, or it is outside your area."),
        405: _("This address does not take this method."),
        413: _("What was sent is larger than the server accepts."),
        415: _("Send the entry as JSON (Content-Type: application/json)."),
        500: _("Something went wrong. The error was recorded; try again later."),
    }
    return json_error(code if code in messages else 500, messages.get(code, messages[500]))
