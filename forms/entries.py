"""The three entry forms: engagement activity, community incident, driver assessment.

These classes are the one set of validation rules for records, used by the pages and (later) the
sync endpoint. Context comes through the constructor: ``ActivityForm(user=current_user)``.
``record_data()`` returns plain values for :mod:`app.services.lifecycle`, which owns the rules on
the record as a whole (the community in the organisation's district, closed months, who may do
what); its :class:`~app.errors.DomainError` names the field its message goes beside.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from flask import current_app
from flask_babel import format_number, get_locale
from wtforms import SelectChoice, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from app.extensions import db
from app.i18n import translate
from app.models import Community, RecordMixin
from app.services.scope import communities_in_scope, organisations_for_paper_forms
from app.translate import gettext as _
from app.translate import lazy_gettext as _l
from app.translate import ngettext
from app.vocabulary import (
    ACTIVITY_TYPES,
    AGE_BAND_LABELS,
    COUNT_CELLS,
    DRIVERS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUS_LABELS,
    RECOMMENDATIONS,
    RESPONSE_LABELS,
    SEVERITY_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    SUGGESTED_RECOMMENDATIONS,
    TARGET_GROUPS,
    IncidentStatus,
    Response,
    Severity,
    neutral_label,
)

from .base import (
    AtLeastOne,
    BaseForm,
    CountField,
    DateField,
    HiddenField,
    MultiCheckboxField,
    RadioField,
    SafeStringField,
    SafeTextAreaField,
    SelectField,
    shown_version,
)
from .ratings import RatingsMixin, add_rating_fields

#: No record is dated before this.
EARLIEST_DATE = date(2015, 1, 1)


def _optional_int(value: object) -> int | None:
    if value in (None, ""):
        return None
    return int(value)  # type: ignore[arg-type]


class CommunityField(SelectField):
    """The community picker: an id from the user's scope, grouped by district."""

    def __init__(self, label: object = None, validators: list | None = None, **kwargs: object) -> None:
        super().__init__(label, validators, coerce=_optional_int, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_("Choose a community in your area.")) from None


def _code_choices(pairs: tuple[tuple[str, ...], ...], kind: str) -> list[SelectChoice]:
    """Options ``code -> translated neutral label`` for a vocabulary tuple."""
    return [SelectChoice(code, _(neutral_label(kind, code, label))) for code, label, *_rest in pairs]


def _enum_choices(labels: dict) -> list[SelectChoice]:
    """Options ``value -> translated label`` for a label dict keyed by enum members or ints."""
    return [SelectChoice(getattr(key, "value", key), translate(label)) for key, label in labels.items()]


#: ``app.extensions`` key of the options made from the vocabulary, per name and language.
CHOICES_CACHE = "entry_form_choices"


def vocabulary_choices(name: str, build: Callable[[], list[SelectChoice]]) -> list[SelectChoice]:
    """Options made from the vocabulary alone (codes and labels in code, translated by the compiled
    catalogs), built once per app, process and language instead of on every form.

    Nothing they are made of changes while a process runs (the catalogs are read at start), so the
    cache needs no invalidation. It keeps plain ``(value, label)`` pairs: each form gets options
    of its own, nothing is shared that a page could change.
    """
    cache = current_app.extensions.setdefault(CHOICES_CACHE, {})
    key = (name, str(get_locale()))
    pairs = cache.get(key)
    if pairs is None:
        pairs = cache[key] = tuple((choice.value, choice.label) for choice in build())
    return [SelectChoice(value, label) for value, label in pairs]


def _values(values: object) -> list[SelectChoice]:
    """Untranslated placeholder options (labels are set per request in ``__init__``)."""
    return [SelectChoice(getattr(value, "value", value)) for value in values]


def _count_field(sex_label: str, band_label: str) -> CountField:
    return CountField(_l("%(sex)s, %(band)s", sex=_l(sex_label), band=_l(band_label)))


