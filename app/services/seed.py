"""Believable demo data over the last 24 months, inserted in bulk (``flask seed-demo``)."""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ..data import demo
from ..errors import DomainError
from ..models import (
    Activity,
    Community,
    District,
    DriverAssessment,
    DriverRating,
    Incident,
    Organisation,
    Programme,
    Region,
    User,
    activity_drivers,
    activity_recommendations,
    activity_target_groups,
    incident_drivers,
    programme_donors,
)
from ..models.base import RECORD_KEY_RANGE
from ..vocabulary import (
    COUNT_CELLS,
    DRIVERS,
    IncidentStatus,
    Response,
    Role,
    Severity,
    Status,
    Trend,
)
from .accounts import resolve_scope
from .reference import shipped_names
from .seed_results import ensure_demo_programmes

DEMO_PASSWORD = "yntymak-demo"  # noqa: S105  (printed by make run, for the demo only)
BATCH = 2000
DAYS = 730
CELL_COLUMNS = tuple(column for column, _sex, _band in COUNT_CELLS)
DRIVER_CODES = tuple(code for code, _label in DRIVERS)


@dataclass
class SeedResult:
    activities: int = 0
    incidents: int = 0
    assessments: int = 0
    seconds: float = 0.0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class _Org:
    id: int
    code: str
    country: str
    region: str
    author_id: int
    community_ids: list[int]


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


def _organisations(session: Session) -> list[_Org]:
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
        _Org(org_id, code, region[:2], region, authors[org_id], sorted(communities[district_id]))
        for org_id, code, district_id, region in rows
    ]


def _driver_profile(org: _Org, day: date, today: date) -> dict[str, float]:
    years_ago = (today - day).days / 365
    profile = dict(demo.DRIVER_BASELINE)
    for key in (org.country, org.region):
        for driver, delta in demo.DRIVER_ADJUSTMENTS.get(key, {}).items():
            profile[driver] += delta
    for driver, per_year in demo.DRIVER_DRIFT.get(org.country, {}).items():
        profile[driver] -= per_year * years_ago
    return {d: min(3.0, max(0.0, w)) for d, w in profile.items()}


def _pick_weighted(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """``k`` distinct keys, drawn by weight."""
    pool = dict(weights)
    picked: list[str] = []
    while pool and len(picked) < k:
        choice = rng.choices(list(pool), weights=list(pool.values()))[0]
        picked.append(choice)
        del pool[choice]
    return picked


#: Share of concerns an assessment leaves "not assessed" (stored as no rating).
NOT_ASSESSED_SHARE = 0.12


def _random_day(rng: random.Random, today: date) -> date:
    # Half uniform, half growing towards today: programmes scale up over time.
    offset = rng.uniform(0, DAYS) if rng.random() < 0.5 else rng.triangular(0, DAYS, 0)
    return today - timedelta(days=int(offset))


def _review_status(rng: random.Random, day: date, today: date) -> Status:
    if (today - day).days < 21:
        weights = {Status.DRAFT: 25, Status.SUBMITTED: 50, Status.RETURNED: 10, Status.APPROVED: 15}
    else:
        weights = {Status.DRAFT: 3, Status.SUBMITTED: 8, Status.RETURNED: 5, Status.APPROVED: 84}
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _split_people(rng: random.Random, total: int, groups: list[str]) -> dict[str, int]:
    weights: dict[str, float] = defaultdict(float)
    for group in groups:
        for cell, weight in demo.GROUP_CELLS[group].items():
            weights[cell] += weight
    norm = sum(weights.values())
    return {cell: round(total * weights.get(cell, 0) / norm * rng.uniform(0.7, 1.3)) for cell in CELL_COLUMNS}


def _stamp(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 600))


