"""Valid form data for the three entry forms, to change one field at a time in tests."""

from __future__ import annotations

from datetime import date, timedelta

from app.vocabulary import DRIVERS

DAY = date.today() - timedelta(days=3)


def activity(community_id: int, **changes: object) -> dict:
    data = {
        "date": DAY.isoformat(),
        "community": str(community_id),
        "activity_type_code": "dialogue",
        "target_groups": ["youth", "imams"],
        "f_u18": "3",
        "f_18_29": "12",
        "f_30_59": "",
        "f_60p": "0",
        "m_u18": "4",
        "m_18_29": "9",
        "m_30_59": "2",
        "m_60p": "1",
        "first_time_participants": "7",
        "drivers": ["unemployment", "belonging"],
        "recommendations": ["R4", "R6"],
        "partners": "District youth centre",
        "outcome": "Young people and two imams agreed a monthly meeting in 2024; 15 participants.",
        "follow_up": "Next meeting in the school hall.",
        "submit": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def incident(community_id: int, **changes: object) -> dict:
    data = {
        "date": DAY.isoformat(),
        "community": str(community_id),
        "category_code": "interethnic_incident",
        "severity": "medium",
        "f_18_29": "1",
        "m_18_29": "3",
        "drivers": ["interethnic_tension"],
        "response": "mediation",
        "incident_status": "resolved",
        "description": "A dispute at the market between two groups of young men; elders mediated.",
        "submit": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def assessment(community_id: int, **changes: object) -> dict:
    data: dict = {
        "date": DAY.isoformat(),
        "community": str(community_id),
        "notes": "Quarterly round table with the ayil okmotu.",
        "submit": "1",
    }
    for position, (code, _label) in enumerate(DRIVERS):
        data[f"rating_{code}-rating"] = str(position % 4)
        data[f"rating_{code}-trend"] = ("down", "same", "up")[position % 3]
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def partial_assessment(
    community_id: int, ratings: dict[str, tuple[str, str | None]], **changes: object
) -> dict:
    """An assessment rating only ``{code: (rating, trend)}``; every other concern left unrated."""
    data: dict = {
        "date": DAY.isoformat(),
        "community": str(community_id),
        "notes": "",
        "submit": "1",
    }
    for code, (rating, trend) in ratings.items():
        data[f"rating_{code}-rating"] = rating
        if trend is not None:
            data[f"rating_{code}-trend"] = trend
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
