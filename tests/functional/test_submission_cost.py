"""What one submission costs the database (issue 14, bench/submit_profile.py): statements counted,
not timed. A valid form POST or API PUT reads no list of places (the community is checked by the
records service, not against the picker's options), loads the user with its organisation in one
statement, looks the UUID up once, and reads each place once; the options made from the
vocabulary are built once per language.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from app.extensions import db as _db
from forms.entries import CHOICES_CACHE, ActivityForm

from . import entry_data

PICKER = re.compile(r"FROM communities JOIN districts", re.IGNORECASE)


@contextmanager
def statements():
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)


def _not_summaries(seen: list[str]) -> list[str]:
    """Leave out the summary tables' upkeep (app/services/summaries.py), measured on its own."""
    return [s for s in seen if "summary_" not in s and "AS month" not in s]


def _count(seen: list[str], pattern: str) -> int:
    return sum(1 for s in seen if re.search(pattern, s, re.IGNORECASE))


@pytest.fixture
def home(make):
    return make.community("KG-O-KSU-02")


def test_an_api_put_reads_no_list_and_each_thing_once(client, login_as, volunteer, home):
    api = login_as(volunteer)
    body = {**entry_data.activity(home.id), "status": "submitted"}
    body.pop("submit")
    with statements() as seen:
        response = api.put(f"/api/v1/activities/{uuid.uuid4()}", json=body)
    assert response.status_code == 201, response.get_json()
    mine = _not_summaries(seen)
    assert not any(PICKER.search(s) for s in mine)  # the form is built once, and lists nothing
    assert _count(mine, r"^SELECT .* FROM users ") == 1  # with its organisation (a join)
    assert _count(mine, r"^SELECT .* FROM organisations ") == 0
    assert _count(mine, r"^SELECT .* FROM activities WHERE activities.uuid") == 1
    assert (
        _count(mine, r"^SELECT .* FROM communities WHERE communities.id") <= 1
    )  # once, if not in the session
    assert _count(mine, r"^INSERT INTO audit_events") == 1


def test_the_summaries_of_a_new_activity_are_read_at_once(client, login_as, volunteer, home):
    """Its four summaries' rows come from one statement; each table gets one upsert."""
    api = login_as(volunteer)
    body = {**entry_data.activity(home.id), "status": "submitted"}
    body.pop("submit")
    with statements() as seen:
        assert api.put(f"/api/v1/activities/{uuid.uuid4()}", json=body).status_code == 201
    upkeep = [s for s in seen if s not in _not_summaries(seen)]
    reads = [s for s in upkeep if s.startswith("SELECT")]
    assert len(reads) == 1 and reads[0].count("UNION ALL") == 3
    for table in ("activities", "activity_recommendations", "activity_target_groups"):
        assert _count(upkeep, rf"^INSERT INTO summary_{table} ") == 1
    assert _count(upkeep, r"^INSERT INTO summary_activity_recommendation_groups ") == 1
    assert len(upkeep) == 5


def test_a_form_post_reads_no_list_and_no_reload(client, login_as, volunteer, home):
    page = login_as(volunteer)
    with statements() as seen:
        response = page.post(
            "/activities/new", data={**entry_data.activity(home.id), "record_uuid": str(uuid.uuid4())}
        )
    assert response.status_code == 303
    mine = _not_summaries(seen)
    assert not any(PICKER.search(s) for s in mine)
    assert _count(mine, r"^SELECT .* FROM activities") == 1  # the UUID looked up, no reload afterwards
    assert (
        _count(mine, r"^SELECT .* FROM communities WHERE communities.id") <= 1
    )  # once, if not in the session
    assert _count(mine, r"^INSERT INTO audit_events") == 1


def test_the_form_shown_again_still_offers_the_communities(client, login_as, volunteer, home):
    page = login_as(volunteer)
    with statements() as seen:
        assert page.get("/activities/new").status_code == 200
    assert sum(1 for s in seen if PICKER.search(s)) == 1  # the page reads the list, once
    response = page.post("/activities/new", data=entry_data.activity(home.id, date=""))
    assert response.status_code == 422
    assert f'value="{home.id}"' in response.get_data(as_text=True)


def test_vocabulary_options_are_built_once_per_language(app, db, volunteer):
    app.extensions.pop(CHOICES_CACHE, None)
    labels = {}
    for locale in ("en", "ru", "en"):
        with app.test_request_context(), force_locale(locale):
            form = ActivityForm(user=volunteer, formdata=None)
            labels.setdefault(locale, []).append([c.label for c in form.drivers.choices])
    assert labels["en"][0] == labels["en"][1]
    assert labels["ru"][0] != labels["en"][0]  # translated, each language its own
    cached = app.extensions[CHOICES_CACHE]
    assert {("drivers", "en"), ("drivers", "ru")} <= set(cached)
    # Each form has options of its own: changing one changes no other form.
    with app.test_request_context(), force_locale("en"):
        first, second = (
            ActivityForm(user=volunteer, formdata=None),
            ActivityForm(user=volunteer, formdata=None),
        )
        first.drivers.choices[0].label = "changed"
        assert second.drivers.choices[0].label != "changed"


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_an_entry_page_checks_scope_and_closed_month_once_for_all_its_actions(
    client, login_as, make, volunteer, db, status
):
    """The page offers the actions the lifecycle allows; it tries each of them, but what the
    checks read of the record is read once: its scope by the statement that loads it (so the
    actions' checks do not ask again), its month being closed by one statement."""
    record = make.activity(volunteer, status=status)
    db.session.commit()
    url = f"/activities/{record.uuid}"  # read here: the test's copy of the record is expired
    reviewer = make.user("coordinator", region="KG-O")
    for user, offered in ((volunteer, "Submit for review" if status == "draft" else None), (reviewer, None)):
        page = login_as(user)
        with statements() as seen:
            response = page.get(url)
        assert response.status_code == 200
        if offered:
            assert offered in response.get_data(as_text=True)
        assert _count(seen, r"^SELECT activities.id FROM activities WHERE activities.id = ") == 0, seen
        scope = r"organisation_id = \S+" if user is volunteer else r"community_id IN \(SELECT"
        loads = [s for s in seen if re.match(r"^SELECT activities\.\w+, .* FROM activities ", s)]
        assert len(loads) == 1, loads
        assert re.search(rf"WHERE activities.{scope}.* AND activities.uuid = \S+$", loads[0])
        assert (
            _count(seen, r"^SELECT closed_periods.id FROM closed_periods") == 1
        )  # the checks and the banner
        page.post("/logout", data={})


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_new_entry_and_its_audit_event_are_written_in_one_flush(client, login_as, volunteer, home, via):
    """The record, its code lists and its audit event go to the database together: each flush is
    a unit of work of its own (and the summaries' upkeep runs once per flush)."""
    from sqlalchemy.orm import Session

    writes: list[set[str]] = []

    def count(session, _context, _instances) -> None:
        if session.new or session.dirty or session.deleted:
            writes.append({type(obj).__name__ for obj in session.new})

    page = login_as(volunteer)
    body = entry_data.activity(home.id)
    event.listen(Session, "before_flush", count)
    try:
        if via == "api":
            body.pop("submit")
            response = page.put(f"/api/v1/activities/{uuid.uuid4()}", json={**body, "status": "submitted"})
            assert response.status_code == 201
        else:
            response = page.post("/activities/new", data={**body, "record_uuid": str(uuid.uuid4())})
            assert response.status_code == 303
    finally:
        event.remove(Session, "before_flush", count)
    assert len(writes) == 1 and {"Activity", "AuditEvent"} <= writes[0], writes
