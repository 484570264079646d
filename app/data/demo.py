"""Demo organisations, accounts and the weights that make demo records believable.

The weights follow the conference's description of the region: migrant workers' job loss and
unemployment felt most in Tajik districts, inter-ethnic tension in the south of Kyrgyzstan,
repression and the ban of the opposition in Tajikistan, online propaganda in the cities.
"""

from __future__ import annotations

from ..vocabulary import OrganisationType as OT

#: (code, name, type, home district code)
ORGANISATIONS: tuple[tuple[str, str, OT, str], ...] = (
    ("LCPC-KARASUU", "LCPC Kashgar-Kyshtak", OT.LCPC, "KG-O-KSU"),
    ("LCPC-ARAVAN", "LCPC Mangyt", OT.LCPC, "KG-O-ARV"),
    ("LCPC-UZGEN", "LCPC Kurshab", OT.LCPC, "KG-O-UZG"),
    ("LCPC-OSHCITY", "LCPC Cheremushki", OT.LCPC, "KG-GO-OSH"),
    ("LCPC-SUZAK", "LCPC Yrys", OT.LCPC, "KG-J-SUZ"),
    ("LCPC-BAZARKORGON", "LCPC Arstanbap", OT.LCPC, "KG-J-BKG"),
    ("LCPC-KADAMJAY", "LCPC Aidarken", OT.LCPC, "KG-B-KDJ"),
    ("LCPC-SOKULUK", "LCPC Sokuluk", OT.LCPC, "KG-C-SKL"),
    ("LCPC-TYUP", "LCPC Santash", OT.LCPC, "KG-Y-TYP"),
    ("LCPC-ATBASHY", "LCPC At-Bashy", OT.LCPC, "KG-N-ATB"),
    ("NGO-TOLERANCE", "Tolerance and Dialogue Foundation", OT.NGO, "KG-GB-OKT"),
    ("MC-NOOKAT", "Kyzyl-Oktyabr village committee", OT.MAHALLA_COMMITTEE, "KG-O-NKT"),
    ("PC-PANJAKENT", "Public Council Panjakent", OT.PUBLIC_COUNCIL, "TJ-SU-PNJ"),
    ("PC-ISFARA", "Public Council Isfara", OT.PUBLIC_COUNCIL, "TJ-SU-ISF"),
    ("PC-GAFUROV", "Public Council Bobojon Ghafurov", OT.PUBLIC_COUNCIL, "TJ-SU-GAF"),
    ("PC-KULOB", "Public Council Kulob", OT.PUBLIC_COUNCIL, "TJ-KT-KUL"),
    ("PC-BOKHTAR", "Public Council Bokhtar", OT.PUBLIC_COUNCIL, "TJ-KT-BKH"),
    ("PC-VAHDAT", "Public Council Vahdat", OT.PUBLIC_COUNCIL, "TJ-RA-VHD"),
    ("PC-RASHT", "Public Council Rasht", OT.PUBLIC_COUNCIL, "TJ-RA-RSHT"),
    ("PC-KHOROG", "Public Council Khorog", OT.PUBLIC_COUNCIL, "TJ-GB-KHR"),
    ("NGO-DUSHANBE", "Dushanbe Civil Society Network", OT.NGO, "TJ-DU-SNO"),
    ("MC-RUDAKI", "Somoniyon mahalla committee", OT.MAHALLA_COMMITTEE, "TJ-RA-RDK"),
)

#: (username, role, organisation code, region code, country code)
STAFF: tuple[tuple[str, str, str | None, str | None, str | None], ...] = (
    ("admin", "admin", None, None, None),
    ("coord.kg", "coordinator", None, None, "KG"),
    ("coord.osh", "coordinator", None, "KG-O", None),
    ("coord.tj", "coordinator", None, None, "TJ"),
    ("coord.sughd", "coordinator", None, "TJ-SU", None),
    ("donor", "donor", None, None, None),
)

#: Baseline perceived strength of every driver (0-3 scale) before regional adjustments.
DRIVER_BASELINE: dict[str, float] = {
    "injustice": 1.5,
    "discrimination": 1.0,
    "exclusion": 1.1,
    "unemployment": 1.6,
    "corruption": 1.5,
    "police_repression": 0.9,
    "prison_conditions": 0.6,
    "interethnic_tension": 0.5,
    "opposition_ban": 0.3,
    "migrant_job_loss": 0.9,
    "online_propaganda": 1.3,
    "family_pressure": 0.8,
    "education_gap": 0.8,
    "state_absence": 1.0,
    "belonging": 1.1,
    "religious_restrictions": 0.7,
}

