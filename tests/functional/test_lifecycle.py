"""The one record lifecycle: every action by every role from every status, allowed and forbidden.

Each case checks what the change leaves behind: the status, the version, and exactly one audit
row when it happened (none when it was refused).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, DomainError, NotAllowed
from app.kinds import KINDS
from app.models import Activity, AuditEvent, ReviewNote, User
from app.services import lifecycle
from app.services.lifecycle import Action, AlreadyStored, Change, OutOfScope
from app.vocabulary import Status

STATUSES = ("draft", "submitted", "approved", "returned")
ACTORS = ("author", "colleague", "other_volunteer", "coordinator_in", "coordinator_out", "admin", "donor")
ACTIONS = ("update", "submit", "delete", "approve", "return", "reopen", "correct")

#: (actor, status before) -> {action: status after}; None: the record is gone. Anything else is refused.
_AUTHOR = {
    "draft": {"update": "draft", "submit": "submitted", "delete": None},
    "returned": {"update": "returned", "submit": "submitted"},
}
_COLLEAGUE = {"draft": {"update": "draft", "submit": "submitted"}, "returned": _AUTHOR["returned"]}
_REVIEWER = {
    "submitted": {"approve": "approved", "return": "returned", "correct": "submitted"},
    "approved": {"reopen": "returned"},
}
ALLOWED = {"author": _AUTHOR, "colleague": _COLLEAGUE, "coordinator_in": _REVIEWER, "admin": _REVIEWER}
#: Actors who cannot see the record at all: refused as if it did not exist (404).
OUT_OF_SCOPE = {"other_volunteer", "coordinator_out", "donor"}


@pytest.fixture
def people(make, db):
    owner_org = make.organisation("KG-O-KSU")
    people = {
        "author": make.user("volunteer", organisation=owner_org),
        "colleague": make.user("volunteer", organisation=owner_org),
        "other_volunteer": make.user("volunteer", organisation=make.organisation("KG-C-SKL")),
        "coordinator_in": make.user("coordinator", region="KG-O"),
        "coordinator_out": make.user("coordinator", region="TJ-SU"),
        "admin": make.user("admin"),
        "donor": make.user("donor"),
    }
    db.session.commit()
    return people


def _change(action: str, record: Activity) -> Change:
    values = None
    if action in ("update", "correct"):
        values = {"date": record.date, "community_id": record.community_id, "f_18_29": record.f_18_29 + 5}
    note = "Please count the women separately." if action in ("return", "reopen", "correct") else None
    return Change(Action(action), values=values, note=note)


def _events(db, record_uuid) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_uuid == record_uuid).order_by(AuditEvent.id)
        )
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("actor", ACTORS)
def test_transition(db, make, people, actor, status, action):
    record = make.activity(people["author"], status=Status(status), community="KG-O-KSU-01", version=3)
    record_uuid, record_id = record.uuid, record.id
    db.session.commit()
    expected = ALLOWED.get(actor, {}).get(status, {})
    user = people[actor]
    if action in expected:
        result = lifecycle.apply(db.session, user, record, _change(action, record))
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(Activity, record_id)
        (event,) = _events(db, record_uuid)
        assert event.action == action and event.user_id == user.id
        if expected[action] is None:
            assert result is None and stored is None
            return
        assert stored.status == Status(expected[action])
        assert stored.version == 4 == event.details["version"]
        if expected[action] != status:
            assert event.details["status"] == [status, expected[action]]
        if action in ("update", "correct"):
            assert stored.f_18_29 == record.f_18_29 and event.details["changes"]["f_18_29"] == [0, 5]
        if action in ("return", "reopen", "correct"):
            note = db.session.get(ReviewNote, event.id)
            assert note.text == "Please count the women separately."
            assert "women" not in str(event.details)  # the words live beside the log, not in it
        return
    refusal = OutOfScope if actor in OUT_OF_SCOPE else NotAllowed
    with pytest.raises(refusal) as raised:
        lifecycle.apply(db.session, user, record, _change(action, record))
    assert raised.value.http_status == (404 if actor in OUT_OF_SCOPE else 403)
    db.session.rollback()
    stored = db.session.get(Activity, record_id)
    assert (stored.status, stored.version) == (Status(status), 3)
    assert _events(db, record_uuid) == []


def test_create_as_draft_or_submitted(db, make, people):
    author = people["author"]
    community = make.community("KG-O-KSU-02")
    values = {
        "date": date.today(),
        "community_id": community.id,
        "activity_type_code": "dialogue",
        "f_u18": 4,
    }
    draft = lifecycle.create(
        db.session, author, KINDS["activities"], Change(Action.CREATE, values=dict(values))
    )
    sent = lifecycle.create(
        db.session, author, KINDS["activities"], Change(Action.CREATE, values=dict(values), submit=True)
    )
    db.session.commit()
    assert (draft.status, draft.version, draft.submitted_at) == (Status.DRAFT, 1, None)
    assert (sent.status, sent.version) == (Status.SUBMITTED, 1) and sent.submitted_at is not None
    assert 0 <= draft.record_key < 2**16
    (event,) = _events(db, sent.uuid)
    assert event.action == "create" and event.details["status"] == [None, "submitted"]
    assert event.details["changes"]["f_u18"] == [None, 4]


@pytest.mark.parametrize("actor", ["donor", "coordinator_in", "admin"])
def test_create_needs_a_role_that_logs_and_an_organisation(db, make, people, actor):
    """Donors never create; a coordinator or admin must name an organisation (a paper form)."""
    values = {"date": date.today(), "community_id": make.community("KG-O-KSU-02").id}
    refusal = NotAllowed if actor == "donor" else DomainError
    with pytest.raises(refusal) as raised:
        lifecycle.create(db.session, people[actor], KINDS["activities"], Change(Action.CREATE, values=values))
    if actor != "donor":
        assert raised.value.field == "organisation" and raised.value.code == "organisation_required"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_no_one_approves_what_they_entered(db, make, people):
    """Four eyes: a volunteer later made coordinator cannot approve their own entry."""
    author = people["author"]
    record = make.activity(author, status=Status.SUBMITTED)
    db.session.commit()
    author.role, author.organisation_id, author.scope_region_id = (
        "coordinator",
        None,
        people["coordinator_in"].scope_region_id,
    )
    db.session.commit()
    with pytest.raises(NotAllowed) as raised:
        lifecycle.apply(db.session, author, record, Change(Action.APPROVE))
    assert raised.value.code == "four_eyes"
    db.session.rollback()
    assert db.session.get(Activity, record.id).status == Status.SUBMITTED
    assert _events(db, record.uuid) == []


def test_return_needs_a_comment_and_reopen_a_reason(db, make, people):
    submitted = make.activity(people["author"], status=Status.SUBMITTED)
    approved = make.activity(people["author"], status=Status.APPROVED)
    db.session.commit()
    coordinator = people["coordinator_in"]
    for record, action, field in ((submitted, Action.RETURN, "comment"), (approved, Action.REOPEN, "reason")):
        for blank in (None, "", "   "):
            with pytest.raises(DomainError) as raised:
                lifecycle.apply(db.session, coordinator, record, Change(action, note=blank))
            assert raised.value.field == field and raised.value.http_status == 422
            db.session.rollback()
    assert db.session.get(Activity, submitted.id).status == Status.SUBMITTED
    assert db.session.get(Activity, approved.id).status == Status.APPROVED
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.object_type == "activity")) == 0
    )


def test_returned_comment_reaches_the_record_and_resubmission_clears_it(db, make, people):
    record = make.activity(people["author"], status=Status.SUBMITTED)
    db.session.commit()
    lifecycle.apply(db.session, people["coordinator_in"], record, Change(Action.RETURN, note="Add the date."))
    db.session.commit()
    assert record.review_comment == "Add the date." and record.reviewed_by_id == people["coordinator_in"].id
    lifecycle.apply(db.session, people["colleague"], record, Change(Action.SUBMIT))
    db.session.commit()
    assert record.status == Status.SUBMITTED and record.review_comment is None and record.version == 3


def test_no_move_to_a_community_outside_the_organisations_district(db, make, people):
    record = make.activity(people["author"], status=Status.SUBMITTED, community="KG-O-KSU-01")
    draft = make.activity(people["author"], status=Status.DRAFT, community="KG-O-KSU-01")
    db.session.commit()
    elsewhere = make.community("KG-O-UZG-01")  # same region, another district
    for actor, target, action in (("coordinator_in", record, Action.CORRECT), ("author", draft, Action.EDIT)):
        values = {"date": target.date, "community_id": elsewhere.id}
        with pytest.raises(DomainError) as raised:
            lifecycle.apply(db.session, people[actor], target, Change(action, values=values, note="Moved."))
        assert raised.value.field == "community" and raised.value.code == "community_outside_district"
        db.session.rollback()
    assert db.session.get(Activity, record.id).community.code == "KG-O-KSU-01"
    assert db.session.get(Activity, draft.id).community.code == "KG-O-KSU-01"


def test_stale_base_version_is_a_conflict(db, make, people):
    record = make.activity(people["author"], status=Status.SUBMITTED, version=5)
    db.session.commit()
    with pytest.raises(Conflict) as raised:
        lifecycle.apply(db.session, people["coordinator_in"], record, Change(Action.APPROVE, base_version=4))
    assert raised.value.code == "stale" and raised.value.http_status == 409
    db.session.rollback()
    assert db.session.get(Activity, record.id).status == Status.SUBMITTED


def test_two_concurrent_approvals_leave_one(app, db, make, people):
    """Two coordinators load the same submitted entry; both approve; only the first lands."""
    second_coordinator = make.user("coordinator", region="KG-O")
    record = make.activity(people["author"], status=Status.SUBMITTED)
    db.session.commit()
    first, second = Session(db.engine), Session(db.engine)
    try:
        seen = [s.get(Activity, record.id) for s in (first, second)]
        users = [first.get(User, people["coordinator_in"].id), second.get(User, second_coordinator.id)]
        assert all(r.status == Status.SUBMITTED and r.version == 1 for r in seen)
        lifecycle.apply(first, users[0], seen[0], Change(Action.APPROVE))
        first.commit()
        with pytest.raises(Conflict) as raised:
            lifecycle.apply(second, users[1], seen[1], Change(Action.APPROVE))
            second.commit()
        assert raised.value.code == "stale"
        second.rollback()
    finally:
        first.close()
        second.close()
    db.session.expire_all()
    assert db.session.get(Activity, record.id).version == 2
    approvals = [e for e in _events(db, record.uuid) if e.action == "approve"]
    assert len(approvals) == 1 and approvals[0].user_id == people["coordinator_in"].id


def test_same_uuid_twice_creates_one_record(db, make, people):
    values = {
        "date": date.today() - timedelta(days=1),
        "community_id": make.community("KG-O-KSU-02").id,
        "activity_type_code": "dialogue",
    }
    key = uuid.uuid4()
    change = Change(Action.CREATE, values=dict(values), record_uuid=key)
    first = lifecycle.create(db.session, people["author"], KINDS["activities"], change)
    db.session.commit()
    with pytest.raises(AlreadyStored) as raised:
        lifecycle.create(db.session, people["author"], KINDS["activities"], change)
    assert raised.value.record.id == first.id
    db.session.rollback()
    assert db.session.scalar(select(func.count(Activity.id))) == 1


def test_allowed_actions_are_what_the_table_permits(db, make, people):
    record = make.activity(people["author"], status=Status.SUBMITTED)
    db.session.commit()
    assert lifecycle.allowed_actions(db.session, people["coordinator_in"], record) == [
        Action.APPROVE,
        Action.RETURN,
        Action.CORRECT,
    ]
    assert lifecycle.allowed_actions(db.session, people["author"], record) == []


def test_the_service_itself_refuses_a_community_outside_the_district(db, make, people):
    """Called directly, as the JSON sync will: no form in front of it."""
    values = {
        "date": date.today(),
        "community_id": make.community("KG-C-SKL-01").id,
        "activity_type_code": "dialogue",
    }
    with pytest.raises(DomainError) as raised:
        lifecycle.create(
            db.session, people["author"], KINDS["activities"], Change(Action.CREATE, values=values)
        )
    assert raised.value.field == "community" and raised.value.code == "community_outside_district"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def _activity_values(make, **extra) -> dict:
    return {
        "date": date.today(),
        "community_id": make.community("KG-O-KSU-02").id,
        "activity_type_code": "dialogue",
        **extra,
    }


@pytest.mark.parametrize(
    "key,codes", [("target_groups", ["youth", "suspects"]), ("drivers", ["x"]), ("recommendations", ["R15"])]
)
def test_the_service_itself_refuses_an_unknown_code(db, make, people, key, codes):
    """Called directly, with no form to offer only known codes: refused, nothing stored."""
    with pytest.raises(DomainError) as raised:
        lifecycle.create(
            db.session,
            people["author"],
            KINDS["activities"],
            Change(Action.CREATE, values=_activity_values(make, **{key: codes})),
        )
    assert (raised.value.field, raised.value.code) == (key, "unknown_code")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_code_lists_are_stored_without_reading_the_taxonomy(app, db, make, people):
    """The codes become link rows; the taxonomy tables are not read to make them (issue 14), and a
    row the session already holds is the one used."""
    from sqlalchemy import event

    from app.models import Driver

    values = _activity_values(
        make,
        target_groups=["youth", "women", "youth"],
        drivers=["unemployment"],
        recommendations=["R3", "R1"],
    )
    held = db.session.get(Driver, "unemployment")  # already in the session: used, not added twice
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        created = lifecycle.create(
            db.session, people["author"], KINDS["activities"], Change(Action.CREATE, values=values)
        )
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert not [
        s for s in reads if any(f"FROM {t}" in s for t in ("target_groups", "drivers", "recommendations"))
    ]
    assert created.drivers == [held]
    db.session.expire_all()
    stored = db.session.get(Activity, created.id)
    assert sorted(g.code for g in stored.target_groups) == ["women", "youth"]
    assert [r.code for r in stored.recommendations] == ["R1", "R3"]  # in the vocabulary's order
    assert stored.recommendations[0].label  # the rows are the real ones, labels and all
    (event_,) = _events(db, created.uuid)
    assert event_.details["changes"]["target_groups"] == [None, ["women", "youth"]]
