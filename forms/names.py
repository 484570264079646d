"""A place's or organisation's name in each interface language (issue 12)."""

from __future__ import annotations

from wtforms.validators import Length

from app.translate import lazy_gettext as _l
from config import Config

from .auth import LANGUAGE_NAMES
from .base import SafeStringField, SubForm

#: The languages a name is kept in besides ``name`` itself (the English or Latin form).
NAME_LANGUAGES = tuple(language for language in Config.LANGUAGES if language != "en")


def _tidy(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


class LocalNamesForm(SubForm):
    """One box per language, labelled in that language; an empty box shows ``name`` instead."""

    def names(self) -> dict[str, str]:
        """``{language: name}`` of the boxes filled in."""
        return {language: self[language].data for language in NAME_LANGUAGES if self[language].data}


for _language in NAME_LANGUAGES:
    setattr(
        LocalNamesForm,
        _language,
        SafeStringField(
            LANGUAGE_NAMES.get(_language, _language),
            filters=[_tidy],
            validators=[Length(max=200, message=_l("Use at most 200 characters."))],
            render_kw={"lang": _language.replace("_", "-")},
        ),
    )
