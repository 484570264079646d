"""The engagement activity form: valid input stored exactly; each rule refused with nothing stored."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Activity, AuditEvent
from app.vocabulary import Status

from . import entry_data
from .conftest import audit_actions, count


def _stored(db) -> Activity:
    db.session.expire_all()
    return db.session.scalar(select(Activity))


def test_valid_activity_stored_exactly(signed_in, volunteer, home_community, db):
    response = signed_in.post("/activities/new", data=entry_data.activity(home_community.id))
    assert response.status_code == 303
    activity = _stored(db)
    assert response.headers["Location"] == f"/activities/{activity.uuid}"
    assert activity.date == entry_data.DAY
    assert activity.community_id == home_community.id
    assert activity.organisation_id == volunteer.organisation_id
    assert activity.author_id == volunteer.id
    assert activity.status == Status.SUBMITTED
    assert activity.activity_type_code == "dialogue"
    assert [g.code for g in activity.target_groups] == ["imams", "youth"]  # vocabulary order
    assert sorted(d.code for d in activity.drivers) == ["belonging", "unemployment"]
    assert [r.code for r in activity.recommendations] == ["R4", "R6"]
    counts = {c: getattr(activity, c) for c in ("f_u18", "f_18_29", "f_30_59", "f_60p")}
    assert counts == {"f_u18": 3, "f_18_29": 12, "f_30_59": 0, "f_60p": 0}
    assert (activity.m_u18, activity.m_18_29, activity.m_30_59, activity.m_60p) == (4, 9, 2, 1)
    assert activity.people_total == 31
    assert activity.first_time_participants == 7
    assert activity.partners == "District youth centre"
    assert activity.outcome.startswith("Young people and two imams")
    assert activity.follow_up == "Next meeting in the school hall."
    assert audit_actions(db)[-1] == "create"
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.details["status"] == [None, "submitted"] and activity.version == 1
    assert event.details["changes"]["f_18_29"] == [None, 12]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create"))
    assert event.object_uuid == activity.uuid and event.object_type == "activity"
    assert "two imams" not in str(event.details) and "Young" not in str(event.details)
    assert event.details["changes"]["outcome"] == "changed"


def test_save_as_draft(signed_in, home_community, db):
    data = entry_data.activity(home_community.id, submit=None, save_draft="1")
    assert signed_in.post("/activities/new", data=data).status_code == 303
    assert _stored(db).status == Status.DRAFT


def test_detail_shows_the_record(signed_in, home_community, db):
    signed_in.post("/activities/new", data=entry_data.activity(home_community.id))
    html = signed_in.get(f"/activities/{_stored(db).uuid}").get_data(as_text=True)
    assert "Youth, especially non-elite" in html
    assert "Total: 31" in html
    assert re.search(r"taking part for the first time</dt><dd>7</dd>", html)
    assert "District youth centre" in html


BAD = [
    ("date", {"date": ""}, "Enter the date."),
    ("date", {"date": "not a date"}, "Not a valid date value."),
    ("date", {"date": (date.today() + timedelta(days=1)).isoformat()}, "cannot be in the future"),
    ("date", {"date": "2014-12-31"}, "cannot be before 2015"),
    ("community", {"community": ""}, "Choose a community."),
    ("community", {"community": "abc"}, "Choose a community in your area."),
    ("activity_type_code", {"activity_type_code": ""}, "Choose the type of activity."),
    ("activity_type_code", {"activity_type_code": "rally"}, "Choose only from the options shown."),
    ("target_groups", {"target_groups": []}, "Choose at least one group."),
    ("target_groups", {"target_groups": ["youth", "suspects"]}, "Choose only from the options shown."),
    ("drivers", {"drivers": ["nonsense"]}, "Choose only from the options shown."),
    ("recommendations", {"recommendations": ["R15"]}, "Choose only from the options shown."),
    ("f_u18", {"f_u18": "-1"}, "whole number from 0 to 100,000"),
    ("f_u18", {"f_u18": "100001"}, "whole number from 0 to 100,000"),
    ("m_60p", {"m_60p": "2.5"}, "whole number from 0 to 100,000"),
    ("m_30_59", {"m_30_59": "ten"}, "whole number from 0 to 100,000"),
    ("first_time_participants", {"first_time_participants": "32"}, "At most the 31 people counted above."),
    ("first_time_participants", {"first_time_participants": "-3"}, "whole number from 0 to 100,000"),
    ("first_time_participants", {"first_time_participants": "a few"}, "whole number from 0 to 100,000"),
    ("outcome", {"outcome": "x" * 2001}, "under 2000 characters"),
    ("partners", {"partners": "y" * 2001}, "under 2000 characters"),
    ("outcome", {"outcome": "Call Aigul on +996 555 123 456"}, "phone number"),
    ("outcome", {"outcome": "Her number: 0555123456"}, "phone number"),
    ("follow_up", {"follow_up": "Write to aigul@mail.kg"}, "e-mail address"),
    ("partners", {"partners": "Passport AN1234567 shown"}, "ID or passport number"),
    ("outcome", {"outcome": "ID 12345678"}, "ID or passport number"),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_each_rule_refused_with_nothing_stored(signed_in, home_community, db, field, change, message):
    data = entry_data.activity(home_community.id, **change)
    response = signed_in.post("/activities/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html  # next to its field
    assert count(db, "activities") == 0
    assert "create" not in audit_actions(db)


def test_typed_values_kept_after_an_error(signed_in, home_community, db):
    data = entry_data.activity(home_community.id, outcome="Call +996 555 123 456", partners="Women's council")
    html = signed_in.post("/activities/new", data=data).get_data(as_text=True)
    assert "Call +996 555 123 456</textarea>" in html
    assert 'value="Women&#39;s council"' in html
    assert 'value="youth" checked' in html or 'checked id="target_groups-3"' in html
    assert 'name="f_18_29" pattern="[0-9]*" placeholder="0" type="text" value="12"' in html
    assert '<option selected value="dialogue">' in html


def test_community_outside_scope_refused(signed_in, make, db):
    elsewhere = make.community("TJ-SU-PNJ-01")
    response = signed_in.post("/activities/new", data=entry_data.activity(elsewhere.id))
    assert response.status_code == 422
    assert "Choose a community in your area." in response.get_data(as_text=True)
    assert count(db, "activities") == 0


def test_community_picker_lists_only_the_scope_grouped_by_district(signed_in, db):
    html = signed_in.get("/activities/new").get_data(as_text=True)
    assert '<optgroup label="Kara-Suu">' in html or "<optgroup" in html
    assert "Kashgar-Kyshtak" in html
    assert "Panjakent" not in html  # a Tajik district


def test_edit_a_draft_then_submit(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.DRAFT, community="KG-O-KSU-01")
    db.session.commit()
    page = signed_in.get(f"/activities/{activity.uuid}/edit")
    assert page.status_code == 200
    assert re.search(
        r'<input checked id="target_groups-\d+" name="target_groups" type="checkbox" value="youth">',
        page.get_data(as_text=True),
    )
    data = entry_data.activity(activity.community_id, target_groups=["women"], outcome="Changed.")
    response = signed_in.post(f"/activities/{activity.uuid}/edit", data=data)
    assert response.status_code == 303
    stored = _stored(db)
    assert [g.code for g in stored.target_groups] == ["women"]
    assert stored.outcome == "Changed."
    assert stored.status == Status.SUBMITTED
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "submit")).all()
    assert event.details["status"] == ["draft", "submitted"]
    assert event.details["changes"]["target_groups"] == [["youth"], ["women"]]
    assert event.details["changes"]["outcome"] == "changed"  # free text: never its words
    assert "Changed." not in str(event.details)
    assert event.details["version"] == 2 == stored.version


def test_invalid_edit_changes_nothing(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.RETURNED, outcome="Before.")
    db.session.commit()
    data = entry_data.activity(activity.community_id, outcome="mail me: a@b.kg")
    assert signed_in.post(f"/activities/{activity.uuid}/edit", data=data).status_code == 422
    assert _stored(db).outcome == "Before."
    assert _stored(db).status == Status.RETURNED


def test_submitted_record_cannot_be_edited(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.SUBMITTED)
    db.session.commit()
    assert signed_in.get(f"/activities/{activity.uuid}/edit").status_code == 403
    data = entry_data.activity(activity.community_id)
    assert signed_in.post(f"/activities/{activity.uuid}/edit", data=data).status_code == 403


def test_submit_a_draft_from_its_page(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.DRAFT)
    db.session.commit()
    assert signed_in.post(f"/activities/{activity.uuid}/submit").status_code == 303
    assert _stored(db).status == Status.SUBMITTED
    assert audit_actions(db)[-1] == "submit"


def test_author_deletes_a_draft(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.DRAFT)
    db.session.commit()
    response = signed_in.post(f"/activities/{activity.uuid}/delete")
    assert response.status_code == 303
    assert count(db, "activities") == 0
    assert audit_actions(db)[-1] == "delete"


def test_submitted_record_cannot_be_deleted(signed_in, volunteer, make, db):
    activity = make.activity(volunteer, status=Status.SUBMITTED)
    db.session.commit()
    assert signed_in.post(f"/activities/{activity.uuid}/delete").status_code == 403
    assert count(db, "activities") == 1


def test_colleague_cannot_delete_anothers_draft(make, login_as, volunteer, db):
    colleague = make.user("volunteer", organisation=volunteer.organisation)
    activity = make.activity(volunteer, status=Status.DRAFT)
    db.session.commit()
    client = login_as(colleague)
    assert client.get(f"/activities/{activity.uuid}").status_code == 200
    assert client.post(f"/activities/{activity.uuid}/delete").status_code == 403
    assert count(db, "activities") == 1


def test_list_filters_and_pages(app, signed_in, volunteer, make, db):
    old = make.activity(volunteer, date=date(2020, 5, 1), community="KG-O-KSU-01", status=Status.APPROVED)
    make.activity(volunteer, date=date(2024, 5, 1), community="KG-O-KSU-02", status=Status.DRAFT)
    for _ in range(3):
        make.activity(volunteer, date=date(2025, 1, 1), community="KG-O-KSU-01")
    db.session.commit()

    def titles(query: str) -> int:
        response = signed_in.get(f"/activities?{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True).count('class="record-title"')

    assert titles("") == 5
    assert titles("date_from=2021-01-01") == 4
    assert titles("date_from=2020-01-01&date_to=2020-12-31") == 1
    assert titles(f"community={old.community_id}") == 4
    assert titles("status=draft") == 1
    assert titles("status=approved&date_to=2024-12-31") == 1
    app.config["PER_PAGE"] = 2
    try:
        assert titles("") == 2
        first = signed_in.get("/activities").get_data(as_text=True)
        assert "5 entries" in first and 'rel="prev"' not in first
        second = signed_in.get(_link(first, "next")).get_data(as_text=True)
        third = signed_in.get(_link(second, "next")).get_data(as_text=True)
        assert third.count('class="record-title"') == 1 and 'rel="next"' not in third
        assert str(old.uuid) in third  # the oldest, last
        assert signed_in.get(_link(third, "prev")).get_data(as_text=True).count('class="record-title"') == 2
        filtered = signed_in.get(f"/activities?community={old.community_id}").get_data(as_text=True)
        assert f"community={old.community_id}" in _link(filtered, "next")
    finally:
        app.config["PER_PAGE"] = 25


def _link(html: str, rel: str) -> str:
    """The href of the page's ``rel="next"`` or ``rel="prev"`` link."""
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    assert found, f"no {rel} link"
    return found.group(1).replace("&amp;", "&")


