"""Forms that define the results framework: a programme (issue 13) and one of its indicators.

Context comes through the constructor (the places and donors the user may choose, the
programme an indicator belongs to). The forms check the shape of each value and call the pure
checks of :mod:`app.services.programme_admin` (the period) and :mod:`app.services.indicator_admin`
(filters a measure ignores, figures above a share's 100 or a rating's 3), so every message shows
at once; the services check again when they store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wtforms import (
    BooleanField,
    DateField,
    Field,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.models import Country, Indicator, Programme, Region, User
from app.services.indicator_admin import (
    INDICATOR_CODE,
    baseline_date_problem,
    figure_problems,
    filter_field,
    filter_problems,
)
from app.services.programme_admin import PROGRAMME_CODE, period_problem
from app.translate import gettext as _
from app.translate import lazy_gettext as _l
from app.vocabulary import (
    ACTIVITY_TYPES,
    AGE_BAND_LABELS,
    DRIVERS,
    INCIDENT_CATEGORIES,
    RECOMMENDATIONS,
    SEVERITY_LABELS,
    SEX_LABELS,
    TARGET_GROUPS,
    Sex,
)

from .base import BaseForm, MultiCheckboxField, SafeStringField
from .entries import _code_choices, _enum_choices
from .names import LocalNamesForm
from .results import FigureField


def _code(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


def _tidy(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


def _code_field(pattern: re.Pattern, message: object, description: object) -> StringField:
    """A code typed by hand: trimmed, upper-cased, at most 40 characters of ``pattern``."""
    return StringField(
        _l("Code"),
        filters=[_code],
        validators=[
            DataRequired(_l("A code is required.")),
            Length(max=40, message=_l("Use at most 40 characters.")),
            Regexp(pattern.pattern, message=message),
        ],
        description=description,
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


def _name_field(longest: int) -> SafeStringField:
    """The name in English (or Latin letters), spaces tidied; ``names`` holds the others."""
    message = {200: _l("Use at most 200 characters."), 300: _l("Use at most 300 characters.")}[longest]
    return SafeStringField(
        _l("Name"),
        filters=[_tidy],
        validators=[DataRequired(_l("A name is required.")), Length(max=longest, message=message)],
    )


class AreaField(MultiCheckboxField):
    """Countries or regions, by code: only those of the user's area are offered or accepted."""

    def pre_validate(self, form: BaseForm) -> None:
        offered = {str(value) for value, *_rest in self.iter_choices()}
        if any(str(item) not in offered for item in self.data or ()):
            raise ValidationError(
                _("Choose only countries and regions of your own area, from the options shown.")
            )


@dataclass
class AreaGroup:
    """One country of the area picker: the box for the whole country (if the user may choose it)
    and the boxes of its regions."""

    name: str
    country: Field | None
    regions: list[Field]

    @property
    def chosen(self) -> int:
        return sum(1 for box in [self.country, *self.regions] if box is not None and box.checked)


