"""Every catalog is complete: nothing untranslated, nothing fuzzy, placeholders as in the source."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("ru", "ky", "tg", "uz", "uz_Cyrl")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]|\{(\w*)\}")


def _catalog(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


#: The short words the glossary says are never used without a context.
AMBIGUOUS = ("Low", "Medium", "High", "None", "Open", "Change", "Value")


def _key(message) -> tuple[str, str | None]:
    return (message.id if isinstance(message.id, str) else message.id[0], message.context)


def _source_ids(tmp_path: Path) -> set[tuple[str, str | None]]:
    """Extract the messages from the code as it is now (what `make translations` would)."""
    pot = tmp_path / "now.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "N_", "-k", "NP_:1c,2", "-k", "lazy_pgettext:1c,2", "--no-location",
         "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with open(pot, "rb") as f:
        return {_key(m) for m in read_po(f) if m.id}


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(locale):
    problems = []
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = _placeholders(ids[-1])  # a plural's forms follow msgid_plural
        for text in strings:
            if _placeholders(text) != expected:
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    catalog = _catalog(locale)
    for message, errors in catalog.check():  # what `pybabel compile` refuses
        problems += [f"{error}: {message.id!r}" for error in errors]
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_covers_every_marked_string(locale, tmp_path_factory):
    source = _source_ids(tmp_path_factory.mktemp(locale))
    catalog = {_key(m) for m in _catalog(locale) if m.id}
    missing = sorted(source - catalog, key=str)
    assert missing == [], "run `make translations` and translate:\n" + "\n".join(map(str, missing[:40]))


def test_short_words_with_several_meanings_always_carry_a_context(tmp_path):
    bare = sorted(msgid for msgid, context in _source_ids(tmp_path) if msgid in AMBIGUOUS and context is None)
    assert bare == [], "mark these with NP_() or pgettext() (translations/GLOSSARY.md)"
    with_context = {msgid for msgid, context in _source_ids(tmp_path) if context}
    assert set(AMBIGUOUS) <= with_context
