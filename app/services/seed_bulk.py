"""Bulk loaders for the demo seed: rows straight through the database driver, in the session's
transaction (a failure rolls everything back, the dropped indexes included).

- SQLite: ``executemany`` on the session's sqlite3 connection, with a larger page cache and a
  second sorting thread for the load (restored after).
- PostgreSQL: ``COPY ... FROM STDIN`` through psycopg, then ``setval`` of the id sequences.

Ids are assigned by the seed (one past the highest in use), so link rows need no ``RETURNING``.
A large load (:data:`LARGE` records or more, and at least as many as the tables already hold)
drops the tables' secondary indexes first and creates them again afterwards, from the definitions
the database itself stored (``sqlite_master.sql``, ``pg_get_indexdef``), so exactly as the
migrations made them; sorting once beats keeping nine indexes up to date row by row. On PostgreSQL
it also drops the tables' foreign keys and adds them back (``pg_get_constraintdef``): adding a
foreign key checks every row in one join, where a kept key fires a trigger and a query per row.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from types import TracebackType

from sqlalchemy.orm import Session

from .db_tuning import sqlite_bulk_pragmas
from .seed_rows import COLUMNS, Chunk, Formats

#: Records from which a load rebuilds indexes (and PostgreSQL's foreign keys) instead of keeping them.
LARGE = 50_000
#: PostgreSQL's memory for the index builds after a large load.
PG_MAINTENANCE_WORK_MEM = "256MB"


class Loader:
    """Writes chunks of rows into :data:`.seed_rows.COLUMNS`' tables; use as a context manager."""

    formats = Formats()
    #: Whether to make chunks in a thread while the database stores the previous ones.
    ahead = False

    def __init__(self, session: Session, records: int) -> None:
        self.connection = session.connection()
        self.records = records
        self.tables = tuple(COLUMNS)

    def first_ids(self, tables: Iterable[str]) -> dict[str, int]:
        """The first free id of each table (which the load then uses up)."""
        raise NotImplementedError

    def write(self, chunk: Chunk) -> None:
        raise NotImplementedError

    def write_all(self, chunks: Iterable[Chunk]) -> None:
        """Write every chunk; where the database works in its own process, the next chunks are
        made meanwhile, in a thread (the driver lets it run while it waits for the server)."""
        if not (self.ahead and self.records >= LARGE):
            for chunk in chunks:
                self.write(chunk)
            return
        with closing(_made_ahead(chunks)) as made:
            for chunk in made:
                self.write(chunk)

    def _large(self, existing: int) -> bool:
        return self.records >= LARGE and self.records >= existing

    def __enter__(self) -> Loader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


class SqliteLoader(Loader):
    ahead = True  # sqlite3 lets other threads run while SQLite stores a row (not while it binds)

    def __init__(self, session: Session, records: int) -> None:
        super().__init__(session, records)
        self.raw = self.connection.connection.dbapi_connection
        self.cursor = self.raw.cursor()
        self.sql = {
            t: f"INSERT INTO {t} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})"  # noqa: S608
            for t, c in COLUMNS.items()
        }
        self.indexes: list[tuple[str, str]] = []
        #: A larger page cache, and a second thread for the sorts of the index builds.
        self.pragmas = sqlite_bulk_pragmas(self.raw)

    def _scalar(self, sql: str) -> int:
        return self.cursor.execute(sql).fetchone()[0]

    def first_ids(self, tables: Iterable[str]) -> dict[str, int]:
        return {t: self._scalar(f"SELECT coalesce(max(id), 0) + 1 FROM {t}") for t in tables}  # noqa: S608

    def __enter__(self) -> SqliteLoader:
        if not self.raw.in_transaction:  # DDL below must be inside the transaction too
            self.cursor.execute("BEGIN")
        self.pragmas.__enter__()
        existing = sum(self._scalar(f"SELECT count(*) FROM {t}") for t in ("activities", "incidents"))  # noqa: S608
        if self._large(existing):
            marks = ", ".join("?" * len(self.tables))
            self.indexes = self.cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
                f"AND tbl_name IN ({marks}) ORDER BY tbl_name, name",
                self.tables,
            ).fetchall()
            for name, _sql in self.indexes:
                self.cursor.execute(f'DROP INDEX "{name}"')
        return self

    def write(self, chunk: Chunk) -> None:
        for table, rows in chunk.items():
            self.cursor.executemany(self.sql[table], rows)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                for _name, sql in self.indexes:
                    self.cursor.execute(sql)
        finally:
            self.pragmas.__exit__(kind, exc, tb)
            self.cursor.close()