class RecordForm(BaseForm):
    """Date, community and the two buttons every record form has."""

    date = DateField(
        _l("Date"),
        validators=[InputRequired(message=_l("Enter the date."))],
        description=_l("Not in the future and not before 2015."),
    )
    #: Paper forms only: a coordinator records an entry for an organisation of their area.
    organisation = SelectField(
        _l("Organisation"),
        coerce=_optional_int,
        validate_choice=False,
        description=_l("Whose entry this is, e.g. the centre that filled in the paper form."),
    )
    community = CommunityField(_l("Community"), validators=[InputRequired(message=_l("Choose a community."))])
    save_draft = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Submit for review"))
    #: The new record's UUID, made when the form is first shown: a second POST of the same form
    #: (a double tap, a resend) finds the record already stored instead of making another.
    record_uuid = HiddenField()
    #: The version of the record the edit form was shown with (a resent or stale edit is caught).
    version = HiddenField(filters=[shown_version])

    #: Columns of ``record_data()`` that map one-to-one on form fields.
    COLUMNS: tuple[str, ...] = ()
    #: Multi-selects: form field -> key in ``record_data()``.
    CODE_LISTS: tuple[str, ...] = ()

    def __init__(
        self, *args: object, user: object, choose_organisation: bool = False, **kwargs: object
    ) -> None:
        record = kwargs.get("obj")
        if isinstance(record, RecordMixin) and "data" not in kwargs:
            kwargs["data"] = self.data_from_record(record)
            kwargs.pop("obj")
        super().__init__(*args, **kwargs)
        self.user = user
        # The places are read only when the options are (the page, or a form shown again with its
        # errors): a valid POST or PUT never reads them, as the community and the organisation are
        # checked against the user's scope by the records service, not against these lists.
        self.community.choices = lambda: [
            SelectChoice("", _("Choose a community")),
            *self._grouped(communities_in_scope(db.session, user)),
        ]
        if choose_organisation:
            self.organisation.choices = lambda: [
                SelectChoice("", _("Choose an organisation")),
                *(
                    SelectChoice(org.id, org.local_name, render_kw={"data-district": org.district_id})
                    for org in organisations_for_paper_forms(db.session, user)
                ),
            ]
        else:
            del self.organisation
        today = date.today()
        self.date.render_kw = {"min": EARLIEST_DATE.isoformat(), "max": today.isoformat()}
        if self.date.data is None and not self.is_submitted():
            self.date.data = today  # a new form opens on today's date

    @staticmethod
    def _grouped(communities: list[Community]) -> list[SelectChoice]:
        """Communities grouped by district (``<optgroup>``), in the order given."""
        return [
            SelectChoice(
                c.id, c.local_name, optgroup=c.district.local_name, render_kw={"data-district": c.district_id}
            )
            for c in communities
        ]

    @classmethod
    def data_from_record(cls, record: RecordMixin) -> dict:
        """The form's initial data from a stored record."""
        data = {"date": record.date, "community": record.community_id, "version": record.version}
        for column in cls.COLUMNS:
            value = getattr(record, column)
            data[column] = value.value if hasattr(value, "value") else value
        for name in cls.CODE_LISTS:
            data[name] = [row.code for row in getattr(record, name)]
        return data

    def new_record_uuid(self) -> uuid.UUID | None:
        """The UUID the form carries (a fresh one is set on a new form's first display)."""
        try:
            return uuid.UUID(str(self.record_uuid.data))
        except ValueError:
            return None

    def validate_record_uuid(self, field: HiddenField) -> None:
        if field.data and self.new_record_uuid() is None:
            raise ValidationError(_("The form expired. Please send it again."))

    def validate_date(self, field: DateField) -> None:
        if field.data is None:
            return
        if field.data > date.today():
            raise ValidationError(_("The date cannot be in the future."))
        if field.data < EARLIEST_DATE:
            raise ValidationError(_("The date cannot be before 2015."))

    @property
    def wants_submit(self) -> bool:
        """True when the user pressed "Submit for review" rather than "Save as draft"."""
        return bool(self.submit.data)

    def record_data(self) -> dict:
        """Validated values: columns, code lists and counts, ready for the records service."""
        data: dict = {"date": self.date.data, "community_id": self.community.data}
        if "organisation" in self:
            data["organisation_id"] = self.organisation.data
        for column in self.COLUMNS:
            data[column] = self[column].data
        for name in self.CODE_LISTS:
            data[name] = list(self[name].data or [])
        return data


