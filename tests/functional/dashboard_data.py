"""Approved records for the dashboard tests, with fixed record keys (so that donor figures, perturbed
by them, are the same in every run): counts large enough for a donor to see, and a few small ones
a donor must see as "<5" only.
"""

from __future__ import annotations

from datetime import date

from app.vocabulary import DRIVERS, Status

from .report_data import OSH, OSH_2, SUGHD, fixed_keys

PERIOD = {"date_from": date(2025, 1, 1), "date_to": date(2025, 6, 30)}
QUERY = "from=2025-01-01&to=2025-06-30"
#: Two approved activities serve R9, and two approved incidents are online content: small counts.
SMALL_RECOMMENDATION, SMALL_RECOMMENDATION_EXACT = "R9", 2
SMALL_CATEGORY, SMALL_CATEGORY_EXACT = "online_content", 2
#: Communities of Batken, Chuy and Issyk-Kul regions (driver assessments only).
ELSEWHERE = ("KG-B-BTK-01", "KG-C-ALM-01", "KG-Y-AKS-01")
#: Activities serving R6 (Osh, every month) and R8 (Sughd, every month).
R6_EXACT = R8_EXACT = 18


def build(make, db) -> None:
    keys = fixed_keys()
    osh = make.user("volunteer", organisation=make.organisation("KG-O-KSU"))
    sughd = make.user("volunteer", organisation=make.organisation("TJ-SU-PNJ"))
    people = {"f_18_29": 8, "m_18_29": 7, "f_30_59": 5, "m_30_59": 6, "f_u18": 9, "m_60p": 6}
    for month in range(1, 7):
        for day in (3, 10, 17):
            for author, community, recommendations in ((osh, OSH, ("R6", "R7")), (sughd, SUGHD, ("R8",))):
                make.activity(
                    author,
                    community=community,
                    date=date(2025, month, day),
                    recommendations=recommendations,
                    status=Status.APPROVED,
                    record_key=next(keys),
                    **people,
                )
            for author, community in ((osh, OSH), (sughd, SUGHD)):
                make.incident(
                    author,
                    community=community,
                    date=date(2025, month, day),
                    category="intimidation",
                    status=Status.APPROVED,
                    record_key=next(keys),
                )
    for day in (date(2025, 2, 5), date(2025, 4, 5)):
        make.activity(
            osh,
            community=OSH_2,
            date=day,
            recommendations=(SMALL_RECOMMENDATION,),
            status=Status.APPROVED,
            record_key=next(keys),
            m_30_59=9,
        )
        make.incident(
            osh,
            community=OSH_2,
            date=day,
            category=SMALL_CATEGORY,
            status=Status.APPROVED,
            record_key=next(keys),
        )
    # Enough assessments in each of five regions for a donor to see every mean (and for the
    # heatmap to be wider than a phone).
    places = ((osh, OSH), (osh, OSH_2), (sughd, SUGHD), *((osh, code) for code in ELSEWHERE))
    for number in range(6):
        ratings = {code: (number + i) % 4 for i, (code, _label) in enumerate(DRIVERS)}
        for author, community in places:
            make.assessment(
                author,
                community=community,
                date=date(2025, 1 + number, 20),
                ratings=ratings,
                status=Status.APPROVED,
                record_key=next(keys),
            )
    db.session.commit()