class PostgresLoader(Loader):
    formats = Formats(stamp_suffix="+00")
    ahead = True
    #: The tables whose ids the seed assigns (each has a serial ``id``).
    RECORD_TABLES = ("activities", "incidents", "driver_assessments")

    def __init__(self, session: Session, records: int) -> None:
        super().__init__(session, records)
        self.raw = self.connection.connection.dbapi_connection
        self.cursor = self.raw.cursor()
        self.copy_sql = {t: f"COPY {t} ({', '.join(c)}) FROM STDIN" for t, c in COLUMNS.items()}
        self.indexes: list[tuple[str, str]] = []
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.first: dict[str, int] = {}

    def _scalar(self, sql: str, params: Sequence | None = None) -> object:
        return self.cursor.execute(sql, params).fetchone()[0]

    def first_ids(self, tables: Iterable[str]) -> dict[str, int]:
        for table in tables:
            sequence = self._scalar("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
            # past the highest id and anything the sequence handed out (a rolled-back insert)
            self.first[table] = int(
                self._scalar(
                    f"SELECT greatest((SELECT coalesce(max(id), 0) FROM {table}), "  # noqa: S608
                    f"(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence})) + 1"
                )
            )
        return dict(self.first)

    def __enter__(self) -> PostgresLoader:
        # No other writer until the load commits: the ids stay ours, the sequences move past them.
        self.cursor.execute(f"LOCK TABLE {', '.join(self.RECORD_TABLES)} IN EXCLUSIVE MODE")
        existing = sum(int(self._scalar(f"SELECT count(*) FROM {t}")) for t in ("activities", "incidents"))  # noqa: S608
        if self._large(existing):
            self._drop_for_large_load()
        return self

    def _drop_for_large_load(self) -> None:
        tables = list(self.tables)
        self.foreign_keys = self.cursor.execute(
            "SELECT c.conname, t.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE c.contype = 'f' AND t.relname = ANY(%s) AND n.nspname = current_schema() "
            "ORDER BY t.relname, c.conname",
            (tables,),
        ).fetchall()
        # secondary indexes only: not the primary keys, nor an index behind a constraint (unique)
        self.indexes = self.cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE t.relname = ANY(%s) AND n.nspname = current_schema() AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
            "ORDER BY t.relname, i.relname",
            (tables,),
        ).fetchall()
        for name, table, _definition in self.foreign_keys:
            self.cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in self.indexes:
            self.cursor.execute(f'DROP INDEX "{name}"')

    def write(self, chunk: Chunk) -> None:
        for table, rows in chunk.items():
            with self.cursor.copy(self.copy_sql[table]) as copy:
                for row in rows:
                    copy.write_row(row)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is not None:  # the rollback takes the drops back
            return
        if self.indexes:
            before = self._scalar("SHOW maintenance_work_mem")
            self._set("maintenance_work_mem", PG_MAINTENANCE_WORK_MEM)
            for _name, definition in self.indexes:
                self.cursor.execute(definition)
            self._set("maintenance_work_mem", str(before))
        if self.foreign_keys:  # each added key checks its rows in one join: in memory, not in batches
            before = self._scalar("SHOW work_mem")
            self._set("work_mem", PG_MAINTENANCE_WORK_MEM)
            for name, table, definition in self.foreign_keys:
                self.cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            self._set("work_mem", str(before))
        for table, first in self.first.items():  # the sequences move past the ids the load used
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM {table} "  # noqa: S608
                "HAVING max(id) >= %s",
                (table, first),
            )

    def _set(self, name: str, value: str) -> None:
        self.cursor.execute("SELECT set_config(%s, %s, true)", (name, value))


def _made_ahead(chunks: Iterable[Chunk], depth: int = 2) -> Iterator[Chunk]:
    """``chunks``, made by a thread up to ``depth`` ahead of the caller; its errors are raised here."""
    made: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                made.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
            offer(end)
        except BaseException as exc:  # handed to the caller
            offer(exc)

    thread = threading.Thread(target=produce, name="seed-rows", daemon=True)
    thread.start()
    try:
        while (item := made.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def loader(session: Session, records: int) -> Loader:
    """The loader for the session's database (SQLite or PostgreSQL)."""
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return SqliteLoader(session, records)
    if name == "postgresql":
        return PostgresLoader(session, records)
    raise NotImplementedError(f"seed-demo loads SQLite or PostgreSQL, not {name}")
