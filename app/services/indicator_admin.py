"""Indicators of a programme (issue 13): what each measure honours, the limits of its figures,
and storing indicators, audited.

The pure checks (:func:`filter_problems`, :func:`figure_problems`, :func:`baseline_date_problem`)
are also called by the indicator form, so their messages show together with the others; the
writers check again, raise a :class:`~app.errors.DomainError` naming the field, and flush, never
commit.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import Direction, Indicator, Measure, Programme, Recommendation, User
from ..models.results import SHARE_MEASURES
from ..translate import gettext as _
from ..vocabulary import (
    ACTIVITY_TYPES,
    DRIVERS,
    INCIDENT_CATEGORIES,
    RECOMMENDATIONS,
    TARGET_GROUPS,
    AgeBand,
    Severity,
    Sex,
)
from .audit import log_event
from .programme_admin import assign_changed, quarter_name

#: Indicator codes: as logframes number them, e.g. ``1.1``, ``OUT-2`` (stored upper-case).
INDICATOR_CODE = re.compile(r"^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$")
#: A mean rating is 0 (not observed) to 3 (high).
MAX_RATING = 3

ACTIVITY_FILTERS = frozenset({"activity_types", "target_groups", "recommendations"})
INCIDENT_FILTERS = frozenset({"categories", "severities"})
#: The filters each measure honours (reports/results.py reads these keys and no others).
#: A share of women ignores a sex filter, and a share of young people an age filter: either would
#: make the share 0 or 100 %. Measures not listed (e.g. added later) honour none.
HONOURED_FILTERS: dict[str, frozenset[str]] = {
    Measure.ACTIVITIES.value: ACTIVITY_FILTERS,
    Measure.PARTICIPANTS.value: ACTIVITY_FILTERS | {"sex", "age_bands"},
    Measure.NEW_PARTICIPANTS.value: ACTIVITY_FILTERS,  # one count per activity: no sex or age band
    Measure.SHARE_WOMEN.value: ACTIVITY_FILTERS | {"age_bands"},
    Measure.SHARE_YOUTH.value: ACTIVITY_FILTERS | {"sex"},
    Measure.COMMUNITIES_REACHED.value: ACTIVITY_FILTERS,
    Measure.SHARE_COMMUNITIES_REACHED.value: ACTIVITY_FILTERS,
    Measure.INCIDENTS.value: INCIDENT_FILTERS,
    Measure.SHARE_INCIDENTS_RESPONDED.value: INCIDENT_FILTERS,
    Measure.SHARE_INCIDENTS_RESOLVED.value: INCIDENT_FILTERS,
    Measure.MEAN_RATING.value: frozenset({"driver"}),
    Measure.MANUAL.value: frozenset(),
}
#: The codes each filter takes.
FILTER_CODES: dict[str, frozenset[str]] = {
    "activity_types": frozenset(code for code, *_rest in ACTIVITY_TYPES),
    "target_groups": frozenset(code for code, *_rest in TARGET_GROUPS),
    "recommendations": frozenset(code for code, *_rest in RECOMMENDATIONS),
    "sex": frozenset(sex.value for sex in Sex),
    "age_bands": frozenset(band.value for band in AgeBand),
    "categories": frozenset(code for code, *_rest in INCIDENT_CATEGORIES),
    "severities": frozenset(severity.value for severity in Severity),
    "driver": frozenset(code for code, *_rest in DRIVERS),
}
#: Filters that hold one code rather than a list.
SINGLE_FILTERS = frozenset({"sex", "driver"})


def filter_field(key: str) -> str:
    """The form field of a filter key."""
    return f"only_{key}"


def is_share(measure: str, unit: str) -> bool:
    """A share (0-100 %): a share measure, or any indicator whose unit is "%"."""
    return measure in {m.value for m in SHARE_MEASURES} or unit.strip() == "%"


def figure_limit(measure: str, unit: str) -> tuple[float, str] | None:
    """The highest figure an indicator can have and the message saying so (None: no limit)."""
    if measure == Measure.MEAN_RATING.value:
        return MAX_RATING, _("A mean rating is from 0 (not observed) to 3 (high): at most 3.")
    if is_share(measure, unit):
        return 100, _("This indicator is a share: at most 100.")
    return None


def filter_problems(measure: str, filters: dict) -> list[tuple[str, str]]:
    """``(field, message)`` for each filter the measure does not use, each unknown code, and a
    mean rating without its concern."""
    honoured = HONOURED_FILTERS.get(measure, frozenset())
    problems = []
    for key, value in filters.items():
        codes = ([value] if value else []) if key in SINGLE_FILTERS else list(value or ())
        if not codes:
            continue
        if key not in FILTER_CODES or any(code not in FILTER_CODES[key] for code in codes):
            problems.append((filter_field(key), _("Choose only from the options shown.")))
        elif key not in honoured:
            problems.append(
                (
                    filter_field(key),
                    _("The measure chosen does not use this filter: clear it, or choose another measure."),
                )
            )
    if measure == Measure.MEAN_RATING.value and not filters.get("driver"):
        problems.append((filter_field("driver"), _("Choose the concern whose ratings are averaged.")))
    return problems


def figure_problems(measure: str, unit: str, figures: dict[str, float | None]) -> list[tuple[str, str]]:
    """``(field, message)`` for each figure (baseline, target) below 0 or above the measure's limit."""
    limit = figure_limit(measure, unit)
    problems = []
    for field, value in figures.items():
        if value is None:
            continue
        if value < 0:
            problems.append((field, _("The figure cannot be negative.")))
        elif limit is not None and value > limit[0]:
            problems.append((field, limit[1]))
    return problems


