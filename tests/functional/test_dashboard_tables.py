"""Each dashboard chart's "Show as table": the same numbers as the chart, hidden ones as their mark
for donors (never the number), months the period does not count whole marked "(partial)", and
numbers written the viewer's way (no "5k")."""

from __future__ import annotations

import json
import re
from datetime import date

import lxml.html
import pytest
from flask_babel import force_locale, gettext

from reports.chart_text import partial_months, tick_positions, wrap
from reports.charts import CHART_TITLES, build_dashboard
from reports.filters import Audience, resolve_filters

from . import dashboard_data as data


def _page(make, db, login_as, role, query=data.QUERY):
    data.build(make, db)
    user = make.user(role)
    db.session.commit()
    response = login_as(user).get(f"/dashboard?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="dashboard-figures">(.*?)</script>', html, re.S)
    return lxml.html.fromstring(html), json.loads(found[1])


def _table(tree, name) -> dict[str, list[str]]:
    """The chart's table: {row label: [cells]}."""
    (table,) = tree.xpath(f'//figure[.//*[@id="chart-{name}"]]//table')
    return {
        row.xpath("string(th)").strip(): [td.text_content().strip() for td in row.xpath("td")]
        for row in table.xpath(".//tbody/tr")
    }


def _row(table: dict[str, list[str]], start: str) -> list[str]:
    (cells,) = [cells for label, cells in table.items() if label.startswith(start)]
    return cells


def test_every_chart_has_a_heading_and_a_table_and_no_role_img(make, db, login_as):
    tree, figures = _page(make, db, login_as, "coordinator")
    for name, title in CHART_TITLES.items():
        (figure,) = tree.xpath(f'//figure[.//*[@id="chart-{name}"]]')
        assert figure.xpath("string(.//figcaption/h2)").strip() == title
        assert figure.xpath(".//details/summary")
        assert figure.xpath(".//table/caption")[0].text_content().strip() == title
        assert _table(tree, name), name
        chart = figure.xpath(f'.//*[@id="chart-{name}"]')[0]
        assert chart.get("role") is None and chart.get("aria-hidden") == "true"
    assert not tree.xpath('//*[@role="img"]')
    assert set(figures) == set(CHART_TITLES)


def test_a_coordinator_table_has_the_exact_numbers(make, db, login_as):
    tree, figures = _page(make, db, login_as, "coordinator")
    recommendations = _table(tree, "recommendations")
    assert _row(recommendations, data.SMALL_RECOMMENDATION + " ") == [str(data.SMALL_RECOMMENDATION_EXACT)]
    assert _row(recommendations, "R6 ") == [str(data.R6_EXACT)]
    bars = figures["recommendations"]["data"][0]
    assert dict(zip(bars["y"], bars["x"], strict=True))["R6"] == data.R6_EXACT
    incidents = _table(tree, "incidents")
    assert _row(incidents, "Hate speech") == [str(data.SMALL_CATEGORY_EXACT)]


def test_a_donor_table_shows_the_mark_where_the_chart_hides_a_count_never_the_number(make, db, login_as):
    tree, figures = _page(make, db, login_as, "donor")
    recommendations = _table(tree, "recommendations")
    assert _row(recommendations, data.SMALL_RECOMMENDATION + " ") == ["<5"]
    bars = figures["recommendations"]["data"][0]
    by_label = dict(zip(bars["y"], bars["x"], strict=True))
    assert by_label[f"{data.SMALL_RECOMMENDATION} (<5)"] is None  # a gap, labelled with the mark
    # Every bar the donor sees is the number in the table, and a gap is a mark in it.
    for label, value in by_label.items():
        cells = _row(recommendations, label.split(" ")[0] + " ")
        assert cells == (["<5"] if value is None else [f"{value:,}"]), label
    assert _row(_table(tree, "incidents"), "Hate speech") == ["<5"]
    (row,) = tree.xpath('//figure[.//*[@id="chart-incidents"]]//tbody/tr[1]')
    assert str(data.SMALL_CATEGORY_EXACT) not in row.text_content()
    # No table cell of a donor holds a small count: only marks, zeros and counts of 5 or more.
    for name in CHART_TITLES:
        if name in ("drivers", "coverage"):  # means; and the communities of a region (not counts of records)
            continue
        for cells in _table(tree, name).values():
            for cell in cells:
                assert cell in ("<5", "*") or int(cell.replace(",", "")) in (0, *range(5, 10**6)), (
                    name,
                    cells,
                )


def test_a_donor_coverage_table_hides_a_small_number_of_communities(make, db, login_as):
    tree, figures = _page(make, db, login_as, "donor")
    coverage = _table(tree, "coverage")
    bars = figures["coverage"]["data"][0]
    for label, share in zip(bars["y"], bars["x"], strict=True):
        reached, _communities, shown_share = _row(coverage, label.split(" (")[0])
        if share is None:
            assert label.endswith("(<5)") and reached == "<5" and shown_share == ""
        else:
            assert shown_share == f"{share:g}"


@pytest.mark.parametrize("locale", ["ru", "ky", "tg"])
def test_numbers_are_written_the_locales_way_with_no_si_suffix(app, make, db, locale):
    data.build(make, db)
    with app.test_request_context(), force_locale(locale):
        filters = resolve_filters(db.session, audience=Audience.COORDINATOR, **data.PERIOD)
        dashboard = build_dashboard(db.session, filters, gettext=gettext, locale=locale)
    for name, figure in dashboard.figures.items():
        layout = figure["layout"]
        assert layout["separators"] == ",\u00a0", name
        for axis in ("xaxis", "yaxis"):
            if layout[axis].get("type") != "category":
                assert layout[axis]["tickformat"] == ",~f", (name, axis)
    assert "~s" not in json.dumps(dashboard.figures)
    participants = dashboard.tables["participants"]
    assert any("\u00a0" in cell for cell in participants.cells())  # thousands grouped: "1 234"
    means = [cell for cell in dashboard.tables["drivers"].cells() if cell]
    assert means and all("," in cell and "." not in cell for cell in means)  # "1,50"


def test_the_month_not_over_yet_is_marked_partial_not_drawn_as_a_drop(app, make, db):
    data.build(make, db)
    with app.test_request_context(), force_locale("en"):
        filters = resolve_filters(db.session, audience=Audience.COORDINATOR, **data.PERIOD)
        dashboard = build_dashboard(db.session, filters, gettext=gettext, today=date(2025, 6, 12))
    monthly = dashboard.figures["monthly"]
    solid, dotted = monthly["data"][0], monthly["data"][1]
    assert solid["y"][-1] is None and solid["y"][-2] is not None  # the solid line stops at May
    assert dotted["line"]["dash"] == "dot" and dotted["y"][-1] is not None and dotted["y"][0] is None
    assert dotted["showlegend"] is False
    assert monthly["data"][-1]["name"] == "Partial month"
    assert monthly["layout"]["xaxis"]["ticktext"][-1] == "Jun<br>2025<br>(partial)"
    rows = dict(dashboard.tables["monthly"].rows)
    assert "Jun 2025 (partial)" in rows and "May 2025" in rows
    assert rows["Jun 2025 (partial)"][0] == rows["Jun 2025 (partial)"][0].strip() != ""


def test_a_whole_past_period_has_no_partial_month(app, make, db):
    data.build(make, db)
    with app.test_request_context(), force_locale("en"):
        filters = resolve_filters(db.session, audience=Audience.COORDINATOR, **data.PERIOD)
        dashboard = build_dashboard(db.session, filters, gettext=gettext, today=date(2026, 1, 1))
    monthly = dashboard.figures["monthly"]
    assert len(monthly["data"]) == 2
    assert not any("(partial)" in label for label, _cells in dashboard.tables["monthly"].rows)


def test_partial_months_and_ticks():
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    assert partial_months(months, date(2025, 1, 15), date(2025, 12, 31), date(2026, 1, 1)) == {"2025-01"}
    assert partial_months(months, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31)) == set()
    assert partial_months(months, date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 30)) == {"2025-12"}
    assert tick_positions(12) == [1, 3, 5, 7, 9, 11] and tick_positions(3) == [0, 1, 2]
    assert wrap("Hate speech or extremist content online", 12, 2) == "Hate speech<br>or extremist…"
    assert wrap("Repression-or-abuse", 5, 3) == "Repression-or-abuse"  # never split inside a word


@pytest.mark.parametrize("audience", [Audience.DONOR, Audience.COORDINATOR])
def test_every_figure_is_one_plotly_accepts(app, make, db, audience):
    """The figures are written as plain JSON (fast); plotly.py's figure classes check them here."""
    from plotly import graph_objects as go

    data.build(make, db)
    with app.test_request_context(), force_locale("ru"):
        filters = resolve_filters(db.session, audience=audience, **data.PERIOD)
        dashboard = build_dashboard(
            db.session, filters, gettext=gettext, locale="ru", today=date(2025, 6, 12)
        )
    for name, figure in dashboard.figures.items():
        go.Figure(figure)  # raises ValueError on an unknown attribute or a wrong value
        assert {trace["type"] for trace in figure["data"]} <= {"bar", "scatter", "heatmap"}, name
