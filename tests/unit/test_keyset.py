"""The cursor and the comparison of app/keyset.py, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, Table
from sqlalchemy.dialects import sqlite
from werkzeug.datastructures import MultiDict

from app import keyset

CURSOR = (keyset.parse_date, keyset.parse_uuid)
table = Table("t", MetaData(), Column("date", Date), Column("id", Integer))


def _sql(condition) -> str:
    return str(condition.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def test_a_cursor_reads_back_what_was_written():
    key = uuid.uuid4()
    assert keyset.decode(keyset.encode(date(2025, 3, 14), key), CURSOR) == (date(2025, 3, 14), key)
    moment = datetime(2025, 3, 14, 10, 22, 33, 123456, tzinfo=UTC)
    parsers = (keyset.parse_timestamp, str, keyset.parse_uuid)
    text = keyset.encode(moment, "activities", key)
    assert text == f"2025-03-14T10:22:33.123456.activities.{key.hex}"
    assert keyset.decode(text, parsers) == (moment, "activities", key)
    naive = keyset.encode(moment.replace(tzinfo=None), "activities", key)  # SQLite's: UTC, naive
    assert naive == text


@pytest.mark.parametrize(
    "text",
    ["", "2025-03-14", "2025-03-14.x", "2025-3-14." + "0" * 32, "a" * 200, "2025-03-14." + "0" * 31 + "g"],
)
def test_a_cursor_not_written_here_is_refused(text):
    with pytest.raises(keyset.BadCursor):
        keyset.decode(text, CURSOR)


def test_both_directions_at_once_are_refused():
    text = keyset.encode(date(2025, 3, 14), uuid.uuid4())
    assert keyset.position_from(MultiDict(), CURSOR) is None
    assert keyset.position_from(MultiDict({"before": text}), CURSOR).direction == "before"
    with pytest.raises(keyset.BadCursor):
        keyset.position_from(MultiDict([("after", text), ("before", text)]), CURSOR)
    with pytest.raises(keyset.BadCursor):
        keyset.position_from(MultiDict([("after", text), ("after", text)]), CURSOR)


def test_the_comparison_seeks_then_breaks_ties():
    condition = keyset.beyond((table.c.date, table.c.id), (date(2025, 3, 14), 7), descending=True)
    assert (
        _sql(condition)
        == "t.date <= '2025-03-14' AND (t.date < '2025-03-14' OR t.date = '2025-03-14' AND t.id < 7)"
    )
    ascending = keyset.beyond((table.c.date, table.c.id), (date(2025, 3, 14), 7), descending=False)
    assert _sql(ascending).startswith("t.date >= '2025-03-14' AND (t.date > '2025-03-14'")
    gone = keyset.beyond((table.c.date, table.c.id), (date(2025, 3, 14), keyset.UNKNOWN), descending=True)
    assert _sql(gone) == "t.date <= '2025-03-14'"


def test_a_constant_part_of_the_key_is_compared_here():
    """The queue's kind: the same for every row of a table, so each table's query is simpler."""
    columns = (table.c.date, "incidents", table.c.id)
    day = date(2025, 3, 14)
    assert _sql(keyset.beyond(columns, (day, "activities", 7), descending=False)) == "t.date >= '2025-03-14'"
    assert _sql(keyset.beyond(columns, (day, "people", 7), descending=False)) == "t.date > '2025-03-14'"
    same = _sql(keyset.beyond(columns, (day, "incidents", 7), descending=False))
    assert same == "t.date >= '2025-03-14' AND (t.date > '2025-03-14' OR t.date = '2025-03-14' AND t.id > 7)"
