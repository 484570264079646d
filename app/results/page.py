"""What the results page shows: per indicator, its quarters as table rows and a Plotly figure.

Coordinators and administrators see the exact figures of :func:`reports.results.progress`;
donors the published ones (:func:`reports.results.published`: counts perturbed, small ones
shown as ``"<5"``), in the table and in the chart data alike, so the page never carries an exact
count to a donor. A quarter not begun yet shows its target and no actual (not a zero). Numbers
are formatted here, in the reader's locale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import format_decimal, format_percent, get_locale
from sqlalchemy.orm import Session

from reports.chart_layout import COLOURS, base_layout, count_axis, plot, trace
from reports.chart_text import TICK_FORMAT
from reports.notes import APPROVED_NOTE, PERTURBATION_NOTE
from reports.results import Publishing, QuarterRow, shown_progress
from reports.suppression import EXACT_NOTE, small_mark

from ..i18n import translate
from ..models import Direction, Indicator, Measure, Programme
from ..translate import gettext
from ..vocabulary import N_, RECOMMENDATIONS

#: What each measure counts, as the page names it.
MEASURE_LABELS: dict[Measure, str] = {
    Measure.ACTIVITIES: N_("Activities held"),
    Measure.PARTICIPANTS: N_("Participants"),
    Measure.NEW_PARTICIPANTS: N_("Participants taking part for the first time"),
    Measure.SHARE_WOMEN: N_("Share of women among participants"),
    Measure.SHARE_YOUTH: N_("Share of young people (under 30) among participants"),
    Measure.COMMUNITIES_REACHED: N_("Communities reached"),
    Measure.SHARE_COMMUNITIES_REACHED: N_("Share of the area's communities reached"),
    Measure.INCIDENTS: N_("Incidents recorded"),
    Measure.SHARE_INCIDENTS_RESPONDED: N_("Share of incidents with a response"),
    Measure.SHARE_INCIDENTS_RESOLVED: N_("Share of incidents resolved"),
    Measure.MEAN_RATING: N_("Mean rating of a driver (0 not observed – 3 high)"),
    Measure.MANUAL: N_("Survey result entered by a coordinator"),
}
DIRECTION_LABELS: dict[Direction, str] = {
    Direction.INCREASE: N_("Higher is better"),
    Direction.DECREASE: N_("Lower is better"),
}
RECOMMENDATION_LABELS = {code: label for code, label, _description in RECOMMENDATIONS}
#: How a donor's actuals are protected, beside the dashboard's own notes.
SMALL_NOTE = N_(
    "Counts from 1 to %(below)s are shown as %(mark)s, and so are a share of that few people, "
    "communities or incidents and a mean of that few ratings, so that no one can be singled out. "
    "Zero is shown."
)
#: A figure's height on the page, in pixels.
CHART_HEIGHT = 300

Shown = float | str | None


def disclosure_notes(*, donor: bool) -> list[str]:
    """How the page's actuals were protected (donors), or that they are exact (staff)."""
    if not donor:
        return [gettext(EXACT_NOTE)]
    table, threshold = current_app.config["CELL_KEY_TABLE"], current_app.config["SUPPRESSION_THRESHOLD"]
    return [
        gettext(APPROVED_NOTE),
        gettext(PERTURBATION_NOTE) % {"max": table.max_change},
        gettext(SMALL_NOTE) % {"below": threshold - 1, "mark": small_mark(threshold)},
    ]


