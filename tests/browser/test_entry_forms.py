"""The entry forms as a volunteer uses them on a 360 px phone: count boxes, assessments, recommendations
ticked for them, the save bar, leaving the page, the draft kept on the device, and no JavaScript."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Activity, DriverAssessment
from reports.filters import Audience, ReportFilters
from reports.queries import driver_matrix
from tests import factories

from .conftest import SIZES, sign_in

PHONE = SIZES["phone"]
COMMUNITY = "Kashgar-Kyshtak"


@pytest.fixture
def phone(page, server, volunteer):
    page.set_viewport_size(PHONE)
    sign_in(page, server, volunteer.username, factories.PASSWORD)
    return page


def _stored(db, model):
    db.session.expire_all()
    return db.session.scalars(select(model)).all()


def _start_activity(page, server) -> None:
    page.goto(f"{server}/activities/new")
    page.locator("#community").select_option(label=COMMUNITY)
    page.locator("#activity_type_code").select_option("dialogue")
    page.get_by_label("Youth, especially non-elite").check()


# -- Count boxes ----------------------------------------------------------------------------------------


def test_typing_12_stores_12_wherever_the_tap_lands(phone, server, db):
    page = phone
    _start_activity(page, server)
    boxes = {
        "f_u18": {"x": 3, "y": 20},  # the left edge
        "f_18_29": {"x": -3, "y": 20},  # the right edge (from the box's width)
        "m_u18": {"x": -3, "y": 6},
        "m_18_29": {"x": 3, "y": 34},
    }
    for name, spot in boxes.items():
        box = page.locator(f"#{name}")
        expect(box).to_have_value("")
        expect(box).to_have_attribute("placeholder", "0")
        expect(box).to_have_attribute("inputmode", "numeric")
        width = box.bounding_box()["width"]
        position = {"x": spot["x"] if spot["x"] > 0 else width + spot["x"], "y": spot["y"]}
        box.click(position=position)
        page.keyboard.type("12")
        expect(box).to_have_value("12")
    expect(page.locator("[data-total]")).to_have_text("48")

    # a box that already holds a number: a tap selects it (focused or not), so typing replaces it
    box = page.locator("#m_60p")
    box.click()
    page.keyboard.type("5")
    page.locator("#outcome").click()
    box.click(position={"x": 3, "y": 20})
    page.keyboard.type("12")
    expect(box).to_have_value("12")
    box.click(position={"x": box.bounding_box()["width"] - 3, "y": 20})
    page.keyboard.type("12")
    expect(box).to_have_value("12")
    page.locator("#f_60p").click()
    page.keyboard.press("Tab")  # reached with the keyboard: selected too
    expect(box).to_be_focused()
    page.keyboard.type("12")
    expect(box).to_have_value("12")
    expect(page.locator("[data-total]")).to_have_text("60")

    page.locator("#outcome").fill("Agreed a monthly round table.")
    page.locator("#submit").click()
    expect(page.locator(".flash-success")).to_be_visible()
    (activity,) = _stored(db, Activity)
    assert (activity.f_u18, activity.f_18_29, activity.m_u18, activity.m_18_29, activity.m_60p) == (12,) * 5
    assert (activity.f_30_59, activity.f_60p, activity.m_30_59) == (0, 0, 0)  # left empty
    assert activity.people_total == 60


# -- Assessments ----------------------------------------------------------------------------------------


def test_untouched_assessment_refused_and_not_assessed_left_out(phone, server, db):
    page = phone
    page.goto(f"{server}/assessments/new")
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    expect(page.locator("[data-progress]")).to_have_text("0 of 16 rated")
    page.locator("#community").select_option(label=COMMUNITY)
    page.locator("#submit").click()

    expect(page.locator(".error-summary")).to_contain_text("Rate at least one concern.")
    expect(page.locator("#concerns-error")).to_be_visible()
    assert _stored(db, DriverAssessment) == []

    page.locator("#concerns-justice > summary").click()
    row = page.locator("#rating_injustice")
    expect(row.locator("[data-trend]")).to_be_hidden()  # the trend matters once rated
    row.get_by_label("Medium").check()
    expect(row.locator("[data-trend]")).to_be_visible()
    row.get_by_label("Going up").check()
    page.locator("#rating_discrimination").get_by_label("Not assessed").check()
    expect(page.locator("#rating_discrimination [data-trend]")).to_be_hidden()
    expect(page.locator("[data-progress]")).to_have_text("1 of 16 rated")
    expect(page.locator("#concerns-justice [data-group-progress]")).to_have_text("1 of 5 rated")
    page.locator("#submit").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".rating-progress")).to_have_text("1 of 16 rated")

    (assessment,) = _stored(db, DriverAssessment)
    assert [(r.driver_code, r.rating, r.trend.value) for r in assessment.ratings] == [("injustice", 2, "up")]
    filters = ReportFilters(date_from=date(2015, 1, 1), date_to=date.today(), audience=Audience.COORDINATOR)
    (cells,) = driver_matrix(db.session, filters).values()  # the one region assessed
    assert (cells["injustice"].mean, cells["injustice"].assessments) == (2.0, 1)
    assert (cells["discrimination"].mean, cells["discrimination"].assessments) == (None, 0)


def test_editing_shows_ratings_and_not_assessed(phone, server, volunteer, make, db):
    from app.vocabulary import Status

    assessment = make.assessment(volunteer, status=Status.DRAFT, ratings={"unemployment": 3})
    db.session.commit()
    page = phone
    page.goto(f"{server}/assessments/{assessment.uuid}/edit")
    expect(page.locator("[data-progress]")).to_have_text("1 of 16 rated")
    page.locator("#concerns-economy > summary").click()
    expect(page.locator("#rating_unemployment").get_by_label("High")).to_be_checked()
    expect(page.locator("#rating_corruption").get_by_label("Not assessed")).to_be_checked()


# -- Recommendations ticked from the type and the groups -----------------------------------------------


def test_recommendations_follow_the_type_and_groups_but_never_the_volunteers_choice(phone, server, db):
    page = phone
    page.goto(f"{server}/activities/new")
    page.locator("#community").select_option(label=COMMUNITY)
    recs = page.locator("#recommendations-group")
    summary = recs.locator("[data-chosen-count]")

    def ticked() -> list[str]:
        return recs.locator("input:checked").evaluate_all("boxes => boxes.map(b => b.value)")

    page.locator("#activity_type_code").select_option("research")
    assert ticked() == ["R14"]
    expect(summary).to_have_text("Chosen: 1")
    page.get_by_label("Imams and religious leaders", exact=True).check()
    assert ticked() == ["R7", "R14"]
    page.get_by_label("Imams and religious leaders", exact=True).uncheck()
    assert ticked() == ["R14"]

    recs.locator("summary").click()
    expect(recs.locator("[data-suggest-hint]")).to_be_visible()
    recs.get_by_label("R1:", exact=False).check()  # by hand
    page.get_by_label("Migrant workers and their families").check()
    assert ticked() == ["R1", "R8", "R14"]
    recs.get_by_label("R8:", exact=False).uncheck()  # the volunteer says no
    page.get_by_label("Women", exact=True).check()
    page.get_by_label("Migrant workers and their families").uncheck()
    page.get_by_label("Migrant workers and their families").check()
    assert ticked() == ["R1", "R6", "R14"]  # R8 stays off, R1 stays on

    page.locator("#activity_type_code").select_option("dialogue")
    assert ticked() == ["R1", "R4", "R6"]
    expect(summary).to_have_text("Chosen: 3")
    page.locator("#submit").click()
    expect(page.locator(".flash-success")).to_be_visible()
    (activity,) = _stored(db, Activity)
    assert [r.code for r in activity.recommendations] == ["R1", "R4", "R6"]
    assert [g.code for g in activity.target_groups] == ["women", "migrants"]


# -- Save bar -------------------------------------------------------------------------------------------


def test_the_save_bar_stays_in_reach_and_ends_below_the_last_field(phone, server):
    page = phone
    page.goto(f"{server}/activities/new")
    bar = page.locator(".save-bar")
    for y in (0, 700, 1400):
        page.evaluate(f"window.scrollTo(0, {y})")
        box = page.locator("#submit").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], y
        expect(page.locator("#save_draft")).to_be_in_viewport()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = page.locator("#follow_up").bounding_box()
    assert last["y"] + last["height"] <= bar.bounding_box()["y"]  # the bar covers no field


# -- Leaving the page and the draft kept on the device ---------------------------------------------------


def _kept(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('yntymak-draft:'))")


def test_leaving_asks_and_what_was_typed_is_offered_back(phone, server, db):
    page = phone
    _start_activity(page, server)
    record_uuid = page.locator("#record_uuid").input_value()
    page.locator("#f_18_29").click()
    page.keyboard.type("9")
    page.locator("#outcome").fill("Twelve mothers met the imam.")
    assert len(_kept(page)) == 1

    dialogs = []

    def answer(dialog, accept):
        dialogs.append(dialog.type)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.locator(".cancel-link").click()
    assert dialogs == ["confirm"]
    expect(page.locator("#outcome")).to_have_value("Twelve mothers met the imam.")

    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("link", name="Incidents", exact=True).click()  # leaving: the browser asks
    page.wait_for_url(f"{server}/incidents")
    assert dialogs == ["confirm", "beforeunload"]

    page.goto(f"{server}/activities/new")
    offer = page.locator("[data-draft-offer]")
    expect(offer).to_be_visible()
    expect(offer.get_by_role("heading")).to_have_text("Restore what you typed?")
    offer.get_by_role("button", name="Restore").click()
    expect(offer).to_be_hidden()
    expect(page.locator("#outcome")).to_have_value("Twelve mothers met the imam.")
    expect(page.locator("#f_18_29")).to_have_value("9")
    expect(page.locator("[data-total]")).to_have_text("9")
    expect(page.get_by_label("Youth, especially non-elite")).to_be_checked()
    expect(page.locator("#activity_type_code")).to_have_value("dialogue")
    expect(page.locator("#record_uuid")).to_have_value(record_uuid)  # a resend is still caught
    expect(page.locator("#recommendations-group [data-chosen-count]")).to_have_text("Chosen: 2")

    page.locator("#save_draft").click()
    expect(page.locator(".flash-success")).to_be_visible()
    (activity,) = _stored(db, Activity)
    assert str(activity.uuid) == record_uuid and activity.outcome == "Twelve mothers met the imam."
    assert _kept(page) == []  # saved: nothing kept on the device
    page.goto(f"{server}/activities/new")
    expect(page.locator("[data-draft-offer]")).to_be_hidden()


def test_cancel_confirmed_throws_the_draft_away_and_an_untouched_form_leaves_freely(phone, server):
    page = phone
    page.goto(f"{server}/incidents/new")
    page.get_by_role("link", name="Cancel").click()  # nothing typed: no question
    page.wait_for_url(f"{server}/incidents")
    page.goto(f"{server}/incidents/new")
    page.locator("#description").fill("A quarrel at the market.")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(f"{server}/incidents")
    assert _kept(page) == []
    page.goto(f"{server}/incidents/new")
    expect(page.locator("[data-draft-offer]")).to_be_hidden()


def test_a_refused_form_is_kept_and_discard_forgets_it(phone, server):
    page = phone
    _start_activity(page, server)
    page.locator("#outcome").fill("Call +996 555 123 456")
    page.locator("#save_draft").click()
    expect(page.locator("#outcome-error")).to_be_visible()
    assert len(_kept(page)) == 1  # the refused text is not saved yet
    page.goto(f"{server}/activities/new")
    offer = page.locator("[data-draft-offer]")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Discard it").click()
    expect(offer).to_be_hidden()
    assert _kept(page) == []


# -- Without JavaScript ---------------------------------------------------------------------------------


def test_everything_submits_without_javascript(browser, server, volunteer, db):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, server, volunteer.username, factories.PASSWORD)
        _start_activity(page, server)
        page.locator("#f_30_59").fill("4")
        page.locator("#recommendations-group > summary").click()  # <details> opens without script
        page.get_by_label("R6:", exact=False).check()
        page.locator("#submit").click()
        expect(page.locator(".flash-success")).to_be_visible()
        (activity,) = _stored(db, Activity)
        assert (activity.f_30_59, [r.code for r in activity.recommendations]) == (4, ["R6"])

        page.goto(f"{server}/assessments/new")
        page.locator("#community").select_option(label=COMMUNITY)
        page.locator("#concerns-community > summary").click()
        page.locator("#rating_belonging").get_by_label("Low").check()
        page.locator("#rating_belonging").get_by_label("About the same").check()
        page.locator("#submit").click()
        expect(page.locator(".flash-success")).to_be_visible()
        (assessment,) = _stored(db, DriverAssessment)
        assert [(r.driver_code, r.rating) for r in assessment.ratings] == [("belonging", 1)]
    finally:
        context.close()
