"""Background exports (issue 14): a workbook or zipped CSV too big to build inside a web request
is a job, built by the queue's consumer (:mod:`app.jobs`) into a file only its owner may fetch,
deleted when it expires."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import N_
from .base import IdMixin, str_enum, utcnow
from .issued import IssuedReport
from .people import User


class ExportKind(StrEnum):
    """What the file is; the value is its file name's ending."""

    XLSX = "xlsx"
    CSV_ZIP = "csv.zip"


class JobStatus(StrEnum):
    """Queued -> running -> done (then expired) or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


JOB_STATUS_LABELS = {
    JobStatus.QUEUED: N_("Waiting to start"),
    JobStatus.RUNNING: N_("Being prepared"),
    JobStatus.DONE: N_("Ready"),
    JobStatus.FAILED: N_("Failed"),
    JobStatus.EXPIRED: N_("Expired"),
}
#: A job still to finish: its page keeps refreshing.
ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class ExportJob(IdMixin, db.Model):
    """One export asked for on the web and built in the background, for its owner only."""

    __tablename__ = "export_jobs"
    __table_args__ = (CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),)

    #: Who asked for it: the only one who may see it or fetch the file.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    kind: Mapped[ExportKind] = mapped_column(str_enum(ExportKind, "export_kind"), nullable=False)
    #: The filters as the URL carries them (``ReportFilters.params()``), resolved again for the
    #: owner when the job runs.
    filters: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: The language the file is written in (the owner's when they asked).
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    audience: Mapped[str] = mapped_column(String(16), nullable=False)
    #: ``programme=CODE`` of the export (the workbook adds its Results framework sheet).
    programme_code: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "job_status"), nullable=False, default=JobStatus.QUEUED, index=True
    )
    #: Percent done, 0-100, and the record rows written of those to write (0 to write: a donor
    #: workbook holds no record rows).
    progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the builder last said it was alive (it claimed the job, or wrote its progress): a
    #: running job silent for ``EXPORT_STALLED_MINUTES`` is given up.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The file (or, not yet built, the job) is deleted after this: ``EXPORT_TTL_HOURS`` after it
    #: was asked for, then after it was finished.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    #: The name the download is saved under.
    filename: Mapped[str | None] = mapped_column(String(120))
    #: The file's name inside ``EXPORT_DIR`` (never a path of its own: no ``/``).
    file_path: Mapped[str | None] = mapped_column(String(200))
    #: Why it failed: an English message of the app (``N_``), translated when shown; never the
    #: text of an exception, which could quote data.
    error: Mapped[str | None] = mapped_column(String(200))
    #: The register entry of the finished file (workbooks; its id is on the Overview sheet).
    issued_report_id: Mapped[int | None] = mapped_column(ForeignKey("issued_reports.id"))

    user: Mapped[User] = relationship()
    issued_report: Mapped[IssuedReport | None] = relationship()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES
