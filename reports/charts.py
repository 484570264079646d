"""Dashboard figures (Plotly), as JSON-ready dicts for the page.

Donor figures go through the same perturbation and suppression as the donor workbook
(:mod:`reports.tables`): a hidden count is plotted as a gap (None) and labelled ``"<5"`` or
``"*"``, never drawn as its number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
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
COLOURS = {"activities": "#2f5d62", "incidents": "#c0392b", "female": "#8e44ad", "male": "#2980b9"}
HEATMAP_SCALE = [[0.0, "#fff7ec"], [0.5, "#fc8d59"], [1.0, "#7f0000"]]


@dataclass
class Dashboard:
    """Everything the dashboard page shows, already suppressed for donors."""

    figures: dict[str, dict] = field(default_factory=dict)
    #: Headline numbers: (label, shown value) in display order.
    kpis: list[tuple[str, str]] = field(default_factory=list)
    #: Coordinators only: (status, label, entries) for the entries waiting and approved.
    review: list[tuple[str, str, str]] = field(default_factory=list)


def _plot_values(shown: list[Shown]) -> tuple[list[int | float | None], list[str]]:
    """Numbers for the axis (None where hidden) and the labels drawn on the bars."""
    values = [v if isinstance(v, int | float) else None for v in shown]
    return values, ["" if v is None else str(v) for v in shown]


def _marked(labels: list[str], shown: list[Shown]) -> list[str]:
    """Category labels, each hidden value's mark appended so that a gap still says why."""
    return [
        label if isinstance(v, int | float) else f"{label} ({v})"
        for label, v in zip(labels, shown, strict=True)
    ]


#: Plotly never wraps a title: longer ones are broken into lines so that a tablet shows them whole.
TITLE_WIDTH = 44


def _layout(title: str, **extra: object) -> dict:
    lines = textwrap.wrap(title, TITLE_WIDTH) or [title]
    return {
        "title": {"text": "<br>".join(lines), "font": {"size": 15}},
        "template": "none",
        "autosize": True,
        "height": 380,
        "margin": {"l": 60, "r": 16, "t": 30 + 18 * len(lines), "b": 48},
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.15},
        **extra,
    }


