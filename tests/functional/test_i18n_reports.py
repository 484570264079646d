"""The workbook and the dashboard in Kyrgyz and Tajik: sheet, column and chart titles translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.support import Translations
from flask_babel import force_locale, gettext
from openpyxl import load_workbook

from reports.charts import CHART_TITLES, build_dashboard
from reports.filters import Audience, resolve_filters
from reports.xlsx import sheet_title

from . import report_data

ROOT = Path(__file__).resolve().parents[2]
SHEETS = ("Overview", "By recommendation", "Participants", "Incidents", "Drivers")
HEADERS = ("Recommendation", "Activities", "Communities reached", "Top target groups")


def _catalog(locale: str) -> Translations:
    return Translations.load(str(ROOT / "translations"), [locale])


@pytest.mark.parametrize("locale", ["ky", "tg"])
def test_workbook_in_the_language_asked_for(runner, make, db, tmp_path, locale):
    report_data.build(make, db)
    db.session.commit()
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=["export-report", "--out", str(out), "--from", "2025-01-01", "--to", "2025-06-30",
              "--audience", "coordinator", "--lang", locale]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    t = _catalog(locale)
    workbook = load_workbook(out)
    for english in SHEETS:
        translated = t.gettext(english)
        assert translated != english, english
        assert any(name.startswith(translated[:25]) for name in workbook.sheetnames), (
            translated,
            workbook.sheetnames,
        )
        assert english not in workbook.sheetnames
    by_recommendation = workbook[sheet_title(t.gettext("By recommendation"))]
    header_cells = {
        str(cell.value) for row in by_recommendation.iter_rows(max_row=6) for cell in row if cell.value
    }
    for english in HEADERS:
        assert t.gettext(english) in header_cells, english
        assert english not in header_cells


@pytest.mark.parametrize("locale", ["ky", "tg"])
def test_dashboard_figures_in_the_language_asked_for(app, make, db, locale):
    report_data.build(make, db)
    db.session.commit()
    t = _catalog(locale)
    with app.test_request_context(), force_locale(locale):
        filters = resolve_filters(db.session, audience=Audience.DONOR, **report_data.PERIOD)
        dashboard = build_dashboard(db.session, filters, gettext=gettext, locale=locale)
    for name, english in CHART_TITLES.items():
        shown = dashboard.figures[name]["layout"]["title"]["text"].replace("<br>", " ")
        assert shown == t.gettext(english), name
    axis = dashboard.figures["participants"]["layout"]["xaxis"]["title"]["text"]
    assert axis == t.gettext("Age band") != "Age band"
    legend = {trace["name"] for trace in dashboard.figures["participants"]["data"]}
    assert legend == {t.gettext("Female"), t.gettext("Male")}


@pytest.mark.parametrize("locale", ["ky", "tg"])
def test_dashboard_page_in_the_users_language(make, db, login_as, locale):
    report_data.build(make, db)
    donor = make.user("donor", locale=locale)
    db.session.commit()
    page = login_as(donor).get("/dashboard?date_from=2025-01-01&date_to=2025-06-30")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _catalog(locale).gettext("Download Excel") in html
    assert "Download Excel" not in html
