"""A volunteer on a tablet and on a small phone: sign in, record an activity, find it, see errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.models import Activity
from tests import factories

from .conftest import SIZES, sign_in

#: Controls that must be at least 44 px tall.
TARGETS = (
    "main button, main select, main .option, main input[type=text], main input[type=date], main textarea,"
    " main summary, main a.cancel-link"
)


def test_volunteer_records_an_activity_and_finds_it(page, server, size, volunteer, screenshot, db):
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    expect(page.get_by_role("heading", name="Community safety log")).to_be_visible()
    page.get_by_role("link", name="Record an activity").click()

    page.get_by_label("Date").fill("2025-03-14")
    page.get_by_label("Community").select_option(label="Kashgar-Kyshtak")
    page.get_by_label("Type of activity").select_option("dialogue")
    page.get_by_label("Youth, especially non-elite").check()
    page.get_by_label("Mothers and families").check()
    page.get_by_role("textbox", name="Female 18-29", exact=True).fill("7")
    page.get_by_role("textbox", name="Male 18-29", exact=True).fill("5")
    page.get_by_role("textbox", name="Male Under 18", exact=True).fill("3")
    expect(page.locator("[data-total]")).to_have_text("15")
    page.get_by_label("Short outcome").fill("Agreed a monthly youth round table.")
    screenshot(f"activity-form-filled-{size}")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("Sent for review")).to_be_visible()
    assert db.session.scalar(select(func.count(Activity.id))) == 1
    page.get_by_role("link", name="Activities", exact=True).click()
    expect(page.get_by_role("link", name="Community dialogue or round table")).to_be_visible()
    screenshot(f"activity-list-{size}")
    page.get_by_role("link", name="Community dialogue or round table").click()
    expect(page.locator("dl.details").get_by_text("Youth, especially non-elite")).to_be_visible()
    expect(page.locator("dl.details").get_by_text("Total: 15")).to_be_visible()


def test_validation_error_next_to_field_keeps_typed_values(page, server, size, volunteer, screenshot, db):
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    page.goto(f"{server}/activities/new")
    page.get_by_label("Date").fill("2025-03-14")
    page.get_by_label("Community").select_option(label="Kashgar-Kyshtak")
    page.get_by_label("Type of activity").select_option("training")
    page.get_by_label("Women", exact=True).check()
    page.get_by_role("textbox", name="Female 30-59", exact=True).fill("11")
    page.get_by_label("Partners").fill("Women's council")
    page.get_by_label("Short outcome").fill("Call Aigul on +996 555 123 456 for the list.")
    page.get_by_role("button", name="Save as draft").click()

    error = page.locator("#outcome-error")
    expect(error).to_contain_text("phone number")
    expect(page.get_by_label("Short outcome")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Short outcome")).to_have_value("Call Aigul on +996 555 123 456 for the list.")
    expect(page.get_by_label("Partners")).to_have_value("Women's council")
    expect(page.get_by_role("textbox", name="Female 30-59", exact=True)).to_have_value("11")
    expect(page.get_by_label("Women", exact=True)).to_be_checked()
    expect(page.get_by_label("Type of activity")).to_have_value("training")
    expect(page.locator("[data-total]")).to_have_text("11")
    screenshot(f"activity-form-error-{size}")
    assert db.session.scalar(select(func.count(Activity.id))) == 0


@pytest.mark.parametrize("kind", ["activities", "incidents", "assessments"])
def test_screenshot_of_each_form(page, server, size, volunteer, screenshot, kind):
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    response = page.goto(f"{server}/{kind}/new")
    assert response.status == 200
    # unfold every group and rate every concern, so that every control is on the screen
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    for row in page.locator("[data-driver-row]").all():
        row.locator(".rating-choices .option").nth(1).click()
    # every control is at least 44 px tall (touch targets), and nothing overflows sideways
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"]
    small = page.evaluate(
        """() => [...document.querySelectorAll(TARGETS)].filter(e => !e.closest('[hidden]'))
            .filter(e => e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))""".replace(
            "TARGETS", repr(TARGETS)
        )
    )
    assert small == []
    screenshot(f"form-{kind}-{size}")
    page.get_by_role("button", name="Submit for review").click()  # empty: errors next to fields
    screenshot(f"form-{kind}-{size}-errors-top", full_page=False)
