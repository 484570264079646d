"""A record's values as the lifecycle applies and audits them: code lists to rows, ratings, the
snapshot before and after a change and the field-level diff of the two (issue 14: split from
:mod:`.lifecycle`, which calls them; no other module writes a record's values). Also the code
lists of a stored record read for its page in one statement (:func:`load_code_lists`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, inspect, literal, select, union_all
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..errors import DomainError
from ..models import (
    Community,
    Driver,
    DriverAssessment,
    DriverRating,
    Organisation,
    Recommendation,
    RecordMixin,
    TargetGroup,
)
from ..translate import gettext as _
from ..vocabulary import CODE_LISTS, FIELD_LISTS, Trend, in_list_order

#: The code-list values and the rows they stand for.
_CODE_LISTS = {"target_groups": TargetGroup, "drivers": Driver, "recommendations": Recommendation}
#: The codes each code list takes: the vocabulary ``flask init-db`` writes into those tables.
_KNOWN_CODES = {
    model: frozenset(code for code, *_rest in CODE_LISTS[FIELD_LISTS[key]])
    for key, model in _CODE_LISTS.items()
}


def text_fields(model: type[RecordMixin]) -> list[str]:
    """The record's free-text columns (what the audit log only ever calls "changed")."""
    return [column.key for column in model.__table__.columns if isinstance(column.type, Text)]


def _is_text(model: type[RecordMixin], key: str) -> bool:
    return key in text_fields(model)


#: ``session.info`` key of the places read by :func:`by_id`, held for the session's life.
_HELD = "lifecycle.places"


def by_id(session: Session, model: type, key: object) -> object | None:
    """The row with that primary key, from the session when it holds it already (no statement).

    The session keeps only weak references: the row is held here (a few places per session) so
    that the audit diff, after the flush, finds it still there.
    """
    if key is None:
        return None
    row = session.get(model, key)
    if row is not None:
        session.info.setdefault(_HELD, {})[(model, key)] = row
    return row


def _comparable(session: Session, key: str, value: object) -> object:
    """A value as the audit log keeps it: codes, numbers, ISO dates."""
    if key in ("community_id", "organisation_id"):
        row = by_id(session, Community if key == "community_id" else Organisation, value)
        return row.code if row is not None else None
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def snapshot(session: Session, record: RecordMixin, keys: list[str]) -> dict:
    values: dict = {}
    for key in keys:
        if key in _CODE_LISTS:
            values[key] = sorted(row.code for row in getattr(record, key))
        elif key == "ratings":
            for r in record.ratings:
                values[f"rating:{r.driver_code}"] = [r.rating, r.trend.value]
        else:
            values[key] = _comparable(session, key, getattr(record, key))
    return values


def wanted(session: Session, values: dict) -> dict:
    wanted: dict = {}
    for key, value in values.items():
        if key in _CODE_LISTS:
            wanted[key] = sorted(set(value))
        elif key == "ratings":
            for code, (rating, trend) in value.items():
                wanted[f"rating:{code}"] = [rating, str(getattr(trend, "value", trend))]
        else:
            wanted[key] = _comparable(session, key, value)
    return wanted


def unchanged(session: Session, record: RecordMixin, values: dict) -> bool:
    """Whether ``values`` (a form's ``record_data()``) are what the record holds: an identical
    resend, which the JSON sync answers as already stored instead of as a change."""
    model = type(record)

    def text_as_stored(snapshot: dict) -> dict:  # a text left out and an empty one are the same
        return {key: (value or "") if _is_text(model, key) else value for key, value in snapshot.items()}

    return text_as_stored(snapshot(session, record, list(values))) == text_as_stored(wanted(session, values))


def diff(model: type[RecordMixin], before: dict, after: dict) -> dict:
    """``{field: [from, to]}``, or ``"changed"`` for free text (the log never holds community text)."""
    changes: dict = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        changes[key] = "changed" if _is_text(model, key) else [old, new]
    return changes


def apply_values(session: Session, record: RecordMixin, values: dict) -> None:
    """Copy validated values onto the record; codes become taxonomy rows. No flush half-way: a
    record is checked (by the database too) only once every value is on it."""
    with session.no_autoflush:
        for key, value in values.items():
            if key in _CODE_LISTS:
                setattr(record, key, code_rows(session, _CODE_LISTS[key], value, field=key))
            elif key == "ratings":
                _apply_ratings(record, value)
            else:
                setattr(record, key, value)


def code_rows(session: Session, model: type, codes: list[str], *, field: str) -> list:
    """The taxonomy rows of ``codes``, in the session without reading them (issue 14: three
    statements fewer per submission).

    The codes are checked against the vocabulary the tables are made from; a row the session does
    not hold yet joins it by its primary key alone, as if just loaded with its other columns
    expired (read on first use). The link rows' foreign keys still refuse a code the database
    lacks, so nothing unknown is ever stored.
    """
    unique = list(dict.fromkeys(codes))
    if not _KNOWN_CODES[model].issuperset(unique):
        raise DomainError(_("Choose only from the options shown."), field=field, code="unknown_code")
    rows = []
    for code in unique:
        row = session.identity_map.get(identity_key(model, code))
        if row is None:
            row = model(code=code)
            make_transient_to_detached(row)
            session.add(row)
        rows.append(row)
    return rows


def load_code_lists(session: Session, record: RecordMixin) -> None:
    """Load the record's code lists not loaded yet (an activity's three, an incident's concerns)
    from their link tables in one statement, rows from :func:`code_rows` (no taxonomy reads), in
    the vocabulary's order as their relationships give them. A record page read them in one
    statement per list, each joined to its taxonomy table."""
    mapper, loaded = inspect(type(record)), inspect(record).dict
    keys = [key for key in _CODE_LISTS if key in mapper.relationships and key not in loaded]
    parts = []
    for key in keys:
        relationship = mapper.relationships[key]
        (_own, record_column), (_code, code_column) = (
            relationship.synchronize_pairs[0],
            relationship.secondary_synchronize_pairs[0],
        )
        parts.append(
            select(literal(key).label("list"), code_column.label("code")).where(record_column == record.id)
        )
    if not parts:
        return
    codes: dict[str, list[str]] = {key: [] for key in keys}
    for key, code in session.execute(parts[0] if len(parts) == 1 else union_all(*parts)):
        codes[key].append(code)
    for key in keys:
        ordered = in_list_order(FIELD_LISTS[key], codes[key])
        set_committed_value(record, key, code_rows(session, _CODE_LISTS[key], ordered, field=key))


def _apply_ratings(record: DriverAssessment, ratings: dict[str, tuple[int, str]]) -> None:
    existing = {r.driver_code: r for r in record.ratings}
    for code, (rating, trend) in ratings.items():
        row = existing.get(code)
        if row is None:
            record.ratings.append(DriverRating(driver_code=code, rating=rating, trend=Trend(trend)))
        else:
            row.rating = rating
            row.trend = Trend(trend)
    for code, row in existing.items():
        if code not in ratings:
            record.ratings.remove(row)