def _record_base(rng: random.Random, org: _Org, day: date, today: date) -> dict:
    status = _review_status(rng, day, today)
    created = min(_stamp(day, rng), datetime.now(UTC))
    return {
        "uuid": uuid.uuid4(),
        "date": day,
        "status": status,
        "version": 1,
        "record_key": rng.randrange(RECORD_KEY_RANGE),
        "submitted_at": created if status != Status.DRAFT else None,
        "review_comment": rng.choice(demo.RETURN_COMMENTS) if status == Status.RETURNED else None,
        "community_id": rng.choice(org.community_ids),
        "organisation_id": org.id,
        "author_id": org.author_id,
        "created_at": created,
        "updated_at": created,
    }


def _insert_returning_ids(session: Session, model: type, rows: list[dict]) -> list[int]:
    result = session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


def _seed_activities(session: Session, rng: random.Random, orgs: list[_Org], n: int, today: date) -> None:
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        rows, links = [], []
        for _ in range(size):
            org = rng.choice(orgs)
            day = _random_day(rng, today)
            weights = dict(demo.ACTIVITY_TYPE_WEIGHTS[org.country])
            if org.region in demo.SOUTH_KG:
                weights["mediation"] *= 2
                weights["police_community"] *= 1.5
            type_code = rng.choices(list(weights), weights=list(weights.values()))[0]
            groups_pool, (low, high), recs, type_drivers = demo.ACTIVITY_PROFILES[type_code]
            groups = rng.sample(groups_pool, k=min(len(groups_pool), rng.choice((1, 1, 2, 2, 3))))
            people = _split_people(rng, rng.randint(low, high), groups)
            profile = _driver_profile(org, day, today)
            driver_weights = {d: profile[d] + (2.0 if d in type_drivers else 0.0) for d in DRIVER_CODES}
            drivers = _pick_weighted(rng, driver_weights, rng.choice((1, 2, 2, 3)))
            recommendations = set(recs) | {
                demo.GROUP_RECOMMENDATIONS[g] for g in groups if g in demo.GROUP_RECOMMENDATIONS
            }
            if rng.random() < 0.05:
                recommendations.add(rng.choice(("R1", "R2", "R11", "R13")))
            row = _record_base(rng, org, day, today)
            row.update(people)
            row.update(
                # 20-49 % new faces, from the day rather than the generator (the rest stays as seeded)
                first_time_participants=sum(people.values()) * (20 + day.toordinal() % 30) // 100,
                activity_type_code=type_code,
                partners=rng.choice(demo.PARTNERS),
                outcome=rng.choice(demo.ACTIVITY_OUTCOMES),
                follow_up=rng.choice(demo.FOLLOW_UPS),
            )
            rows.append(row)
            links.append((groups, drivers, sorted(recommendations)))
        ids = _insert_returning_ids(session, Activity, rows)
        group_rows, driver_rows, rec_rows = [], [], []
        for activity_id, (groups, drivers, recommendations) in zip(ids, links, strict=True):
            group_rows += [{"activity_id": activity_id, "target_group_code": g} for g in groups]
            driver_rows += [{"activity_id": activity_id, "driver_code": d} for d in drivers]
            rec_rows += [{"activity_id": activity_id, "recommendation_code": r} for r in recommendations]
        session.execute(insert(activity_target_groups), group_rows)
        session.execute(insert(activity_drivers), driver_rows)
        session.execute(insert(activity_recommendations), rec_rows)
        done += size


