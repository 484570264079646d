"""Locale selection: the user's saved language, then the browser's, then Russian.

Outside a request (the command line) the shell's language is used, English by default.
"""

from __future__ import annotations

import os

from flask import current_app, has_request_context, request
from flask_login import current_user

from .translate import gettext, pgettext
from .vocabulary import InContext


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Command line: the shell's language when we have it (LANG=ru_RU.UTF-8), else English.
        shell = (os.environ.get("LC_ALL") or os.environ.get("LANG") or "")[:2]
        return shell if shell in languages else "en"
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def translate(label: str) -> str:
    """A vocabulary label in the current language, in its context when it has one (``NP_``)."""
    if isinstance(label, InContext):
        return str(pgettext(label.context, str(label)))
    return gettext(label)
