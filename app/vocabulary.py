"""The platform's fixed vocabulary (from shared/DOMAIN.md): stable codes and English labels.

Codes are stored and never shown or translated. Labels are English source strings marked with
``N_`` so that ``pybabel extract`` finds them; they are translated where they are shown
(``_(label)`` in views, the report's own gettext in Excel and charts).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


class InContext(str):
    """A label marked for translation in a context (``pgettext``): a short word that means one
    thing here and another elsewhere, such as "Low" for a severity and "Low" for a rating.
    :func:`app.i18n.translate` translates it in its context."""

    context: str

    def __new__(cls, context: str, message: str) -> InContext:
        label = super().__new__(cls, message)
        label.context = context
        return label


def NP_(context: str, message: str) -> InContext:
    """Mark a string with its context for extraction (``-k NP_:1c,2``), translated later."""
    return InContext(context, message)


class Status(StrEnum):
    """Review status of every record."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class Role(StrEnum):
    """What a user may do; scope narrows it further."""

    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"
    DONOR = "donor"
    ADMIN = "admin"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Response(StrEnum):
    NONE = "none"
    DIALOGUE = "dialogue"
    REFERRAL = "referral"
    REPORTED = "reported"
    MEDIATION = "mediation"


class IncidentStatus(StrEnum):
    OPEN = "open"
    REFERRED = "referred"
    RESOLVED = "resolved"


class Trend(StrEnum):
    DOWN = "down"
    SAME = "same"
    UP = "up"


class OrganisationType(StrEnum):
    LCPC = "lcpc"
    PUBLIC_COUNCIL = "public_council"
    NGO = "ngo"
    MAHALLA_COMMITTEE = "mahalla_committee"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "f"
    MALE = "m"


class AgeBand(StrEnum):
    UNDER_18 = "u18"
    AGE_18_29 = "18_29"
    AGE_30_59 = "30_59"
    AGE_60_PLUS = "60p"


STATUS_LABELS = {
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted"),
    Status.APPROVED: N_("Approved"),
    Status.RETURNED: N_("Returned for changes"),
}

