"""Load the taxonomies and the geography, idempotently (``flask init-db``)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import vocabulary as v
from ..data.geography import GEOGRAPHY
from ..data.place_names import PLACE_NAMES
from ..models import (
    ActivityType,
    Community,
    Country,
    District,
    Driver,
    IncidentCategory,
    Recommendation,
    Region,
    TargetGroup,
)
from ..translate import gettext as _

_TAXONOMIES = (
    (Driver, v.DRIVERS),
    (TargetGroup, v.TARGET_GROUPS),
    (ActivityType, v.ACTIVITY_TYPES),
    (IncidentCategory, v.INCIDENT_CATEGORIES),
)


def _upsert_by_code(session: Session, model: type, code: str, **values: object) -> tuple[object, bool]:
    """Return the row with ``code``, created or brought up to date; and whether anything changed."""
    row = session.scalar(select(model).where(model.code == code))
    if row is None:
        row = model(code=code, **values)
        session.add(row)
        return row, True
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return row, changed


def fill_names(row: object, names: dict[str, str]) -> bool:
    """Give the row the shipped name of each language it has none in; an administrator's own
    name is kept. Returns whether anything was added."""
    current = dict(row.names or {})  # type: ignore[attr-defined]
    missing = {lang: name for lang, name in names.items() if name and not current.get(lang)}
    if missing:
        row.names = {**current, **missing}  # type: ignore[attr-defined]  (a new dict: JSON change)
    return bool(missing)


def shipped_names(name: str) -> dict[str, str]:
    """The shipped names of a place or demo organisation per language (none for an unknown one)."""
    return dict(PLACE_NAMES.get(name, {}))


def _country_names(name: str) -> dict[str, str]:
    """A country's name in each interface language, from the catalogs."""
    names = shipped_names(name)
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            names.setdefault(language, _(name))
    return names


def load_taxonomies(session: Session) -> int:
    """Recommendations, drivers, target groups, activity types, incident categories."""
    changes = 0
    for position, (code, label, description) in enumerate(v.RECOMMENDATIONS, start=1):
        changes += _upsert_by_code(
            session, Recommendation, code, position=position, label=label, description=description
        )[1]
    for model, pairs in _TAXONOMIES:
        for position, (code, label) in enumerate(pairs, start=1):
            changes += _upsert_by_code(session, model, code, position=position, label=label)[1]
    session.flush()
    return changes


def load_geography(session: Session) -> int:
    """The six countries, and regions, districts and communities of Kyrgyzstan and Tajikistan."""
    changes = 0
    countries = {}
    for code, name in v.COUNTRIES:
        countries[code], changed = _upsert_by_code(session, Country, code, name=name)
        changes += changed + fill_names(countries[code], _country_names(name))
    session.flush()
    for country_code, regions in GEOGRAPHY.items():
        for region_code, region_name, districts in regions:
            region, changed = _upsert_by_code(
                session, Region, region_code, name=region_name, country_id=countries[country_code].id
            )
            changes += changed + fill_names(region, shipped_names(region_name))
            session.flush()
            for suffix, district_name, communities in districts:
                district, changed = _upsert_by_code(
                    session, District, f"{region_code}-{suffix}", name=district_name, region_id=region.id
                )
                changes += changed + fill_names(district, shipped_names(district_name))
                session.flush()
                for number, community_name in enumerate(communities, start=1):
                    community, changed = _upsert_by_code(
                        session,
                        Community,
                        f"{district.code}-{number:02d}",
                        name=community_name,
                        district_id=district.id,
                    )
                    changes += changed + fill_names(community, shipped_names(community_name))
    session.flush()
    return changes


def load_reference_data(session: Session) -> int:
    """Everything ``init-db`` loads; returns how many rows were added or changed (0 on a rerun)."""
    return load_taxonomies(session) + load_geography(session)
