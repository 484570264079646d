"""Keeping the summary tables (:mod:`app.models.summaries`) equal to the records (issue 14).

Every change of a record through the ORM (the record lifecycle, the review, the sync, a paper
form, the purge, and a test's own rows alike) is seen by two session hooks around its flush:
before it, what the changed records add to each summary is read from the database (still the old
state); after it, the same query gives the new state; the difference is added to the summary
rows (an upsert per row: ``n = n + delta``), in the same transaction as the change, so a rollback
takes both back. A row that falls to zero records is deleted. The query is the one
:func:`rebuild` runs over all records (``reports.facts.grouped``), restricted to the records
changed: one rule for both; the summaries of one kind of record are read in one statement.

Writes that bypass the ORM (the bulk demo seed) call :func:`rebuild` afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    delete,
    event,
    func,
    literal,
    null,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from reports.facts import FACTS, PLACE, Fact, grouped

from ..models import Activity, DriverAssessment, DriverRating, Incident
from ..models.summaries import SUMMARY_TABLES
from .db_tuning import sqlite_bulk_pragmas

_MODELS = (Activity, Incident, DriverAssessment)
_OLD, _NEW = "summaries.old", "summaries.new"
#: Records per restricted query (an IN list kept short).
_CHUNK = 500


#: Memory for a rebuild's sorts and hash tables: PostgreSQL's ``work_mem`` for its transaction
#: (the default 4 MB spilled the largest grouping to disk in 33 batches).
REBUILD_WORK_MEM = "256MB"


def rebuild(session: Session) -> dict[str, int]:
    """Empty every summary table and fill it again from all the records; returns rows per table.
    Flushes, never commits."""
    session.flush()
    connection = session.connection()
    dialect = connection.dialect.name
    counts = {}
    with _more_memory(connection):
        for table in SUMMARY_TABLES:
            connection.execute(delete(table))
        for fact in FACTS:
            query = grouped(fact, dialect)
            connection.execute(fact.table.insert().from_select(list(fact.key) + list(fact.sums), query))
            counts[fact.table.name] = connection.execute(
                select(func.count()).select_from(fact.table)
            ).scalar_one()
    return counts


@contextmanager
def _more_memory(connection: Connection) -> Iterator[None]:
    """The rebuild's settings: more memory, and on SQLite a second thread for its sorts; on
    PostgreSQL for the transaction only, on SQLite restored afterwards (they hold per connection)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('work_mem', :size, true)"), {"size": REBUILD_WORK_MEM})
        yield
        return
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    with sqlite_bulk_pragmas(raw):
        yield


def is_empty(session: Session) -> bool:
    """No summary row at all (a database migrated before summaries, or never seeded)."""
    return session.execute(select(SUMMARY_TABLES[0].c.n).limit(1)).first() is None


@cache
def _restricted(fact: Fact, dialect: str) -> Select:
    """The fact's summary rows of the records whose ids are bound as ``ids``; built once (building
    a statement costs more than running it on a few records)."""
    return grouped(fact, dialect, fact.model.id.in_(bindparam("ids", expanding=True)))


@cache
def _upsert(fact: Fact, dialect: str) -> object:
    """``INSERT .. ON CONFLICT (key) DO UPDATE SET sum = sum + excluded.sum``, built once."""
    table = fact.table
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in fact.key],
        set_={name: table.c[name] + statement.excluded[name] for name in fact.sums},
    )


@cache
def _delete_empty(fact: Fact) -> object:
    """Deletes the row of the bound key when it counts no record any more; built once."""
    table = fact.table
    return delete(table).where(
        *(table.c[name] == bindparam(f"k_{name}") for name in fact.key), table.c.n <= 0
    )


@cache
def _restricted_together(model: type, dialect: str) -> tuple[tuple[Fact, ...], CompoundSelect, int]:
    """The summary rows of the bound records (``ids``) for all of ``model``'s facts in one
    statement, built once: a UNION ALL of each fact's :func:`_restricted`, led by the fact's index,
    codes and sums padded to the widest (NULL, 0). One round trip instead of four for an activity.
    Returns the facts in index order, the statement and the number of code columns."""
    facts = tuple(fact for fact in FACTS if fact.model is model)
    codes = max(len(fact.codes) for fact in facts)
    sums = max(len(fact.sums) for fact in facts)
    parts = []
    for index, fact in enumerate(facts):
        columns = list(_restricted(fact, dialect).subquery().c)
        keys, values = columns[: len(fact.key)], columns[len(fact.key) :]
        parts.append(
            select(
                literal(index, Integer),
                *keys,
                *(cast(null(), String) for _ in range(codes - len(fact.codes))),
                *values,
                *(literal(0, BigInteger) for _ in range(sums - len(fact.sums))),
            )
        )
    return facts, union_all(*parts), codes


