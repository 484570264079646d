"""Demo programmes of the results framework (``flask seed-demo``), created once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.results import quarter_end, quarter_start, quarters

from ..data.demo_results import INDICATORS, PROGRAMMES, SURVEYS
from ..models import (
    Country,
    Direction,
    Indicator,
    IndicatorTarget,
    ManualActual,
    Measure,
    Programme,
    Recommendation,
    Region,
    User,
)

#: Measures whose quarterly targets add up to the life-of-programme target.
ADDITIVE = frozenset({Measure.ACTIVITIES, Measure.PARTICIPANTS, Measure.NEW_PARTICIPANTS, Measure.INCIDENTS})


def _period(today: date) -> tuple[date, date]:
    """About eighteen months back and six ahead, in whole quarters."""
    start = quarter_start(today - timedelta(days=540))
    return start, quarter_end(quarter_start(today + timedelta(days=180)))


def _targets(measure: Measure, baseline: float, total: float, count: int) -> list[float]:
    """Quarterly targets: the total spread evenly, or a path from the baseline to the target."""
    if measure in ADDITIVE:
        return [float(round(total / count))] * count
    return [round(baseline + (total - baseline) * (i + 1) / count, 1) for i in range(count)]


def _indicator(session: Session, programme: Programme, spec: tuple, periods: list[date]) -> Indicator:
    code, measure, name, names, filters, unit, direction, baseline, total, recommendations = spec
    measure = Measure(measure)
    indicator = Indicator(
        code=code,
        name=name,
        names=dict(names),
        measure=measure,
        filters=dict(filters),
        unit=unit,
        direction=Direction(direction),
        baseline_value=float(baseline),
        baseline_date=programme.start_date - timedelta(days=1),
        target_total=float(total),
    )
    indicator.recommendations = list(
        session.scalars(select(Recommendation).where(Recommendation.code.in_(recommendations)))
    )
    indicator.targets = [
        IndicatorTarget(quarter=quarter, value=value)
        for quarter, value in zip(
            periods, _targets(measure, float(baseline), float(total), len(periods)), strict=True
        )
    ]
    if measure == Measure.MANUAL:
        indicator.manual_actuals = [
            ManualActual(quarter=periods[offset], value=value, source_note=note)
            for offset, value, note in SURVEYS
            if offset < len(periods)
        ]
    return indicator


def ensure_demo_programmes(session: Session, today: date | None = None) -> int:
    """Create the demo programmes that do not exist yet (one per country); returns how many."""
    start, end = _period(today or date.today())
    periods = quarters(start, end)
    existing = set(session.scalars(select(Programme.code)))
    added = 0
    for code, name, names, countries, regions, donors in PROGRAMMES:
        if code in existing:
            continue
        programme = Programme(code=code, name=name, names=dict(names), start_date=start, end_date=end)
        programme.countries = list(session.scalars(select(Country).where(Country.code.in_(countries))))
        programme.regions = list(session.scalars(select(Region).where(Region.code.in_(regions))))
        programme.donors = list(session.scalars(select(User).where(User.username.in_(donors))))
        programme.indicators = [_indicator(session, programme, spec, periods) for spec in INDICATORS]
        session.add(programme)
        added += 1
    session.flush()
    return added
