"""Write a report workbook and audit the export (web and command line alike)."""

from __future__ import annotations

from typing import IO

from flask import current_app
from sqlalchemy.orm import Session

from reports.excel import ExportResult, build_workbook
from reports.filters import ReportFilters

from ..i18n import translate
from ..models import User
from .audit import log_event


def export_workbook(
    session: Session,
    filters: ReportFilters,
    out: IO[bytes],
    *,
    locale: str,
    user: User | None,
    via: str,
) -> ExportResult:
    """Build the workbook in the active locale and write an ``export`` audit event."""
    result = build_workbook(
        session,
        filters,
        out,
        gettext=translate,  # vocabulary labels with a context (NP_) are translated in it
        locale=locale,
        threshold=current_app.config["SUPPRESSION_THRESHOLD"],
        timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    log_event(
        session,
        "export",
        "report",
        user=user,
        audience=filters.audience.value,
        filters=filters.params(),
        rows=result.counts,
        via=via,
    )
    return result
