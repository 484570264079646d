"""Believable demo data over the last 24 months, inserted in bulk (``flask seed-demo``)."""

from __future__ import annotations

import gc
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ..data import demo
from ..errors import DomainError
from ..models import (
    Activity,
    Community,
    District,
    DriverAssessment,
    Incident,
    Organisation,
    Programme,
    Region,
    User,
    programme_donors,
)
from ..vocabulary import Role
from . import summaries
from .accounts import resolve_scope
from .reference import shipped_names
from .seed_bulk import loader
from .seed_plan import Org
from .seed_results import ensure_demo_programmes
from .seed_rows import RowMaker

DEMO_PASSWORD = "yntymak-demo"  # noqa: S105  (printed by make run, for the demo only)


@dataclass
class SeedResult:
    activities: int = 0
    incidents: int = 0
    assessments: int = 0
    seconds: float = 0.0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def has_records(session: Session) -> bool:
    """Whether any activity, incident or assessment exists."""
    return any(
        session.scalar(select(func.count()).select_from(model))
        for model in (Activity, Incident, DriverAssessment)
    )


def volunteer_username(organisation_code: str) -> str:
    return "vol." + organisation_code.split("-", 1)[1].lower()


def ensure_demo_accounts(session: Session) -> None:
    """Create the demo organisations and one account per role and organisation, once."""
    districts = dict(session.execute(select(District.code, District.id)).all())
    if not districts:
        raise DomainError("No geography loaded: run `flask --app wsgi init-db` first.")
    password_hash = generate_password_hash(DEMO_PASSWORD)  # hashed once: the same for every demo user
    existing_orgs = set(session.scalars(select(Organisation.code)))
    for code, name, org_type, district_code in demo.ORGANISATIONS:
        if code not in existing_orgs:
            session.add(
                Organisation(
                    code=code,
                    name=name,
                    names=shipped_names(name),  # as its members name it, in each language
                    type=org_type,
                    district_id=districts[district_code],
                )
            )
    session.flush()
    existing_users = set(session.scalars(select(User.username)))
    wanted = list(demo.STAFF) + [
        (volunteer_username(code), "volunteer", code, None, None) for code, *_rest in demo.ORGANISATIONS
    ]
    for username, role, org_code, region_code, country_code in wanted:
        if username in existing_users:
            continue
        scope = resolve_scope(
            session, role, organisation_code=org_code, region_code=region_code, country_code=country_code
        )
        session.add(User(username=username, password_hash=password_hash, **scope))
    session.flush()


def demo_accounts(session: Session) -> list[tuple[str, str, str]]:
    """``(username, role, scope)`` of the demo accounts that exist."""
    names = [s[0] for s in demo.STAFF] + [volunteer_username(o[0]) for o in demo.ORGANISATIONS]
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    rows = []
    for name in names:
        user = users.get(name)
        if user is None:
            continue
        if user.organisation is not None:
            scope = user.organisation.local_name
        elif user.scope_region is not None:
            scope = user.scope_region.local_name
        elif user.scope_country is not None:
            scope = user.scope_country.local_name
        elif user.role == Role.DONOR:
            linked = session.scalars(
                select(Programme.code).join(programme_donors).where(programme_donors.c.user_id == user.id)
            ).all()
            scope = "aggregates only" + (f"; results of {', '.join(linked)}" if linked else "")
        else:
            scope = "everything"
        rows.append((name, user.role.value, scope))
    return rows


def _organisations(session: Session) -> list[Org]:
    codes = [o[0] for o in demo.ORGANISATIONS]
    rows = session.execute(
        select(Organisation.id, Organisation.code, Organisation.district_id, Region.code)
        .join(District, Organisation.district_id == District.id)
        .join(Region, District.region_id == Region.id)
        .where(Organisation.code.in_(codes))
    ).all()
    communities: dict[int, list[int]] = defaultdict(list)
    for community_id, district_id in session.execute(select(Community.id, Community.district_id)):
        communities[district_id].append(community_id)
    authors = dict(
        session.execute(select(User.organisation_id, User.id).where(User.role == Role.VOLUNTEER)).all()
    )
    return [
        Org(org_id, code, region[:2], region, authors[org_id], sorted(communities[district_id]))
        for org_id, code, district_id, region in rows
    ]


def seed_demo(
    session: Session,
    *,
    activities: int,
    incidents: int,
    assessments: int,
    seed: int = 2016,
    today: date | None = None,
) -> SeedResult:
    """Add demo accounts and programmes (once) and the requested number of records, in bulk, and
    rebuild the summary tables; flushes, never commits (everything is in the session's transaction).

    The records depend only on ``seed`` and ``today``; their UUIDs also on the ids they get, so that
    seeding twice with one seed gives no duplicate UUID.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or date.today()
    ensure_demo_accounts(session)
    orgs = _organisations(session)
    session.flush()
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples, no cycles: the collector would only walk them
    try:
        with loader(session, activities + incidents + assessments) as load:
            first = load.first_ids(("activities", "incidents", "driver_assessments"))
            uuids = random.Random(
                f"{seed}:{first['activities']}:{first['incidents']}:{first['driver_assessments']}"
            )
            rows = RowMaker(rng, uuids, orgs, today, load.formats)
            load.write_all(
                chain(
                    rows.activities(first["activities"], activities),
                    rows.incidents(first["incidents"], incidents),
                    rows.assessments(first["driver_assessments"], assessments),
                )
            )
            # The rows went in past the session's hooks. Summed before the load puts the indexes
            # back: each table is read straight through (no index to walk), with the load's cache.
            summaries.rebuild(session)
    finally:
        if collecting:
            gc.enable()
    ensure_demo_programmes(session, today)
    session.flush()
    return SeedResult(
        activities=activities,
        incidents=incidents,
        assessments=assessments,
        seconds=time.perf_counter() - started,
        accounts=demo_accounts(session),
    )
