"""Every model, importable from one place."""

from .audit import AuditEvent
from .geography import Community, Country, District, Region
from .people import Organisation, User
from .records import (
    RECORD_MODELS,
    Activity,
    DriverAssessment,
    DriverRating,
    Incident,
    RecordMixin,
    activity_drivers,
    activity_recommendations,
    activity_target_groups,
    incident_drivers,
)
from .taxonomy import ActivityType, Driver, IncidentCategory, Recommendation, TargetGroup

__all__ = [
    "RECORD_MODELS",
    "Activity",
    "ActivityType",
    "AuditEvent",
    "Community",
    "Country",
    "District",
    "Driver",
    "DriverAssessment",
    "DriverRating",
    "Incident",
    "IncidentCategory",
    "Organisation",
    "Recommendation",
    "RecordMixin",
    "Region",
    "TargetGroup",
    "User",
    "activity_drivers",
    "activity_recommendations",
    "activity_target_groups",
    "incident_drivers",
]
