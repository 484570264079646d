"""What a record's page, a list and the audit log cost the database (issue 14): statements
counted, not timed. Labels and their order come from the vocabulary, the record's community,
district and organisation from the record's own statement, its code lists from one statement,
and the places a history names from one statement for the whole page, however long it is.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.models import AuditEvent
from app.vocabulary import DRIVERS, TARGET_GROUPS

from .test_submission_cost import statements

#: A statement whose first FROM (not a subquery's) is one of these tables.
TAXONOMY = re.compile(
    r"^SELECT (?:(?!\bFROM\b).)* FROM "
    r"(target_groups|drivers|recommendations|activity_types|incident_categories)\b"
)
#: ... reading places' names (a coordinator's menu asks whether an organisation is in scope).
PLACES = re.compile(
    r"^SELECT (?:(?!\bFROM\b).)*\bnames\b(?:(?!\bFROM\b).)* FROM (communities|organisations|districts)\b"
)


def _history(db, record, author, events: int, *, places: list[tuple[str, str]]) -> None:
    """``events`` edits of the record, each moving it between the given (community, organisation)
    code pairs, as the lifecycle's audit diff records them."""
    for number in range(events):
        (old_c, old_o), (new_c, new_o) = places[number % len(places)], places[(number + 1) % len(places)]
        db.session.add(
            AuditEvent(
                user_id=author.id,
                action="update",
                object_type="activity",
                object_uuid=record.uuid,
                details={
                    "version": [number + 1, number + 2],
                    "changes": {"community_id": [old_c, new_c], "organisation_id": [old_o, new_o]},
                },
            )
        )
    db.session.commit()


def _page(client, url: str) -> tuple[str, list[str]]:
    with statements() as seen:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), seen


@pytest.fixture
def coordinator(make, db):
    user = make.user("coordinator", region="KG-O")
    db.session.commit()
    return user


def test_an_activity_page_reads_no_taxonomy_and_shows_lists_in_the_forms_order(
    client, login_as, make, db, coordinator
):
    """Chosen in reverse order, the groups and concerns still show in the order the form lists them."""
    author = make.user("volunteer")
    groups = [code for code, _label in TARGET_GROUPS[:3]][::-1]
    drivers = [code for code, _label in DRIVERS[:2]][::-1]
    record = make.activity(
        author, target_groups=tuple(groups), drivers=tuple(drivers), recommendations=("R6", "R2")
    )
    db.session.commit()
    html, seen = _page(login_as(coordinator), f"/activities/{record.uuid}")
    assert not [s for s in seen if TAXONOMY.search(s)]
    assert not [s for s in seen if PLACES.search(s)]  # joined to the record's own statement
    shown = [label for _code, label in TARGET_GROUPS[:3]]
    positions = [html.index(f"<li>{label}</li>") for label in shown]
    assert positions == sorted(positions)
    first, second = (label for _code, label in DRIVERS[:2])
    assert html.index(f"<li>{first}</li>") < html.index(f"<li>{second}</li>")
    assert html.index("R2: ") < html.index("R6: ")
    assert record.community.name in html and record.organisation.name in html


def test_a_longer_history_costs_no_more_statements(client, login_as, make, db, coordinator):
    """Every event names its places by code; the page names them all in one statement."""
    author = make.user("volunteer")
    short, long = make.activity(author), make.activity(author)
    other = make.organisation()
    db.session.commit()
    home = (short.community.code, short.organisation.code)
    elsewhere = (make.community("KG-O-KSU-02").code, other.code)
    _history(db, short, author, 1, places=[home, elsewhere])
    _history(db, long, author, 12, places=[home, elsewhere])
    client = login_as(coordinator)
    _short_html, few = _page(client, f"/activities/{short.uuid}")
    long_html, many = _page(client, f"/activities/{long.uuid}")
    assert len(many) == len(few)
    assert len([s for s in many if PLACES.search(s)]) == 1  # the places its record does not name
    assert long_html.count(other.name) >= 12
    assert long_html.count(make.community("KG-O-KSU-02").name) >= 12


def test_a_history_of_its_own_places_reads_no_place(client, login_as, make, db, coordinator):
    """A record's own community and organisation are named from the record (its page shows them)."""
    author = make.user("volunteer")
    record = make.activity(author)
    db.session.commit()
    home = (record.community.code, record.organisation.code)
    _history(db, record, author, 3, places=[home])
    _html, seen = _page(login_as(coordinator), f"/activities/{record.uuid}")
    assert not [s for s in seen if PLACES.search(s)]


def test_an_assessment_page_reads_no_driver_and_rates_in_the_forms_order(
    client, login_as, make, db, coordinator
):
    author = make.user("volunteer")
    codes = [code for code, _label in DRIVERS]
    record = make.assessment(author, ratings={codes[-1]: 3, codes[5]: 1, codes[0]: 2})
    db.session.commit()
    html, seen = _page(login_as(coordinator), f"/assessments/{record.uuid}")
    assert not [s for s in seen if TAXONOMY.search(s)]
    table = html[html.index("ratings-table") : html.index("</table>")]
    labels = [dict(DRIVERS)[code] for code in (codes[0], codes[5], codes[-1])]
    positions = [table.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "3 of 16 rated" in html


def test_a_list_of_many_activity_types_costs_what_a_list_of_one_does(client, login_as, make, db):
    """A line's title (its activity type) comes from the vocabulary, not a read per type."""
    author = make.user("volunteer")
    make.activity(author, activity_type="dialogue")
    db.session.commit()
    client = login_as(author)
    _html, one = _page(client, "/activities")
    for number, kind in enumerate(("training", "youth_event", "media_training", "research")):
        make.activity(author, activity_type=kind, date=date.today() - timedelta(days=number + 1))
    db.session.commit()
    html, several = _page(client, "/activities")
    assert len(several) == len(one)
    assert "Focus group or qualitative research" in html


def test_the_audit_log_names_places_in_one_statement(client, login_as, make, db):
    """Fifty events each naming a community and an organisation: one statement for all their names,
    each code named from its own table (a community and an organisation may share a code)."""
    admin = make.user("admin")
    author = make.user("volunteer")
    record = make.activity(author)
    twin = make.organisation(code=record.community.code)  # the same code as the community
    db.session.commit()
    home = (record.community.code, record.organisation.code)
    _history(db, record, author, 50, places=[home, (make.community("KG-O-KSU-02").code, twin.code)])
    html, seen = _page(login_as(admin), "/admin/audit?type=activity")
    assert len([s for s in seen if PLACES.search(s)]) == 1
    assert html.count(twin.name) >= 20 and html.count(record.community.name) >= 20


def test_the_edit_page_shows_the_stored_lists_without_reading_the_taxonomy(client, login_as, make, db):
    author = make.user("volunteer")
    record = make.activity(author, status="draft", target_groups=("women", "youth"), drivers=())
    db.session.commit()
    html, seen = _page(login_as(author), f"/activities/{record.uuid}/edit")
    assert not [s for s in seen if TAXONOMY.search(s)]
    checked = set(re.findall(r'<input[^>]*checked[^>]*name="target_groups"[^>]*value="(\w+)"', html))
    checked |= set(re.findall(r'<input[^>]*name="target_groups"[^>]*value="(\w+)"[^>]*checked', html))
    assert checked == {"women", "youth"}
