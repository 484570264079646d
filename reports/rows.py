"""One row per record (coordinators only): the Activities and Incident records sheets.

Streamed in batches so that memory stays flat however many records there are. Every generator
refuses the donor audience: donors never see a single record.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from app.models import (
    Activity,
    Community,
    District,
    Incident,
    Organisation,
    RecordMixin,
    Region,
    activity_drivers,
    activity_recommendations,
    activity_target_groups,
    incident_drivers,
)

from .filters import Audience, ReportFilters
from .queries import CELLS, record_conditions

#: Rows fetched per round trip by the row generators.
ROW_BATCH = 2000


def _codes(owner_column: ColumnElement, code_column: ColumnElement, model: type) -> ColumnElement[str]:
    """Comma-joined codes linked to the current row, as a correlated subquery."""
    return (
        select(func.aggregate_strings(code_column, ","))
        .where(owner_column == model.id)
        .correlate(model)
        .scalar_subquery()
    )


def _place_columns(model: type[RecordMixin]) -> tuple:
    # In the workbook's language (app/models/names.py), under the names the sheet's headers use.
    return (
        Region.local_name.label("region"),
        District.local_name.label("district"),
        Community.local_name.label("community"),
        Organisation.local_name.label("organisation"),
    )


def _joined(query: Select, model: type[RecordMixin]) -> Select:
    return (
        query.join(Community, Community.id == model.community_id)
        .join(District, District.id == Community.district_id)
        .join(Region, Region.id == District.region_id)
        .join(Organisation, Organisation.id == model.organisation_id)
    )


def _refuse_donor(filters: ReportFilters) -> None:
    if filters.audience == Audience.DONOR:
        raise PermissionError("donor reports never include single records")


#: Column order of :func:`activity_rows`.
ACTIVITY_ROW_FIELDS = (
    "uuid", "date", "region", "district", "community", "organisation", "activity_type",
    "recommendations", "target_groups", "drivers", *CELLS, "first_time_participants", "status", "partners",
    "outcome", "follow_up",
)  # fmt: skip


def activity_rows(session: Session, filters: ReportFilters) -> Iterator[tuple]:
    """One tuple per activity (see :data:`ACTIVITY_ROW_FIELDS`), streamed in batches."""
    _refuse_donor(filters)
    query = (
        _joined(
            select(
                Activity.uuid,
                Activity.date,
                *_place_columns(Activity),
                Activity.activity_type_code,
                _codes(
                    activity_recommendations.c.activity_id,
                    activity_recommendations.c.recommendation_code,
                    Activity,
                ),
                _codes(
                    activity_target_groups.c.activity_id, activity_target_groups.c.target_group_code, Activity
                ),
                _codes(activity_drivers.c.activity_id, activity_drivers.c.driver_code, Activity),
                *(getattr(Activity, column) for column in CELLS),
                Activity.first_time_participants,
                Activity.status,
                Activity.partners,
                Activity.outcome,
                Activity.follow_up,
            ).select_from(Activity),
            Activity,
        )
        .where(*record_conditions(Activity, filters))
        .order_by(Activity.date, Activity.id)
    )
    yield from _stream(session, query)


#: Column order of :func:`incident_rows`.
INCIDENT_ROW_FIELDS = (
    "uuid", "date", "region", "district", "community", "organisation", "category", "severity",
    "response", "incident_status", "drivers", *CELLS, "status", "description",
)  # fmt: skip


def incident_rows(session: Session, filters: ReportFilters) -> Iterator[tuple]:
    """One tuple per incident (see :data:`INCIDENT_ROW_FIELDS`), streamed in batches."""
    _refuse_donor(filters)
    query = (
        _joined(
            select(
                Incident.uuid,
                Incident.date,
                *_place_columns(Incident),
                Incident.category_code,
                Incident.severity,
                Incident.response,
                Incident.incident_status,
                _codes(incident_drivers.c.incident_id, incident_drivers.c.driver_code, Incident),
                *(getattr(Incident, column) for column in CELLS),
                Incident.status,
                Incident.description,
            ).select_from(Incident),
            Incident,
        )
        .where(*record_conditions(Incident, filters))
        .order_by(Incident.date, Incident.id)
    )
    yield from _stream(session, query)


def _stream(session: Session, query: Select) -> Iterator[tuple]:
    result = session.execute(query.execution_options(yield_per=ROW_BATCH))
    for partition in result.partitions():
        yield from partition