class ChartBuilder:
    def __init__(
        self,
        session: Session,
        filters: ReportFilters,
        *,
        gettext: Gettext,
        locale: str = "en",
        threshold: int = 5,
    ) -> None:
        self.session, self.f, self.t, self.locale = session, filters, gettext, locale
        self.threshold = threshold
        self.suppress = filters.is_donor
        self.rules = tables.Disclosure.for_filters(filters, threshold)
        from plotly import graph_objects  # large: imported by the first dashboard, not at start-up

        self.go = graph_objects

    def _month(self, month: str) -> str:
        year, number = month.split("-")
        return format_date(date(int(year), int(number), 1), format="MMM y", locale=self.locale)

    def _number(self, value: Shown) -> str:
        return format_decimal(value, locale=self.locale) if isinstance(value, int) else str(value)

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
        figures = dashboard.figures
        figures["recommendations"] = self.recommendations(data.recommendations)
        figures["participants"] = self.participants(participants)
        monthly = [q.Tally(n, key) for _m, n, key in data.monthly]
        figures["monthly"] = self.monthly(months, monthly, by_category_month)
        figures["incidents"] = self.incidents(by_category_month)
        figures["drivers"] = self.drivers(data.drivers)
        figures["coverage"] = self.coverage(data.coverage)
        return dashboard

    def recommendations(self, rows: list[q.CountRow]) -> dict:
        labels = {code: self.t(label) for code, label, _desc in RECOMMENDATIONS}
        shown = [self.rules.value(r.activities, r.key) for r in rows]
        values, text = _plot_values(shown)
        figure = self.go.Figure(
            self.go.Bar(
                x=values,
                y=_marked([r.code for r in rows], shown),
                orientation="h",
                text=text,
                textposition="auto",
                hovertext=[labels[r.code] for r in rows],
                hovertemplate="%{y}: %{hovertext}<br>%{text}<extra></extra>",
                marker_color=COLOURS["activities"],
                name=self.t(N_("Activities")),
            )
        )
        layout = _layout(self.t(CHART_TITLES["recommendations"]), height=460)
        layout["yaxis"] = {"autorange": "reversed", "automargin": True}
        layout["xaxis"] = {"title": {"text": self.t(N_("Activities"))}, "rangemode": "tozero"}
        figure.update_layout(layout)
        return figure.to_plotly_json()

    def participants(self, grid: tables.Grid) -> dict:
        bands = [self.t(AGE_BAND_LABELS[b]) for b in tables.BANDS]
        traces = []
        for sex, cells, colour in zip(tables.SEXES, grid.cells, ("female", "male"), strict=True):
            values, text = _plot_values(cells)
            traces.append(
                self.go.Bar(
                    x=bands, y=values, text=text, name=self.t(SEX_LABELS[sex]), marker_color=COLOURS[colour]
                )
            )
        figure = self.go.Figure(traces)
        layout = _layout(self.t(CHART_TITLES["participants"]), barmode="stack")
        layout["yaxis"] = {"title": {"text": self.t(N_("Participants"))}, "rangemode": "tozero"}
        layout["xaxis"] = {"title": {"text": self.t(N_("Age band"))}}
        figure.update_layout(layout)
        return figure.to_plotly_json()

    def monthly(self, months: list[str], activities: list[q.Tally], incidents: tables.Grid) -> dict:
        labels = [self._month(m) for m in months]
        activity_shown, _total = tables.series_with_total(activities, self.rules)
        traces = []
        for name, shown, colour in (
            (N_("Activities"), activity_shown, COLOURS["activities"]),
            (N_("Incidents"), incidents.column_totals, COLOURS["incidents"]),
        ):
            values, text = _plot_values(shown)
            traces.append(
                self.go.Scatter(
                    x=labels,
                    y=values,
                    text=text,
                    mode="lines+markers",
                    name=self.t(name),
                    line={"color": colour},
                    hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>",
                )
            )
        figure = self.go.Figure(traces)
        layout = _layout(self.t(CHART_TITLES["monthly"]))
        layout["yaxis"] = {"title": {"text": self.t(N_("Records"))}, "rangemode": "tozero"}
        layout["xaxis"] = {"title": {"text": self.t(N_("Month"))}, "type": "category"}
        figure.update_layout(layout)
        return figure.to_plotly_json()

    def incidents(self, grid: tables.Grid) -> dict:
        labels = {code: self.t(label) for code, label in INCIDENT_CATEGORIES}
        values, text = _plot_values(grid.row_totals)
        figure = self.go.Figure(
            self.go.Bar(
                x=values,
                y=_marked([labels[c] for c in tables.CATEGORY_CODES], grid.row_totals),
                orientation="h",
                text=text,
                textposition="auto",
                marker_color=COLOURS["incidents"],
                name=self.t(N_("Incidents")),
            )
        )
        layout = _layout(self.t(CHART_TITLES["incidents"]), height=460)
        layout["yaxis"] = {"autorange": "reversed", "automargin": True}
        layout["xaxis"] = {"title": {"text": self.t(N_("Incidents"))}, "rangemode": "tozero"}
        figure.update_layout(layout)
        return figure.to_plotly_json()

    def drivers(self, matrix: dict[str, dict[str, q.DriverCell]]) -> dict:
        regions, means, _changes, _n = tables.driver_tables(matrix, self.rules)
        names = q.region_names(self.session)
        labels = [self.t(label) for _code, label in DRIVERS]
        figure = self.go.Figure(
            self.go.Heatmap(
                z=means,
                x=labels,
                y=[names.get(r, r) for r in regions],
                zmin=0.0,
                zmax=3.0,
                colorscale=HEATMAP_SCALE,
                colorbar={"title": {"text": self.t(N_("Mean rating"))}, "thickness": 12},
                hoverongaps=False,
                hovertemplate="%{y}<br>%{x}: %{z:.2f}<extra></extra>",
            )
        )
        layout = _layout(self.t(CHART_TITLES["drivers"]), height=max(380, 120 + 28 * len(regions)))
        layout["xaxis"] = {"tickangle": -40, "automargin": True}
        layout["yaxis"] = {"automargin": True, "autorange": "reversed"}
        layout["margin"] = {"l": 16, "r": 16, "t": 48, "b": 16}
        figure.update_layout(layout)
        return figure.to_plotly_json()

    def coverage(self, rows: list[q.CoverageRow]) -> dict:
        reached = [tables.coverage_reached(r.reached, r.reached_key, r.communities, self.rules) for r in rows]
        hidden = [self.suppress and is_small(n, self.threshold) for n in reached]
        mark = small_mark(self.threshold)
        shares = [n / r.communities if r.communities else 0.0 for n, r in zip(reached, rows, strict=True)]
        values = [None if h else round(100 * share, 1) for share, h in zip(shares, hidden, strict=True)]
        text = [
            f"{mark} / {r.communities}"
            if h
            else f"{format_percent(share, locale=self.locale)} ({n} / {r.communities})"
            for r, n, share, h in zip(rows, reached, shares, hidden, strict=True)
        ]
        figure = self.go.Figure(
            self.go.Bar(
                x=[
                    f"{r.name} ({small_mark(self.threshold)})" if h else r.name
                    for r, h in zip(rows, hidden, strict=True)
                ],
                y=values,
                text=text,
                textposition="auto",
                marker_color=COLOURS["activities"],
                name=self.t(N_("Communities reached")),
                hovertemplate="%{x}: %{text}<extra></extra>",
            )
        )
        layout = _layout(self.t(CHART_TITLES["coverage"]))
        layout["yaxis"] = {"title": {"text": self.t(N_("Share of communities, %"))}, "range": [0, 100]}
        layout["xaxis"] = {"tickangle": -30, "automargin": True}
        figure.update_layout(layout)
        return figure.to_plotly_json()


def build_dashboard(
    session: Session,
    filters: ReportFilters,
    *,
    gettext: Gettext,
    locale: str = "en",
    threshold: int = 5,
) -> Dashboard:
    """The dashboard's figures and headline numbers for ``filters``."""
    return ChartBuilder(session, filters, gettext=gettext, locale=locale, threshold=threshold).build()
