"""Background exports (issue 14): a big export becomes a job with a page of its own (a progress
bar, then a download button); ``/reports/exports`` lists the user's own. Only the owner ever sees
a job (anyone else, administrators included: 404); after ``EXPORT_TTL_HOURS`` its file is deleted
(the download answers 410)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Response, abort, current_app, jsonify, redirect, render_template, url_for
from flask_babel import format_date, format_number, format_percent, get_locale
from flask_login import current_user
from sqlalchemy import select

from reports.filters import AUDIENCE_LABELS, Audience, ReportFilters

from ..extensions import db
from ..jobs.exports import QUEUE_DOWN
from ..jobs.queue import job_queue
from ..models import Country, District, ExportJob, ExportKind, JobStatus, Organisation, Programme, Region
from ..models.jobs import JOB_STATUS_LABELS
from ..paging import page_number
from ..security import REPORT_ROLES, roles_required
from ..services.export_jobs import (
    create_export_job,
    estimated_records,
    export_file,
    fail_job,
    is_expired,
    is_stalled,
    own_job,
    own_jobs,
    tidy_jobs,
)
from ..translate import gettext as _
from ..vocabulary import N_, STATUS_LABELS, Status
from . import bp

if TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

log = logging.getLogger(__name__)

ZIP = "application/zip"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_LABELS = {ExportKind.XLSX: N_("Excel workbook"), ExportKind.CSV_ZIP: N_("Record rows, CSV (zipped)")}
#: Bytes read at a time when a file is sent.
CHUNK = 256 * 1024
#: How often a page without JavaScript reloads itself while the job runs (seconds).
REFRESH_SECONDS = 3


def background_export(
    filters: ReportFilters, kind: ExportKind, programme: Programme | None = None
) -> BaseResponse | None:
    """For an export bigger than ``EXPORT_INLINE_ROWS`` records (or any, when it is 0): a queued
    job and a 303 to its page; None when it is small enough to answer at once."""
    limit = current_app.config["EXPORT_INLINE_ROWS"]
    if limit and estimated_records(db.session, filters) <= limit:
        return None
    tidy_jobs(db.session, current_app.config)  # now and then, as jobs are asked for
    job = create_export_job(
        db.session,
        filters,
        user=current_user,
        kind=kind,
        locale=str(get_locale()),
        ttl_hours=current_app.config["EXPORT_TTL_HOURS"],
        programme_code=programme.code if programme else None,
    )
    job_id, job_uuid = job.id, job.uuid
    db.session.commit()  # the consumer reads it from the database
    try:
        job_queue().enqueue("export", job_id)
    except Exception:  # Redis down, the queue file unwritable: the job's page says so
        log.exception("Export job %s could not be queued", job_uuid)
        fail_job(db.session, job_id, QUEUE_DOWN)
    return redirect(url_for("dashboard.export_job", job_uuid=job_uuid), 303)


def _own(job_uuid: uuid.UUID) -> ExportJob:
    """The user's own job, brought up to date with the clock (expired: its file deleted; running
    with no word from its builder: given up; the consumer that would notice may be the one stopped)."""
    job = own_job(db.session, current_user, job_uuid)
    if job is None:
        abort(404)
    stalled = is_stalled(job, current_app.config["EXPORT_STALLED_MINUTES"])
    if stalled or (job.status != JobStatus.EXPIRED and is_expired(job)):
        tidy_jobs(db.session, current_app.config)
        db.session.refresh(job)
    return job


def _day(value: str | None) -> str:
    try:
        return format_date(date.fromisoformat(value), "long") if value else "…"
    except ValueError:
        return value or "…"


def _place(model: type, code: str | None) -> str | None:
    if not code:
        return None
    return db.session.scalar(select(model.local_name).where(model.code == code)) or code


def filter_lines(job: ExportJob) -> list[tuple[str, str]]:
    """The job's filters in words, label and value, in the reader's language."""
    params = job.filters or {}
    lines = [
        (_("File"), _(KIND_LABELS[job.kind])),
        (_("Report for"), _(AUDIENCE_LABELS[Audience(job.audience)])),
        (_("Period"), f"{_day(params.get('from'))} – {_day(params.get('to'))}"),
    ]
    for label, model, name in (
        (_("Country"), Country, "country"),
        (_("Region"), Region, "region"),
        (_("District"), District, "district"),
        (_("Organisation"), Organisation, "organisation"),
    ):
        if (value := _place(model, params.get(name))) is not None:
            lines.append((label, value))
    if status := params.get("status"):
        lines.append((_("Review status"), _(STATUS_LABELS[Status(status)])))
    if job.programme_code:
        lines.append((_("Programme"), _place(Programme, job.programme_code) or job.programme_code))
    return lines


def job_state(job: ExportJob) -> dict[str, object]:
    """What the page shows of the job, and its JSON for the page's script."""
    determinate = job.rows_total > 0 or job.status == JobStatus.DONE
    if job.status == JobStatus.QUEUED:
        rows_text = _("Waiting for its turn…")
    elif job.rows_total:
        rows_text = _(
            "%(done)s of %(total)s rows written",
            done=format_number(min(job.rows_done, job.rows_total)),
            total=format_number(job.rows_total),
        )
    else:
        rows_text = _("Adding up the figures…")
    ready = job.status == JobStatus.DONE
    return {
        "status": job.status.value,
        "label": _(JOB_STATUS_LABELS[job.status]),
        "active": job.active,
        "progress": job.progress if determinate else None,
        "percent_text": format_percent(job.progress / 100) if determinate else "",
        "rows_text": rows_text,
        "download_url": url_for("dashboard.export_download", job_uuid=job.uuid) if ready else None,
    }


