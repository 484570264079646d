"""The dashboard on a 360 px phone and a 768 px tablet, for a donor and a coordinator: every chart
draws (an SVG in each, when scrolled to), nothing scrolls sideways but the heatmap inside its card, no console
error, no axe violation (tables open or not), and a donor's "Show as table" shows "<5" where the
chart leaves a gap."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.functional import dashboard_data

from .axe import axe_violations
from .conftest import sign_in

CHARTS = ("recommendations", "participants", "monthly", "incidents", "drivers", "coverage")


def _open(page, server, make, db, role, width):
    dashboard_data.build(make, db)
    user = make.user(role)
    db.session.commit()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, server, user.username, factories.PASSWORD)
    errors.clear()  # the sign-in page is judged by its own tests
    page.goto(f"{server}/dashboard?{dashboard_data.QUERY}")
    for name in CHARTS:
        page.locator(f"#chart-{name}").scroll_into_view_if_needed()  # drawn when near the screen
        expect(page.locator(f"#chart-{name} svg.main-svg").first).to_be_attached(timeout=15_000)
    # The bundle has the trace types the charts need: bars and a heatmap, not scatter stand-ins.
    expect(page.locator("#chart-recommendations g.bars path").first).to_be_attached()
    expect(page.locator("#chart-drivers g.hm image")).to_have_count(1)
    expect(page.locator("#chart-monthly g.scatterlayer path.js-line").first).to_be_attached()
    return errors


@pytest.mark.parametrize("width", [360, 768])
@pytest.mark.parametrize("role", ["donor", "coordinator"])
def test_every_chart_draws_with_no_error_no_axe_violation_no_sideways_scroll(
    page, server, make, db, screenshot, role, width
):
    errors = _open(page, server, make, db, role, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for name in CHARTS:
        card = page.locator(f"figure:has(#chart-{name})")
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
        expect(card.get_by_role("heading", level=2)).to_be_visible()
        # No role="img" around the drawing (Plotly's own elements inside it), and no mode bar.
        assert page.locator(f"#chart-{name}").get_attribute("role") is None
        assert page.locator(f"#chart-{name} .modebar").count() == 0
    assert axe_violations(page) == []
    for summary in page.locator("details.chart-table > summary").all():
        summary.click()
    expect(page.locator("details.chart-table[open]")).to_have_count(len(CHARTS))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    screenshot(f"dashboard-phone-{role}-{width}")
    assert errors == []


def test_the_heatmap_scrolls_inside_its_card_on_a_phone(page, server, make, db):
    _open(page, server, make, db, "donor", 360)
    frame = page.locator("figure:has(#chart-drivers) [data-chart-frame]")
    sizes = frame.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1]  # wider than the card: every region keeps a readable column
    expect(frame).to_have_attribute("tabindex", "0")  # and a keyboard can scroll it
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    rows = page.locator("#chart-drivers g.yaxislayer-above g.ytick").count()
    assert rows == 16  # every driver is a row


def test_a_donor_table_shows_the_mark_where_the_chart_hides_a_count(page, server, make, db):
    _open(page, server, make, db, "donor", 360)
    card = page.locator("figure:has(#chart-recommendations)")
    card.locator("summary").click()
    row = card.locator("tbody tr", has=page.locator("th", has_text=dashboard_data.SMALL_RECOMMENDATION))
    expect(row.locator("td")).to_have_text(["<5"])
    gap = page.evaluate(
        "code => { const t = document.getElementById('chart-recommendations').data[0];"
        " return t.x[t.y.findIndex(y => y.startsWith(code + ' '))]; }",
        dashboard_data.SMALL_RECOMMENDATION,
    )
    assert gap is None
    incidents = page.locator("figure:has(#chart-incidents)")
    incidents.locator("summary").click()
    expect(incidents.locator("tbody tr").first.locator("td")).to_have_text(["<5"])


def test_charts_below_the_screen_wait_until_scrolled_to(page, server, make, db):
    dashboard_data.build(make, db)
    user = make.user("donor")
    db.session.commit()
    page.set_viewport_size({"width": 360, "height": 640})
    sign_in(page, server, user.username, factories.PASSWORD)
    page.goto(f"{server}/dashboard?{dashboard_data.QUERY}")
    page.wait_for_load_state("networkidle")
    assert page.locator("#chart-coverage svg.main-svg").count() == 0  # far below: not drawn yet
    page.locator("#chart-coverage").scroll_into_view_if_needed()
    expect(page.locator("#chart-coverage svg.main-svg").first).to_be_attached(timeout=15_000)
