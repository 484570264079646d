"""The outbox across sessions and people on a shared tablet (360 px): an ended session keeps it,
sign-out warns while entries wait and clears the kept pages when none do, another user sees only
their own, an entry changed on the server meanwhile shows both versions, a closed database reopens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Activity
from app.vocabulary import Status
from tests import factories

from .conftest import sign_in
from .test_offline import PHONE, count, record_activity, rows, tap_and_type

#: What IndexedDB and Cache Storage hold, read without the app's scripts (the sign-in page has none).
DEVICE = """async () => {
  const names = await caches.keys();
  const db = await new Promise((ok, fail) => {
    const open = indexedDB.open("yntymak", 1);
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
  });
  const entries = await new Promise((ok) => {
    const all = db.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => ok(all.result.map((e) => ({ user: e.user, state: e.state })));
  });
  db.close();
  let meta = null;
  if (names.includes("yntymak-pages")) {
    const hit = await (await caches.open("yntymak-pages")).match("/offline-meta.json");
    meta = hit ? await hit.json() : null;
  }
  return { caches: names, entries, pagesUser: meta && meta.user };
}"""


@pytest.fixture
def people(make, db):
    organisation = make.organisation("KG-O-KSU")
    people = {
        "aigul": make.user("volunteer", organisation=organisation),
        "bakyt": make.user("volunteer", organisation=organisation),
    }
    db.session.commit()
    return people


def signed_in(page, server, user) -> None:
    sign_in(page, server, user.username, factories.PASSWORD)
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=15000)


def state_texts(page):
    return page.locator("[data-outbox-entry] .outbox-state")


def test_an_ended_session_keeps_the_outbox_and_sending_resumes_after_sign_in(page, server, people, db):
    page.set_viewport_size(PHONE)
    signed_in(page, server, people["aigul"])
    page.context.set_offline(True)
    record_activity(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    page.context.clear_cookies()  # the session ends while the tablet is away
    page.context.set_offline(False)
    expect(page.locator("[data-connection]")).to_contain_text("Your session has ended")
    expect(state_texts(page)).to_have_text(["Waiting to be sent"])
    assert count(db, Activity) == 0

    page.locator("[data-connection]").get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").click()
    page.keyboard.type(people["aigul"].username)
    page.get_by_label("Password").click()
    page.keyboard.type(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/outbox"))
    expect(state_texts(page)).to_have_text(["Arrived"], timeout=15000)
    assert count(db, Activity) == 1


def test_sign_out_warns_while_entries_wait_and_another_user_sees_none_of_them(page, server, people, db):
    page.set_viewport_size(PHONE)
    aigul, bakyt = people["aigul"], people["bakyt"]
    signed_in(page, server, aigul)
    record_activity(page, server, outcome="Call +996 555 123 456")  # refused: it stays
    expect(page.locator("#outcome-error")).to_be_visible()

    asked = []
    page.once("dialog", lambda dialog: asked.append(dialog.message) or dialog.dismiss())
    page.get_by_role("button", name="Sign out").click()
    for _ in range(50):  # the question comes once the outbox has been read
        if asked:
            break
        page.wait_for_timeout(100)
    assert len(asked) == 1 and "Entries still waiting on this device: 1" in asked[0]
    page.wait_for_timeout(300)
    assert "/login" not in page.url  # "Cancel": still signed in
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    device = page.evaluate(DEVICE)
    assert device["entries"] == [{"user": str(aigul.uuid), "state": "refused"}]  # kept for Aigul

    signed_in(page, server, bakyt)
    page.goto(f"{server}/outbox")
    expect(page.locator("[data-outbox-empty]")).to_be_visible()
    expect(rows(page)).to_have_count(0)
    device = page.evaluate(DEVICE)
    assert device["pagesUser"] == str(bakyt.uuid)  # Aigul's kept pages were replaced
    questions = []
    page.on("dialog", lambda dialog: questions.append(dialog.message) or dialog.accept())
    page.get_by_role("button", name="Sign out").click()  # nothing of Bakyt's waits: no question
    page.wait_for_url(re.compile(r"/login"))
    device = page.evaluate(DEVICE)
    assert "yntymak-pages" not in device["caches"]
    assert questions == []
    assert count(db, Activity) == 0


def test_sign_out_with_nothing_waiting_clears_the_pages_and_arrived_entries(page, server, people, db):
    page.set_viewport_size(PHONE)
    signed_in(page, server, people["aigul"])
    record_activity(page, server)
    expect(page.get_by_text("Sent for review. Thank you.")).to_be_visible()
    assert page.evaluate(DEVICE)["entries"] == [{"user": str(people["aigul"].uuid), "state": "arrived"}]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    device = page.evaluate(DEVICE)
    assert device["entries"] == [] and "yntymak-pages" not in device["caches"]


def edit_offline_while_the_server_changes(page, server, author, make, db, mine: str, theirs: str) -> None:
    """The author edits a draft offline (it waits in the outbox); meanwhile the record changes
    on the server; then the connection returns."""
    record = make.activity(author, status=Status.DRAFT, outcome="Met the youth council.")
    db.session.commit()
    page.set_viewport_size(PHONE)
    signed_in(page, server, author)
    page.goto(f"{server}/activities/{record.uuid}/edit")
    page.context.set_offline(True)
    tap_and_type(page, "#outcome", mine)
    page.locator("#save_draft").click()
    page.wait_for_url(re.compile(r"/outbox"))
    expect(state_texts(page)).to_have_text(["Waiting to be sent"])
    stored = db.session.get(Activity, record.id)
    stored.outcome, stored.version = theirs, stored.version + 1
    db.session.commit()
    page.context.set_offline(False)


def test_a_change_made_on_the_server_meanwhile_shows_both_and_keep_mine_wins(
    page, server, people, make, db, screenshot
):
    edit_offline_while_the_server_changes(
        page,
        server,
        people["aigul"],
        make,
        db,
        "Met the youth council and the imam.",
        "Met the youth council (corrected).",
    )
    expect(state_texts(page)).to_have_text(["Changed on the server"], timeout=15000)
    compare = rows(page).first.locator(".compare-row")
    expect(compare).to_have_count(1)
    expect(compare).to_contain_text("Short outcome")
    expect(compare.locator(".compare-mine")).to_contain_text("Met the youth council and the imam.")
    expect(compare.locator(".compare-server")).to_contain_text("Met the youth council (corrected).")
    screenshot("outbox-conflict-phone")

    rows(page).first.get_by_role("button", name="Keep mine").click()
    expect(state_texts(page)).to_have_text(["Arrived"], timeout=15000)
    db.session.expire_all()
    assert db.session.scalars(select(Activity.outcome)).all() == ["Met the youth council and the imam."]


def test_take_the_servers_version_removes_mine(page, server, people, make, db):
    edit_offline_while_the_server_changes(page, server, people["aigul"], make, db, "Mine.", "Theirs.")
    expect(state_texts(page)).to_have_text(["Changed on the server"], timeout=15000)
    rows(page).first.get_by_role("button", name="Take the server's").click()
    expect(rows(page)).to_have_count(0)
    db.session.expire_all()
    assert db.session.scalars(select(Activity.outcome)).all() == ["Theirs."]


def test_a_database_the_browser_closed_is_opened_again(page, server, people, db):
    page.set_viewport_size(PHONE)
    signed_in(page, server, people["aigul"])
    page.goto(f"{server}/activities/new")
    page.evaluate("async () => (await window.YntymakOutbox.db()).close()")  # as iOS does in the background
    page.context.set_offline(True)
    record_activity(page, server)
    page.wait_for_url(re.compile(r"/outbox"))
    expect(state_texts(page)).to_have_text(["Waiting to be sent"])
    page.evaluate("async () => (await window.YntymakOutbox.db()).close()")
    page.context.set_offline(False)
    expect(state_texts(page)).to_have_text(["Arrived"], timeout=15000)
    assert count(db, Activity) == 1
