"""An administrator brings in the outbox a tablet saved as a file ("Save a copy"), when the tablet
broke or never reaches a signal. Each entry goes through :func:`app.api.records.put_record`, as
if the tablet had sent it: one that already arrived answers "already here", nothing twice.

The entries are recorded by the administrator (the audit log says so, ``via: import``) for the
organisation of the volunteer whose tablet it was; another coordinator reviews them as usual.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..kinds import KINDS
from ..models import User
from ..services.audit import log_event
from ..translate import gettext as _
from ..translate import ngettext
from .records import FORM_ERRORS, put_record

#: What "Save a copy" writes at the top of the file.
FORMAT, FORMAT_VERSION = "yntymak-outbox", 1
#: Entries one file may carry (a tablet's outbox is a day or a week of work, not a year).
MAX_ENTRIES = 2000


@dataclass
class EntryResult:
    """What became of one entry of the file."""

    kind: str
    uuid: str
    status: int
    messages: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """``stored``, ``already`` (it had arrived), ``conflict`` or ``refused``."""
        if self.status == 201:
            return "stored"
        if self.status == 200:
            return "already"
        return "conflict" if self.status == 409 else "refused"


@dataclass
class ImportReport:
    username: str
    results: list[EntryResult]

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)


def _read(payload: bytes) -> dict:
    try:
        document = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise DomainError(_("This is not a file saved from the outbox."), field="file") from None
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or document.get("version") != FORMAT_VERSION
        or not isinstance(document.get("entries"), list)
    ):
        raise DomainError(_("This is not a file saved from the outbox."), field="file")
    if len(document["entries"]) > MAX_ENTRIES:
        raise DomainError(
            ngettext(
                "The file holds more than %(num)d entry: save the outbox in parts.",
                "The file holds more than %(num)d entries: save the outbox in parts.",
                MAX_ENTRIES,
            ),
            field="file",
        )
    return document


def _tablet_user(session: Session, document: dict) -> User:
    try:
        key = uuid.UUID(str(document.get("user")))
    except ValueError:
        key = None
    user = session.scalar(select(User).where(User.uuid == key)) if key else None
    if user is None:
        raise DomainError(_("The account this file was saved under is not known here."), field="file")
    return user


def _messages(body: dict) -> list[str]:
    if "error" in body:
        return [str(body["error"])]
    errors = body.get("errors") or {}
    return [
        f"{key}: {message}" if key != FORM_ERRORS else str(message)
        for key, messages in errors.items()
        for message in messages
    ]


def _one(session: Session, admin: User, tablet_user: User, entry: object) -> EntryResult:
    if not isinstance(entry, dict):
        return EntryResult("", "", 400, [_("This entry of the file cannot be read.")])
    kind, key, body = entry.get("kind"), entry.get("uuid"), entry.get("body")
    kind_ = KINDS.get(kind) if isinstance(kind, str) else None
    try:
        record_uuid = uuid.UUID(str(key))
    except ValueError:
        record_uuid = None
    if kind_ is None or record_uuid is None or not isinstance(body, dict):
        return EntryResult(
            str(kind or ""), str(key or ""), 400, [_("This entry of the file cannot be read.")]
        )
    if tablet_user.organisation_id is not None:
        body = {**body, "organisation": tablet_user.organisation_id}
    answer = put_record(session, admin, kind_, record_uuid, body, via="import")
    if answer.status in (200, 201):
        session.commit()
    else:
        session.rollback()
    return EntryResult(kind_.slug, str(record_uuid), answer.status, _messages(answer.body))


def import_outbox(session: Session, admin: User, payload: bytes) -> ImportReport:
    """Send every entry of the file through the API's rules; each stored one is committed."""
    document = _read(payload)
    tablet_user = _tablet_user(session, document)
    username = tablet_user.username
    results = [_one(session, admin, tablet_user, entry) for entry in document["entries"]]
    report = ImportReport(username, results)
    log_event(
        session,
        "import_outbox",
        "user",
        user=admin,
        object_uuid=tablet_user.uuid,
        entries=len(results),
        stored=report.count("stored"),
        already=report.count("already"),
        refused=report.count("refused") + report.count("conflict"),
    )
    session.commit()
    return report
