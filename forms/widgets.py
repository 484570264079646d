"""WTForms' own widgets with a cheaper attribute writer, for the forms rendered on every entry.

WTForms 3.3 writes each attribute with ``Markup('{k}="{v}"').format(...)``: markupsafe's
``format`` goes through ``string.Formatter`` and escapes twice, and an activity form has some
seventy inputs and options of four or five attributes each, so it was 40 % of the form's rendering
(``python -m bench.submit_profile``). :func:`html_params` writes the same text (same order,
same escaping, ``True`` as a bare attribute, ``False`` left out) with one ``escape`` per value;
``tests/unit/test_widgets.py`` holds it to WTForms' own output. The widgets below differ from
WTForms' only in using it.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key


def html_params(**kwargs: object) -> Markup:
    """``wtforms.widgets.html_params``, the same text."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(str(escape(clean_key(key))))
        elif value is not False:
            text = str(escape(value)).replace('"', "&quot;")  # a Markup value may hold a quote
            params.append(f'{escape(clean_key(key))}="{text}"')
    return Markup(" ".join(params))  # noqa: S704  (every key and value escaped above)


class TextInput(widgets.TextInput):
    html_params = staticmethod(html_params)


class HiddenInput(widgets.HiddenInput):
    html_params = staticmethod(html_params)


class DateInput(widgets.DateInput):
    html_params = staticmethod(html_params)


class CheckboxInput(widgets.CheckboxInput):
    html_params = staticmethod(html_params)


class RadioInput(widgets.RadioInput):
    html_params = staticmethod(html_params)


class Select(widgets.Select):
    """Its options written with :func:`html_params` (a community list may have dozens)."""

    @classmethod
    def render_option(cls, choice: object, **kwargs: object) -> Markup:
        value = choice.value
        if isinstance(value, bool):
            value = str(value)
        options = {"value": value, **(choice.render_kw or {}), **kwargs}
        if choice.selected:
            options["selected"] = True
        label = escape(choice.label or choice.value)
        return Markup(f"<option {html_params(**options)}>{label}</option>")  # noqa: S704  (escaped)
