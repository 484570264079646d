"""The report filters (dashboard and Excel export): a GET form over the query string.

Field names are the query parameters (``from``, ``to``, ``country``, ``region``, ``district``,
``organisation``, ``status``, ``audience``) so a filtered view can be bookmarked and shared.
Codes are checked by :func:`reports.filters.resolve_filters`, which also enforces the viewer's
scope and the donor grid (whole months, regions at the finest); its message is shown next to the
field it concerns. A donor is not offered district, organisation or status at all; a district or
organisation typed into a donor's URL is still refused (next to the region), never ignored.
"""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from app.collation import in_order
from app.models import Country, District, Organisation, Region, User
from app.services.scope import region_ids_in_scope
from app.translate import gettext as _
from app.translate import lazy_gettext as _l
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
        description=_l(
            "Donor: approved records only, whole months, regions at the finest, numbers slightly "
            "perturbed and small ones hidden, no single records."
        ),
    )

    #: Filters a donor is not offered; typed into the URL they are still passed on and refused.
    DONOR_HIDDEN = ("district", "organisation")

    def __init__(self, formdata: object, *, session: Session, viewer: User, **kwargs: object) -> None:
        super().__init__(formdata=formdata, **kwargs)
        self.session, self.viewer, self.raw = session, viewer, formdata
        self.filters: ReportFilters | None = None
        #: 400 for bad input, 403 for a filter outside the viewer's area.
        self.http_status = 400
        self._set_choices()

    def _set_choices(self) -> None:
        """Offer only what the viewer may choose; anything else typed in the URL is checked."""
        every = [("", _("All"))]
        by_name = lambda row: row[1]  # noqa: E731  (names in the reader's language and alphabet)
        regions = in_order(
            self.session.execute(
                select(Region.code, Region.local_name, Region.id, Country.code)
                .join(Country, Country.id == Region.country_id)
                .where(Region.id.in_(region_ids_in_scope(self.viewer)))
            ).all(),
            lambda row: row[3],
            by_name,
        )
        region_ids = [region_id for _code, _name, region_id, _country in regions]
        countries = self.session.execute(
            select(Country.code, Country.local_name).where(Country.code.in_({c for *_r, c in regions}))
        ).all()
        self.country.choices = every + [tuple(row) for row in in_order(countries, by_name)]
        self.region.choices = every + [(code, name) for code, name, _id, _c in regions]
        districts = self.session.execute(
            select(District.code, District.local_name).where(District.region_id.in_(region_ids))
        ).all()
        self.district.choices = every + [tuple(row) for row in in_order(districts, by_name)]
        organisations = self.session.execute(
            select(Organisation.code, Organisation.local_name)
            .join(District, District.id == Organisation.district_id)
            .where(District.region_id.in_(region_ids))
        ).all()
        self.organisation.choices = every + [tuple(row) for row in in_order(organisations, by_name)]
        self.status.choices = every + [(s.value, _(STATUS_LABELS[s])) for s in REPORT_STATUSES]
        if self.viewer.role == Role.DONOR:
            del self.audience
            del self.status
            for name in self.DONOR_HIDDEN:
                delattr(self, name)
        else:
            self.audience.choices = [(a.value, _(AUDIENCE_LABELS[a])) for a in Audience][::-1]

    def _value(self, name: str) -> str | None:
        """A filter's value: from its field, or for a field not offered, as typed in the URL."""
        if name in self:
            return self[name].data or None
        if name in self.DONOR_HIDDEN and hasattr(self.raw, "get"):
            return self.raw.get(name) or None
        return None

    def validate(self, extra_validators: dict | None = None) -> bool:
        """Field checks, then codes, contradictions, scope and the donor grid (``resolve_filters``)."""
        if not super().validate(extra_validators):
            return False
        try:
            self.filters = resolve_filters(
                self.session,
                viewer=self.viewer,
                audience=self._value("audience"),
                date_from=self.date_from.data,
                date_to=self.date_to.data,
                country=self._value("country"),
                region=self._value("region"),
                district=self._value("district"),
                organisation=self._value("organisation"),
                status=self._value("status"),
                cell_key_table=current_app.config.get("CELL_KEY_TABLE"),
            )
        except FilterError as exc:
            # A filter a donor is not offered has no field of its own: say it next to the region.
            fallback = self.region if exc.field in self.DONOR_HIDDEN else self.date_from
            field = self._fields.get(exc.field, fallback)
            field.errors = [*field.errors, exc.translated(_)]
            self.http_status = exc.http_status
            return False
        return True
