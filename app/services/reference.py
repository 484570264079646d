"""Load the taxonomies and the geography, idempotently (``flask init-db``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import vocabulary as v
from ..data.geography import GEOGRAPHY
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
        changes += changed
    session.flush()
    for country_code, regions in GEOGRAPHY.items():
        for region_code, region_name, districts in regions:
            region, changed = _upsert_by_code(
                session, Region, region_code, name=region_name, country_id=countries[country_code].id
            )
            changes += changed
            session.flush()
            for suffix, district_name, communities in districts:
                district, changed = _upsert_by_code(
                    session, District, f"{region_code}-{suffix}", name=district_name, region_id=region.id
                )
                changes += changed
                session.flush()
                for number, community_name in enumerate(communities, start=1):
                    changes += _upsert_by_code(
                        session,
                        Community,
                        f"{district.code}-{number:02d}",
                        name=community_name,
                        district_id=district.id,
                    )[1]
    session.flush()
    return changes


def load_reference_data(session: Session) -> int:
    """Everything ``init-db`` loads; returns how many rows were added or changed (0 on a rerun)."""
    return load_taxonomies(session) + load_geography(session)
