"""Geography administration: browse country -> region -> district, add communities."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import DomainError
from ..models import Community, Country, District, Region, User
from ..translate import gettext as _
from .audit import log_event


def geography_tree(session: Session) -> list[Country]:
    """Countries with their regions, districts and communities loaded, countries by code."""
    return list(
        session.scalars(
            select(Country)
            .options(
                selectinload(Country.regions)
                .selectinload(Region.districts)
                .selectinload(District.communities)
            )
            .order_by(Country.code)
        )
    )


def clean_name(name: str) -> str:
    """Trimmed, with runs of spaces collapsed."""
    return " ".join(name.split())


def community_name_taken(district: District, name: str) -> bool:
    """Whether the district already has a community of that name, ignoring case (any alphabet)."""
    wanted = clean_name(name).casefold()
    return any(community.name.casefold() == wanted for community in district.communities)


def next_community_code(district: District) -> str:
    """``<district code>-<next number, two digits at least>`` after the highest number in use."""
    prefix = district.code + "-"
    numbers = [
        int(suffix)
        for community in district.communities
        if community.code.startswith(prefix) and (suffix := community.code[len(prefix) :]).isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def set_names(
    session: Session, place: object, names: dict[str, str], *, actor: User, object_type: str
) -> bool:
    """Give a region, district or community its name in each language (audited); whether it changed."""
    wanted = {language: name for language, name in names.items() if name}
    if wanted == (place.names or {}):  # type: ignore[attr-defined]
        return False
    before = sorted(place.names or {})  # type: ignore[attr-defined]
    place.names = wanted  # type: ignore[attr-defined]
    session.flush()
    log_event(
        session,
        "update",
        object_type,
        user=actor,
        code=place.code,  # type: ignore[attr-defined]
        changed=["names"],
        languages=[before, sorted(wanted)],
    )
    return True


def add_community(
    session: Session, district: District, name: str, *, actor: User, names: dict[str, str] | None = None
) -> Community:
    """Add a community to a district with the next free code; flushes, never commits."""
    name = clean_name(name)
    if not name:
        raise DomainError(_("A name is required."), field="name", code="name_required")
    if community_name_taken(district, name):
        raise DomainError(
            _(
                "%(district)s already has a community called %(name)s.",
                district=district.local_name,
                name=name,
            ),
            field="name",
            code="community_name_taken",
        )
    community = Community(
        code=next_community_code(district), name=name, names=dict(names or {}), district=district
    )
    session.add(community)
    session.flush()
    log_event(session, "create", "community", user=actor, code=community.code, district=district.code)
    return community
