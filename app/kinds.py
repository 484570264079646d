"""The one registry of record kinds: URL segment, model, form, audit name, wording, list query.

Everything that differs between activities, incidents and assessments is said here once; pages,
review, the lifecycle, the audit log and (next) the JSON sync look a kind up instead of keeping
lists of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption

from forms.entries import ActivityForm, AssessmentForm, IncidentForm, RecordForm

from .models import Activity, Community, DriverAssessment, Incident, RecordMixin
from .translate import gettext as _
from .translate import lazy_gettext as _l
from .vocabulary import code_label


def _activity_title(record: Activity) -> str:
    return _(code_label("activity_type", record.activity_type_code))


def _incident_title(record: Incident) -> str:
    return _(code_label("incident_category", record.category_code))


def _assessment_title(_record: DriverAssessment) -> str:
    return _("Assessment of concerns")


@dataclass(frozen=True)
class Kind:
    """One record kind, keyed by its URL segment."""

    slug: str
    model: type[RecordMixin]
    form: type[RecordForm]
    #: The audit log's name for a record of this kind.
    object_type: str
    #: Page titles and buttons.
    plural: object
    singular: object
    new_title: object
    edit_title: object
    #: A short title for one record in lists (its type, category or kind), translated.
    title: Callable[[RecordMixin], str]

    def shown_with(self) -> tuple[ORMOption, ...]:
        """Loader options for what a list line or a record's page shows beside the record: its
        community, district and organisation, in the record's own statement."""
        model = self.model
        return joinedload(model.community).joinedload(Community.district), joinedload(model.organisation)

    def rows(self) -> Select:
        """``SELECT model`` with what a list line shows loaded."""
        return select(self.model).options(*self.shown_with())


KINDS: dict[str, Kind] = {
    "activities": Kind(
        "activities",
        Activity,
        ActivityForm,
        "activity",
        _l("Activities"),
        _l("Activity"),
        _l("Record an activity"),
        _l("Edit activity"),
        _activity_title,
    ),
    "incidents": Kind(
        "incidents",
        Incident,
        IncidentForm,
        "incident",
        _l("Incidents"),
        _l("Incident"),
        _l("Record an incident"),
        _l("Edit incident"),
        _incident_title,
    ),
    "assessments": Kind(
        "assessments",
        DriverAssessment,
        AssessmentForm,
        "assessment",
        _l("Assessments"),
        _l("Assessment"),
        _l("Record an assessment"),
        _l("Edit assessment"),
        _assessment_title,
    ),
}

#: The URL converter that accepts exactly the three kinds.
KIND_CONVERTER = "<any(" + ", ".join(KINDS) + "):kind>"


def get_kind(slug: str) -> Kind:
    """The kind for a URL segment (the converter already refused anything else)."""
    kind = KINDS.get(slug)
    if kind is None:
        abort(404)
    return kind


def kind_of(record: RecordMixin) -> Kind:
    """The kind a record belongs to."""
    for kind in KINDS.values():
        if isinstance(record, kind.model):
            return kind
    raise TypeError(f"not a record: {record!r}")


def kind_by_object_type(object_type: str) -> Kind | None:
    """The kind whose audit name is ``object_type`` (None for users, reports, ...)."""
    return next((kind for kind in KINDS.values() if kind.object_type == object_type), None)
