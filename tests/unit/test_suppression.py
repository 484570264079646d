"""Small-cell suppression: primary (1-4 -> "<5") and complementary (no recovery from totals)."""

from __future__ import annotations

import random

import pytest

from reports.suppression import (
    COMPLEMENT_MARK,
    contains_small_count,
    suppress_grid,
    suppress_value,
    suppress_values,
)


@pytest.mark.parametrize(("value", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_single_values(value, shown):
    assert suppress_value(value, 5) == shown


def test_threshold_is_a_parameter():
    assert suppress_values([3, 7, 9, 10], 10) == ["<10", "<10", "<10", 10]


def test_coordinators_see_exact_numbers():
    grid = suppress_grid([[1, 2], [3, 40]], 5, enabled=False)
    assert grid.cells == [[1, 2], [3, 40]]
    assert grid.row_totals == [3, 43]
    assert grid.column_totals == [4, 42]
    assert grid.grand_total == 46


def test_one_small_cell_in_a_row_hides_the_next_smallest():
    # Female 18-29 = 3 would be 20 - 6 - 11 if the others were shown.
    grid = suppress_grid([[6, 3, 11]], 5, column_totals=False)
    assert grid.cells == [[COMPLEMENT_MARK, "<5", 11]]
    assert grid.row_totals == [20]


def test_zero_is_not_used_as_a_complement():
    grid = suppress_grid([[0, 2, 30, 9]], 5, column_totals=False)
    assert grid.cells[0] == [0, "<5", 30, COMPLEMENT_MARK]


def test_a_small_total_is_hidden_too():
    grid = suppress_grid([[0, 3, 0]], 5, column_totals=False)
    assert grid.cells[0] == [0, "<5", 0]
    assert grid.row_totals == ["<5"]


def _hidden(value):
    return isinstance(value, str)


def _check_no_line_gives_a_number_away(values, grid):
    rows, cols = len(values), len(values[0])
    extended = [[*grid.cells[r], grid.row_totals[r]] for r in range(rows)]
    extended.append([*grid.column_totals, grid.grand_total])
    lines = [extended[r] for r in range(rows + 1)]
    lines += [[extended[r][c] for r in range(rows + 1)] for c in range(cols + 1)]
    for line in lines:
        assert sum(map(_hidden, line)) != 1, line


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_show_or_reveal_a_small_count(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(1, 8)
    values = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(cols)] for _ in range(rows)]
    grid = suppress_grid(values, 5)
    assert not contains_small_count([grid.cells, grid.row_totals, grid.column_totals, grid.grand_total], 5)
    for r in range(rows):
        for c in range(cols):
            shown = grid.cells[r][c]
            assert shown == values[r][c] or _hidden(shown)
            if 0 < values[r][c] < 5:
                assert shown == "<5"
    _check_no_line_gives_a_number_away(values, grid)


def test_contains_small_count_looks_inside_structures():
    assert contains_small_count({"a": [0, 5, {"b": (7, 3)}]}, 5)
    assert not contains_small_count({"a": [0, 5, "<5", 2.5, True]}, 5)


def test_given_totals_are_cells_of_their_own():
    # Perturbed donor counts: the totals are published on their own, not as the sums of the cells.
    grid = suppress_grid([[6, 3, 11]], 5, column_totals=False, totals=([21], [6, 3, 11], 21))
    assert grid.cells == [[COMPLEMENT_MARK, "<5", 11]]
    assert grid.row_totals == [21]
    grid = suppress_grid([[7, 9], [12, 0]], 5, totals=([15, 13], [20, 10], 29))
    assert (grid.cells, grid.row_totals, grid.column_totals, grid.grand_total) == (
        [[7, 9], [12, 0]],
        [15, 13],
        [20, 10],
        29,
    )
    exact = suppress_grid([[7, 9], [12, 0]], 5, enabled=False, totals=([15, 13], [20, 10], 29))
    assert exact.grand_total == 29
