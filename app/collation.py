"""Alphabetical order in the reader's language, through ICU (PyICU).

ICU knows Russian, Kyrgyz (ң after н, ө after о, ү after у) and Uzbek Latin (oʻ, gʻ, sh, ch at
the end of the alphabet). It has no Tajik or Uzbek Cyrillic order of its own, so those two get
the letters their alphabets add, in their places, as ICU tailoring rules. Lists of places and
organisations are short (hundreds, not millions): they are sorted here, in Python, the same way on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu

from .models.names import current_language

T = TypeVar("T")

#: Tailoring on top of ICU's root order, for languages ICU has no order for.
RULES: dict[str, str] = {
    # Tajik: а б в г ғ д е ё ж з и ӣ й к қ л м н о п р с т у ӯ ф х ҳ ч ҷ ш ъ э ю я
    "tg": "&г<ғ<<<Ғ &и<ӣ<<<Ӣ &к<қ<<<Қ &у<ӯ<<<Ӯ &х<ҳ<<<Ҳ &ч<ҷ<<<Ҷ",
    # Uzbek Cyrillic: ... э ю я ў қ ғ ҳ (the four added letters come last)
    "uz_Cyrl": "&я<ў<<<Ў<қ<<<Қ<ғ<<<Ғ<ҳ<<<Ҳ",
}


@lru_cache(maxsize=16)
def collator(language: str) -> icu.Collator:
    """The ICU collator of a language (cached: building one reads the rules)."""
    if language in RULES:
        return icu.RuleBasedCollator(RULES[language])
    return icu.Collator.createInstance(icu.Locale(language))


def sort_key(text: str, language: str | None = None) -> bytes:
    """A key that orders texts alphabetically in ``language`` (the current one by default)."""
    return collator(language or current_language()).getSortKey(text or "")


def in_order(items: Iterable[T], *keys: Callable[[T], str], language: str | None = None) -> list[T]:
    """The items sorted by one or more names (e.g. district, then community), alphabetically."""
    chosen = collator(language or current_language())
    return sorted(items, key=lambda item: tuple(chosen.getSortKey(key(item) or "") for key in keys))
