"""The installable app without a connection, on a 360 px phone: entries saved offline wait in the
outbox, survive a reload, arrive once when the connection returns, and a refused one is fixed."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.models import Activity, DriverAssessment, Incident
from tests import factories

from .axe import axe_violations
from .conftest import SIZES, sign_in

PHONE = SIZES["phone"]
COMMUNITY = "Kashgar-Kyshtak"
DAY = (date.today() - timedelta(days=2)).isoformat()


@pytest.fixture
def phone(page, server, volunteer):
    """Signed in on a phone, with the forms and the outbox kept on the device."""
    page.set_viewport_size(PHONE)
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=15000)
    return page


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def tap_and_type(page, selector: str, text: str) -> None:
    page.locator(selector).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def rows(page):
    return page.locator("[data-outbox-entry]")


def states(page):
    """Each outbox row's state, in words."""
    return page.locator("[data-outbox-entry] .outbox-state")


def record_activity(page, server, outcome: str = "Agreed a monthly youth round table.") -> None:
    page.goto(f"{server}/activities/new")
    page.locator("#date").fill(DAY)  # a date box takes typing in the browser's own order
    page.locator("#community").select_option(label=COMMUNITY)
    page.locator("#activity_type_code").select_option("dialogue")
    page.get_by_label("Youth, especially non-elite").click()
    tap_and_type(page, "#f_18_29", "7")
    tap_and_type(page, "#outcome", outcome)
    page.locator("#submit").click()


def record_incident(page, server) -> None:
    page.goto(f"{server}/incidents/new")
    page.locator("#date").fill(DAY)
    page.locator("#community").select_option(label=COMMUNITY)
    page.locator("#category_code").select_option("interethnic_incident")
    page.locator("#severity").get_by_label("Medium").click()
    page.locator("#response").get_by_label("Mediation", exact=False).first.click()
    tap_and_type(page, "#m_18_29", "3")
    tap_and_type(page, "#description", "A dispute at the market; elders mediated.")
    page.locator("#save_draft").click()


def record_assessment(page, server) -> None:
    page.goto(f"{server}/assessments/new")
    page.locator("#date").fill(DAY)
    page.locator("#community").select_option(label=COMMUNITY)
    page.locator("#concerns-justice > summary").click()
    row = page.locator("#rating_injustice")
    row.get_by_label("Medium").click()
    row.get_by_label("Going up").click()
    page.locator("#submit").click()


