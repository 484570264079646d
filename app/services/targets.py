"""Who may set a programme's targets and actuals, and storing them, audited (issue 13)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Indicator, IndicatorTarget, ManualActual, Programme, Region, User
from ..models.base import utcnow
from ..vocabulary import Role
from .audit import log_event
from .scope import region_ids_in_scope


def can_manage(session: Session, user: User, programme: Programme) -> bool:
    """Administrators; a coordinator whose assigned area holds the programme's whole area."""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.COORDINATOR:
        return False
    mine = set(session.scalars(region_ids_in_scope(user)))
    wanted = {region.id for region in programme.regions}
    for country in programme.countries:
        wanted |= set(session.scalars(select(Region.id).where(Region.country_id == country.id)))
    return bool(wanted) and wanted <= mine


def save_targets(
    session: Session, programme: Programme, values: dict[tuple[str, date], float | None], *, actor: User
) -> int:
    """Replace the quarterly targets of the file's indicators (an empty cell removes one); audited.
    Returns how many targets the programme now has for those indicators. Flushes, never commits."""
    indicators = {indicator.code: indicator for indicator in programme.indicators}
    touched = sorted({code for code, _quarter in values})
    for code in touched:
        indicator = indicators[code]
        wanted = {quarter: value for (c, quarter), value in values.items() if c == code and value is not None}
        existing = {target.quarter: target for target in indicator.targets}
        for quarter, value in sorted(wanted.items()):  # changed in place: the key stays
            if quarter in existing:
                existing[quarter].value = value
            else:
                indicator.targets.append(IndicatorTarget(quarter=quarter, value=value))
        for quarter, target in existing.items():
            if quarter not in wanted:
                indicator.targets.remove(target)
    session.flush()
    stored = sum(len(indicators[code].targets) for code in touched)
    log_event(
        session,
        "update",
        "programme",
        user=actor,
        object_uuid=programme.uuid,
        code=programme.code,
        changed=["targets"],
        indicators=touched,
        targets=stored,
    )
    return stored


def save_manual_actual(
    session: Session, indicator: Indicator, quarter: date, value: float, source_note: str, *, actor: User
) -> None:
    """The actual of a survey-type indicator for one quarter (replacing an earlier one); audited
    with its quarter and value (the source note stays in the table). Flushes, never commits."""
    existing = next((row for row in indicator.manual_actuals if row.quarter == quarter), None)
    before = existing.value if existing is not None else None
    if existing is None:
        indicator.manual_actuals.append(
            ManualActual(quarter=quarter, value=value, source_note=source_note, entered_by_id=actor.id)
        )
    else:
        existing.value, existing.source_note, existing.entered_by_id = value, source_note, actor.id
        existing.entered_at = utcnow()
    session.flush()
    log_event(
        session,
        "update",
        "indicator",
        user=actor,
        object_uuid=indicator.uuid,
        code=indicator.code,
        changed=["actual"],
        quarter=quarter.isoformat(),
        value=[before, value],
    )
