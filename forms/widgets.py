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

import wtforms
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


#: The option widgets :func:`choice_options` writes itself (WTForms' attributes, none of their own flags).
_OWN_OPTIONS = (CheckboxInput, RadioInput)


def _option_label(option_id: str, option_input: object, label: object) -> str:
    text = escape(label)
    return f'\n    <label class="option" for="{escape(option_id)}">{option_input} <span>{text}</span></label>'


def choice_options(field: wtforms.Field) -> Markup:
    """Every option of a checkbox or radio group, each ``<input>`` inside its label, as the
    template's loop over the field wrote them (``_macros.html``), but without making a WTForms
    sub-field for each option: an activity form has some sixty options, and those sub-fields were
    a third of its rendering. A field whose options carry attributes of their own (``render_kw``,
    a widget with flags) goes through WTForms' sub-fields as before;
    ``tests/unit/test_widgets.py`` holds both to the same text."""
    widget = field.option_widget
    choices = list(field._iter_choices_normalized())  # what WTForms' __iter__ reads
    if (
        type(widget) not in _OWN_OPTIONS
        or field.render_kw
        or getattr(widget, "field_flags", None)
        or any(choice.render_kw for choice in choices)
    ):
        return Markup("".join(_option_label(option.id, option(), option.label.text) for option in field))  # noqa: S704
    shared = {}
    for name in widget.validation_attrs:  # "required", "disabled", as WTForms reads them
        flag = getattr(field.flags, name, None)
        if flag is not None:
            shared[name] = flag() if callable(flag) else flag
    shared["name"] = field.name
    shared["type"] = widget.input_type
    parts = []
    for number, choice in enumerate(choices):
        option_id = f"{field.id}-{number}"
        attributes = {**shared, "id": option_id, "value": str(choice.value)}
        if choice.selected:
            attributes["checked"] = True
        parts.append(
            _option_label(option_id, f"<input {html_params(**attributes)}>", choice.label or choice.value)
        )
    return Markup("".join(parts))  # noqa: S704  (every attribute and label escaped above)
