"""Page numbers from the query string, bounded: ``?page=100000000000000000000`` is not a 500."""

from __future__ import annotations

from flask import request

#: Pages past this are past the end of any real list; it keeps the OFFSET a database integer.
MAX_PAGE = 100_000


def page_number() -> int:
    """``?page=`` as a page number from 1 to MAX_PAGE; anything else is page 1."""
    number = request.args.get("page", 1, type=int)
    return min(max(number, 1), MAX_PAGE)
