"""The one filter object every report (workbook, charts, page) is computed from.

:func:`resolve_filters` turns what a person typed (codes, dates) into a :class:`ReportFilters`,
refusing unknown codes, contradictions and anything outside the viewer's scope with a
:class:`FilterError` that names the field and says what is wrong.

Donor figures come on a coarse grid, so that two overlapping donor outputs differ by whole
months of whole regions, never by a day or a village: the period is widened to whole months (not
beyond the current month), and nothing finer than a region (no district, organisation or
community) can be chosen.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.models import Community, Country, District, Organisation, Region, User
from app.services.scope import community_ids_in_scope, region_ids_in_scope
from app.vocabulary import N_, Role, Status

from .cellkey import DEFAULT_CELL_KEY_TABLE, CellKeyTable


class Audience(StrEnum):
    """Who a report is for: decides suppression, statuses and whether rows are included."""

    DONOR = "donor"
    COORDINATOR = "coordinator"


AUDIENCE_LABELS = {Audience.DONOR: N_("Donor (aggregates)"), Audience.COORDINATOR: N_("Coordinator")}

#: Records that count in any report: drafts and returned records never do.
REPORT_STATUSES: tuple[Status, ...] = (Status.SUBMITTED, Status.APPROVED)
#: Records that count for donors: only those a coordinator has approved.
DONOR_STATUSES: tuple[Status, ...] = (Status.APPROVED,)

#: No record is dated earlier (the entry forms refuse it too).
EARLIEST_REPORT_DATE = date(2015, 1, 1)
#: A report covers this many days when no start date is given.
DEFAULT_PERIOD_DAYS = 365


class FilterError(DomainError):
    """A filter is unknown, contradictory or outside the viewer's scope.

    ``message`` is an English source string with ``%(name)s`` placeholders; ``http_status`` is
    400 for bad input and 403 for a request outside the viewer's scope.
    """

    def __init__(self, field: str, message: str, http_status: int = 400, **params: object) -> None:
        super().__init__(message % params, field=field, code="bad_filter")
        self.message = message  # the English source: :meth:`translated` looks it up
        self.params = params
        self.http_status = http_status

    def translated(self, gettext: object) -> str:
        """The message in the caller's language."""
        return gettext(self.message) % self.params  # type: ignore[operator]


@dataclass(frozen=True)
class ReportFilters:
    """Period, place, organisation and status, plus the audience and scope they are read for."""

    date_from: date
    date_to: date
    audience: Audience = Audience.DONOR
    country: str | None = None
    region: str | None = None
    district: str | None = None
    organisation: str | None = None
    status: Status | None = None
    #: Communities the report may count (place filters and the viewer's scope); None: all.
    community_ids: frozenset[int] | None = None
    organisation_id: int | None = None
    #: Name of the viewer's assigned area when the report is limited to it.
    scope_name: str | None = None
    #: The period asked for, when the donor grid widened it to whole months (else None).
    requested: tuple[date, date] | None = None
    #: Perturbation of donor counts (the ``CELL_KEY_TABLE`` setting).
    cell_key_table: CellKeyTable = DEFAULT_CELL_KEY_TABLE
    #: ``SELECT communities.id`` of :attr:`community_ids`: queries narrow by it as a subquery
    #: rather than a list of hundreds of ids.
    places: Select | None = field(default=None, compare=False, repr=False)

    def in_places(self, column: ColumnElement[int]) -> ColumnElement[bool] | None:
        """The place and scope condition on a community id column (None: every community)."""
        if self.places is not None:
            return column.in_(self.places)
        if self.community_ids is None:
            return None
        return column.in_(sorted(self.community_ids))

    @property
    def statuses(self) -> tuple[Status, ...]:
        """Review statuses counted."""
        allowed = DONOR_STATUSES if self.audience == Audience.DONOR else REPORT_STATUSES
        return (self.status,) if self.status in allowed else allowed

    @property
    def is_donor(self) -> bool:
        return self.audience == Audience.DONOR

    @property
    def widened(self) -> bool:
        """Whether the period shown is wider than the one asked for (donor whole months)."""
        return self.requested is not None

    def previous(self) -> ReportFilters:
        """The same filters over the period of equal length just before this one.

        For donors, the same number of whole months just before.
        """
        if self.is_donor and self.date_from.day == 1 and self.date_to == month_end(self.date_to):
            months = (
                (self.date_to.year - self.date_from.year) * 12 + self.date_to.month - self.date_from.month
            )
            prev_to = self.date_from - timedelta(days=1)
            return replace(self, date_from=add_months(prev_to.replace(day=1), -months), date_to=prev_to)
        length = self.date_to - self.date_from
        prev_to = self.date_from - timedelta(days=1)
        return replace(self, date_from=prev_to - length, date_to=prev_to)

    def params(self) -> dict[str, str]:
        """The filters as query parameters (for links, bookmarks and the audit log)."""
        values = {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "country": self.country,
            "region": self.region,
            "district": self.district,
            "organisation": self.organisation,
            "status": self.status.value if self.status else None,
            "audience": self.audience.value,
        }
        return {key: value for key, value in values.items() if value}


