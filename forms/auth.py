"""Sign-in and language forms."""

from __future__ import annotations

from flask import current_app
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from app.translate import gettext as _
from app.translate import lazy_gettext as _l

from .base import BaseForm

#: Language names in their own language (never translated).
LANGUAGE_NAMES = {
    "ru": "Русский",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "uz": "Oʻzbekcha",
    "uz_Cyrl": "Ўзбекча",
    "en": "English",
}


class LoginForm(BaseForm):
    username = StringField(
        _l("Username"),
        validators=[InputRequired(message=_l("Enter your username.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class LanguageForm(BaseForm):
    """The language switcher in every page's footer."""

    locale = SelectField(_l("Language"), validate_choice=False)
    next = HiddenField()

    def validate_locale(self, field: SelectField) -> None:
        if field.data not in current_app.config["LANGUAGES"]:
            raise ValidationError(_("Choose one of the languages offered."))