class ProgrammeForm(BaseForm):
    """A programme: code, names, period, area and the donors who see it."""

    code = _code_field(
        PROGRAMME_CODE,
        _l("Use Latin capital letters, digits and hyphens only, e.g. PVE-KG-SOUTH."),
        _l("Short and unique, e.g. PVE-KG-SOUTH. It is part of the page's address."),
    )
    name = _name_field(200)
    names = FormField(LocalNamesForm, label=_l("Name in each language"))
    start_date = DateField(_l("Start date"), validators=[InputRequired(message=_l("Enter the start date."))])
    end_date = DateField(_l("End date"), validators=[InputRequired(message=_l("Enter the end date."))])
    countries = AreaField(_l("Whole countries"))
    regions = AreaField(_l("Regions"))
    donors = MultiCheckboxField(
        _l("Donors who see it"),
        description=_l("Optional. A donor account linked to no programme sees every programme."),
    )
    submit = SubmitField(_l("Save the programme"))

    def __init__(
        self,
        *args: object,
        areas: tuple[list[Country], list[Region]],
        donors: list[User],
        programme: Programme | None = None,
        **kwargs: object,
    ) -> None:
        if programme is not None:
            kwargs.setdefault(
                "data",
                {
                    "code": programme.code,
                    "name": programme.name,
                    "names": dict(programme.names or {}),
                    "start_date": programme.start_date,
                    "end_date": programme.end_date,
                    "countries": [country.code for country in programme.countries],
                    "regions": [region.code for region in programme.regions],
                    "donors": [donor.username for donor in programme.donors],
                },
            )
        super().__init__(*args, **kwargs)
        countries, regions = areas
        self._countries, self._regions = countries, regions
        self.countries.choices = [
            SelectChoice(c.code, _("All of %(name)s", name=c.local_name)) for c in countries
        ]
        self.regions.choices = [SelectChoice(r.code, r.local_name) for r in regions]
        self.donors.choices = [SelectChoice(d.username, d.username) for d in donors]

    def validate_end_date(self, field: DateField) -> None:
        if self.start_date.data and field.data:
            problem = period_problem(self.start_date.data, field.data)
            if problem and problem[0] == "end_date":
                raise ValidationError(problem[1])

    def validate_start_date(self, field: DateField) -> None:
        if field.data and self.end_date.data:
            problem = period_problem(field.data, self.end_date.data)
            if problem and problem[0] == "start_date":
                raise ValidationError(problem[1])

    def validate_countries(self, field: AreaField) -> None:
        if not field.data and not self.regions.data:
            raise ValidationError(_("Choose at least one country or region."))

    def area_groups(self) -> list[AreaGroup]:
        """The area picker by country: a country's box first, then its regions' boxes."""
        country_boxes = {box.data: box for box in self.countries}
        region_boxes = {box.data: box for box in self.regions}
        groups: dict[int, AreaGroup] = {}
        for country in self._countries:
            groups[country.id] = AreaGroup(country.local_name, country_boxes[country.code], [])
        for region in self._regions:
            group = groups.setdefault(region.country_id, AreaGroup(region.country.local_name, None, []))
            group.regions.append(region_boxes[region.code])
        return list(groups.values())

    def values(self) -> dict:
        """What :func:`app.services.programme_admin.create_programme` takes."""
        return {
            "code": self.code.data,
            "name": self.name.data,
            "names": self.names.form.names(),
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "countries": list(self.countries.data or ()),
            "regions": list(self.regions.data or ()),
            "donors": list(self.donors.data or ()),
        }


def _figure(label: str, description: str) -> FigureField:
    return FigureField(
        label,
        places=None,
        description=description,
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
        validators=[Optional(), NumberRange(min=0, message=_l("The figure cannot be negative."))],
    )


#: Filter keys (as stored in ``Indicator.filters``) that hold a list of codes.
LIST_FILTERS = ("activity_types", "target_groups", "recommendations", "age_bands", "categories", "severities")


