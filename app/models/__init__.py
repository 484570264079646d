"""Every model, importable from one place."""

from .audit import AuditEvent, ReviewNote
from .geography import Community, Country, District, Region
from .people import Organisation, User
from .periods import ClosedPeriod
from .records import (
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
    "Activity",
    "ActivityType",
    "AuditEvent",
    "ClosedPeriod",
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
    "ReviewNote",
    "TargetGroup",
    "User",
    "activity_drivers",
    "activity_recommendations",
    "activity_target_groups",
    "incident_drivers",
]