#: Additions by country code or region code (region adds on top of country).
DRIVER_ADJUSTMENTS: dict[str, dict[str, float]] = {
    "TJ": {
        "migrant_job_loss": 1.4,
        "unemployment": 0.8,
        "opposition_ban": 1.0,
        "religious_restrictions": 1.0,
        "family_pressure": 0.5,
        "police_repression": 0.4,
    },
    "TJ-KT": {"migrant_job_loss": 0.4, "education_gap": 0.6, "state_absence": 0.4},
    "TJ-GB": {"state_absence": 1.0, "police_repression": 0.7, "exclusion": 0.6},
    "TJ-RA": {"opposition_ban": 0.4, "religious_restrictions": 0.3},
    "TJ-DU": {"online_propaganda": 0.6, "belonging": 0.4, "migrant_job_loss": -0.6},
    "KG-O": {"interethnic_tension": 1.5, "police_repression": 0.6, "discrimination": 0.8},
    "KG-GO": {
        "interethnic_tension": 1.3,
        "police_repression": 0.5,
        "discrimination": 0.7,
        "online_propaganda": 0.3,
    },
    "KG-J": {"interethnic_tension": 1.3, "police_repression": 0.5, "discrimination": 0.6},
    "KG-B": {"interethnic_tension": 0.8, "state_absence": 0.6, "migrant_job_loss": 0.6},
    "KG-GB": {"online_propaganda": 0.7, "belonging": 0.6, "state_absence": -0.6},
    "KG-C": {"online_propaganda": 0.4, "belonging": 0.3},
    "KG-N": {"unemployment": 0.5, "migrant_job_loss": 0.7, "state_absence": 0.5},
    "KG-Y": {"unemployment": 0.4, "migrant_job_loss": 0.5},
    "KG-T": {"unemployment": 0.5, "migrant_job_loss": 0.6},
}

#: Yearly drift of a driver in a country, so that trends show in charts.
DRIVER_DRIFT: dict[str, dict[str, float]] = {
    "TJ": {"migrant_job_loss": 0.25, "online_propaganda": 0.15},
    "KG": {"interethnic_tension": -0.15, "online_propaganda": 0.2, "corruption": -0.1},
}

#: Activity type weights by country; LCPCs in the south of Kyrgyzstan mediate more (see below).
ACTIVITY_TYPE_WEIGHTS: dict[str, dict[str, float]] = {
    "KG": {
        "dialogue": 9,
        "training": 7,
        "awareness": 9,
        "mediation": 5,
        "pre_departure": 2,
        "family_support": 4,
        "prison_programme": 1.5,
        "media_training": 2,
        "counter_narrative": 2.5,
        "youth_event": 6,
        "police_community": 6,
        "referral": 3,
        "research": 1,
    },
    "TJ": {
        "dialogue": 7,
        "training": 5,
        "awareness": 9,
        "mediation": 2,
        "pre_departure": 7,
        "family_support": 6,
        "prison_programme": 1.5,
        "media_training": 1.5,
        "counter_narrative": 1.5,
        "youth_event": 5,
        "police_community": 5,
        "referral": 5,
        "research": 1,
    },
}

SOUTH_KG = frozenset({"KG-O", "KG-GO", "KG-J", "KG-B"})