def _seed_incidents(session: Session, rng: random.Random, orgs: list[_Org], n: int, today: date) -> None:
    responses = {
        "interethnic_incident": Response.MEDIATION,
        "religious_dispute": Response.DIALOGUE,
        "police_abuse": Response.REFERRAL,
        "detention": Response.REFERRAL,
        "departure_abroad": Response.REPORTED,
        "return_from_conflict": Response.REFERRAL,
    }
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        rows, links = [], []
        for _ in range(size):
            org = rng.choice(orgs)
            day = _random_day(rng, today)
            key = "KG-south" if org.region in demo.SOUTH_KG else org.country
            weights = demo.INCIDENT_WEIGHTS[key]
            category = rng.choices(list(weights), weights=list(weights.values()))[0]
            profile = _driver_profile(org, day, today)
            driver_weights = {
                d: profile[d] + (3.0 if d in demo.INCIDENT_DRIVERS[category] else 0.0) for d in DRIVER_CODES
            }
            age = (today - day).days
            row = _record_base(rng, org, day, today)
            if rng.random() < 0.6:
                row.update(
                    _split_people(rng, rng.randint(1, 8), ["youth"] if rng.random() < 0.6 else ["women"])
                )
            row.update(
                category_code=category,
                severity=rng.choices(list(Severity), weights=(55, 33, 12))[0],
                response=responses.get(category)
                if rng.random() < 0.6 and category in responses
                else rng.choices(list(Response), weights=(10, 35, 20, 15, 20))[0],
                incident_status=rng.choices(
                    list(IncidentStatus), weights=(60, 25, 15) if age < 60 else (10, 20, 70)
                )[0],
                description=rng.choice(demo.INCIDENT_TEXTS[category]),
            )
            rows.append(row)
            links.append(_pick_weighted(rng, driver_weights, rng.choice((1, 2, 2, 3))))
        ids = _insert_returning_ids(session, Incident, rows)
        session.execute(
            insert(incident_drivers),
            [
                {"incident_id": i, "driver_code": d}
                for i, drivers in zip(ids, links, strict=True)
                for d in drivers
            ],
        )
        done += size


def _seed_assessments(session: Session, rng: random.Random, orgs: list[_Org], n: int, today: date) -> None:
    # Quarterly snapshots: every organisation assesses its communities, oldest quarter first.
    quarter_ends = sorted(
        {
            date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
            for d in (today - timedelta(days=k) for k in range(0, DAYS, 30))
        }
    )
    slots = [(org, community, q) for q in quarter_ends for org in orgs for community in org.community_ids]
    rng.shuffle(slots)
    chosen = sorted(
        slots[:n] if n <= len(slots) else slots + rng.choices(slots, k=n - len(slots)), key=lambda s: s[2]
    )
    previous: dict[tuple[int, str], int] = {}
    for start in range(0, len(chosen), BATCH):
        batch = chosen[start : start + BATCH]
        rows, ratings = [], []
        for org, community_id, quarter in batch:
            day = min(today, quarter + timedelta(days=rng.randint(45, 88)))
            row = _record_base(rng, org, day, today)
            row.update(community_id=community_id, notes="")
            rows.append(row)
            profile = _driver_profile(org, day, today)
            scored = []
            for driver in DRIVER_CODES:
                rating = max(0, min(3, round(profile[driver] + rng.gauss(0, 0.55))))
                before = previous.get((community_id, driver))
                if before is None:
                    trend = Trend.SAME
                else:
                    trend = Trend.UP if rating > before else Trend.DOWN if rating < before else Trend.SAME
                previous[(community_id, driver)] = rating
                if rng.random() < NOT_ASSESSED_SHARE:  # a concern the volunteer did not assess
                    continue
                scored.append((driver, rating, trend))
            ratings.append(scored or [(DRIVER_CODES[0], 0, Trend.SAME)])
        ids = _insert_returning_ids(session, DriverAssessment, rows)
        session.execute(
            insert(DriverRating),
            [
                {"assessment_id": i, "driver_code": d, "rating": r, "trend": t}
                for i, scored in zip(ids, ratings, strict=True)
                for d, r, t in scored
            ],
        )


def seed_demo(
    session: Session,
    *,
    activities: int,
    incidents: int,
    assessments: int,
    seed: int = 2016,
    today: date | None = None,
) -> SeedResult:
    """Add demo accounts and programmes (once) and the requested number of records; flushes, never
    commits."""
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or date.today()
    ensure_demo_accounts(session)
    orgs = _organisations(session)
    _seed_activities(session, rng, orgs, activities, today)
    _seed_incidents(session, rng, orgs, incidents, today)
    _seed_assessments(session, rng, orgs, assessments, today)
    ensure_demo_programmes(session, today)
    session.flush()
    return SeedResult(
        activities=activities,
        incidents=incidents,
        assessments=assessments,
        seconds=time.perf_counter() - started,
        accounts=demo_accounts(session),
    )
