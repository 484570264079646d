"""The cell-key method: exact lookups against the table, the distribution, table validation."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from app.models.base import RECORD_KEY_RANGE
from config import ConfigError, TestingConfig
from reports.cellkey import (
    DEFAULT_CELL_KEY_TABLE,
    DEFAULT_TABLE,
    KEY_RANGE,
    RECORDS,
    CellKeyTable,
    agreement_probability,
    community_key,
    measure_key,
    measure_offset,
    perturb,
)
from reports.queries import CountRow
from reports.tables import Disclosure, count_line, participants_grid

#: The default table as exact fractions, written out again from shared/DISCLOSURE.md.
DISCLOSURE_MD = {
    0: {0: Fraction(1)},
    1: {-1: Fraction(1, 4), 0: Fraction(1, 2), 1: Fraction(1, 4)},
    2: {-2: Fraction(1, 20), -1: Fraction(1, 5), 0: Fraction(1, 2), 1: Fraction(1, 5), 2: Fraction(1, 20)},
}


def _reference(count: int, key_sum: int) -> int:
    """The lookup as DISCLOSURE.md words it, in exact arithmetic: scale the key to [0, 1), walk
    the row's cumulative distribution."""
    u = Fraction(key_sum % 2**16, 2**16)
    cumulative = Fraction(0)
    for change, p in sorted(DISCLOSURE_MD[min(count, 2)].items()):
        cumulative += p
        if u < cumulative:
            return count + change
    raise AssertionError


def test_the_key_range_is_the_models():
    assert KEY_RANGE == RECORD_KEY_RANGE == 2**16


@pytest.mark.parametrize(
    ("count", "key", "published"),
    [
        (0, 0, 0),
        (0, 65535, 0),
        (1, 0, 0),  # u = 0 < 0.25: -1
        (1, 16383, 0),
        (1, 16384, 1),  # u = 0.25: 0
        (1, 49151, 1),
        (1, 49152, 2),  # u = 0.75: +1
        (7, 0, 5),  # u < 0.05: -2
        (7, 3276, 5),  # 3276 / 65536 = 0.04998...
        (7, 3277, 6),  # 0.05001...: -1
        (7, 16383, 6),
        (7, 16384, 7),  # 0.25: 0
        (7, 49151, 7),
        (7, 49152, 8),  # 0.75: +1
        (7, 62259, 8),  # 0.94999...
        (7, 62260, 9),  # 0.95001...: +2
        (7, 65535, 9),
        (2, 0, 0),  # the n >= 2 row serves 2 as well: 2 - 2 = 0
        (7, 65536 + 3277, 6),  # the key sum is taken mod 2**16
        (7, 5 * 65536 + 16384, 7),
    ],
)
def test_fixed_keys_give_the_tables_change(count, key, published):
    assert perturb(count, key, DEFAULT_CELL_KEY_TABLE) == published


@pytest.mark.parametrize("count", [0, 1, 2, 3, 17, 10_000])
def test_every_key_agrees_with_the_table_in_exact_arithmetic(count):
    for key in range(KEY_RANGE):
        assert perturb(count, key) == _reference(count, key), key


@pytest.mark.parametrize("count", [1, 2, 5, 40])
def test_each_change_takes_its_share_of_the_keys(count):
    seen: dict[int, int] = {}
    for key in range(KEY_RANGE):
        change = perturb(count, key) - count
        seen[change] = seen.get(change, 0) + 1
    expected = DISCLOSURE_MD[min(count, 2)]
    assert set(seen) == set(expected)
    for change, p in expected.items():
        assert abs(Fraction(seen[change], KEY_RANGE) - p) <= Fraction(1, KEY_RANGE)


def test_random_key_sums_stay_within_two_and_average_to_nothing():
    rng = random.Random(8)
    differences = []
    for _ in range(20_000):
        count = rng.choice([0, 0, 1, 2, 3, 4, 5, 8, 13, 40, 250])
        records = [rng.randrange(2**16) for _ in range(rng.randint(1, 30))]
        published = perturb(count, sum(records))
        assert abs(published - count) <= 2
        assert published >= 0
        if count == 0:
            assert published == 0
        else:
            differences.append(published - count)
    mean = sum(differences) / len(differences)
    assert abs(mean) < 0.03
    assert 0.3 < sum(d != 0 for d in differences) / len(differences) < 0.7


def test_agreement_probability_is_the_sum_of_squares():
    assert agreement_probability(DEFAULT_CELL_KEY_TABLE, 5) == pytest.approx(0.335)
    assert agreement_probability(DEFAULT_CELL_KEY_TABLE, 1) == pytest.approx(0.375)
    assert agreement_probability(DEFAULT_CELL_KEY_TABLE, 0) == 1
    assert DEFAULT_CELL_KEY_TABLE.max_change == 2


