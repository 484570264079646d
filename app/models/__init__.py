"""Every model, importable from one place."""

from .audit import AuditEvent, ReviewNote
from .geography import Community, Country, District, Region
from .issued import IssuedReport
from .jobs import ExportJob, ExportKind, JobStatus
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
from .results import (
    Direction,
    Indicator,
    IndicatorTarget,
    ManualActual,
    Measure,
    Programme,
    indicator_recommendations,
    programme_countries,
    programme_donors,
    programme_regions,
)
from .summaries import SUMMARY_TABLES
from .taxonomy import ActivityType, Driver, IncidentCategory, Recommendation, TargetGroup

__all__ = [
    "SUMMARY_TABLES",
    "Activity",
    "ActivityType",
    "AuditEvent",
    "ClosedPeriod",
    "Community",
    "Country",
    "Direction",
    "District",
    "Driver",
    "DriverAssessment",
    "DriverRating",
    "ExportJob",
    "ExportKind",
    "Incident",
    "IncidentCategory",
    "Indicator",
    "IndicatorTarget",
    "IssuedReport",
    "JobStatus",
    "ManualActual",
    "Measure",
    "Organisation",
    "Programme",
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
    "indicator_recommendations",
    "programme_countries",
    "programme_donors",
    "programme_regions",
]
