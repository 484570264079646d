"""Errors that carry a message meant for the user (CLI line, flash, form error or JSON body)."""

from __future__ import annotations


class DomainError(ValueError):
    """A request breaks a domain rule; ``str(exc)`` says what is wrong, in the user's words.

    ``field`` names the form field the message belongs beside (None: the whole request), so the
    pages and the JSON API place it without checking the rule again; ``code`` is a stable
    machine-readable name for tools; ``http_status`` is what a web door answers.
    """

    http_status = 422

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotAllowed(DomainError):
    """The actor's role may not take this action on this record (403)."""

    http_status = 403

    def __init__(self, message: str, *, field: str | None = None, code: str = "not_allowed") -> None:
        super().__init__(message, field=field, code=code)


class Conflict(DomainError):
    """The record is not in a state the action needs: changed meanwhile, or in a closed month (409)."""

    http_status = 409

    def __init__(self, message: str, *, field: str | None = None, code: str = "conflict") -> None:
        super().__init__(message, field=field, code=code)
