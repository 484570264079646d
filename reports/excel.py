"""The donor-ready workbook (openpyxl, write-only: memory stays flat however many rows there are).

Sheets: Overview (headline figures against the previous period, a split by country, notes), By
month, By recommendation, By target group, Participants, Incidents, Incidents by region, Drivers,
Coverage and Methodology; for coordinators also Incidents by month and region, and Activities and
Incident records (one row per record). Each dashboard chart has its native Excel chart beside the
table it is drawn from (:mod:`reports.excel_charts`). Donor counts are perturbed and suppressed
through :mod:`reports.tables`; a hidden one is an empty shaded cell with a comment. The sheet
writing is :mod:`reports.xlsx` (the record rows :mod:`reports.row_stream`, their columns
:mod:`reports.record_columns`); the sheets are :mod:`reports.overview`,
:mod:`reports.excel_sheets` and :mod:`reports.methodology` (mixed in here), their extra
aggregates :mod:`reports.workbook_queries`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO
from zoneinfo import ZoneInfo

from babel.dates import format_date
from openpyxl import Workbook
from sqlalchemy.orm import Session

from app.models import Programme
from app.vocabulary import N_

from . import queries as q
from . import tables
from . import workbook_queries as wq
from .excel_results import ResultsSheet
from .excel_sheets import AggregateSheets
from .filters import ReportFilters
from .methodology import MethodologySheet
from .overview import CONFIDENTIAL, OverviewSheet
from .progress import CountedColumns, Progress
from .record_columns import (
    ACTIVITIES_TITLE,
    ACTIVITY_HEADERS,
    ACTIVITY_WIDTHS,
    INCIDENT_HEADERS,
    INCIDENT_WIDTHS,
    INCIDENTS_TITLE,
    RecordColumns,
)
from .row_stream import RowStream, record_sheets
from .suppression import EXACT_NOTE, small_mark
from .xlsx import (
    COMPLEMENT,
    DERIVED,
    FEW,
    SMALL,
    Hiding,
    PageFrame,
    Sheet,
    safe_text,
)

__all__ = ["ExportResult", "WorkbookBuilder", "build_workbook", "export_filename", "safe_text"]

Gettext = Callable[[str], str]

#: Why a donor number is hidden: the comment of its cell, and its line in the legend.
HIDDEN_NOTES = {
    SMALL: N_("Hidden: a count from 1 to %(below)s (%(mark)s)."),
    COMPLEMENT: N_("Hidden (*): together with the total it would reveal a hidden count."),
    FEW: N_("Hidden: fewer than %(threshold)s assessments behind it."),
    DERIVED: N_("Hidden: worked out from a hidden count."),
}


@dataclass
class ExportResult:
    filename: str
    #: Rows written per sheet kind, for the audit log.
    counts: dict[str, int] = field(default_factory=dict)
    #: The id of the report register (set by whoever registers it).
    report_id: str | None = None


def export_filename(filters: ReportFilters) -> str:
    """``yntymak-donor-2025-01-01_2025-12-31.xlsx``: the file name carries the period."""
    return f"yntymak-{filters.audience.value}-{filters.date_from:%Y-%m-%d}_{filters.date_to:%Y-%m-%d}.xlsx"


def _merge(rows: Iterable[q.CountRow]) -> q.CountRow:
    """All activities from disjoint parts (countries): counts, cells and key sums add up."""
    total = q.CountRow("all")
    for row in rows:
        total = q.CountRow(
            "all",
            total.activities + row.activities,
            tuple(a + b for a, b in zip(total.cells, row.cells, strict=True)),
            total.communities + row.communities,
            key=total.key + row.key,
            communities_key=total.communities_key + row.communities_key,
        )
    return total


class WorkbookBuilder(OverviewSheet, ResultsSheet, AggregateSheets, MethodologySheet):
    """Builds one workbook for one set of filters."""

    def __init__(
        self,
        session: Session,
        filters: ReportFilters,
        *,
        gettext: Gettext,
        locale: str = "en",
        threshold: int = 5,
        timezone: str = "Asia/Bishkek",
        generated_at: datetime | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.session, self.f, self.t, self.locale = session, filters, gettext, locale
        self.threshold = threshold
        self.suppress = filters.is_donor
        self.rules = tables.Disclosure.for_filters(filters, threshold)
        self.timezone = timezone
        self.generated_at = generated_at or datetime.now(UTC)
        self.today = self.generated_at.astimezone(ZoneInfo(timezone)).date()
        self.workbook = Workbook(write_only=True)
        self.counts: dict[str, int] = {}
        self._overall_drivers: dict[str, q.DriverCell] | None = None
        self.report_id: str | None = None
        t = gettext  # the caller's: app.i18n.translate (a label with a context is translated in it)
        #: The record sheets' headers and cells; its labels and count headers serve every sheet.
        #: ``progress`` is told the record rows written so far (a background export's bar).
        self.records = RecordColumns(t) if progress is None else CountedColumns(t, progress)
        self.labels = self.records.labels
        self.cell_headers = self.records.cell_headers
        params = {"below": threshold - 1, "mark": small_mark(threshold), "threshold": threshold}
        #: The legend of hidden cells, by reason (donors only).
        self.hidden_notes = {reason: t(text) % params for reason, text in HIDDEN_NOTES.items()}
        self.hiding = Hiding(small_mark(threshold), self.hidden_notes) if self.suppress else None
        self.period = f"{self._date(filters.date_from)} – {self._date(filters.date_to)}"
        self.frame = PageFrame(
            title="Yntymak",
            period=self.period,
            pages=t(N_("Page %(page)s of %(pages)s")) % {"page": "&P", "pages": "&N"},
            confidential=None if self.suppress else t(CONFIDENTIAL),
            confidential_note=None if self.suppress else t(EXACT_NOTE),
        )
        self.workbook.properties.title = t(N_("Yntymak: community prevention of violent extremism"))
        self.workbook.properties.creator = "Yntymak"
        if not self.suppress:
            self.workbook.properties.keywords = t(CONFIDENTIAL)

    # -- helpers ---------------------------------------------------------------------------
    def _date(self, value: date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def _month(self, month: str) -> str:
        """``'2026-05'`` as a short month, in its stand-alone form ("май 2026", not "мая")."""
        year, number = month.split("-")
        return format_date(date(int(year), int(number), 1), format="LLL y", locale=self.locale)

    def _sheet(self, title: str, widths: Iterable[float], *, landscape: bool | None = None) -> Sheet:
        return Sheet(self.workbook, title, widths, hiding=self.hiding, frame=self.frame, landscape=landscape)

    def _legend(self, sheet: Sheet, last_column: int | None = None) -> None:
        """The meaning of the shaded cells the sheet holds, below its tables (donors)."""
        if sheet.hidden:
            sheet.blank()
            sheet.legend(self.hidden_notes, last_column)

    # -- sheets ----------------------------------------------------------------------------
    def _load(self) -> None:
        """The aggregates several sheets share, each queried once."""
        f, rules = self.f, self.rules
        self.months = q.months_between(f.date_from, f.date_to)
        self.names = q.region_names(self.session)
        self.country_names, self.region_country = wq.countries(self.session)
        #: Coordinators: activities per region and review status, from the same pass.
        self.activity_review: dict[tuple[str, str, str], int] | None = None if self.suppress else {}
        self.by_country = wq.activities_by_country(self.session, f, review=self.activity_review)
        self.totals = _merge(self.by_country.values())
        self.cube = q.incident_cube(self.session, f)
        self.incident_grid = tables.category_by_month(self.cube, self.months, rules)
        self.headline = tables.headline(self.totals, self.incident_grid.grand_total, rules)
        self.record_totals = q.record_counts(self.session, f)

    def build(self, out: str | IO[bytes]) -> ExportResult:
        self._load()
        self.overview()
        self.results_framework()
        self.by_month()
        self.by_recommendation()
        self.by_target_group()
        self.participants()
        self.incidents()
        self.incidents_by_region()
        self.drivers()
        self.coverage()
        self.methodology()
        if not self.suppress:
            self.incident_cells()
            self.activity_records()
            self.incident_records()
        self.workbook.save(out)
        return ExportResult(export_filename(self.f), self.counts)

    def _records(self, title: str, marks: tuple[str, ...], widths: tuple[float, ...], rows: Iterable) -> int:
        """A record table: one row per record, past Excel's row limit on further sheets."""
        headers = self.records.headers(marks)
        sheets = record_sheets(lambda name: self._sheet(name, widths), self.t(title), headers)
        return RowStream(sheets, len(headers)).write(rows)

    def activity_records(self) -> None:
        rows = self.records.activities(self.session, self.f)
        n = self._records(ACTIVITIES_TITLE, ACTIVITY_HEADERS, ACTIVITY_WIDTHS, rows)
        self.counts["activity_rows"] = n  # in all, over as many sheets as it took

    def incident_records(self) -> None:
        rows = self.records.incidents(self.session, self.f)
        n = self._records(INCIDENTS_TITLE, INCIDENT_HEADERS, INCIDENT_WIDTHS, rows)
        self.counts["incident_rows"] = n


def build_workbook(
    session: Session,
    filters: ReportFilters,
    out: str | IO[bytes],
    *,
    gettext: Gettext,
    locale: str = "en",
    threshold: int = 5,
    timezone: str = "Asia/Bishkek",
    generated_at: datetime | None = None,
    report_id: str | None = None,
    programme: Programme | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the workbook for ``filters`` to ``out`` (a path or a binary file); ``report_id`` is
    the register's id, shown on the Overview sheet; ``progress`` is called with the record rows
    written so far, now and then."""
    builder = WorkbookBuilder(
        session,
        filters,
        gettext=gettext,
        locale=locale,
        threshold=threshold,
        timezone=timezone,
        generated_at=generated_at,
        progress=progress,
    )
    builder.report_id = report_id
    builder.programme = programme  # adds the "Results framework" sheet
    return builder.build(out)
