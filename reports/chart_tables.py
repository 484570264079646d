"""Each dashboard chart's numbers as a table: what "Show as table" opens, and the chart's text
alternative.

A table is made from the very values its chart is drawn from (:mod:`reports.charts`), already
perturbed and suppressed for donors: a hidden count is its mark (``"<5"``, ``"*"``), never its
number, and a mean too few assessments stand behind is blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .chart_text import number
from .suppression import Shown


@dataclass
class ChartTable:
    """Row labels down the left (``corner`` heads them), one column per ``columns``; every cell
    is text as shown."""

    corner: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        """Every cell, row by row (tests read them)."""
        return [cell for _label, cells in self.rows for cell in cells]


def chart_table(
    corner: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Shown]]],
    locale: str,
    notes: Sequence[str] = (),
) -> ChartTable:
    """A table of shown values: counts written the locale's way, marks and text as they are."""
    return ChartTable(
        corner,
        list(columns),
        [(label, [number(value, locale) for value in values]) for label, values in rows],
        list(notes),
    )
