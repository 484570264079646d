"""Small-cell suppression for donor outputs (coordinators see exact numbers).

Primary: every count from 1 to ``threshold - 1`` is shown as ``"<5"`` (for the default threshold
of 5). Secondary: a hidden count must not be recoverable by subtracting the shown cells of a row
or column from its shown total. In a table with totals, every line (a row with its row total, a
column with its column total, the totals row and column with the grand total) is an equation;
a line with exactly one hidden number would give that number away, so the next smallest
non-zero number of the line is hidden too (marked ``"*"``), and this repeats until no line has
exactly one hidden number. Zero is shown: it singles no one out.

For donors the numbers given here are already perturbed (:mod:`reports.cellkey`), and a total is
then a perturbed cell of its own rather than the sum of the perturbed cells; the lines are still
protected the same way, so that nothing hidden can be narrowed down from a total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.vocabulary import N_

#: Shown instead of a number hidden to protect someone's identity because the number is not small
#: itself but would let a small one be worked out from a total.
COMPLEMENT_MARK = "*"

SUPPRESSION_NOTE = N_(
    "Counts from 1 to %(below)s are shown as %(mark)s so that no one can be singled out in a small "
    "community. A number marked * is hidden as well, because together with the total it would "
    "reveal a hidden count. Zero is shown."
)
EXACT_NOTE = N_("Exact numbers: this report is for coordinators and must not be shared with donors.")

Shown = int | float | str | None


def small_mark(threshold: int) -> str:
    """``"<5"`` for a threshold of 5."""
    return f"<{threshold}"


def is_small(value: object, threshold: int) -> bool:
    """Whether ``value`` is a count that must be hidden on its own."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold


def suppress_value(value: int, threshold: int, *, enabled: bool = True) -> Shown:
    """One stand-alone count (no total it adds up to): the count or ``"<5"``."""
    if enabled and is_small(value, threshold):
        return small_mark(threshold)
    return value


def suppress_values(values: Sequence[int], threshold: int, *, enabled: bool = True) -> list[Shown]:
    """Counts that do not add up to a shown total (e.g. activities per recommendation)."""
    return [suppress_value(v, threshold, enabled=enabled) for v in values]


@dataclass
class Grid:
    """A table of counts with its totals, as shown: ints, ``"<5"`` or ``"*"``."""

    cells: list[list[Shown]]
    row_totals: list[Shown] | None
    column_totals: list[Shown] | None
    grand_total: Shown


def suppress_grid(
    values: Sequence[Sequence[int]],
    threshold: int,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    enabled: bool = True,
    totals: tuple[Sequence[int], Sequence[int], int] | None = None,
) -> Grid:
    """Totals for ``values`` (rows x columns), then primary and secondary suppression.

    ``totals`` (row totals, column totals, grand total) when the totals are cells of their own
    rather than the sums of the cells (perturbed donor counts): the same lines are protected.
    With ``enabled`` False (coordinators) the numbers and totals come back unchanged.
    """
    matrix = [list(row) for row in values]
    n_rows = len(matrix)
    n_cols = len(matrix[0]) if matrix else 0
    if totals is None:
        totals = (
            [sum(row) for row in matrix],
            [sum(matrix[r][c] for r in range(n_rows)) for c in range(n_cols)],
            sum(map(sum, matrix)),
        )
    row_sums, column_sums, grand = totals
    # The extended grid: cells, a row-total column, a column-total row, the grand total in the corner.
    grid = [[*row, total] for row, total in zip(matrix, row_sums, strict=True)]
    grid.append([*column_sums, grand])
    hidden: dict[tuple[int, int], str] = {}
    if enabled:
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if is_small(value, threshold):
                    hidden[(r, c)] = small_mark(threshold)
        _complement(grid, hidden, n_rows, n_cols, row_totals, column_totals)

    def shown(r: int, c: int) -> Shown:
        return hidden.get((r, c), grid[r][c])

    return Grid(
        cells=[[shown(r, c) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[shown(r, n_cols) for r in range(n_rows)] if row_totals else None,
        column_totals=[shown(n_rows, c) for c in range(n_cols)] if column_totals else None,
        grand_total=shown(n_rows, n_cols) if (row_totals or column_totals) else None,
    )


def _lines(
    n_rows: int, n_cols: int, row_totals: bool, column_totals: bool
) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every (members, total) equation the shown table makes."""
    lines = []
    if row_totals:
        lines += [([(r, c) for c in range(n_cols)], (r, n_cols)) for r in range(n_rows)]
    if column_totals:
        lines += [([(r, c) for r in range(n_rows)], (n_rows, c)) for c in range(n_cols)]
    if row_totals and column_totals:
        lines.append(([(r, n_cols) for r in range(n_rows)], (n_rows, n_cols)))
        lines.append(([(n_rows, c) for c in range(n_cols)], (n_rows, n_cols)))
    elif row_totals:  # the grand total is the sum of the row totals
        lines.append(([(r, n_cols) for r in range(n_rows)], (n_rows, n_cols)))
    elif column_totals:
        lines.append(([(n_rows, c) for c in range(n_cols)], (n_rows, n_cols)))
    return lines


def _complement(
    grid: list[list[int]],
    hidden: dict[tuple[int, int], str],
    n_rows: int,
    n_cols: int,
    row_totals: bool,
    column_totals: bool,
) -> None:
    """Hide more numbers until no line has exactly one hidden number."""
    lines = _lines(n_rows, n_cols, row_totals, column_totals)
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            positions = [*members, total]
            if sum(p in hidden for p in positions) != 1:
                continue
            candidates = [p for p in members if p not in hidden and grid[p[0]][p[1]] > 0]
            if candidates:
                pick = min(candidates, key=lambda p: (grid[p[0]][p[1]], p))
            elif total not in hidden:
                pick = total
            else:  # a hidden total whose members are all zero or hidden cannot happen; be safe
                pick = next(p for p in members if p not in hidden)
            hidden[pick] = COMPLEMENT_MARK
            changed = True


def contains_small_count(values: object, threshold: int) -> bool:
    """Whether any int in a nested structure (lists, tuples, dicts) is a small count."""
    if is_small(values, threshold):
        return True
    if isinstance(values, dict):
        return any(contains_small_count(v, threshold) for v in values.values())
    if isinstance(values, list | tuple):
        return any(contains_small_count(v, threshold) for v in values)
    return False
