"""Fixtures for the entry tests: a signed-in volunteer and a community in their district."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.kinds import KINDS
from app.models import AuditEvent


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