def test_json_tables_are_accepted():
    table = CellKeyTable.parse({"0": {"0": 1}, "1": {"-1": 0.5, "1": 0.5}})
    assert table.row(1) == ((-1, 0.5), (1, 0.5))
    assert table.row(9) == table.row(1)  # the last row serves every larger count
    assert perturb(9, 0, table) == 8 and perturb(9, 40_000, table) == 10
    assert CellKeyTable.parse(table) is table
    assert CellKeyTable.parse(DEFAULT_TABLE) == DEFAULT_CELL_KEY_TABLE


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({0: {0: 1}, 1: {-1: 0.3, 0: 0.5, 1: 0.3}}, "row 1: the probabilities must sum to 1"),
        ({0: {0: 1}, 1: {0: 0.5, 1: 0.5}}, "row 1: the mean change must be 0"),
        ({0: {0: 1}, 1: {-2: 0.25, 0: 0.5, 2: 0.25}}, "row 1: a change would make the count negative"),
        ({0: {-1: 0.5, 1: 0.5}}, "row 0: a change would make the count negative"),
        ({0: {0: 1}, 2: {0: 1}}, "rows must be for the counts 0, 1, ..., N"),
        ({0: {0: 1}, 1: {-1: -0.5, 0: 2, 1: -0.5}}, "row 1: a probability is negative"),
        ({0: {0: 1}, "one": {0: 1}}, "whole numbers"),
        ({}, "must map counts"),
    ],
)
def test_bad_tables_are_refused(table, message):
    with pytest.raises(ValueError) as error:
        CellKeyTable.parse(table)
    assert message in str(error.value)


def test_start_up_validates_the_table(tmp_path, monkeypatch):
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SUPPRESSION_THRESHOLD": 5, "CELL_KEY_TABLE": None}
    monkeypatch.delenv("CELL_KEY_TABLE", raising=False)
    TestingConfig.validate(config, str(tmp_path))
    assert config["CELL_KEY_TABLE"] == DEFAULT_CELL_KEY_TABLE
    config["CELL_KEY_TABLE"] = {0: {0: 1}, 1: {0: 0.5, 1: 0.5}}
    with pytest.raises(ConfigError, match="CELL_KEY_TABLE is not a valid perturbation table: row 1"):
        TestingConfig.validate(config, str(tmp_path))
    config["CELL_KEY_TABLE"] = None
    monkeypatch.setenv("CELL_KEY_TABLE", '{"0": {"0": 1}, "1": {"-1": 0.5, "1": 0.5}}')
    TestingConfig.validate(config, str(tmp_path))
    assert config["CELL_KEY_TABLE"].max_change == 1
    config["CELL_KEY_TABLE"] = None
    monkeypatch.setenv("CELL_KEY_TABLE", "{not json")
    with pytest.raises(ConfigError, match="CELL_KEY_TABLE must be JSON"):
        TestingConfig.validate(config, str(tmp_path))


def test_the_app_holds_a_validated_table(app):
    assert app.config["CELL_KEY_TABLE"] == DEFAULT_CELL_KEY_TABLE


def test_keys_of_measures_and_communities_are_stable_and_distinct():
    assert measure_offset(RECORDS) == 0
    assert measure_key(70_000) == 70_000 % 2**16
    offsets = {measure_offset(m) for m in ("f_u18", "f_18_29", "m_u18", "participants", "sex:f", "band:u18")}
    assert len(offsets) == 6
    # Pinned: changing the hash would change every published "communities reached".
    assert [community_key(i) for i in (1, 2, 3)] == [57598, 41110, 3431]
    assert all(0 <= community_key(i) < 2**16 for i in range(500))
    assert len({community_key(i) for i in range(500)}) > 490


def test_coordinators_see_exact_numbers_donors_perturbed_then_suppressed():
    row = CountRow("R6", activities=7, cells=(3, 12, 0, 0, 1, 9, 0, 2), communities=3, key=3277)
    exact = count_line(row, Disclosure(5, donor=False))
    assert exact == (7, [3, 12, 0, 0, 1, 9, 0, 2], 27, 3)
    activities, cells, total, reached = count_line(row, Disclosure(5, donor=True))
    assert activities == 6  # key 3277 on the n >= 2 row: -1
    assert [c for c, n in zip(cells, row.cells, strict=True) if n == 0] == [0, 0, 0]  # zero stays zero
    for shown, n in zip([*cells, total], [*row.cells, 27], strict=True):
        assert shown in ("<5", "*") or (
            isinstance(shown, int) and abs(shown - n) <= 2 and (shown == 0 or shown >= 5)
        )
    assert reached in ("<5", 0)


def test_people_cells_of_one_set_of_activities_move_independently():
    """Same activities, same key: without per-measure offsets every cell would move by the same
    amount, and a published total minus its published cells would give that amount away."""
    changes = set()
    for key in range(0, 2**16, 997):
        row = CountRow("all", activities=50, cells=(40,) * 8, communities=9, key=key)
        grid = participants_grid(row, Disclosure(5, donor=True))
        cells = [c - 40 for line in grid.cells for c in line]
        assert all(abs(c) <= 2 for c in cells)
        assert abs(grid.grand_total - 320) <= 2
        changes.add(len(set(cells)))
    assert max(changes) >= 3
