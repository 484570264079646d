"""Translation calls that look the catalog up once per request, for the code and the templates.

Flask-Babel's ``gettext`` finds the catalog through its per-context namespace on ``flask.g``
about ten times a call (the domain, the catalog, the locale, each through ``g``'s proxy): some
17 us a message, 31 us from a template, where the lookup in the catalog itself is 0.4 us. An
entry page shows 100 to 150 messages, so this was a fifth of its CPU (``bench/submit_profile.py``).

:func:`catalog` keeps the catalog Flask-Babel found in that same namespace, next to the locale it
was found for, and hands it back while the locale is the same object. Whatever changes the
locale (``force_locale``, ``flask_babel.refresh``) replaces that object, so the next call looks
the catalog up again through Flask-Babel. Outside an application context every call is
Flask-Babel's own. The functions take the same arguments and return the same text as
Flask-Babel's; the templates get them through :func:`install_in_jinja`.

WTForms' own messages get the same treatment: Flask-WTF reads WTForms' catalog file from disk
on every request that builds a form (:class:`WTFormsMessages`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import flask_babel
from babel import support
from flask import g
from flask_babel.speaklater import LazyString
from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
from wtforms.i18n import messages_path

__all__ = [
    "WTFormsMessages",
    "catalog",
    "gettext",
    "install_in_jinja",
    "lazy_gettext",
    "ngettext",
    "pgettext",
]


def catalog() -> support.NullTranslations:
    """The current catalog, as ``flask_babel.get_translations()`` returns it."""
    try:
        namespace = g._flask_babel
        locale, translations = namespace.yntymak_catalog
        if locale is namespace.babel_locale:
            return translations
    except (AttributeError, RuntimeError):  # not looked up yet in this context, or no context
        pass
    return _look_up()


def _look_up() -> support.NullTranslations:
    translations = flask_babel.get_translations()
    try:
        namespace = g._flask_babel
        namespace.yntymak_catalog = (namespace.babel_locale, translations)
    except (AttributeError, RuntimeError):  # no application context: nothing to keep it in
        pass
    return translations


def gettext(string: str, **variables: Any) -> str:
    """``flask_babel.gettext``."""
    text = catalog().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """``flask_babel.ngettext``: ``num`` is also available as ``%(num)d``."""
    variables.setdefault("num", num)
    return catalog().ungettext(singular, plural, num) % variables


def pgettext(context: str, string: str, **variables: Any) -> str:
    """``flask_babel.pgettext``."""
    text = catalog().upgettext(context, string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """``flask_babel.lazy_gettext``: translated when it is used as text."""
    return LazyString(gettext, string, **variables)


def install_in_jinja(env: Environment) -> None:
    """The templates' ``_``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext`` and
    ``{% trans %}`` through :func:`catalog` (call after Flask-Babel's ``init_app``, which installs
    its own). They behave as Jinja's "new style" ones (escaped, always ``%``-formatted), without
    its two extra calls through the template context per message."""
    env.newstyle_gettext = True  # type: ignore[attr-defined]  (how {% trans %} compiles; Flask-Babel's too)
    env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )


def _formatted(eval_ctx: EvalContext, text: str, variables: dict) -> str:
    # as Jinja's: the catalog's text is markup the translators wrote, the variables get escaped
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    return _formatted(eval_ctx, catalog().ugettext(string), variables)


@pass_eval_context
def _template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    return _formatted(eval_ctx, catalog().ungettext(singular, plural, num), variables)


@pass_eval_context
def _template_pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    return _formatted(eval_ctx, catalog().upgettext(context, string), variables)


@pass_eval_context
def _template_npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _formatted(eval_ctx, catalog().unpgettext(context, singular, plural, num), variables)


@lru_cache(maxsize=32)
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' messages ("Not a valid date value.") in the current language, each catalog read
    once per process (``Meta.get_translations`` of :class:`forms.base.BaseForm`)."""

    @staticmethod
    def _current() -> support.NullTranslations:
        locale = flask_babel.get_locale()
        return _wtforms_catalog(str(locale)) if locale is not None else support.NullTranslations()

    def gettext(self, string: str) -> str:
        return self._current().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._current().ungettext(singular, plural, n)