def baseline_date_problem(programme: Programme, day: date | None) -> str | None:
    """A baseline is measured before or during the programme, never after it ends."""
    if day is not None and day > programme.end_date:
        return _("The baseline cannot be dated after the programme ends.")
    if day is not None and day < date(2000, 1, 1):
        return _("Enter a baseline date from 2000 on.")
    return None


def _clean_filters(filters: dict) -> dict:
    """Only the filters given, lists sorted, as :mod:`reports.results` reads them."""
    clean = {}
    for key, value in filters.items():
        if key in SINGLE_FILTERS:
            if value:
                clean[key] = value
        elif value:
            clean[key] = sorted(set(value))
    return clean


def _indicator_values(
    session: Session, programme: Programme, values: dict, exclude: Indicator | None
) -> dict:
    code = str(values["code"] or "").strip().upper()
    if not INDICATOR_CODE.match(code) or len(code) > 40:
        raise DomainError(
            _("Use Latin letters, digits, dots and hyphens only, e.g. 1.1 or OUT-2."),
            field="code",
            code="code_format",
        )
    if any(i.code.upper() == code and i is not exclude for i in programme.indicators):
        raise DomainError(
            _("The code %(code)s is already used by another indicator of this programme.", code=code),
            field="code",
            code="code_taken",
        )
    name = " ".join(str(values["name"] or "").split())
    if not name:
        raise DomainError(_("A name is required."), field="name", code="name_required")
    try:
        measure, direction = Measure(values["measure"]), Direction(values["direction"])
    except ValueError:
        raise DomainError(_("Choose only from the options shown."), field="measure", code="unknown") from None
    unit = str(values.get("unit") or "").strip()
    filters = dict(values.get("filters") or {})
    figures = {"baseline_value": values.get("baseline_value"), "target_total": values.get("target_total")}
    for field, message in [
        *filter_problems(measure.value, filters),
        *figure_problems(measure.value, unit, figures),
    ]:
        raise DomainError(message, field=field, code="invalid")
    problem = baseline_date_problem(programme, values.get("baseline_date"))
    if problem:
        raise DomainError(problem, field="baseline_date", code="baseline_date")
    wanted = sorted(set(values.get("recommendations") or ()))
    recommendations = list(session.scalars(select(Recommendation).where(Recommendation.code.in_(wanted))))
    if len(recommendations) != len(wanted):
        raise DomainError(_("Choose only from the options shown."), field="recommendations", code="unknown")
    return {
        "code": code,
        "name": name,
        "names": dict(values.get("names") or {}),
        "measure": measure,
        "filters": _clean_filters(filters),
        "recommendations": sorted(recommendations, key=lambda r: int(r.code[1:])),
        "unit": unit,
        "direction": direction,
        "baseline_value": _float(figures["baseline_value"]),
        "baseline_date": values.get("baseline_date"),
        "target_total": _float(figures["target_total"]),
    }


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _stored_figures(indicator: Indicator, checked: dict) -> None:
    """Refuse a measure or unit that the targets and actuals already set would break."""
    limit = figure_limit(checked["measure"].value, checked["unit"])
    over = (
        sorted(
            {row.quarter for row in (*indicator.targets, *indicator.manual_actuals) if row.value > limit[0]}
        )
        if limit
        else []
    )
    if over:
        raise DomainError(
            _(
                "Targets or actuals above %(max)s are set for %(quarters)s: correct them first.",
                max=f"{limit[0]:g}",
                quarters=", ".join(quarter_name(quarter) for quarter in over),
            ),
            field="measure",
            code="stored_figures",
        )
    if indicator.manual_actuals and checked["measure"] != Measure.MANUAL:
        raise DomainError(
            _("Survey results are entered for this indicator: it stays a survey result."),
            field="measure",
            code="manual_actuals",
        )


def _indicator_comparable(indicator: Indicator, key: str) -> object:
    value = getattr(indicator, key)
    if key == "recommendations":
        return sorted(r.code for r in value)
    return value


def create_indicator(session: Session, programme: Programme, values: dict, *, actor: User) -> Indicator:
    """Add an indicator to the programme; audited. Flushes, never commits."""
    checked = _indicator_values(session, programme, values, None)
    indicator = Indicator(**checked)
    programme.indicators.append(indicator)
    session.flush()
    log_event(
        session,
        "create",
        "indicator",
        user=actor,
        object_uuid=indicator.uuid,
        code=indicator.code,
        programme=programme.code,
        measure=indicator.measure.value,
    )
    return indicator


def update_indicator(session: Session, indicator: Indicator, values: dict, *, actor: User) -> list[str]:
    """Change an indicator; audited with the names of the fields changed; returns them."""
    checked = _indicator_values(session, indicator.programme, values, indicator)
    _stored_figures(indicator, checked)
    changed = assign_changed(indicator, checked, _indicator_comparable)
    if changed:
        session.flush()
        log_event(
            session,
            "update",
            "indicator",
            user=actor,
            object_uuid=indicator.uuid,
            code=indicator.code,
            programme=indicator.programme.code,
            changed=changed,
        )
    return changed


def delete_indicator(session: Session, indicator: Indicator, *, actor: User) -> None:
    """Remove an indicator with its targets and actuals; audited with how many went."""
    programme = indicator.programme
    log_event(
        session,
        "delete",
        "indicator",
        user=actor,
        object_uuid=indicator.uuid,
        code=indicator.code,
        programme=programme.code,
        targets=len(indicator.targets),
        actuals=len(indicator.manual_actuals),
    )
    programme.indicators.remove(indicator)
    session.flush()
