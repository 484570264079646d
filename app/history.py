"""A record's history as people read it: who, when, what, which fields changed from what to what.

Reads the audit events the lifecycle writes (``details["changes"]``: ``{field: [from, to]}`` or
``"changed"`` for free text) and turns codes into labels in the reader's language. Used by the
record's detail page and the audit log page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session, joinedload
from wtforms.fields.core import UnboundField

from .i18n import translate
from .kinds import kind_by_object_type
from .models import AuditEvent, Community, Organisation, RecordMixin
from .translate import gettext as _
from .vocabulary import (
    FIELD_LISTS,
    INCIDENT_STATUS_LABELS,
    N_,
    RATING_LABELS,
    RESPONSE_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
    IncidentStatus,
    Response,
    Severity,
    Status,
    Trend,
    code_label,
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

#: Fields whose values are place codes, and the model that names them.
_PLACE_FIELDS = {"community_id": Community, "organisation_id": Organisation}
#: ``(field, code)`` -> the name people read.
PlaceNames = dict[tuple[str, str], str]
_ENUM_FIELDS = {
    "severity": (Severity, SEVERITY_LABELS),
    "response": (Response, RESPONSE_LABELS),
    "incident_status": (IncidentStatus, INCIDENT_STATUS_LABELS),
}


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
        return _(code_label("driver", code))
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
    label = _(code_label(FIELD_LISTS[key], code))
    return f"{code}: {label}" if key == "recommendations" else label


def _value(key: str, value: object, places: PlaceNames) -> str:
    """One value of the diff as the reader sees it."""
    if key.startswith("rating:") and value is None:
        return _("Not assessed")
    if value is None or value == []:
        return "—"
    if key in _PLACE_FIELDS:
        return places.get((key, str(value)), str(value))
    if key == "date":
        return format_date(date.fromisoformat(str(value)))
    if key.startswith("rating:") and isinstance(value, list):
        rating, trend = value
        return f"{translate(RATING_LABELS[int(rating)])}, {_(TREND_LABELS[Trend(trend)]).lower()}"
    if key in FIELD_LISTS:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(_code_label(key, str(code)) for code in codes)
    if key in _ENUM_FIELDS:
        enum, labels = _ENUM_FIELDS[key]
        return translate(labels[enum(value)])
    return str(value)


def _place_codes(event: AuditEvent) -> set[tuple[str, str]]:
    changes = (event.details or {}).get("changes") or {}
    return {
        (key, str(value))
        for key, pair in changes.items()
        if key in _PLACE_FIELDS and isinstance(pair, list)
        for value in pair
        if value is not None
    }


def place_names(
    session: Session, events: Iterable[AuditEvent], known: PlaceNames | None = None
) -> PlaceNames:
    """The names of the communities and organisations the events' diffs name by code: one
    statement for a whole history or audit page, none for the codes ``known`` already names."""
    names = dict(known or {})
    wanted = set().union(*(_place_codes(event) for event in events)) - names.keys()
    queries = [
        select(literal(key), model.code, model.local_name).where(
            model.code.in_(sorted(code for field, code in wanted if field == key))
        )
        for key, model in _PLACE_FIELDS.items()
        if any(field == key for field, _code in wanted)
    ]
    if queries:
        statement = queries[0] if len(queries) == 1 else union_all(*queries)
        names.update(((key, code), name) for key, code, name in session.execute(statement))
    return names


def change_lines(event: AuditEvent, places: PlaceNames) -> list[ChangeLine]:
    """The fields an audit event changed, labelled, in the reader's language (``places`` from
    :func:`place_names`)."""
    changes = (event.details or {}).get("changes") or {}
    lines = []
    for key, pair in changes.items():
        label = _field_label(event.object_type, key)
        if pair == "changed":
            lines.append(ChangeLine(label, None, None))
        else:
            old, new = pair
            lines.append(ChangeLine(label, _value(key, old, places), _value(key, new, places)))
    return lines


def history_entry(event: AuditEvent, places: PlaceNames) -> HistoryEntry:
    """One audit event, ready for a template."""
    status = (event.details or {}).get("status")
    return HistoryEntry(
        event=event,
        action=_(ACTION_LABELS.get(event.action, event.action)),
        changes=change_lines(event, places),
        status=(_status_label(status[0]), _status_label(status[1])) if status else None,
        note=event.note.text if event.note is not None else None,
    )


def record_history(session: Session, record: RecordMixin) -> list[HistoryEntry]:
    """Everything that happened to one record, oldest first (its own community and organisation,
    which its page shows anyway, named from the record)."""
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_uuid == record.uuid)
            .options(joinedload(AuditEvent.user), joinedload(AuditEvent.note))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
    known = {
        ("community_id", record.community.code): record.community.local_name,
        ("organisation_id", record.organisation.code): record.organisation.local_name,
    }
    places = place_names(session, events, known)
    return [history_entry(event, places) for event in events]