def quarter_label(start: date) -> str:
    """``2025-01-01`` as "Q1 2025", in the reader's language."""
    return gettext("Q%(number)d %(year)d", number=(start.month - 1) // 3 + 1, year=start.year)


def shown(value: Shown) -> str:
    """A figure as text: a number in the reader's locale, a mark (``"<5"``) as it is, or a dash."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return format_decimal(value, format="#,##0.##")


def percent(value: float | None) -> str:
    """A share already in 0-100 as the locale writes a percentage, or a dash."""
    return "–" if value is None else format_percent(value / 100, format="#,##0.#%")


@dataclass(frozen=True)
class Row:
    """One quarter as the page shows it."""

    quarter: str
    target: str
    actual: str
    achieved: str
    cumulative: str


@dataclass
class IndicatorView:
    """One indicator with its rows and its figure."""

    indicator: Indicator
    measure: str
    direction: str
    baseline: str
    target_total: str
    recommendations: list[tuple[str, str]]
    rows: list[Row] = field(default_factory=list)
    figure: dict = field(default_factory=dict)

    @property
    def chart(self) -> str:
        """The figure's name in the page's JSON (and the element it is drawn in)."""
        return f"indicator-{self.indicator.id}"


def _ticks(rows: list[QuarterRow]) -> list[str]:
    """Short tick labels: "Q1" with the year under it when the year begins (or the axis does)."""
    ticks = []
    for index, row in enumerate(rows):
        short = gettext("Q%(number)d", number=(row.quarter.month - 1) // 3 + 1)
        ticks.append(f"{short}<br>{row.quarter.year}" if index == 0 or row.quarter.month == 1 else short)
    return ticks


def _figure(view: IndicatorView, rows: list[QuarterRow]) -> dict:
    labels = [quarter_label(row.quarter) for row in rows]
    actuals = [row.actual if isinstance(row.actual, int | float) else None for row in rows]
    layout = base_layout(
        view.indicator.local_name,
        str(get_locale()),
        height=CHART_HEIGHT,
        barmode="group",
        xaxis={
            "type": "category",
            "tickmode": "array",
            "tickvals": labels,
            "ticktext": _ticks(rows),  # ten quarters side by side on a phone
            "tickangle": 0,
            "automargin": True,
            "fixedrange": True,
        },
        yaxis=count_axis(view.indicator.unit, tickformat=TICK_FORMAT),
    )
    return plot(
        [
            trace(
                "bar",
                name=gettext("Target"),
                x=labels,
                y=[row.target for row in rows],
                marker={"color": "#9aa5b1"},
                hoverinfo="x+y+name",
            ),
            trace(
                "bar",
                name=gettext("Actual"),
                x=labels,
                y=actuals,
                text=[shown(row.actual) if row.actual is not None else "" for row in rows],
                textposition="outside",
                constraintext="none",  # never shrunk to a narrow bar's width
                textfont={"size": 10},
                cliponaxis=False,
                marker={"color": COLOURS["activities"]},
                hoverinfo="x+text+name",
            ),
            # A hidden actual is a gap in the bars: its mark ("<5") is written in the gap.
            trace(
                "scatter",
                mode="text",
                x=[label for label, row in zip(labels, rows, strict=True) if isinstance(row.actual, str)],
                y=[0 for row in rows if isinstance(row.actual, str)],
                text=[row.actual for row in rows if isinstance(row.actual, str)],
                textposition="top center",
                showlegend=False,
                hoverinfo="skip",
                textfont={"color": COLOURS["activities"]},
            ),
        ],
        layout,
    )


def indicator_views(
    session: Session, programme: Programme, *, donor: bool, today: date | None = None
) -> list[IndicatorView]:
    """Every indicator of the programme, its quarters exact (staff) or published (donors)."""
    table, threshold = current_app.config["CELL_KEY_TABLE"], current_app.config["SUPPRESSION_THRESHOLD"]
    today = today or date.today()
    views = []
    for indicator in programme.indicators:
        rows = shown_progress(
            session, indicator, today=today, donor=Publishing(table, threshold) if donor else None
        )
        view = IndicatorView(
            indicator=indicator,
            measure=gettext(MEASURE_LABELS[indicator.measure]),
            direction=gettext(DIRECTION_LABELS[indicator.direction]),
            baseline=shown(indicator.baseline_value),
            target_total=shown(indicator.target_total),
            recommendations=[
                (r.code, translate(RECOMMENDATION_LABELS.get(r.code, r.label)))
                for r in indicator.recommendations
            ],
        )
        view.rows = [
            Row(
                quarter_label(row.quarter),
                shown(row.target),
                shown(row.actual),
                percent(row.achieved),
                shown(row.cumulative),
            )
            for row in rows
        ]
        view.figure = _figure(view, rows)
        views.append(view)
    return views


def workbook_params(
    programme: Programme, *, donor: bool, readable: set[int], today: date | None = None
) -> list[tuple[str, dict]]:
    """The workbooks the programme page offers, as (label, query of ``/reports/export.xlsx``):
    the programme's period up to today, its area when it is one region or one country whose
    regions are all ``readable`` by the reader (else the reader's own area), and its Results
    framework sheet. Staff get a donor and a coordinator one."""
    today = today or date.today()
    params: dict = {
        "programme": programme.code,
        "from": programme.start_date.isoformat(),
        "to": min(programme.end_date, today).isoformat(),
    }
    if len(programme.regions) == 1 and not programme.countries:
        if programme.regions[0].id in readable:
            params["region"] = programme.regions[0].code
    elif (
        len(programme.countries) == 1
        and not programme.regions
        and {region.id for region in programme.countries[0].regions} <= readable
    ):
        params["country"] = programme.countries[0].code
    if donor:
        return [(N_("Download the workbook (Excel)"), params)]
    return [
        (N_("Donor workbook (Excel)"), {**params, "audience": "donor"}),
        (N_("Coordinator workbook, with the records (Excel)"), {**params, "audience": "coordinator"}),
    ]
