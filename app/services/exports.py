"""Write a report workbook, register it and audit the export (web, command line and background
jobs alike); the zipped CSV of the record rows, audited."""

from __future__ import annotations

import hashlib
import inspect
import uuid
from io import BytesIO
from typing import IO

from flask import current_app
from sqlalchemy.orm import Session

from reports.csv_export import write_records_zip
from reports.excel import ExportResult, build_workbook
from reports.filters import ReportFilters
from reports.progress import Progress
from reports.queries import record_counts

from ..i18n import translate
from ..models import IssuedReport, Programme, User
from .audit import log_event
from .periods import period_closed


def export_workbook(
    session: Session,
    filters: ReportFilters,
    out: IO[bytes],
    *,
    locale: str,
    user: User | None,
    via: str,
    programme: Programme | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Build the workbook in the active locale, register it (:class:`IssuedReport`, its id on the
    Overview sheet, the SHA-256 of the file) and write an ``export`` audit event. ``via`` is
    ``web``, ``cli`` or ``job`` (built in the background, :mod:`app.jobs.exports`); ``progress``
    is told the record rows written so far."""
    report_id = uuid.uuid4()
    buffer = BytesIO()
    result = build_workbook(
        session,
        filters,
        buffer,
        gettext=translate,  # vocabulary labels with a context (NP_) are translated in it
        locale=locale,
        threshold=current_app.config["SUPPRESSION_THRESHOLD"],
        timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        report_id=str(report_id),
        programme=programme,
        progress=progress,
    )
    content = buffer.getvalue()
    out.write(content)
    issued = IssuedReport(
        uuid=report_id,
        user_id=user.id if user is not None else None,
        via=via,
        audience=filters.audience.value,
        language=locale,
        filters={**filters.params(), **({"programme": programme.code} if programme else {})},
        period_closed=period_closed(session, filters.date_from, filters.date_to, filters.community_ids),
        records_counted=sum(tally.n for tally in record_counts(session, filters).values()),
        filename=result.filename,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    session.add(issued)
    log_event(
        session,
        "export",
        "report",
        user=user,
        object_uuid=report_id,
        audience=filters.audience.value,
        filters=filters.params(),
        rows=result.counts,
        via=via,
    )
    result.report_id = str(report_id)
    return result


def export_records_zip(
    session: Session,
    filters: ReportFilters,
    out: IO[bytes],
    *,
    locale: str,
    user: User | None,
    via: str,
    progress: Progress | None = None,
) -> ExportResult:
    """The activity and incident rows as zipped CSV (coordinator audience: a donor's filters raise
    :class:`PermissionError`), and an ``export`` audit event. Not registered: the register is of
    workbooks, whose Overview sheet carries the id."""
    extra = {"progress": progress} if progress is not None and _takes_progress() else {}
    result = write_records_zip(session, filters, out, gettext=translate, locale=locale, **extra)
    log_event(
        session,
        "export",
        "report",
        user=user,
        object_uuid=uuid.uuid4(),
        audience=filters.audience.value,
        filters=filters.params(),
        rows=result.counts,
        via=via,
        format="csv.zip",
    )
    return result


def _takes_progress() -> bool:
    """Whether the CSV writer reports rows written (then a background CSV has a moving bar)."""
    return "progress" in inspect.signature(write_records_zip).parameters
