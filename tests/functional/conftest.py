"""Fixtures of the functional tests: a signed-in volunteer, a community in their district, and a
coordinator with the report records."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.kinds import KINDS
from app.models import AuditEvent

from . import report_data


@pytest.fixture
def coordinator(make, db):
    """A coordinator of Osh region, with the report tests' records (report_data)."""
    report_data.build(make, db)
    user = make.user("coordinator", region="KG-O")
    db.session.commit()
    return user


@pytest.fixture
def signed_in(volunteer, login_as):
    """The test client signed in as ``volunteer``."""
    return login_as(volunteer)


@pytest.fixture
def home_community(make):
    """A community of the volunteer's district (KG-O-KSU)."""
    return make.community("KG-O-KSU-02")


def count(db, kind: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(KINDS[kind].model.id)))


def audit_actions(db) -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