#: Per activity type: (target groups to pick from, participants min-max, recommendations, drivers).
ACTIVITY_PROFILES: dict[str, tuple[tuple[str, ...], tuple[int, int], tuple[str, ...], tuple[str, ...]]] = {
    "dialogue": (
        ("imams", "atyncha", "youth", "women", "local_authorities", "police", "mothers"),
        (8, 40),
        ("R4", "R6"),
        ("injustice", "exclusion", "interethnic_tension", "belonging"),
    ),
    "training": (
        ("imams", "atyncha", "youth", "teachers", "local_authorities", "civil_society", "women"),
        (10, 30),
        ("R3", "R6"),
        ("education_gap", "belonging", "exclusion"),
    ),
    "awareness": (
        ("youth", "mothers", "women", "teachers", "migrants"),
        (15, 120),
        ("R3",),
        ("online_propaganda", "education_gap", "belonging"),
    ),
    "mediation": (
        ("local_authorities", "youth", "police", "women"),
        (3, 15),
        ("R4",),
        ("interethnic_tension", "injustice", "discrimination"),
    ),
    "pre_departure": (("migrants", "youth"), (10, 50), ("R8",), ("migrant_job_loss", "unemployment")),
    "family_support": (
        ("mothers", "returnees", "women", "migrants"),
        (2, 12),
        ("R6", "R3"),
        ("family_pressure", "migrant_job_loss", "belonging"),
    ),
    "prison_programme": (("prisoners", "prison_staff"), (5, 25), ("R9",), ("prison_conditions", "injustice")),
    "media_training": (("media", "youth", "civil_society"), (6, 20), ("R10",), ("online_propaganda",)),
    "counter_narrative": (("youth", "media", "imams"), (0, 12), ("R10",), ("online_propaganda", "belonging")),
    "youth_event": (
        ("youth", "teachers"),
        (20, 150),
        ("R6", "R3"),
        ("belonging", "unemployment", "exclusion"),
    ),
    "police_community": (
        ("police", "youth", "local_authorities", "women"),
        (10, 40),
        ("R4", "R5"),
        ("police_repression", "injustice", "corruption"),
    ),
    "referral": (
        ("returnees", "migrants", "youth", "women"),
        (1, 8),
        ("R5",),
        ("unemployment", "state_absence", "migrant_job_loss"),
    ),
    "research": (
        ("civil_society", "youth", "women", "imams", "local_authorities"),
        (6, 12),
        ("R14",),
        ("injustice", "exclusion", "religious_restrictions"),
    ),
}

#: Recommendation implied by engaging a target group.
GROUP_RECOMMENDATIONS: dict[str, str] = {
    "imams": "R7",
    "atyncha": "R7",
    "migrants": "R8",
    "prisoners": "R9",
    "prison_staff": "R9",
    "media": "R10",
    "youth": "R6",
    "women": "R6",
    "police": "R4",
    "returnees": "R12",
}

#: Share of each sex x age cell among the people a target group brings (cells as in COUNT_CELLS).
GROUP_CELLS: dict[str, dict[str, float]] = {
    "imams": {"m_30_59": 6, "m_60p": 3, "m_18_29": 1},
    "atyncha": {"f_30_59": 6, "f_60p": 3, "f_18_29": 1},
    "mothers": {"f_30_59": 6, "f_18_29": 3, "f_60p": 1},
    "youth": {"m_18_29": 4, "f_18_29": 3, "m_u18": 2, "f_u18": 2},
    "women": {"f_18_29": 3, "f_30_59": 4, "f_60p": 1},
    "migrants": {"m_18_29": 5, "m_30_59": 3, "f_18_29": 1, "f_30_59": 1},
    "returnees": {"m_18_29": 3, "m_30_59": 2, "f_18_29": 2, "f_30_59": 1, "m_u18": 1, "f_u18": 1},
    "prisoners": {"m_18_29": 5, "m_30_59": 4, "f_18_29": 1},
    "prison_staff": {"m_30_59": 4, "m_18_29": 3, "f_30_59": 1},
    "police": {"m_18_29": 3, "m_30_59": 4, "f_30_59": 1},
    "local_authorities": {"m_30_59": 4, "f_30_59": 2, "m_60p": 1},
    "teachers": {"f_30_59": 4, "m_30_59": 2, "f_18_29": 2},
    "media": {"f_18_29": 2, "m_18_29": 2, "f_30_59": 1, "m_30_59": 1},
    "civil_society": {"f_18_29": 2, "f_30_59": 3, "m_30_59": 2, "m_18_29": 1},
}

