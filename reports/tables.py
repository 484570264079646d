"""Exact query results shaped into the tables people read: perturbed, then suppressed, for donors.

The workbook and the charts both build their tables here, so a donor sees the same numbers and
the same hidden cells in either, and a chart never shows a number the workbook hides.

For donors every count goes through three steps, in this order: the cell-key perturbation
(:mod:`reports.cellkey`, by the key sum of its own records), small-cell suppression of the
perturbed value (1-4 shown as ``"<5"``) and complementary suppression (:mod:`reports.suppression`).
A total is a cell of its own, with its own records and key, so it is perturbed on its own and
need not equal the sum of the cells shown beside it. Coordinators get exact numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.vocabulary import DRIVERS, INCIDENT_CATEGORIES, AgeBand, IncidentStatus, Severity, Sex

from .cellkey import DEFAULT_CELL_KEY_TABLE, RECORDS, CellKeyTable, measure_key, perturb
from .filters import ReportFilters
from .queries import CELLS, CountRow, DriverCell, Tally
from .suppression import Grid, Shown, suppress_grid, suppress_value

SEXES = tuple(Sex)
BANDS = tuple(AgeBand)
CATEGORY_CODES = tuple(code for code, _label in INCIDENT_CATEGORIES)
DRIVER_CODES = tuple(code for code, _label in DRIVERS)
SEVERITY_CODES = tuple(s.value for s in Severity)
INCIDENT_STATUS_CODES = tuple(s.value for s in IncidentStatus)

#: Measures of people counts (each its own key offset, see :mod:`reports.cellkey`).
PARTICIPANTS = "participants"
SEX_MEASURES = {sex: f"sex:{sex.value}" for sex in SEXES}
BAND_MEASURES = {band: f"band:{band.value}" for band in BANDS}

Cube = list[tuple[str, str, str, int, int]]


@dataclass(frozen=True)
class Disclosure:
    """How counts are published: exact (coordinators) or perturbed and suppressed (donors)."""

    threshold: int = 5
    donor: bool = True
    table: CellKeyTable = DEFAULT_CELL_KEY_TABLE

    @classmethod
    def for_filters(cls, filters: ReportFilters, threshold: int) -> Disclosure:
        return cls(threshold, filters.is_donor, filters.cell_key_table)

    def count(self, n: int, key: int, measure: str = RECORDS) -> int:
        """The published count before suppression: perturbed by its cell key for donors."""
        return perturb(n, measure_key(key, measure), self.table) if self.donor else n

    def value(self, n: int, key: int, measure: str = RECORDS) -> Shown:
        """A stand-alone count as shown: perturbed, then ``"<5"`` when small (donors)."""
        return suppress_value(self.count(n, key, measure), self.threshold, enabled=self.donor)

    def tally(self, tally: Tally) -> Shown:
        return self.value(tally.n, tally.key)

    def grid(
        self,
        cells: list[list[int]],
        row_totals: list[int],
        column_totals: list[int],
        grand_total: int,
        *,
        show_rows: bool = True,
        show_columns: bool = True,
    ) -> Grid:
        """Published (already perturbed) cells and totals, then small-cell and complementary
        suppression for donors."""
        return suppress_grid(
            cells,
            self.threshold,
            row_totals=show_rows,
            column_totals=show_columns,
            enabled=self.donor,
            totals=(row_totals, column_totals, grand_total),
        )

    def keyed_grid(self, tallies: list[list[Tally]], *, show_columns: bool = True) -> Grid:
        """A grid of record counts: each cell, row total, column total and the grand total is
        perturbed by its own key sum (the records are disjoint, so key sums add up)."""
        columns = list(zip(*tallies, strict=True)) if tallies else []
        row_sums = [_add(row) for row in tallies]
        column_sums = [_add(column) for column in columns]
        grand = _add(row_sums)
        return self.grid(
            [[self.count(t.n, t.key) for t in row] for row in tallies],
            [self.count(t.n, t.key) for t in row_sums],
            [self.count(t.n, t.key) for t in column_sums],
            self.count(grand.n, grand.key),
            show_columns=show_columns,
        )


def _add(tallies: Sequence[Tally]) -> Tally:
    return Tally(sum(t.n for t in tallies), sum(t.key for t in tallies))


def participants_grid(row: CountRow, rules: Disclosure) -> Grid:
    """Sex (rows) x age band (columns) with totals, from one set of activities (``row.key``)."""
    width = len(BANDS)
    exact = [list(row.cells[i * width : (i + 1) * width]) for i in range(len(SEXES))]
    cells = [
        [rules.count(n, row.key, CELLS[i * width + j]) for j, n in enumerate(line)]
        for i, line in enumerate(exact)
    ]
    row_totals = [
        rules.count(sum(line), row.key, SEX_MEASURES[sex]) for sex, line in zip(SEXES, exact, strict=True)
    ]
    column_totals = [
        rules.count(sum(line[j] for line in exact), row.key, BAND_MEASURES[band])
        for j, band in enumerate(BANDS)
    ]
    grand = rules.count(row.participants, row.key, PARTICIPANTS)
    return rules.grid(cells, row_totals, column_totals, grand)


def count_line(row: CountRow, rules: Disclosure) -> tuple[Shown, list[Shown], Shown, Shown]:
    """One table line: activities, the eight cells with their total, communities reached."""
    cells = [rules.count(n, row.key, column) for n, column in zip(row.cells, CELLS, strict=True)]
    total = rules.count(row.participants, row.key, PARTICIPANTS)
    grid = rules.grid([cells], [total], cells, total, show_columns=False)
    return (
        rules.value(row.activities, row.key),
        grid.cells[0],
        grid.row_totals[0],
        rules.value(row.communities, row.communities_key),
    )


def series_with_total(tallies: Sequence[Tally], rules: Disclosure) -> tuple[list[Shown], Shown]:
    """A 1-D series of record counts and its total (per month, per severity, per status)."""
    grid = rules.keyed_grid([list(tallies)], show_columns=False)
    return grid.cells[0], grid.grand_total


def _cube_grid(
    cube: Cube,
    rows: Sequence[str],
    columns: Sequence[str],
    key: Callable[[tuple], tuple[str, str]],
    rules: Disclosure,
) -> Grid:
    """Cube entries added up into (row, column) cells, counts and key sums alike."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for entry in cube:
        cell = counts[key(entry)]
        cell[0] += entry[3]
        cell[1] += entry[4]
    return rules.keyed_grid([[Tally(*counts.get((r, c), (0, 0))) for c in columns] for r in rows])