def test_bad_filters_answer_400(signed_in, make, db):
    elsewhere = make.community("TJ-SU-PNJ-01")
    assert signed_in.get("/activities?date_from=yesterday").status_code == 400
    assert signed_in.get(f"/activities?community={elsewhere.id}").status_code == 400
    assert signed_in.get("/activities?status=lost").status_code == 400
    assert signed_in.get("/activities?date_from=2024-02-01&date_to=2024-01-01").status_code == 400


@pytest.mark.parametrize("kind", ["activities", "incidents", "assessments"])
def test_form_page_weighs_under_60_kb_compressed(signed_in, kind, db):
    import gzip

    total = 0
    for path in (
        f"/{kind}/new",
        "/static/css/app.css",
        "/static/js/entry-form.js",
        "/static/js/entry-drafts.js",
    ):
        response = signed_in.get(path)
        assert response.status_code == 200
        total += len(gzip.compress(response.get_data()))
        response.close()
    assert total < 60 * 1024


def test_count_message_writes_the_number_the_users_way(signed_in, volunteer, home_community, db):
    volunteer.locale = "ru"
    db.session.commit()
    data = {**entry_data.activity(home_community.id), "f_u18": "100001"}
    html = signed_in.post("/activities/new", data=data).get_data(as_text=True)
    assert "100\u00a0000" in html and "100,000" not in html
    assert count(db, "activities") == 0


