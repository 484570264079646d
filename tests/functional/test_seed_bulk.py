"""The bulk demo seed (issue 14): its loaders put every index and foreign key back as the migrations
made them, a seed gives the same records, and a failure leaves nothing half-seeded."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.models import Activity, DriverAssessment, DriverRating, Incident, User, activity_drivers
from app.services import seed_bulk
from app.services.seed import seed_demo
from app.services.seed_rows import RowMaker
from app.vocabulary import COUNT_CELLS, Role

TODAY = date(2026, 11, 27)
RECORD_TABLES = (Activity, Incident, DriverAssessment)


def _schema(db) -> list[tuple]:
    """Every index and constraint of the database, as the database states it."""
    if db.engine.dialect.name == "sqlite":
        query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        return [tuple(r) for r in db.session.execute(text(query))]
    indexes = db.session.execute(
        text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1")
    )
    constraints = db.session.execute(
        text(
            "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), c.convalidated FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = current_schema() ORDER BY 1, 2"
        )
    )
    return [tuple(r) for r in indexes] + [tuple(r) for r in constraints]


def _counts(db) -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (*RECORD_TABLES, DriverRating, activity_drivers)
    )


@pytest.fixture
def large(monkeypatch):
    """Make every load a large one: indexes (and PostgreSQL's foreign keys) dropped and rebuilt,
    rows made in a thread ahead of a PostgreSQL load."""
    monkeypatch.setattr(seed_bulk, "LARGE", 1)


def test_a_large_load_puts_back_every_index_and_foreign_key(db, make, large):
    before = _schema(db)
    cache = (
        db.session.execute(text("PRAGMA cache_size")).scalar() if db.engine.dialect.name == "sqlite" else None
    )
    seed_demo(db.session, activities=400, incidents=150, assessments=60, seed=5, today=TODAY)
    db.session.commit()
    assert _schema(db) == before
    if cache is not None:
        assert db.session.execute(text("PRAGMA cache_size")).scalar() == cache
    assert _counts(db)[:3] == (400, 150, 60)
    for model in RECORD_TABLES:  # ids in date order, one after the other
        rows = db.session.execute(select(model.id, model.date).order_by(model.id)).all()
        assert [r.id for r in rows] == list(range(rows[0].id, rows[0].id + len(rows)))
        if model is not DriverAssessment:  # assessments go by quarter
            assert [r.date for r in rows] == sorted(r.date for r in rows)
    # the records read back through the ORM, links and all, and new ones get fresh ids
    activity = db.session.scalars(select(Activity).order_by(Activity.id.desc()).limit(1)).one()
    assert activity.uuid.version == 4 and activity.created_at.date() == activity.date
    assert activity.target_groups and activity.drivers and activity.recommendations
    assert 0 <= activity.first_time_participants <= activity.people_total
    volunteer = db.session.scalars(select(User).where(User.role == Role.VOLUNTEER).limit(1)).one()
    added = make.activity(volunteer)
    db.session.commit()
    assert added.id > activity.id


def test_the_same_seed_gives_the_same_records(db):
    def records(first: int) -> list[tuple]:
        columns = [getattr(Activity, c) for c, _s, _b in COUNT_CELLS]
        rows = db.session.execute(
            select(
                Activity.id - first,
                Activity.date,
                Activity.status,
                Activity.community_id,
                Activity.activity_type_code,
                Activity.record_key,
                Activity.created_at,
                Activity.first_time_participants,
                *columns,
            )
            .where(Activity.id >= first)
            .order_by(Activity.id)
        )
        return [tuple(r) for r in rows]

    seed_demo(db.session, activities=300, incidents=50, assessments=30, seed=11, today=TODAY)
    db.session.commit()
    second = db.session.scalar(select(func.max(Activity.id))) + 1
    seed_demo(db.session, activities=300, incidents=50, assessments=30, seed=11, today=TODAY)
    db.session.commit()
    first = db.session.scalar(select(func.min(Activity.id)))
    assert records(first)[:300] == records(second)
    assert db.session.scalar(select(func.count(func.distinct(Activity.uuid)))) == 600
    links = db.session.execute(
        select(activity_drivers.c.activity_id, activity_drivers.c.driver_code).order_by(
            activity_drivers.c.activity_id, activity_drivers.c.driver_code
        )
    ).all()
    assert [(a - first, d) for a, d in links if a < second] == [
        (a - second, d) for a, d in links if a >= second
    ]


@pytest.mark.parametrize("is_large", [False, True], ids=["small", "large"])
def test_a_failed_seed_leaves_nothing(db, monkeypatch, is_large):
    if is_large:
        monkeypatch.setattr(seed_bulk, "LARGE", 1)
    before, counts = _schema(db), _counts(db)

    def broken(self, first_id, n):
        raise RuntimeError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(RowMaker, "incidents", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        seed_demo(db.session, activities=200, incidents=50, assessments=10, seed=3, today=TODAY)
    db.session.rollback()
    assert _counts(db) == counts
    assert _schema(db) == before


def test_rows_made_ahead_arrive_in_order_and_errors_reach_the_caller():
    chunks = [{"activities": [(i,)]} for i in range(7)]
    assert list(seed_bulk._made_ahead(iter(chunks), depth=2)) == chunks

    def failing():
        yield chunks[0]
        raise ValueError("bad weights")

    made = seed_bulk._made_ahead(failing())
    assert next(made) == chunks[0]
    with pytest.raises(ValueError, match="bad weights"):
        next(made)

    # the caller stops early (a failed write): the thread ends rather than waiting on a full queue
    endless = ({"activities": [(i,)]} for i in range(10**9))
    made = seed_bulk._made_ahead(endless, depth=1)
    assert next(made) == {"activities": [(0,)]}
    made.close()
