"""The look shared by the dashboard's charts: colours, axes and the base layout."""

from __future__ import annotations

import textwrap

from app.vocabulary import N_

from .chart_text import TICK_FORMAT, line_count, separators, tick_positions, wrap
from .suppression import Shown

COLOURS = {"activities": "#2f5d62", "incidents": "#c0392b", "female": "#8e44ad", "male": "#2980b9"}
PARTIAL_COLOUR = "#666666"
HEATMAP_SCALE = [[0.0, "#fff7ec"], [0.5, "#fc8d59"], [1.0, "#7f0000"]]
PARTIAL = N_("%(month)s (partial)")

#: Plotly never wraps a title: longer ones are broken into lines (the page shows the title as the
#: card's heading instead and draws the figure without it).
TITLE_WIDTH = 44
#: Characters per line of a category label beside a horizontal bar or a heatmap row.
LABEL_WIDTH = 22
#: The drivers heatmap: room for the row labels, and the narrowest column that stays readable.
HEATMAP_LABELS_PX, HEATMAP_COLUMN_PX = 170, 68


def trace(kind: str, **attributes: object) -> dict:
    """A plotly.js trace, written as the JSON the page draws (plotly.py's figure classes check
    every attribute, which made up most of the dashboard's time on the server; the tests check the
    figures with them instead: tests/functional/test_dashboard_tables.py)."""
    return {"type": kind, **attributes}


def plot(data: dict | list[dict], layout: dict) -> dict:
    """A figure: one trace or several, and its layout."""
    return {"data": data if isinstance(data, list) else [data], "layout": layout}


def marked(labels: list[str], shown: list[Shown]) -> list[str]:
    """Category labels, each hidden value's mark appended so that a gap still says why."""
    return [
        label if isinstance(v, int | float) else f"{label} ({v})"
        for label, v in zip(labels, shown, strict=True)
    ]


def count_axis(title: str, **extra: object) -> dict:
    return {
        "title": {"text": title},
        "rangemode": "tozero",
        "tickformat": TICK_FORMAT,
        "fixedrange": True,
        "automargin": True,
        **extra,
    }


def label_axis(labels: list[str], width: int = LABEL_WIDTH, max_lines: int = 3, **extra: object) -> dict:
    """A category axis whose categories are the full labels (hover shows them) and whose tick
    labels are the same wrapped into lines."""
    return {
        "type": "category",
        "tickmode": "array",
        "tickvals": labels,
        "ticktext": [wrap(label, width, max_lines) for label in labels],
        "tickangle": 0,
        "tickfont": {"size": 11},
        "automargin": True,
        "fixedrange": True,
        **extra,
    }


def horizontal_bars(colour: str) -> dict:
    """Bars along a category axis of labels, their numbers level (never turned on their side)."""
    return {"orientation": "h", "textposition": "auto", "textangle": 0, "marker": {"color": colour}}


def row_height(label: str, width: int = LABEL_WIDTH) -> int:
    """Pixels for one bar or heatmap row whose label is wrapped into up to three lines."""
    return 12 + 15 * line_count(wrap(label, width, 3))


def bar_height(labels: list[str], width: int = LABEL_WIDTH) -> int:
    """A horizontal bar chart tall enough for each bar's wrapped label."""
    return max(260, 140 + sum(row_height(label, width) for label in labels))


def base_layout(title: str, locale: str, **extra: object) -> dict:
    """What every chart's layout starts from."""
    lines = textwrap.wrap(title, TITLE_WIDTH, break_long_words=False, break_on_hyphens=False) or [title]
    return {
        "title": {"text": "<br>".join(lines), "font": {"size": 15}},
        "autosize": True,
        "height": 380,
        "margin": {"l": 16, "r": 16, "t": 30 + 18 * len(lines), "b": 16},
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom"},
        "separators": separators(locale),
        "dragmode": False,
        #: Drawn on the page below an HTML heading: no title, so a small top margin.
        "meta": {"page_margin_top": 8},
        **extra,
    }


def month_axis(title: str, names: list[str], labels: list[str]) -> dict:
    """Months as categories (``names``), at most six of them labelled with ``labels`` wrapped
    (a partial month's label says so), the last month always."""
    ticks = tick_positions(len(names))
    return {
        "title": {"text": title},
        "type": "category",
        "tickmode": "array",
        "tickvals": [names[i] for i in ticks],
        "ticktext": [wrap(labels[i], 6, 4) for i in ticks],
        "tickangle": 0,
        "automargin": True,
        "fixedrange": True,
    }


def partial_legend(name: str) -> dict:
    """A legend entry, and nothing drawn, for the dotted line and hollow marker of partial months."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "lines+markers",
        "name": name,
        "line": {"color": PARTIAL_COLOUR, "dash": "dot"},
        "marker": {"symbol": "circle-open", "color": PARTIAL_COLOUR, "size": 9},
        "hoverinfo": "skip",
    }


def heatmap_colorbar(title: str) -> dict:
    """A horizontal colour bar under the heatmap, so that the regions keep the width."""
    return {
        "title": {"text": title, "side": "top"},
        "orientation": "h",
        "thickness": 10,
        "lenmode": "pixels",
        "len": 240,
        "x": 0,
        "xanchor": "left",
        "y": -0.02,
        "yanchor": "top",
        "tickformat": TICK_FORMAT,
    }
