"""Shared form base, PII-safe text fields and the small field types the entry forms use."""

from __future__ import annotations

import re

import wtforms
from flask import has_request_context, request
from flask_babel import format_number
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import Field, Form, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, StopValidation, ValidationError
from wtforms.widgets import ListWidget

from app.translate import WTFormsMessages, ngettext
from app.translate import gettext as _

from . import widgets

#: Free text is at most this long (a short outcome, not a report).
MAX_TEXT = 2000
#: Counts of people: whole numbers in this range.
MAX_COUNT = 100_000


#: Control characters no one types: C0 (but tab and line breaks), DEL and C1. NUL among them,
#: which PostgreSQL refuses in text (a 500 before this check).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class NoControlCharacters:
    """Refuse control characters (NUL and the like) in any text a form receives."""

    def __call__(self, form: Form, field: Field) -> None:
        values = field.data if isinstance(field.data, list | tuple) else [field.data]
        if any(isinstance(value, str) and _CONTROL.search(value) for value in values):
            raise StopValidation(_("Remove the control characters from this text."))


#: WTForms' own messages in the user's language, its catalogs read once (Flask-WTF reads them per request).
WTFORMS_MESSAGES = WTFormsMessages()


def _wtforms_messages(_meta: object, _form: Form) -> WTFormsMessages:
    """``Meta.get_translations`` of every form here, page forms and sub-forms alike."""
    return WTFORMS_MESSAGES


class BaseForm(FlaskForm):
    """Every page form: CSRF on (Flask-WTF reads ``WTF_CSRF_ENABLED``), and no field accepts
    control characters (checked first, before any other rule reads the text)."""

    class Meta:
        #: Only a form that sets this reads the files of a request (the outbox import).
        accepts_files = False

        get_translations = _wtforms_messages

        def wrap_formdata(self, form: Form, formdata: object) -> object:
            """The submitted text only: a form that takes no file ignores a file part sent in a
            text field rather than reading it as text."""
            wrapped = super().wrap_formdata(form, formdata)
            from_request = wrapped is not formdata  # the request's own data, not data handed in
            if self.accepts_files or not from_request:
                return wrapped
            if has_request_context() and request.files and request.method != "GET":
                return request.form
            return wrapped

        def bind_field(self, form: Form, unbound_field: object, options: dict) -> Field:
            return _refuse_control_characters(super().bind_field(form, unbound_field, options))


def _refuse_control_characters(field: Field) -> Field:
    """The field's first check: no control characters (a sub-form's fields get their own)."""
    if field.type not in ("CSRFTokenField", "SubmitField", "FormField"):
        field.validators = [NoControlCharacters(), *field.validators]
    return field


class SubForm(Form):
    """A form inside a page form (``FormField``): the same first check on every field."""

    class Meta:
        get_translations = _wtforms_messages

        def bind_field(self, form: Form, unbound_field: object, options: dict) -> Field:
            return _refuse_control_characters(super().bind_field(form, unbound_field, options))