def _state(connection: Connection, model: type, ids: set[int]) -> dict[Fact, dict[tuple, list[int]]]:
    """What the records ``ids`` of ``model`` add to each of its summaries now: ``{fact: {key: sums}}``."""
    facts, statement, codes = _restricted_together(model, connection.dialect.name)
    found: dict[Fact, dict[tuple, list[int]]] = {fact: {} for fact in facts}
    place = 2 + len(PLACE)  # the fact's index, the month, the place
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        for row in connection.execute(statement, {"ids": ordered[start : start + _CHUNK]}):
            fact = facts[row[0]]
            key = tuple(_plain(value) for value in (*row[1:place], *row[place : place + len(fact.codes)]))
            sums = [int(value) for value in row[place + codes : place + codes + len(fact.sums)]]
            rows = found[fact]
            if key in rows:  # the same key from two chunks
                rows[key] = [a + b for a, b in zip(rows[key], sums, strict=True)]
            else:
                rows[key] = sums
    return found


def _plain(value: object) -> object:
    """Enum members as their value, dates as they are: keys compare alike before and after."""
    return getattr(value, "value", value)


def _touched(session: Session, objects: Iterable[object]) -> dict[type, set[int]]:
    """The stored records among ``objects`` (a rating counts for its assessment)."""
    ids: dict[type, set[int]] = defaultdict(set)
    for obj in objects:
        if isinstance(obj, _MODELS) and obj.id is not None:
            ids[type(obj)].add(obj.id)
        elif isinstance(obj, DriverRating) and obj.assessment_id is not None:
            ids[DriverAssessment].add(obj.assessment_id)
    return ids


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    changed = [*session.dirty, *session.deleted]
    new = [obj for obj in session.new if isinstance(obj, (*_MODELS, DriverRating))]
    ids = _touched(session, changed)
    ids_new_ratings = _touched(session, new)  # a rating added to a stored assessment
    for model, more in ids_new_ratings.items():
        ids[model] |= more
    if not ids and not new:
        return
    connection = session.connection()
    old = {model: _state(connection, model, found) for model, found in ids.items()}
    session.info[_OLD] = (ids, old)
    session.info[_NEW] = [obj for obj in new if isinstance(obj, _MODELS)]


def _after_flush(session: Session, _context: object) -> None:
    if _OLD not in session.info:
        return
    ids, old = session.info.pop(_OLD)
    created = session.info.pop(_NEW, [])
    everyone: dict[type, set[int]] = defaultdict(set, {model: set(found) for model, found in ids.items()})
    for obj in created:
        if obj.id is not None:
            everyone[type(obj)].add(obj.id)
    connection = session.connection()
    for model, found in everyone.items():
        now = _state(connection, model, found)
        before = old.get(model, {})
        for fact, rows in now.items():
            _add(connection, fact, _difference(before.get(fact, {}), rows))


def _difference(before: dict[tuple, list[int]], after: dict[tuple, list[int]]) -> dict[tuple, list[int]]:
    changes = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        width = len(old or new)
        delta = [b - a for a, b in zip(old or [0] * width, new or [0] * width, strict=True)]
        if any(delta):
            changes[key] = delta
    return changes


def _add(connection: Connection, fact: Fact, changes: dict[tuple, list[int]]) -> None:
    """Add each change to its summary row (made when missing); delete the rows left with none."""
    if not changes:
        return
    values = [
        dict(zip((*fact.key, *fact.sums), (*key, *delta), strict=True)) for key, delta in changes.items()
    ]
    connection.execute(_upsert(fact, connection.dialect.name), values)
    emptied = [
        {f"k_{name}": value for name, value in zip(fact.key, key, strict=True)}
        for key, delta in changes.items()
        if delta[0] < 0  # n fell: the row may count no record any more
    ]
    if emptied:
        connection.execute(_delete_empty(fact), emptied)


def install() -> None:
    """Watch every session's flushes (called once, by the app factory)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