#: Incident category weights by country, with the south of Kyrgyzstan apart.
INCIDENT_WEIGHTS: dict[str, dict[str, float]] = {
    "KG-south": {
        "online_content": 6,
        "recruitment_approach": 3,
        "departure_abroad": 1.5,
        "return_from_conflict": 1,
        "interethnic_incident": 6,
        "religious_dispute": 3,
        "police_abuse": 4,
        "detention": 2,
        "prison_incident": 1,
        "printed_material": 2,
        "intimidation": 2,
        "other": 2,
    },
    "KG": {
        "online_content": 8,
        "recruitment_approach": 3,
        "departure_abroad": 1,
        "return_from_conflict": 1,
        "interethnic_incident": 1.5,
        "religious_dispute": 3,
        "police_abuse": 2,
        "detention": 1,
        "prison_incident": 1.5,
        "printed_material": 3,
        "intimidation": 2,
        "other": 2,
    },
    "TJ": {
        "online_content": 7,
        "recruitment_approach": 4,
        "departure_abroad": 3,
        "return_from_conflict": 3,
        "interethnic_incident": 0.5,
        "religious_dispute": 2,
        "police_abuse": 2.5,
        "detention": 4,
        "prison_incident": 1.5,
        "printed_material": 2,
        "intimidation": 2,
        "other": 2,
    },
}

#: Drivers an incident category usually points to.
INCIDENT_DRIVERS: dict[str, tuple[str, ...]] = {
    "online_content": ("online_propaganda", "belonging"),
    "recruitment_approach": ("online_propaganda", "unemployment", "belonging", "migrant_job_loss"),
    "departure_abroad": ("migrant_job_loss", "belonging", "online_propaganda"),
    "return_from_conflict": ("belonging", "exclusion"),
    "interethnic_incident": ("interethnic_tension", "discrimination", "injustice"),
    "religious_dispute": ("religious_restrictions", "belonging"),
    "police_abuse": ("police_repression", "injustice", "corruption"),
    "detention": ("opposition_ban", "police_repression", "injustice"),
    "prison_incident": ("prison_conditions",),
    "printed_material": ("online_propaganda", "education_gap"),
    "intimidation": ("injustice", "state_absence"),
    "other": ("exclusion", "corruption"),
}

#: Neutral, person-free descriptions; a record never names anyone.
INCIDENT_TEXTS: dict[str, tuple[str, ...]] = {
    "online_content": (
        "Hostile posts shared in a local messenger group; reported by youth volunteers.",
        "Videos calling for violence circulated among pupils; parents alerted the centre.",
    ),
    "recruitment_approach": (
        "Young men approached after Friday prayers with offers of paid work abroad.",
        "Parents reported an online contact urging their son to travel.",
    ),
    "departure_abroad": ("A family reported that a relative left for a conflict zone.",),
    "return_from_conflict": ("A family asked for support after a relative returned.",),
    "interethnic_incident": (
        "Dispute over irrigation water between two neighbourhoods.",
        "Fight between young people at a market after an insult.",
    ),
    "religious_dispute": ("Disagreement between two congregations over use of a prayer house.",),
    "police_abuse": ("Residents complained of rough treatment during a document check.",),
    "detention": ("Relatives reported detentions after a night-time search.",),
    "prison_incident": ("Tension reported among relatives waiting outside the colony.",),
    "printed_material": ("Leaflets with hostile content found near the bazaar.",),
    "intimidation": ("A volunteer received threats after a community meeting.",),
    "other": ("Rumours about a planned protest caused concern among residents.",),
}

ACTIVITY_OUTCOMES: tuple[str, ...] = (
    "Participants agreed on next steps and a follow-up meeting.",
    "Good attendance; questions on jobs and documents for migrants.",
    "Women asked for a separate session next month.",
    "Local authorities promised to review the complaints raised.",
    "Young people proposed a sports tournament across neighbourhoods.",
    "Religious leaders shared their experience of talking with young people.",
    "Several families were referred to the employment centre.",
)

PARTNERS: tuple[str, ...] = (
    "",
    "",
    "OSCE Programme Office",
    "UNDP",
    "Saferworld",
    "Search for Common Ground",
    "Local administration",
    "Spiritual Administration of Muslims",
    "Committee on Religious Affairs",
    "Migration Service",
    "District police",
    "School administration",
)

FOLLOW_UPS: tuple[str, ...] = (
    "",
    "Follow-up meeting next month.",
    "Referral letters to be sent.",
    "Share summary with the district coordinator.",
    "Repeat session in a neighbouring village.",
)

#: What a coordinator writes when returning an entry (demo data only).
RETURN_COMMENTS: tuple[str, ...] = (
    "Please split the participants by age band.",
    "The date looks wrong: was it last month?",
    "Say which groups took part.",
    "Please add the response taken.",
)