def test_three_entries_saved_offline_survive_a_reload_and_arrive_once(phone, server, db, screenshot):
    page = phone
    page.context.set_offline(True)

    record_activity(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    expect(
        page.get_by_text("Kept on this device. It will be sent when the connection returns.").first
    ).to_be_visible()
    record_incident(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    record_assessment(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    expect(rows(page)).to_have_count(3)

    page.reload()  # still offline: the page and the entries come from the device
    expect(rows(page)).to_have_count(3)
    expect(states(page)).to_have_text(["Waiting to be sent"] * 3)
    expect(page.locator("[data-connection]")).to_contain_text("No connection")
    screenshot("outbox-waiting-phone")
    assert (count(db, Activity), count(db, Incident), count(db, DriverAssessment)) == (0, 0, 0)

    page.context.set_offline(False)  # the browser says "online": the outbox sends by itself
    expect(states(page)).to_have_text(["Arrived"] * 3, timeout=15000)
    assert (count(db, Activity), count(db, Incident), count(db, DriverAssessment)) == (1, 1, 1)
    screenshot("outbox-arrived-phone")

    page.get_by_role("button", name="Sync now").click()  # a second sync sends nothing again
    expect(page.locator("[data-outbox-notice]")).to_have_text("Everything waiting was sent.")
    assert (count(db, Activity), count(db, Incident), count(db, DriverAssessment)) == (1, 1, 1)
    stored = db.session.scalars(select(Activity)).one()
    assert (stored.f_18_29, stored.outcome) == (7, "Agreed a monthly youth round table.")


def test_a_page_not_kept_shows_the_outbox_without_a_connection(phone, server, db):
    """A list is never kept on the device: offline, the outbox stands in for it and says so.
    (The test ends there: in headless Chromium, a navigation away from this stand-in page while
    still offline now and then never finished loading; see the issue note.)"""
    page = phone
    page.context.set_offline(True)
    record_activity(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    page.goto(f"{server}/activities")
    expect(page.locator("[data-outbox-notice]")).to_contain_text("this page is not kept on this device")
    expect(rows(page)).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile("Outbox"))).to_have_attribute("href", "/outbox")


def test_an_answer_lost_on_the_way_back_gives_no_second_record(phone, server, db):
    page = phone
    puts = []

    def drop_the_first_answer(route):
        if route.request.method != "PUT":
            route.continue_()
            return
        puts.append(route.request.url)
        if len(puts) == 1:
            route.fetch()  # the server stores the entry...
            route.abort()  # ...and the answer never reaches the tablet
        else:
            route.continue_()

    page.route(re.compile(r"/api/v1/activities/"), drop_the_first_answer)
    record_activity(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    assert count(db, Activity) == 1  # stored, though the tablet does not know it
    expect(rows(page)).to_have_count(1)

    page.get_by_role("button", name="Sync now").click()
    expect(states(page)).to_have_text(["Arrived"])
    assert len(puts) == 2 and puts[0] == puts[1]  # the same UUID sent again
    assert count(db, Activity) == 1


def test_a_refused_entry_keeps_its_message_is_fixed_and_arrives(phone, server, db, screenshot):
    page = phone
    page.context.set_offline(True)
    record_activity(page, server, outcome="Call Aigul on +996 555 123 456 for the list.")
    page.wait_for_url(re.compile(r"/outbox"))
    record_activity(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    page.context.set_offline(False)
    expect(states(page)).to_have_text(["Refused", "Arrived"], timeout=15000)
    refused = rows(page).first
    expect(refused.locator(".outbox-errors")).to_contain_text("Short outcome")
    expect(refused.locator(".outbox-errors")).to_contain_text("phone number")
    assert count(db, Activity) == 1

    page.context.set_offline(True)  # and one more, waiting: the three states side by side
    record_incident(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    expect(states(page)).to_have_text(["Refused", "Arrived", "Waiting to be sent"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot("outbox-three-states-phone")
    assert axe_violations(page) == []

    refused.get_by_role("link", name="Open and fix").click()  # offline: the kept form opens
    expect(page.locator("#outcome")).to_have_value("Call Aigul on +996 555 123 456 for the list.")
    expect(page.locator("#outcome-error")).to_contain_text("phone number")
    expect(page.locator("#outcome")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_contain_text("Short outcome")
    expect(page.locator("#f_18_29")).to_have_value("7")
    page.context.set_offline(False)
    tap_and_type(page, "#outcome", "Agreed to meet the list's families monthly.")
    page.locator("#submit").click()
    expect(page.get_by_text("Sent for review. Thank you.")).to_be_visible()
    page.goto(f"{server}/outbox")  # the waiting incident went too, once online
    expect(states(page)).to_have_text(["Arrived"] * 3, timeout=15000)
    assert (count(db, Activity), count(db, Incident)) == (2, 1)
    outcomes = sorted(db.session.scalars(select(Activity.outcome)))
    assert outcomes == ["Agreed a monthly youth round table.", "Agreed to meet the list's families monthly."]


def test_save_a_copy_downloads_what_waits_for_the_administrators_import(phone, server, volunteer, db):
    page = phone
    page.context.set_offline(True)
    record_activity(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Save a copy").click()
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (saved["format"], saved["version"]) == ("yntymak-outbox", 1)
    assert (saved["user"], saved["username"]) == (str(volunteer.uuid), volunteer.username)
    (entry,) = saved["entries"]
    assert entry["kind"] == "activities" and re.fullmatch(r"[0-9a-f-]{36}", entry["uuid"])
    body = entry["body"]
    assert (body["status"], body["community"] != "", body["f_18_29"]) == ("submitted", True, "7")
    assert body["target_groups"] == ["youth"] and body["outcome"] == "Agreed a monthly youth round table."
    assert not {"csrf_token", "record_uuid", "version", "submit", "save_draft"} & set(body)
    assert entry["saved_at"].endswith("Z") and saved["saved_at"] >= entry["saved_at"]


def test_discard_removes_a_refused_entry_on_purpose(phone, server, db):
    page = phone
    record_activity(page, server, outcome="Call +996 555 123 456")
    expect(page.locator("#outcome-error")).to_be_visible()
    page.goto(f"{server}/outbox")
    expect(states(page)).to_have_text(["Refused"])
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Discard").click()
    expect(rows(page)).to_have_count(1)  # not without saying yes
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Discard").click()
    expect(rows(page)).to_have_count(0)
    expect(page.locator("[data-outbox-notice]")).to_have_text("The entry was discarded.")
    assert count(db, Activity) == 0


def test_without_a_connection_the_form_still_checks_the_basic_rules(phone, server, db):
    page = phone
    page.context.set_offline(True)
    page.goto(f"{server}/incidents/new")
    page.locator("#community").select_option(label=COMMUNITY)
    tap_and_type(page, "#m_18_29", "three")
    page.locator("#submit").click()
    expect(page.locator(".error-summary")).to_contain_text("How serious")
    expect(page.locator("#severity-error")).to_contain_text("Fill this in before saving.")
    expect(page.locator("#category_code-error")).to_be_visible()
    expect(page.locator("#m_18_29-error")).to_contain_text("whole number")
    expect(page.locator("#m_18_29")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("async () => (await YntymakOutbox.list(document.body.dataset.user)).length") == 0

    page.locator("#category_code").select_option("interethnic_incident")
    page.locator("#severity").get_by_label("Medium").click()
    page.locator("#response").get_by_label("Mediation", exact=False).first.click()
    tap_and_type(page, "#m_18_29", "3")
    page.locator("#submit").click()
    page.wait_for_url(re.compile(r"/outbox"))
    expect(states(page)).to_have_text(["Waiting to be sent"])

    page.goto(f"{server}/assessments/new")  # nothing rated
    page.locator("#community").select_option(label=COMMUNITY)
    page.locator("#submit").click()
    expect(page.locator("#concerns-error")).to_contain_text("Rate at least one concern.")


def test_the_outbox_fits_a_phone_and_a_tablet(page, server, size, volunteer, db, screenshot):
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=15000)
    record_activity(page, server)
    expect(page.get_by_text("Sent for review. Thank you.")).to_be_visible()
    page.context.set_offline(True)
    record_activity(page, server, outcome="A second round table, with the imams.")
    page.wait_for_url(re.compile(r"/outbox"))
    expect(states(page)).to_have_text(["Arrived", "Waiting to be sent"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    small = page.locator("main button, main a.btn").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().height < 44).map(e => e.textContent)"
    )
    assert small == []
    assert axe_violations(page) == []
    screenshot(f"outbox-{size}")
