"""Review in the browser on a phone and a tablet: submit, return with a comment, fix, resubmit, approve."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Activity, AuditEvent
from app.vocabulary import Status
from tests import factories

from .conftest import sign_in


@pytest.fixture
def people(make, db):
    org = make.organisation("KG-O-KSU")
    people = {"volunteer": make.user("volunteer", organisation=org), "coordinator": make.user("coordinator")}
    db.session.commit()
    return people


def _type_into(page, locator, text: str) -> None:
    """Tap the box, select what is there, and type, as a person does."""
    locator.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def _approved_on_dashboard(page, server) -> int:
    page.goto(f"{server}/dashboard")
    text = page.locator("[data-kpi=approved] .review-value").inner_text()
    return int(re.sub(r"\D", "", text) or 0)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_return_fix_resubmit_approve(page, server, size, people, screenshot, db):
    volunteer, coordinator = people["volunteer"], people["coordinator"]

    # The volunteer records an activity and sends it.
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    page.get_by_role("link", name="Record an activity").click()
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_label("Community").select_option(label="Kashgar-Kyshtak")
    page.get_by_label("Type of activity").select_option("dialogue")
    page.get_by_label("Youth, especially non-elite").click()
    _type_into(page, page.get_by_role("textbox", name="Female 18-29", exact=True), "7")
    _type_into(page, page.get_by_label("Short outcome"), "Agreed a monthly youth round table.")
    page.get_by_role("button", name="Submit for review").first.click()
    expect(page.get_by_text("Sent for review. Thank you.")).to_be_visible()
    _sign_out(page)

    # The coordinator finds it in the queue and returns it with a comment.
    sign_in(page, server, coordinator.username, factories.PASSWORD)
    approved_before = _approved_on_dashboard(page, server)
    page.goto(f"{server}/")
    page.get_by_role("link", name="Open the review queue").click()
    expect(page.get_by_text("1 entry waits for review")).to_be_visible()
    _no_sideways_scroll(page)
    screenshot(f"review-queue-{size}")
    page.get_by_role("link", name=re.compile("Community dialogue or round table")).click()
    page.get_by_text("Return for changes", exact=True).click()
    _type_into(page, page.get_by_label("What needs to change"), "Please add the men who took part.")
    page.get_by_role("button", name="Return to the volunteer").click()
    expect(page.get_by_text("Returned to the volunteer with your comment.")).to_be_visible()
    _sign_out(page)

    # The volunteer sees the comment on the home page, fixes the entry and sends it again.
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    expect(page.get_by_text("Please add the men who took part.")).to_be_visible()
    screenshot(f"volunteer-home-returned-{size}")
    page.get_by_role("link", name=re.compile("Fix and resubmit")).click()
    _type_into(page, page.get_by_role("textbox", name="Male 18-29", exact=True), "5")
    page.get_by_role("button", name="Submit for review").first.click()
    expect(page.get_by_text("Sent for review. Thank you.")).to_be_visible()
    _sign_out(page)

    # The coordinator approves it; the history shows who did what.
    sign_in(page, server, coordinator.username, factories.PASSWORD)
    page.goto(f"{server}/review")
    page.get_by_role("link", name=re.compile("Community dialogue or round table")).click()
    history = page.locator("section.history")
    expect(history.get_by_text("Returned for changes", exact=True)).to_be_visible()
    expect(history.get_by_text("Please add the men who took part.")).to_be_visible()
    expect(history.locator(".change-new").get_by_text("5", exact=True)).to_be_visible()
    _no_sideways_scroll(page)
    screenshot(f"review-detail-{size}")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved. It now counts in donor reports.")).to_be_visible()
    screenshot(f"review-detail-approved-{size}")
    assert _approved_on_dashboard(page, server) == approved_before + 1

    db.session.expire_all()
    stored = db.session.scalar(select(Activity))
    assert (stored.status, stored.f_18_29, stored.m_18_29) == (Status.APPROVED, 7, 5)
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_uuid == stored.uuid).order_by(AuditEvent.id)
        )
    ]
    assert actions == ["create", "return", "submit", "approve"]
