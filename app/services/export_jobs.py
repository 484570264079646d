"""Background exports (issue 14): ask for one, find a user's own, and delete the expired.

The building itself is :mod:`app.jobs.exports`, run by the queue's consumer. No request objects
here: the views and the CLI pass what they know.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from reports.filters import ReportFilters, resolve_filters
from reports.queries import record_counts

from ..models import ExportJob, ExportKind, JobStatus, User
from ..models.base import utcnow
from ..models.jobs import ACTIVE_STATUSES
from ..vocabulary import N_

log = logging.getLogger(__name__)

#: Why a job was given up, as its page says it (translated there).
STALLED = N_(
    "The export stopped before it was finished: the background worker was interrupted. Ask for it again."
)


def estimated_records(session: Session, filters: ReportFilters) -> int:
    """The records an export of ``filters`` reads (what its time grows with)."""
    return sum(tally.n for tally in record_counts(session, filters).values())


def record_rows(session: Session, filters: ReportFilters) -> int:
    """The record rows an export writes: one per activity and incident, for coordinators only."""
    if filters.is_donor:
        return 0
    counts = record_counts(session, filters)
    return counts["activities"].n + counts["incidents"].n


def create_export_job(
    session: Session,
    filters: ReportFilters,
    *,
    user: User,
    kind: ExportKind,
    locale: str,
    ttl_hours: int,
    programme_code: str | None = None,
) -> ExportJob:
    """A queued job for ``user`` (flushed; the caller commits, then puts it on the queue). Its rows
    to write are counted when it starts."""
    job = ExportJob(
        uuid=uuid.uuid4(),
        user_id=user.id,
        kind=kind,
        filters=filters.params(),
        language=locale,
        audience=filters.audience.value,
        programme_code=programme_code,
        status=JobStatus.QUEUED,
        progress=0,
        rows_done=0,
        rows_total=0,
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(hours=ttl_hours),
    )
    session.add(job)
    session.flush()
    return job


def job_filters(session: Session, job: ExportJob, *, cell_key_table: object) -> ReportFilters:
    """The job's filters checked again for its owner (their area may have changed since);
    :class:`~reports.filters.FilterError` when they no longer hold."""
    params = job.filters
    return resolve_filters(
        session,
        viewer=job.user,
        audience=params.get("audience"),
        date_from=date.fromisoformat(params["from"]),
        date_to=date.fromisoformat(params["to"]),
        country=params.get("country"),
        region=params.get("region"),
        district=params.get("district"),
        organisation=params.get("organisation"),
        status=params.get("status"),
        cell_key_table=cell_key_table,  # type: ignore[arg-type]
    )


def own_job(session: Session, user: User, job_uuid: uuid.UUID) -> ExportJob | None:
    """The job if ``user`` asked for it, else None (anyone else's is not found: 404)."""
    return session.scalar(select(ExportJob).where(ExportJob.uuid == job_uuid, ExportJob.user_id == user.id))


def own_jobs(user: User) -> Select:
    """The user's jobs, newest first."""
    return (
        select(ExportJob)
        .where(ExportJob.user_id == user.id)
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
    )


def export_file(export_dir: str | Path, job: ExportJob) -> Path | None:
    """Where the job's finished file is, or None before it is finished (never outside the folder)."""
    if not job.file_path or "/" in job.file_path or "\\" in job.file_path or job.file_path.startswith("."):
        return None
    return Path(export_dir) / job.file_path


def part_file(export_dir: str | Path, job: ExportJob) -> Path:
    """Where the builder writes the job's file until it is complete (then renamed)."""
    return Path(export_dir) / f".{job.uuid}.part"


def _aware(moment: datetime) -> datetime:
    """SQLite gives UTC back without its zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def is_expired(job: ExportJob, now: datetime | None = None) -> bool:
    """Past its time (the purge may not have run yet), or already purged."""
    if job.status == JobStatus.EXPIRED:
        return True
    return _aware(job.expires_at) <= (now or utcnow())


def is_stalled(job: ExportJob, minutes: int, now: datetime | None = None) -> bool:
    """Running, and its builder has said nothing for ``minutes`` (:func:`give_up_stalled` gives
    such jobs up; this tells a page whether to ask it)."""
    if job.status != JobStatus.RUNNING:
        return False
    silent_since = job.heartbeat_at or job.started_at or job.created_at
    return _aware(silent_since) <= (now or utcnow()) - timedelta(minutes=minutes)


def purge_expired(session: Session, export_dir: str | Path, *, now: datetime | None = None) -> int:
    """Delete the files of jobs past ``expires_at`` and mark them expired (a job not finished by
    then is given up); returns how many jobs expired. Commits."""
    now = now or utcnow()
    expired = session.scalars(
        select(ExportJob).where(ExportJob.expires_at <= now, ExportJob.status != JobStatus.EXPIRED)
    ).all()
    for job in expired:
        path = export_file(export_dir, job)
        if path is not None:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                log.exception("Cannot delete the expired export %s", path)
                continue  # tried again at the next purge
        job.status = JobStatus.EXPIRED
        job.file_path = None
    session.commit()
    return len(expired)


def give_up_stalled(
    session: Session, export_dir: str | Path, minutes: int, *, now: datetime | None = None
) -> int:
    """Fail the running jobs whose builder has said nothing for ``minutes`` (its consumer was
    stopped: the job would stay "running" until it expired) and delete their unfinished files;
    returns how many. Commits."""
    now = now or utcnow()
    silent_since = func.coalesce(ExportJob.heartbeat_at, ExportJob.started_at, ExportJob.created_at)
    stalled = session.scalars(
        select(ExportJob).where(
            ExportJob.status == JobStatus.RUNNING, silent_since <= now - timedelta(minutes=minutes)
        )
    ).all()
    for job in stalled:
        part_file(export_dir, job).unlink(missing_ok=True)
        job.status, job.error, job.finished_at, job.file_path = JobStatus.FAILED, STALLED, now, None
        log.warning("Export job %s given up: no word from its builder for %d minutes", job.uuid, minutes)
    session.commit()
    return len(stalled)


def tidy_jobs(session: Session, config: dict, *, now: datetime | None = None) -> tuple[int, int]:
    """Bring the jobs up to date with the clock: stalled ones given up, expired ones deleted
    (``EXPORT_DIR``, ``EXPORT_STALLED_MINUTES`` of ``config``); returns both counts. Commits."""
    folder = config["EXPORT_DIR"]
    stalled = give_up_stalled(session, folder, config["EXPORT_STALLED_MINUTES"], now=now)
    return stalled, purge_expired(session, folder, now=now)


def fail_job(session: Session, job_id: int, message: str) -> None:
    """Mark a job failed with a message of the app (``N_``, translated when shown). Commits."""
    session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.status.in_(ACTIVE_STATUSES))
        .values(status=JobStatus.FAILED, error=message, finished_at=utcnow(), file_path=None)
    )
    session.commit()
