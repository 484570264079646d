"""The schema users get comes from the migrations, and the migrations match the models."""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Column, inspect, text
from sqlalchemy.exc import SAWarning
from sqlalchemy.schema import CreateIndex

from app import create_app
from app.extensions import db
from config import TestingConfig

from ..dbutil import scratch_database


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_on_an_empty_database(tmp_path):
    with scratch_database(tmp_path, "migrations") as url:
        app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            assert _tables(db.engine) == set(db.metadata.tables)
            downgrade(revision="base")
            assert _tables(db.engine) == set()
            upgrade()
            assert _tables(db.engine) == set(db.metadata.tables)
            db.engine.dispose()


def test_models_and_migrations_agree(app):
    """Autogenerate on the migrated test database finds nothing to do (``flask db check``)."""
    with app.app_context(), db.engine.connect() as conn, warnings.catch_warnings():
        if conn.dialect.name == "sqlite":
            # SQLite cannot reflect an index on an expression (the review queue's ix_<table>_waiting):
            # autogenerate skips them, and the next test compares them.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based", SAWarning)
            warnings.filterwarnings(
                "ignore", "autogenerate skipping metadata-specified expression", UserWarning
            )
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def _words(sql: str) -> str:
    return " ".join(sql.replace('"', "").replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split())


def test_expression_indexes_agree(app):
    """The indexes on expressions are in the migrated database as the models define them."""
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            pytest.skip("PostgreSQL reflects indexes on expressions: autogenerate compares them")
        expected = {
            index.name: _words(str(CreateIndex(index).compile(dialect=conn.dialect)))
            for table in db.metadata.tables.values()
            for index in table.indexes
            if any(not isinstance(expression, Column) for expression in index.expressions)
        }
        assert expected  # the review queue's
        rows = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        )
        stored = {name: sql for name, sql in rows}
    assert {name: _words(stored.get(name) or "") for name in expected} == expected
