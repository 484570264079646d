"""``flask --app wsgi run-jobs`` (the queue's consumer) and ``flask --app wsgi purge-exports``."""

from __future__ import annotations

import logging
import os

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..services.export_jobs import tidy_jobs
from ..services.priority import lower_this_thread
from .queue import job_queue


@click.command("run-jobs")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32), help="Worker threads.")
@with_appcontext
def run_jobs_command(workers: int) -> None:
    """Run the background jobs (exports) until stopped: Ctrl-C or SIGINT finishes the jobs under
    way first, SIGTERM stops at once (a job cut short stays unfinished until it expires)."""
    huey = job_queue().huey
    if huey.immediate:
        raise click.ClickException("HUEY_URL=memory:// runs each job inside its request: nothing to consume")
    logger = logging.getLogger("huey")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    # Before the worker threads start: they inherit the consumer's nice value (Linux keeps one per
    # thread), so exports built in the background give way to the web requests too.
    nicer = lower_this_thread(current_app.config["EXPORT_NICENESS"])
    click.echo(
        f"Running background jobs from {_shown(current_app.config['HUEY_URL'])} ({workers} workers"
        + (f", nice {os.getpriority(os.PRIO_PROCESS, 0)}" if nicer else "")
        + ")."
    )
    # An idle worker asks an SQLite queue again within a second (Redis answers at once).
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, initial_delay=0.1, max_delay=1.0
    )
    consumer.run()


def _shown(url: str) -> str:
    """The queue's URL without its password."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rsplit("@", 1)[1]
    return scheme + sep + rest


@click.command("purge-exports")
@with_appcontext
def purge_exports_command() -> None:
    """Delete the files of background exports past their time (EXPORT_TTL_HOURS) and give up
    those whose builder stopped (EXPORT_STALLED_MINUTES)."""
    stalled, count = tidy_jobs(db.session, current_app.config)
    click.echo(f"Expired {count} export(s). Gave up {stalled} stalled export(s).")


def register_jobs_cli(app: Flask) -> None:
    """The two commands, on the app's ``flask`` CLI."""
    app.cli.add_command(run_jobs_command)
    app.cli.add_command(purge_exports_command)
