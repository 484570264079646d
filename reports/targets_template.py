"""The quarterly targets of a programme as an Excel template, and reading it back (issue 13).

The template has one sheet, "Targets": a header row (indicator code, indicator, unit, then one
column per quarter of the programme named ``2025-Q1``), one row per indicator with its current
targets. Reading it back checks every cell and names the row and column of each problem; the
caller stores nothing unless the whole file is valid.

No Flask here: labels come through the caller's gettext.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.models import Programme
from app.models.results import SHARE_MEASURES
from app.vocabulary import N_

from .results import quarters

SHEET = "Targets"
FIXED = (N_("Indicator code"), N_("Indicator"), N_("Unit"))
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
#: More cells than any real template has: a file beyond it is refused before reading every cell.
MAX_ROWS, MAX_COLUMNS = 500, 80


def quarter_label(quarter: date) -> str:
    """``2025-Q1``: the same in every language, so that a template reads back whatever its language."""
    return f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"


def write_template(programme: Programme, out: IO[bytes], gettext: Callable[[str], str]) -> None:
    """The template with the programme's indicators and their current targets."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    periods = quarters(programme.start_date, programme.end_date)
    sheet.append([gettext(label) for label in FIXED] + [quarter_label(q) for q in periods])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for indicator in programme.indicators:
        targets = {target.quarter: target.value for target in indicator.targets}
        sheet.append(
            [indicator.code, indicator.local_name, indicator.unit, *(targets.get(q) for q in periods)]
        )
    sheet.freeze_panes = "D2"
    for column, width in zip("ABC", (16, 48, 12), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(out)


@dataclass
class TemplateErrors(ValueError):
    """Every problem of a file, as ``(cell, message)``; ``cell`` is ``B4``, a sheet or ``""``."""

    problems: list[tuple[str, str]] = field(default_factory=list)


def read_template(
    programme: Programme, source: IO[bytes], gettext: Callable[[str], str]
) -> dict[tuple[str, date], float | None]:
    """``{(indicator code, quarter): target or None}`` for every cell of the file, or
    :class:`TemplateErrors` naming each problem."""
    t = gettext
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:
        raise TemplateErrors([("", t(N_("This is not an Excel workbook (.xlsx).")))]) from None
    problems: list[tuple[str, str]] = []
    stray = [name for name in workbook.sheetnames if name != SHEET]
    if stray or SHEET not in workbook.sheetnames:
        problems.append(("", t(N_('The file must hold one sheet, "Targets", as downloaded.'))))
        raise TemplateErrors(problems)
    sheet = workbook[SHEET]
    if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
        raise TemplateErrors([("", t(N_("The sheet is larger than a targets template.")))])
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    periods = quarters(programme.start_date, programme.end_date)
    header = rows[0] if rows else []
    columns = _header(header, periods, problems, t)
    indicators = {indicator.code: indicator for indicator in programme.indicators}
    values: dict[tuple[str, date], float | None] = {}
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell not in (None, "") for cell in row):
            continue
        code = str(row[0]).strip() if row and row[0] is not None else ""
        indicator = indicators.get(code)
        if indicator is None or code in seen:
            problems.append((f"A{number}", t(N_("Not an indicator of this programme, or given twice."))))
            continue
        seen.add(code)
        for index, quarter in columns.items():
            cell = row[index] if index < len(row) else None
            ref = f"{get_column_letter(index + 1)}{number}"
            value = _value(cell, ref, indicator.measure in SHARE_MEASURES, problems, t)
            values[(code, quarter)] = value
    if problems:
        raise TemplateErrors(problems)
    return values


def _header(header: list, periods: list[date], problems: list, t: Callable[[str], str]) -> dict[int, date]:
    """The column index of each quarter; a changed header or a quarter outside the programme is a
    problem named by its cell."""
    expected = [t(label) for label in FIXED]
    for index, label in enumerate(expected):
        if index >= len(header) or str(header[index] or "").strip() != label:
            problems.append(
                (f"{get_column_letter(index + 1)}1", t(N_("The header changed: keep it as downloaded.")))
            )
    columns: dict[int, date] = {}
    allowed = {quarter_label(q): q for q in periods}
    for index in range(len(expected), len(header)):
        label = str(header[index] or "").strip()
        if not label:
            continue
        ref = f"{get_column_letter(index + 1)}1"
        if not _QUARTER.match(label):
            problems.append((ref, t(N_("The header changed: keep it as downloaded."))))
        elif label not in allowed:
            problems.append((ref, t(N_("This quarter is outside the programme's period."))))
        else:
            columns[index] = allowed[label]
    return columns


def _value(cell: object, ref: str, share: bool, problems: list, t: Callable[[str], str]) -> float | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        try:
            cell = float(str(cell).strip().replace(",", "."))
        except ValueError:
            problems.append((ref, t(N_("Enter a number, or leave the cell empty."))))
            return None
    value = float(cell)
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        problems.append((ref, t(N_("Enter a number, or leave the cell empty."))))
        return None
    if value < 0:
        problems.append((ref, t(N_("A target cannot be negative."))))
        return None
    if share and value > 100:
        problems.append((ref, t(N_("This indicator is a share: a target of at most 100."))))
        return None
    return value
