"""The demo records as plain rows (tuples in the order of :data:`COLUMNS`), made in chunks for the
bulk loaders of :mod:`.seed_bulk`.

Every draw comes from the seeded generator, so a seed gives the same records; what depends only on
the organisation, the day or the activity type is worked out once (:mod:`.seed_plan`). Records get
their ids in date order, as when they are entered day by day. Dates, timestamps and UUIDs are the
text the database stores (``Formats``).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from math import sqrt

from ..data import demo
from ..models.base import RECORD_KEY_RANGE
from ..vocabulary import IncidentStatus, Response, Severity, Status, Trend
from .seed_plan import (
    CELL_COLUMNS,
    DAYS,
    DRIVER_CODES,
    Org,
    OrgPlan,
    Weighted,
    driver_profile,
    group_choices,
    shares,
)

#: Days back the tables of days cover: assessments fall up to a quarter before the oldest activity.
_SPAN = DAYS + 366
#: Share of concerns an assessment leaves "not assessed" (stored as no rating).
NOT_ASSESSED_SHARE = 0.12
#: Records per chunk handed to a loader.
CHUNK = 20_000

_RECORD = (
    *("id", "uuid", "date", "status", "version", "record_key", "submitted_at", "review_comment"),
    *("community_id", "organisation_id", "author_id", "created_at", "updated_at"),
)
#: The columns of each table's rows, in the order the rows give them; parents before their links.
COLUMNS: dict[str, tuple[str, ...]] = {
    "activities": (
        *(*_RECORD, *CELL_COLUMNS),
        *("first_time_participants", "activity_type_code", "partners", "outcome", "follow_up"),
    ),
    "activity_target_groups": ("activity_id", "target_group_code"),
    "activity_drivers": ("activity_id", "driver_code"),
    "activity_recommendations": ("activity_id", "recommendation_code"),
    "incidents": (
        *(*_RECORD, *CELL_COLUMNS),
        *("category_code", "severity", "response", "incident_status", "description"),
    ),
    "incident_drivers": ("incident_id", "driver_code"),
    "driver_assessments": (*_RECORD, "notes"),
    "driver_ratings": ("assessment_id", "driver_code", "rating", "trend"),
}

#: Chunk: table name -> rows, parents before their links.
Chunk = dict[str, list[tuple]]

# Values as the database stores them (plain text: a driver may write an enum member by its name).
_DRAFT, _RETURNED, _SAME = Status.DRAFT.value, Status.RETURNED.value, Trend.SAME.value
_UP, _DOWN = Trend.UP.value, Trend.DOWN.value
_REVIEW = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
_RESPONSES = {
    "interethnic_incident": Response.MEDIATION.value,
    "religious_dispute": Response.DIALOGUE.value,
    "police_abuse": Response.REFERRAL.value,
    "detention": Response.REFERRAL.value,
    "departure_abroad": Response.REPORTED.value,
    "return_from_conflict": Response.REFERRAL.value,
}
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)  # version 4, RFC 4122 variant


@dataclass(frozen=True)
class Formats:
    """How a loader's database takes timestamps: ``stamp_suffix`` follows ``YYYY-MM-DD HH:MM:SS.ffffff``
    (SQLAlchemy's SQLite text has none, PostgreSQL's ``timestamptz`` is told ``+00``)."""

    stamp_suffix: str = ""


#: Recommendations one activity in twenty adds beyond its type's and groups'.
_EXTRA_RECOMMENDATIONS = ("R1", "R2", "R11", "R13")


class RowMaker:
    """Demo rows from one seeded generator (records) and one for UUIDs."""

    def __init__(
        self, rng: random.Random, uuids: random.Random, orgs: list[Org], today: date, formats: Formats
    ) -> None:
        self.rng, self.random, self.today = rng, rng.random, today
        self._uuid_bits = uuids.getrandbits
        suffix = formats.stamp_suffix
        self.days = [today - timedelta(days=k) for k in range(_SPAN)]
        self.day_text = [d.isoformat() for d in self.days]
        self.times = [f"{8 + m // 60:02d}:{m % 60:02d}:00.000000{suffix}" for m in range(601)]
        self.now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") + suffix
        # review status: older records mostly approved, those of the last three weeks mostly waiting
        self.status = (Weighted.of(_REVIEW, (3, 8, 5, 84)), Weighted.of(_REVIEW, (25, 50, 10, 15)))
        self.plans = [OrgPlan.of(org) for org in orgs]
        self.groups = {code: group_choices(code) for code in demo.ACTIVITY_PROFILES}
        self.severity = Weighted.of(Severity, (55, 33, 12))
        self.response = Weighted.of(Response, (10, 35, 20, 15, 20))
        self.incident_status = (
            Weighted.of(IncidentStatus, (10, 20, 70)),
            Weighted.of(IncidentStatus, (60, 25, 15)),
        )
        self.incident_shares = {g: shares([g]) for g in ("youth", "women")}

    # -- shared draws -------------------------------------------------------------------------
    def _days(self, first_id: int, n: int) -> Iterator[Iterator[tuple[int, int]]]:
        """``(id, days back from today)`` of ``n`` records, oldest first, in chunks: records get
        their ids in the order they happened, as when they are entered day by day."""
        r = self.random
        counts = [0] * (DAYS + 1)
        for _ in range(n):
            # Half uniform, half growing towards today (triangular, mode today): programmes scale up.
            counts[int(DAYS * r()) if r() < 0.5 else int(DAYS * (1.0 - sqrt(r())))] += 1
        days = (d for d in range(DAYS, -1, -1) for _ in range(counts[d]))
        for start in range(0, n, CHUNK):
            # ids first: zip stops at the chunk's end without taking the next day
            yield zip(range(first_id + start, first_id + min(n, start + CHUNK)), days, strict=False)

    def _profile(self, plan: OrgPlan, days_ago: int) -> tuple[tuple[float, ...], float]:
        cached = plan.profiles[days_ago]
        if cached is None:
            profile = driver_profile(plan.org, days_ago)
            cum = tuple(accumulate(profile[d] for d in DRIVER_CODES))
            cached = plan.profiles[days_ago] = (cum, cum[-1])
        return cached

    def _drivers(
        self, profile: tuple[tuple[float, ...], float], bonus: float, favoured: Sequence[str]
    ) -> list[str]:
        """1-3 distinct drivers, each drawn by its profile weight plus ``bonus`` if ``favoured``
        (drawing by weight and redrawing a repeat is drawing from those left, by weight)."""
        r = self.random
        cum, total = profile
        extra, last = bonus * len(favoured), len(favoured) - 1
        k = (1, 2, 2, 3)[int(4 * r())]
        picked: list[str] = []
        for _attempt in range(50):
            u = r() * (total + extra)
            driver = (
                DRIVER_CODES[bisect(cum, u)] if u < total else favoured[min(last, int((u - total) / bonus))]
            )
            if driver not in picked:
                picked.append(driver)
                if len(picked) == k:
                    break
        return picked

    def _people(self, shares: tuple[tuple[int, float], ...], total: int) -> list[int]:
        r = self.random
        cells = [0] * 8
        for i, share in shares:
            cells[i] = round(total * share * (0.7 + 0.6 * r()))
        return cells

    def _base(self, record_id: int, plan: OrgPlan, days_ago: int, community_id: int | None = None) -> tuple:
        r = self.random
        status = self.status[days_ago < 21].draw(r)
        created = f"{self.day_text[days_ago]} {self.times[int(601 * r())]}"
        if days_ago == 0 and created > self.now:
            created = self.now
        org = plan.org
        if community_id is None:
            communities = org.community_ids
            community_id = communities[int(len(communities) * r())]
        return (
            record_id,
            format((self._uuid_bits(128) & _UUID_CLEAR) | _UUID_SET, "032x"),
            self.day_text[days_ago],
            status,
            1,
            int(RECORD_KEY_RANGE * r()),
            created if status != _DRAFT else None,
            demo.RETURN_COMMENTS[int(len(demo.RETURN_COMMENTS) * r())] if status == _RETURNED else None,
            community_id,
            org.id,
            org.author_id,
            created,
            created,
        )

    # -- the three kinds ----------------------------------------------------------------------
    def activities(self, first_id: int, n: int) -> Iterator[Chunk]:
        r, plans, n_plans = self.random, self.plans, len(self.plans)
        base, people_of, drivers_of, profile_of = self._base, self._people, self._drivers, self._profile
        partners, outcomes, follow_ups = demo.PARTNERS, demo.ACTIVITY_OUTCOMES, demo.FOLLOW_UPS
        n_partners, n_outcomes, n_follow_ups = len(partners), len(outcomes), len(follow_ups)
        # 20-49 % new faces, from the day rather than the generator
        new_share = [20 + day.toordinal() % 30 for day in self.days]
        recommended = {
            g: g.sorted_recommendations for by_size in self.groups.values() for c in by_size for g in c
        }
        for records in self._days(first_id, n):
            rows, group_rows, driver_rows, rec_rows = [], [], [], []
            add, add_group, add_driver, add_rec = (
                rows.append,
                group_rows.append,
                driver_rows.append,
                rec_rows.append,
            )
            for record_id, days_ago in records:
                plan = plans[int(n_plans * r())]
                type_code = plan.activity_types.draw(r)
                _pool, (low, high), _recs, type_drivers = demo.ACTIVITY_PROFILES[type_code]
                choices = self.groups[type_code][(0, 0, 1, 1, 2)[int(5 * r())]]
                groups = choices[int(len(choices) * r())]
                people = people_of(groups.shares, low + int((high - low + 1) * r()))
                drivers = drivers_of(profile_of(plan, days_ago), 2.0, type_drivers)
                if r() < 0.05:
                    extra = _EXTRA_RECOMMENDATIONS[int(4 * r())]
                    recommendations = sorted(groups.recommendations | {extra})
                else:
                    recommendations = recommended[groups]
                add(
                    (
                        *base(record_id, plan, days_ago),
                        *people,
                        sum(people) * new_share[days_ago] // 100,
                        type_code,
                        partners[int(n_partners * r())],
                        outcomes[int(n_outcomes * r())],
                        follow_ups[int(n_follow_ups * r())],
                    )
                )
                for code in groups.codes:
                    add_group((record_id, code))
                for code in drivers:
                    add_driver((record_id, code))
                for code in recommendations:
                    add_rec((record_id, code))
            yield {
                "activities": rows,
                "activity_target_groups": group_rows,
                "activity_drivers": driver_rows,
                "activity_recommendations": rec_rows,
            }

    def incidents(self, first_id: int, n: int) -> Iterator[Chunk]:
        r, plans = self.random, self.plans
        for records in self._days(first_id, n):
            rows, driver_rows = [], []
            for record_id, days_ago in records:
                plan = plans[int(len(plans) * r())]
                category = plan.categories.draw(r)
                favoured = demo.INCIDENT_DRIVERS[category]
                drivers = self._drivers(self._profile(plan, days_ago), 3.0, favoured)
                base = self._base(record_id, plan, days_ago)
                if r() < 0.6:
                    shares = self.incident_shares["youth" if r() < 0.6 else "women"]
                    people = self._people(shares, 1 + int(8 * r()))
                else:
                    people = [0] * 8
                severity = self.severity.draw(r)
                if r() < 0.6 and category in _RESPONSES:
                    response = _RESPONSES[category]
                else:
                    response = self.response.draw(r)
                texts = demo.INCIDENT_TEXTS[category]
                rows.append(
                    (
                        *base,
                        *people,
                        category,
                        severity,
                        response,
                        self.incident_status[days_ago < 60].draw(r),
                        texts[int(len(texts) * r())],
                    )
                )
                driver_rows += [(record_id, d) for d in drivers]
            yield {"incidents": rows, "incident_drivers": driver_rows}

    def assessments(self, first_id: int, n: int) -> Iterator[Chunk]:
        """Quarterly snapshots: every organisation assesses its communities, oldest quarter first."""
        rng, today = self.rng, self.today
        quarter_ends = sorted(
            {
                date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
                for d in (today - timedelta(days=k) for k in range(0, DAYS, 30))
            }
        )
        slots = [
            (plan, community, q)
            for q in quarter_ends
            for plan in self.plans
            for community in plan.org.community_ids
        ]
        rng.shuffle(slots)
        chosen = sorted(
            slots[:n] if n <= len(slots) else slots + rng.choices(slots, k=n - len(slots)), key=lambda s: s[2]
        )
        previous: dict[tuple[int, str], int] = {}
        gauss, r = rng.gauss, self.random
        record_id = first_id
        for start in range(0, len(chosen), CHUNK):
            rows, ratings = [], []
            for plan, community_id, quarter in chosen[start : start + CHUNK]:
                day = min(today, quarter + timedelta(days=45 + int(44 * r())))
                days_ago = (today - day).days
                rows.append((*self._base(record_id, plan, days_ago, community_id), ""))
                profile = driver_profile(plan.org, days_ago)
                scored = []
                for driver in DRIVER_CODES:
                    rating = max(0, min(3, round(profile[driver] + gauss(0, 0.55))))
                    before = previous.get((community_id, driver))
                    trend = _SAME if before is None or rating == before else _UP if rating > before else _DOWN
                    previous[(community_id, driver)] = rating
                    if r() < NOT_ASSESSED_SHARE:  # a concern the volunteer did not assess
                        continue
                    scored.append((record_id, driver, rating, trend))
                ratings += scored or [(record_id, DRIVER_CODES[0], 0, _SAME)]
                record_id += 1
            yield {"driver_assessments": rows, "driver_ratings": ratings}
