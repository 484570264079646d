"""Page numbers and cursors from the query string are bounded on every list: never a 500."""

from __future__ import annotations

import pytest

LISTS = ("/activities", "/incidents", "/assessments", "/review", "/admin/users", "/admin/audit")


@pytest.mark.parametrize("page", ["100000000000000000000", "99999999999", "-5", "0", "abc", ""])
@pytest.mark.parametrize("path", LISTS)
def test_any_page_number_is_answered(client, login_as, make, db, path, page):
    make.activity(make.user("volunteer"))
    admin = make.user("admin")
    db.session.commit()
    login_as(admin)
    response = client.get(f"{path}?page={page}")
    assert response.status_code == 200


KEYSET_LISTS = ("/activities", "/incidents", "/assessments", "/review")


@pytest.mark.parametrize(
    "cursor",
    [
        "9" * 40,
        "-1",
        "2025-03-14.-1",
        "9999-12-31." + "f" * 32 + "0",
        "x" * 100_000,
        "%ff",
        "2025-13-01." + "0" * 32,
    ],
    ids=lambda cursor: cursor[:20],
)
@pytest.mark.parametrize("direction", ["after", "before"])
@pytest.mark.parametrize("path", KEYSET_LISTS)
def test_any_cursor_is_answered(client, login_as, make, db, path, direction, cursor):
    """The keyset lists (app/keyset.py): a cursor they did not write is a 400 with the first page."""
    make.activity(make.user("volunteer"))
    admin = make.user("admin")
    db.session.commit()
    login_as(admin)
    response = client.get(path, query_string={direction: cursor})
    assert response.status_code == 400
    assert "This link to a page of the list is not valid" in response.get_data(as_text=True)
