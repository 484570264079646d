"""Audit rows cannot be changed or deleted: the database itself refuses (SQLite and PostgreSQL).

The ``record_lifecycle`` migration adds the triggers; these tests run on whichever database the
suite uses (``DATABASE_URL`` for PostgreSQL, else SQLite). The clean-up after each test deletes
through :func:`tests.dbutil.audit_triggers_off`, which is the only way round them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from app.models import AuditEvent

REFUSED = "append-only"
SNAPSHOT = text(
    "SELECT id, at, action, object_type, user_id, object_uuid, details, ip_address, user_agent"
    " FROM audit_events ORDER BY id"
)
APP_DIR = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def events(db, make):
    """Two committed audit rows by a coordinator."""
    actor = make.user("coordinator", username="auditor")
    rows = [
        AuditEvent(
            action=action,
            object_type="activity",
            user_id=actor.id,
            details={"version": 1, "changes": {"f_u18": [0, 12]}},
            ip_address="203.0.113.5",
            user_agent="Firefox/128.0",
            at=datetime(2026, 5, 1, 8, tzinfo=UTC),
        )
        for action in ("create", "approve")
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def snapshot(db) -> list[tuple]:
    """Every audit row as stored, read afresh."""
    db.session.rollback()
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(SNAPSHOT)]


def refused(db, statement: str, **params: object) -> None:
    """Run raw SQL and expect the database to refuse it; roll back afterwards."""
    with pytest.raises(DatabaseError, match=REFUSED):
        db.session.execute(text(statement), params)
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'login' WHERE id = :id",
        "UPDATE audit_events SET ip_address = NULL, user_agent = NULL WHERE id = :id",
        "UPDATE audit_events SET details = '{}' WHERE id = :id",
        "UPDATE audit_events SET user_id = NULL",
    ],
)
def test_update_is_refused(db, events, statement):
    before = snapshot(db)
    refused(db, statement, id=events[0])
    assert snapshot(db) == before


@pytest.mark.parametrize("statement", ["DELETE FROM audit_events WHERE id = :id", "DELETE FROM audit_events"])
def test_delete_is_refused(db, events, statement):
    before = snapshot(db)
    refused(db, statement, id=events[1])
    assert snapshot(db) == before
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.id.in_(events))) == 2


@pytest.mark.parametrize(
    "statement",
    # Plain TRUNCATE is stopped by review_notes' foreign key already; these get past it.
    ["TRUNCATE audit_events CASCADE", "TRUNCATE review_notes, audit_events"],
)
def test_truncate_is_refused_on_postgresql(db, events, statement):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE without WHERE is refused above")
    before = snapshot(db)
    refused(db, statement)
    assert snapshot(db) == before


def test_refused_through_the_engine_too(db, events):
    """Not only through the app's session: a separate connection is refused the same."""
    with pytest.raises(DatabaseError, match=REFUSED), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[0]})
    with db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM audit_events WHERE id = :id"), {"id": events[0]}) == 1


def test_the_orm_cannot_change_or_delete_a_row(db, events):
    event = db.session.get(AuditEvent, events[0])
    event.action = "login"
    with pytest.raises(DatabaseError, match=REFUSED):
        db.session.commit()
    db.session.rollback()
    event = db.session.get(AuditEvent, events[0])
    assert event.action == "create"
    db.session.delete(event)
    with pytest.raises(DatabaseError, match=REFUSED):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, events[0]) is not None


def test_inserting_still_works(db, events):
    db.session.add(AuditEvent(action="login", object_type="user", details={}))
    db.session.commit()
    assert db.session.scalar(select(func.count(AuditEvent.id))) >= 3


def test_no_route_changes_or_deletes_audit_rows(app: Flask):
    """The log page answers GET only, and no application code updates or deletes an audit row."""
    audit_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint == "admin.audit_log"]
    assert [sorted(rule.methods) for rule in audit_rules] == [["GET", "HEAD", "OPTIONS"]]
    writes = re.compile(
        r"(?:update|delete)\(\s*AuditEvent\b|(?:UPDATE|DELETE\s+FROM|TRUNCATE)\s+audit_events"
        r"|session\.delete\(\s*(?:event|audit)",
        re.IGNORECASE,
    )
    offenders = [
        str(path.relative_to(APP_DIR.parent))
        for path in APP_DIR.rglob("*.py")
        if writes.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
