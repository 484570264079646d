"""Putting a benchmark's section between its HTML-comment markers in bench/RESULTS.md."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def put_section(section: str, start: str, end: str, path: Path = RESULTS) -> None:
    """Replace the text from ``start`` to ``end`` with ``section`` (markers included), or append it."""
    text = path.read_text() if path.exists() else ""
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)
