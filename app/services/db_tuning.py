"""Database settings for the bulk steps (the demo seed's load, the summaries' rebuild)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager

#: SQLite's page cache for a bulk step, in KiB (the default is 2 MiB: big indexes and sorts thrash it).
BULK_SQLITE_CACHE_KIB = 256 * 1024


def sqlite_bulk_pragmas(dbapi_connection: object) -> AbstractContextManager[None]:
    """The bulk steps' settings: the larger page cache, and a second thread for SQLite's sorts."""
    return sqlite_pragmas(dbapi_connection, cache_size=-BULK_SQLITE_CACHE_KIB, threads=2)


@contextmanager
def sqlite_pragmas(dbapi_connection: object, **values: int) -> Iterator[None]:
    """Set SQLite pragmas (``cache_size``, ``threads``...) for a bulk step and put them back after:
    they hold for the connection, which the pool hands to the next request."""
    with closing(dbapi_connection.cursor()) as cursor:
        before = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in values}
        for name, value in values.items():
            cursor.execute(f"PRAGMA {name} = {int(value)}")
        try:
            yield
        finally:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")


@contextmanager
def sqlite_rollback_journal(dbapi_connection: object) -> Iterator[bool]:
    """A bulk load into SQLite written with the rollback journal, the write-ahead log again after.

    In WAL mode one transaction of a million records is written twice: into the log, then into
    the database at the checkpoint that follows its commit (6-9 s of the 1M seed, bench/RESULTS.md).
    The rollback journal keeps only the pages the load changes that existed before it (none of
    the new ones), and the transaction stays one: a failure still rolls everything back.

    Yields whether the journal was changed: SQLite keeps WAL while another connection has the
    database open or a transaction is under way on this one, and the load then goes on in WAL.
    """
    import sqlite3

    if getattr(dbapi_connection, "in_transaction", True):
        yield False
        return
    with closing(dbapi_connection.cursor()) as cursor:
        try:
            mode = cursor.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # locked by another connection
            mode = "wal"
        changed = str(mode).lower() == "delete"
        try:
            yield changed
        finally:
            if changed:
                cursor.execute("PRAGMA journal_mode = WAL")
