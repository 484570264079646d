"""The workbook's "Results framework" sheet for one programme (issue 13): per indicator its
baseline and life-of-programme target, then per quarter the target, the actual, the cumulative
actual and the share achieved, and a native chart of targets against actuals. Donors read the
published actuals (perturbed, small counts hidden), coordinators the exact ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.chart import Reference

from app.models import Measure, Programme
from app.models.results import SHARE_MEASURES
from app.vocabulary import N_

from . import excel_charts as charts
from .results import Publishing, shown_progress
from .xlsx import BOLD, INTEGER, SHARE

#: A figure with one or two decimals (shares, mean ratings, survey results).
DECIMAL = "#,##0.0#"

if TYPE_CHECKING:
    from .excel import WorkbookBuilder

#: Each indicator's chart.
CHART_TITLE = N_("%(code)s: target and actual")
#: A quarter as the sheet names it.
QUARTER = N_("Q%(number)d %(year)d")  # as the results page (app/results/page.py)


class ResultsSheet:
    """The Results framework sheet (only when the workbook is asked for a programme)."""

    programme: Programme | None = None

    def results_framework(self: WorkbookBuilder) -> None:
        programme = self.programme
        if programme is None:
            return
        t = self.t
        sheet = self._sheet(t(N_("Results framework")), (26, 16, 16, 16, 14), landscape=True)
        sheet.title(f"{programme.local_name} ({programme.code})")
        sheet.append([f"{self._date(programme.start_date)} – {self._date(programme.end_date)}"])
        sheet.blank()
        for indicator in programme.indicators:
            self._indicator_block(sheet, indicator)
        self.counts["indicators"] = len(programme.indicators)

    def _indicator_block(self: WorkbookBuilder, sheet: object, indicator: object) -> None:
        t = self.t
        sheet.title(f"{indicator.code}: {indicator.local_name}")
        recommendations = ", ".join(r.code for r in indicator.recommendations) or "–"
        for label, value in (
            (N_("Recommendations"), recommendations),
            (N_("Unit"), indicator.unit or "–"),
            (N_("Baseline"), "–" if indicator.baseline_value is None else indicator.baseline_value),
            (
                N_("Life-of-programme target"),
                "–" if indicator.target_total is None else indicator.target_total,
            ),
        ):
            sheet.append([sheet.cell(t(label), font=BOLD), value])
        sheet.header(
            [t(N_("Quarter")), t(N_("Target")), t(N_("Actual")), t(N_("Cumulative")), t(N_("Achieved"))]
        )
        first = sheet.rows + 1
        number_format = _format(indicator)
        donor = Publishing(self.f.cell_key_table, self.threshold) if self.suppress else None
        for row in shown_progress(self.session, indicator, today=self.today, donor=donor):
            label = t(QUARTER) % {"number": (row.quarter.month - 1) // 3 + 1, "year": row.quarter.year}
            sheet.append(
                [
                    label,
                    *sheet.numbers(
                        [_blank(row.target), _blank(row.actual), _blank(row.cumulative)], fmt=number_format
                    ),
                    sheet.cell(_blank(row.achieved), fmt=SHARE),
                ]
            )
        last = sheet.rows
        chart = charts.columns(
            title=t(CHART_TITLE) % {"code": indicator.code},
            value_title=indicator.unit or None,
            category_title=t(N_("Quarter")),
            values=Reference(sheet.ws, min_col=2, max_col=3, min_row=first - 1, max_row=last),
            labels=charts.column_of(sheet.ws, 1, first, last),
            colours=(charts.INCIDENTS, charts.ACTIVITIES),
        )
        sheet.ws.add_chart(chart, f"G{first - 5}")
        sheet.blank()


def _blank(value: object) -> object:
    """A missing figure as an empty cell; a hidden one ("<5") as it is."""
    return "" if value is None else value


def _format(indicator: object) -> str:
    """Shares and means with their decimals, counts whole."""
    if indicator.measure in SHARE_MEASURES or indicator.measure in (Measure.MEAN_RATING, Measure.MANUAL):
        return DECIMAL
    return INTEGER
