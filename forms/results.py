"""Forms of the results framework: the targets template upload, a manual actual."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import DecimalField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from app.translate import gettext as _
from app.translate import lazy_gettext as _l

from .base import BaseForm, SafeStringField


class TargetsUploadForm(BaseForm):
    """One .xlsx file, as downloaded from the programme's targets page."""

    class Meta:
        accepts_files = True

    file = FileField(
        _l("Targets file"),
        validators=[FileRequired(message=_l("Choose the targets file (.xlsx)."))],
        description=_l("The template downloaded above, with the targets filled in."),
        render_kw={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    submit = SubmitField(_l("Check and save the targets"))


class FigureField(DecimalField):
    """A decimal number, with our own message when what was typed is not one."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a number, e.g. 62.5.")) from None


class ManualActualForm(BaseForm):
    """A survey-type indicator's actual for one quarter, with where the figure comes from."""

    quarter = SelectField(_l("Quarter"), validators=[InputRequired(message=_l("Choose the quarter."))])
    value = FigureField(
        _l("Actual"),
        places=None,
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
        validators=[
            InputRequired(message=_l("Enter the figure.")),
            NumberRange(min=0, message=_l("The figure cannot be negative.")),
        ],
    )
    source_note = SafeStringField(
        _l("Source"),
        validators=[
            InputRequired(message=_l("Say where the figure comes from, e.g. the survey and its date."))
        ],
        description=_l("E.g. “Community perception survey, March 2025, 400 respondents”. No names."),
    )
    submit = SubmitField(_l("Save the actual"))

    def __init__(self, *args: object, quarters: list[tuple[str, str]], share: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.quarter.choices = [("", _("Choose the quarter")), *quarters]
        self.share = share

    def validate_quarter(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in self.quarter.choices if value}:
            raise ValidationError(_("Choose a quarter of the programme."))

    def validate_value(self, field: DecimalField) -> None:
        if self.share and field.data is not None and field.data > 100:
            raise ValidationError(_("This indicator is a share: at most 100."))
