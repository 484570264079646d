"""``flask export-report``: the workbook from the command line, with one-line errors."""

from __future__ import annotations

from pathlib import Path

from babel.support import Translations
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEvent
from reports.suppression import is_small
from reports.xlsx import CHANGE, PERCENT, PERCENT_CHANGE, RATING, SHARE, sheet_title

from . import report_data

ROOT = Path(__file__).resolve().parents[2]
#: Number formats of cells that are not counts (so may hold 1 to 4 in a donor workbook).
NOT_COUNTS = (RATING, CHANGE, PERCENT, PERCENT_CHANGE, SHARE)


def test_donor_export_by_default(runner, make, db, tmp_path):
    report_data.build(make, db)
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=["export-report", "--out", str(out), "--from", "2025-01-01", "--to", "2025-06-30"]
    )
    assert result.exit_code == 0, result.output
    assert "donor" in result.output
    workbook = load_workbook(out)
    assert "Activities" not in workbook.sheetnames
    assert not any(is_small(c.value, 5) for s in workbook.worksheets for row in s.iter_rows() for c in row
                   if c.number_format not in NOT_COUNTS)  # fmt: skip
    assert not any(c.value in ("<5", "*") for s in workbook.worksheets for row in s.iter_rows() for c in row)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.user_id is None
    assert event.details["via"] == "cli"
    assert event.details["filters"] == {"from": "2025-01-01", "to": "2025-06-30", "audience": "donor"}


def test_coordinator_export_for_one_region(runner, make, db, tmp_path):
    report_data.build(make, db)
    out = tmp_path / "osh.xlsx"
    args = ["export-report", "--out", str(out), "--from", "2025-01-01", "--to", "2025-06-30"]
    result = runner.invoke(args=[*args, "--audience", "coordinator", "--region", "KG-O", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    russian = Translations.load(str(ROOT / "translations"), ["ru"])
    activities = load_workbook(out)[sheet_title(russian.gettext("Activities"))]
    rows = list(activities.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3 and {row[2] for row in rows} == {"Ошская область"}  # places in Russian too


def test_bad_input_is_one_line_and_non_zero(runner, db, tmp_path):
    out = str(tmp_path / "x.xlsx")
    cases = [
        (["--from", "2025-06-01", "--to", "2025-01-01"], "The start date is after the end date."),
        (["--region", "XX-9"], "Unknown region code: XX-9."),
        (["--country", "TJ", "--region", "KG-O"], "Region KG-O is not in country TJ."),
        (["--from", "01/02/2025"], "--from must be a date as YYYY-MM-DD"),
        (["--audience", "public"], "Unknown audience: public."),
        (["--lang", "fr"], "--lang must be one of en, ru, ky, tg, uz, uz_Cyrl"),
    ]
    for extra, message in cases:
        result = runner.invoke(args=["export-report", "--out", out, *extra])
        assert result.exit_code != 0
        assert message in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    result = runner.invoke(args=["export-report", "--out", str(tmp_path / "missing" / "x.xlsx")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "Cannot write" in result.output
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
