"""Command-line interface: ``flask --app wsgi init-db | create-user | seed-demo``.

Every command runs in one transaction: a failure prints one line, exits non-zero and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import text

from config import Config

from .errors import DomainError
from .extensions import db
from .services.db_tuning import sqlite_rollback_journal


@contextmanager
def _bulk_journal() -> Iterator[None]:
    """On SQLite, the seed's one transaction written with the rollback journal
    (:func:`app.services.db_tuning.sqlite_rollback_journal`); elsewhere nothing changes."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    with sqlite_rollback_journal(connection.connection.dbapi_connection):
        yield


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def update_statistics() -> None:
    """Refresh the query planner's table statistics (``ANALYZE``), e.g. after a bulk load.

    Without them SQLite picks indexes by rule of thumb, and walks a status index row by row where a
    covering index would answer from the index alone.
    """
    db.session.execute(text("ANALYZE"))
    db.session.commit()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Migrate the database and load taxonomies and geography (safe to run again)."""
    from .services import summaries
    from .services.reference import load_reference_data

    upgrade()
    changes = load_reference_data(db.session)
    if summaries.is_empty(db.session):  # records stored before the summaries existed (issue 14)
        summaries.rebuild(db.session)
    db.session.commit()
    update_statistics()
    click.echo(f"Database ready: {changes} reference rows added or updated.")


@click.command("rebuild-summaries")
@with_appcontext
def rebuild_summaries_command() -> None:
    """Rebuild the summary tables the reports read from the records (after a bulk load)."""
    from .services import summaries

    counts = summaries.rebuild(db.session)
    db.session.commit()
    update_statistics()
    click.echo("Summaries rebuilt: " + ", ".join(f"{name} {n:,} rows" for name, n in counts.items()) + ".")


@click.command("create-user")
@click.argument("username")
@click.option("--role", required=True, help="volunteer, coordinator, donor or admin")
@click.option("--organisation", "organisation_code", help="Organisation code (volunteers).")
@click.option("--region", "region_code", help="Region code a coordinator is assigned, e.g. KG-O.")
@click.option("--country", "country_code", help="Country code a coordinator is assigned, e.g. TJ.")
@click.option("--locale", type=click.Choice(Config.LANGUAGES), help="Interface language.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (asked for when not given).",
)
@with_appcontext
def create_user_command(
    username: str,
    role: str,
    organisation_code: str | None,
    region_code: str | None,
    country_code: str | None,
    locale: str | None,
    password: str,
) -> None:
    """Create a user with a role and the scope that role needs."""
    from .services.users import add_user

    try:
        user = add_user(
            db.session,
            actor=None,
            username=username,
            password=password,
            role=role,
            organisation_code=organisation_code,
            region_code=region_code,
            country_code=country_code,
            locale=locale,
            via="cli",
        )
    except DomainError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username}.")


@click.command("seed-demo")
@click.option("--activities", default=1000, show_default=True, type=click.IntRange(0, 2_000_000))
@click.option("--incidents", default=300, show_default=True, type=click.IntRange(0, 2_000_000))
@click.option("--assessments", default=100, show_default=True, type=click.IntRange(0, 500_000))
@click.option("--seed", "seed_value", default=2016, show_default=True, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing when records already exist.")
@click.option("--no-accounts", is_flag=True, help="Do not list the demo accounts afterwards.")
@with_appcontext
def seed_demo_command(
    activities: int, incidents: int, assessments: int, seed_value: int, if_empty: bool, no_accounts: bool
) -> None:
    """Add believable demo organisations, accounts and records over the last 24 months."""
    from .services.seed import has_records, seed_demo
    from .services.seed_results import ensure_demo_programmes

    if not current_app.config["ALLOW_DEMO_DATA"]:
        raise click.ClickException(
            "seed-demo is refused under the production configuration: it would create accounts "
            "whose password is published in the README."
        )
    if if_empty and has_records(db.session):
        # A database seeded before the results framework still gets its demo programmes.
        added = ensure_demo_programmes(db.session)
        db.session.commit()
        click.echo(
            f"Demo data already present; added {added} demo programmes."
            if added
            else "Demo data already present; nothing added."
        )
        return
    with _bulk_journal():
        try:
            result = seed_demo(
                db.session,
                activities=activities,
                incidents=incidents,
                assessments=assessments,
                seed=seed_value,
            )
        except DomainError as exc:
            _fail(str(exc))
        db.session.commit()
    update_statistics()
    click.echo(
        f"Added {result.activities} activities, {result.incidents} incidents and "
        f"{result.assessments} assessments in {result.seconds:.1f} s."
    )
    if not no_accounts:
        _echo_accounts(result.accounts)


@click.command("demo-accounts")
@with_appcontext
def demo_accounts_command() -> None:
    """Print the demo accounts."""
    from .services.seed import demo_accounts

    _echo_accounts(demo_accounts(db.session))


def _echo_accounts(accounts: list[tuple[str, str, str]]) -> None:
    from .services.seed import DEMO_PASSWORD

    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for username, role, scope in accounts:
        click.echo(f"  {username:<16} {role:<12} {scope}")


def register_cli(app: Flask) -> None:
    """Attach the commands to ``flask``."""
    for command in (
        init_db_command,
        rebuild_summaries_command,
        create_user_command,
        seed_demo_command,
        demo_accounts_command,
    ):
        app.cli.add_command(command)
