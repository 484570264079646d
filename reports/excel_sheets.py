"""The workbook's aggregate sheets, each a table (header frozen) and, where the dashboard draws
one, the native chart of it. Mixed into :class:`reports.excel.WorkbookBuilder`, whose shared
aggregates (``months``, ``cube``, ``incident_grid``, ``totals``, ``names``) they read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.chart import Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from app.vocabulary import AGE_BAND_LABELS, N_, NP_, SEX_LABELS

from . import excel_charts as charts
from . import queries as q
from . import tables
from .chart_layout import PARTIAL
from .chart_text import partial_months
from .charts import CHART_TITLES
from .notes import MEANS_NOTE, MULTI_NOTE, NOT_ASSESSED_NOTE
from .suppression import is_small
from .xlsx import BOLD, CHANGE, DERIVED, FEW, INTEGER, RATING, SHARE, SMALL, Sheet

if TYPE_CHECKING:
    from .excel import WorkbookBuilder

RATING_NOTE = N_("Mean rating: 0 not observed, 1 low, 2 medium, 3 high.")
HEATMAP_NOTE = N_(
    "The dashboard's heatmap is the table above, coloured from light (0, not observed) to dark red "
    "(3, high); the chart below shows the mean rating of all regions together."
)
DRIVERS_CHART = N_("Perceived drivers: mean rating, all regions (0 not observed – 3 high)")
PARTIAL_NOTE = N_(
    "A month marked partial is not over or not wholly in the period: its counts are not comparable "
    "with those of whole months."
)


class AggregateSheets:
    """By month, By recommendation, By target group, Participants, Incidents (three sheets),
    Drivers and Coverage."""

    def _total_row(self: WorkbookBuilder, sheet: Sheet, values: list) -> None:
        sheet.append([sheet.cell(self.t(N_("Total")), font=BOLD), *sheet.numbers(values)])

    def by_month(self: WorkbookBuilder) -> None:
        t = self.t
        sheet = self._sheet(t(N_("By month")), (22, 13, 13), landscape=True)
        sheet.freeze("B2", print_rows=1)
        sheet.header([t(N_("Month")), t(N_("Activities")), t(N_("Incidents"))])
        monthly = q.activities_by_month(self.session, self.f)
        activities, total = tables.series_with_total([q.Tally(n, key) for _m, n, key in monthly], self.rules)
        partial = partial_months(self.months, self.f.date_from, self.f.date_to, self.today)
        incidents = self.incident_grid.column_totals
        for month, shown, incident_count in zip(self.months, activities, incidents, strict=True):
            label = self._month(month)
            if month in partial:  # as the dashboard marks it
                label = t(PARTIAL) % {"month": label}
            sheet.append([label, *sheet.numbers([shown, incident_count])])
        last = len(self.months) + 1
        self._total_row(sheet, [total, self.incident_grid.grand_total])
        chart = charts.lines(
            title=t(CHART_TITLES["monthly"]),
            value_title=t(N_("Records")),
            category_title=t(N_("Month")),
            values=Reference(sheet.ws, min_col=2, max_col=3, min_row=1, max_row=last),
            labels=charts.column_of(sheet.ws, 1, 2, last),
            colours=(charts.ACTIVITIES, charts.INCIDENTS),
        )
        sheet.ws.add_chart(chart, "E2")
        sheet.blank()
        if partial:
            sheet.text(t(PARTIAL_NOTE))
        self._legend(sheet)
        self.counts["months"] = len(self.months)

    def by_recommendation(self: WorkbookBuilder) -> None:
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
        sheet = self._sheet(t(N_("By recommendation")), (8, 64, 13, *[11] * 8, 13, 13, 60))
        sheet.freeze("C2", print_rows=1)
        sheet.header(headers, height=48)
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
        sheet.blank()
        sheet.text(t(MULTI_NOTE), last=len(headers) - 1)
        self._legend(sheet, len(headers) - 1)
        chart = charts.horizontal_bars(
            title=t(CHART_TITLES["recommendations"]),
            value_title=t(N_("Activities")),
            values=charts.column_of(sheet.ws, 3, 2, last),
            labels=charts.column_of(sheet.ws, 1, 2, last),
            colour=charts.ACTIVITIES,
        )
        sheet.ws.add_chart(chart, f"B{sheet.rows + 2}")
        self.counts["recommendations"] = len(rows)

    def by_target_group(self: WorkbookBuilder) -> None:
        t = self.t
        headers = [
            t(N_("Target group")),
            t(N_("Activities")),
            *self.cell_headers,
            t(N_("Participants")),
            t(N_("Communities reached")),
        ]
        sheet = self._sheet(t(N_("By target group")), (36, 13, *[11] * 8, 13, 13))
        sheet.freeze("B2", print_rows=1)
        sheet.header(headers, height=48)
        rows = q.by_target_group(self.session, self.f)
        for row in rows:
            activities, cells, total, reached = tables.count_line(row, self.rules)
            sheet.append(
                [self.labels["group"][row.code], *sheet.numbers([activities, *cells, total, reached])]
            )
        sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        sheet.blank()
        sheet.text(t(MULTI_NOTE))
        self._legend(sheet)
        self.counts["target_groups"] = len(rows)

    def participants(self: WorkbookBuilder) -> None:
        t = self.t
        sheet = self._sheet(t(N_("Participants")), (30, *[13] * 5))
        sheet.freeze("B3", print_rows=2)
        grid = tables.participants_grid(self.totals, self.rules)
        sheet.title(t(N_("Participants by sex and age band")))
        sheet.header(["", *(t(AGE_BAND_LABELS[b]) for b in tables.BANDS), t(N_("Total"))])
        for sex, cells, total in zip(tables.SEXES, grid.cells, grid.row_totals, strict=True):
            sheet.append([t(SEX_LABELS[sex]), *sheet.numbers([*cells, total])])
        self._total_row(sheet, [*grid.column_totals, grid.grand_total])
        bands = len(tables.BANDS)
        chart = charts.columns(
            title=t(CHART_TITLES["participants"]),
            value_title=t(N_("Participants")),
            category_title=t(N_("Age band")),
            values=Reference(
                sheet.ws, min_col=1, max_col=1 + bands, min_row=3, max_row=2 + len(tables.SEXES)
            ),
            labels=charts.row_of(sheet.ws, 2, 2, 1 + bands),
            colours=(charts.FEMALE, charts.MALE),
            from_rows=True,
            stacked=True,
        )
        self._legend(sheet)
        sheet.ws.add_chart(chart, f"A{sheet.rows + 3}")
        self.counts["participants"] = sheet.rows

    def _grid(
        self: WorkbookBuilder,
        sheet: Sheet,
        corner: str,
        rows: list[str],
        columns: list[str],
        grid: tables.Grid,
        height: float = 32,
    ) -> None:
        sheet.header([corner, *columns, self.t(N_("Total"))], height=height)
        for label, cells, total in zip(rows, grid.cells, grid.row_totals, strict=True):
            sheet.append([label, *sheet.numbers([*cells, total])])
        self._total_row(sheet, [*grid.column_totals, grid.grand_total])
        sheet.blank()

    def incidents(self: WorkbookBuilder) -> None:
        t, f = self.t, self.f
        months = self.months
        sheet = self._sheet(t(N_("Incidents")), (60, *[11] * max(len(months) + 1, 3)))
        sheet.freeze("B3")
        categories = [self.labels["category"][c] for c in tables.CATEGORY_CODES]
        sheet.title(t(N_("Incidents by category and month")))
        self._grid(sheet, t(N_("Category")), categories, [self._month(m) for m in months], self.incident_grid)
        last = 2 + len(categories)
        chart = charts.horizontal_bars(
            title=t(CHART_TITLES["incidents"]),
            value_title=t(N_("Incidents")),
            values=charts.column_of(sheet.ws, len(months) + 2, 3, last),  # the row totals
            labels=charts.column_of(sheet.ws, 1, 3, last),
            colour=charts.INCIDENTS,
        )
        sheet.ws.add_chart(chart, f"D{sheet.rows + 1}")  # beside the severity and status tables
        for title, column, codes in (
            (N_("Incidents by severity"), "severity", tables.SEVERITY_CODES),
            (N_("Incidents by follow-up status"), "incident_status", tables.INCIDENT_STATUS_CODES),
        ):
            counts = q.incidents_by(self.session, f, column)
            shown, total = tables.series_with_total([counts.get(c, q.Tally(0)) for c in codes], self.rules)
            sheet.title(t(title))
            sheet.header([t(NP_("first column of a table of counts", "Value")), t(N_("Incidents"))])
            for code, value in zip(codes, shown, strict=True):
                sheet.append([self.labels[column][code], *sheet.numbers([value])])
            self._total_row(sheet, [total])
            sheet.blank()
        self._legend(sheet, 2)  # left of the chart
        self.counts["incident_cells"] = len(self.cube)

    def incidents_by_region(self: WorkbookBuilder) -> None:
        t = self.t
        regions = tables.cube_regions(self.cube)
        categories = [self.labels["category"][c] for c in tables.CATEGORY_CODES]
        sheet = self._sheet(t(N_("Incidents by region")), (36, *[12] * (len(categories) + 1)))
        sheet.freeze("B3", print_rows=2)
        sheet.title(t(N_("Incidents by region and category")))
        grid = tables.region_by_category(self.cube, regions, self.rules)
        names = [self.names.get(r, r) for r in regions]
        self._grid(sheet, t(N_("Region")), names, categories, grid, height=92)
        self._legend(sheet)
        self.counts["incident_regions"] = len(regions)

    def incident_cells(self: WorkbookBuilder) -> None:
        """Coordinators: every (month, region, category) with incidents, exact, one row each."""
        t = self.t
        sheet = self._sheet(t(N_("Incidents by month and region")), (12, 36, 54, 12))
        sheet.freeze("A2", print_rows=1)
        sheet.header([t(N_("Month")), t(N_("Region")), t(N_("Category")), t(N_("Incidents"))])
        for category, month, region, n, _key in self.cube:
            sheet.append([month, self.names.get(region, region), self.labels["category"][category], n])
        sheet.ws.auto_filter.ref = f"A1:D{len(self.cube) + 1}"

    def _ratings(
        self: WorkbookBuilder, sheet: Sheet, cells: dict[str, q.DriverCell], values: list, *, change: bool
    ) -> list:
        """Mean ratings (or their changes) as cells; one hidden for too few assessments (donors)
        is an empty marked cell, one with no ratings at all an empty plain cell."""
        out = []
        for code, value in zip(tables.DRIVER_CODES, values, strict=True):
            cell = cells[code]
            rated = cell.mean is not None and (cell.previous_mean is not None or not change)
            hidden = self.suppress and value is None and rated
            fmt = CHANGE if change else RATING
            out.append(sheet.hidden_cell(FEW, fmt) if hidden else sheet.cell(value, fmt=fmt))
        return out

    def overall_drivers(self: WorkbookBuilder) -> dict[str, q.DriverCell]:
        """Mean ratings of all regions together (the Drivers and Methodology sheets), queried once."""
        if self._overall_drivers is None:
            self._overall_drivers = q.driver_overall(self.session, self.f)
        return self._overall_drivers

    def drivers(self: WorkbookBuilder) -> None:
        t, f, rules = self.t, self.f, self.rules
        matrix = q.driver_matrix(self.session, f)
        overall = self.overall_drivers()
        regions, means, changes, assessments = tables.driver_tables(matrix, rules)
        # All regions together: one more line of the same tables, from every rating.
        _r, all_means, all_changes, all_assessments = tables.driver_tables({"": overall}, rules)
        drivers = [self.labels["driver"][d] for d in tables.DRIVER_CODES]
        sheet = self._sheet(t(N_("Drivers")), (36, 13, *[18] * len(drivers)))
        sheet.freeze("C2")
        headers = [t(N_("Region")), t(N_("Assessments")), *drivers]
        sheet.header(headers, height=80)
        everywhere = t(N_("All regions"))
        lines = [(self.names.get(r, r), matrix[r]) for r in regions] + [(everywhere, overall)]
        shown_means = zip(lines, [*assessments, *all_assessments], [*means, *all_means], strict=True)
        for (name, cells), n, row in shown_means:
            label = sheet.cell(name, font=BOLD) if name == everywhere else name
            sheet.append([label, *sheet.numbers([n]), *self._ratings(sheet, cells, row, change=False)])
        overall_row = len(lines) + 1
        end = get_column_letter(len(headers))
        sheet.ws.conditional_formatting.add(
            f"C2:{end}{overall_row}",
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
        sheet.header([t(N_("Region")), "", *drivers], height=80)
        for (name, cells), row in zip(lines, [*changes, *all_changes], strict=True):
            label = sheet.cell(name, font=BOLD) if name == everywhere else name
            sheet.append([label, "", *self._ratings(sheet, cells, row, change=True)])
        sheet.ws.conditional_formatting.add(
            f"C{start + 1}:{end}{start + len(lines)}",
            ColorScaleRule(
                start_type="num", start_value=-1, start_color="2C7BB6",
                mid_type="num", mid_value=0, mid_color="FFFFFF",
                end_type="num", end_value=1, end_color="D7191C",
            ),
        )  # fmt: skip
        sheet.blank()
        notes = [RATING_NOTE, NOT_ASSESSED_NOTE, HEATMAP_NOTE]
        if self.suppress:
            notes.append(MEANS_NOTE)
        for note in notes:
            sheet.text(t(note), last=12)
        self._legend(sheet, 12)
        chart = charts.horizontal_bars(
            title=t(DRIVERS_CHART),
            value_title=t(N_("Mean rating")),
            values=charts.row_of(sheet.ws, overall_row, 3, len(headers)),
            labels=charts.row_of(sheet.ws, 1, 3, len(headers)),
            colour=charts.DRIVERS,
            from_rows=True,
            max_value=3,
        )
        sheet.ws.add_chart(chart, f"A{sheet.rows + 2}")
        sheet.ws.auto_filter.ref = f"A1:{end}{overall_row - 1}"
        self.counts["driver_regions"] = len(regions)

    def coverage(self: WorkbookBuilder) -> None:
        t, rules = self.t, self.rules
        rows = q.coverage_by_region(self.session, self.f)
        sheet = self._sheet(t(N_("Coverage")), (36, 14, 14, 14), landscape=True)
        sheet.freeze("B2", print_rows=1)
        share_title = t(N_("Share of communities, %"))
        sheet.header(
            [t(N_("Region")), t(N_("Communities reached")), t(N_("Communities")), share_title], height=48
        )
        for row in rows:
            reached = tables.coverage_reached(row.reached, row.reached_key, row.communities, rules)
            if self.suppress and is_small(reached, self.threshold):
                values = [sheet.hidden_cell(SMALL), sheet.cell(row.communities, fmt=INTEGER)]
                values.append(sheet.hidden_cell(DERIVED, SHARE))
            else:
                share = round(100 * reached / row.communities, 1) if row.communities else 0.0
                values = [*sheet.numbers([reached, row.communities]), sheet.cell(share, fmt=SHARE)]
            sheet.append([row.name, *values])
        chart = charts.horizontal_bars(
            title=t(CHART_TITLES["coverage"]),
            value_title=share_title,
            values=charts.column_of(sheet.ws, 4, 2, len(rows) + 1),
            labels=charts.column_of(sheet.ws, 1, 2, len(rows) + 1),
            colour=charts.ACTIVITIES,
            max_value=100,
        )
        sheet.ws.add_chart(chart, "F2")
        sheet.blank()
        self._legend(sheet)
        self.counts["coverage_regions"] = len(rows)
