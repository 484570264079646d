"""The administrator's upload of a tablet's saved outbox (app/api/imports.py reads it)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from app.translate import lazy_gettext as _l

from .base import BaseForm


class OutboxImportForm(BaseForm):
    """One JSON file, as "Save a copy" on the outbox page wrote it."""

    class Meta:
        accepts_files = True

    file = FileField(
        _l("Outbox file"),
        validators=[FileRequired(message=_l("Choose the file saved from the tablet's outbox."))],
        description=_l('The .json file from "Save a copy" on the tablet\'s outbox page.'),
        render_kw={"accept": ".json,application/json"},
    )
    submit = SubmitField(_l("Bring the entries in"))