def _by_code(session: Session, model: type, code: str) -> object | None:
    return session.scalar(select(model).where(model.code == code))


def _known(session: Session, model: type, field: str, code: str, unknown: str) -> object:
    """The row with that code (any case), or a :class:`FilterError` on ``field``."""
    row = _by_code(session, model, code.upper())
    if row is None:
        raise FilterError(field, unknown, code=code)
    return row


def _default_from(date_to: date) -> date:
    return date_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``first``'s month."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def donor_period(date_from: date, date_to: date, today: date) -> tuple[date, date]:
    """The period widened to whole months: ``date_from`` to the first of its month, ``date_to`` to
    the last of its month but not beyond the end of the current month."""
    return date_from.replace(day=1), min(month_end(date_to), month_end(today))


#: Place filters finer than a region, refused for the donor audience.
_DONOR_REFUSED = {
    "district": N_("Donor figures go no finer than a region: choose a region instead of a district."),
    "organisation": N_("Donor figures cannot be limited to one organisation: choose a region or country."),
}


class _Scope(NamedTuple):
    """What :func:`community_ids_in_scope` reads of a user."""

    role: str
    organisation_id: int | None
    scope_region_id: int | None
    scope_country_id: int | None


@lru_cache(maxsize=512)
def _places(
    district_id: int | None, region_id: int | None, country_id: int | None, scope: _Scope | None
) -> Select:
    """``SELECT communities.id`` of a place (the smallest one given) within a viewer's scope; the
    same statement object for the same place and scope, so that the report sources built from
    filters (``reports.sources``) are reused from one request to the next. A statement, not its
    rows: the database reads the communities afresh each time."""
    query = select(Community.id).join(District, Community.district_id == District.id)
    if district_id is not None:
        query = query.where(District.id == district_id)
    elif region_id is not None:
        query = query.where(District.region_id == region_id)
    elif country_id is not None:
        query = query.join(Region, District.region_id == Region.id).where(Region.country_id == country_id)
    if scope is not None:
        query = query.where(Community.id.in_(community_ids_in_scope(scope)))  # type: ignore[arg-type]
    return query