class SexAgeCountsForm(RecordForm):
    """Adds the sex x age band grid (eight counts, empty meaning 0)."""

    f_u18 = _count_field(SEX_LABELS[COUNT_CELLS[0][1]], AGE_BAND_LABELS[COUNT_CELLS[0][2]])
    f_18_29 = _count_field(SEX_LABELS[COUNT_CELLS[1][1]], AGE_BAND_LABELS[COUNT_CELLS[1][2]])
    f_30_59 = _count_field(SEX_LABELS[COUNT_CELLS[2][1]], AGE_BAND_LABELS[COUNT_CELLS[2][2]])
    f_60p = _count_field(SEX_LABELS[COUNT_CELLS[3][1]], AGE_BAND_LABELS[COUNT_CELLS[3][2]])
    m_u18 = _count_field(SEX_LABELS[COUNT_CELLS[4][1]], AGE_BAND_LABELS[COUNT_CELLS[4][2]])
    m_18_29 = _count_field(SEX_LABELS[COUNT_CELLS[5][1]], AGE_BAND_LABELS[COUNT_CELLS[5][2]])
    m_30_59 = _count_field(SEX_LABELS[COUNT_CELLS[6][1]], AGE_BAND_LABELS[COUNT_CELLS[6][2]])
    m_60p = _count_field(SEX_LABELS[COUNT_CELLS[7][1]], AGE_BAND_LABELS[COUNT_CELLS[7][2]])

    COUNT_COLUMNS = tuple(column for column, _sex, _band in COUNT_CELLS)

    @classmethod
    def data_from_record(cls, record: RecordMixin) -> dict:
        data = super().data_from_record(record)
        data.update({column: getattr(record, column) for column in cls.COUNT_COLUMNS})
        return data

    def record_data(self) -> dict:
        data = super().record_data()
        data.update({column: self[column].data or 0 for column in self.COUNT_COLUMNS})
        return data


