"""The audit log page: every sign-in, change, review and export, newest first, read-only.

No route here (or anywhere) changes or deletes an audit row; the database refuses it too (the
``record_lifecycle`` migration's triggers). The page shows which fields changed from what to what,
but never the words of free text: the lifecycle stores only ``"changed"`` for those.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from flask import current_app, render_template, request, url_for
from flask_babel import format_date, get_timezone
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from forms.admin import OBJECT_TYPE_LABELS, AuditFilterForm
from forms.auth import LANGUAGE_NAMES
from reports.filters import AUDIENCE_LABELS, Audience

from ..extensions import db
from ..history import ACTION_LABELS, ChangeLine, change_lines, place_names
from ..kinds import KINDS, kind_by_object_type
from ..models import AuditEvent, Organisation, User
from ..paging import page_number
from ..security import roles_required
from ..translate import gettext as _
from ..vocabulary import N_, ROLE_LABELS, STATUS_LABELS, Role, Status
from . import bp

BAD_REQUEST = 400

#: What the ``changed`` list of a user or organisation update names, as the admin forms label it.
FIELD_LABELS = {
    "user": {
        "role": N_("Role"),
        "organisation_id": N_("Organisation"),
        "scope_region_id": N_("Region assigned"),
        "scope_country_id": N_("Country assigned"),
        "locale": N_("Interface language"),
    },
    "organisation": {
        "code": N_("Code"),
        "name": N_("Name"),
        "type": N_("Type"),
        "district_id": N_("Home district"),
    },
}


# Query ------------------------------------------------------------------------------------------


def _start_of_day(day: date, zone: tzinfo) -> datetime | None:
    """Midnight at the start of ``day`` in ``zone``, in UTC; None when out of the calendar's range."""
    try:
        naive = datetime.combine(day, time.min)
        local = zone.localize(naive) if hasattr(zone, "localize") else naive.replace(tzinfo=zone)
        return local.astimezone(UTC)
    except OverflowError:
        return None


def audit_query(
    *,
    user_id: int | None = None,
    action: str | None = None,
    object_type: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    zone: tzinfo = UTC,
) -> Select:
    """``SELECT audit_events`` newest first, filtered; the dates are whole days in ``zone``."""
    query = select(AuditEvent).options(joinedload(AuditEvent.user))
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if date_from and (start := _start_of_day(date_from, zone)) is not None:
        query = query.where(AuditEvent.at >= start)
    if date_to:
        try:
            end = _start_of_day(date_to + timedelta(days=1), zone)
        except OverflowError:  # the last day of the calendar: no upper bound
            end = None
        if end is not None:
            query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


# Rows -------------------------------------------------------------------------------------------

_BROWSER = re.compile(
    r"(?<![A-Za-z])(Edg|EdgA|OPR|YaBrowser|SamsungBrowser|Firefox|FxiOS|CriOS|HeadlessChrome|Chrome|Version)/(\d+)"
)
_BROWSER_NAMES = {
    "Edg": "Edge",
    "EdgA": "Edge",
    "OPR": "Opera",
    "YaBrowser": "Yandex Browser",
    "SamsungBrowser": "Samsung Internet",
    "FxiOS": "Firefox",
    "CriOS": "Chrome",
    "HeadlessChrome": "Headless Chrome",
    "Version": "Safari",
}
#: A browser string names the engines it descends from too: the first of these found wins.
_BROWSER_ORDER = (
    "Edg",
    "EdgA",
    "OPR",
    "YaBrowser",
    "SamsungBrowser",
    "Firefox",
    "FxiOS",
    "CriOS",
    "HeadlessChrome",
    "Chrome",
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)
#: Unknown clients (scripts, tools) are cut to this many characters.
SHORT_AGENT_LENGTH = 40


def short_user_agent(agent: str | None) -> str | None:
    """A browser string as a person reads it: ``Firefox 128 · Windows``, else its first product."""
    if not agent or not agent.strip():
        return None
    found = {name: version for name, version in _BROWSER.findall(agent)}
    browser = next(
        (f"{_BROWSER_NAMES.get(name, name)} {found[name]}" for name in _BROWSER_ORDER if name in found),
        None,
    )
    if browser is None and "Version" in found and "Safari" in agent:
        browser = f"Safari {found['Version']}"
    system = next((label for token, label in _SYSTEMS if token in agent), None)
    if browser:
        return f"{browser} · {system}" if system else browser
    first = agent.split()[0]
    return first if len(first) <= SHORT_AGENT_LENGTH else first[: SHORT_AGENT_LENGTH - 1] + "…"


@dataclass
class AuditRow:
    """One audit event as the page shows it."""

    event: AuditEvent
    who: str
    #: False for "command line" and "unknown".
    who_known: bool
    action: str
    object_label: str
    #: The page of what it is about, when there is one.
    href: str | None = None
    #: A name or code telling it apart (username, organisation code, short record key).
    ref: str | None = None
    #: A record deleted since: it has no page any more.
    gone: bool = False
    status: tuple[str, str] | None = None
    changes: list[ChangeLine] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    agent: str | None = None

    @property
    def at_iso(self) -> str:
        """When, for ``<time datetime>``: SQLite hands back UTC without its zone."""
        at = self.event.at
        return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()


def _who(event: AuditEvent) -> tuple[str, bool]:
    if event.user is not None:
        return event.user.username, True
    details = event.details or {}
    if details.get("via") == "cli" or (event.ip_address is None and event.action != "login_failed"):
        return _("Command line"), False
    return _("Unknown"), False


