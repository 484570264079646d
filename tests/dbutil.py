"""Test databases: the one the suite runs on (``DATABASE_URL`` or a temporary SQLite file)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.engine import make_url

from app.data.geography import iter_districts
from app.extensions import db
from app.vocabulary import COUNTRIES


def server_url() -> str | None:
    """The PostgreSQL URL CI gives us, or None for SQLite."""
    url = os.environ.get("DATABASE_URL")
    return url or None


@contextmanager
def scratch_database(tmp_path, name: str) -> Iterator[str]:
    """A new empty database of the suite's kind, dropped afterwards."""
    url = server_url()
    if url is None:
        yield f"sqlite:///{tmp_path / (name + '.sqlite')}"
        return
    base = make_url(url)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    scratch = f"{base.database}_{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        yield base.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def reset_schema() -> None:
    """Drop everything so that the migrations start from an empty database."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


def _reference_codes() -> dict[str, set[str]]:
    regions, districts, communities = set(), set(), set()
    for _country, region, _rname, district, _dname, names in iter_districts():
        regions.add(region)
        districts.add(district)
        communities.update(f"{district}-{n:02d}" for n in range(1, len(names) + 1))
    return {
        "countries": {code for code, _ in COUNTRIES},
        "regions": regions,
        "districts": districts,
        "communities": communities,
    }


REFERENCE_TABLES = {
    "recommendations",
    "drivers",
    "target_groups",
    "activity_types",
    "incident_categories",
}


@contextmanager
def audit_triggers_off(conn) -> Iterator[None]:
    """Let the test clean-up delete audit rows, which the migration's triggers otherwise refuse.

    PostgreSQL: skip triggers for this transaction (the suite connects as a superuser).
    SQLite: drop the audit table's triggers and create them again from their stored SQL.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield
        return
    triggers = conn.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
    ).all()
    for name, _sql in triggers:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        conn.execute(text(sql))


#: The reference places' names per language as ``init-db`` loaded them (``remember_names``).
_NAMES: dict[str, dict[str, dict]] = {}
_NAMED_TABLES = ("countries", "regions", "districts", "communities")


def remember_names() -> None:
    """Keep the names the reference places have now, for :func:`wipe_test_rows` to put back."""
    for name in _NAMED_TABLES:
        table = db.metadata.tables[name]
        _NAMES[name] = {
            code: names for code, names in db.session.execute(select(table.c.code, table.c.names))
        }


def _restore_names(conn) -> None:
    """A test that renamed a reference place (the admin's names page) leaves it as it was."""
    for name, expected in _NAMES.items():
        table = db.metadata.tables[name]
        for code, names in conn.execute(select(table.c.code, table.c.names)):
            if code in expected and names != expected[code]:
                conn.execute(update(table).where(table.c.code == code).values(names=expected[code]))


def wipe_test_rows() -> None:
    """Delete what a test added, keeping the reference data ``init-db`` loads (names included)."""
    codes = _reference_codes()
    db.session.rollback()
    with db.engine.begin() as conn, audit_triggers_off(conn):
        _restore_names(conn)
        for table in reversed(db.metadata.sorted_tables):
            if table.name in REFERENCE_TABLES:
                continue
            if table.name in codes:
                conn.execute(delete(table).where(table.c.code.not_in(codes[table.name])))
            else:
                conn.execute(delete(table))
    db.session.remove()
