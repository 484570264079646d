"""Native Excel charts for the workbook, one for each dashboard chart, each drawn from a table.

openpyxl writes them into write-only sheets too (``add_chart`` before the sheet is closed). A
hidden donor number is an empty cell, which a chart draws as a gap, as the dashboard does.
The dashboard's heatmap has no Excel chart type: the Drivers table carries it as a colour scale,
and its chart shows the mean rating of all regions together.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.legend import Legend
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: The dashboard's colours (reports.charts.COLOURS), without the '#'.
ACTIVITIES, INCIDENTS, FEMALE, MALE = "2F5D62", "C0392B", "8E44AD", "2980B9"
DRIVERS = "E34A33"


def column_of(ws: WriteOnlyWorksheet, column: int, first_row: int, last_row: int) -> Reference:
    """Cells of one column, from ``first_row`` to ``last_row``."""
    return Reference(ws, min_col=column, min_row=first_row, max_row=last_row)


def row_of(ws: WriteOnlyWorksheet, row: int, first_column: int, last_column: int) -> Reference:
    """Cells of one row, from ``first_column`` to ``last_column``."""
    return Reference(ws, min_col=first_column, max_col=last_column, min_row=row, max_row=row)


def _axes(chart: BarChart | LineChart, value_title: str | None, category_title: str | None) -> None:
    # openpyxl 3.1 writes axes as deleted unless told otherwise: Excel would draw none.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = ChartLines()
    chart.y_axis.scaling.min = 0
    chart.y_axis.title = value_title
    chart.x_axis.title = category_title


def _style(chart: BarChart | LineChart, colours: Sequence[str]) -> None:
    for series, colour in zip(chart.series, colours, strict=False):
        if isinstance(chart, LineChart):
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            series.marker.symbol = "circle"
            series.marker.size = 6
            series.marker.graphicalProperties.solidFill = colour
            series.marker.graphicalProperties.line.solidFill = colour
            series.smooth = False
        else:
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour


def _legend(chart: BarChart | LineChart) -> None:
    if len(chart.series) < 2:
        chart.legend = None
    else:
        chart.legend = Legend()
        chart.legend.position = "b"


def horizontal_bars(
    *,
    title: str,
    value_title: str,
    values: Reference,
    labels: Reference,
    colour: str,
    from_rows: bool = False,
    max_value: float | None = None,
) -> BarChart:
    """One series of horizontal bars, the first label at the top, as in the table."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.add_data(values, from_rows=from_rows, titles_from_data=False)
    chart.set_categories(labels)
    chart.series[0].tx = SeriesLabel(v=value_title)
    _axes(chart, value_title, None)
    if max_value is not None:
        chart.y_axis.scaling.max = max_value
    chart.y_axis.number_format = "0.##" if max_value == 3 else "#,##0"
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"  # the value axis stays at the bottom once the labels are reversed
    chart.gapWidth = 40
    _style(chart, [colour])
    _legend(chart)
    count = max(labels.max_row - labels.min_row, labels.max_col - labels.min_col) + 1
    chart.width, chart.height = 22, max(7.5, 3 + 0.75 * count)  # room for every label
    return chart


def columns(
    *,
    title: str,
    value_title: str,
    category_title: str | None,
    values: Reference,
    labels: Reference,
    colours: Sequence[str],
    from_rows: bool = False,
    stacked: bool = False,
    max_value: float | None = None,
) -> BarChart:
    """Vertical columns, one series per column of ``values`` (or per row, ``from_rows``), each
    titled by its first cell."""
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.add_data(values, from_rows=from_rows, titles_from_data=True)
    chart.set_categories(labels)
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    chart.gapWidth = 60
    _axes(chart, value_title, category_title)
    if max_value is not None:
        chart.y_axis.scaling.max = max_value
    chart.y_axis.number_format = "#,##0"
    _style(chart, colours)
    _legend(chart)
    chart.width, chart.height = 20, 9
    return chart


def lines(
    *,
    title: str,
    value_title: str,
    category_title: str,
    values: Reference,
    labels: Reference,
    colours: Sequence[str],
) -> LineChart:
    """One line per column of ``values``, each titled by its first cell."""
    chart = LineChart()
    chart.title = title
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(labels)
    _axes(chart, value_title, category_title)
    chart.y_axis.number_format = "#,##0"
    _style(chart, colours)
    _legend(chart)
    chart.width, chart.height = 24, 10
    return chart
