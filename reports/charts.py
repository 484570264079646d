"""Dashboard figures (plotly.js JSON, for the page to draw) and their tables.

Donor figures go through the same perturbation and suppression as the donor workbook
(:mod:`reports.tables`): a hidden count is plotted as a gap (None) and labelled ``"<5"`` or
``"*"``, never drawn as its number. Each chart's table (:mod:`reports.chart_tables`) is made from
the same shown values, so it hides what the chart hides.

Made for a 360 px phone as much as for a laptop: long category labels are wrapped (the hover text
and the table carry them whole), the drivers heatmap has the drivers as rows and asks for a
minimum width (``layout.meta.min_width``: the page scrolls it inside its card), numbers follow the
viewer's locale (``separators``, no "5k"), and a month the period does not count whole is drawn
dotted and labelled "(partial)" rather than as a drop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from babel.numbers import format_percent
from sqlalchemy.orm import Session

from app.vocabulary import (
    AGE_BAND_LABELS,
    DRIVERS,
    INCIDENT_CATEGORIES,
    N_,
    RECOMMENDATIONS,
    SEX_LABELS,
)

from . import queries as q
from . import tables
from .chart_layout import (
    COLOURS,
    HEATMAP_COLUMN_PX,
    HEATMAP_LABELS_PX,
    HEATMAP_SCALE,
    PARTIAL,
    bar_height,
    base_layout,
    count_axis,
    heatmap_colorbar,
    horizontal_bars,
    label_axis,
    marked,
    month_axis,
    partial_legend,
    plot,
    row_height,
    trace,
)
from .chart_tables import ChartTable, chart_table
from .chart_text import decimal_text, month_label, number, partial_months
from .filters import ReportFilters
from .suppression import Shown, is_small, small_mark

Gettext = Callable[[str], str]

#: Chart names, in page order, with their titles.
CHART_TITLES: dict[str, str] = {
    "recommendations": N_("Activities per recommendation"),
    "participants": N_("Participants by sex and age band"),
    "monthly": N_("Activities and incidents per month"),
    "incidents": N_("Incidents by category"),
    "drivers": N_("Perceived drivers: mean rating by region (0 not observed – 3 high)"),
    "coverage": N_("Communities reached per region"),
}


@dataclass
class Dashboard:
    """Everything the dashboard page shows, already suppressed for donors."""

    figures: dict[str, dict] = field(default_factory=dict)
    #: Each chart's numbers as a table, by chart name (the same names as ``figures``).
    tables: dict[str, ChartTable] = field(default_factory=dict)
    #: Headline numbers: (label, shown value) in display order.
    kpis: list[tuple[str, str]] = field(default_factory=list)
    #: Coordinators only: (status, label, entries) for the entries waiting and approved.
    review: list[tuple[str, str, str]] = field(default_factory=list)


class ChartBuilder:
    def __init__(
        self,
        session: Session,
        filters: ReportFilters,
        *,
        gettext: Gettext,
        locale: str = "en",
        threshold: int = 5,
        today: date | None = None,
    ) -> None:
        self.session, self.f, self.t, self.locale = session, filters, gettext, locale
        self.threshold = threshold
        self.today = today or date.today()
        self.suppress = filters.is_donor
        self.rules = tables.Disclosure.for_filters(filters, threshold)

    def _number(self, value: Shown) -> str:
        return number(value, self.locale)

    def _plot_values(self, shown: list[Shown]) -> tuple[list[int | float | None], list[str]]:
        """Numbers for the axis (None where hidden) and the labels drawn on the bars."""
        values = [v if isinstance(v, int | float) else None for v in shown]
        return values, ["" if v is None else self._number(v) for v in values]

    def _layout(self, title: str, **extra: object) -> dict:
        return base_layout(title, self.locale, **extra)

    def build(self) -> Dashboard:
        t, f, rules = self.t, self.f, self.rules
        data = q.dashboard_aggregates(self.session, f)
        totals = data.totals
        months = q.months_between(f.date_from, f.date_to)
        by_category_month = tables.category_by_month(data.incidents, months, rules)
        participants = tables.participants_grid(totals, rules)
        dashboard = Dashboard()
        dashboard.kpis = [
            (t(N_("Activities")), self._number(rules.value(totals.activities, totals.key))),
            (t(N_("Participants")), self._number(participants.grand_total)),
            (
                t(N_("Communities reached")),
                self._number(rules.value(totals.communities, totals.communities_key)),
            ),
            (t(N_("Incidents")), self._number(by_category_month.grand_total)),
        ]
        if not f.is_donor:
            review = q.review_counts(self.session, f)
            dashboard.review = [
                (status, t(label), self._number(review.get(status, 0)))
                for status, label in (("submitted", N_("Waiting for review")), ("approved", N_("Approved")))
            ]
        monthly = [q.Tally(n, key) for _m, n, key in data.monthly]
        for name, (figure, table) in (
            ("recommendations", self.recommendations(data.recommendations)),
            ("participants", self.participants(participants)),
            ("monthly", self.monthly(months, monthly, by_category_month)),
            ("incidents", self.incidents(by_category_month)),
            ("drivers", self.drivers(data.drivers)),
            ("coverage", self.coverage(data.coverage)),
        ):
            dashboard.figures[name], dashboard.tables[name] = figure, table
        return dashboard

    def recommendations(self, rows: list[q.CountRow]) -> tuple[dict, ChartTable]:
        t = self.t
        labels = {code: t(label) for code, label, _desc in RECOMMENDATIONS}
        shown = [self.rules.value(r.activities, r.key) for r in rows]
        values, text = self._plot_values(shown)
        data = trace(
            "bar",
            x=values,
            y=marked([r.code for r in rows], shown),
            text=text,
            hovertext=[labels[r.code] for r in rows],
            hovertemplate="%{y}: %{hovertext}<br>%{text}<extra></extra>",
            **horizontal_bars(COLOURS["activities"]),
            name=t(N_("Activities")),
        )
        layout = self._layout(t(CHART_TITLES["recommendations"]), height=460)
        layout["yaxis"] = {
            "type": "category",
            "autorange": "reversed",
            "automargin": True,
            "fixedrange": True,
        }
        layout["xaxis"] = count_axis(t(N_("Activities")))
        table = chart_table(
            t(N_("Recommendation")),
            [t(N_("Activities"))],
            [(f"{r.code} {labels[r.code]}", [v]) for r, v in zip(rows, shown, strict=True)],
            self.locale,
        )
        return plot(data, layout), table

    def participants(self, grid: tables.Grid) -> tuple[dict, ChartTable]:
        t = self.t
        bands = [t(AGE_BAND_LABELS[b]) for b in tables.BANDS]
        sexes = [t(SEX_LABELS[sex]) for sex in tables.SEXES]
        traces = []
        for sex, cells, colour in zip(sexes, grid.cells, ("female", "male"), strict=True):
            values, text = self._plot_values(cells)
            traces.append(
                trace(
                    "bar",
                    x=bands,
                    y=values,
                    text=text,
                    name=sex,
                    marker={"color": COLOURS[colour]},
                    textangle=0,
                    hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>",
                )
            )
        layout = self._layout(t(CHART_TITLES["participants"]), barmode="stack")
        layout["legend"]["traceorder"] = "normal"  # female first, as in the table
        layout["yaxis"] = count_axis(t(N_("Participants")))
        layout["xaxis"] = label_axis(bands, width=8, title={"text": t(N_("Age band"))})
        rows = [
            (sex, [*cells, total])
            for sex, cells, total in zip(sexes, grid.cells, grid.row_totals, strict=True)
        ]
        rows.append((t(N_("Total")), [*grid.column_totals, grid.grand_total]))
        table = chart_table(t(N_("Participants")), [*bands, t(N_("Total"))], rows, self.locale)
        return plot(traces, layout), table

    def monthly(
        self, months: list[str], activities: list[q.Tally], incidents: tables.Grid
    ) -> tuple[dict, ChartTable]:
        t = self.t
        partial = partial_months(months, self.f.date_from, self.f.date_to, self.today)
        names = [month_label(m, self.locale) for m in months]
        labels = [
            t(PARTIAL) % {"month": n} if m in partial else n for m, n in zip(months, names, strict=True)
        ]
        cut = [m in partial for m in months]
        near = {j for i, c in enumerate(cut) if c for j in (i - 1, i, i + 1) if 0 <= j < len(months)}
        activity_shown, _total = tables.series_with_total(activities, self.rules)
        series = (
            (N_("Activities"), activity_shown, "activities"),
            (N_("Incidents"), incidents.column_totals, "incidents"),
        )
        hover = "%{customdata}: %{text}<extra>%{fullData.name}</extra>"
        traces = []
        for name, shown, colour in series:
            values, text = self._plot_values(shown)
            common = {"x": names, "text": text, "customdata": labels, "name": t(name), "legendgroup": colour}
            traces.append(
                trace(
                    "scatter",
                    y=[None if c else v for v, c in zip(values, cut, strict=True)],
                    mode="lines+markers",
                    line={"color": COLOURS[colour]},
                    hovertemplate=hover,
                    **common,
                )
            )
            if partial:  # the partial months, dotted from their neighbours, hollow markers
                traces.append(
                    trace(
                        "scatter",
                        y=[v if i in near else None for i, v in enumerate(values)],
                        mode="lines+markers",
                        line={"color": COLOURS[colour], "dash": "dot"},
                        marker={"symbol": "circle-open", "size": [9 if c else 0 for c in cut]},
                        showlegend=False,
                        hovertemplate=hover,
                        **common,
                    )
                )
        if partial:
            traces.append(partial_legend(t(N_("Partial month"))))
        layout = self._layout(t(CHART_TITLES["monthly"]))
        layout["yaxis"] = count_axis(t(N_("Records")))
        layout["xaxis"] = month_axis(t(N_("Month")), names, labels)
        rows = [
            (label, [a, i])
            for label, a, i in zip(labels, activity_shown, incidents.column_totals, strict=True)
        ]
        table = chart_table(t(N_("Month")), [t(N_("Activities")), t(N_("Incidents"))], rows, self.locale)
        return plot(traces, layout), table

    def incidents(self, grid: tables.Grid) -> tuple[dict, ChartTable]:
        t = self.t
        names = {code: t(label) for code, label in INCIDENT_CATEGORIES}
        labels = [names[c] for c in tables.CATEGORY_CODES]
        values, text = self._plot_values(grid.row_totals)
        categories = marked(labels, grid.row_totals)
        data = trace(
            "bar",
            x=values,
            y=categories,
            text=text,
            **horizontal_bars(COLOURS["incidents"]),
            name=t(N_("Incidents")),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
        layout = self._layout(t(CHART_TITLES["incidents"]), height=bar_height(categories))
        layout["yaxis"] = label_axis(categories, autorange="reversed")
        layout["xaxis"] = count_axis(t(N_("Incidents")))
        table = chart_table(
            t(N_("Category")),
            [t(N_("Incidents"))],
            [(label, [v]) for label, v in zip(labels, grid.row_totals, strict=True)],
            self.locale,
        )
        return plot(data, layout), table

    def drivers(self, matrix: dict[str, dict[str, q.DriverCell]]) -> tuple[dict, ChartTable]:
        """Drivers as rows, regions as columns: sixteen long labels read down a phone, and the
        regions scroll sideways inside the card when they do not fit."""
        t = self.t
        regions, means, _changes, _n = tables.driver_tables(matrix, self.rules)
        names = q.region_names(self.session)
        region_labels = [names.get(r, r) for r in regions]
        labels = [t(label) for _code, label in DRIVERS]
        by_driver = [[row[d] for row in means] for d in range(len(labels))]
        drawn = [[None if m is None else round(m, 3) for m in row] for row in by_driver]
        data = trace(
            "heatmap",
            z=drawn,
            x=region_labels,
            y=labels,
            zmin=0.0,
            zmax=3.0,
            colorscale=HEATMAP_SCALE,
            colorbar=heatmap_colorbar(t(N_("Mean rating"))),
            hoverongaps=False,
            texttemplate="%{z:.1f}",
            textfont={"size": 10},
            hovertemplate="%{y}<br>%{x}: %{z:.2f}<extra></extra>",
        )
        height = 240 + sum(row_height(label) for label in labels)
        layout = self._layout(t(CHART_TITLES["drivers"]), height=height)
        layout["xaxis"] = label_axis(region_labels, width=10, side="top")
        layout["yaxis"] = label_axis(labels, autorange="reversed")
        layout["margin"] = {**layout["margin"], "b": 70}
        layout["meta"] = {
            **layout["meta"],
            "min_width": HEATMAP_LABELS_PX + HEATMAP_COLUMN_PX * max(1, len(regions)),
        }
        notes = [t(N_("A mean from fewer assessments than the suppression threshold is left blank."))]
        if not self.f.is_donor:
            notes = [t(N_("A blank cell: no assessment of that driver in that region."))]
        rows = [
            (
                label,
                [None if m is None else decimal_text(m, self.locale, "0.00") for m in row],
            )
            for label, row in zip(labels, by_driver, strict=True)
        ]
        table = chart_table(t(N_("Perceived drivers")), region_labels, rows, self.locale, notes)
        return plot(data, layout), table

    def coverage(self, rows: list[q.CoverageRow]) -> tuple[dict, ChartTable]:
        t = self.t
        reached = [tables.coverage_reached(r.reached, r.reached_key, r.communities, self.rules) for r in rows]
        hidden = [self.suppress and is_small(n, self.threshold) for n in reached]
        mark = small_mark(self.threshold)
        shares = [n / r.communities if r.communities else 0.0 for n, r in zip(reached, rows, strict=True)]
        values = [None if h else round(100 * share, 1) for share, h in zip(shares, hidden, strict=True)]
        shown_reached: list[Shown] = [mark if h else n for n, h in zip(reached, hidden, strict=True)]
        details = [
            f"{mark} / {self._number(r.communities)}"
            if h
            else f"{number(v, self.locale)} % ({self._number(n)} / {self._number(r.communities)})"
            for r, n, v, h in zip(rows, reached, values, hidden, strict=True)
        ]
        regions = [f"{r.name} ({mark})" if h else r.name for r, h in zip(rows, hidden, strict=True)]
        data = trace(
            "bar",
            x=values,
            y=regions,
            text=[
                "" if h else format_percent(s, locale=self.locale)
                for s, h in zip(shares, hidden, strict=True)
            ],
            customdata=details,
            **horizontal_bars(COLOURS["activities"]),
            name=t(N_("Communities reached")),
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
        layout = self._layout(t(CHART_TITLES["coverage"]), height=bar_height(regions))
        layout["xaxis"] = count_axis(t(N_("Share of communities, %")), range=[0, 100], rangemode="normal")
        layout["yaxis"] = label_axis(regions, autorange="reversed")
        table = chart_table(
            t(N_("Region")),
            [t(N_("Communities reached")), t(N_("Communities")), t(N_("Share of communities, %"))],
            [(r.name, [n, r.communities, v]) for r, n, v in zip(rows, shown_reached, values, strict=True)],
            self.locale,
        )
        return plot(data, layout), table


def build_dashboard(
    session: Session,
    filters: ReportFilters,
    *,
    gettext: Gettext,
    locale: str = "en",
    threshold: int = 5,
    today: date | None = None,
) -> Dashboard:
    """The dashboard's figures, their tables and the headline numbers for ``filters``."""
    return ChartBuilder(
        session, filters, gettext=gettext, locale=locale, threshold=threshold, today=today
    ).build()