class ActivityForm(SexAgeCountsForm):
    """An engagement activity."""

    activity_type_code = SelectField(
        _l("Type of activity"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose the type of activity."))],
    )
    target_groups = MultiCheckboxField(
        _l("Groups taking part"),
        validators=[AtLeastOne(message=_l("Choose at least one group."))],
        description=_l("Choose every group that took part."),
    )
    first_time_participants = CountField(
        _l("Of them, taking part for the first time"),
        description=_l("How many of the people counted above came to an activity for the first time."),
    )
    drivers = MultiCheckboxField(
        _l("Concerns it addresses"), description=_l("Optional. Choose all that apply.")
    )
    recommendations = MultiCheckboxField(
        _l("Recommendations it serves"), description=_l("Optional. Choose all that apply.")
    )
    partners = SafeStringField(
        _l("Partners"), description=_l("Organisations only, never names of people. Optional.")
    )
    outcome = SafeTextAreaField(
        _l("Short outcome"), description=_l("What changed? No names, phone numbers or ID numbers.")
    )
    follow_up = SafeTextAreaField(_l("Follow-up planned"), description=_l("Optional."))

    COLUMNS = ("activity_type_code", "first_time_participants", "partners", "outcome", "follow_up")
    CODE_LISTS = ("target_groups", "drivers", "recommendations")

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.activity_type_code.choices = vocabulary_choices(
            "activity_type_code",
            lambda: [
                SelectChoice("", _("Choose the type of activity")),
                *_code_choices(ACTIVITY_TYPES, "activity_type"),
            ],
        )
        self.target_groups.choices = vocabulary_choices(
            "target_groups", lambda: _code_choices(TARGET_GROUPS, "target_group")
        )
        self.drivers.choices = vocabulary_choices("drivers", lambda: _code_choices(DRIVERS, "driver"))
        self.recommendations.choices = vocabulary_choices(
            "recommendations",
            lambda: [
                SelectChoice(c.value, f"{c.value}: {c.label}")
                for c in _code_choices(RECOMMENDATIONS, "recommendation")
            ],
        )

    def validate_activity_type_code(self, field: SelectField) -> None:
        if field.data and field.data not in {code for code, *_rest in ACTIVITY_TYPES}:
            raise ValidationError(_("Choose only from the options shown."))

    def validate_first_time_participants(self, field: CountField) -> None:
        counts = [self[column].data for column in self.COUNT_COLUMNS]
        if not field.data or any(count is None for count in counts):  # a bad count has its own message
            return
        total = sum(counts)
        if field.data > total:
            raise ValidationError(
                ngettext(
                    "At most the %(total)s person counted above.",
                    "At most the %(total)s people counted above.",
                    total,
                    total=format_number(total),
                )
            )

    @staticmethod
    def suggestion_map() -> dict[str, dict[str, tuple[str, ...]]]:
        """:data:`~app.vocabulary.SUGGESTED_RECOMMENDATIONS` keyed by the fields it reads, for the page."""
        return {
            "activity_type_code": SUGGESTED_RECOMMENDATIONS["activity_type"],
            "target_groups": SUGGESTED_RECOMMENDATIONS["target_group"],
        }


class IncidentForm(SexAgeCountsForm):
    """A community incident: people appear only as counts."""

    category_code = SelectField(
        _l("What happened"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose what happened."))],
    )
    severity = RadioField(
        _l("How serious"),
        choices=_values(Severity),
        validators=[InputRequired(message=_l("Choose how serious it was."))],
    )
    drivers = MultiCheckboxField(_l("Concerns behind it"), description=_l("Optional. Choose all that apply."))
    response = RadioField(
        _l("Response taken"),
        choices=_values(Response),
        validators=[InputRequired(message=_l("Choose the response taken."))],
    )
    incident_status = RadioField(
        _l("Current state"),
        choices=_values(IncidentStatus),
        default=IncidentStatus.OPEN.value,
        validators=[InputRequired(message=_l("Choose the current state."))],
    )
    description = SafeTextAreaField(
        _l("Short description"),
        description=_l("At community level only: no names, phone numbers, ID numbers or addresses."),
    )

    COLUMNS = ("category_code", "severity", "response", "incident_status", "description")
    CODE_LISTS = ("drivers",)

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.category_code.choices = vocabulary_choices(
            "category_code",
            lambda: [
                SelectChoice("", _("Choose what happened")),
                *_code_choices(INCIDENT_CATEGORIES, "incident_category"),
            ],
        )
        self.severity.choices = vocabulary_choices("severity", lambda: _enum_choices(SEVERITY_LABELS))
        self.response.choices = vocabulary_choices("response", lambda: _enum_choices(RESPONSE_LABELS))
        self.incident_status.choices = vocabulary_choices(
            "incident_status", lambda: _enum_choices(INCIDENT_STATUS_LABELS)
        )
        self.drivers.choices = vocabulary_choices("drivers", lambda: _code_choices(DRIVERS, "driver"))

    def validate_category_code(self, field: SelectField) -> None:
        if field.data and field.data not in {code for code, *_rest in INCIDENT_CATEGORIES}:
            raise ValidationError(_("Choose only from the options shown."))


class AssessmentForm(RatingsMixin, RecordForm):
    """A driver assessment: the concerns the volunteer assessed, rated 0-3 with a trend.

    Sub-forms ``rating_<code>``, shown in :data:`~app.vocabulary.DRIVER_GROUPS`; a concern left
    unrated or marked "Not assessed" is no rating at all, and at least one must be rated
    (:class:`~forms.ratings.RatingsMixin`).
    """

    notes = SafeTextAreaField(_l("Notes"), description=_l("Optional. No names, phone numbers or ID numbers."))

    COLUMNS = ("notes",)


add_rating_fields(AssessmentForm)


class RecordFilterForm(BaseForm):
    """The filters above a list (sent with GET, so no CSRF token)."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    community = CommunityField(_l("Community"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        communities = communities_in_scope(db.session, user)
        self.community_ids = {c.id for c in communities}
        self.community.choices = [SelectChoice("", _("All")), *RecordForm._grouped(communities)]
        self.status.choices = [SelectChoice("", _("All")), *_enum_choices(STATUS_LABELS)]

    def validate_community(self, field: SelectField) -> None:
        if field.data is not None and field.data not in self.community_ids:
            raise ValidationError(_("Choose a community in your area."))

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end of the period is before its start."))

    def filters(self) -> dict:
        """The filters chosen, as plain values (empty ones left out)."""
        values = {
            "date_from": self.date_from.data,
            "date_to": self.date_to.data,
            "community_id": self.community.data,
            "status": self.status.data or None,
        }
        return {key: value for key, value in values.items() if value is not None}
