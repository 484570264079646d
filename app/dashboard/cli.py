"""``flask --app wsgi export-report``: the report workbook from the command line (audited)."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from config import Config
from reports.filters import Audience, FilterError, resolve_filters

from ..extensions import db
from ..models import Programme
from ..services.exports import export_workbook

LANGUAGES = ("en", *(language for language in Config.LANGUAGES if language != "en"))


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.ClickException(f"{option} must be a date as YYYY-MM-DD, got {value!r}") from None


@click.command("export-report")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="File to write."
)
@click.option("--from", "date_from", help="First day, YYYY-MM-DD (default: a year before --to).")
@click.option("--to", "date_to", help="Last day, YYYY-MM-DD (default: today).")
@click.option(
    "--audience",
    default=Audience.DONOR.value,
    show_default=True,
    help="donor (approved records, whole months, counts perturbed and small ones hidden, no single "
    "records) or coordinator (exact, one row per record).",
)
@click.option("--country", help="Country code, e.g. KG.")
@click.option("--region", help="Region code, e.g. KG-O.")
@click.option("--lang", default="en", show_default=True, help="Language: " + ", ".join(LANGUAGES) + ".")
@click.option(
    "--programme",
    "programme_code",
    help="A programme's code: adds its Results framework sheet (and its period, unless --from/--to).",
)
@with_appcontext
def export_report_command(
    out: str,
    date_from: str | None,
    date_to: str | None,
    audience: str,
    country: str | None,
    region: str | None,
    lang: str,
    programme_code: str | None,
) -> None:
    """Write the report workbook for a period and place."""
    if lang not in LANGUAGES:
        raise click.ClickException(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    programme = None
    if programme_code:
        programme = db.session.scalar(
            select(Programme).where(Programme.code == programme_code.strip().upper())
        )
        if programme is None:
            raise click.ClickException(f"No programme has the code {programme_code!r}")
        date_from = date_from or programme.start_date.isoformat()
        date_to = date_to or programme.end_date.isoformat()
    try:
        filters = resolve_filters(
            db.session,
            audience=audience,
            date_from=_date("--from", date_from),
            date_to=_date("--to", date_to),
            country=country,
            region=region,
            cell_key_table=current_app.config["CELL_KEY_TABLE"],
        )
    except FilterError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    try:
        handle = open(out, "wb")  # noqa: SIM115  (opened first: an unwritable path fails before any work)
    except OSError as exc:
        db.session.rollback()
        raise click.ClickException(f"Cannot write {out}: {exc.strerror}") from None
    with handle, force_locale(lang):
        result = export_workbook(
            db.session, filters, handle, locale=lang, user=None, via="cli", programme=programme
        )
    db.session.commit()
    click.echo(
        f"Wrote {out} ({filters.audience.value}, {filters.date_from} to {filters.date_to}; "
        f"report {result.report_id})."
    )
