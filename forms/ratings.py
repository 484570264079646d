"""One concern's rating inside a driver assessment, and the groups the form shows them in.

A concern starts unrated. The volunteer rates the concerns they assessed (0 not observed .. 3
high, with a trend) and may mark the others "Not assessed"; an unrated or not-assessed concern
is stored as no rating at all, so it is left out of every mean, count and chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import Form, FormField, SelectChoice
from wtforms.validators import ValidationError

from app.i18n import translate
from app.translate import gettext as _
from app.translate import lazy_gettext as _l
from app.vocabulary import DRIVER_GROUPS, DRIVERS, N_, RATING_LABELS, TREND_LABELS, Trend, neutral_label

from .base import RadioField

#: The rating value of a concern marked "Not assessed" (never stored).
NOT_ASSESSED = "na"
NOT_ASSESSED_LABEL = N_("Not assessed")


def _rating_value(value: object) -> int | str | None:
    """A posted rating: None (unrated), ``NOT_ASSESSED`` or a number (ValueError otherwise)."""
    if value is None or value == "":
        return None
    if value == NOT_ASSESSED:
        return NOT_ASSESSED
    return int(value)  # type: ignore[arg-type]


class _OptionalRadioField(RadioField):
    """A radio group that may be left unanswered; an answer must be one of the options."""

    def pre_validate(self, form: Form) -> None:
        if self.data is None:
            return
        super().pre_validate(form)


class DriverRatingForm(Form):
    """One driver's rating and trend inside an assessment (no CSRF of its own)."""

    rating = _OptionalRadioField(
        _l("How strongly felt"),
        coerce=_rating_value,
        choices=[*(SelectChoice(value) for value in RATING_LABELS), SelectChoice(NOT_ASSESSED)],
    )
    trend = _OptionalRadioField(_l("Trend"), choices=[SelectChoice(t.value) for t in Trend])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.rating.choices = [
            *(SelectChoice(value, translate(label)) for value, label in RATING_LABELS.items()),
            SelectChoice(NOT_ASSESSED, _(NOT_ASSESSED_LABEL)),
        ]
        self.trend.choices = [SelectChoice(key.value, _(label)) for key, label in TREND_LABELS.items()]

    @property
    def is_rated(self) -> bool:
        """Whether the concern has a rating 0-3 (not unrated, not "Not assessed")."""
        return isinstance(self.rating.data, int) and self.rating.data in RATING_LABELS

    def validate_trend(self, field: RadioField) -> None:
        # The trend only matters for a rated concern, and then it is needed.
        if self.is_rated and field.data is None:
            raise ValidationError(_("Choose a trend."))


def rating_data(rating: object | None) -> dict:
    """A sub-form's initial data from a stored rating row (None: the concern was not assessed)."""
    if rating is None:
        return {"rating": NOT_ASSESSED, "trend": None}
    return {"rating": rating.rating, "trend": rating.trend.value}


@dataclass
class ConcernGroup:
    """One collapsible section of the assessment form."""

    code: str
    label: str
    fields: list[tuple[str, FormField]]

    @property
    def rated(self) -> int:
        return sum(1 for _code, sub in self.fields if sub.form.is_rated)

    @property
    def has_errors(self) -> bool:
        return any(sub.errors for _code, sub in self.fields)


def concern_groups(form: Form) -> list[ConcernGroup]:
    """The assessment's ``rating_<code>`` sub-forms in their :data:`DRIVER_GROUPS`."""
    return [
        ConcernGroup(code, _(label), [(driver, form[f"rating_{driver}"]) for driver in drivers])
        for code, label, drivers in DRIVER_GROUPS
    ]


def progress_template() -> str:
    """The translated "%(num)d of %(total)d rated" with its placeholders, for the live hint."""
    return _("%(num)d of %(total)d rated")


def progress_text(num: int, total: int) -> str:
    """How many concerns are rated, e.g. "5 of 16 rated"."""
    return _("%(num)d of %(total)d rated", num=num, total=total)


class RatingsMixin:
    """The assessment form's ratings: grouped sub-forms, progress, "at least one", the values kept."""

    #: The "rate at least one" message, shown beside the concerns (and at the top of the form).
    ratings_errors: tuple[str, ...] = ()

    @classmethod
    def data_from_record(cls, record: object) -> dict:
        data = super().data_from_record(record)  # type: ignore[misc]
        ratings = {r.driver_code: r for r in record.ratings}  # type: ignore[attr-defined]
        for code, _label in DRIVERS:
            data[f"rating_{code}"] = rating_data(ratings.get(code))
        return data

    def driver_fields(self) -> list[tuple[str, FormField]]:
        """``(driver code, sub-form)`` pairs in display order."""
        return [(code, self[f"rating_{code}"]) for code, _label in DRIVERS]  # type: ignore[index]

    def concern_groups(self) -> list[ConcernGroup]:
        """The sub-forms in their collapsible groups."""
        return concern_groups(self)  # type: ignore[arg-type]

    def rated_count(self) -> int:
        """How many concerns carry a rating 0-3."""
        return sum(1 for _code, sub in self.driver_fields() if sub.form.is_rated)

    def progress_text(self, num: int | None = None, total: int | None = None) -> str:
        """ "5 of 16 rated" for the whole form, or for the numbers given (one group)."""
        if num is None:
            num, total = self.rated_count(), len(DRIVERS)
        return progress_text(num, total or 0)

    def progress_template(self) -> str:
        """The progress wording with its placeholders, for the script."""
        return progress_template()

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[misc]
        if self.rated_count() == 0:
            message = _(
                "Rate at least one concern. Concerns you did not assess are left out of every figure."
            )
            self.ratings_errors = (message,)
            self.form_errors.append(message)  # type: ignore[attr-defined]
            return False
        return valid

    def record_data(self) -> dict:
        """Only the rated concerns: any other stored rating of the record is removed."""
        data = super().record_data()  # type: ignore[misc]
        data["ratings"] = {
            code: (sub.rating.data, sub.trend.data) for code, sub in self.driver_fields() if sub.form.is_rated
        }
        return data


def add_rating_fields(form_class: type) -> None:
    """Give the form one ``rating_<code>`` sub-form per driver, labelled with its neutral wording."""
    for code, label in DRIVERS:
        setattr(
            form_class,
            f"rating_{code}",
            FormField(DriverRatingForm, label=_l(neutral_label("driver", code, label))),
        )
