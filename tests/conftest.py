"""Fixtures: app (migrated once per run), db (clean per test), client, runner, login_as, builders."""

from __future__ import annotations

import os

import pytest
from flask import g
from flask_migrate import upgrade

from app import create_app
from app.extensions import db as _db
from app.services.reference import load_reference_data
from config import TestingConfig

from . import factories
from .dbutil import remember_names, reset_schema, server_url, wipe_test_rows


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app and one migrated database for the whole run (``upgrade``, never ``create_all``)."""
    url = server_url() or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app(
        TestingConfig,
        {"SQLALCHEMY_DATABASE_URI": url},
    )

    @app.teardown_request
    def _forget_cached_user(exc):
        # Tests keep an app context open, which requests then share (and with it ``g``):
        # without this, Flask-Login's cached user would leak from one test client to the next.
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)  # Flask-Babel's locale of the request, likewise

    with app.app_context():
        reset_schema()
        upgrade()
        load_reference_data(_db.session)
        _db.session.commit()
        remember_names()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, emptied of what the test added when it ends."""
    with app.app_context():
        yield _db
        wipe_test_rows()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def csrf_enabled(app):
    """Turn CSRF protection on for one test, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def make(db):
    """Builders for organisations, users and records: ``make.user("volunteer")`` etc."""
    return factories.Builders(db.session)


@pytest.fixture
def volunteer(make, db):
    """A volunteer of a new organisation in KG-O-KSU (Kara-Suu District)."""
    user = make.user("volunteer")
    db.session.commit()
    return user


@pytest.fixture
def login_as(client):
    """Sign a user in through the real sign-in form; returns the client."""

    def _login(user, password: str = factories.PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return client

    return _login


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}"
