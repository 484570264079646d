"""Review forms: return with a comment, reopen or correct with a reason, approve several, filter the
queue, close and reopen months.

Whether a comment or reason is required is the lifecycle's rule (``app.services.lifecycle``); these
forms check what is typed (length, personal data) and carry the version the reviewer saw.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from wtforms import HiddenField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Optional, Regexp, ValidationError

from app.translate import gettext as _
from app.translate import lazy_gettext as _l

from .base import BaseForm, SafeTextAreaField, shown_version
from .entries import RecordForm


class VersionedForm(BaseForm):
    """A POST on one record: the version the reviewer saw, so a stale action is refused."""

    version = HiddenField(filters=[shown_version])


class ApproveForm(VersionedForm):
    """Approve one record."""


class ReturnForm(VersionedForm):
    """Return a record to its organisation with a comment."""

    comment = SafeTextAreaField(
        _l("What needs to change"),
        description=_l("The volunteer sees this comment. No names, phone numbers or ID numbers."),
    )


class ReopenForm(VersionedForm):
    """Reopen an approved record: it goes back to its organisation."""

    reason = SafeTextAreaField(
        _l("Why it is reopened"),
        description=_l("The volunteer sees this reason. No names, phone numbers or ID numbers."),
    )


class _CorrectionReason:
    """Adds the reason a coordinator gives for correcting someone else's entry."""

    reason = SafeTextAreaField(
        _l("Reason for the correction"),
        description=_l("Kept in the entry's history. No names, phone numbers or ID numbers."),
    )


@cache
def correction_form(form_class: type[RecordForm]) -> type[RecordForm]:
    """The entry form of a kind with the correction reason (one class per kind)."""
    return type(f"Correct{form_class.__name__}", (form_class, _CorrectionReason), {})  # type: ignore[return-value]


class BulkApproveForm(BaseForm):
    """Approve several records from the queue: each value is ``kind:uuid:version``."""

    records = SelectMultipleField(_l("Entries"), validate_choice=False)

    _PATTERN = r"^(activities|incidents|assessments):[0-9a-f-]{36}:\d{1,9}$"

    def validate_records(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one entry to approve."))
        if any(not re.match(self._PATTERN, value) for value in field.data):
            raise ValidationError(_("Choose only from the entries shown."))

    def chosen(self) -> list[tuple[str, str, int]]:
        """``(kind, uuid, version)`` for every ticked entry."""
        items = []
        for value in self.records.data:
            kind, record_uuid, version = value.split(":")
            items.append((kind, record_uuid, int(version)))
        return items


class QueueFilterForm(BaseForm):
    """Filters above the review queue (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of entry"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])

    def __init__(
        self,
        *args: object,
        kinds: list[tuple[str, str]],
        organisations: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [
            SelectChoice("", _("All")),
            *(SelectChoice(slug, label) for slug, label in kinds),
        ]
        self.organisation.choices = [
            SelectChoice("", _("All")),
            *(SelectChoice(code, name) for code, name in organisations),
        ]


class ClosePeriodForm(BaseForm):
    """Close a month for an area."""

    month = StringField(
        _l("Month"),
        validators=[
            InputRequired(message=_l("Enter the month.")),
            Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=_l("Enter the month as YYYY-MM, e.g. 2026-11.")),
        ],
        render_kw={"type": "month"},
        description=_l("Entries of that month in the area can no longer change."),
    )
    area = SelectField(_l("Area"), validators=[InputRequired(message=_l("Choose the area."))])

    def __init__(self, *args: object, areas: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = [SelectChoice(value, label) for value, label in areas]

    def month_date(self) -> date:
        year, month = self.month.data.split("-")
        return date(int(year), int(month), 1)

    def validate_month(self, field: StringField) -> None:
        if field.data and field.data < "2015-01":
            raise ValidationError(_("The date cannot be before 2015."))


class ReopenPeriodForm(BaseForm):
    """An administrator reopens a closed month."""

    reason = SafeTextAreaField(
        _l("Why it is reopened"),
        description=_l("Kept in the audit log. No names, phone numbers or ID numbers."),
    )
    period = HiddenField()
