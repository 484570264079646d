"""Every catalog is complete: nothing untranslated, nothing fuzzy, placeholders as in the source."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("ru", "ky", "tg", "uz")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]|\{(\w*)\}")


def _catalog(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def _source_ids(tmp_path: Path) -> set[str]:
    """Extract the messages from the code as it is now (what `make translations` would)."""
    pot = tmp_path / "now.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "N_", "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with open(pot, "rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


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
    catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(locale) if m.id}
    missing = sorted(source - catalog)
    assert missing == [], "run `make translations` and translate:\n" + "\n".join(missing[:40])
