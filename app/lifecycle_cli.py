"""The data lifecycle on the command line: ``backup``, ``restore`` and ``purge``.

Each prints one line; a refusal exits non-zero and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from .errors import DomainError
from .extensions import db
from .services import backup as service
from .services.audit import log_event
from .translate import gettext as _
from .translate import ngettext


@click.command("backup")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="New file."
)
@with_appcontext
def backup_command(out: Path) -> None:
    """Write a consistent copy of the whole database (SQLite backup API or pg_dump)."""
    try:
        service.backup(db.engine, out)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    log_event(db.session, "backup", "database", file=out.name)
    db.session.commit()
    click.echo(_("Backup written to %(path)s.", path=str(out)))


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that holds records or users.")
@with_appcontext
def restore_command(source: Path, force: bool) -> None:
    """Replace the database with a backup made by ``backup``."""
    try:
        service.restore(db.session, source, force=force)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    log_event(db.session, "restore", "database", file=source.name, forced=force)
    db.session.commit()
    click.echo(_("Database restored from %(path)s.", path=str(source)))


@click.command("purge")
@click.option("--older-than", "years", required=True, type=click.IntRange(min=1), help="Years to keep text.")
@with_appcontext
def purge_command(years: int) -> None:
    """Blank the free text of records older than the retention period (counts and codes stay)."""
    try:
        purged = service.purge_free_text(db.session, older_than_years=years)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    total = sum(purged.values())
    click.echo(
        ngettext("Free text removed from %(num)d entry.", "Free text removed from %(num)d entries.", total)
    )


def register_lifecycle_cli(app: Flask) -> None:
    """Attach the data-lifecycle commands to ``flask``."""
    for command in (backup_command, restore_command, purge_command):
        app.cli.add_command(command)