def category_by_month(cube: Cube, months: list[str], rules: Disclosure) -> Grid:
    """Incident categories (rows) x months (columns) with totals."""
    return _cube_grid(cube, CATEGORY_CODES, months, lambda e: (e[0], e[1]), rules)


def region_by_category(cube: Cube, regions: list[str], rules: Disclosure) -> Grid:
    """Regions (rows) x incident categories (columns) with totals."""
    return _cube_grid(cube, regions, CATEGORY_CODES, lambda e: (e[2], e[0]), rules)


def cube_regions(cube: Cube) -> list[str]:
    return sorted({entry[2] for entry in cube})


def driver_tables(
    matrix: dict[str, dict[str, DriverCell]], rules: Disclosure
) -> tuple[list[str], list[list[float | None]], list[list[float | None]], list[Shown]]:
    """Regions, mean ratings, changes against the previous period, assessments per region.

    Means are not counts and are not perturbed. For donors a mean from fewer than ``threshold``
    assessments is hidden (None), and so is a change when either period has too few; so is a mean
    whose published (perturbed) number of assessments would be shown as small, so the two never
    contradict. The assessments per region are those of its most rated driver, published with
    that cell's key.
    """
    threshold, on = rules.threshold, rules.donor
    regions = list(matrix)
    means, changes, assessments = [], [], []
    for region in regions:
        cells = [matrix[region][d] for d in DRIVER_CODES]
        enough = [
            not on or (c.assessments >= threshold and rules.count(c.assessments, c.key) >= threshold)
            for c in cells
        ]
        enough_prev = [not on or c.previous_assessments >= threshold for c in cells]
        means.append([c.mean if ok else None for c, ok in zip(cells, enough, strict=True)])
        changes.append(
            [
                c.change if ok and ok_prev else None
                for c, ok, ok_prev in zip(cells, enough, enough_prev, strict=True)
            ]
        )
        most = max(cells, key=lambda c: c.assessments)
        assessments.append(rules.value(most.assessments, most.key))
    return regions, means, changes, assessments


def coverage_reached(reached: int, key: int, communities: int, rules: Disclosure) -> int:
    """Communities reached as published (before suppression): perturbed, at most ``communities``."""
    return min(rules.count(reached, key), communities)


def line_with_total(cells: list[int], total: int, rules: Disclosure) -> tuple[list[Shown], Shown]:
    """Published (already perturbed) counts and the total they make, protected as one line: a
    row of a split (countries) with its total, suppressed like :func:`count_line`'s cells."""
    grid = rules.grid([cells], [total], cells, total, show_columns=False)
    return grid.cells[0], grid.row_totals[0]


@dataclass(frozen=True)
class Headline:
    """The headline figures, as published: the dashboard's and the workbook Overview's."""

    activities: Shown
    participants: Shown
    women: Shown
    youth: Shown
    communities: Shown
    incidents: Shown

    @staticmethod
    def share(part: Shown, whole: Shown) -> float | str | None:
        """``part / whole``; None when ``whole`` is 0; the hiding mark when either is hidden."""
        for value in (part, whole):
            if not isinstance(value, int | float):
                return value if value is not None else None
        return part / whole if whole else None

    @property
    def women_share(self) -> float | str | None:
        return self.share(self.women, self.participants)

    @property
    def youth_share(self) -> float | str | None:
        return self.share(self.youth, self.participants)


#: The age band of youth (18-29, as in UNSCR 2250) in the headline shares.
YOUTH_BAND = AgeBand.AGE_18_29


def headline(totals: CountRow, incidents: Shown, rules: Disclosure) -> Headline:
    """Headline figures from all activities (``totals``, e.g. :func:`~reports.queries.activity_totals`)
    and the published incident total (the grand total of :func:`category_by_month`), exactly as
    the dashboard computes them; women and youth are the participant grid's published totals."""
    grid = participants_grid(totals, rules)
    return Headline(
        activities=rules.value(totals.activities, totals.key),
        participants=grid.grand_total,
        women=grid.row_totals[SEXES.index(Sex.FEMALE)],
        youth=grid.column_totals[BANDS.index(YOUTH_BAND)],
        communities=rules.value(totals.communities, totals.communities_key),
        incidents=incidents,
    )
