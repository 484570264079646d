"""The donor-ready workbook (openpyxl, write-only: memory stays flat however many rows there are).

Sheets: Overview, By recommendation (with a native bar chart), Participants, Incidents, and for
coordinators Activities and Incident records (one row per record), then Drivers. Donor counts are
perturbed and suppressed through :mod:`reports.tables`; the sheet writing is :mod:`reports.xlsx`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from app.vocabulary import (
    ACTIVITY_TYPES,
    AGE_BAND_LABELS,
    DRIVERS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUS_LABELS,
    N_,
    RECOMMENDATIONS,
    RESPONSE_LABELS,
    SEVERITY_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    TARGET_GROUPS,
    label_map,
)

from . import queries as q
from . import tables
from .filters import AUDIENCE_LABELS, ReportFilters
from .notes import MULTI_NOTE, SOURCES_NOTE, disclosure_notes, widened_note
from .rows import activity_rows, incident_rows
from .xlsx import CHANGE, INTEGER, RATING, TITLE_FONT, RowStream, Sheet, safe_text

__all__ = ["ExportResult", "WorkbookBuilder", "build_workbook", "export_filename", "safe_text"]

Gettext = Callable[[str], str]


@dataclass
class ExportResult:
    filename: str
    #: Rows written per sheet kind, for the audit log.
    counts: dict[str, int] = field(default_factory=dict)


def export_filename(filters: ReportFilters) -> str:
    """``yntymak-donor-2025-01-01_2025-12-31.xlsx``: the file name carries the period."""
    return f"yntymak-{filters.audience.value}-{filters.date_from:%Y-%m-%d}_{filters.date_to:%Y-%m-%d}.xlsx"


class WorkbookBuilder:
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
    ) -> None:
        self.session, self.f, self.t, self.locale = session, filters, gettext, locale
        self.threshold = threshold
        self.suppress = filters.is_donor
        self.rules = tables.Disclosure.for_filters(filters, threshold)
        self.timezone = timezone
        self.generated_at = generated_at or datetime.now(UTC)
        self.workbook = Workbook(write_only=True)
        self.counts: dict[str, int] = {}
        t = gettext
        self.labels = {
            "rec": {code: t(label) for code, label in label_map(RECOMMENDATIONS).items()},
            "group": {code: t(label) for code, label in TARGET_GROUPS},
            "driver": {code: t(label) for code, label in DRIVERS},
            "type": {code: t(label) for code, label in ACTIVITY_TYPES},
            "category": {code: t(label) for code, label in INCIDENT_CATEGORIES},
            "severity": {str(k): t(v) for k, v in SEVERITY_LABELS.items()},
            "incident_status": {str(k): t(v) for k, v in INCIDENT_STATUS_LABELS.items()},
            "response": {str(k): t(v) for k, v in RESPONSE_LABELS.items()},
            "status": {str(k): t(v) for k, v in STATUS_LABELS.items()},
        }
        self.cell_headers = [
            f"{t(SEX_LABELS[sex])} {t(AGE_BAND_LABELS[band])}" for _c, sex, band in q.COUNT_CELLS
        ]
        self.group_position = {code: i for i, (code, _label) in enumerate(TARGET_GROUPS)}
        self.driver_position = {code: i for i, (code, _label) in enumerate(DRIVERS)}

    # -- helpers ---------------------------------------------------------------------------
    def _date(self, value: date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def _month(self, month: str) -> str:
        year, number = month.split("-")
        return format_date(date(int(year), int(number), 1), format="MMM y", locale=self.locale)

    def _labels(self, kind: str, codes: str | None, position: dict[str, int]) -> str:
        if not codes:
            return ""
        names = self.labels[kind]
        return "; ".join(names.get(c, c) for c in sorted(codes.split(","), key=lambda c: position.get(c, 99)))

    # -- sheets ----------------------------------------------------------------------------
    def build(self, out: str | IO[bytes]) -> ExportResult:
        self.overview()
        self.by_recommendation()
        self.participants()
        self.incidents()
        if not self.suppress:
            self.activity_records()
            self.incident_records()
        self.drivers()
        self.workbook.save(out)
        return ExportResult(export_filename(self.f), self.counts)

    def overview(self) -> None:
        t, f = self.t, self.f
        sheet = Sheet(self.workbook, t(N_("Overview")), widths=(30, 100))
        sheet.ws.sheet_view.showGridLines = False
        sheet.title(t(N_("Yntymak: community prevention of violent extremism")), TITLE_FONT)
        sheet.append([t(N_("Progress against the 14 recommendations of the 2016 Bishkek conference"))])
        sheet.blank()
        stamp = format_datetime(
            self.generated_at, format="medium", tzinfo=ZoneInfo(self.timezone), locale=self.locale
        )
        period = f"{self._date(f.date_from)} – {self._date(f.date_to)}"
        widened = widened_note(f, t, self._date)
        lines = [
            (N_("Period"), f"{period}\n{widened}" if widened else period),
            (N_("Audience"), t(AUDIENCE_LABELS[f.audience])),
            (N_("Generated at"), f"{stamp} ({self.timezone})"),
            (N_("Records counted"), ", ".join(t(STATUS_LABELS[s]) for s in f.statuses)),
        ]
        filters = [
            (N_("Country"), f.country),
            (N_("Region"), f.region),
            (N_("District"), f.district),
            (N_("Organisation"), f.organisation),
            (N_("Assigned area"), f.scope_name),
        ]
        lines += [(label, value) for label, value in filters if value]
        if not any(value for _label, value in filters):
            lines.append((N_("Filters"), t(N_("None: every area"))))
        for label, value in lines:
            sheet.append([sheet.cell(t(label), font=Font(bold=True)), sheet.cell(value, wrap=True)])
        totals = q.record_counts(self.session, f)
        for key, label in (
            ("activities", N_("Activities")),
            ("incidents", N_("Incidents")),
            ("assessments", N_("Driver assessments")),
        ):
            cell = sheet.cell(self.rules.tally(totals[key]), fmt=INTEGER)
            cell.alignment = Alignment(horizontal="left")
            sheet.append([sheet.cell(t(label), font=Font(bold=True)), cell])
        sheet.blank()
        sheet.title(t(N_("Notes")))
        for note in [*disclosure_notes(f, self.rules, t), t(MULTI_NOTE), t(SOURCES_NOTE)]:
            sheet.note(note, column=2)
        self.counts["overview"] = sheet.rows

    def by_recommendation(self) -> None:
        t = self.t
        rows = q.by_recommendation(self.session, self.f)
        headers = [
            t(N_("Code")),
            t(N_("Recommendation")),
            t(N_("Activities")),
            *self.cell_headers,
            t(N_("Participants")),
            t(N_("Communities reached")),
            t(N_("Top target groups")),
        ]
        sheet = Sheet(self.workbook, t(N_("By recommendation")), (8, 42, 11, *[10] * 8, 13, 13, 50))
        sheet.ws.freeze_panes = "C2"
        sheet.header(headers)
        for row in rows:
            activities, cells, total, reached = tables.count_line(row, self.rules)
            groups = "; ".join(
                f"{self.labels['group'][code]} ({self.rules.value(n, key)})"
                for code, n, key in row.top_groups
            )
            sheet.append(
                [
                    row.code,
                    self.labels["rec"][row.code],
                    *sheet.numbers([activities, *cells, total, reached]),
                    groups,
                ]
            )
        last = len(rows) + 1
        sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
        chart = BarChart()
        chart.type = "bar"
        chart.title = t(N_("Activities per recommendation"))
        chart.y_axis.title = t(N_("Activities"))
        chart.legend = None
        chart.height, chart.width = 10, 18
        chart.add_data(Reference(sheet.ws, min_col=3, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=2, max_row=last))
        chart.x_axis.scaling.orientation = "maxMin"  # R1 at the top
        sheet.ws.add_chart(chart, f"A{last + 3}")
        self.counts["recommendations"] = len(rows)

    def participants(self) -> None:
        t = self.t
        sheet = Sheet(self.workbook, t(N_("Participants")), (42, *[12] * 12))
        sheet.ws.freeze_panes = "B1"
        totals = q.activity_totals(self.session, self.f)
        grid = tables.participants_grid(totals, self.rules)
        sheet.title(t(N_("Participants by sex and age band")))
        sheet.header(["", *(t(AGE_BAND_LABELS[b]) for b in tables.BANDS), t(N_("Total"))])
        for sex, cells, total in zip(tables.SEXES, grid.cells, grid.row_totals, strict=True):
            sheet.append([t(SEX_LABELS[sex]), *sheet.numbers([*cells, total])])
        sheet.append(
            [
                sheet.cell(t(N_("Total")), font=Font(bold=True)),
                *sheet.numbers([*grid.column_totals, grid.grand_total]),
            ]
        )
        sheet.blank()
        sheet.title(t(N_("Participants by target group")))
        sheet.append([t(MULTI_NOTE)])  # one line: it overflows into the empty cells to the right
        sheet.header(
            [
                t(N_("Target group")),
                t(N_("Activities")),
                *self.cell_headers,
                t(N_("Participants")),
                t(N_("Communities reached")),
            ]
        )
        for row in q.by_target_group(self.session, self.f):
            activities, cells, total, reached = tables.count_line(row, self.rules)
            sheet.append(
                [self.labels["group"][row.code], *sheet.numbers([activities, *cells, total, reached])]
            )
        self.counts["participants"] = sheet.rows

    def _grid(
        self, sheet: Sheet, corner: str, rows: list[str], columns: list[str], grid: tables.Grid
    ) -> None:
        t = self.t
        sheet.header([corner, *columns, t(N_("Total"))])
        for label, cells, total in zip(rows, grid.cells, grid.row_totals, strict=True):
            sheet.append([label, *sheet.numbers([*cells, total])])
        sheet.append(
            [
                sheet.cell(t(N_("Total")), font=Font(bold=True)),
                *sheet.numbers([*grid.column_totals, grid.grand_total]),
            ]
        )
        sheet.blank()

    def incidents(self) -> None:
        t, f = self.t, self.f
        cube = q.incident_cube(self.session, f)
        months = q.months_between(f.date_from, f.date_to)
        regions = tables.cube_regions(cube)
        names = q.region_names(self.session)
        sheet = Sheet(self.workbook, t(N_("Incidents")), (46, *[11] * max(len(months), 16)))
        sheet.ws.freeze_panes = "B1"
        categories = [self.labels["category"][c] for c in tables.CATEGORY_CODES]
        sheet.title(t(N_("Incidents by category and month")))
        grid = tables.category_by_month(cube, months, self.rules)
        self._grid(sheet, t(N_("Category")), categories, [self._month(m) for m in months], grid)
        sheet.title(t(N_("Incidents by region and category")))
        grid = tables.region_by_category(cube, regions, self.rules)
        self._grid(sheet, t(N_("Region")), [names.get(r, r) for r in regions], categories, grid)
        for title, column, codes, kind in (
            (N_("Incidents by severity"), "severity", tables.SEVERITY_CODES, "severity"),
            (
                N_("Incidents by follow-up status"),
                "incident_status",
                tables.INCIDENT_STATUS_CODES,
                "incident_status",
            ),
        ):
            counts = q.incidents_by(self.session, f, column)
            shown, total = tables.series_with_total([counts.get(c, q.Tally(0)) for c in codes], self.rules)
            sheet.title(t(title))
            sheet.header([t(N_("Value")), t(N_("Incidents"))])
            for code, value in zip(codes, shown, strict=True):
                sheet.append([self.labels[kind][code], *sheet.numbers([value])])
            sheet.append([sheet.cell(t(N_("Total")), font=Font(bold=True)), *sheet.numbers([total])])
            sheet.blank()
        if not self.suppress:
            sheet.title(t(N_("Incidents by category, month and region")))
            sheet.header([t(N_("Month")), t(N_("Region")), t(N_("Category")), t(N_("Incidents"))])
            for category, month, region, n, _key in cube:
                sheet.append([month, names.get(region, region), self.labels["category"][category], n])
        self.counts["incident_cells"] = len(cube)

    def activity_records(self) -> None:
        t = self.t
        headers = [
            t(N_("Record ID")), t(N_("Date")), t(N_("Region")), t(N_("District")), t(N_("Community")),
            t(N_("Organisation")), t(N_("Activity type")), t(N_("Recommendations")), t(N_("Target groups")),
            t(N_("Drivers addressed")), *self.cell_headers, t(N_("Participants")), t(N_("Review status")),
            t(N_("Partners")), t(N_("Outcome")), t(N_("Follow-up")),
        ]  # fmt: skip
        sheet = Sheet(
            self.workbook,
            t(N_("Activities")),
            (38, 11, 18, 20, 18, 26, 28, 16, 36, 36, *[8] * 9, 12, 30, 40, 40),
        )
        sheet.ws.freeze_panes = "C2"
        sheet.header(headers)
        types, statuses = self.labels["type"], self.labels["status"]
        gpos, dpos = self.group_position, self.driver_position

        def rows() -> Iterator[list]:
            for row in activity_rows(self.session, self.f):
                (uid, day, region, district, community, org, type_code, recs, groups, drivers, *rest) = row
                cells, (status, partners, outcome, follow_up) = rest[:8], rest[8:]
                recs_text = ", ".join(sorted(recs.split(","), key=lambda c: int(c[1:]))) if recs else ""
                yield [
                    str(uid), day, region, district, community, org, types.get(type_code, type_code),
                    recs_text, self._labels("group", groups, gpos), self._labels("driver", drivers, dpos),
                    *cells, sum(cells), statuses[str(status)], partners, outcome, follow_up,
                ]  # fmt: skip

        n = RowStream(sheet, len(headers)).write(rows())
        self.counts["activity_rows"] = n

    def incident_records(self) -> None:
        t = self.t
        headers = [
            t(N_("Record ID")), t(N_("Date")), t(N_("Region")), t(N_("District")), t(N_("Community")),
            t(N_("Organisation")), t(N_("Category")), t(N_("Severity")), t(N_("Response")),
            t(N_("Follow-up status")), t(N_("Perceived drivers")), *self.cell_headers,
            t(N_("People affected")), t(N_("Review status")), t(N_("Description")),
        ]  # fmt: skip
        sheet = Sheet(
            self.workbook,
            t(N_("Incident records")),
            (38, 11, 18, 20, 18, 26, 34, 10, 22, 12, 36, *[8] * 9, 12, 50),
        )
        sheet.ws.freeze_panes = "C2"
        sheet.header(headers)
        labels = self.labels
        categories, severities, responses = labels["category"], labels["severity"], labels["response"]
        follow, statuses, dpos = labels["incident_status"], labels["status"], self.driver_position

        def rows() -> Iterator[list]:
            for row in incident_rows(self.session, self.f):
                (
                    uid,
                    day,
                    region,
                    district,
                    community,
                    org,
                    category,
                    severity,
                    response,
                    state,
                    drivers,
                    *rest,
                ) = row
                cells, (status, description) = rest[:8], rest[8:]
                yield [
                    str(uid), day, region, district, community, org, categories.get(category, category),
                    severities[str(severity)], responses[str(response)], follow[str(state)],
                    self._labels("driver", drivers, dpos), *cells, sum(cells), statuses[str(status)],
                    description,
                ]  # fmt: skip

        n = RowStream(sheet, len(headers)).write(rows())
        self.counts["incident_rows"] = n

    def drivers(self) -> None:
        t, f = self.t, self.f
        matrix = q.driver_matrix(self.session, f)
        regions, means, changes, assessments = tables.driver_tables(matrix, self.rules)
        names = q.region_names(self.session)
        drivers = [self.labels["driver"][d] for d in tables.DRIVER_CODES]
        sheet = Sheet(self.workbook, t(N_("Drivers")), (26, 13, *[14] * len(drivers)))
        sheet.ws.freeze_panes = "C2"
        headers = [t(N_("Region")), t(N_("Assessments")), *drivers]
        sheet.header(headers, height=48)
        for region, n, row in zip(regions, assessments, means, strict=True):
            sheet.append([names.get(region, region), *sheet.numbers([n]), *sheet.numbers(row, RATING)])
        last = len(regions) + 1
        end = get_column_letter(len(headers))
        if regions:
            sheet.ws.conditional_formatting.add(
                f"C2:{end}{last}",
                ColorScaleRule(
                    start_type="num", start_value=0, start_color="FFF7EC",
                    mid_type="num", mid_value=1.5, mid_color="FC8D59",
                    end_type="num", end_value=3, end_color="7F0000",
                ),
            )  # fmt: skip
        sheet.blank()
        previous = f.previous()
        sheet.title(
            t(N_("Change in mean rating against the previous period (%(start)s – %(end)s)"))
            % {"start": self._date(previous.date_from), "end": self._date(previous.date_to)}
        )
        start = sheet.rows + 1
        sheet.header([t(N_("Region")), "", *drivers], height=48)
        for region, row in zip(regions, changes, strict=True):
            sheet.append([names.get(region, region), "", *sheet.numbers(row, CHANGE)])
        if regions:
            sheet.ws.conditional_formatting.add(
                f"C{start + 1}:{end}{start + len(regions)}",
                ColorScaleRule(
                    start_type="num", start_value=-1, start_color="2C7BB6",
                    mid_type="num", mid_value=0, mid_color="FFFFFF",
                    end_type="num", end_value=1, end_color="D7191C",
                ),
            )  # fmt: skip
        sheet.blank()
        notes = [N_("Mean rating: 0 not observed, 1 low, 2 medium, 3 high.")]
        if self.suppress:
            notes.append(N_("A mean from fewer assessments than the suppression threshold is left blank."))
        for note in notes:
            sheet.append([t(note)])
        sheet.ws.auto_filter.ref = f"A1:{end}{last}"
        self.counts["driver_regions"] = len(regions)


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
) -> ExportResult:
    """Write the workbook for ``filters`` to ``out`` (a path or a binary file)."""
    builder = WorkbookBuilder(
        session,
        filters,
        gettext=gettext,
        locale=locale,
        threshold=threshold,
        timezone=timezone,
        generated_at=generated_at,
    )
    return builder.build(out)
