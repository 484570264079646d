"""Known records for the report tests, with the numbers they must produce worked out by hand.

Record keys are fixed (:func:`key`), so that donor figures, perturbed by them, are the same in
every run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.vocabulary import Severity, Status

TODAY = date(2025, 6, 30)
PERIOD = {"date_from": date(2025, 1, 1), "date_to": TODAY}
OSH = "KG-O-KSU-01"  # Osh Region (KG-O)
OSH_2 = "KG-O-ARV-01"
SUGHD = "TJ-SU-PNJ-01"  # Sughd Region (TJ-SU)


def fixed_keys():
    """Record keys for one build, the same in every run: spread over ``[0, 2**16)``."""
    return (n * 40_503 % 2**16 for n in itertools.count(1))


@dataclass
class Known:
    osh_volunteer: object = None
    sughd_volunteer: object = None
    activities: list = field(default_factory=list)
    incidents: list = field(default_factory=list)


def build(make, db) -> Known:
    """Activities, incidents and assessments in Osh and Sughd, plus records reports must ignore."""
    known = Known()
    keys = fixed_keys()
    known.osh_volunteer = make.user("volunteer", organisation=make.organisation("KG-O-KSU"))
    known.sughd_volunteer = make.user("volunteer", organisation=make.organisation("TJ-SU-PNJ"))
    osh, sughd = known.osh_volunteer, known.sughd_volunteer
    counted = [
        # (author, community, day, recommendations, groups, cells)
        (osh, OSH, date(2025, 2, 3), ("R6", "R7"), ("youth", "imams"), {"f_18_29": 12, "m_18_29": 3}),
        (osh, OSH, date(2025, 2, 20), ("R6",), ("youth",), {"f_u18": 7, "m_u18": 9, "m_30_59": 2}),
        (
            osh,
            OSH_2,
            date(2025, 3, 5),
            ("R7",),
            ("imams",),
            {"m_30_59": 25, "m_60p": 6, "first_time_participants": 11},
        ),
        (sughd, SUGHD, date(2025, 4, 10), ("R8",), ("migrants",), {"m_18_29": 30, "f_30_59": 4}),
        (sughd, SUGHD, date(2025, 5, 1), ("R6", "R8"), ("women",), {"f_18_29": 8, "f_30_59": 8}),
    ]
    for author, community, day, recs, groups, cells in counted:
        known.activities.append(
            make.activity(
                author,
                community=community,
                date=day,
                recommendations=recs,
                target_groups=groups,
                status=Status.APPROVED if day.month % 2 else Status.SUBMITTED,
                record_key=next(keys),
                **cells,
            )
        )
    # Never counted: a draft, a returned record, one before the period, one after it.
    make.activity(osh, community=OSH, date=date(2025, 2, 4), status=Status.DRAFT, f_18_29=50)
    make.activity(osh, community=OSH, date=date(2025, 2, 5), status=Status.RETURNED, f_18_29=50)
    make.activity(osh, community=OSH, date=date(2024, 12, 31), f_18_29=50)
    make.activity(osh, community=OSH, date=TODAY + timedelta(days=1), f_18_29=50)

    incidents = [
        (osh, OSH, date(2025, 2, 10), "online_content", Severity.LOW),
        (osh, OSH, date(2025, 2, 11), "online_content", Severity.HIGH),
        (osh, OSH_2, date(2025, 3, 12), "interethnic_incident", Severity.MEDIUM),
        (sughd, SUGHD, date(2025, 3, 14), "departure_abroad", Severity.HIGH),
    ]
    for number, (author, community, day, category, severity) in enumerate(incidents):
        known.incidents.append(
            make.incident(
                author,
                community=community,
                date=day,
                category=category,
                severity=severity,
                status=Status.APPROVED if number % 2 == 0 else Status.SUBMITTED,
                record_key=next(keys),
            )
        )
    make.incident(osh, community=OSH, date=date(2025, 2, 12), status=Status.DRAFT)

    # Driver assessments: this period and the previous one (2024-07-02 .. 2024-12-31).
    for day, community, ratings in (
        (date(2025, 3, 1), OSH, {"unemployment": 3, "injustice": 1}),
        (date(2025, 4, 1), OSH_2, {"unemployment": 2, "injustice": 2}),
        (date(2024, 10, 1), OSH, {"unemployment": 1, "injustice": 2}),
    ):
        make.assessment(
            osh, community=community, date=day, ratings=ratings, status=Status.APPROVED, record_key=next(keys)
        )
    db.session.commit()
    return known
