"""The schema users get comes from the migrations, and the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []
