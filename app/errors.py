"""Errors that carry a message meant for the user (CLI line, flash or form error)."""


class DomainError(ValueError):
    """A request breaks a domain rule; ``str(exc)`` says what is wrong, in the user's words."""