def test_first_time_participants_may_equal_the_people_counted_but_not_exceed_an_edited_total(
    signed_in, volunteer, make, db
):
    """All of them new is fine; lowering the counts below the first-timers is refused on edit."""
    record = make.activity(volunteer, status=Status.DRAFT, f_18_29=5, first_time_participants=0)
    db.session.commit()
    data = entry_data.activity(
        record.community_id, version="1", first_time_participants="31", submit=None, save_draft="1"
    )
    assert signed_in.post(f"/activities/{record.uuid}/edit", data=data).status_code == 303
    assert _stored(db).first_time_participants == 31
    lowered = entry_data.activity(
        record.community_id,
        version="2",
        f_18_29="1",
        first_time_participants="31",
        submit=None,
        save_draft="1",
    )
    response = signed_in.post(f"/activities/{record.uuid}/edit", data=lowered)
    assert response.status_code == 422
    assert "At most the 20 people counted above." in response.get_data(as_text=True)
    stored = _stored(db)
    assert (stored.f_18_29, stored.first_time_participants, stored.version) == (12, 31, 2)


def test_the_database_refuses_more_first_timers_than_people(volunteer, make, db):
    """The check constraint holds even for a write that skips the form."""
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        make.activity(volunteer, f_u18=2, first_time_participants=3)
    db.session.rollback()
    assert count(db, "activities") == 0
