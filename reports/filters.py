"""The one filter object every report (workbook, charts, page) is computed from.

:func:`resolve_filters` turns what a person typed (codes, dates) into a :class:`ReportFilters`,
refusing unknown codes, contradictions and anything outside the viewer's scope with a
:class:`FilterError` that names the field and says what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.models import Community, Country, District, Organisation, Region, User
from app.services.scope import community_ids_in_scope, region_ids_in_scope
from app.vocabulary import N_, Role, Status


class Audience(StrEnum):
    """Who a report is for: decides suppression, statuses and whether rows are included."""

    DONOR = "donor"
    COORDINATOR = "coordinator"


AUDIENCE_LABELS = {Audience.DONOR: N_("Donor (aggregates)"), Audience.COORDINATOR: N_("Coordinator")}

#: Records that count in any report: drafts and returned records never do.
REPORT_STATUSES: tuple[Status, ...] = (Status.SUBMITTED, Status.APPROVED)
#: Records that count for donors. Review and approval do not exist yet, so submitted records are
#: treated as the donor set; when review ships this becomes ``(Status.APPROVED,)``.
DONOR_STATUSES: tuple[Status, ...] = (Status.SUBMITTED, Status.APPROVED)
#: Said wherever donors read a report (Overview sheet, dashboard).
DONOR_STATUS_NOTE = N_(
    "Review and approval are not in use yet: submitted records are counted as if approved. "
    "Drafts and records returned for changes are never counted."
)

#: A report covers this many days when no start date is given.
DEFAULT_PERIOD_DAYS = 365


class FilterError(DomainError):
    """A filter is unknown, contradictory or outside the viewer's scope.

    ``message`` is an English source string with ``%(name)s`` placeholders; ``http_status`` is
    400 for bad input and 403 for a request outside the viewer's scope.
    """

    def __init__(self, field: str, message: str, http_status: int = 400, **params: object) -> None:
        self.field = field
        self.message = message
        self.params = params
        self.http_status = http_status
        super().__init__(message % params)

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

    @property
    def statuses(self) -> tuple[Status, ...]:
        """Review statuses counted."""
        allowed = DONOR_STATUSES if self.audience == Audience.DONOR else REPORT_STATUSES
        return (self.status,) if self.status in allowed else allowed

    @property
    def is_donor(self) -> bool:
        return self.audience == Audience.DONOR

    def previous(self) -> ReportFilters:
        """The same filters over the period of equal length just before this one."""
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
) -> ReportFilters:
    """Check the filters against the database and the viewer's scope; raise :class:`FilterError`.

    ``viewer`` None is the command line run on the server: everything, any audience.
    A donor always gets the donor audience and every area; a coordinator their area only.
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

    date_to = date_to or today or date.today()
    date_from = date_from or _default_from(date_to)
    if date_from > date_to:
        raise FilterError("date_from", N_("The start date is after the end date."))

    status_value = None
    if status:
        try:
            status_value = Status(status)
        except ValueError:
            raise FilterError("status", N_("Unknown status: %(code)s."), code=status) from None
        allowed = DONOR_STATUSES if audience == Audience.DONOR else REPORT_STATUSES
        if status_value not in allowed:
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
        scope_name = viewer.scope_region.name if viewer.scope_region else None
        if scope_name is None and viewer.scope_country is not None:
            scope_name = viewer.scope_country.name

    community_ids = None
    if scoped or country_row or region_row or district_row:
        query = select(Community.id).join(District, Community.district_id == District.id)
        if district_row is not None:
            query = query.where(District.id == district_row.id)
        elif region_row is not None:
            query = query.where(District.region_id == region_row.id)
        elif country_row is not None:
            query = query.join(Region, District.region_id == Region.id).where(
                Region.country_id == country_row.id
            )
        if scoped:
            query = query.where(Community.id.in_(community_ids_in_scope(viewer)))
        community_ids = frozenset(session.scalars(query))

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
    )
