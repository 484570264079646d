"""The results page in Chromium on a phone and a tablet: every indicator's chart draws (an SVG in
each), nothing scrolls sideways, no console errors; for a coordinator and a donor."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.data.demo_results import INDICATORS, PROGRAMMES
from app.models import Indicator, IndicatorTarget, ManualActual, Measure, Programme, Region
from app.vocabulary import Status
from reports.results import quarters
from tests import factories

from .conftest import SCREENSHOTS, sign_in

START, END = date(2025, 1, 1), date(2027, 6, 30)  # ten quarters, the last two to come
NO_SIDEWAYS_SCROLL = """() => {
    const limit = window.innerWidth + 1;
    if (document.documentElement.scrollWidth <= limit) return [];
    return [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > limit)
      .slice(0, 3).map(e => e.tagName + '.' + e.className);
}"""


def _programme(make, db) -> Programme:
    """The demo's Kyrgyz programme over 2025, its indicators, and approved records in Osh."""
    code, name, names, *_rest = PROGRAMMES[0]
    programme = Programme(code="P-BROWSER", name=name, names=dict(names), start_date=START, end_date=END)
    programme.regions = [db.session.scalar(select(Region).where(Region.code == "KG-O"))]
    for spec in INDICATORS:
        code, measure, name, names, filters, unit, direction, baseline, total, _recs = spec
        indicator = Indicator(
            code=code,
            name=name,
            names=dict(names),
            measure=Measure(measure),
            filters=dict(filters),
            unit=unit,
            direction=direction,
            baseline_value=baseline,
            target_total=total,
        )
        each = float(total) / 10 if measure in ("activities", "participants", "incidents") else float(total)
        indicator.targets = [IndicatorTarget(quarter=q, value=each) for q in quarters(START, END)]
        if indicator.measure == Measure.MANUAL:
            indicator.manual_actuals = [
                ManualActual(quarter=START, value=41.0, source_note="Household survey, 600 respondents")
            ]
        programme.indicators.append(indicator)
    db.session.add(programme)
    volunteer = make.user("volunteer")
    for month in range(1, 12):
        for day in range(1, month + 2):
            make.activity(
                volunteer, date=date(2025, month, day), status=Status.APPROVED, m_18_29=day, f_30_59=3
            )
        make.incident(volunteer, date=date(2025, month, 3), status=Status.APPROVED)
        make.assessment(volunteer, date=date(2025, month, 4), status=Status.APPROVED)
    db.session.commit()
    return programme


@pytest.mark.parametrize(("role", "width"), [("coordinator", 360), ("donor", 360), ("coordinator", 768)])
def test_results_page_draws_every_chart_without_sideways_scroll(
    page, server, make, db, screenshot, role, width
):
    programme = _programme(make, db)
    user = make.user(role, **({"region": "KG-O"} if role == "coordinator" else {}))
    db.session.commit()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, user.username, factories.PASSWORD)
    errors.clear()  # the sign-in page is not ours to judge

    page.goto(f"{server}/results")
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    link = page.get_by_role("link", name=programme.name)
    assert link.bounding_box()["height"] >= 44
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == []
    screenshot(f"results-list-{role}-{width}")

    link.click()
    page.wait_for_load_state("networkidle")
    screenshot(f"results-{role}-{width}-top", full_page=False)
    charts = page.locator("[data-chart]")
    assert charts.count() == len(INDICATORS)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()  # drawn when it comes near the screen
        expect(chart.locator("svg.main-svg").first).to_be_attached(timeout=10_000)
        box = chart.bounding_box()
        assert box is not None and box["width"] <= width
    assert page.evaluate(NO_SIDEWAYS_SCROLL) == []
    screenshot(f"results-{role}-{width}")
    cards = page.locator("section.indicator-card")
    for index in (0, 2, 6, cards.count() - 1):  # counts, a share, incidents, the survey and its source
        cards.nth(index).screenshot(path=str(SCREENSHOTS / f"results-{role}-{width}-card{index}.png"))
    assert errors == []
