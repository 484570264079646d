"""Defining the programmes of the results framework (issue 13): who may, in which area, and
storing them, audited. Their indicators: :mod:`app.services.indicator_admin`.

Who: administrators anywhere; a coordinator only within the area assigned (a whole country only
when every region of it is theirs). A refusal is a :class:`~app.errors.DomainError` naming the
form field it belongs beside. The writers flush, never commit: the view commits the one
transaction of a submission.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports.results import quarter_start

from ..collation import in_order
from ..errors import DomainError
from ..models import Country, Programme, Region, User
from ..translate import gettext as _
from ..vocabulary import Role
from .audit import log_event
from .scope import region_ids_in_scope

#: Programme codes: Latin capitals, digits and single hyphens, e.g. ``PVE-KG-SOUTH``.
PROGRAMME_CODE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
#: No record is dated before this, so no programme starts earlier.
EARLIEST_START = date(2015, 1, 1)
#: The longest programme, in years (every quarter is computed when its page is opened).
MAX_YEARS = 10


def quarter_name(start: date) -> str:
    """``2025-01-01`` as "Q1 2025" (the results pages' wording)."""
    return _("Q%(number)d %(year)d", number=(start.month - 1) // 3 + 1, year=start.year)


# -- Who, and where -------------------------------------------------------------------------------


def may_define(user: User) -> bool:
    """Administrators and coordinators define programmes (a coordinator within their area)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def area_choices(session: Session, user: User) -> tuple[list[Country], list[Region]]:
    """The countries and regions the user may put in a programme, by name: all for an
    administrator; for a coordinator the regions assigned, and a country only when all its
    regions are."""
    if user.role == Role.ADMIN:
        countries = list(session.scalars(select(Country)))
        regions = list(session.scalars(select(Region)))
    elif user.role == Role.COORDINATOR:
        mine = set(session.scalars(region_ids_in_scope(user)))
        regions = list(session.scalars(select(Region).where(Region.id.in_(mine)))) if mine else []
        touched = {region.country_id for region in regions}
        countries = [
            country
            for country in session.scalars(select(Country).where(Country.id.in_(touched)))
            if country.regions and {region.id for region in country.regions} <= mine
        ]
    else:
        countries, regions = [], []
    by_name = lambda place: place.local_name  # noqa: E731
    return in_order(countries, by_name), in_order(regions, by_name)


def donor_choices(session: Session) -> list[User]:
    """Donor accounts a programme may be shown to, by username."""
    return list(session.scalars(select(User).where(User.role == Role.DONOR).order_by(User.username)))


def _area(
    session: Session, actor: User, country_codes: list[str], region_codes: list[str]
) -> tuple[list[Country], list[Region]]:
    """The chosen places, each one known and within the actor's area, at least one."""
    countries = list(session.scalars(select(Country).where(Country.code.in_(country_codes))))
    regions = list(session.scalars(select(Region).where(Region.code.in_(region_codes))))
    allowed_countries, allowed_regions = area_choices(session, actor)
    outside = _("Choose only countries and regions of your own area, from the options shown.")
    if len(countries) != len(set(country_codes)) or not set(countries) <= set(allowed_countries):
        raise DomainError(outside, field="countries", code="area_outside_scope")
    if len(regions) != len(set(region_codes)) or not set(regions) <= set(allowed_regions):
        raise DomainError(outside, field="regions", code="area_outside_scope")
    if not countries and not regions:
        raise DomainError(_("Choose at least one country or region."), field="countries", code="no_area")
    return countries, regions


def _donors(session: Session, usernames: list[str]) -> list[User]:
    donors = donor_choices(session)
    chosen = [donor for donor in donors if donor.username in set(usernames)]
    if len(chosen) != len(set(usernames)):
        raise DomainError(_("Choose only from the options shown."), field="donors", code="unknown_donor")
    return chosen


# -- Programmes -----------------------------------------------------------------------------------


def period_problem(start: date, end: date) -> tuple[str, str] | None:
    """``(field, message)`` when the period is not one a programme can have, else None."""
    if end < start:
        return "end_date", _("The end date cannot be before the start date.")
    if start < EARLIEST_START:
        return "start_date", _("A programme cannot start before 2015.")
    if end > start.replace(year=start.year + MAX_YEARS, day=min(start.day, 28)):
        return "end_date", _("A programme lasts at most %(num)d years.", num=MAX_YEARS)
    return None


def _orphans(programme: Programme, start: date, end: date) -> None:
    """Refuse a period that would leave targets, actuals or a baseline outside it."""
    first = quarter_start(start)
    outside = sorted(
        {
            row.quarter
            for indicator in programme.indicators
            for row in (*indicator.targets, *indicator.manual_actuals)
            if row.quarter < first or row.quarter > end
        }
    )
    if outside:
        raise DomainError(
            _(
                "Targets or actuals are set for %(quarters)s, outside this period. Keep those "
                "quarters in the period, or remove their targets and actuals first.",
                quarters=", ".join(quarter_name(quarter) for quarter in outside),
            ),
            field="start_date" if outside[0] < first else "end_date",
            code="period_orphans",
        )
    late = sorted(i.code for i in programme.indicators if i.baseline_date and i.baseline_date > end)
    if late:
        raise DomainError(
            _(
                "The baseline of indicator %(codes)s is dated after this end date.",
                codes=", ".join(late),
            ),
            field="end_date",
            code="baseline_after_end",
        )


def _programme_code(session: Session, code: str, exclude: Programme | None) -> str:
    code = code.strip().upper()
    if not PROGRAMME_CODE.match(code) or len(code) > 40:
        raise DomainError(
            _("Use Latin capital letters, digits and hyphens only, e.g. PVE-KG-SOUTH."),
            field="code",
            code="code_format",
        )
    query = select(func.count(Programme.id)).where(func.upper(Programme.code) == code)
    if exclude is not None:
        query = query.where(Programme.id != exclude.id)
    if session.scalar(query):
        raise DomainError(
            _("The code %(code)s is already used by another programme.", code=code),
            field="code",
            code="code_taken",
        )
    return code


def _programme_values(session: Session, actor: User, values: dict, exclude: Programme | None) -> dict:
    """Checked values of a programme, its places and donors as rows."""
    problem = period_problem(values["start_date"], values["end_date"])
    if problem:
        raise DomainError(problem[1], field=problem[0], code="period")
    name = " ".join(str(values["name"] or "").split())
    if not name:
        raise DomainError(_("A name is required."), field="name", code="name_required")
    countries, regions = _area(session, actor, list(values["countries"]), list(values["regions"]))
    return {
        "code": _programme_code(session, values["code"], exclude),
        "name": name,
        "names": dict(values.get("names") or {}),
        "start_date": values["start_date"],
        "end_date": values["end_date"],
        "countries": countries,
        "regions": regions,
        "donors": _donors(session, list(values.get("donors") or ())),
    }


def assign_changed(target: object, values: dict, comparable: Callable[[object, str], object]) -> list[str]:
    """Set ``values`` on ``target``; the names of the fields whose ``comparable`` form changed
    (what the audit event lists), in order."""
    before = {key: comparable(target, key) for key in values}
    for key, value in values.items():
        setattr(target, key, value)
    return sorted(key for key in values if comparable(target, key) != before[key])


def _comparable(programme: Programme, key: str) -> object:
    value = getattr(programme, key)
    if key in ("countries", "regions"):
        return sorted(place.code for place in value)
    if key == "donors":
        return sorted(user.id for user in value)
    return value


def create_programme(session: Session, values: dict, *, actor: User) -> Programme:
    """Add a programme (code, names, period, area, donors); audited. Flushes, never commits."""
    checked = _programme_values(session, actor, values, None)
    programme = Programme(**checked)
    session.add(programme)
    session.flush()
    log_event(
        session,
        "create",
        "programme",
        user=actor,
        object_uuid=programme.uuid,
        code=programme.code,
        countries=sorted(c.code for c in programme.countries),
        regions=sorted(r.code for r in programme.regions),
        donors=len(programme.donors),
    )
    return programme


def update_programme(session: Session, programme: Programme, values: dict, *, actor: User) -> list[str]:
    """Change a programme; refused when the new period would leave targets, actuals or a
    baseline outside it. Audited with the names of the fields changed; returns them."""
    checked = _programme_values(session, actor, values, programme)
    _orphans(programme, checked["start_date"], checked["end_date"])
    changed = assign_changed(programme, checked, _comparable)
    if changed:
        session.flush()
        log_event(
            session,
            "update",
            "programme",
            user=actor,
            object_uuid=programme.uuid,
            code=programme.code,
            changed=changed,
        )
    return changed