ROLE_LABELS = {
    Role.VOLUNTEER: N_("Volunteer"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.DONOR: N_("Donor or partner"),
    Role.ADMIN: N_("Administrator"),
}

SEVERITY_LABELS = {
    Severity.LOW: NP_("severity", "Low"),
    Severity.MEDIUM: NP_("severity", "Medium"),
    Severity.HIGH: NP_("severity", "High"),
}

RESPONSE_LABELS = {
    Response.NONE: NP_("response taken", "None"),
    Response.DIALOGUE: N_("Dialogue"),
    Response.REFERRAL: N_("Referral to services"),
    Response.REPORTED: N_("Reported to authorities"),
    Response.MEDIATION: N_("Mediation"),
}

INCIDENT_STATUS_LABELS = {
    IncidentStatus.OPEN: NP_("incident state", "Open"),
    IncidentStatus.REFERRED: N_("Referred"),
    IncidentStatus.RESOLVED: N_("Resolved"),
}

TREND_LABELS = {Trend.DOWN: N_("Going down"), Trend.SAME: N_("About the same"), Trend.UP: N_("Going up")}

#: Driver ratings of an assessment.
RATING_LABELS = {
    0: N_("Not observed"),
    1: NP_("how strongly a concern is felt", "Low"),
    2: NP_("how strongly a concern is felt", "Medium"),
    3: NP_("how strongly a concern is felt", "High"),
}

ORGANISATION_TYPE_LABELS = {
    OrganisationType.LCPC: N_("Local Crime Prevention Centre"),
    OrganisationType.PUBLIC_COUNCIL: N_("Public Council"),
    OrganisationType.NGO: N_("NGO or civil society"),
    OrganisationType.MAHALLA_COMMITTEE: N_("Mahalla or village committee"),
    OrganisationType.OTHER: N_("Other"),
}

SEX_LABELS = {Sex.FEMALE: N_("Female"), Sex.MALE: N_("Male")}

AGE_BAND_LABELS = {
    AgeBand.UNDER_18: N_("Under 18"),
    AgeBand.AGE_18_29: N_("18-29"),
    AgeBand.AGE_30_59: N_("30-59"),
    AgeBand.AGE_60_PLUS: N_("60 and over"),
}

#: The eight participant cells, in display order: (column name, sex, age band).
COUNT_CELLS: tuple[tuple[str, Sex, AgeBand], ...] = tuple(
    (f"{sex.value}_{band.value}", sex, band) for sex in Sex for band in AgeBand
)

COUNTRIES: tuple[tuple[str, str], ...] = (
    ("KG", N_("Kyrgyzstan")),
    ("TJ", N_("Tajikistan")),
    ("KZ", N_("Kazakhstan")),
    ("UZ", N_("Uzbekistan")),
    ("TM", N_("Turkmenistan")),
    ("AF", N_("Afghanistan")),
)

#: R1-R14 of the 2016 Bishkek conference: (code, short label, what it means in the field).
RECOMMENDATIONS: tuple[tuple[str, str, str], ...] = (
    ("R1", N_("Coordinate international actors"), N_("Synergy between EU, OSCE, UN and other partners")),
    ("R2", N_("Turn ideas into concrete projects"), N_("Follow-up programmes and projects")),
    (
        "R3",
        N_("Holistic, tailor-made programmes"),
        N_(
            "Gender, youth, socio-economic, culture, civil society, labour migration; school and "
            "university awareness; training of officials"
        ),
    ),
    (
        "R4",
        N_("Address domestic root causes through dialogue and trust"),
        N_(
            "Dialogue between society and law enforcement, social networks, respectful exchange with "
            "religious leaders, integrating non-elite youth"
        ),
    ),
    (
        "R5",
        N_("Good governance, rights and economic inclusion"),
        N_("Independent courts, anti-corruption, human rights, economic inclusion"),
    ),
    (
        "R6",
        N_("Empower local communities, youth and women"),
        N_("Listening to and supporting local ideas; UNSCR 2250 youth engagement; roles of women"),
    ),
    (
        "R7",
        N_("Dialogue with imams and religious leaders"),
        N_("Exchange of views, not instructions, with young imams, at personal level"),
    ),
    (
        "R8",
        N_("Reduce the vulnerability of migrant workers"),
        N_("Information campaigns, employment centres, pre-departure orientation"),
    ),
    (
        "R9",
        N_("Prison reform and rehabilitation"),
        N_("Staff training, telling religious practice from radicalism, Nelson Mandela Rules"),
    ),
    (
        "R10",
        N_("Media, online content and counter-narratives"),
        N_(
            "Monitoring, self-regulation, counter-narratives, journalist training, internet sector "
            "cooperation"
        ),
    ),
    (
        "R11",
        N_("Cross-border and regional cooperation"),
        N_("Joint action under the regional plan for the UN CT strategy"),
    ),
    (
        "R12",
        N_("Best practice and rehabilitation of returnees"),
        N_("Work with EU and member states; returning foreign fighters"),
    ),
    (
        "R13",
        N_("Coordination and national PVE focal points"),
        N_("Donor coordination, local partners, national leadership"),
    ),
    ("R14", N_("Qualitative research"), N_("Evidence for policy and programme design")),
)

DRIVERS: tuple[tuple[str, str], ...] = (
    ("injustice", N_("Perceived injustice")),
    ("discrimination", N_("Marginalisation and discrimination")),
    ("exclusion", N_("Social and political exclusion")),
    ("unemployment", N_("Lack of jobs and income")),
    ("corruption", N_("Widespread corruption")),
    ("police_repression", N_("Repression or abuse by law enforcement")),
    ("prison_conditions", N_("Poor prison management")),
    ("interethnic_tension", N_("Inter-ethnic tensions")),
    ("opposition_ban", N_("Ban of opposition and detention of members or relatives")),
    ("migrant_job_loss", N_("Migrant workers' job loss or re-entry ban")),
    ("online_propaganda", N_("Online hate speech and recruitment content")),
    ("family_pressure", N_("Patriarchal family pressure and isolation")),
    ("education_gap", N_("Lack of secular education")),
    ("state_absence", N_("Lack of state services in rural areas")),
    ("belonging", N_("Search for identity, belonging and purpose")),
    ("religious_restrictions", N_("Restricted space for religious practice")),
)

TARGET_GROUPS: tuple[tuple[str, str], ...] = (
    ("imams", N_("Imams and religious leaders")),
    ("atyncha", N_("Women religious leaders")),
    ("mothers", N_("Mothers and families")),
    ("youth", N_("Youth, especially non-elite")),
    ("women", N_("Women")),
    ("migrants", N_("Migrant workers and their families")),
    ("returnees", N_("Returnees")),
    ("prisoners", N_("Prisoners and former prisoners")),
    ("prison_staff", N_("Prison staff")),
    ("police", N_("Police and law enforcement")),
    ("local_authorities", N_("Local authorities")),
    ("teachers", N_("Teachers and schools")),
    ("media", N_("Journalists and media")),
    ("civil_society", N_("Civil society organisations")),
)

ACTIVITY_TYPES: tuple[tuple[str, str], ...] = (
    ("dialogue", N_("Community dialogue or round table")),
    ("training", N_("Training or capacity building")),
    ("awareness", N_("Awareness or information session")),
    ("mediation", N_("Conflict mediation")),
    ("pre_departure", N_("Pre-departure orientation for migrants")),
    ("family_support", N_("Family counselling or psychosocial support")),
    ("prison_programme", N_("Prison rehabilitation programme")),
    ("media_training", N_("Media or journalist training")),
    ("counter_narrative", N_("Counter-narrative content")),
    ("youth_event", N_("Youth, sports or cultural event")),
    ("police_community", N_("Police-community trust meeting")),
    ("referral", N_("Referral to services: jobs, legal aid, health")),
    ("research", N_("Focus group or qualitative research")),
)

INCIDENT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("online_content", N_("Hate speech or extremist content online")),
    ("recruitment_approach", N_("Suspected recruitment approach")),
    ("departure_abroad", N_("Departure to a conflict zone reported by family")),
    ("return_from_conflict", N_("Return of a person from a conflict zone")),
    ("interethnic_incident", N_("Inter-ethnic dispute or violence")),
    ("religious_dispute", N_("Dispute within or between religious communities")),
    ("police_abuse", N_("Alleged abuse or repression by law enforcement")),
    ("detention", N_("Detention of community members or relatives")),
    ("prison_incident", N_("Incident in or around a prison")),
    ("printed_material", N_("Distribution of extremist material offline")),
    ("intimidation", N_("Threats or intimidation of community members or volunteers")),
    ("other", N_("Other")),
)


