"""app/translate.py: the same messages as Flask-Babel's, in whatever language is current."""

from __future__ import annotations

import flask_babel
import pytest
from flask import render_template_string
from flask_babel import force_locale

from app import translate
from forms.base import WTFORMS_MESSAGES

CORRECT = "Please correct the marked fields."
PAGES = "Page %(page)d of %(pages)d"
UNDER = ("Keep this under %(num)d character.", "Keep this under %(num)d characters.")


@pytest.fixture
def russian(app):
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        yield


def test_messages_are_flask_babels(russian) -> None:
    assert translate.gettext(CORRECT) == flask_babel.gettext(CORRECT) != CORRECT
    assert translate.gettext(PAGES, page=2, pages=5) == "Страница 2 из 5"
    for num in (1, 3, 11):
        assert translate.ngettext(*UNDER, num) == flask_babel.ngettext(*UNDER, num)
    assert translate.ngettext(*UNDER, 3) == "Не более 3 символов."
    assert translate.pgettext("severity", "Low") == flask_babel.pgettext("severity", "Low") == "Низкая"
    assert str(translate.lazy_gettext(CORRECT)) == flask_babel.gettext(CORRECT)


def test_a_forced_language_is_followed_and_then_left(russian) -> None:
    russian_text = translate.gettext(CORRECT)
    with force_locale("ky"):
        assert translate.gettext(CORRECT) == flask_babel.gettext(CORRECT) != russian_text
        with force_locale("en"):
            assert translate.gettext(CORRECT) == CORRECT
    assert translate.gettext(CORRECT) == russian_text


def test_after_a_refresh_the_new_language_is_read(russian, monkeypatch: pytest.MonkeyPatch) -> None:
    russian_text = translate.gettext(CORRECT)
    monkeypatch.setattr(flask_babel.get_babel(), "locale_selector", lambda: "tg")  # the user chose Tajik
    flask_babel.refresh()
    assert translate.gettext(CORRECT) == flask_babel.gettext(CORRECT) != russian_text


def test_outside_any_context_the_message_is_its_own_text() -> None:
    assert translate.gettext(CORRECT) == CORRECT
    assert translate.ngettext(*UNDER, 3) == "Keep this under 3 characters."


def test_templates_escape_the_values_not_the_message(russian) -> None:
    page = render_template_string(
        "{{ _('Page %(page)d of %(pages)d', page=1, pages=2) }}|{{ _('Hello %(name)s', name='<b>') }}|"
        "{{ ngettext('Keep this under %(num)d character.', 'Keep this under %(num)d characters.', 5) }}|"
        "{{ pgettext('severity', 'Low') }}|"
        "{% trans count=2 %}{{ count }} day{% pluralize %}{{ count }} days{% endtrans %}"
    )
    assert page == "Страница 1 из 2|Hello &lt;b&gt;|Не более 5 символов.|Низкая|2 days"


def test_wtforms_messages_are_translated(russian) -> None:
    text = WTFORMS_MESSAGES.gettext("Not a valid date value.")
    assert text != "Not a valid date value." and "дат" in text
    with force_locale("en"):
        assert WTFORMS_MESSAGES.gettext("Not a valid date value.") == "Not a valid date value."
