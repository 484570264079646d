"""Keyset pagination: a page continues after (or before) the last row shown, never at an OFFSET.

A list is ordered by a key, e.g. ``(date, id)`` newest first. The query string carries the key of
the row a link continues from, ``?after=2025-03-14.<uuid>`` ("older entries") or ``?before=...``
("newer entries"); the next page is ``WHERE key < cursor ORDER BY key LIMIT per_page + 1``, which
walks an index from the cursor and stops, however deep the page (an OFFSET of page 2,000 reads
50,000 rows first). The extra row says whether there is a further page. The "newer" direction runs
the same walk reversed and flips the rows. Rows added or removed between two page loads shift
nothing: a page starts at its cursor, so the rows already listed are neither repeated nor skipped.

The comparison is written out, ``a <= :a AND (a < :a OR (a = :a AND b < :b))``: row values
(``(a, b) < (:a, :b)``) are not on every SQLite, and the leading ``a <= :a`` lets the database seek
the index to the cursor instead of filtering every row before it.

A cursor names its row by UUID, not by its internal id (never shown); the list resolves it (see
``app.entries.queries``). A cursor that cannot be read is a ``BadCursor``: the list answers 400 with
its first page, never a 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, false, or_, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ClauseElement
from werkzeug.datastructures import MultiDict

T = TypeVar("T")

AFTER, BEFORE = "after", "before"
#: Longer than any cursor this module writes; a longer one is refused before it is parsed.
MAX_LENGTH = 120
_SEPARATOR = "."
#: The value of a key part a cursor's row no longer tells (deleted, or never in the reader's scope):
#: every row equal on the parts before it is past the cursor, so that the page repeats the rows of
#: its date rather than skip any.
UNKNOWN = None
_TRUE = object()  # "every row" while building a condition; None is "no row"


class BadCursor(ValueError):
    """A cursor from the query string that is not one this module wrote."""


# -- The cursor in the query string --------------------------------------------------------------


def parse_date(text: str) -> date:
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


def parse_timestamp(text: str) -> datetime:
    """A UTC time written by ``encode`` (no offset); aware, as the database compares it."""
    if not 19 <= len(text) <= 26:
        raise ValueError(text)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        raise ValueError(text)
    return moment.replace(tzinfo=UTC)


def parse_uuid(text: str) -> uuid.UUID:
    if len(text) != 32:
        raise ValueError(text)
    return uuid.UUID(hex=text)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)


def encode(*values: object) -> str:
    """``2025-03-14.3f2a...``: the parts of a row's key (dates ISO, times UTC, UUIDs in hex)."""
    return _SEPARATOR.join(_text(value) for value in values)


def decode(text: str, parsers: Sequence[Callable[[str], Any]]) -> tuple:
    """The parts of a cursor, each read by its parser (only the first may contain the separator)."""
    if not text or len(text) > MAX_LENGTH:
        raise BadCursor(text[:MAX_LENGTH])
    parts = text.rsplit(_SEPARATOR, len(parsers) - 1)
    if len(parts) != len(parsers):
        raise BadCursor(text)
    try:
        return tuple(parse(part) for parse, part in zip(parsers, parts, strict=True))
    except (ValueError, OverflowError, TypeError, LookupError) as exc:
        raise BadCursor(text) from exc


@dataclass(frozen=True)
class Position:
    """Where a page starts: after or before the row whose key a cursor gives."""

    direction: str
    values: tuple
    text: str

    @property
    def forward(self) -> bool:
        return self.direction == AFTER

    def resolved(self, values: tuple) -> Position:
        """The same position with the key completed (e.g. a UUID looked up as an id)."""
        return Position(self.direction, values, self.text)


def position_from(args: MultiDict, parsers: Sequence[Callable[[str], Any]]) -> Position | None:
    """``?after=`` or ``?before=`` read into a Position; none is the first page; BadCursor else."""
    given = [(direction, args.getlist(direction)) for direction in (AFTER, BEFORE) if direction in args]
    if not given:
        return None
    if len(given) > 1 or len(given[0][1]) != 1:
        raise BadCursor("after and before")
    direction, (text,) = given[0]
    return Position(direction, decode(text, parsers), text)


# -- The condition and the page ------------------------------------------------------------------


def _is_sql(column: object) -> bool:
    """A column or SQL expression (a mapped attribute too), not a Python constant."""
    return isinstance(column, ClauseElement) or hasattr(column, "__clause_element__")


def _beyond(columns: Sequence[Any], values: Sequence[Any], descending: bool) -> Any:
    """Rows strictly past ``values`` in the walk; a column may be a Python constant (the kind of
    a query over one table), compared here rather than in SQL."""
    if not columns:
        return None
    column, value = columns[0], values[0]
    if value is UNKNOWN:
        return _TRUE
    rest = _beyond(columns[1:], values[1:], descending)
    if not _is_sql(column):
        if column == value:
            return rest
        return _TRUE if (column < value if descending else column > value) else None
    if rest is None:
        return column < value if descending else column > value
    if rest is _TRUE:
        return column <= value if descending else column >= value
    later = column < value if descending else column > value
    bound = column <= value if descending else column >= value
    # The bound repeats the first comparison so that the database seeks the index to the cursor.
    return and_(bound, or_(later, and_(column == value, rest)))


def beyond(columns: Sequence[Any], values: Sequence[Any], *, descending: bool) -> ColumnElement[bool]:
    """``WHERE`` the key ``columns`` is past ``values`` in a walk descending or ascending."""
    condition = _beyond(columns, values, descending)
    if condition is None:
        return false()
    if condition is _TRUE:
        return true()
    return condition


@dataclass
class Page(Generic[T]):
    """One page of a list and the cursors of the pages beside it (None: there is none)."""

    items: list[T]
    before: str | None
    after: str | None
    position: Position | None = None

    @property
    def first(self) -> bool:
        return self.position is None


@dataclass(frozen=True)
class Part:
    """One query of a list and its key: SQL columns, or constants the same for all its rows."""

    query: Select
    columns: tuple


def fetch(
    session: Session,
    parts: Sequence[Part],
    *,
    key: Callable[[T], tuple],
    cursor: Callable[[T], str],
    descending: bool,
    position: Position | None,
    per_page: int,
) -> Page[T]:
    """The page at ``position`` of the rows of ``parts`` (merged by ``key``, as their columns
    order them); each part reads at most ``per_page + 1`` rows. A "newer" page past the newest row
    is the first page."""
    forward = position is None or position.forward
    walk_descending = descending if forward else not descending
    rows: list[T] = []
    for part in parts:
        sql_columns = [c for c in part.columns if _is_sql(c)]
        query = part.query.order_by(None).order_by(
            *(c.desc() if walk_descending else c.asc() for c in sql_columns)
        )
        if position is not None:
            query = query.where(beyond(part.columns, position.values, descending=walk_descending))
        rows.extend(session.scalars(query.limit(per_page + 1)))
    if len(parts) > 1:
        rows.sort(key=key, reverse=walk_descending)
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        if not rows:
            return fetch(
                session,
                parts,
                key=key,
                cursor=cursor,
                descending=descending,
                position=None,
                per_page=per_page,
            )
        rows.reverse()
    if forward:
        before = (cursor(rows[0]) if rows else position.text) if position is not None else None
        after = cursor(rows[-1]) if more else None
    else:
        before = cursor(rows[0]) if more else None
        after = cursor(rows[-1])
    return Page(rows, before, after, position)
