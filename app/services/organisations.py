"""Organisations (LCPCs, Public Councils, NGOs, committees): create, change, deactivate."""

from __future__ import annotations

import re

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ..collation import in_order
from ..errors import DomainError
from ..models import District, Organisation, Region, User
from ..translate import gettext as _
from ..vocabulary import OrganisationType
from .audit import apply_changes, log_event

#: Upper-case letters, digits and single hyphens, e.g. ``LCPC-KARASUU``.
CODE_PATTERN = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


def normalise_code(code: str) -> str:
    """Codes are stored trimmed and upper-case."""
    return code.strip().upper()


def organisations_query() -> Select:
    """``SELECT organisations`` with their district and region (sort with :func:`in_order`)."""
    return (
        select(Organisation)
        .join(Organisation.district)
        .join(District.region)
        .options(joinedload(Organisation.district).joinedload(District.region))
    )


def code_taken(session: Session, code: str, *, exclude: Organisation | None = None) -> bool:
    """Whether another organisation already has this code (case-insensitive)."""
    query = select(func.count(Organisation.id)).where(func.lower(Organisation.code) == code.lower())
    if exclude is not None:
        query = query.where(Organisation.id != exclude.id)
    return bool(session.scalar(query))


def _checked_values(
    session: Session,
    code: str,
    name: str,
    type: str,
    district_code: str,
    exclude: Organisation | None = None,
) -> dict[str, object]:
    code = normalise_code(code)
    name = " ".join(name.split())
    if not CODE_PATTERN.match(code):
        raise DomainError(
            _("Use Latin capital letters, digits and hyphens only, e.g. LCPC-KARASUU."),
            field="code",
            code="code_format",
        )
    if code_taken(session, code, exclude=exclude):
        raise DomainError(
            _("The code %(code)s is already used by another organisation.", code=code),
            field="code",
            code="code_taken",
        )
    if not name:
        raise DomainError(_("A name is required."), field="name", code="name_required")
    try:
        org_type = OrganisationType(type)
    except ValueError:
        raise DomainError(_("Choose a type from the list."), field="type", code="unknown_type") from None
    district = session.scalar(select(District).where(District.code == district_code))
    if district is None:
        raise DomainError(_("Choose a district from the list."), field="district", code="unknown_district")
    return {"code": code, "name": name, "type": org_type, "district_id": district.id}


def create_organisation(
    session: Session,
    *,
    actor: User,
    code: str,
    name: str,
    type: str,
    district_code: str,
    names: dict[str, str] | None = None,
) -> Organisation:
    """Add an organisation; flushes, never commits."""
    values = {**_checked_values(session, code, name, type, district_code), "names": dict(names or {})}
    organisation = Organisation(**values)
    session.add(organisation)
    session.flush()
    log_event(
        session,
        "create",
        "organisation",
        user=actor,
        object_uuid=organisation.uuid,
        code=organisation.code,
        type=organisation.type.value,
    )
    return organisation


def update_organisation(
    session: Session,
    organisation: Organisation,
    *,
    actor: User,
    code: str,
    name: str,
    type: str,
    district_code: str,
    names: dict[str, str] | None = None,
) -> list[str]:
    """Change an organisation's code, name (in each language), type or home district; return what
    changed."""
    values = _checked_values(session, code, name, type, district_code, exclude=organisation)
    values["names"] = dict(names or {})
    return apply_changes(session, organisation, values, "organisation", actor=actor, code=values["code"])


def set_organisation_active(
    session: Session, organisation: Organisation, active: bool, *, actor: User
) -> None:
    """Deactivate or reactivate an organisation (its records and users are kept)."""
    if organisation.active == active:
        return
    organisation.active = active
    session.flush()
    log_event(
        session,
        "reactivate" if active else "deactivate",
        "organisation",
        user=actor,
        object_uuid=organisation.uuid,
        code=organisation.code,
    )


def districts_by_region(session: Session) -> list[tuple[Region, list[District]]]:
    """Every region with its districts, for a grouped picker (country, then region name)."""
    regions = session.scalars(
        select(Region).options(joinedload(Region.country), joinedload(Region.districts))
    ).unique()
    ordered = sorted(in_order(regions, lambda r: r.local_name), key=lambda r: r.country.code)
    return [
        (region, in_order(region.districts, lambda d: d.local_name)) for region in ordered if region.districts
    ]
