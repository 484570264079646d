"""The export task: build a job's file in the background, its progress written on the job row.

A job is claimed once (``queued`` -> ``running`` in one UPDATE), so a task delivered twice builds
nothing twice. The file is written under a temporary name and renamed when complete; the
register entry and the audit event of the export (:func:`app.services.exports.export_workbook`,
``via="job"``) and the job's ``done`` are committed together, after the rename. Anything that
goes wrong rolls that back, deletes the file and marks the job failed with a message of the app.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from huey import Huey, crontab
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from reports.filters import FilterError, ReportFilters

from ..extensions import db
from ..models import ExportJob, ExportKind, IssuedReport, JobStatus, Programme
from ..models.base import utcnow
from ..services.export_jobs import fail_job, job_filters, part_file, record_rows, tidy_jobs
from ..services.exports import export_records_zip, export_workbook
from ..services.programmes import visible_programme
from ..vocabulary import N_

log = logging.getLogger(__name__)

#: Why a job failed, as its page says it (translated there).
FAILED = N_("The export could not be built. Ask for it again; if it fails again, tell an administrator.")
FILTERS_GONE = N_("These filters no longer fit your area: ask for the export again from the dashboard.")
PROGRAMME_GONE = N_("This export's programme is no longer open to you.")
QUEUE_DOWN = N_(
    "The export could not be started: the queue of background exports does not answer. Try again "
    "later; if it happens again, tell an administrator."
)

#: Seconds between two writes of the progress to the job row (a test may lower it).
PROGRESS_INTERVAL = 1.0


class JobProblem(Exception):
    """The job cannot be built for a reason its owner is told (``message``: ``N_`` text)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProgressWriter:
    """Called with the rows written so far; writes them and the percentage to the job row in a
    short transaction of its own (its own connection), at most every :data:`PROGRESS_INTERVAL`."""

    def __init__(self, engine: Engine, job_id: int, total: int) -> None:
        self.engine, self.job_id, self.total = engine, job_id, total
        self.done = 0
        self._last = time.monotonic()

    def percent(self, rows: int) -> int:
        """Never 100 before the file is saved (the job's end says that)."""
        return min(99, rows * 100 // self.total) if self.total else 0

    def __call__(self, rows: int) -> None:
        self.done = rows
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        table = ExportJob.__table__
        with self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.id == self.job_id)
                .values(rows_done=rows, progress=self.percent(rows), heartbeat_at=utcnow())
            )


def _claim(session: Session, job_id: int) -> bool:
    """Mark a queued job running (committed: the progress is written beside it); False when it
    was run already, or expired meanwhile."""
    claimed = session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow(), progress=0, rows_done=0)
    )
    session.commit()
    return claimed.rowcount == 1


def _inputs(session: Session, job: ExportJob) -> tuple[ReportFilters, Programme | None]:
    try:
        filters = job_filters(session, job, cell_key_table=current_app.config["CELL_KEY_TABLE"])
    except FilterError:
        raise JobProblem(FILTERS_GONE) from None
    programme = None
    if job.programme_code:
        programme = visible_programme(session, job.user, job.programme_code)
        if programme is None:
            raise JobProblem(PROGRAMME_GONE)
    return filters, programme


def _write(session: Session, job: ExportJob, part: Path) -> tuple[str, IssuedReport | None, int]:
    """Write the file to ``part``; the register entry and audit event are added to the session.
    Returns the download name, the register entry and the rows written."""
    filters, programme = _inputs(session, job)
    job.rows_total = record_rows(session, filters)  # the records as they are now
    session.commit()  # the bar's total; nothing of the session is left open during the build
    progress = ProgressWriter(db.engine, job.id, job.rows_total)
    if job.kind == ExportKind.XLSX:
        with part.open("wb") as handle:
            result = export_workbook(
                session,
                filters,
                handle,
                locale=job.language,
                user=job.user,
                via="job",
                programme=programme,
                progress=progress,
            )
        issued = session.scalar(select(IssuedReport).where(IssuedReport.uuid == uuid.UUID(result.report_id)))
        return result.filename, issued, progress.done
    with part.open("wb") as handle:
        result = export_records_zip(
            session, filters, handle, locale=job.language, user=job.user, via="job", progress=progress
        )
    return result.filename, None, sum(result.counts.values())


def run_export(job_id: int) -> None:
    """Build export job ``job_id`` (in an app context); see the module's docstring."""
    session = db.session
    if not _claim(session, job_id):
        return
    job = session.get(ExportJob, job_id)
    folder = Path(current_app.config["EXPORT_DIR"])
    final = folder / f"{job.uuid}.{job.kind.value}"
    part = part_file(folder, job)
    job_uuid = job.uuid
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with force_locale(job.language):
            filename, issued, rows = _write(session, job, part)
        part.replace(final)
        finished = utcnow()
        job.status = JobStatus.DONE
        job.progress = 100
        job.rows_done = job.rows_total = rows  # as written (records may have changed meanwhile)
        job.finished_at = finished
        job.expires_at = finished + timedelta(hours=current_app.config["EXPORT_TTL_HOURS"])
        job.filename = filename
        job.file_path = final.name
        job.issued_report = issued
        session.commit()
    except Exception as exc:  # whatever it was, the job says it failed
        session.rollback()
        for path in (part, final):
            path.unlink(missing_ok=True)
        if isinstance(exc, JobProblem):
            message = exc.message
            log.warning("Export job %s not built: %s", job_uuid, message)
        else:
            message = FAILED
            log.exception("Export job %s failed", job_uuid)
        fail_job(session, job_id, message)


def register_tasks(huey: Huey, app: Flask) -> dict[str, object]:
    """The app's tasks on ``huey``: ``export`` (one job) and, every 15 minutes in the consumer,
    ``purge_exports``; each in an app context of its own."""

    @huey.task(name="export")
    def export(job_id: int) -> None:
        with app.app_context():
            run_export(job_id)

    @huey.periodic_task(crontab(minute="*/15"), name="purge_exports")
    def purge_exports() -> None:
        with app.app_context():
            tidy_jobs(db.session, app.config)

    return {"export": export, "purge_exports": purge_exports}
