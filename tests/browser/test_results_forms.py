"""The forms that define programmes and indicators, in Chromium on a 360 px phone: nothing scrolls
sideways, errors show beside their field, a programme made through the form opens (issue 13)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Indicator, Measure, Programme, Region
from tests import factories

from .conftest import sign_in
from .test_results_page import NO_SIDEWAYS_SCROLL


def test_programme_and_indicator_forms_on_a_phone(page, server, make, db, screenshot):
    programme = Programme(
        code="P-FORMS", name="Safe villages of Osh", start_date=date(2025, 1, 1), end_date=date(2026, 12, 31)
    )
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    Indicator(
        programme=programme,
        code="1.1",
        name="Community dialogues and mediations held",
        measure=Measure.ACTIVITIES,
        filters={"activity_types": ["dialogue", "mediation"]},
    )
    db.session.add(programme)
    admin = make.user("admin")
    db.session.commit()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, server, admin.username, factories.PASSWORD)

    page.goto(f"{server}/results/new")
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == []
    screenshot("results-programme-form-360")
    page.locator("#code").fill("pve-phone")
    page.locator("#name").fill("Programme made on a phone")
    page.locator("#start_date").fill("2025-01-01")
    page.locator("#end_date").fill("2025-12-31")
    region = page.locator("input[name=regions][value=KG-O]")
    region.locator("xpath=ancestor::details").locator("summary").click()
    region.check()
    expect(region.locator("xpath=ancestor::details").locator("[data-chosen-count]")).to_have_text("Chosen: 1")
    page.get_by_role("button", name="Save the programme").click()
    expect(page.get_by_role("heading", name="Programme made on a phone")).to_be_visible()

    page.goto(f"{server}/results/P-FORMS/indicators/1.1/edit")
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == []
    screenshot("results-indicator-form-360")
    page.locator("#baseline_value").fill("-3")
    page.locator("details", has=page.locator("input[value=online_content]")).locator("summary").click()
    page.locator("input[value=online_content]").check()
    page.get_by_role("button", name="Save the indicator").click()
    expect(page.locator("#baseline_value-error")).to_contain_text("The figure cannot be negative.")
    expect(page.locator("#only_categories-error")).to_contain_text("does not use this filter")
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == []
    screenshot("results-indicator-form-errors-360")
    assert errors == []
