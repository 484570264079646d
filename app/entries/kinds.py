"""What differs between the record kinds: model, form, wording. Everything else is shared."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l

from forms.entries import ActivityForm, AssessmentForm, IncidentForm, RecordForm

from ..models import RECORD_MODELS, RecordMixin


@dataclass(frozen=True)
class Kind:
    """One record kind, keyed by its URL segment."""

    slug: str
    model: type[RecordMixin]
    form: type[RecordForm]
    #: Page titles and buttons.
    plural: object
    singular: object
    new_title: object
    edit_title: object


KINDS: dict[str, Kind] = {
    "activities": Kind(
        "activities",
        RECORD_MODELS["activities"],
        ActivityForm,
        _l("Activities"),
        _l("Activity"),
        _l("Record an activity"),
        _l("Edit activity"),
    ),
    "incidents": Kind(
        "incidents",
        RECORD_MODELS["incidents"],
        IncidentForm,
        _l("Incidents"),
        _l("Incident"),
        _l("Record an incident"),
        _l("Edit incident"),
    ),
    "assessments": Kind(
        "assessments",
        RECORD_MODELS["assessments"],
        AssessmentForm,
        _l("Assessments"),
        _l("Assessment"),
        _l("Record an assessment"),
        _l("Edit assessment"),
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
