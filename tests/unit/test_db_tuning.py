"""The bulk steps' SQLite settings (app/services/db_tuning.py): the seed's rollback journal is one
transaction all the same, is used only when SQLite allows it, and leaves the write-ahead log on."""

from __future__ import annotations

import sqlite3

import pytest

from app.services.db_tuning import sqlite_rollback_journal


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "bulk.sqlite"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode = WAL")
        setup.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT)")
        setup.execute("INSERT INTO rows (value) VALUES ('kept')")
    setup.close()
    return path


def _mode(connection: sqlite3.Connection) -> str:
    return connection.execute("PRAGMA journal_mode").fetchone()[0]


def _values(path) -> list[str]:
    with sqlite3.connect(path) as reader:
        values = [v for (v,) in reader.execute("SELECT value FROM rows ORDER BY id")]
    reader.close()
    return values


def test_a_load_with_the_rollback_journal_commits_and_leaves_wal_on(path):
    connection = sqlite3.connect(path)
    with sqlite_rollback_journal(connection) as changed:
        assert changed and _mode(connection) == "delete"
        connection.executemany("INSERT INTO rows (value) VALUES (?)", [("a",), ("b",)])
        connection.commit()
    assert _mode(connection) == "wal"
    connection.close()
    assert _values(path) == ["kept", "a", "b"]


def test_a_failed_load_with_the_rollback_journal_leaves_nothing(path):
    connection = sqlite3.connect(path)
    with pytest.raises(RuntimeError), sqlite_rollback_journal(connection):
        connection.executemany("INSERT INTO rows (value) VALUES (?)", [("a",), ("b",)])
        connection.execute("UPDATE rows SET value = 'changed' WHERE value = 'kept'")
        try:
            raise RuntimeError("disk full")
        finally:
            connection.rollback()
    assert _mode(connection) == "wal"
    connection.close()
    assert _values(path) == ["kept"]


def test_wal_stays_while_another_connection_reads(path):
    """SQLite refuses to leave WAL while someone else has the database open: the load goes on."""
    other = sqlite3.connect(path)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM rows").fetchone()
    connection = sqlite3.connect(path, timeout=0.1)
    with sqlite_rollback_journal(connection) as changed:
        assert not changed and _mode(connection) == "wal"
        connection.execute("INSERT INTO rows (value) VALUES ('a')")
        connection.commit()
    other.rollback()
    other.close()
    connection.close()
    assert _values(path) == ["kept", "a"]


def test_not_changed_inside_a_transaction(path):
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO rows (value) VALUES ('a')")  # sqlite3 has begun a transaction
    with sqlite_rollback_journal(connection) as changed:
        assert not changed and _mode(connection) == "wal"
    connection.rollback()
    connection.close()
    assert _values(path) == ["kept"]
