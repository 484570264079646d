"""The data lifecycle: a backup and restore round trip, and the retention purge of free text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError

from app import create_app
from app.extensions import db as app_db
from app.models import Activity, AuditEvent, Incident, ReviewNote, User
from app.services import lifecycle
from app.services.lifecycle import Action, Change
from app.services.reference import load_reference_data
from app.vocabulary import Status
from config import TestingConfig

from ..dbutil import scratch_database
from ..factories import Builders

OLD = date.today() - timedelta(days=365 * 6)


def test_purge_blanks_old_free_text_and_keeps_counts(runner, make, db):
    volunteer = make.user("volunteer")
    coordinator = make.user("coordinator")
    old = make.activity(
        volunteer, date=OLD, outcome="Names of the village elders.", f_u18=7, status=Status.SUBMITTED
    )
    old_incident = make.incident(volunteer, date=OLD, description="Near the mosque.")
    recent = make.activity(volunteer, outcome="Kept: within the period.")
    db.session.commit()
    lifecycle.apply(db.session, coordinator, old, Change(Action.RETURN, note="Ask the elders again."))
    db.session.commit()

    result = runner.invoke(args=["purge", "--older-than", "5"])
    assert result.exit_code == 0, result.output
    assert "Free text removed from 2 entries." in result.output
    db.session.expire_all()
    purged = db.session.get(Activity, old.id)
    assert (purged.outcome, purged.partners, purged.review_comment) == ("", "", None)
    assert purged.f_u18 == 7 and [g.code for g in purged.target_groups] == ["youth"]
    assert purged.version == 3  # returned (2), then purged (3)
    assert db.session.get(Incident, old_incident.id).description == ""
    assert db.session.get(Activity, recent.id).outcome == "Kept: within the period."
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "purge").order_by(AuditEvent.id)
    ).all()
    assert len(events) == 2 and all(e.user_id is None for e in events)
    assert events[0].details["changes"]["outcome"] == "changed" and "elders" not in str(events[0].details)
    assert db.session.scalar(select(func.count()).select_from(ReviewNote)) == 0
    again = runner.invoke(args=["purge", "--older-than", "5"])
    assert "Free text removed from 0 entries." in again.output


def test_purge_needs_a_whole_number_of_years(runner, make, db):
    record = make.activity(make.user("volunteer"), date=OLD, outcome="Stays.")
    db.session.commit()
    for bad in (["--older-than", "0"], ["--older-than", "x"], []):
        assert runner.invoke(args=["purge", *bad]).exit_code != 0
    db.session.expire_all()
    assert db.session.get(Activity, record.id).outcome == "Stays."


def test_backup_and_restore_round_trip(tmp_path):
    with scratch_database(tmp_path, "backup") as url:
        app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url})
        runner = app.test_cli_runner()
        with app.app_context():
            upgrade()
            load_reference_data(app_db.session)
            make = Builders(app_db.session)
            volunteer = make.user("volunteer", username="kept.volunteer")
            kept = make.activity(volunteer, outcome="Round table held.", f_18_29=12)
            app_db.session.commit()
            kept_uuid = kept.uuid

            out = tmp_path / "yntymak.backup"
            result = runner.invoke(args=["backup", "--out", str(out)])
            assert result.exit_code == 0, result.output
            assert out.stat().st_size > 0
            assert runner.invoke(args=["backup", "--out", str(out)]).exit_code != 0  # never overwritten

            # after the backup: a change that the restore must undo
            app_db.session.get(Activity, kept.id).outcome = "Changed afterwards."
            make.activity(volunteer)
            app_db.session.commit()

            refused = runner.invoke(args=["restore", str(out)])
            assert refused.exit_code != 0 and "--force" in refused.output
            assert runner.invoke(args=["restore", str(tmp_path / "missing.backup"), "--force"]).exit_code != 0
            result = runner.invoke(args=["restore", str(out), "--force"])
            assert result.exit_code == 0, result.output

            app_db.session.remove()
            restored = app_db.session.scalars(select(Activity)).all()
            assert [(a.uuid, a.outcome, a.f_18_29) for a in restored] == [
                (kept_uuid, "Round table held.", 12)
            ]
            assert app_db.session.scalar(select(User.username).where(User.username == "kept.volunteer"))
            actions = app_db.session.scalars(select(AuditEvent.action)).all()
            assert "restore" in actions
            # the restored audit log is still append-only
            with pytest.raises(DatabaseError, match="append-only"):
                app_db.session.execute(AuditEvent.__table__.delete())
            app_db.session.rollback()
            app_db.session.remove()
            app_db.engine.dispose()
