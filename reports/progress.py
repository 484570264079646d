"""Record rows counted as a workbook writes them, for the progress bar of a background export."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from sqlalchemy.orm import Session

from .filters import ReportFilters
from .record_columns import RecordColumns

T = TypeVar("T")

#: Told the record rows written so far, activities and incidents together.
Progress = Callable[[int], None]


class RowCounter:
    """Passes rows on unchanged and calls ``report(rows so far)`` every :attr:`EVERY` rows and at
    the end of each table (over several tables the count goes on)."""

    #: Rows between two reports (a test may lower it).
    EVERY = 2000

    def __init__(self, report: Progress) -> None:
        self.report = report
        self.done = 0

    def count(self, rows: Iterable[T]) -> Iterator[T]:
        it = iter(rows)
        while batch := list(islice(it, self.EVERY)):
            yield from batch
            self.done += len(batch)
            self.report(self.done)


class CountedColumns(RecordColumns):
    """The record sheets' rows (:class:`~reports.record_columns.RecordColumns`), counted."""

    def __init__(self, gettext: Callable[[str], str], progress: Progress) -> None:
        super().__init__(gettext)
        self.counter = RowCounter(progress)

    def activities(self, session: Session, filters: ReportFilters) -> Iterator[list]:
        return self.counter.count(super().activities(session, filters))

    def incidents(self, session: Session, filters: ReportFilters) -> Iterator[list]:
        return self.counter.count(super().incidents(session, filters))
