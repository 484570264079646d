"""Shared form base, PII-safe text fields and the small field types the entry forms use."""

from __future__ import annotations

import re

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import Field, Form, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

#: Free text is at most this long (a short outcome, not a report).
MAX_TEXT = 2000
#: Counts of people: whole numbers in this range.
MAX_COUNT = 100_000


class BaseForm(FlaskForm):
    """Every page form: CSRF on (Flask-WTF reads ``WTF_CSRF_ENABLED``)."""


def shown_version(value: object) -> int | None:
    """The record version a page was shown with (a hidden field); anything else counts as not given."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


# -- Personal data in free text -------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
#: A letter prefix of 1-3 letters and 6+ digits (AN1234567, ID 12345678, AA № 123456).
_ID_PREFIXED = re.compile(r"(?<!\w)[A-ZА-ЯЁ]{1,3}\s?(?:№|N°|No\.?|#)?\s?\d{6,}(?!\w)")
#: A keyword such as passport or ID followed by a number.
_ID_KEYWORD = re.compile(
    r"(?:passport|паспорт|пасспорт|шиноснома|id|инн|pin|пин)\w*\s*(?:№|N°|No\.?|#|:)?\s*[^\W\d_]{0,3}\s?\d{5,}",
    re.IGNORECASE | re.UNICODE,
)
#: Nine or more digits in a row.
_LONG_DIGITS = re.compile(r"\d{9,}")
#: Dates and year ranges, removed before looking for phone numbers.
_DATES = re.compile(
    r"\b(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}-\d{1,2}-(?:19|20)\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}"
    r"|(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d)\b"
)
#: Seven or more digits joined by spaces, dashes or brackets, optionally after a +.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s\-()]{0,3}\d){6,}")


def find_personal_data(text: str | None) -> str | None:
    """``"email"``, ``"id"`` or ``"phone"`` when the text seems to hold one, else None."""
    if not text:
        return None
    if _EMAIL.search(text):
        return "email"
    if _ID_KEYWORD.search(text) or _ID_PREFIXED.search(text):
        return "id"
    stripped = _DATES.sub(" ", text)
    if _PHONE.search(stripped):
        return "phone"
    if _LONG_DIGITS.search(stripped):
        return "id"
    return None


class NoPersonalData:
    """Refuse phone numbers, e-mail addresses and ID-like numbers (the do-no-harm rule)."""

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


def _safe_validators() -> list:
    return [
        MaxLength(max=MAX_TEXT, message=_l("Keep this under %(max)d characters.", max=MAX_TEXT)),
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


class MultiCheckboxField(SelectMultipleField):
    """A multi-select shown as a group of checkboxes (string codes)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        values = {str(value) for value, *_rest in self.iter_choices()}
        if any(str(item) not in values for item in self.data or ()):
            raise ValidationError(_("Choose only from the options shown."))


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


class CountField(IntegerField):
    """A count of people: a whole number from 0 to 100,000; left empty it counts as 0."""

    widget = NumberInput(step="1", min=0, max=MAX_COUNT)

    def __init__(self, label: object = None, validators: list | None = None, **kwargs: object) -> None:
        kwargs.setdefault("default", 0)
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
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
        if not valuelist:
            return
        raw = str(valuelist[0]).strip()
        if raw == "":
            self.data = 0
            return
        if not re.fullmatch(r"-?\d+", raw):
            self.data = None
            raise ValueError(_count_message())
        self.data = int(raw)
