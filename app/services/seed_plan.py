"""What the demo weights (:mod:`app.data.demo`) become before any draw: cumulative weights per
organisation, each activity type's target-group subsets with their people shares and
recommendations, the driver profile of a place on a day. Worked out once per seed, not per record.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate, combinations

from ..data import demo
from ..vocabulary import COUNT_CELLS, DRIVERS

DAYS = 730
CELL_COLUMNS = tuple(column for column, _sex, _band in COUNT_CELLS)
DRIVER_CODES = tuple(code for code, _label in DRIVERS)


@dataclass
class Org:
    """A demo organisation: where it works (country and region codes, its district's communities)
    and the volunteer whose account enters its records."""

    id: int
    code: str
    country: str
    region: str
    author_id: int
    community_ids: list[int]


class Weighted:
    """Draw from ``(value, weight)`` pairs with one ``random()`` and a bisection."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        self.values = tuple(v for v, _w in pairs)
        self.cum = tuple(accumulate(w for _v, w in pairs))
        self.total = self.cum[-1]

    @classmethod
    def of(cls, members: Iterable[StrEnum], weights: Sequence[float]) -> Weighted:
        return cls(list(zip((m.value for m in members), weights, strict=True)))

    def draw(self, random_: random.Random) -> object:
        return self.values[bisect(self.cum, random_() * self.total)]


@dataclass
class OrgPlan:
    """An organisation's weights, ready to draw from."""

    org: Org
    activity_types: Weighted
    categories: Weighted
    #: Per day back from today: the driver profile as (cumulative weights, total), made when needed.
    profiles: list[tuple[tuple[float, ...], float] | None] = field(
        default_factory=lambda: [None] * (DAYS + 1)
    )

    @classmethod
    def of(cls, org: Org) -> OrgPlan:
        weights = dict(demo.ACTIVITY_TYPE_WEIGHTS[org.country])
        if org.region in demo.SOUTH_KG:  # LCPCs in the south of Kyrgyzstan mediate more
            weights["mediation"] *= 2
            weights["police_community"] *= 1.5
        key = "KG-south" if org.region in demo.SOUTH_KG else org.country
        return cls(org, Weighted(list(weights.items())), Weighted(list(demo.INCIDENT_WEIGHTS[key].items())))


@dataclass(frozen=True)
class Groups:
    """One choice of target groups for an activity type, with what follows from it."""

    codes: tuple[str, ...]
    shares: tuple[tuple[int, float], ...]  # (cell index, share of the people) for non-zero cells
    recommendations: frozenset[str]

    @property
    def sorted_recommendations(self) -> tuple[str, ...]:
        return tuple(sorted(self.recommendations))


def driver_profile(org: Org, days_ago: int) -> dict[str, float]:
    """Perceived strength (0-3) of every driver where ``org`` works, ``days_ago`` days back."""
    years_ago = days_ago / 365
    profile = dict(demo.DRIVER_BASELINE)
    for key in (org.country, org.region):
        for driver, delta in demo.DRIVER_ADJUSTMENTS.get(key, {}).items():
            profile[driver] += delta
    for driver, per_year in demo.DRIVER_DRIFT.get(org.country, {}).items():
        profile[driver] -= per_year * years_ago
    return {d: min(3.0, max(0.0, w)) for d, w in profile.items()}


def shares(groups: Sequence[str]) -> tuple[tuple[int, float], ...]:
    weights = dict.fromkeys(CELL_COLUMNS, 0.0)
    for group in groups:
        for cell, weight in demo.GROUP_CELLS[group].items():
            weights[cell] += weight
    norm = sum(weights.values())
    return tuple((i, weights[c] / norm) for i, c in enumerate(CELL_COLUMNS) if weights[c])


def group_choices(type_code: str) -> tuple[tuple[Groups, ...], ...]:
    """Every subset of the type's target groups, by size 1, 2, 3 (a uniform draw within a size is
    ``random.sample`` of that size)."""
    pool, _people, recs, _drivers = demo.ACTIVITY_PROFILES[type_code]
    by_size = []
    for k in (1, 2, 3):
        subsets = combinations(pool, min(k, len(pool)))
        by_size.append(
            tuple(
                Groups(
                    codes,
                    shares(codes),
                    frozenset(recs)
                    | {demo.GROUP_RECOMMENDATIONS[g] for g in codes if g in demo.GROUP_RECOMMENDATIONS},
                )
                for codes in subsets
            )
        )
    return tuple(by_size)
