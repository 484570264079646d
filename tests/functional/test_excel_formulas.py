"""Typed text that looks like a formula stays text in every record sheet, marked so when edited."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.vocabulary import Status
from reports.excel import build_workbook
from reports.filters import resolve_filters
from reports.xlsx import FORMULA_PREFIXES

from .report_data import PERIOD

#: One text per prefix a spreadsheet reads as a formula or command.
FORMULA_LIKE = {prefix: f"{prefix}SUM(A1)" for prefix in FORMULA_PREFIXES}


def test_every_formula_prefix_is_covered():
    assert set(FORMULA_PREFIXES) >= {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("prefix", sorted(FORMULA_LIKE))
def test_formula_like_text_is_quote_prefixed(make, db, prefix):
    volunteer = make.user("volunteer")
    text = FORMULA_LIKE[prefix]
    make.activity(volunteer, date=PERIOD["date_to"], status=Status.SUBMITTED, outcome=text, partners="plain")
    make.incident(volunteer, date=PERIOD["date_to"], status=Status.SUBMITTED, description=text)
    db.session.commit()
    buffer = BytesIO()
    filters = resolve_filters(db.session, **{**PERIOD, "audience": "coordinator"})
    build_workbook(db.session, filters, buffer, gettext=lambda s: s, threshold=5)
    workbook = load_workbook(BytesIO(buffer.getvalue()))
    for sheet_name, column in (("Activities", "Outcome"), ("Incident records", "Description")):
        sheet = workbook[sheet_name]
        header = [c.value for c in sheet[1]]
        cell = sheet.cell(row=2, column=header.index(column) + 1)
        assert cell.value == text and cell.data_type == "s"
        assert cell.quotePrefix, (sheet_name, prefix)
    plain = workbook["Activities"].cell(
        row=2, column=[c.value for c in workbook["Activities"][1]].index("Partners") + 1
    )
    assert not plain.quotePrefix  # only what needs it
