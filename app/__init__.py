"""Application factory: a readable list of ``configure_*`` steps."""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import Config, ConfigError, config_from_env

from .extensions import babel, csrf, db, login_manager, migrate


def create_app(config_class: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    """Build the app. ``overrides`` wins over the config class (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    configure_settings(app, config_class, overrides or {})
    configure_headers(app)
    configure_database(app)
    configure_auth(app)
    configure_rate_limits(app)
    configure_i18n(app)
    configure_templates(app)
    configure_static(app)
    configure_jobs(app)
    configure_blueprints(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, config_class: type[Config] | None, overrides: dict) -> None:
    """Load and validate the configuration (``YNTYMAK_CONFIG`` when no class is given); a bad one
    stops start-up with one line."""
    try:
        config_class = config_class or config_from_env()
        app.config.from_object(config_class)
        app.config.update(overrides)
        config_class.validate(app.config, app.instance_path)
    except ConfigError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(2) from None


def configure_headers(app: Flask) -> None:
    """Content-Security-Policy and the other security headers; pages never cached."""
    from .headers import init_headers

    init_headers(app)


def configure_database(app: Flask) -> None:
    """SQLAlchemy, Alembic, and SQLite pragmas (WAL, busy timeout, foreign keys)."""
    from . import models  # noqa: F401  (registers every table on the metadata)

    db.init_app(app)
    from .services import summaries

    summaries.install()  # summary tables follow every change of a record (issue 14)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection."""
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_auth(app: Flask) -> None:
    """Flask-Login and CSRF protection."""
    from .services.accounts import load_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    csrf.init_app(app)


def configure_rate_limits(app: Flask) -> None:
    """Flask-Limiter's storage for the sign-in limits, and the proxies trusted for the address.

    Behind nginx every request comes from 127.0.0.1: with ``TRUSTED_PROXIES=1`` the address the
    proxy puts in X-Forwarded-For is the client's, for the per-address limit and the audit log.
    """
    from limits.errors import ConfigurationError
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .extensions import limiter

    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    try:
        limiter.init_app(app)
    except ConfigurationError as exc:
        sys.stderr.write(f"Configuration error: RATELIMIT_STORAGE_URI cannot be used: {exc}\n")
        raise SystemExit(2) from None


def configure_i18n(app: Flask) -> None:
    """Flask-Babel with the per-user, then browser, then Russian locale."""
    from flask_babel import get_locale

    from .collation import in_order
    from .i18n import select_locale
    from .translate import install_in_jinja

    babel.init_app(app, locale_selector=select_locale)
    install_in_jinja(app.jinja_env)  # the same messages, for a tenth of Flask-Babel's lookups
    app.jinja_env.globals["get_locale"] = get_locale
    # ``places|alphabetical``: by their names in the reader's language, in its alphabet.
    app.jinja_env.filters["alphabetical"] = lambda items: in_order(items, lambda item: item.local_name)


def configure_templates(app: Flask) -> None:
    """Helpers every template may call: ``choice_options(field)`` writes a group's options."""
    from forms.widgets import choice_options

    app.jinja_env.globals["choice_options"] = choice_options


def configure_static(app: Flask) -> None:
    """Versioned static URLs (``?v=<content hash>``) cached for a year, sent compressed."""
    from .static_files import init_static

    init_static(app)


def configure_jobs(app: Flask) -> None:
    """The queue of background exports (Huey, made from ``HUEY_URL`` on first use: app/jobs/)."""
    from .jobs.queue import init_jobs

    init_jobs(app)


def configure_blueprints(app: Flask) -> None:
    """Register every blueprint, explicitly."""
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .dashboard import bp as dashboard_bp
    from .entries import bp as entries_bp
    from .main import bp as main_bp
    from .offline import bp as offline_bp
    from .results import bp as results_bp
    from .review import bp as review_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(entries_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(results_bp)


def configure_cli(app: Flask) -> None:
    """``flask --app wsgi init-db | create-user | seed-demo``."""
    from .cli import register_cli
    from .dashboard.cli import export_report_command
    from .jobs.cli import register_jobs_cli
    from .lifecycle_cli import register_lifecycle_cli

    register_cli(app)
    register_lifecycle_cli(app)
    app.cli.add_command(export_report_command)
    register_jobs_cli(app)