class IndicatorForm(BaseForm):
    """An indicator: what it measures (with its filters), the recommendations it serves, its
    unit, direction, baseline and life-of-programme target."""

    code = _code_field(
        INDICATOR_CODE,
        _l("Use Latin letters, digits, dots and hyphens only, e.g. 1.1 or OUT-2."),
        _l("Unique in the programme, e.g. 1.1 or OUT-2."),
    )
    name = _name_field(300)
    names = FormField(LocalNamesForm, label=_l("Name in each language"))
    measure = SelectField(
        _l("What it measures"),
        validators=[DataRequired(_l("Choose what it measures."))],
        description=_l(
            "Counted from the approved records of the programme's area, quarter by quarter; "
            "a survey result is entered by hand."
        ),
    )
    only_activity_types = MultiCheckboxField(_l("Only these types of activity"))
    only_target_groups = MultiCheckboxField(_l("Only activities with these groups taking part"))
    only_recommendations = MultiCheckboxField(_l("Only activities serving these recommendations"))
    only_sex = RadioField(_l("Only participants of this sex"), default="")
    only_age_bands = MultiCheckboxField(_l("Only participants of these ages"))
    only_categories = MultiCheckboxField(_l("Only incidents of these kinds"))
    only_severities = MultiCheckboxField(_l("Only incidents of this severity"))
    only_driver = SelectField(_l("Concern whose ratings are averaged"), default="")
    recommendations = MultiCheckboxField(_l("Recommendations this indicator serves"))
    unit = SafeStringField(
        _l("Unit"),
        filters=[_tidy],
        validators=[Length(max=40, message=_l("Use at most 40 characters."))],
        description=_l("Optional, e.g. “people” or “%”. With “%” the figures are at most 100."),
    )
    direction = RadioField(_l("Direction"), validators=[InputRequired(message=_l("Choose the direction."))])
    baseline_value = _figure(_l("Baseline"), _l("Optional. The value before the programme, e.g. 35."))
    baseline_date = DateField(
        _l("Baseline date"),
        validators=[Optional()],
        description=_l("Optional. When the baseline was measured, not after the programme ends."),
    )
    target_total = _figure(
        _l("Life-of-programme target"), _l("Optional. What the programme aims at by its end.")
    )
    submit = SubmitField(_l("Save the indicator"))

    def __init__(
        self,
        *args: object,
        programme: Programme,
        measures: list[tuple[str, str]],
        directions: list[tuple[str, str]],
        indicator: Indicator | None = None,
        **kwargs: object,
    ) -> None:
        if indicator is not None:
            kwargs.setdefault("data", self._data_from(indicator))
        else:
            kwargs.setdefault("data", {"direction": "increase"})
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.measure.choices = [
            SelectChoice("", _("Choose what it measures")),
            *(SelectChoice(v, label) for v, label in measures),
        ]
        self.direction.choices = [SelectChoice(value, label) for value, label in directions]
        self.only_activity_types.choices = _code_choices(ACTIVITY_TYPES, "activity_type")
        self.only_target_groups.choices = _code_choices(TARGET_GROUPS, "target_group")
        self.only_recommendations.choices = self._recommendation_choices()
        self.only_sex.choices = [SelectChoice("", _("Both")), *_enum_choices(SEX_LABELS)]
        self.only_age_bands.choices = _enum_choices(AGE_BAND_LABELS)
        self.only_categories.choices = _code_choices(INCIDENT_CATEGORIES, "incident_category")
        self.only_severities.choices = _enum_choices(SEVERITY_LABELS)
        self.only_driver.choices = [
            SelectChoice("", _("No concern chosen")),
            *_code_choices(DRIVERS, "driver"),
        ]
        self.recommendations.choices = self._recommendation_choices()

    @staticmethod
    def _recommendation_choices() -> list[SelectChoice]:
        return [
            SelectChoice(c.value, f"{c.value}: {c.label}")
            for c in _code_choices(RECOMMENDATIONS, "recommendation")
        ]

    @staticmethod
    def _data_from(indicator: Indicator) -> dict:
        filters = dict(indicator.filters or {})
        sex = str(filters.get("sex") or "")
        data = {filter_field(key): list(filters.get(key) or ()) for key in LIST_FILTERS}
        data.update(
            {
                "code": indicator.code,
                "name": indicator.name,
                "names": dict(indicator.names or {}),
                "measure": indicator.measure.value,
                "only_sex": Sex[sex.upper()].value if sex.upper() in Sex.__members__ else sex,
                "only_driver": filters.get("driver") or "",
                "recommendations": [r.code for r in indicator.recommendations],
                "unit": indicator.unit,
                "direction": indicator.direction.value,
                "baseline_value": indicator.baseline_value,
                "baseline_date": indicator.baseline_date,
                "target_total": indicator.target_total,
            }
        )
        return data

    def filters(self) -> dict:
        """The filters as ``Indicator.filters`` keeps them (empty ones left out by the service)."""
        found: dict = {key: list(self[filter_field(key)].data or ()) for key in LIST_FILTERS}
        found["sex"] = self.only_sex.data or ""
        found["driver"] = self.only_driver.data or ""
        return found

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Each field's own checks, then the rules across fields (the measure's filters and limits)."""
        valid = super().validate(extra_validators)
        measure, unit = self.measure.data or "", self.unit.data or ""
        problems = [] if not measure or self.measure.errors else filter_problems(measure, self.filters())
        figures = {
            name: float(self[name].data)
            for name in ("baseline_value", "target_total")
            if self[name].data is not None and not self[name].errors
        }
        problems += figure_problems(measure, unit, figures)
        if self.baseline_date.data and not self.baseline_date.errors:
            problem = baseline_date_problem(self.programme, self.baseline_date.data)
            if problem:
                problems.append(("baseline_date", problem))
        for field, message in problems:
            if not self[field].errors:
                self[field].errors = [*self[field].errors, message]
        return valid and not problems

    def values(self) -> dict:
        """What :func:`app.services.indicator_admin.create_indicator` takes."""
        return {
            "code": self.code.data,
            "name": self.name.data,
            "names": self.names.form.names(),
            "measure": self.measure.data,
            "filters": self.filters(),
            "recommendations": list(self.recommendations.data or ()),
            "unit": self.unit.data or "",
            "direction": self.direction.data,
            "baseline_value": self.baseline_value.data,
            "baseline_date": self.baseline_date.data,
            "target_total": self.target_total.data,
        }


class DeleteIndicatorForm(BaseForm):
    """Removing an indicator, with its targets and actuals, once the box is ticked."""

    confirm = BooleanField(
        _l("Yes, remove this indicator with its targets and actuals"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
    delete = SubmitField(_l("Remove the indicator"))
