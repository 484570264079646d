"""The cell-key method: a small, consistent perturbation of every count a donor sees.

Why: small-cell suppression protects one table, but two donor outputs whose filters overlap
(January-March and January-February) could be subtracted to recover a hidden count. Every record
has a random key fixed at creation (``record_key``, uniform in ``[0, 2**16)``); the key of a cell
is the sum of the keys of the records it counts. That sum, taken modulo ``2**16`` and scaled to
``[0, 1)``, picks a small change ``v`` from the perturbation table's row for the exact count
``n`` (walking the row's cumulative distribution), and ``n + v`` is published. The same records
always give the same key and so the same published number (asking twice teaches nothing); the
difference of two overlapping outputs is the exact middle count only when both changes happen to
agree. See ``shared/DISCLOSURE.md``.

Details of ours:

- Counts of records (activities, incidents, assessments) use the record key sum as it is.
- Counts of people are sums over activities, so their cell's records are those activities; the
  eight sex x age cells, their totals and the participant total of one set of activities would
  all share one key and so one change, and then a published total minus the sum of its published
  cells would give that change away. Each such measure adds a fixed offset of its own to the key
  (:func:`measure_offset`), so they move independently, and still consistently.
- "Communities reached" counts communities, which have no record key: each community has a fixed
  key derived from its id by a stable hash (:func:`community_key`, the first two bytes of
  BLAKE2b over ``"yntymak-community:<id>"``), and a cell's key is the sum over the communities it
  counts.

No Flask here: the table comes from the ``CELL_KEY_TABLE`` setting, validated at start-up by
:meth:`CellKeyTable.parse`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b

#: Record keys are uniform in ``[0, KEY_RANGE)``; equal to ``app.models.base.RECORD_KEY_RANGE``.
KEY_RANGE = 2**16
#: The measure of a count of records: no offset.
RECORDS = "records"
#: Row tolerance for "sums to 1" and "mean 0".
_TOLERANCE = 1e-9

#: ``shared/DISCLOSURE.md``'s table, maximum change 2. The last row serves every larger count.
DEFAULT_TABLE: dict[int, dict[int, float]] = {
    0: {0: 1.0},
    1: {-1: 0.25, 0: 0.5, 1: 0.25},
    2: {-2: 0.05, -1: 0.2, 0: 0.5, 1: 0.2, 2: 0.05},
}


@dataclass(frozen=True)
class CellKeyTable:
    """A validated perturbation table: ``rows[n]`` is ``((v, p), ...)`` for the count ``n``.

    The last row serves every count from its own ``n`` up. ``bounds[n]`` are the integer upper
    bounds (exclusive) of each change on the key scale ``[0, KEY_RANGE)``: the cumulative
    distribution, times ``KEY_RANGE``, computed once so that lookups are exact.
    """

    rows: tuple[tuple[tuple[int, float], ...], ...]
    bounds: tuple[tuple[int, ...], ...]

    @classmethod
    def parse(cls, value: CellKeyTable | Mapping[object, Mapping[object, object]]) -> CellKeyTable:
        """A table from ``{n: {v: p}}`` (keys may be strings, as JSON has them); ``ValueError`` if
        a row does not sum to 1, has a mean other than 0, could make ``n + v`` negative, or the rows
        are not ``0, 1, ..., N``."""
        if isinstance(value, CellKeyTable):
            return value
        if not isinstance(value, Mapping) or not value:
            raise ValueError("the table must map counts to rows of {change: probability}")
        try:
            table = {
                int(n): {int(v): float(p) for v, p in row.items()}  # type: ignore[union-attr]
                for n, row in value.items()
            }
        except (AttributeError, TypeError, ValueError):
            raise ValueError("counts and changes must be whole numbers, probabilities numbers") from None
        if sorted(table) != list(range(len(table))):
            raise ValueError("rows must be for the counts 0, 1, ..., N (the last serves every larger count)")
        rows, bounds = [], []
        for n in range(len(table)):
            row = sorted((v, p) for v, p in table[n].items() if p != 0)
            if any(p < 0 for _v, p in row):
                raise ValueError(f"row {n}: a probability is negative")
            if abs(math.fsum(p for _v, p in row) - 1) > _TOLERANCE:
                raise ValueError(f"row {n}: the probabilities must sum to 1")
            if abs(math.fsum(v * p for v, p in row)) > _TOLERANCE:
                raise ValueError(f"row {n}: the mean change must be 0")
            if any(n + v < 0 for v, _p in row):
                raise ValueError(f"row {n}: a change would make the count negative")
            rows.append(tuple(row))
            cumulative, edges = 0.0, []
            for _v, p in row:
                cumulative += p
                edges.append(min(KEY_RANGE, math.ceil(cumulative * KEY_RANGE - 1e-6)))
            edges[-1] = KEY_RANGE
            bounds.append(tuple(edges))
        return cls(tuple(rows), tuple(bounds))

    def row_index(self, count: int) -> int:
        return min(count, len(self.rows) - 1)

    def row(self, count: int) -> tuple[tuple[int, float], ...]:
        """``((v, p), ...)`` used for ``count``."""
        return self.rows[self.row_index(count)]

    @property
    def max_change(self) -> int:
        """The largest ``|v|`` the table can add."""
        return max(abs(v) for row in self.rows for v, _p in row)


DEFAULT_CELL_KEY_TABLE = CellKeyTable.parse(DEFAULT_TABLE)


def perturb(count: int, key_sum: int, table: CellKeyTable = DEFAULT_CELL_KEY_TABLE) -> int:
    """``count`` plus the change its cell key picks from ``table`` (``count`` 0 stays 0 with any
    valid table).

    The cell key is ``key_sum mod 2**16`` scaled to ``[0, 1)``; the change is the first ``v`` of
    the row for ``count`` whose cumulative probability exceeds it.
    """
    if count < 0:
        raise ValueError("a count cannot be negative")
    index = table.row_index(count)
    key = key_sum % KEY_RANGE
    for (change, _p), bound in zip(table.rows[index], table.bounds[index], strict=True):
        if key < bound:
            return count + change
    raise AssertionError("the last bound is KEY_RANGE")  # pragma: no cover


@lru_cache(maxsize=256)
def measure_offset(measure: str) -> int:
    """A fixed key offset per measure (0 for a count of records), from a stable hash of its name."""
    if measure == RECORDS:
        return 0
    return int.from_bytes(blake2b(f"yntymak-measure:{measure}".encode(), digest_size=2).digest(), "big")


def measure_key(key_sum: int, measure: str = RECORDS) -> int:
    """The key sum of a cell of ``measure`` (record count, a participant cell, a people total)."""
    return (key_sum + measure_offset(measure)) % KEY_RANGE


@lru_cache(maxsize=65536)
def community_key(community_id: int) -> int:
    """The fixed key of a community, in ``[0, 2**16)``, from a stable hash of its id."""
    digest = blake2b(f"yntymak-community:{community_id}".encode(), digest_size=2).digest()
    return int.from_bytes(digest, "big")


def communities_key(community_ids: Iterable[int]) -> int:
    """The key sum of a count of communities."""
    return sum(community_key(c) for c in community_ids)


def agreement_probability(table: CellKeyTable, count: int) -> float:
    """How often two independent cells of ``count`` get the same change: the sum of ``p`` squared.

    About 1/3 for counts of 2 or more with the default table: how often the difference of two
    overlapping outputs equals the exact count in between.
    """
    return math.fsum(p * p for _v, p in table.row(count))