@bp.get("/reports/exports")
@roles_required(*REPORT_ROLES)
def exports() -> str:
    """The user's own background exports, newest first: what, when, status, until when."""
    tidy_jobs(db.session, current_app.config)
    page = db.paginate(
        own_jobs(current_user), page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    audiences = {audience.value: _(label) for audience, label in AUDIENCE_LABELS.items()}
    return render_template(
        "dashboard/exports.html",
        page=page,
        audiences=audiences,
        kinds={kind: _(label) for kind, label in KIND_LABELS.items()},
        statuses={status: _(label) for status, label in JOB_STATUS_LABELS.items()},
        period=lambda job: f"{_day(job.filters.get('from'))} – {_day(job.filters.get('to'))}",
    )


def _job_page(job: ExportJob, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "dashboard/export_job.html",
            job=job,
            state=job_state(job),
            lines=filter_lines(job),
            refresh=REFRESH_SECONDS,
            again=url_for("dashboard.index", **(job.filters or {})),
        ),
        status,
    )


@bp.get("/reports/exports/<uuid:job_uuid>")
@roles_required(*REPORT_ROLES)
def export_job(job_uuid: uuid.UUID) -> tuple[str, int]:
    """One background export: its filters in words, a progress bar while it is built (the
    page's script follows it; without JavaScript the page reloads itself), then a download."""
    return _job_page(_own(job_uuid))


@bp.get("/reports/exports/<uuid:job_uuid>.json")
@roles_required(*REPORT_ROLES)
def export_job_status(job_uuid: uuid.UUID) -> Response:
    """The job's status and progress, for its page's script."""
    return jsonify(job_state(_own(job_uuid)))


@bp.get("/reports/exports/<uuid:job_uuid>/download")
@roles_required(*REPORT_ROLES)
def export_download(job_uuid: uuid.UUID) -> Response | BaseResponse | tuple[str, int]:
    """The finished file (not kept by the browser or a proxy); 410 once it expired."""
    job = _own(job_uuid)
    if job.status == JobStatus.EXPIRED:
        return _job_page(job, 410)
    if job.status != JobStatus.DONE:
        return redirect(url_for("dashboard.export_job", job_uuid=job.uuid), 303)
    path = export_file(current_app.config["EXPORT_DIR"], job)
    if path is None or not path.is_file():
        return _job_page(job, 410)  # deleted by hand, or another EXPORT_DIR
    response = Response(_chunks(path), mimetype=XLSX if job.kind == ExportKind.XLSX else ZIP)
    response.headers.set("Content-Disposition", "attachment", filename=job.filename)
    response.headers["Content-Length"] = str(path.stat().st_size)
    response.headers["Cache-Control"] = "no-store"
    return response


def _chunks(path: Path) -> Iterator[bytes]:
    """The file in pieces, closed when sent (or when the download is abandoned)."""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
