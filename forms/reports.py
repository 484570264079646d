"""The report filters (dashboard and Excel export): a GET form over the query string.

Field names are the query parameters (``from``, ``to``, ``country``, ``region``, ``district``,
``organisation``, ``status``, ``audience``) so a filtered view can be bookmarked and shared.
Codes are checked by :func:`reports.filters.resolve_filters`, which also enforces the viewer's
scope; its message is shown next to the field it concerns.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from app.models import Country, District, Organisation, Region, User
from app.services.scope import region_ids_in_scope
from app.vocabulary import STATUS_LABELS, Role
from reports.filters import (
    AUDIENCE_LABELS,
    REPORT_STATUSES,
    Audience,
    FilterError,
    ReportFilters,
    resolve_filters,
)


class ReportFiltersForm(FlaskForm):
    """Period, place, organisation, status and (for staff) the audience of a report."""

    class Meta:
        csrf = False  # a GET form: it changes nothing

    date_from = DateField(_l("From"), name="from", validators=[Optional()])
    date_to = DateField(_l("To"), name="to", validators=[Optional()])
    country = SelectField(_l("Country"), validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    district = SelectField(_l("District"), validate_choice=False)
    organisation = SelectField(_l("Organisation"), validate_choice=False)
    status = SelectField(_l("Review status"), validate_choice=False)
    audience = SelectField(
        _l("Report for"),
        validate_choice=False,
        description=_l("Donor: small numbers hidden, no single records."),
    )

    def __init__(self, formdata: object, *, session: Session, viewer: User, **kwargs: object) -> None:
        super().__init__(formdata=formdata, **kwargs)
        self.session, self.viewer = session, viewer
        self.filters: ReportFilters | None = None
        #: 400 for bad input, 403 for a filter outside the viewer's area.
        self.http_status = 400
        self._set_choices()

    def _set_choices(self) -> None:
        """Offer only what the viewer may choose; anything else typed in the URL is checked."""
        every = [("", _("All"))]
        regions = self.session.execute(
            select(Region.code, Region.name, Region.id, Country.code)
            .join(Country, Country.id == Region.country_id)
            .where(Region.id.in_(region_ids_in_scope(self.viewer)))
            .order_by(Country.code, Region.name)
        ).all()
        region_ids = [region_id for _code, _name, region_id, _country in regions]
        countries = self.session.execute(
            select(Country.code, Country.name)
            .where(Country.code.in_({c for *_r, c in regions}))
            .order_by(Country.name)
        ).all()
        self.country.choices = every + [(code, _(name)) for code, name in countries]
        self.region.choices = every + [(code, name) for code, name, _id, _c in regions]
        self.district.choices = every + [
            tuple(row)
            for row in self.session.execute(
                select(District.code, District.name)
                .where(District.region_id.in_(region_ids))
                .order_by(District.name)
            )
        ]
        self.organisation.choices = every + [
            tuple(row)
            for row in self.session.execute(
                select(Organisation.code, Organisation.name)
                .join(District, District.id == Organisation.district_id)
                .where(District.region_id.in_(region_ids))
                .order_by(Organisation.name)
            )
        ]
        self.status.choices = every + [(s.value, _(STATUS_LABELS[s])) for s in REPORT_STATUSES]
        if self.viewer.role == Role.DONOR:
            del self.audience
            del self.status
        else:
            self.audience.choices = [(a.value, _(AUDIENCE_LABELS[a])) for a in Audience][::-1]

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Field checks, then codes, contradictions and scope through ``resolve_filters``."""
        if not super().validate(extra_validators):
            return False
        try:
            self.filters = resolve_filters(
                self.session,
                viewer=self.viewer,
                audience=self.audience.data if "audience" in self else None,
                date_from=self.date_from.data,
                date_to=self.date_to.data,
                country=self.country.data or None,
                region=self.region.data or None,
                district=self.district.data or None,
                organisation=self.organisation.data or None,
                status=(self.status.data or None) if "status" in self else None,
            )
        except FilterError as exc:
            field = self._fields.get(exc.field, self.date_from)
            field.errors = [*field.errors, exc.translated(_)]
            self.http_status = exc.http_status
            return False
        return True