#: Wording for volunteer-facing screens where the analytical label is not neutral (DOMAIN.md: a
#: tablet can be seen by others, so no "extremism", "suspect" or "radical"). Keyed by (kind, code).
NEUTRAL_LABELS: dict[tuple[str, str], str] = {
    ("incident_category", "online_content"): N_("Hateful or violent content online"),
    ("incident_category", "recruitment_approach"): N_("Someone approached to join a violent group"),
    ("incident_category", "printed_material"): N_("Hateful or violent material handed out offline"),
    ("recommendation", "R13"): N_("Coordination and national focal points"),
}


def neutral_label(kind: str, code: str, default: str) -> str:
    """The English label record screens show for ``code`` (neutral where the analytical one is not)."""
    return NEUTRAL_LABELS.get((kind, code), default)


def label_map(pairs: tuple[tuple[str, ...], ...]) -> dict[str, str]:
    """``{code: English label}`` for one of the tuples above."""
    return {code: label for code, label, *_ in pairs}


#: Each code list by the kind :func:`neutral_label` names it with. ``init-db`` copies these into
#: the taxonomy tables (for the foreign keys), so screens read labels and order from here.
CODE_LISTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "activity_type": ACTIVITY_TYPES,
    "incident_category": INCIDENT_CATEGORIES,
    "target_group": TARGET_GROUPS,
    "driver": DRIVERS,
    "recommendation": RECOMMENDATIONS,
}
#: The record field that holds codes of each list (histories, the audit diff, record pages).
FIELD_LISTS: dict[str, str] = {
    "activity_type_code": "activity_type",
    "category_code": "incident_category",
    "target_groups": "target_group",
    "drivers": "driver",
    "recommendations": "recommendation",
}
_CODE_LABELS = {kind: label_map(pairs) for kind, pairs in CODE_LISTS.items()}
_CODE_POSITIONS = {kind: {pair[0]: i for i, pair in enumerate(pairs)} for kind, pairs in CODE_LISTS.items()}


