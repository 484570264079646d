"""The activity form, a list and the dashboard in Kyrgyz, Tajik and Uzbek Cyrillic on a phone:
the page says its language, places are named in it, nothing scrolls sideways (issue 12)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Community
from tests import factories
from tests.functional import report_data

from .conftest import sign_in

LANGUAGES = {"ky": "ky", "tg": "tg", "uz_Cyrl": "uz-Cyrl"}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_pages_in_the_readers_language_on_a_phone(page, server, make, db, screenshot, language):
    report_data.build(make, db)
    volunteer = make.user("volunteer", locale=language)
    coordinator = make.user("coordinator", region="KG-O", locale=language)
    db.session.commit()
    home = db.session.scalar(select(Community).where(Community.code == "KG-O-KSU-02"))
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in(page, server, volunteer.username, factories.PASSWORD)
    page.goto(f"{server}/activities/new")
    assert page.get_attribute("html", "lang") == LANGUAGES[language]
    picker = page.locator("#community")
    expect(picker.locator("option", has_text=home.names[language])).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(f"lang-{language}-activity-form-360")
    page.goto(f"{server}/activities")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(f"lang-{language}-activities-360")
    page.context.clear_cookies()  # the coordinator next, on the same phone

    sign_in(page, server, coordinator.username, factories.PASSWORD)
    page.goto(f"{server}/dashboard?from=2025-01-01&to=2025-06-30")
    for chart in page.locator("[data-chart]").all():
        chart.scroll_into_view_if_needed()  # each chart is drawn when it comes near the screen
        expect(chart.locator("svg.main-svg").first).to_be_attached(timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(f"lang-{language}-dashboard-360")
