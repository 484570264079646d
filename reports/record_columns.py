"""The columns of the record tables (coordinators only), in one place for the workbook's row sheets
(:mod:`reports.excel`, written by :mod:`reports.row_stream`) and the zipped CSV
(:mod:`reports.csv_export`): titles, header words, column widths and each record's cells, from the
rows :mod:`reports.rows` streams.

The cells are plain ``str`` (a translated label with a context is a ``str`` subclass: made plain
here), ``int``, ``date`` or ``None``, what :class:`reports.row_stream.RowStream` takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy.orm import Session

from app.vocabulary import (
    ACTIVITY_TYPES,
    AGE_BAND_LABELS,
    DRIVERS,
    INCIDENT_CATEGORIES,
    INCIDENT_STATUS_LABELS,
    N_,
    RECOMMENDATIONS,
    RESPONSE_LABELS,
    SEVERITY_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    TARGET_GROUPS,
    label_map,
)

from . import queries as q
from .filters import ReportFilters
from .rows import activity_rows, incident_rows

Gettext = Callable[[str], str]

ACTIVITIES_TITLE = N_("Activities")
INCIDENTS_TITLE = N_("Incident records")
#: Where the sex-by-age headers (one per count cell, :data:`reports.queries.COUNT_CELLS`) go.
COUNT_HEADERS = "<count cells>"
ACTIVITY_HEADERS = (
    N_("Record ID"), N_("Date"), N_("Region"), N_("District"), N_("Community"), N_("Organisation"),
    N_("Activity type"), N_("Recommendations"), N_("Target groups"), N_("Drivers addressed"),
    COUNT_HEADERS, N_("Participants"), N_("First time"), N_("Review status"), N_("Partners"),
    N_("Outcome"), N_("Follow-up"),
)  # fmt: skip
ACTIVITY_WIDTHS = (38, 11, 18, 20, 18, 26, 28, 16, 36, 36, *[8] * 9, 10, 12, 30, 40, 40)
INCIDENT_HEADERS = (
    N_("Record ID"), N_("Date"), N_("Region"), N_("District"), N_("Community"), N_("Organisation"),
    N_("Category"), N_("Severity"), N_("Response"), N_("Follow-up status"), N_("Perceived drivers"),
    COUNT_HEADERS, N_("People affected"), N_("Review status"), N_("Description"),
)  # fmt: skip
INCIDENT_WIDTHS = (38, 11, 18, 20, 18, 26, 34, 10, 22, 12, 36, *[8] * 9, 12, 50)


def translated_labels(t: Gettext) -> dict[str, dict[str, str]]:
    """Every coded vocabulary's labels in the reader's language, by kind and code."""
    # t is the caller's: app.i18n.translate (a label with a context is translated in it)
    return {
        "rec": {code: t(label) for code, label in label_map(RECOMMENDATIONS).items()},
        "group": {code: t(label) for code, label in TARGET_GROUPS},
        "driver": {code: t(label) for code, label in DRIVERS},
        "type": {code: t(label) for code, label in ACTIVITY_TYPES},
        "category": {code: t(label) for code, label in INCIDENT_CATEGORIES},
        # str(): a label with a context is a str subclass, and the row writer takes str only
        "severity": {str(k): str(t(v)) for k, v in SEVERITY_LABELS.items()},
        "incident_status": {str(k): str(t(v)) for k, v in INCIDENT_STATUS_LABELS.items()},
        "response": {str(k): str(t(v)) for k, v in RESPONSE_LABELS.items()},
        "status": {str(k): t(v) for k, v in STATUS_LABELS.items()},
    }


class RecordColumns:
    """The record tables' header words and cells in one language."""

    def __init__(self, gettext: Gettext, labels: dict[str, dict[str, str]] | None = None) -> None:
        self.t = gettext
        self.labels = labels if labels is not None else translated_labels(gettext)
        #: One per count cell: "Female 18-29"...
        self.cell_headers = [
            f"{gettext(SEX_LABELS[sex])} {gettext(AGE_BAND_LABELS[band])}" for _c, sex, band in q.COUNT_CELLS
        ]
        self.group_position = {code: i for i, (code, _label) in enumerate(TARGET_GROUPS)}
        self.driver_position = {code: i for i, (code, _label) in enumerate(DRIVERS)}

    def headers(self, marks: tuple[str, ...]) -> list[str]:
        """``marks`` (:data:`ACTIVITY_HEADERS`, :data:`INCIDENT_HEADERS`) translated."""
        words: list[str] = []
        for mark in marks:
            words += self.cell_headers if mark == COUNT_HEADERS else [self.t(mark)]
        return words

    def coded(self, kind: str, codes: str | None, position: dict[str, int]) -> str:
        """Comma-joined codes as their labels, in the vocabulary's order, joined by ``; ``."""
        if not codes:
            return ""
        names = self.labels[kind]
        return "; ".join(names.get(c, c) for c in sorted(codes.split(","), key=lambda c: position.get(c, 99)))

    def activities(self, session: Session, filters: ReportFilters) -> Iterator[list]:
        """The cells of each activity, as :data:`ACTIVITY_HEADERS` names them (streamed)."""
        types, statuses = self.labels["type"], self.labels["status"]
        gpos, dpos, coded = self.group_position, self.driver_position, self.coded
        for row in activity_rows(session, filters):
            (uid, day, region, district, community, org, type_code, recs, groups, drivers, *rest) = row
            cells, (first_time, status, partners, outcome, follow_up) = rest[:8], rest[8:]
            recs_text = ", ".join(sorted(recs.split(","), key=lambda c: int(c[1:]))) if recs else ""
            yield [
                str(uid), day, region, district, community, org, types.get(type_code, type_code),
                recs_text, coded("group", groups, gpos), coded("driver", drivers, dpos),
                *cells, sum(cells), first_time, statuses[str(status)], partners, outcome, follow_up,
            ]  # fmt: skip

    def incidents(self, session: Session, filters: ReportFilters) -> Iterator[list]:
        """The cells of each incident, as :data:`INCIDENT_HEADERS` names them (streamed)."""
        labels = self.labels
        categories, severities, responses = labels["category"], labels["severity"], labels["response"]
        follow, statuses, dpos = labels["incident_status"], labels["status"], self.driver_position
        for row in incident_rows(session, filters):
            (uid, day, region, district, community, org, category, severity, response, state, drivers,
             *rest) = row  # fmt: skip
            cells, (status, description) = rest[:8], rest[8:]
            yield [
                str(uid), day, region, district, community, org, categories.get(category, category),
                severities[str(severity)], responses[str(response)], follow[str(state)],
                self.coded("driver", drivers, dpos), *cells, sum(cells), statuses[str(status)],
                description,
            ]  # fmt: skip