def code_label(kind: str, code: str) -> str:
    """The English label record screens show for a code of a list (untranslated; the code itself
    if the list does not know it)."""
    return neutral_label(kind, code, _CODE_LABELS[kind].get(code, code))


def in_list_order(kind: str, items: Iterable[Any], attribute: str | None = None) -> list[Any]:
    """Codes, or objects whose ``attribute`` is a code, in the order their list gives them (as the
    forms show them); codes the list does not know go last."""
    positions = _CODE_POSITIONS[kind]

    def position(item: Any) -> tuple[int, str]:
        code = getattr(item, attribute) if attribute else item
        return positions.get(code, len(positions)), code

    return sorted(items, key=position)


#: The 16 drivers in four groups, in the order the assessment form shows them (one collapsible
#: section each, so a phone shows one group at a time). Every driver is in exactly one group.
DRIVER_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "justice",
        N_("Justice and rights"),
        ("injustice", "discrimination", "police_repression", "prison_conditions", "opposition_ban"),
    ),
    (
        "economy",
        N_("Economy, migration and public services"),
        ("unemployment", "migrant_job_loss", "corruption", "state_absence"),
    ),
    (
        "community",
        N_("Community and family"),
        ("exclusion", "interethnic_tension", "family_pressure", "belonging"),
    ),
    (
        "information",
        N_("Information, education and religion"),
        ("online_propaganda", "education_gap", "religious_restrictions"),
    ),
)

#: The one mapping from what an activity is (its type, the groups taking part) to the
#: recommendations (R1-R14, DOMAIN.md) it usually serves. The activity form ticks these for the
#: volunteer as they choose the type and the groups (entry-form.js reads this mapping from the
#: page, never a copy of its own); the volunteer can untick or add any, and the server stores
#: exactly what was sent. Kind -> code -> recommendation codes.
SUGGESTED_RECOMMENDATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "activity_type": {
        "dialogue": ("R4",),  # dialogue and trust
        "training": ("R3",),  # capacity building, training of officials
        "awareness": ("R3",),  # school and university awareness
        "mediation": ("R4",),
        "pre_departure": ("R8",),  # pre-departure orientation
        "family_support": ("R6",),  # roles of women, families
        "prison_programme": ("R9",),
        "media_training": ("R10",),  # journalist training
        "counter_narrative": ("R10",),
        "youth_event": ("R6",),  # UNSCR 2250 youth engagement
        "police_community": ("R4",),  # society and law enforcement
        "referral": ("R5",),  # economic inclusion, legal aid
        "research": ("R14",),
    },
    "target_group": {
        "imams": ("R7",),
        "atyncha": ("R7",),
        "mothers": ("R6",),
        "youth": ("R6",),
        "women": ("R6",),
        "migrants": ("R8",),
        "returnees": ("R12",),
        "prisoners": ("R9",),
        "prison_staff": ("R9",),
        "police": ("R4",),
        "local_authorities": ("R5",),  # good governance
        "teachers": ("R3",),  # school and university awareness
        "media": ("R10",),
        "civil_society": ("R6",),  # supporting local ideas
    },
}


def suggested_recommendations(activity_type: str | None, target_groups: Iterable[str]) -> list[str]:
    """The recommendations :data:`SUGGESTED_RECOMMENDATIONS` ticks for an activity, in R1-R14 order."""
    codes = set(SUGGESTED_RECOMMENDATIONS["activity_type"].get(activity_type or "", ()))
    for group in target_groups:
        codes.update(SUGGESTED_RECOMMENDATIONS["target_group"].get(group, ()))
    return [code for code, *_rest in RECOMMENDATIONS if code in codes]
