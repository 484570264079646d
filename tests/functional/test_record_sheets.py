"""The workbook's row sheets past Excel's row limit (lowered here): continued on more sheets, each
with its header, panes, filter and widths; the counts are of every row."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook

from reports import row_stream
from reports.excel import build_workbook
from reports.filters import resolve_filters

from . import report_data
from .report_data import PERIOD


def _shout(message):
    """A stand-in translation: upper case, placeholders kept."""
    return re.sub(r"%\(\w+\)s|[^%]+", lambda m: m[0] if m[0].startswith("%(") else m[0].upper(), message)


def test_rows_past_the_limit_continue_on_more_sheets(make, db, monkeypatch):
    known = report_data.build(make, db)
    monkeypatch.setattr(row_stream, "MAX_ROWS", 3)  # the header and 2 rows a sheet
    filters = resolve_filters(db.session, **{**PERIOD, "audience": "coordinator"})
    buffer = BytesIO()
    result = build_workbook(db.session, filters, buffer, gettext=_shout, threshold=5)
    workbook = load_workbook(BytesIO(buffer.getvalue()))
    assert workbook.sheetnames[-5:] == [
        "ACTIVITIES",
        "ACTIVITIES (2)",
        "ACTIVITIES (3)",
        "INCIDENT RECORDS",
        "INCIDENT RECORDS (2)",
    ]
    assert result.counts["activity_rows"] == len(known.activities) == 5
    assert result.counts["incident_rows"] == len(known.incidents) == 4
    ids = []
    first = workbook["ACTIVITIES"]
    for name in ("ACTIVITIES", "ACTIVITIES (2)", "ACTIVITIES (3)"):
        sheet = workbook[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == next(first.iter_rows(max_row=1, values_only=True)), name
        assert rows[0][0] == "RECORD ID"
        assert sheet.freeze_panes == "C2", name
        assert sheet.auto_filter.ref == f"A1:X{len(rows)}", name
        assert sheet.print_title_rows == "$1:$1", name
        assert sheet.column_dimensions["A"].width == first.column_dimensions["A"].width == 38
        assert sheet["A1"].font.b and sheet["B2"].is_date, name
        assert sheet.page_setup.orientation == "landscape", name
        ids += [row[0] for row in rows[1:]]
    assert sorted(ids) == sorted(str(a.uuid) for a in known.activities)
    incidents = [workbook[n] for n in ("INCIDENT RECORDS", "INCIDENT RECORDS (2)")]
    assert [s.max_row for s in incidents] == [3, 3]
    assert {r[0] for s in incidents for r in s.iter_rows(min_row=2, values_only=True)} == {
        str(i.uuid) for i in known.incidents
    }