def shown_version(value: object) -> int | None:
    """The record version a page was shown with (a hidden field); anything else counts as not given."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


# -- Personal data in free text -------------------------------------------------------------------

#: One check for every text field and the sync (forms/pii.py); imported from here by other modules.
from .pii import find_personal_data  # noqa: E402


class NoPersonalData:
    """Refuse phone numbers, e-mail addresses, social-media names and links and ID-like numbers
    (the do-no-harm rule); the message names the kind found, never what was found."""

    def __call__(self, form: Form, field: Field) -> None:
        kind = find_personal_data(field.data)
        if kind == "email":
            raise ValidationError(
                _(
                    "Please remove the e-mail address: this log never holds personal details, "
                    "people appear only as counts."
                )
            )
        if kind == "phone":
            raise ValidationError(
                _(
                    "Please remove the phone number: this log never holds personal details, "
                    "people appear only as counts."
                )
            )
        if kind == "id":
            raise ValidationError(
                _(
                    "Please remove the ID or passport number: this log never holds personal details, "
                    "people appear only as counts."
                )
            )
        if kind == "handle":
            raise ValidationError(
                _(
                    "Please remove the social-media name or link: this log never holds personal "
                    "details, people appear only as counts."
                )
            )
        if kind == "too_long":  # longer than the check reads at all (forms stop it sooner)
            raise ValidationError(_too_long())


class _Strip:
    """A filter that strips surrounding whitespace."""

    def __call__(self, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class MaxLength(Length):
    """The length limit, checked before anything else: a longer text stops the chain, so no
    pattern ever runs over 100,000 characters someone pasted."""

    def __call__(self, form: Form, field: Field) -> None:
        try:
            super().__call__(form, field)
        except ValidationError as exc:
            raise StopValidation(str(exc)) from None


def _too_long() -> str:
    return ngettext("Keep this under %(num)d character.", "Keep this under %(num)d characters.", MAX_TEXT)


def _safe_validators() -> list:
    return [
        MaxLength(max=MAX_TEXT, message=LazyString(_too_long)),
        NoPersonalData(),
    ]


class SafeStringField(StringField):
    """One line of free text: stripped, at most 2,000 characters, no personal data."""

    def __init__(self, label: object = None, validators: list | None = None, **kwargs: object) -> None:
        kwargs.setdefault("filters", [_Strip()])
        super().__init__(label, [*(validators or []), *_safe_validators()], **kwargs)


class SafeTextAreaField(TextAreaField):
    """Free text: stripped, at most 2,000 characters, no personal data."""

    def __init__(self, label: object = None, validators: list | None = None, **kwargs: object) -> None:
        kwargs.setdefault("filters", [_Strip()])
        super().__init__(label, [*(validators or []), *_safe_validators()], **kwargs)


# -- Choices and counts -----------------------------------------------------------------------------
# WTForms' fields with the widgets of :mod:`forms.widgets` (the same HTML, written for less).


class SelectField(wtforms.SelectField):
    widget = widgets.Select()


class RadioField(wtforms.RadioField):
    option_widget = widgets.RadioInput()


class DateField(wtforms.DateField):
    widget = widgets.DateInput()


class HiddenField(wtforms.HiddenField):
    widget = widgets.HiddenInput()


class MultiCheckboxField(SelectMultipleField):
    """A multi-select shown as a group of checkboxes (string codes)."""

    widget = ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        values = {str(value) for value, *_rest in self.iter_choices()}
        if any(str(item) not in values for item in self.data or ()):
            raise ValidationError(_("Choose only from the options shown."))

    def chosen_count(self) -> int:
        """How many options are ticked (shown in the summary of a folded group)."""
        return len(self.data or ())

    def chosen_text(self) -> str:
        """How many options are ticked, e.g. "Chosen: 3"."""
        return _("Chosen: %(num)d", num=self.chosen_count())

    @staticmethod
    def chosen_template() -> str:
        """The same wording with its placeholder, for the script that counts as boxes are ticked."""
        return _("Chosen: %(num)d")


class AtLeastOne:
    """A multi-select needs at least one choice."""

    field_flags = {"at_least_one": True}

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if not field.data:
            raise ValidationError(self.message or _("Choose at least one."))


def _count_message() -> str:
    """The range message, with 100,000 written the way the user's language writes numbers."""
    return _("Enter a whole number from 0 to %(max)s.", max=format_number(MAX_COUNT))


#: Only ASCII digits, as the live total in entry-form.js reads them.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class CountField(IntegerField):
    """A count of people: a whole number from 0 to 100,000; left empty it counts as 0.

    The box starts empty with a "0" placeholder (a value of 0 put the caret before it, so typing 12
    stored 120). It is a text box with the numeric keypad (``inputmode``), so what is typed is what
    arrives and a typing slip gets a message instead of silently becoming 0.
    """

    widget = widgets.TextInput()

    def __init__(self, label: object = None, validators: list | None = None, **kwargs: object) -> None:
        kwargs.setdefault("default", None)
        kwargs.setdefault(
            "render_kw",
            {"inputmode": "numeric", "pattern": "[0-9]*", "placeholder": "0", "autocomplete": "off"},
        )
        validators = [
            *(validators or []),
            NumberRange(
                min=0,
                max=MAX_COUNT,
                message=LazyString(_count_message),
            ),
        ]
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        if raw == "":
            self.data = 0  # an empty box, or one not sent at all
            return
        if not _WHOLE_NUMBER.fullmatch(raw):
            self.data = None
            raise ValueError(_count_message())
        self.data = int(raw)

    def _value(self) -> str:
        """What the box shows: what was typed, or the stored number, empty for none."""
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if not self.data else str(self.data)
