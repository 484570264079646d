"""The dashboard in Chromium on a tablet: every chart draws (an SVG in each), no console errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.functional import report_data

from .conftest import sign_in

CHARTS = ("recommendations", "participants", "monthly", "incidents", "drivers", "coverage")


@pytest.mark.parametrize(("role", "width"), [("donor", 768), ("coordinator", 768), ("coordinator", 360)])
def test_dashboard_renders_every_chart(page, server, make, db, screenshot, role, width):
    report_data.build(make, db)
    user = make.user(role)
    db.session.commit()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 1024})
    sign_in(page, server, user.username, factories.PASSWORD)
    errors.clear()  # the sign-in page is not ours to judge (e.g. its missing favicon)
    page.goto(f"{server}/dashboard?from=2025-01-01&to=2025-06-30")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    for name in CHARTS:
        chart = page.locator(f"#chart-{name}")
        chart.scroll_into_view_if_needed()  # each chart is drawn when it comes near the screen
        expect(chart.locator("svg.main-svg").first).to_be_attached(timeout=10_000)
        box = chart.bounding_box()
        assert box is not None and box["width"] <= width, (name, box)
    screenshot(f"dashboard-{role}-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.get_by_role("link", name="Download Excel")).to_have_attribute(
        "href",
        "/reports/export.xlsx?from=2025-01-01&to=2025-06-30&audience="
        + ("donor" if role == "donor" else "coordinator"),
    )
    assert errors == []


def test_bad_filter_shows_the_message_next_to_the_field(page, server, make, db):
    user = make.user("admin")
    db.session.commit()
    sign_in(page, server, user.username, factories.PASSWORD)
    response = page.goto(f"{server}/dashboard?from=2025-07-01&to=2025-01-01")
    assert response.status == 400
    expect(page.locator("#from-error")).to_contain_text("The start date is after the end date.")
