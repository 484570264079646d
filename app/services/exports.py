"""Write a report workbook, register it and audit the export (web and command line alike)."""

from __future__ import annotations

import hashlib
import uuid
from io import BytesIO
from typing import IO

from flask import current_app
from sqlalchemy.orm import Session

from reports.excel import ExportResult, build_workbook
from reports.filters import ReportFilters
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
) -> ExportResult:
    """Build the workbook in the active locale, register it (:class:`IssuedReport`, its id on the
    Overview sheet, the SHA-256 of the file) and write an ``export`` audit event."""
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
