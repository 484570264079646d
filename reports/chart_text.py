"""Words and numbers on the dashboard's charts: wrapped labels, the viewer's number format, months.

Plotly never wraps an axis label, so long labels are broken into lines here (``<br>``) and cut
with an ellipsis past a few lines; the chart's hover text and its table carry them whole.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from .filters import month_end
from .suppression import Shown

ELLIPSIS = "…"

#: d3 format of every numeric axis and colour bar: thousands grouped with the locale's separator
#: (``separators``), trailing zeros dropped, never an SI suffix ("5k" means nothing in Russian).
TICK_FORMAT = ",~f"


def wrap(text: str, width: int, max_lines: int = 2) -> str:
    """``text`` in lines of at most ``width`` characters joined by ``<br>`` (a longer word keeps a
    line of its own: words are never split, nor broken at hyphens); past ``max_lines`` the last
    line kept ends with an ellipsis."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += ELLIPSIS
    return "<br>".join(lines)


def line_count(label: str) -> int:
    return label.count("<br>") + 1


def separators(locale: str) -> str:
    """Plotly's ``separators`` (decimal mark, then thousands) for ``locale``: ``",\u00a0"`` in
    Russian, ``".,"`` in English."""
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def number(value: Shown, locale: str, *, decimals: int | None = None) -> str:
    """A shown value as text: a count grouped the locale's way, a mark (``"<5"``, ``"*"``) as it
    is, a missing value as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return decimal_text(value, locale, "#,##0." + "0" * decimals if decimals is not None else None)


@lru_cache(maxsize=4096, typed=True)
def decimal_text(value: int | float, locale: str, pattern: str | None = None) -> str:
    """Babel's ``format_decimal``, remembered: a dashboard writes some three hundred numbers, most
    of them small counts that repeat, and Babel reads the locale's pattern again for each."""
    return format_decimal(value, format=pattern, locale=locale)


def month_label(month: str, locale: str) -> str:
    """``'2026-06'`` as the locale writes a short month: ``"Jun 2026"``, ``"июн. 2026"``."""
    year, number_ = month.split("-")
    return format_date(date(int(year), int(number_), 1), format="MMM y", locale=locale)


def partial_months(months: list[str], date_from: date, date_to: date, today: date) -> set[str]:
    """The months the period does not count whole: cut by its first or last day, or not over yet.

    Their figures are lower because fewer days are counted, not because less happened.
    """
    last_counted = min(date_to, today)
    partial = set()
    for month in months:
        first = date(int(month[:4]), int(month[5:]), 1)
        if date_from > first or last_counted < month_end(first):
            partial.add(month)
    return partial


def tick_positions(count: int, most: int = 6) -> list[int]:
    """Indexes of the months that get a tick label, at most ``most`` of them, evenly spaced from
    the last one back (the last, often the partial month, is always labelled)."""
    if count <= 0:
        return []
    step = max(1, math.ceil(count / most))
    return sorted(range(count - 1, -1, -step))
