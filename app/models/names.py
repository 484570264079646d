"""Names of places and organisations in the reader's language and script.

Each region, district, community, organisation and country keeps ``name`` (the English or Latin
form it was created with, which the code and the CLI use) and ``names``, a small JSON object of
the name per interface language (``{"ru": "Кара-Суйский район", "ky": "Кара-Суу району", ...}``).
``local_name`` picks the reader's one, falling back to ``name``: on an instance in Python, and
in a query as one SQL expression (``names ->> 'ru'`` on PostgreSQL, ``json_extract`` on SQLite),
so lists, pickers, the dashboard and the workbook all read the same choice.
"""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import JSON, ColumnElement, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column


def current_language() -> str:
    """The interface language as the catalogs name it (``ru``, ``ky``, ``tg``, ``uz``, ``en``);
    English outside a request or app context (e.g. a script)."""
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def pick_name(names: dict | None, fallback: str, language: str | None = None) -> str:
    """The name in ``language`` (the current one by default), else the stored ``name``."""
    language = language or current_language()
    value = (names or {}).get(language)
    return value if isinstance(value, str) and value.strip() else fallback


class LocalNameMixin:
    """``names`` per language and ``local_name``, for a model with a ``name`` column."""

    names: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict, server_default="{}")

    @hybrid_property
    def local_name(self) -> str:
        return pick_name(self.names, self.name)  # type: ignore[attr-defined]

    @local_name.inplace.expression
    @classmethod
    def _local_name_sql(cls) -> ColumnElement[str]:
        return name_in(cls, current_language())


def name_in(model: type, language: str) -> ColumnElement[str]:
    """SQL: the model's name in ``language``, else its ``name`` (an empty name counts as none)."""
    return func.coalesce(func.nullif(model.names[language].as_string(), ""), model.name)
