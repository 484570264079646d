"""What every entry form shares: count boxes, today's date, folded groups, recommendations ticked
from one mapping, the save bar, the local-draft hooks, and no inline script."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.models import Activity, Incident
from app.vocabulary import COUNT_CELLS, SUGGESTED_RECOMMENDATIONS, Status

from . import entry_data
from .conftest import count

KINDS = ("activities", "incidents", "assessments")


def _inputs(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)


# -- Count boxes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["activities", "incidents"])
def test_count_boxes_start_empty_with_a_placeholder(signed_in, kind, db):
    html = signed_in.get(f"/{kind}/new").get_data(as_text=True)
    for column, _sex, _band in COUNT_CELLS:
        (box,) = _inputs(html, column)
        assert 'value=""' in box and 'placeholder="0"' in box, box
        assert 'inputmode="numeric"' in box and 'type="text"' in box
    assert '<output data-total aria-live="polite">0</output>' in html


@pytest.mark.parametrize(
    ("raw", "stored"), [("", 0), ("0", 0), ("12", 12), (" 7 ", 7), ("007", 7), ("100000", 100_000)]
)
def test_count_values_stored(signed_in, home_community, db, raw, stored):
    data = entry_data.activity(home_community.id, f_u18=raw)
    assert signed_in.post("/activities/new", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Activity.f_u18)) == stored


@pytest.mark.parametrize("raw", ["١٢", "１２", "+5", "1e3", "12,", "1 2", "12a"])
def test_count_typing_slips_refused_not_guessed(signed_in, home_community, db, raw):
    response = signed_in.post("/activities/new", data=entry_data.activity(home_community.id, f_u18=raw))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="f_u18-error"' in html and "whole number from 0 to 100,000" in html
    assert count(db, "activities") == 0


def test_a_box_not_sent_counts_as_zero(signed_in, home_community, db):
    data = entry_data.incident(home_community.id)
    for column, _sex, _band in COUNT_CELLS:
        data.pop(column, None)
    assert signed_in.post("/incidents/new", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Incident)).people_total == 0


def test_the_page_total_is_the_stored_total(signed_in, home_community, db):
    data = entry_data.activity(home_community.id, outcome="call 0555123456")
    html = signed_in.post("/activities/new", data=data).get_data(as_text=True)
    assert '<output data-total aria-live="polite">31</output>' in html
    data = entry_data.activity(home_community.id)
    assert signed_in.post("/activities/new", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Activity)).people_total == 31


def test_edit_shows_zero_as_an_empty_box(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.DRAFT, f_18_29=5)
    db.session.commit()
    html = signed_in.get(f"/activities/{activity.uuid}/edit").get_data(as_text=True)
    assert 'value="5"' in _inputs(html, "f_18_29")[0]
    assert 'value=""' in _inputs(html, "f_u18")[0]
    assert '<output data-total aria-live="polite">5</output>' in html


# -- Dates and folded groups ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_new_form_opens_on_today(signed_in, kind, db):
    html = signed_in.get(f"/{kind}/new").get_data(as_text=True)
    assert f'value="{date.today().isoformat()}"' in _inputs(html, "date")[0]


def test_a_date_sent_empty_is_not_replaced_by_today(signed_in, home_community, db):
    response = signed_in.post("/activities/new", data=entry_data.activity(home_community.id, date=""))
    assert response.status_code == 422 and "Enter the date." in response.get_data(as_text=True)
    assert count(db, "activities") == 0


def test_edit_keeps_the_records_date(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.DRAFT, date=date(2024, 5, 1))
    db.session.commit()
    html = signed_in.get(f"/activities/{activity.uuid}/edit").get_data(as_text=True)
    assert 'value="2024-05-01"' in _inputs(html, "date")[0]


def _details(html: str) -> dict[str, str]:
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'<details class="choice-details[^"]*" id="(\w+)-group"[^>]*>', html)
    }


def test_long_checkbox_groups_fold_with_the_number_chosen(signed_in, home_community, db):
    details = _details(signed_in.get("/activities/new").get_data(as_text=True))
    assert set(details) == {"target_groups", "drivers", "recommendations"}
    assert details["target_groups"].endswith(" open>")  # the one required group starts open
    assert " open" not in details["drivers"] and " open" not in details["recommendations"]
    data = entry_data.activity(home_community.id, recommendations=["R1", "R4", "R6"], outcome="a@b.kg")
    html = signed_in.post("/activities/new", data=data).get_data(as_text=True)
    assert "Chosen: 3" in html and "Chosen: 2" in html  # recommendations; groups and concerns
    html = signed_in.post(
        "/activities/new", data=entry_data.activity(home_community.id, drivers=["x"])
    ).get_data(as_text=True)
    assert _details(html)["drivers"].endswith(" open>")  # an error opens its group


def test_incident_concerns_fold_too(signed_in, db):
    assert set(_details(signed_in.get("/incidents/new").get_data(as_text=True))) == {"drivers"}


# -- Recommendations from one mapping ---------------------------------------------------------------


def test_the_page_carries_the_one_mapping(signed_in, db):
    html = signed_in.get("/activities/new").get_data(as_text=True)
    (raw,) = re.findall(r"data-suggest='([^']*)'", html)
    mapping = json.loads(raw)
    assert mapping == {
        "activity_type_code": {k: list(v) for k, v in SUGGESTED_RECOMMENDATIONS["activity_type"].items()},
        "target_groups": {k: list(v) for k, v in SUGGESTED_RECOMMENDATIONS["target_group"].items()},
    }
    assert "data-suggest-hint hidden" in html  # the hint shows only where the script runs


def test_the_server_stores_exactly_the_recommendations_sent(signed_in, home_community, db):
    data = entry_data.activity(home_community.id, target_groups=["imams", "migrants"], recommendations=[])
    assert signed_in.post("/activities/new", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Activity)).recommendations == []


# -- Save bar, leaving, local drafts, no inline script ------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_form_has_a_save_bar_and_the_draft_hooks(signed_in, volunteer, kind, db):
    html = signed_in.get(f"/{kind}/new").get_data(as_text=True)
    bar = html[html.index('<div class="save-bar">') :]
    assert bar.index('name="submit"') < bar.index('name="save_draft"') < bar.index("</form>")
    (record_uuid,) = re.findall(r'name="record_uuid" type="hidden" value="([0-9a-f-]{36})"', html)
    assert f'data-draft-scope="yntymak-draft:{volunteer.id}:{kind}:new"' in html
    assert f'data-draft-id="{record_uuid}"' in html
    assert "data-draft-unsaved" not in html
    assert 'data-confirm-leave="Leave this form? What you typed here will be lost."' in html
    assert "Restore what you typed?" in html and "data-draft-offer hidden" in html


def test_an_edit_draft_is_keyed_by_version_and_a_refused_form_is_unsaved(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.DRAFT)
    db.session.commit()
    html = signed_in.get(f"/activities/{activity.uuid}/edit").get_data(as_text=True)
    assert f'data-draft-scope="yntymak-draft:{volunteer.id}:activities:{activity.uuid}"' in html
    assert f'data-draft-id="v{activity.version}"' in html
    data = entry_data.activity(activity.community_id, outcome="a@b.kg", version=str(activity.version))
    html = signed_in.post(f"/activities/{activity.uuid}/edit", data=data).get_data(as_text=True)
    assert "data-draft-unsaved" in html


@pytest.mark.parametrize("kind", KINDS)
def test_detail_page_tells_the_device_the_entry_is_stored(signed_in, volunteer, make, kind, db):
    record = {"activities": make.activity, "incidents": make.incident, "assessments": make.assessment}[kind](
        volunteer
    )
    db.session.commit()
    html = signed_in.get(f"/{kind}/{record.uuid}").get_data(as_text=True)
    assert f'data-saved-scope="yntymak-draft:{volunteer.id}:{kind}"' in html
    assert f'data-saved-record="{record.uuid}" data-saved-version="{record.version}"' in html
    # No inline script or handler on any page: tests/functional/test_headers.py (the CSP's rule).
