"""Exact query results shaped into the tables people read, suppressed for donors.

The workbook and the charts both build their tables here, so a donor sees the same hidden cells
in either, and a chart never shows a number the workbook hides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from app.vocabulary import DRIVERS, INCIDENT_CATEGORIES, AgeBand, IncidentStatus, Severity, Sex

from .queries import CountRow, DriverCell
from .suppression import Grid, Shown, suppress_grid, suppress_value

SEXES = tuple(Sex)
BANDS = tuple(AgeBand)
CATEGORY_CODES = tuple(code for code, _label in INCIDENT_CATEGORIES)
DRIVER_CODES = tuple(code for code, _label in DRIVERS)


def participants_grid(row: CountRow, threshold: int, enabled: bool) -> Grid:
    """Sex (rows) x age band (columns) with totals."""
    cells = list(row.cells)
    matrix = [cells[i * len(BANDS) : (i + 1) * len(BANDS)] for i in range(len(SEXES))]
    return suppress_grid(matrix, threshold, enabled=enabled)


def count_line(row: CountRow, threshold: int, enabled: bool) -> tuple[Shown, list[Shown], Shown, Shown]:
    """One table line: activities, the eight cells with their total, communities reached."""
    grid = suppress_grid([list(row.cells)], threshold, column_totals=False, enabled=enabled)
    return (
        suppress_value(row.activities, threshold, enabled=enabled),
        grid.cells[0],
        grid.row_totals[0],
        suppress_value(row.communities, threshold, enabled=enabled),
    )


def series_with_total(values: Sequence[int], threshold: int, enabled: bool) -> tuple[list[Shown], Shown]:
    """A 1-D series that adds up to a shown total (per month, per category, per severity)."""
    grid = suppress_grid([list(values)], threshold, column_totals=False, enabled=enabled)
    return grid.cells[0], grid.grand_total


def category_by_month(
    cube: list[tuple[str, str, str, int]], months: list[str], threshold: int, enabled: bool
) -> Grid:
    """Incident categories (rows) x months (columns) with totals."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for category, month, _region, n in cube:
        counts[(category, month)] += n
    matrix = [[counts[(c, m)] for m in months] for c in CATEGORY_CODES]
    return suppress_grid(matrix, threshold, enabled=enabled)


def region_by_category(
    cube: list[tuple[str, str, str, int]], regions: list[str], threshold: int, enabled: bool
) -> Grid:
    """Regions (rows) x incident categories (columns) with totals."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for category, _month, region, n in cube:
        counts[(region, category)] += n
    matrix = [[counts[(r, c)] for c in CATEGORY_CODES] for r in regions]
    return suppress_grid(matrix, threshold, enabled=enabled)


def cube_regions(cube: list[tuple[str, str, str, int]]) -> list[str]:
    return sorted({region for _category, _month, region, _n in cube})


SEVERITY_CODES = tuple(s.value for s in Severity)
INCIDENT_STATUS_CODES = tuple(s.value for s in IncidentStatus)


def driver_tables(
    matrix: dict[str, dict[str, DriverCell]], threshold: int, enabled: bool
) -> tuple[list[str], list[list[float | None]], list[list[float | None]], list[Shown]]:
    """Regions, mean ratings, changes against the previous period, assessments per region.

    For donors a mean from fewer than ``threshold`` assessments is hidden (None), and so is a
    change when either period has too few.
    """
    regions = list(matrix)
    means, changes, assessments = [], [], []
    for region in regions:
        cells = [matrix[region][d] for d in DRIVER_CODES]
        enough = [not enabled or c.assessments >= threshold for c in cells]
        enough_prev = [not enabled or c.previous_assessments >= threshold for c in cells]
        means.append([c.mean if ok else None for c, ok in zip(cells, enough, strict=True)])
        changes.append(
            [
                c.change if ok and ok_prev else None
                for c, ok, ok_prev in zip(cells, enough, enough_prev, strict=True)
            ]
        )
        assessments.append(suppress_value(max(c.assessments for c in cells), threshold, enabled=enabled))
    return regions, means, changes, assessments