def _status_label(value: str | None) -> str:
    return _(STATUS_LABELS[Status(value)]) if value else "—"


def _month_label(value: str) -> str:
    try:
        return format_date(date.fromisoformat(value + "-01"), "LLLL yyyy")
    except (TypeError, ValueError):
        return str(value)


def _day_label(value: str | None) -> str:
    try:
        return format_date(date.fromisoformat(value)) if value else "…"
    except ValueError:
        return value


def _export_summary(details: dict) -> list[str]:
    parts = []
    audience = details.get("audience")
    if audience in set(Audience):
        parts.append(_(AUDIENCE_LABELS[Audience(audience)]))
    filters = dict(details.get("filters") or {})
    start, end = filters.pop("from", None), filters.pop("to", None)
    if start or end:
        parts.append(" – ".join(_day_label(day) for day in (start, end)))
    filters.pop("audience", None)
    parts.extend(str(value) for value in filters.values())
    return parts


class _Lookups:
    """What the rows of one page point at, fetched in a few queries rather than one per row."""

    def __init__(self, session: Session, events: list[AuditEvent]) -> None:
        wanted: dict[str, set[uuid.UUID]] = {}
        for event in events:
            if event.object_uuid is not None:
                wanted.setdefault(event.object_type, set()).add(event.object_uuid)
        self.records: set[uuid.UUID] = set()
        for kind in KINDS.values():
            if keys := wanted.get(kind.object_type):
                self.records.update(session.scalars(select(kind.model.uuid).where(kind.model.uuid.in_(keys))))
        self.users: dict[uuid.UUID, str] = (
            dict(session.execute(select(User.uuid, User.username).where(User.uuid.in_(wanted["user"]))).all())
            if wanted.get("user")
            else {}
        )
        self.organisations: dict[uuid.UUID, str] = (
            dict(
                session.execute(
                    select(Organisation.uuid, Organisation.code).where(
                        Organisation.uuid.in_(wanted["organisation"])
                    )
                ).all()
            )
            if wanted.get("organisation")
            else {}
        )
        #: The communities and organisations the records' diffs name (one statement).
        self.places = place_names(session, [e for e in events if kind_by_object_type(e.object_type)])


def _describe(row: AuditRow, lookups: _Lookups) -> None:
    """Fill in the link, reference, status, changes and summary of one row."""
    event, details = row.event, row.event.details or {}
    key = event.object_uuid
    kind = kind_by_object_type(event.object_type)
    if kind is not None:
        if key is not None:
            row.ref = str(key)[:8]
            if key in lookups.records:
                row.href = url_for("entries.detail", kind=kind.slug, record_id=key)
            else:
                row.gone = True
        status = details.get("status")
        if isinstance(status, list) and len(status) == 2:
            row.status = (_status_label(status[0]), _status_label(status[1]))
        row.changes = change_lines(event, lookups.places)
        return
    labels = FIELD_LABELS.get(event.object_type, {})
    row.changes = [ChangeLine(_(labels.get(name, name)), None, None) for name in details.get("changed") or []]
    if event.object_type == "user":
        if key is not None and key in lookups.users:
            row.ref = lookups.users[key]
            row.href = url_for(".user_edit", user_uuid=key)
        if event.action == "update" and "locale" in details and "changed" not in details:
            language = LANGUAGE_NAMES.get(details["locale"], details["locale"])
            row.changes = [ChangeLine(_("Interface language"), None, language)]
        if event.action == "create" and details.get("role") in set(Role):
            row.changes = [ChangeLine(_("Role"), None, _(ROLE_LABELS[Role(details["role"])]))]
    elif event.object_type == "organisation":
        row.ref = details.get("code") or (lookups.organisations.get(key) if key else None)
        if key is not None and key in lookups.organisations:
            row.href = url_for(".organisation_edit", organisation_uuid=key)
    elif event.object_type == "community":
        row.ref = details.get("code")
        if details.get("district"):
            row.href = url_for(".district", code=details["district"])
    elif event.object_type == "report":
        row.summary = _export_summary(details)
    elif event.object_type == "period":
        area = details.get("region") or details.get("country")
        month = _month_label(details["month"]) if details.get("month") else row.object_label
        row.object_label = f"{month} · {area}" if area else month


def audit_rows(session: Session, events: list[AuditEvent]) -> list[AuditRow]:
    """The events of one page, ready for the template."""
    lookups = _Lookups(session, events)
    rows = []
    for event in events:
        who, known = _who(event)
        label = OBJECT_TYPE_LABELS.get(event.object_type)
        row = AuditRow(
            event=event,
            who=who,
            who_known=known,
            action=_(ACTION_LABELS[event.action]) if event.action in ACTION_LABELS else event.action,
            object_label=_(label) if label else event.object_type,
            agent=short_user_agent(event.user_agent),
        )
        _describe(row, lookups)
        rows.append(row)
    return rows


# View -------------------------------------------------------------------------------------------


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit_log() -> tuple[str, int]:
    """The audit log, newest first, filtered by user, action, type and dates; bad filters are 400."""
    filters = AuditFilterForm(request.args)
    if not filters.validate():
        return render_template("admin/audit.html", filters=filters, page=None, rows=[]), BAD_REQUEST
    query = audit_query(
        user_id=filters.user_id,
        action=filters.action.data or None,
        object_type=filters.object_type.data or None,
        date_from=filters.date_from.data,
        date_to=filters.date_to.data,
        zone=get_timezone() or UTC,
    )
    page = db.paginate(query, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)
    rows = audit_rows(db.session, list(page.items))
    return render_template("admin/audit.html", filters=filters, page=page, rows=rows), 200
