"""A record's history as people read it: who, when, what, which fields changed from what to what.

Reads the audit events the lifecycle writes (``details["changes"]``: ``{field: [from, to]}`` or
``"changed"`` for free text) and turns codes into labels in the reader's language. Used by the
record's detail page and the audit log page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from wtforms.fields.core import UnboundField

from .i18n import translate
from .kinds import kind_by_object_type
from .models import AuditEvent, Community, Organisation
from .translate import gettext as _
from .vocabulary import (
    ACTIVITY_TYPES,
    DRIVERS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUS_LABELS,
    N_,
    RATING_LABELS,
    RECOMMENDATIONS,
    RESPONSE_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TARGET_GROUPS,
    TREND_LABELS,
    IncidentStatus,
    Response,
    Severity,
    Status,
    Trend,
    label_map,
    neutral_label,
)

#: What each audit action is called in a history.
ACTION_LABELS = {
    "create": N_("Created"),
    "update": N_("Edited"),
    "submit": N_("Sent for review"),
    "delete": N_("Deleted"),
    "approve": N_("Approved"),
    "return": N_("Returned for changes"),
    "reopen": N_("Reopened"),
    "correct": N_("Corrected by a coordinator"),
    "purge": N_("Free text removed after the retention period"),
    "close": N_("Month closed"),
    "export": N_("Report downloaded"),
    "login": N_("Signed in"),
    "login_failed": N_("Sign-in refused"),
    "logout": N_("Signed out"),
    "deactivate": N_("Deactivated"),
    "reactivate": N_("Reactivated"),
    "reset_password": N_("Password reset"),
    "import_outbox": N_("Tablet outbox imported"),
}

#: Code lists: field -> (vocabulary, the neutral-label kind).
_CODE_FIELDS = {
    "target_groups": (label_map(TARGET_GROUPS), "target_group"),
    "drivers": (label_map(DRIVERS), "driver"),
    "recommendations": (label_map(RECOMMENDATIONS), "recommendation"),
    "activity_type_code": (label_map(ACTIVITY_TYPES), "activity_type"),
    "category_code": (label_map(INCIDENT_CATEGORIES), "incident_category"),
}
_ENUM_FIELDS = {
    "severity": (Severity, SEVERITY_LABELS),
    "response": (Response, RESPONSE_LABELS),
    "incident_status": (IncidentStatus, INCIDENT_STATUS_LABELS),
}
_DRIVER_LABELS = label_map(DRIVERS)


@dataclass(frozen=True)
class ChangeLine:
    """One changed field: its label, and the values before and after (None for free text)."""

    label: str
    old: str | None
    new: str | None

    @property
    def text_only(self) -> bool:
        """Free text: the history says it changed, never what it says."""
        return self.old is None and self.new is None


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    action: str
    changes: list[ChangeLine]
    status: tuple[str | None, str | None] | None
    #: The return comment or reopen / correction reason.
    note: str | None


def _status_label(value: str | None) -> str | None:
    return _(STATUS_LABELS[Status(value)]) if value else None


def _field_label(object_type: str, key: str) -> str:
    if key.startswith("rating:"):
        code = key.split(":", 1)[1]
        return _(neutral_label("driver", code, _DRIVER_LABELS.get(code, code)))
    if key == "community_id":
        return _("Community")
    if key == "organisation_id":
        return _("Organisation")
    kind = kind_by_object_type(object_type)
    unbound = getattr(kind.form, key, None) if kind else None
    if isinstance(unbound, UnboundField) and unbound.args:
        return str(unbound.args[0])
    return key


def _code_label(key: str, code: str) -> str:
    labels, neutral_kind = _CODE_FIELDS[key]
    label = _(neutral_label(neutral_kind, code, labels.get(code, code)))
    return f"{code}: {label}" if key == "recommendations" else label


def _value(key: str, value: object, communities: dict[str, str]) -> str:
    """One value of the diff as the reader sees it."""
    if key.startswith("rating:") and value is None:
        return _("Not assessed")
    if value is None or value == []:
        return "—"
    if key in ("community_id", "organisation_id"):
        return communities.get(str(value), str(value))
    if key == "date":
        return format_date(date.fromisoformat(str(value)))
    if key.startswith("rating:") and isinstance(value, list):
        rating, trend = value
        return f"{translate(RATING_LABELS[int(rating)])}, {_(TREND_LABELS[Trend(trend)]).lower()}"
    if key in _CODE_FIELDS:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(_code_label(key, str(code)) for code in codes)
    if key in _ENUM_FIELDS:
        enum, labels = _ENUM_FIELDS[key]
        return translate(labels[enum(value)])
    return str(value)


def change_lines(session: Session, event: AuditEvent) -> list[ChangeLine]:
    """The fields an audit event changed, labelled, in the reader's language."""
    changes = (event.details or {}).get("changes") or {}
    places = ("community_id", "organisation_id")
    codes = {
        str(v) for key, pair in changes.items() if key in places and isinstance(pair, list) for v in pair
    }
    communities: dict[str, str] = {}  # community and organisation codes -> the names people read
    for model in (Community, Organisation) if codes else ():
        communities.update(
            session.execute(select(model.code, model.local_name).where(model.code.in_(codes))).all()
        )
    lines = []
    for key, pair in changes.items():
        label = _field_label(event.object_type, key)
        if pair == "changed":
            lines.append(ChangeLine(label, None, None))
        else:
            old, new = pair
            lines.append(ChangeLine(label, _value(key, old, communities), _value(key, new, communities)))
    return lines


def history_entry(session: Session, event: AuditEvent) -> HistoryEntry:
    """One audit event, ready for a template."""
    status = (event.details or {}).get("status")
    return HistoryEntry(
        event=event,
        action=_(ACTION_LABELS.get(event.action, event.action)),
        changes=change_lines(session, event),
        status=(_status_label(status[0]), _status_label(status[1])) if status else None,
        note=event.note.text if event.note is not None else None,
    )


def record_history(session: Session, record_uuid: uuid.UUID) -> list[HistoryEntry]:
    """Everything that happened to one record, oldest first."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_uuid == record_uuid)
        .options(joinedload(AuditEvent.user), joinedload(AuditEvent.note))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [history_entry(session, event) for event in events]