def resolve_filters(
    session: Session,
    *,
    viewer: User | None = None,
    audience: Audience | str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    country: str | None = None,
    region: str | None = None,
    district: str | None = None,
    organisation: str | None = None,
    status: str | None = None,
    today: date | None = None,
    cell_key_table: CellKeyTable | None = None,
) -> ReportFilters:
    """Check the filters against the database and the viewer's scope; raise :class:`FilterError`.

    ``viewer`` None is the command line run on the server: everything, any audience.
    A donor always gets the donor audience and every area; a coordinator their area only.
    The donor audience (whoever asks for it) gets whole months and regions at the finest.
    """
    role = viewer.role if viewer is not None else None
    if audience in (None, ""):
        audience = Audience.DONOR if role == Role.DONOR else Audience.COORDINATOR
    try:
        audience = Audience(audience)
    except ValueError:
        raise FilterError("audience", N_("Unknown audience: %(code)s."), code=audience) from None
    if role == Role.DONOR and audience != Audience.DONOR:
        raise FilterError("audience", N_("Donors and partners see aggregates only."), http_status=403)

    today = today or date.today()
    # No record is dated before 2015 or in the future: a period reaching past either is cut to
    # what can hold records (so year 1 or 9999 is a wide period, not an overflow).
    latest = date(today.year + 1, 12, 31)
    date_to = min(date_to or today, latest)
    date_from = min(max(date_from or _default_from(date_to), EARLIEST_REPORT_DATE), latest)
    if date_from > date_to:
        raise FilterError("date_from", N_("The start date is after the end date."))
    requested = None
    if audience == Audience.DONOR:
        for field, value in (("district", district), ("organisation", organisation)):
            if value:
                raise FilterError(field, _DONOR_REFUSED[field])
        widened = donor_period(date_from, date_to, today)
        if widened[0] > widened[1]:
            raise FilterError(
                "date_from", N_("Donor figures end with the current month: choose an earlier start.")
            )
        if widened != (date_from, date_to):
            requested = (date_from, date_to)
            date_from, date_to = widened

    status_value = None
    if status:
        try:
            status_value = Status(status)
        except ValueError:
            raise FilterError("status", N_("Unknown status: %(code)s."), code=status) from None
        if audience == Audience.DONOR and status_value not in DONOR_STATUSES:
            raise FilterError("status", N_("Donor figures count approved records only."))
        if status_value not in REPORT_STATUSES:
            raise FilterError("status", N_("Reports count submitted and approved records only."))

    country_row = region_row = district_row = org_row = None
    if country:
        country_row = _known(session, Country, "country", country, N_("Unknown country code: %(code)s."))
    if region:
        region_row = _known(session, Region, "region", region, N_("Unknown region code: %(code)s."))
        if country_row is not None and region_row.country_id != country_row.id:
            raise FilterError(
                "region",
                N_("Region %(region)s is not in country %(country)s."),
                region=region_row.code,
                country=country_row.code,
            )
    if district:
        district_row = _known(session, District, "district", district, N_("Unknown district code: %(code)s."))
        if region_row is not None and district_row.region_id != region_row.id:
            raise FilterError(
                "district",
                N_("District %(district)s is not in region %(region)s."),
                district=district_row.code,
                region=region_row.code,
            )
        if country_row is not None and district_row.region.country_id != country_row.id:
            raise FilterError(
                "district",
                N_("District %(district)s is not in country %(country)s."),
                district=district_row.code,
                country=country_row.code,
            )
    if organisation:
        org_row = _known(
            session, Organisation, "organisation", organisation, N_("Unknown organisation code: %(code)s.")
        )
        org_district = org_row.district
        outside = (
            (district_row is not None and org_district.id != district_row.id)
            or (region_row is not None and org_district.region_id != region_row.id)
            or (country_row is not None and org_district.region.country_id != country_row.id)
        )
        if outside:
            raise FilterError(
                "organisation",
                N_("Organisation %(code)s works outside the place chosen."),
                code=org_row.code,
            )

    scoped = role == Role.COORDINATOR
    scope_name = None
    if scoped:
        allowed_regions = set(session.scalars(region_ids_in_scope(viewer)))
        checks = (
            ("region", region_row.id if region_row else None),
            ("district", district_row.region_id if district_row else None),
            ("organisation", org_row.district.region_id if org_row else None),
        )
        for field, region_id in checks:
            if region_id is not None and region_id not in allowed_regions:
                raise FilterError(field, N_("This is outside the area you are assigned."), http_status=403)
        if country_row is not None and not any(
            r.id in allowed_regions
            for r in session.scalars(select(Region).where(Region.country_id == country_row.id))
        ):
            raise FilterError("country", N_("This is outside the area you are assigned."), http_status=403)
        scope_name = viewer.scope_region.local_name if viewer.scope_region else None
        if scope_name is None and viewer.scope_country is not None:
            scope_name = viewer.scope_country.local_name

    community_ids = places = None
    if scoped or country_row or region_row or district_row:
        places = _places(
            district_row.id if district_row else None,
            region_row.id if region_row else None,
            country_row.id if country_row else None,
            _Scope(viewer.role, viewer.organisation_id, viewer.scope_region_id, viewer.scope_country_id)
            if scoped
            else None,
        )
        community_ids = frozenset(session.scalars(places))

    return ReportFilters(
        date_from=date_from,
        date_to=date_to,
        audience=audience,
        country=country_row.code if country_row else None,
        region=region_row.code if region_row else None,
        district=district_row.code if district_row else None,
        organisation=org_row.code if org_row else None,
        status=status_value,
        community_ids=community_ids,
        organisation_id=org_row.id if org_row else None,
        scope_name=scope_name,
        requested=requested,
        cell_key_table=cell_key_table or DEFAULT_CELL_KEY_TABLE,
        places=places,
    )
